"""Saving the visitor's answers to the account, encrypted; consents and their history."""

from __future__ import annotations

import re
from typing import Any

import pytest
from account_steps import Mailbox, csrf, give_visitor_answers, register
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update

from alrim.accounts import profiles
from alrim.accounts.answers_view import answer_rows
from alrim.eligibility.profile_input import parse_profile
from alrim.privacy import consent
from alrim.privacy.crypto import DecryptionError
from alrim.services.catalog import korea_today
from alrim.store.accounts_tables import AccountRow, ProfileRow
from alrim.store.db import session_scope

pytestmark = pytest.mark.storage

ANSWERS: dict[str, Any] = {
    "birth_date": "1994-03-02",
    "sex": "female",
    "region": "서울 종로구",
    "household_size": 3,
    "household_income_monthly": 4_200_000,
    "statuses": ["pregnant", "employee"],
}


def _account_id(engine: Engine) -> str:
    with session_scope(engine) as session:
        return session.scalars(select(AccountRow.id)).one()


def _post(client: TestClient, path: str, **data: str) -> Any:
    return client.post(path, data={"csrf_token": csrf(client, "/account"), **data})


def test_visitor_answers_are_saved_encrypted_and_shown(
    client: TestClient, mailbox: Mailbox, engine: Engine, settings: Any
) -> None:
    register(client, mailbox, "save@example.kr")
    give_visitor_answers(client, settings, ANSWERS)
    page = client.get("/account")
    assert "이 브라우저에서 답한 내용" in page.text
    assert "임신 중이에요" in page.text  # answers shown in words, not codes
    saved = _post(client, "/account/profile/save")
    assert saved.status_code == 200 and "답변을 저장했어요" in saved.text
    assert "종로구" in saved.text

    account_id = _account_id(engine)
    stored = profiles.load_profile(engine, account_id)
    assert stored is not None
    assert stored["region"] == "11110"  # normalised by the contract parser
    assert stored["birth_date"] == "1994-03-02"
    assert "as_of" not in stored
    with session_scope(engine) as session:
        blob = session.scalars(select(ProfileRow.profile_enc)).one()
    assert b"1994" not in blob and b"pregnant" not in blob and b"4200000" not in blob


def test_saving_needs_the_matching_consent(
    client: TestClient, mailbox: Mailbox, engine: Engine, settings: Any
) -> None:
    register(client, mailbox, "noconsent@example.kr")
    account_id = _account_id(engine)
    consent.withdraw(engine, account_id, "matching")
    give_visitor_answers(client, settings, ANSWERS)
    refused = _post(client, "/account/profile/save")
    assert "동의해야" in refused.text
    assert profiles.load_profile(engine, account_id) is None
    with pytest.raises(profiles.ConsentRequiredError):
        profiles.save_profile(engine, account_id, ANSWERS)
    # Ticking the consent box on the save form grants it and saves.
    saved = _post(client, "/account/profile/save", consent_matching="1")
    assert "답변을 저장했어요" in saved.text
    assert profiles.load_profile(engine, account_id) is not None


def test_withdrawing_matching_erases_the_saved_answers_and_keeps_history(
    client: TestClient, mailbox: Mailbox, engine: Engine, settings: Any
) -> None:
    register(client, mailbox, "withdraw@example.kr")
    account_id = _account_id(engine)
    give_visitor_answers(client, settings, ANSWERS)
    _post(client, "/account/profile/save")
    assert consent.has_consent(engine, account_id, "matching")
    page = _post(client, "/account/consents", purpose="matching", action="withdraw")
    assert "동의를 철회했어요" in page.text
    assert not consent.has_consent(engine, account_id, "matching")
    assert profiles.load_profile(engine, account_id) is None
    _post(client, "/account/consents", purpose="notify_email", action="grant")
    assert consent.has_consent(engine, account_id, "notify_email")
    history = [(c.purpose, c.granted, c.source) for c in consent.history(engine, account_id)]
    assert history == [
        ("account", True, "signup"),
        ("matching", True, "signup"),
        ("matching", False, "account"),
        ("notify_email", True, "account"),
    ]
    assert all(len(c.wording_hash) == 64 for c in consent.history(engine, account_id))
    # The required consent cannot be withdrawn (deleting the account is the way out).
    refused = _post(client, "/account/consents", purpose="account", action="withdraw")
    assert refused.status_code == 400
    assert consent.has_consent(engine, account_id, "account")


