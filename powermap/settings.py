"""The one settings object: every knob, read from the environment with the ``POWERMAP_`` prefix."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from powermap.errors import InvalidInputError, clip


class Settings(BaseSettings):
    """Runtime settings. ``POWERMAP_STORE=bolt://…`` switches every command to a Neo4j server."""

    model_config = SettingsConfigDict(env_prefix="POWERMAP_", extra="ignore")

    store: str = Field(default="sqlite:///powermap.db", description="Store URL: sqlite:///file or bolt://, neo4j://")
    neo4j_user: str = Field(default="neo4j", description="Neo4j user, when the URL names none")
    neo4j_password: SecretStr = Field(default=SecretStr(""), description="Neo4j password, when the URL has none")
    neo4j_database: str | None = Field(default=None, description="Neo4j database; the server default if unset")
    sqlite_busy_timeout_s: float = Field(default=30.0, gt=0, description="How long a SQLite writer waits")
    import_batch_size: int = Field(default=5_000, ge=1, description="Rows per UNWIND batch on import")
    actor: str = Field(default="cli", description="Who is recorded as the author of changes")
    # -- history and time (issue 8) --
    history_checkpoint_ratio: float = Field(
        default=1.0, gt=0, description="Keep a checkpoint once the items changed since the last exceed this x map size"
    )
    history_retention_days: int | None = Field(
        default=None,
        ge=1,
        description="`powermap db prune` / `prune-history` drop history older than this many days by default",
    )
    # -- voices (issue 9) --
    voice_overdue_days: int = Field(default=30, ge=0, description="An open pain older than this many days is overdue")
    today: dt.date | None = Field(
        default=None, description="The day voice ages are counted to (YYYY-MM-DD); unset means the real today"
    )
    # -- the map (viz) --
    map_overview_above: int = Field(
        default=5_000, ge=1, description="Above this many stakeholders `powermap map` draws an overview"
    )
    map_overview_size: int = Field(default=2_000, ge=1, description="Stakeholders an overview map draws")
    # -- analyses (issue 8) --
    fading_after_days: int = Field(
        default=90, ge=1, description="A relationship untouched for longer than this many days is fading"
    )

    # -- the HTTP API (`powermap serve`) ------------------------------------------------------------
    host: str = Field(default="127.0.0.1", description="Address `powermap serve` binds to")
    port: int = Field(default=8000, ge=0, le=65_535, description="Port `powermap serve` listens on")
    auth: bool = Field(default=True, description="Require an API key; may be turned off only on a loopback address")
    max_body_bytes: int = Field(default=10_000_000, ge=1, description="Larger request bodies get 413 unread")
    page_limit: int = Field(default=100, ge=1, description="Items per page when a list request names no limit")
    max_page_limit: int = Field(default=1_000, ge=1, description="Most items one page may hold")
    body_timeout_s: float = Field(
        default=30.0, gt=0, description="Longest wait for the next piece of a request body before 408"
    )
    keep_alive_s: float = Field(default=5.0, gt=0, description="Idle keep-alive connections close after this")
    max_connections: int = Field(default=256, ge=1, description="Connections beyond this get 503 at once")
    workers_threads: int = Field(default=40, ge=1, description="Threads serving blocking store calls")
    cache_maps: int = Field(default=16, ge=1, description="Account maps (with graphs, analyses) kept per process")
    key_cache_s: float = Field(
        default=2.0, ge=0, description="How long a verified key is trusted before the store is asked again"
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings from the environment; a bad value is refused naming its variable (exit 2, not a crash)."""
    try:
        return Settings()
    except ValidationError as error:
        problems = [
            f"POWERMAP_{'_'.join(str(part) for part in problem['loc']).upper()}: {problem['msg']} "
            f"(got {clip(problem.get('input'))})"
            for problem in error.errors()
        ]
        raise InvalidInputError("bad setting: " + "; ".join(problems)) from None
