"""Sign-up, login and saving answers with every logger at DEBUG (SQL and its parameters
included): none of the person's values appears in any log record."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from account_steps import Mailbox, csrf, give_visitor_answers, log_in, sign_up, verify_from_mail
from fastapi.testclient import TestClient
from sqlalchemy import Engine

pytestmark = pytest.mark.storage

EMAIL = "kim.personal@example.kr"
PASSWORD = "my secret passphrase 77"
ANSWERS: dict[str, Any] = {
    "birth_date": "1987-06-15",
    "region": "11110",
    "household_size": 4,
    "household_income_monthly": 3_456_789,
    "statuses": ["pregnant"],
}


def test_account_flows_log_no_personal_data(
    client: TestClient,
    mailbox: Mailbox,
    engine: Engine,
    settings: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy.engine", "httpx", "alrim"):
        caplog.set_level(logging.DEBUG, logger=name)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.DEBUG)
    try:
        assert sign_up(client, EMAIL, PASSWORD).status_code == 200
        verify_from_mail(client, mailbox, EMAIL)
        assert log_in(client, EMAIL, "wrong password 000").status_code == 401
        assert log_in(client, EMAIL, PASSWORD).status_code == 303
        give_visitor_answers(client, settings, ANSWERS)
        saved = client.post("/account/profile/save", data={"csrf_token": csrf(client, "/account")})
        assert "답변을 저장했어요" in saved.text
        # code that does log a person's value by mistake is masked too
        logging.getLogger("alrim.test").warning("careless log: %s born %s", EMAIL, "1987-06-15")
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    assert any(r.name.startswith("sqlalchemy.engine") for r in caplog.records)  # SQL was logged
    logged = "\n".join([r.getMessage() for r in caplog.records] + [caplog.text])
    for value in (EMAIL, "kim.personal", PASSWORD, "1987-06-15", "3456789", "3,456,789"):
        assert value not in logged, value
    assert "careless log: [개인정보] born [개인정보]" in logged
