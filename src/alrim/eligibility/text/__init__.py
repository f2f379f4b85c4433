"""Criteria read from a service's own free text (지원대상, 선정기준, name, summary), with spans."""

from alrim.eligibility.text.extract import extract_text_criteria, read_field
from alrim.eligibility.text.finding import DIMENSIONS, Strength, TextFinding
from alrim.eligibility.text.flags import KNOWN_FLAGS

__all__ = [
    "DIMENSIONS",
    "KNOWN_FLAGS",
    "Strength",
    "TextFinding",
    "extract_text_criteria",
    "read_field",
]
