"""E-mail over SMTP: one connection per batch (many messages per session), plain text + HTML,
``List-Unsubscribe`` with ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058),
and a Message-ID fixed by the message key, so every try of a message is the same message.

Reconciliation: SMTP cannot be asked whether it took a message. When the relay appends one line
``accepted <Message-ID>`` per message it has taken (``ALRIM_NOTIFY_ACCEPT_LOG``; e.g. a
milter or a log pipe on the MTA, or the relay's own delivery log reduced to that form), the
worker reads it to settle messages a crashed worker may have handed over. Without it the
channel cannot tell and the in-doubt policy decides.
"""

from __future__ import annotations

import contextlib
import smtplib
from collections.abc import Sequence
from email.header import Header
from email.headerregistry import Address
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.policy import compat32
from email.utils import formataddr, formatdate, parseaddr
from pathlib import Path

from alrim.notify.channels.base import Outgoing, SendResult

WIRE = compat32.clone(linesep="\r\n")  # SMTP wants CRLF; smtplib leaves bytes as they are


def message_id(key: str, domain: str) -> str:
    return f"<alrim.{key}@{domain}>"


def sender_domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rpartition("@")[2] or "alrim.local"


def build_email(message: Outgoing, sender: str) -> Message:
    """The MIME message (multipart/alternative: text, then HTML), UTF-8 throughout. Built with
    the compat32 classes: ~10× faster than `EmailMessage` header folding, same bytes on the
    wire for what we send."""
    body: Message
    if message.html is not None:
        body = MIMEMultipart("alternative")
        body.attach(MIMEText(message.text, "plain", "utf-8"))
        body.attach(MIMEText(message.html, "html", "utf-8"))
    else:
        body = MIMEText(message.text, "plain", "utf-8")
    body["From"] = _header(sender)
    body["To"] = message.to or ""
    body["Subject"] = Header(message.subject, "utf-8")  # type: ignore[assignment]
    body["Date"] = formatdate(localtime=False)
    body["Message-ID"] = message_id(message.key, sender_domain(sender))
    body["Auto-Submitted"] = "auto-generated"
    for name, value in message.headers.items():
        body[name] = value
    return body


def _header(address: str) -> str:
    """`이름 <addr>` with the display name encoded (RFC 2047) when it is not ASCII."""
    name, addr = parseaddr(address)
    return formataddr((name, addr), charset="utf-8") if name else addr


class SmtpSession:
    def __init__(self, channel: EmailChannel) -> None:
        self.channel = channel
        self._smtp: smtplib.SMTP | None = None

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is None:
            c = self.channel
            self._smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
            self._smtp.ehlo_or_helo_if_needed()
        return self._smtp

    def _drop(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.close()
            finally:
                self._smtp = None

    def send(self, message: Outgoing) -> SendResult:
        if not message.to:
            return SendResult.failed("no e-mail address for this account")
        email = build_email(message, self.channel.sender)
        sender = parseaddr(self.channel.sender)[1]
        try:
            smtp = self._connection()
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            return SendResult.failed(f"cannot connect: {type(exc).__name__}")
        try:
            refused = smtp.sendmail(sender, [message.to], email.as_bytes(policy=WIRE))
        except smtplib.SMTPRecipientsRefused as exc:
            code, reply = next(iter(exc.recipients.values()))
            return self._refused(smtp, code, reply)
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
            return self._refused(smtp, exc.smtp_code, exc.smtp_error)
        except (TimeoutError, smtplib.SMTPServerDisconnected, OSError) as exc:
            # The server may or may not have taken it: settle by reconciliation.
            self._drop()
            return SendResult.failed(f"connection lost: {type(exc).__name__}", in_doubt=True)
        except smtplib.SMTPException as exc:
            self._drop()
            return SendResult.failed(f"SMTP error: {type(exc).__name__}", in_doubt=True)
        if refused:
            code, reply = next(iter(refused.values()))
            return self._refused(smtp, code, reply)
        return SendResult.sent(message_id=email["Message-ID"], smtp="250")

    def _refused(self, smtp: smtplib.SMTP, code: int, reply: bytes | str) -> SendResult:
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        try:
            smtp.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()
        return SendResult.failed(f"SMTP {code}: {text[:300]}", smtp=str(code))

    def close(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self._smtp.quit()
            self._drop()


class EmailChannel:
    name = "email"

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        *,
        timeout: float = 15.0,
        accept_log: Path | None = None,
    ) -> None:
        self.host, self.port, self.sender, self.timeout = host, port, sender, timeout
        self.accept_log = accept_log

    def open(self) -> SmtpSession:
        return SmtpSession(self)

    def reconcile(self, keys: Sequence[str]) -> set[str] | None:
        if self.accept_log is None:
            return None
        domain = sender_domain(self.sender)
        wanted = {message_id(k, domain): k for k in keys}
        found: set[str] = set()
        try:
            with self.accept_log.open(encoding="utf-8", errors="replace") as handle:
                for line in handle:
                    kind, _, mid = line.strip().partition(" ")
                    if kind == "accepted" and mid in wanted:
                        found.add(wanted[mid])
        except FileNotFoundError:
            return set()  # nothing was ever accepted
        except OSError:
            return None
        return found


def unsubscribe_headers(url: str, mailto: str | None = None) -> dict[str, str]:
    """RFC 2369 + RFC 8058 headers for a one-click unsubscribe URL (HTTPS in production)."""
    targets = [f"<{url}>"]
    if mailto:
        targets.append(f"<mailto:{Address(addr_spec=mailto).addr_spec}?subject=unsubscribe>")
    return {
        "List-Unsubscribe": ", ".join(targets),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
