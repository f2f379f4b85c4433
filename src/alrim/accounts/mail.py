"""Account e-mails (verify address, password reset, already-registered notice) over SMTP.

`send_account_mail` is the one door; the notification engineer may route it through the
outbox with `set_transport`. Addresses are never logged.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from alrim.settings import Settings

log = logging.getLogger(__name__)
TEMPLATES = Path(__file__).resolve().parent / "templates" / "mail"

Transport = Callable[[Settings, EmailMessage], None]


class MailError(Exception):
    """The message could not be handed to the mail server."""


def smtp_transport(settings: Settings, message: EmailMessage) -> None:
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"SMTP {settings.smtp_host}:{settings.smtp_port}: {exc}") from exc


_transport: Transport = smtp_transport


def set_transport(transport: Transport | None) -> None:
    """Replace how account mail leaves (None restores direct SMTP)."""
    global _transport
    _transport = transport or smtp_transport


def build_message(
    settings: Settings, to: str, subject: str, text: str, html: str | None = None
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="alrim.local")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def send_account_mail(
    settings: Settings, to: str, subject: str, text: str, html: str | None = None
) -> None:
    """Send one account e-mail now. Raises `MailError` when the server refuses or is down."""
    _transport(settings, build_message(settings, to, subject, text, html))
    log.info("account mail sent (%s)", subject)


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render(kind: str, **context: Any) -> tuple[str, str, str]:
    """(subject, text, html) of the template pair ``<kind>.txt`` / ``<kind>.html``; the
    subject is the text template's first line."""
    env = _env()
    text = env.get_template(f"{kind}.txt").render(**context)
    subject, _, body = text.partition("\n")
    html = env.get_template(f"{kind}.html").render(subject=subject, **context)
    return subject.strip(), body.lstrip("\n"), html


def send_template(settings: Settings, to: str, kind: str, **context: Any) -> None:
    subject, text, html = render(kind, **context)
    send_account_mail(settings, to, subject, text, html)
