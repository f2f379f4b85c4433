"""Account use cases: sign-up (with e-mail verification), login, password reset, deletion,
staff accounts. No HTTP types here; the web routes and the CLI call these.

No message tells whether an e-mail address is registered: sign-up always answers "check
your mail" (a registered address gets a notice instead of a verification link), reset always
answers "if the address is registered, we sent a link", and login failures share one message.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select

from alrim.accounts import passwords, ratelimit, tokens
from alrim.accounts.identity import (
    decrypt_email,
    email_index,
    email_indexes,
    encrypt_email,
    is_valid_email,
    normalize_email,
)
from alrim.accounts.mail import send_template
from alrim.privacy import consent
from alrim.privacy.crypto import Keyring
from alrim.privacy.erasure import erase_person
from alrim.privacy.keys import keyring
from alrim.privacy.transaction import Bind, unit_of_work
from alrim.privacy.wording import purposes, wording_for
from alrim.settings import Settings
from alrim.store.accounts_tables import AccountRow
from alrim.store.base import utcnow

ROLES = ("citizen", "staff", "admin")
PENDING_LIFETIME = timedelta(days=7)
MAX_RESET_MAILS = 3  # per account per `tokens.RECENT`


class AccountError(Exception):
    """A request that cannot be done as asked; `message` is Korean, for the person."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class LoginFailed(AccountError):
    pass


LOGIN_FAILED = "이메일 주소나 비밀번호가 맞지 않아요. 다시 확인해 주세요."
LOGIN_LOCKED = "로그인에 여러 번 실패해서 잠시 막았어요. 15분 뒤에 다시 해 주세요."
LOGIN_UNVERIFIED = (
    "아직 이메일 인증을 마치지 않았어요. 방금 인증 메일을 다시 보냈으니 메일의 링크를 열어 주세요."
)


@dataclass(frozen=True)
class Account:
    id: str
    email: str
    role: str
    status: str
    created_at: datetime
    verified_at: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "email": self.email,
            "role": self.role,
            "status": self.status,
            "created_at": self.created_at.isoformat(),
            "verified_at": self.verified_at.isoformat() if self.verified_at else None,
        }


def to_account(ring: Keyring, row: AccountRow) -> Account:
    return Account(
        id=row.id,
        email=decrypt_email(ring, row.id, row.email_enc),
        role=row.role,
        status=row.status,
        created_at=row.created_at,
        verified_at=row.verified_at,
    )


def _find_row(bind: Bind, ring: Keyring, email: str) -> AccountRow | None:
    with unit_of_work(bind) as session:
        return session.scalars(
            select(AccountRow).where(AccountRow.email_index.in_(email_indexes(ring, email)))
        ).first()


def get_account(bind: Bind, account_id: str) -> Account | None:
    """The person's own account (for their pages). Staff must use `alrim.accounts.staff`."""
    with unit_of_work(bind) as session:
        row = session.get(AccountRow, account_id)
        return to_account(keyring(), row) if row is not None else None


def email_addresses(bind: Bind, account_ids: Iterable[str]) -> dict[str, str]:
    """Decrypted addresses of the given *active* accounts (for sending notifications)."""
    ids = list(dict.fromkeys(account_ids))
    ring = keyring()
    out: dict[str, str] = {}
    with unit_of_work(bind) as session:
        for start in range(0, len(ids), 1000):
            rows = session.execute(
                select(AccountRow.id, AccountRow.email_enc).where(
                    AccountRow.id.in_(ids[start : start + 1000]), AccountRow.status == "active"
                )
            ).all()
            for account_id, token in rows:
                out[account_id] = decrypt_email(ring, account_id, token)
    return out


def _link(settings: Settings, path: str) -> str:
    return settings.public_base_url.rstrip("/") + path


def _check_email(email: str) -> str:
    email = normalize_email(email)
    if not is_valid_email(email):
        raise AccountError("이메일 주소 형식이 맞지 않아요. 예: hong@example.com", "email")
    return email