def test_saved_answers_can_be_loaded_back_into_the_browser(
    client: TestClient, mailbox: Mailbox, engine: Engine, settings: Any
) -> None:
    register(client, mailbox, "reload@example.kr")
    account_id = _account_id(engine)
    profiles.save_profile(engine, account_id, ANSWERS)
    response = client.post(
        "/account/profile/load",
        data={"csrf_token": csrf(client, "/account")},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/results"
    # the browser session now holds the answers: the account page shows them as session answers
    assert "이 브라우저에서 답한 내용" in client.get("/account").text


def test_a_divided_old_gu_is_saved_so_it_still_rules_out_the_other_gu(
    client: TestClient, mailbox: Mailbox, engine: Engine, settings: Any
) -> None:
    # 인천광역시 서구 is now 서해구 or 검단구: saving must not shrink it to "somewhere in 인천".
    register(client, mailbox, "seogu@example.kr")
    give_visitor_answers(client, settings, {"region": "인천광역시 서구", "age": 40})
    saved = _post(client, "/account/profile/save")
    assert saved.status_code == 200 and "답변을 저장했어요" in saved.text
    stored = profiles.load_profile(engine, _account_id(engine))
    assert stored == {"region": "28260", "age": 40}
    # Shown under the name the person gave, not as a code.
    assert ("사는 곳", "인천광역시 서구") in answer_rows(stored)
    person = parse_profile(stored, today=korea_today())
    assert (person.region, person.region_candidates) == ("28", ("28275", "28290"))


def test_profile_api_versions_events_and_listeners(
    client: TestClient, mailbox: Mailbox, engine: Engine
) -> None:
    register(client, mailbox, "api@example.kr")
    account_id = _account_id(engine)
    heard: list[tuple[str, dict[str, Any] | None, int]] = []

    def listener(session: Any, who: str, profile: dict[str, Any] | None, version: int) -> None:
        heard.append((who, profile, version))

    profiles.register_profile_listener(listener)
    try:
        assert profiles.save_profile(engine, account_id, ANSWERS) == 1
        assert profiles.save_profile(engine, account_id, {**ANSWERS, "household_size": 4}) == 2
        assert profiles.remove_profile(engine, account_id)
    finally:
        profiles._listeners.remove(listener)
    assert [(v, p is None) for _, p, v in heard] == [(1, False), (2, False), (3, True)]
    events = profiles.profile_events_since(engine, 0)
    assert [(e.kind, e.version) for e in events] == [("saved", 1), ("saved", 2), ("removed", 3)]
    assert profiles.profile_events_since(engine, events[1].seq)[0].kind == "removed"


def test_a_profile_copied_to_another_account_does_not_decrypt(
    client: TestClient, mailbox: Mailbox, engine: Engine
) -> None:
    register(client, mailbox, "victim@example.kr")
    victim = _account_id(engine)
    client.cookies.clear()
    register(client, mailbox, "mallory@example.kr")
    with session_scope(engine) as session:
        mallory = session.scalars(select(AccountRow.id).where(AccountRow.id != victim)).one()
    profiles.save_profile(engine, victim, ANSWERS)
    profiles.save_profile(engine, mallory, {"sex": "male"})
    with session_scope(engine) as session:
        blob = session.scalars(
            select(ProfileRow.profile_enc).where(ProfileRow.account_id == victim)
        ).one()
        session.execute(
            update(ProfileRow).where(ProfileRow.account_id == mallory).values(profile_enc=blob)
        )
    with pytest.raises(DecryptionError):
        profiles.load_profile(engine, mallory)
    page = client.get("/account")
    assert page.status_code == 200
    assert "저장된 답변을 읽을 수 없어요" in page.text
    assert "1994" not in page.text


def test_iter_profiles_decrypts_every_saved_profile(
    client: TestClient, mailbox: Mailbox, engine: Engine
) -> None:
    ids = []
    for n in range(5):
        client.cookies.clear()
        register(client, mailbox, f"p{n}@example.kr")
    with session_scope(engine) as session:
        ids = sorted(session.scalars(select(AccountRow.id)).all())
    for n, account_id in enumerate(ids):
        profiles.save_profile(engine, account_id, {"household_size": n + 1})
    got = list(profiles.iter_profiles(engine, batch=2))
    assert [a for a, _ in got] == ids
    assert [p["household_size"] for _, p in got] == [1, 2, 3, 4, 5]
    assert consent.accounts_with_consent(engine, "matching") == set(ids)
    from alrim.accounts.service import email_addresses

    addresses = email_addresses(engine, [*ids, "0" * 32])
    assert sorted(addresses.values()) == [f"p{n}@example.kr" for n in range(5)]


def test_download_my_data_contains_everything(
    client: TestClient, mailbox: Mailbox, engine: Engine, settings: Any
) -> None:
    from alrim.privacy import export

    register(client, mailbox, "export@example.kr")
    account_id = _account_id(engine)
    profiles.save_profile(engine, account_id, ANSWERS)
    export.register_exporter("messages", lambda session, who: [{"for": who, "text": "안녕"}])
    try:
        response = client.get("/account/export")
    finally:
        export._exporters.pop("messages")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    data = response.json()
    assert data["format"] == "alrim-person-export/1"
    assert data["account"]["email"] == "export@example.kr"
    assert data["profile"]["answers"]["birth_date"] == "1994-03-02"
    purposes = [(c["purpose"], c["granted"]) for c in data["consents"]]
    assert purposes == [("account", True), ("matching", True)]
    assert data["consents"][0]["wording"].startswith("수집 항목")
    assert data["messages"] == [{"for": account_id, "text": "안녕"}]
    assert len(data["sessions"]) == 1
    assert re.fullmatch(r"[0-9a-f]{32}", data["account"]["id"])
