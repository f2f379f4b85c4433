"""Settings from the environment (prefix ``ALRIM_``), with a SQLite default under ``var/``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from alrim.paths import REPO_ROOT


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ALRIM_", env_file=None, extra="ignore")

    var_dir: Path = Field(default=REPO_ROOT / "var", description="Runtime files (SQLite, keys).")
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL. Default: sqlite:///<var_dir>/alrim.db",
    )
    host: str = Field(default="127.0.0.1", description="Address `alrim serve` binds to.")
    port: int = Field(default=8000, description="Port `alrim serve` listens on.")
    log_level: str = Field(
        default="info", description="Log level of the server (debug, info, warning, error)."
    )
    # Open API
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Origins allowed to call /api from a browser: comma-separated or a JSON "
        "list; `*` allows any. Empty (default): no CORS headers.",
    )
    rate_limit_anonymous: int = Field(
        default=60, description="Requests per window without a key (per client IP)."
    )
    rate_limit_keyed: int = Field(
        default=600, description="Default requests per window per API key."
    )
    rate_limit_window_seconds: int = Field(
        default=60, ge=1, description="Length of the fixed rate-limit window."
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis URL (e.g. redis://127.0.0.1:6379/0) to share rate-limit counters "
        "between workers and servers. Default: counters in each process.",
    )
    api_key_cache_seconds: float = Field(
        default=30.0, ge=0, description="How long a process trusts a looked-up API key."
    )
    preload_eligibility: bool = Field(
        default=False,
        description="Build the eligibility engine in the background when the server starts, "
        "so the first eligibility request does not wait for it (recommended in production).",
    )
    preload_search: bool = Field(
        default=False,
        description="Load the Korean analyser and the search index in the background when the "
        "server starts, so the first search does not wait for them (recommended in production).",
    )
    # Privacy
    encryption_key: str | None = Field(default=None, description="Base64 AES-256 key(s).")
    encryption_key_file: Path | None = Field(
        default=None,
        description="Key file for personal-data encryption "
        "(default <var_dir>/keys.json, created with mode 0600).",
    )
    message_retention_days: int = Field(
        default=90,
        description="Days a delivered message body is kept before the retention purge deletes it.",
    )
    # Notifications
    smtp_host: str = Field(
        default="127.0.0.1", description="SMTP relay for e-mail (notifications, account mail)."
    )
    smtp_port: int = Field(default=8025, description="SMTP relay port.")
    smtp_from: str = Field(
        default="알림 <noreply@alrim.example>", description="From address of every e-mail."
    )
    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="The address people reach the service at "
        "(links in e-mails; Secure cookies when https).",
    )
    smtp_timeout_seconds: float = Field(default=15.0, gt=0, description="SMTP socket timeout.")
    notify_digest_hour: int = Field(
        default=9, ge=0, le=23, description="Hour (KST) at which the daily digest goes out."
    )
    notify_max_attempts: int = Field(
        default=6, ge=1, description="Delivery tries before a message is dead-lettered."
    )
    notify_backoff_seconds: float = Field(
        default=30.0, gt=0, description="First retry delay; doubles per try (with jitter)."
    )
    notify_backoff_cap_seconds: float = Field(
        default=3600.0, gt=0, description="Longest delay between two tries."
    )
    notify_lease_seconds: float = Field(
        default=120.0,
        gt=0,
        description="How long a worker owns claimed messages; a crashed worker's messages "
        "become claimable again after it.",
    )
    notify_batch_size: int = Field(
        default=200, ge=1, description="Messages claimed (and sent in one SMTP session) at once."
    )
    notify_in_doubt: str = Field(
        default="resend",
        description="What to do with a message a crashed worker may have handed over when no "
        "reconciler can tell: `resend` (at-least-once) or `hold` (dead-letter for a person to "
        "check: at-most-once).",
    )
    notify_accept_log: Path | None = Field(
        default=None,
        description="File where the mail relay appends `accepted <Message-ID>` lines; when set, "
        "in-doubt e-mails are reconciled against it (exactly-once).",
    )
    notify_moved_within_days: int = Field(
        default=30, ge=1, description="A move (전입) this recent counts as a life event."
    )
    notify_schedule: str = Field(
        default="",
        description="Overrides of the worker's cron schedule: `job=cron;job=cron` "
        "(jobs: changes, daily, reminders, purge, ingest; `off` disables one).",
    )
    notify_ingest_source: str = Field(
        default="", description="Source the scheduled `ingest` job runs (empty: job off)."
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Timeout of one webhook delivery."
    )
    sms_provider: str = Field(
        default="", description="`solapi` to send SMS/알림톡 through SOLAPI; empty: off."
    )
    solapi_base_url: str = Field(
        default="https://api.solapi.com",
        description="SOLAPI API address (tests point it at a local server).",
    )
    solapi_api_key: str | None = Field(default=None, description="SOLAPI API key.")
    solapi_api_secret: str | None = Field(
        default=None, description="SOLAPI API secret (HMAC signing)."
    )
    sms_sender: str | None = Field(default=None, description="Registered 발신번호.")
    kakao_pf_id: str | None = Field(default=None, description="카카오 채널 pfId (알림톡).")
    kakao_template_id: str | None = Field(default=None, description="알림톡 templateId.")
    # Web pages
    session_secret: str | None = Field(
        default=None,
        description="Signs the visitor's session cookie. Default: a random key kept in "
        "<var_dir>/session_secret (created on first start).",
    )
    session_https_only: bool = Field(
        default=False, description="Send the session cookie over HTTPS only (set in production)."
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                import json

                return json.loads(text)
            return [o.strip() for o in text.split(",") if o.strip()]
        return value

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.var_dir / 'alrim.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
