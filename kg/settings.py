"""Configuration in one place: env vars YINGJI_*, an optional TOML file, and --data-dir.

Nothing is read at import time; call `load_settings()` where a command starts.
"""
from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict, TomlConfigSettingsSource


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="YINGJI_", extra="ignore")

    data_dir: Path = Path("data")
    # Production: a Neo4j 5 server. When unset, yingji runs its own ArcadeDB server per data dir.
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    neo4j_database: str = "neo4j"
    # How long a transient graph error (deadlock, conflict, a server restarting) is retried,
    # and how long connecting may take; a server that is not running fails at once.
    graph_retry_seconds: float = 30.0
    graph_connect_timeout: float = 5.0
    arcadedb_heap: str = "1g"
    arcadedb_database: str = "yingji"
    # Where the converted sentence-transformers model lives; default under the data dir.
    model_dir: Path | None = None
    # Alias tables (organisations, incident types) users extend; see corpus/taxonomy.
    taxonomy_dir: Path = Path("corpus/taxonomy")
    log_level: str = "WARNING"
    # API: key→role file (TOML; default <data_dir>/api_keys.toml) and the upload size limit.
    api_keys: Path | None = None
    upload_max_mb: float = 20.0
    # Ingest refuses a file larger than this (MB), alone, so one huge file cannot hold the rest.
    max_file_mb: float = 50.0
    # A DOCX/XLSX (zip) may decompress to at most this (MB): zip bombs are refused unread.
    max_unzipped_mb: float = 50.0
    audit_log: Path | None = None  # default <data_dir>/logs/audit.jsonl
    # API: questions computed at once per process (0: one per CPU core); more wait their turn.
    ask_concurrency: int = 0
    # The chat page and the API load the model and indexes in the background when they start,
    # so the duty desk's first question does not wait for them (off in the test suite).
    warm_up: bool = True

    @property
    def embedding_model_dir(self) -> Path:
        return self.model_dir or (self.data_dir / "models" / "multilingual-e5-small")

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def api_keys_file(self) -> Path:
        return self.api_keys or (self.data_dir / "api_keys.toml")

    @property
    def audit_log_file(self) -> Path:
        return self.audit_log or (self.data_dir / "logs" / "audit.jsonl")

    @property
    def server_dir(self) -> Path:
        return self.data_dir / "arcadedb"


def load_settings(data_dir: str | os.PathLike[str] | None = None,
                  toml_file: str | os.PathLike[str] | None = None) -> Settings:
    """Env and optional TOML (YINGJI_CONFIG or ./yingji.toml), then an explicit --data-dir."""
    toml_path = Path(toml_file or os.environ.get("YINGJI_CONFIG", "yingji.toml"))

    class _Settings(Settings):
        @classmethod
        def settings_customise_sources(cls, settings_cls, init_settings, env_settings,
                                       dotenv_settings, file_secret_settings):
            sources = [init_settings, env_settings]
            if toml_path.is_file():
                sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_path))
            return tuple(sources)

    overrides = {"data_dir": Path(data_dir)} if data_dir is not None else {}
    s = _Settings(**overrides)
    return Settings.model_validate(s.model_dump())
