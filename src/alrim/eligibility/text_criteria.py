"""Criteria read from the services' own free text, with their spans.

The implementation lives in `alrim.eligibility.text` (one small module per kind of criterion);
this module is the public entry point. See ``docs/eligibility-text.md``.
"""

from alrim.eligibility.text import (
    DIMENSIONS,
    KNOWN_FLAGS,
    Strength,
    TextFinding,
    extract_text_criteria,
    read_field,
)

__all__ = [
    "DIMENSIONS",
    "KNOWN_FLAGS",
    "Strength",
    "TextFinding",
    "extract_text_criteria",
    "read_field",
]
