"""Settings: ``config.yaml`` over built-in defaults, environment variables over both.

Only the flows read configuration; everything below them takes plain arguments. The defaults here
are the values ``config.yaml`` documents (a test keeps the two equal), so edgar13d runs with no
config file at all.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

import yaml

CONFIG_ENV = "EDGAR13D_CONFIG"


class ConfigError(Exception):
    """A configuration value that cannot be used; the message says which and how to fix it."""


@dataclass
class EdgarSettings:
    user_agent: str = ""
    www_url: str = "https://www.sec.gov"
    data_url: str = "https://data.sec.gov"
    efts_url: str = "https://efts.sec.gov"
    max_requests_per_second: float = 10
    block_cooldown_seconds: float = 600
    timeout_seconds: float = 30
    max_retries: int = 5
    rate_limit_url: str = ""


@dataclass
class StorageSettings:
    data_dir: str = "data"
    archive_dir: str = "data/raw"
    database: str = "data/edgar13d.duckdb"
    export_dir: str = "data/export"
    lock_wait_seconds: float = 600


@dataclass
class NightlySettings:
    start_date: dt.date | None = None
    watchlist: list[str] = field(default_factory=list)
    cron: str = "30 6 * * 1-5"
    timezone: str = "America/New_York"


@dataclass
class FlowSettings:
    batch_size: int = 200
    fetch_workers: int = 4
    run_wait_seconds: float = 21600


@dataclass
class AlertSettings:
    urls: list[str] = field(default_factory=list)
    max_items: int = 50


@dataclass
class Settings:
    edgar: EdgarSettings = field(default_factory=EdgarSettings)
    storage: StorageSettings = field(default_factory=StorageSettings)
    nightly: NightlySettings = field(default_factory=NightlySettings)
    flows: FlowSettings = field(default_factory=FlowSettings)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    base_dir: Path = field(default_factory=Path.cwd)

    def path(self, value: str) -> Path:
        """A configured path, relative to the config file's folder unless absolute."""
        p = Path(value).expanduser()
        return p if p.is_absolute() else (self.base_dir / p)

    @property
    def database_path(self) -> Path:
        return self.path(self.storage.database)

    @property
    def archive_path(self) -> Path:
        return self.path(self.storage.archive_dir)

    @property
    def export_path(self) -> Path:
        return self.path(self.storage.export_dir)


def find_config(explicit: str | Path | None = None) -> Path | None:
    """The config file to read: --config, then $EDGAR13D_CONFIG, then ./config.yaml."""
    for candidate in (explicit, os.environ.get(CONFIG_ENV)):
        if candidate:
            if not Path(candidate).is_file():
                raise ConfigError(f"config file {candidate} does not exist")
            return Path(candidate).resolve()
    default = Path("config.yaml")
    return default.resolve() if default.is_file() else None


def load_settings(explicit: str | Path | None = None) -> Settings:
    path = find_config(explicit)
    settings = Settings(base_dir=path.parent if path else Path.cwd())
    if path:
        try:
            raw = yaml.safe_load(path.read_text()) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path} is not valid YAML: {exc}") from exc
        if not isinstance(raw, dict):
            raise ConfigError(f"{path} must be a mapping of sections (edgar:, storage:, ...)")
        for section, values in raw.items():
            target = getattr(settings, section, None)
            if not is_dataclass(target):
                raise ConfigError(f"{path}: unknown section '{section}'")
            _apply(target, values or {}, f"{path}: {section}")
    _apply_env(settings)
    return settings


def _apply(target: Any, values: dict[str, Any], where: str) -> None:
    known = {f.name: f for f in fields(target)}
    for key, value in values.items():
        if key not in known:
            raise ConfigError(f"{where}: unknown key '{key}' (known: {', '.join(known)})")
        setattr(target, key, value)


def _apply_env(settings: Settings) -> None:
    env = os.environ
    if env.get("EDGAR13D_USER_AGENT"):
        settings.edgar.user_agent = env["EDGAR13D_USER_AGENT"]
    if env.get("EDGAR13D_DB"):
        settings.storage.database = env["EDGAR13D_DB"]
    if env.get("EDGAR13D_DATA_DIR"):
        base = env["EDGAR13D_DATA_DIR"]
        settings.storage.data_dir = base
        settings.storage.archive_dir = str(Path(base) / "raw")
        settings.storage.export_dir = str(Path(base) / "export")
        if not env.get("EDGAR13D_DB"):
            settings.storage.database = str(Path(base) / "edgar13d.duckdb")
    if env.get("EDGAR13D_RATE_LIMIT_URL") is not None:
        settings.edgar.rate_limit_url = env["EDGAR13D_RATE_LIMIT_URL"]
    for host in ("www", "data", "efts"):
        value = env.get(f"EDGAR13D_{host.upper()}_URL")
        if value:
            setattr(settings.edgar, f"{host}_url", value)
    shared = str(settings.edgar.rate_limit_url or "").strip()
    if shared and shared.split(":", 1)[0].lower() not in ("machine", "memory", "redis", "rediss", "unix", "valkey",
                                                          "valkeys"):
        raise ConfigError(f"edgar.rate_limit_url is {shared!r}: use redis://host:6379/0 (a Redis or Valkey server "
                          "every machine of the team reaches), or leave it empty for this machine's runs only")
    rate = settings.edgar.max_requests_per_second
    if not 0 < float(rate) <= 10:
        raise ConfigError(
            f"edgar.max_requests_per_second is {rate}: the SEC allows at most 10 a second; set 10 or lower"
        )
