"""What a message says: Korean (해요체) text from its notifications and the current catalog.

One notification is one item; a digest lists several. E-mails come from Jinja2 templates
(`templates/mail/notification.txt` and `.html`), SMS is a short text, a webhook gets JSON.
Messages name services, never the person's answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from alrim.notify.triggers import CLOSES_D1, CLOSES_D7, ELIGIBLE, MAYBE, OPENS, reason_text

TEMPLATES = Path(__file__).resolve().parent / "templates"
NAME_LIMIT = 40


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    service_id: str
    name: str
    agency: str
    status: str = "active"
    period_end: date | None = None


@dataclass(frozen=True, slots=True)
class Item:
    notification_id: int
    service_id: str
    name: str
    agency: str
    trigger: str
    headline: str
    detail: str
    link: str
    reason: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def short(name: str, limit: int = NAME_LIMIT) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def headline(trigger: str, name: str, payload: dict[str, Any]) -> str:
    quoted = f"‘{short(name)}’"
    if trigger == ELIGIBLE:
        return f"{quoted} 서비스를 받을 수 있어요"
    if trigger == MAYBE:
        return f"{quoted} 서비스를 받을 수도 있어요"
    if trigger == OPENS:
        return f"{quoted} 신청이 곧 시작돼요"
    if trigger == CLOSES_D7:
        days = payload.get("days_left")
        return f"{quoted} 신청 마감이 {days}일 남았어요" if days else f"{quoted} 신청이 곧 마감돼요"
    if trigger == CLOSES_D1:
        return f"{quoted} 신청이 곧 마감돼요"
    return f"{quoted} 소식이 있어요"


def detail(trigger: str, reason: str, payload: dict[str, Any]) -> str:
    note = payload.get("note")
    if isinstance(note, str) and note:
        return note
    if trigger == MAYBE:
        return (
            "몇 가지 정보가 더 있으면 받을 수 있는지 확실히 알 수 있어요. "
            "결과 페이지에서 확인해 주세요."
        )
    return reason_text(reason) or "자세한 내용과 신청 방법을 확인해 보세요."


def make_item(
    notification_id: int,
    service: ServiceInfo,
    trigger: str,
    reason: str,
    payload: dict[str, Any],
    base_url: str,
) -> Item:
    return Item(
        notification_id=notification_id,
        service_id=service.service_id,
        name=service.name,
        agency=service.agency,
        trigger=trigger,
        headline=headline(trigger, service.name, payload),
        detail=detail(trigger, reason, payload),
        link=f"{base_url.rstrip('/')}/services/{service.service_id}",
        reason=reason,
        extra=dict(payload),
    )


def subject_of(items: list[Item]) -> str:
    if len(items) == 1:
        return f"[알림] {items[0].headline}"
    return f"[알림] 오늘의 알림 {len(items)}건: ‘{short(items[0].name, 24)}’ 외 {len(items) - 1}건"


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES / "mail"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render_email(items: list[Item], *, base_url: str, unsubscribe_url: str) -> tuple[str, str, str]:
    """(subject, plain text, HTML) of an e-mail listing `items`."""
    env = _env()
    subject = subject_of(items)
    context: dict[str, Any] = {
        "items": items,
        "subject": subject,
        "settings_url": f"{base_url.rstrip('/')}/account/notifications",
        "unsubscribe_url": unsubscribe_url,
        "site_url": base_url.rstrip("/"),
    }
    text = env.get_template("notification.txt").render(**context)
    html = env.get_template("notification.html").render(**context)
    return subject, text, html


def render_sms(items: list[Item], base_url: str) -> str:
    if len(items) == 1:
        item = items[0]
        return f"[알림] {item.headline}. {item.link}"
    return (
        f"[알림] 새 소식 {len(items)}건: {items[0].headline} 외 {len(items) - 1}건. "
        f"{base_url.rstrip('/')}/account/inbox"
    )


def webhook_body(key: str, account_id: str, items: list[Item], created: str) -> dict[str, Any]:
    return {
        "id": key,
        "type": "alrim.notifications",
        "created": created,
        "account_id": account_id,
        "notifications": [
            {
                "service_id": i.service_id,
                "service_name": i.name,
                "agency": i.agency,
                "trigger": i.trigger,
                "reason": i.reason,
                "headline": i.headline,
                "detail": i.detail,
                "url": i.link,
            }
            for i in items
        ],
    }


def kakao_variables(items: list[Item]) -> dict[str, str]:
    """Variables of the 알림톡 template (`#{서비스명}`, `#{안내}`, `#{링크}`)."""
    first = items[0]
    more = f" 외 {len(items) - 1}건" if len(items) > 1 else ""
    return {"서비스명": short(first.name) + more, "안내": first.headline, "링크": first.link}