def sign_up(
    engine: Engine,
    settings: Settings,
    email: str,
    password: str,
    consents: Iterable[str],
    *,
    now: datetime | None = None,
) -> None:
    """Start a sign-up. Validation problems raise `AccountError`; otherwise the outcome looks
    the same whether or not the address was registered (the mail differs)."""
    now = now or utcnow()
    email = _check_email(email)
    problem = passwords.password_problem(password, email)
    if problem:
        raise AccountError(problem, "password")
    chosen = set(consents)
    for purpose in chosen:
        wording_for(purpose)  # unknown purposes are a programming error
    if "account" not in chosen:
        raise AccountError("필수 항목인 개인정보 수집·이용에 동의해야 가입할 수 있어요.", "consent")
    ring = keyring()
    password_hash = passwords.hash_password(password)
    with unit_of_work(engine) as session:
        row = _find_row(session, ring, email)
        if row is not None and row.status == "active":
            mail: tuple[str, dict[str, str]] = (
                "already_registered",
                {
                    "login_link": _link(settings, "/account/login"),
                    "reset_link": _link(settings, "/account/reset"),
                },
            )
        else:
            if row is None:
                row = AccountRow(
                    id=secrets.token_hex(16),
                    email_index=email_index(ring, email),
                    role="citizen",
                    status="pending",
                    password_hash=password_hash,
                    created_at=now,
                    password_changed_at=now,
                )
                row.email_enc = encrypt_email(ring, row.id, email)
                session.add(row)
                session.flush()
            # A repeated sign-up of a pending address: the latest password and consents win.
            row.password_hash = password_hash
            row.password_changed_at = now
            for purpose in (p for p in purposes() if p in chosen):
                consent.record(session, row.id, purpose, True, source="signup", at=now)
            token = tokens.issue(session, row.id, "verify", now)
            mail = ("verify", {"link": _link(settings, f"/account/verify?token={token}")})
    kind, context = mail
    send_template(settings, email, kind, **context)


def verify_email(engine: Engine, token: str, *, now: datetime | None = None) -> bool:
    """Activate the account the token was sent for (single use)."""
    now = now or utcnow()
    with unit_of_work(engine) as session:
        account_id = tokens.consume(session, token, "verify", now)
        if account_id is None:
            return False
        row = session.get(AccountRow, account_id)
        if row is None:
            return False
        if row.status != "active":
            row.status = "active"
            row.verified_at = now
        return True


def authenticate(
    engine: Engine,
    settings: Settings,
    email: str,
    password: str,
    *,
    client: str | None = None,
    now: datetime | None = None,
) -> Account:
    """The account for these credentials, or `LoginFailed` (one message for every cause)."""
    now = now or utcnow()
    ring = keyring()
    email = normalize_email(email)
    keys = {"email": ratelimit.email_key(ring, email)}
    if client:
        keys["client"] = ratelimit.client_key(ring, client)
    with unit_of_work(engine) as session:
        if ratelimit.is_locked(session, keys, now):
            raise LoginFailed(LOGIN_LOCKED)
        row = _find_row(session, ring, email)
        ok = passwords.verify_password(row.password_hash if row else None, password)
        if row is None or not ok:
            ratelimit.record_failure(session, keys, now)
            session.commit()
            raise LoginFailed(LOGIN_FAILED)
        ratelimit.clear(session, keys["email"])
        if passwords.needs_rehash(row.password_hash):
            row.password_hash = passwords.hash_password(password)
        if row.status != "active":
            token = tokens.issue(session, row.id, "verify", now)
            session.commit()
            link = _link(settings, f"/account/verify?token={token}")
            send_template(settings, email, "verify", link=link)
            raise LoginFailed(LOGIN_UNVERIFIED)
        return to_account(ring, row)


