"""SMS/알림톡 through SOLAPI, against a local server that checks requests the way the provider
documents them (HMAC-SHA256 over date + salt with the API secret; ``send-many/detail`` JSON)
and answers with the documented bodies."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from http_fixture import Seen, local_server

from alrim.notify.channels.base import Outgoing
from alrim.notify.channels.sms_solapi import SEND_PATH, SolapiChannel, auth_header

KEY, SECRET = "NCSTESTKEY000001", "TESTSECRET0000000000000000000001"
AUTH_RE = re.compile(
    r"^HMAC-SHA256 apiKey=(?P<key>[^,]+), date=(?P<date>[^,]+), salt=(?P<salt>[^,]+), "
    r"signature=(?P<sig>[0-9a-f]{64})$"
)


def solapi(seen: Seen) -> tuple[int, dict[str, Any]]:
    """What the provider does: check auth, then accept or refuse each message."""
    found = AUTH_RE.match(seen.headers.get("authorization", ""))
    if seen.path != SEND_PATH:
        return 404, {"errorCode": "NotFound", "errorMessage": "Not Found"}
    if not found or found["key"] != KEY:
        return 403, {"errorCode": "InvalidAPIKey", "errorMessage": "Invalid API Key"}
    expected = hmac.new(SECRET.encode(), (found["date"] + found["salt"]).encode(), hashlib.sha256)
    if not hmac.compare_digest(expected.hexdigest(), found["sig"]):
        return 403, {
            "errorCode": "SignatureDoesNotMatch",
            "errorMessage": "Signature does not match",
        }
    messages = seen.json()["messages"]
    accepted, failed = [], []
    for i, m in enumerate(messages):
        base = {
            "to": m["to"],
            "from": m["from"],
            "type": m.get("type"),
            "country": "82",
            "messageId": f"M{i}",
        }
        if m["from"] != "0212345678":
            failed.append({**base, "statusCode": "1062", "statusMessage": "발신번호 미등록"})
        else:
            accepted.append(
                {**base, "statusCode": "2000", "statusMessage": "정상 접수(이통사로 접수 예정)"}
            )
    return 200, {
        "groupInfo": {"groupId": "G1", "status": "SENDING", "count": {"total": len(messages)}},
        "messageList": accepted,
        "failedMessageList": failed,
    }


def _channel(url: str, **kw: Any) -> SolapiChannel:
    options: dict[str, Any] = {
        "base_url": url,
        "api_key": KEY,
        "api_secret": SECRET,
        "sender": "0212345678",
    }
    options.update(kw)
    return SolapiChannel(**options)


def _sms(
    text: str = "[알림] ‘청년 월세 지원’ 신청이 곧 마감돼요. 자세히 보기: https://alrim.example/services/S1",
) -> Outgoing:
    return Outgoing(
        "key1", "sms", "acct", "01012345678", "마감 안내", text, data={"서비스명": "청년 월세"}
    )


def test_documented_signature_and_an_accepted_message() -> None:
    assert auth_header("k", "s", "2019-07-01T00:41:48Z", "jqsba2jxjnrjor").startswith(
        "HMAC-SHA256 apiKey=k, date=2019-07-01T00:41:48Z, salt=jqsba2jxjnrjor, signature="
    )
    with local_server(solapi) as server:
        session = _channel(server.url).open()
        result = session.send(_sms())
        session.close()
    assert result.ok, result.error
    assert result.response["messageId"] == "M0" and result.response["statusCode"] == "2000"
    sent = server.requests[0].json()["messages"][0]
    assert sent["to"] == "01012345678" and sent["customFields"] == {"alrimKey": "key1"}
    assert sent["type"] == "LMS"  # longer than 90 bytes (EUC-KR) → LMS with a subject


def test_short_text_is_sms_and_kakao_template_is_ata() -> None:
    with local_server(solapi) as server:
        _channel(server.url).open().send(_sms("[알림] 새 소식"))
        _channel(server.url, pf_id="PF1", template_id="T1").open().send(_sms())
    assert server.requests[0].json()["messages"][0]["type"] == "SMS"
    ata = server.requests[1].json()["messages"][0]
    assert ata["type"] == "ATA"
    assert ata["kakaoOptions"]["pfId"] == "PF1" and ata["kakaoOptions"]["variables"] == {
        "#{서비스명}": "청년 월세"
    }


def test_refusals_and_auth_errors_are_failures_with_the_providers_codes() -> None:
    with local_server(solapi) as server:
        refused = _channel(server.url, sender="0299999999").open().send(_sms())
        bad_secret = _channel(server.url, api_secret="wrong").open().send(_sms())
    assert not refused.ok and refused.response["statusCode"] == "1062"
    assert not bad_secret.ok and bad_secret.response["errorCode"] == "SignatureDoesNotMatch"
    assert not bad_secret.in_doubt


def test_each_request_has_a_fresh_salt() -> None:
    with local_server(solapi) as server:
        session = _channel(server.url).open()
        session.send(_sms())
        session.send(_sms())
    salts = {AUTH_RE.match(r.headers["authorization"])["salt"] for r in server.requests}  # type: ignore[index]
    assert len(salts) == 2
