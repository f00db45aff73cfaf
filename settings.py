"""The one settings object, read from the environment (and an optional `.env` file).

No configuration at all is a valid configuration: the embedded default, with a SQLite file,
the embedded search backend and tasks run in-process. Naming `DATABASE_URL`,
`ELASTICSEARCH_URL` and `REDIS_URL` turns on the distributed stack.

Invalid values stop the start-up with a message that names the variable and says what is
wrong (`SettingsError`), never a bare traceback.
"""

from __future__ import annotations

import re
import secrets
from enum import StrEnum
from pathlib import Path

from pydantic import AnyUrl, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent
INSTANCE_DIR = PROJECT_ROOT / "instance"
DEVELOPMENT_SITE_URL = "http://localhost:5000"


class Environment(StrEnum):
    development = "development"
    test = "test"
    production = "production"


class SettingsError(Exception):
    """Raised when the environment holds settings the site cannot start with."""


class Settings(BaseSettings):
    """Every setting of the site; each field is an environment variable of the same name."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=True)

    CLASSIFIEDS_ENV: Environment = Environment.development
    SECRET_KEY: str = ""
    DATABASE_URL: str = f"sqlite:///{INSTANCE_DIR / 'classifieds.db'}"
    # One node's address, or several separated by commas: the nodes of a cluster, which the
    # client takes turns with and fails over between (search.index).
    ELASTICSEARCH_URL: str | None = None
    ELASTICSEARCH_INDEX: str = Field("listings", pattern=r"^[a-z0-9][a-z0-9_-]*$")
    # Copies of each shard besides the primary. 0 on one node (a replica has nowhere to go and
    # would leave the index yellow); 1 or more on a cluster (docs/SCALING.md).
    ELASTICSEARCH_REPLICAS: int = Field(0, ge=0, le=5)
    REDIS_URL: AnyUrl | None = None
    # Finished answers of repeated searches each process keeps while the index is unchanged,
    # and shares with the others through Redis for the minute (search.answers; needs Redis
    # and Elasticsearch). 0 turns reuse off.
    SEARCH_ANSWERS: int = Field(500, ge=0, le=100_000)
    TASKS_EAGER: bool = False  # run tasks in-process even with a broker (tests, debugging)
    MEDIA_ROOT: Path = INSTANCE_DIR / "media"
    SMTP_HOST: str = ""  # empty: mail is written to the log instead of sent
    SMTP_PORT: int = Field(25, ge=1, le=65535)
    SMTP_USER: str = ""
    SMTP_PASSWORD: str = ""
    SMTP_STARTTLS: bool = False
    MAIL_FROM: str = "Classifieds <no-reply@classifieds.local>"
    MAIL_ENABLED: bool = True
    MAIL_MAX_ATTEMPTS: int = Field(10, ge=1, le=50)  # tries before a mail is marked failed
    MAIL_RETENTION_DAYS: int = Field(30, ge=1, le=3650)  # finished mail is kept this long
    SITE_URL: str = ""  # required in production; DEVELOPMENT_SITE_URL elsewhere
    LISTING_TTL_DAYS: int = Field(30, ge=1, le=365)
    LISTING_EXPIRY_WARNING_DAYS: int = Field(3, ge=0, le=60)
    LISTINGS_PER_DAY: int = Field(20, ge=1, le=10_000)
    MAX_PHOTOS_PER_LISTING: int = Field(10, ge=0, le=50)
    MAX_UPLOAD_MB: int = Field(10, ge=1, le=100)
    PASSWORD_RESET_MAX_AGE_MINUTES: int = Field(60, ge=5, le=24 * 60)
    LOGIN_RATE_LIMIT: str = "10 per 15 minutes"
    RESET_RATE_LIMIT: str = "5 per hour"
    REGISTER_RATE_LIMIT: str = "10 per hour"
    MESSAGE_RATE_LIMIT: str = "30 per hour"  # messages one person may send, to anyone
    # How many reverse proxies in front of the site set X-Forwarded-For/-Proto; 0 = none.
    # Without it, behind a proxy every client shares the proxy's address (and rate limits).
    TRUSTED_PROXIES: int = Field(0, ge=0, le=5)
    # Outbox entries already carried to the index are kept this long (for inspection), then
    # pruned hourly.
    OUTBOX_RETENTION_DAYS: int = Field(7, ge=1, le=365)
    RATELIMIT_KEY_PREFIX: str = "classifieds"  # keeps counters apart on a shared Redis

    @field_validator("DATABASE_URL")
    @classmethod
    def _known_database(cls, value: str) -> str:
        scheme = value.split(":", 1)[0]
        if scheme.startswith("postgres"):
            # Heroku-style URLs name no driver; we speak to PostgreSQL through psycopg 3.
            return "postgresql+psycopg:" + value.split(":", 1)[1]
        if scheme.startswith("sqlite"):
            return value
        raise ValueError("must be a postgresql:// or sqlite:// URL")

    @field_validator("REDIS_URL")
    @classmethod
    def _redis_scheme(cls, value: AnyUrl | None) -> AnyUrl | None:
        if value is not None and value.scheme not in ("redis", "rediss"):
            raise ValueError("must be a redis:// or rediss:// URL")
        return value

    @field_validator("ELASTICSEARCH_URL")
    @classmethod
    def _http_nodes(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.strip():
            raise ValueError("is empty: leave it unset for the embedded search backend")
        return ",".join(_http_url(part.strip()) for part in value.split(","))

    @field_validator("SITE_URL")
    @classmethod
    def _site_address(cls, value: str) -> str:
        if value and not re.fullmatch(r"https?://[^/\s]+(/\S*)?", value):
            raise ValueError("must be an http:// or https:// address, like https://example.com")
        return value

    @model_validator(mode="after")
    def _secret_key(self) -> Settings:
        if self.SECRET_KEY:
            if len(self.SECRET_KEY) < 16:
                raise ValueError("SECRET_KEY must be at least 16 characters long")
        elif self.CLASSIFIEDS_ENV is Environment.production:
            raise ValueError("SECRET_KEY must be set when CLASSIFIEDS_ENV=production")
        else:
            self.SECRET_KEY = _development_secret_key()
        return self

    @model_validator(mode="after")
    def _production_mail(self) -> Settings:
        # Without a mail server, mail is only logged: fine for a developer, a leak of reset
        # links (and a silent failure) in production.
        if self.is_production and self.MAIL_ENABLED and not self.SMTP_HOST:
            raise ValueError("SMTP_HOST must be set when CLASSIFIEDS_ENV=production")
        return self

    @model_validator(mode="after")
    def _site_url(self) -> Settings:
        # Links in mail are built on SITE_URL (never on a request's Host header); in production
        # a default would send every recipient to localhost.
        if not self.SITE_URL:
            if self.is_production:
                raise ValueError(
                    "SITE_URL must be set when CLASSIFIEDS_ENV=production "
                    "(the site's public address, used in links in mail)"
                )
            self.SITE_URL = DEVELOPMENT_SITE_URL
        return self

    @property
    def is_production(self) -> bool:
        return self.CLASSIFIEDS_ENV is Environment.production

    @property
    def uses_sqlite(self) -> bool:
        return self.DATABASE_URL.startswith("sqlite")

    @property
    def elasticsearch_nodes(self) -> list[str]:
        """The addresses named by ELASTICSEARCH_URL (none on the embedded backend)."""
        return self.ELASTICSEARCH_URL.split(",") if self.ELASTICSEARCH_URL else []

    @property
    def elasticsearch_shown(self) -> str:
        """The nodes as messages may show them: without user names and passwords."""
        return ", ".join(re.sub(r"//[^/@]*@", "//", node) for node in self.elasticsearch_nodes)

    @property
    def tasks_in_process(self) -> bool:
        """Without a broker there is no worker: tasks run inside the request that sends them."""
        return self.REDIS_URL is None or self.TASKS_EAGER


def _http_url(text: str) -> str:
    try:
        url = AnyUrl(text)
    except ValidationError:
        url = None
    if url is None or url.scheme not in ("http", "https") or not url.host:
        # The address is not repeated: it may carry a password (see _SECRET_FIELDS).
        raise ValueError("must be an http:// or https:// URL, or several separated by commas")
    return str(url)


def _development_secret_key() -> str:
    """A random key kept in the instance folder, so sessions survive restarts in development."""
    path = INSTANCE_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        path.write_text(key)
        path.chmod(0o600)
        return key


def load_settings(**overrides: object) -> Settings:
    """Read and validate the settings; `overrides` win over the environment (used by tests)."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        raise SettingsError(_explain(exc)) from None


_SECRET_FIELDS = {"SECRET_KEY", "SMTP_PASSWORD", "DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL"}


def _explain(exc: ValidationError) -> str:
    lines = ["The site cannot start: its configuration is invalid."]
    for error in exc.errors():
        name = ".".join(str(part) for part in error["loc"]) or "settings"
        message = error["msg"].removeprefix("Value error, ")
        hidden = name == "settings" or name in _SECRET_FIELDS
        shown = "" if hidden else f" (got {error.get('input')!r})"
        lines.append(f"  - {name}: {message}{shown}")
    lines.append("Fix the environment variables (or .env) named above and start again.")
    return "\n".join(lines)
