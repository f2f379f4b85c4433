"""Mask personal data in log records: e-mail addresses, phone numbers, dates (birth dates
cannot be told from other dates, so every full date is masked) and 주민등록번호-like numbers.

`install_log_filter()` (called by the web app and the CLI) wraps the log-record factory, so
every record from every logger is masked when it is created — before any handler, formatter or
test capture sees it — and adds `PersonalDataFilter` to the root handlers for exception texts.
"""

from __future__ import annotations

import logging
import re
from typing import Any

MASK = "[개인정보]"

_PATTERNS = [
    # 주민등록번호 / 외국인등록번호: YYMMDD-GNNNNNN (hyphen or space optional)
    re.compile(r"(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[-\s]?[1-8]\d{6}(?!\d)"),
    # e-mail addresses
    re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE),
    # Korean phone numbers: mobile, area codes, +82 forms, with or without separators
    re.compile(
        r"(?<![\d])(?:\+?82[-.\s]?|0)(?:1[016789]|2|[3-6][1-5]|70)[-.\s)]?\d{3,4}[-.\s]?\d{4}(?!\d)"
    ),
    # full dates: 1994-03-02, 1994.3.2, 1994/03/02, 1994년 3월 2일, 19940302
    re.compile(
        r"(?<!\d)(?:19|20)\d{2}[-./]\s?(?:0?[1-9]|1[0-2])[-./]\s?(?:0?[1-9]|[12]\d|3[01])(?!\d)"
    ),
    re.compile(r"(?:19|20)\d{2}년\s*(?:0?[1-9]|1[0-2])월\s*(?:0?[1-9]|[12]\d|3[01])일"),
    re.compile(r"(?<!\d)(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)"),
]


def mask(text: str) -> str:
    """The text with every personal-data pattern replaced by ``[개인정보]``."""
    for pattern in _PATTERNS:
        text = pattern.sub(MASK, text)
    return text


# Loggers whose formatters read ``record.args`` as a tuple: mask element-wise instead.
_TUPLE_ARGS_LOGGERS = frozenset({"uvicorn.access"})


def mask_record(record: logging.LogRecord) -> None:
    if getattr(record, "_alrim_masked", False):
        return
    record._alrim_masked = True
    if record.name in _TUPLE_ARGS_LOGGERS and isinstance(record.args, tuple):
        record.msg = mask(str(record.msg))
        record.args = tuple(mask(a) if isinstance(a, str) else a for a in record.args)
        return
    try:
        message = record.getMessage()
    except Exception:  # a bad format string: keep the raw parts, masked
        message = f"{record.msg} {record.args}"
    record.msg = mask(message)
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = mask(record.exc_text)
    if record.stack_info:
        record.stack_info = mask(record.stack_info)


class PersonalDataFilter(logging.Filter):
    """A handler filter that masks (never drops) records."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_record(record)
        return True


_installed = False


def install_log_filter() -> None:
    """Mask every log record in this process (idempotent)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        mask_record(record)
        return record

    logging.setLogRecordFactory(factory)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
            handler.addFilter(PersonalDataFilter())
    _installed = True
