"""The consent wording shown to people, one entry per purpose (개인정보 보호법 제15·22조:
purpose, items, retention, the right to refuse and what refusing means).

A consent row records the wording's version and the SHA-256 of its text, so what a person
agreed to can always be shown again. Changing a text means a new version; other modules (the
notification engineer's) may add purposes with `register_purpose`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    purpose: str
    version: str
    title: str  # short Korean label for the checkbox
    text: str  # the full wording shown beside it
    required: bool = False

    @property
    def text_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


_WORDINGS: dict[str, Wording] = {}


def register_purpose(wording: Wording) -> None:
    """Add or replace (with a new version) the wording of a purpose."""
    _WORDINGS[wording.purpose] = wording


def wording_for(purpose: str) -> Wording:
    try:
        return _WORDINGS[purpose]
    except KeyError:
        raise KeyError(f"unknown consent purpose {purpose!r}") from None


def all_wordings() -> list[Wording]:
    return list(_WORDINGS.values())


def purposes() -> list[str]:
    return list(_WORDINGS)


for _w in (
    Wording(
        "account",
        "2026-11-25",
        "[필수] 계정 만들기와 로그인을 위한 개인정보 수집·이용",
        "수집 항목: 이메일 주소, 비밀번호(되돌릴 수 없는 형태로 바꿔 저장해요). "
        "이용 목적: 본인 확인, 로그인, 비밀번호 재설정 안내 메일 발송. "
        "보유 기간: 탈퇴할 때까지이며, 탈퇴하면 바로 지워요. "
        "동의하지 않을 수 있지만, 그러면 계정을 만들 수 없어요.",
        required=True,
    ),
    Wording(
        "matching",
        "2026-11-25",
        "[선택] 내 답변을 저장하고 받을 수 있는 서비스 찾기",
        "수집 항목: 질문에 답한 내용(생년월일 또는 나이, 성별, 사는 곳, 가구원 수, 소득, "
        "개인·가구 특성, 자녀 생년월일, 전입일 등). "
        "이용 목적: 받을 수 있는 공공서비스를 찾아 보여 드리고, 알림을 받을 분을 정해요. "
        "보유 기간: 동의를 철회하거나 탈퇴할 때까지이며, 철회하면 저장된 답변을 바로 지워요. "
        "답변은 암호화해서 저장해요. 동의하지 않아도 계정은 쓸 수 있지만 답변은 저장되지 않아요.",
    ),
    Wording(
        "notify_email",
        "2026-11-25",
        "[선택] 이메일로 알림 받기",
        "이용 항목: 이메일 주소, 저장한 답변으로 찾은 서비스. "
        "이용 목적: 새로 받을 수 있게 된 서비스와 신청 시작·마감 소식을 이메일로 알려 드려요. "
        "보낸 알림 기록은 정해진 기간(기본 90일)이 지나면 지워요. 언제든 철회할 수 있어요.",
    ),
    Wording(
        "notify_sms",
        "2026-11-25",
        "[선택] 문자·알림톡으로 알림 받기",
        "수집 항목: 휴대전화 번호. "
        "이용 목적: 새로 받을 수 있게 된 서비스와 신청 마감 소식을 문자나 카카오 알림톡으로 "
        "알려 드려요(밤 9시~아침 8시에는 보내지 않아요). 발송을 위해 문자 발송 업체에 번호와 "
        "메시지를 맡겨요. 보낸 알림 기록은 정해진 기간(기본 90일)이 지나면 지워요. "
        "언제든 철회할 수 있어요.",
    ),
    Wording(
        "notify_webhook",
        "2026-11-25",
        "[선택] 연계 기관·앱으로 알림 전달",
        "제공받는 곳: 내가 연결한 주민센터 시스템이나 협력 앱. "
        "제공 항목: 알림 대상 서비스와 알림 종류(답변 내용은 보내지 않아요). "
        "이용 목적: 연결한 곳에서도 알림을 받을 수 있게 해요. 언제든 철회할 수 있어요.",
    ),
    Wording(
        "notify_inbox",
        "2026-11-25",
        "[선택] 사이트 알림함에 알림 모으기",
        "이용 목적: 새로 받을 수 있게 된 서비스와 신청 시작·마감 소식을 로그인하면 보이는 "
        "알림함에 모아 둬요. 알림은 정해진 기간(기본 90일)이 지나면 지워요. "
        "언제든 철회할 수 있어요.",
    ),
    Wording(
        "notify_maybe",
        "2026-11-25",
        "[선택] '받을 수도 있는' 서비스도 알림 받기",
        "정보가 부족해서 받을 수 있는지 확실하지 않은 서비스도 알려 드려요. "
        "알림을 받는 방법(이메일·문자 등)은 위에서 고른 대로예요. 언제든 철회할 수 있어요.",
    ),
):
    register_purpose(_w)
