"""Settings: one validated object, read from ``SERVICENET_*`` environment variables or given in code."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MEMORY = "memory"


class Backend(StrEnum):
    OXIGRAPH = "oxigraph"
    REMOTE = "remote"


class RemoteEngine(StrEnum):
    """Which engine a remote backend is, for what the protocol leaves to it (``store.remote``)."""

    GENERIC = "generic"
    OXIGRAPH = "oxigraph"
    VIRTUOSO = "virtuoso"


class RemoteAuth(StrEnum):
    BASIC = "basic"
    DIGEST = "digest"  # Virtuoso's /sparql-auth


class Settings(BaseSettings):
    """Everything a deployment can set. Tests build their own instance; nothing is read at import."""

    model_config = SettingsConfigDict(env_prefix="SERVICENET_", extra="ignore")

    store: str = Field(
        default="./data/store",
        description="Directory of the on-disk store, or 'memory' for an in-memory store.",
    )
    backend: Backend = Backend.OXIGRAPH
    remote_query_url: str | None = Field(default=None, description="SPARQL Query endpoint.")
    remote_update_url: str | None = Field(default=None, description="SPARQL Update endpoint.")
    remote_graph_store_url: str | None = Field(
        default=None, description="Graph Store Protocol endpoint (optional)."
    )
    remote_engine: RemoteEngine = Field(
        default=RemoteEngine.GENERIC,
        description="The engine behind the URLs: its timeout parameter and result quirks.",
    )
    remote_user: str | None = Field(default=None, description="User for the engine's HTTP auth.")
    remote_password: SecretStr | None = None
    remote_auth: RemoteAuth = Field(default=RemoteAuth.BASIC, description="basic or digest.")
    remote_token: SecretStr | None = Field(
        default=None, description="Bearer token sent to the engine (instead of a user)."
    )
    remote_timeout: float = Field(
        default=60.0,
        gt=0,
        le=3600,
        description="HTTP deadline, seconds, of every engine request but queries (reads, counts, "
        "writes); queries get query_timeout plus remote_grace.",
    )
    remote_grace: float = Field(
        default=2.0,
        ge=0,
        le=600,
        description="Seconds past query_timeout a query's HTTP deadline waits for the engine's "
        "own timeout answer.",
    )
    remote_startup_wait: float = Field(
        default=30.0, ge=0, le=3600, description="Seconds start-up waits for the engine to answer."
    )

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    query_timeout: float = Field(default=30.0, gt=0, le=3600, description="Seconds per query.")
    result_limit: int = Field(default=100_000, gt=0, description="Maximum rows or triples.")
    result_max_bytes: int = Field(default=256 * 1024 * 1024, gt=0, description="Result bytes.")
    max_query_length: int = Field(default=100_000, gt=0, description="Characters per query.")
    max_nesting_depth: int = Field(default=64, gt=0, le=1000)
    service_allowlist: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="SERVICE endpoints queries may reach (comma-separated)."
    )
    workers: int = Field(default=2, ge=1, le=64, description="Worker processes for queries.")
    worker_memory_mb: int = Field(default=2048, ge=128)
    warm_answers: bool = Field(
        default=True,
        description="After each change of the data, the query workers read the planning answers' "
        "facts in the background, so the first named query does not pay for it.",
    )
    access_log: bool = Field(
        default=True, description="One log line per request (off behind a proxy that logs)."
    )

    map_tile_url: str | None = Field(
        default=None,
        description="Background tiles of the web page's maps, an XYZ URL template such as "
        "https://tile.example.org/{z}/{x}/{y}.png (default none: a plain background, offline).",
    )

    max_upload_bytes: int = Field(default=50 * 1024 * 1024, gt=0)
    tokens_file: Path | None = None
    load_examples: bool = True

    vocab_dir: Path | None = Field(
        default=None,
        description="Directory holding ontology/, shapes/ and examples/ (default: the project's).",
    )
    publish_shapes: Annotated[list[Path] | None, NoDecode] = Field(
        default=None,
        description="SHACL files uploads are validated against (comma-separated; default: "
        "shapes/*.ttl of vocab_dir).",
    )
    publish_context: Annotated[list[Path] | None, NoDecode] = Field(
        default=None,
        description="Files read as context by that validation, never validated (comma-separated; "
        "empty for none; default: the ontology, code lists, alignments and catalogue).",
    )

    @field_validator("store")
    @classmethod
    def _store_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("store must be a directory path or 'memory'")
        return value

    @field_validator(
        "remote_query_url", "remote_update_url", "remote_graph_store_url", "map_tile_url"
    )
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL")
        return value

    @field_validator("service_allowlist", "publish_shapes", "publish_context", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @property
    def in_memory(self) -> bool:
        return self.store == MEMORY

    @property
    def store_path(self) -> Path | None:
        return None if self.in_memory else Path(self.store)
