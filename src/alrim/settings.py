"""Settings from the environment (prefix ``ALRIM_``), with a SQLite default under ``var/``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from alrim.paths import REPO_ROOT


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ALRIM_", env_file=None, extra="ignore")

    var_dir: Path = Field(default=REPO_ROOT / "var", description="Runtime files (SQLite, keys).")
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL. Default: sqlite:///<var_dir>/alrim.db",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "info"
    # Open API
    cors_origins: list[str] = Field(default_factory=list)
    rate_limit_anonymous: int = Field(default=60, description="Requests per minute without a key.")
    rate_limit_keyed: int = Field(default=600, description="Default requests per minute per key.")
    # Privacy
    encryption_key: str | None = Field(default=None, description="Base64 AES-256 key(s).")
    encryption_key_file: Path | None = None
    message_retention_days: int = 90
    # Notifications
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    smtp_from: str = "알림 <noreply@alrim.example>"
    public_base_url: str = "http://127.0.0.1:8000"

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.var_dir / 'alrim.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
