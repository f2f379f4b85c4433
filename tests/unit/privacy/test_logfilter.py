"""Personal data is masked in log records."""

from __future__ import annotations

import logging

import pytest

from alrim.privacy.logfilter import MASK, PersonalDataFilter, install_log_filter, mask


@pytest.mark.parametrize(
    "text",
    [
        "hong.gildong+alrim@example.co.kr",
        "010-1234-5678",
        "01012345678",
        "+82 10-1234-5678",
        "02-123-4567",
        "1994-03-02",
        "1994.3.2",
        "1994년 3월 2일",
        "19940302",
        "940302-1234567",
        "9403022234567",
    ],
)
def test_personal_values_are_masked(text: str) -> None:
    masked = mask(f"값: {text} 끝")
    assert text not in masked
    assert masked == f"값: {MASK} 끝"


@pytest.mark.parametrize(
    "text",
    [
        "service 000000465790 ingested",  # 12-digit service ids
        "1097 services in 2.5 s",
        "region 11110",
        "GET /api/v1/services?limit=50 200",
    ],
)
def test_ordinary_values_survive(text: str) -> None:
    assert mask(text) == text


def test_installed_filter_masks_records_of_every_logger(caplog: pytest.LogCaptureFixture) -> None:
    install_log_filter()
    caplog.set_level(logging.INFO)
    logging.getLogger("some.library").info("user %s phone %s", "a@b.kr", "010-9999-8888")
    try:
        raise ValueError("bad birth date 2001-02-03")
    except ValueError:
        logging.getLogger("other").exception("failed for %s", "a@b.kr")
    messages = [r.getMessage() for r in caplog.records]
    assert messages[0] == f"user {MASK} phone {MASK}"
    assert messages[1] == f"failed for {MASK}"
    assert "2001-02-03" not in caplog.text and "a@b.kr" not in caplog.text
    assert "ValueError" in caplog.text  # the traceback is kept, masked


def test_access_log_arguments_keep_their_shape() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/x?email=a@b.kr", "1.1", 200),
        None,
    )
    PersonalDataFilter().filter(record)
    assert isinstance(record.args, tuple) and record.args[4] == 200
    assert record.getMessage() == f'127.0.0.1:5000 - "GET /x?email={MASK} HTTP/1.1" 200'