def request_password_reset(
    engine: Engine, settings: Settings, email: str, *, now: datetime | None = None
) -> None:
    """Mail a reset link when the address is registered; silently nothing otherwise."""
    now = now or utcnow()
    email = normalize_email(email)
    if not is_valid_email(email):
        raise AccountError("이메일 주소 형식이 맞지 않아요. 예: hong@example.com", "email")
    with unit_of_work(engine) as session:
        row = _find_row(session, keyring(), email)
        if row is None or tokens.recent_count(session, row.id, "reset", now) >= MAX_RESET_MAILS:
            return  # unknown address, or enough links sent lately: nothing (and nothing told)
        token = tokens.issue(session, row.id, "reset", now)
        session.commit()
        send_template(
            settings, email, "reset", link=_link(settings, f"/account/reset/confirm?token={token}")
        )


def reset_token_is_valid(engine: Engine, token: str, *, now: datetime | None = None) -> bool:
    with unit_of_work(engine) as session:
        return tokens.peek(session, token, "reset", now or utcnow()) is not None


def reset_password(
    engine: Engine, token: str, new_password: str, *, now: datetime | None = None
) -> str:
    """Set a new password with a reset token (single use, 1 h). Ends every session of the
    account and, since the mail reached its owner, completes a pending verification."""
    now = now or utcnow()
    with unit_of_work(engine) as session:
        account_id = tokens.peek(session, token, "reset", now)
        row = session.get(AccountRow, account_id) if account_id else None
        if row is None:
            raise AccountError(
                "링크가 만료됐거나 이미 쓰였어요. 비밀번호 재설정을 다시 요청해 주세요.", "token"
            )
        problem = passwords.password_problem(new_password, to_account(keyring(), row).email)
        if problem:
            raise AccountError(problem, "password")
        if tokens.consume(session, token, "reset", now) is None:
            raise AccountError(
                "링크가 이미 쓰였어요. 비밀번호 재설정을 다시 요청해 주세요.", "token"
            )
        row.password_hash = passwords.hash_password(new_password)
        row.password_changed_at = now
        if row.status != "active":
            row.status = "active"
            row.verified_at = now
        from alrim.accounts import sessions

        sessions.revoke_all(session, row.id)
        return row.id


def check_password(engine: Engine, account_id: str, password: str) -> bool:
    with unit_of_work(engine) as session:
        row = session.get(AccountRow, account_id)
        return passwords.verify_password(row.password_hash if row else None, password)


def delete_account(engine: Engine, account_id: str, password: str) -> dict[str, int]:
    """Erase the account and everything held about the person, after re-checking the
    password. Returns the counts of deleted rows per table."""
    if not check_password(engine, account_id, password):
        raise AccountError("비밀번호가 맞지 않아요.", "password")
    return erase_person(engine, account_id)


def create_staff(
    engine: Engine, email: str, password: str | None, role: str, *, now: datetime | None = None
) -> tuple[Account, bool]:
    """Create an active staff/admin account, or change the role (and password if given) of
    an existing one. Returns (account, created)."""
    if role not in ROLES:
        raise AccountError(f"역할은 {', '.join(ROLES)} 중 하나여야 해요.", "role")
    now = now or utcnow()
    email = _check_email(email)
    ring = keyring()
    if password is not None:
        problem = passwords.password_problem(password, email)
        if problem:
            raise AccountError(problem, "password")
    with unit_of_work(engine) as session:
        row = _find_row(session, ring, email)
        created = row is None
        if row is None:
            if password is None:
                raise AccountError("새 계정에는 비밀번호가 필요해요.", "password")
            row = AccountRow(
                id=secrets.token_hex(16),
                email_index=email_index(ring, email),
                role=role,
                status="active",
                password_hash=passwords.hash_password(password),
                created_at=now,
                verified_at=now,
                password_changed_at=now,
            )
            row.email_enc = encrypt_email(ring, row.id, email)
            session.add(row)
            session.flush()
            consent.record(session, row.id, "account", True, source="staff", at=now)
        row.role = role
        if password is not None:
            row.password_hash = passwords.hash_password(password)
            row.password_changed_at = now
        if row.status != "active":
            row.status = "active"
            row.verified_at = now
        session.flush()
        return to_account(ring, row), created
