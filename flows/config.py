"""Settings: ``config.yaml`` over built-in defaults, environment variables over both.

Only the flows read configuration; everything below them takes plain arguments. The defaults here
are the values ``config.yaml`` documents (a test keeps the two equal), so edgar13d runs with no
config file at all.

Every value is checked when the settings load, before Prefect spends seconds starting, and every
problem is reported at once, one line each: a typed model (pydantic, which Prefect already installs)
does this with less code and fewer gaps than hand-written checks.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import zoneinfo
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StrictStr,
    ValidationError,
)

CONFIG_ENV = "EDGAR13D_CONFIG"


class ConfigError(Exception):
    """A configuration value that cannot be used; the message says which and how to fix it, one line
    per problem."""


class _Section(BaseModel):
    # Unknown keys are mistakes (a typo would otherwise be ignored in silence); values are checked
    # again when code assigns them.
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


def _http_url(value: str) -> str:
    if urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).netloc:
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value.rstrip("/")


HttpUrl = Annotated[StrictStr, AfterValidator(_http_url)]
Seconds = Annotated[float, Field(gt=0)]


_SHARED_WINDOW_SCHEMES = ("machine", "memory", "redis", "rediss", "unix", "valkey", "valkeys")


def _rate_limit_url(value: str) -> str:
    shared = value.strip()
    if shared and shared.split(":", 1)[0].lower() not in _SHARED_WINDOW_SCHEMES:
        raise ValueError(f"{shared!r} is not a Redis URL: use redis://host:6379/0 (a Redis or Valkey server every "
                         "machine of the team reaches), or leave it empty for this machine's runs only")
    return shared


class EdgarSettings(_Section):
    user_agent: StrictStr = ""
    www_url: HttpUrl = "https://www.sec.gov"
    data_url: HttpUrl = "https://data.sec.gov"
    efts_url: HttpUrl = "https://efts.sec.gov"
    max_requests_per_second: Annotated[float, Field(gt=0, le=10)] = 10
    block_cooldown_seconds: Seconds = 600
    timeout_seconds: Seconds = 30
    max_retries: Annotated[StrictInt, Field(ge=0, le=20)] = 5
    rate_limit_url: Annotated[StrictStr, AfterValidator(_rate_limit_url)] = ""


class StorageSettings(_Section):
    data_dir: StrictStr = "data"
    archive_dir: StrictStr = "data/raw"
    database: StrictStr = "data/edgar13d.duckdb"
    export_dir: StrictStr = "data/export"
    lock_wait_seconds: Seconds = 600


def _yaml_number_as_cusip(value: Any) -> Any:
    """YAML reads an unquoted all-digit CUSIP as a number (and drops a leading zero): take one of a
    CUSIP's lengths back as text, ask for quotes otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        if len(text) in (6, 8, 9):
            return text
        raise ValueError(f"{value} is a number to YAML, not a CUSIP: write it in quotes ('0{value}' if a leading zero was meant)")
    return value


def _cusip(value: str) -> str:
    from crawler.cusip import parse_cusip_query  # the one CUSIP rule, check digit included

    parse_cusip_query(value)
    return value


_CRON_FIELD = re.compile(r"^[\d*/,\-A-Za-z?LW#]+$")


def _cron(value: str) -> str:
    fields = value.split()
    if len(fields) != 5 or not all(_CRON_FIELD.match(f) for f in fields):
        raise ValueError(f"{value!r} is not a five-field cron expression (minute hour day month weekday)")
    return value


def _timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{value!r} is not a time zone name (e.g. America/New_York)") from None
    return value


class NightlySettings(_Section):
    start_date: dt.date | None = None
    watchlist: list[Annotated[StrictStr, BeforeValidator(_yaml_number_as_cusip), AfterValidator(_cusip)]] = Field(
        default_factory=list)
    cron: Annotated[StrictStr, AfterValidator(_cron)] = "30 6 * * 1-5"
    timezone: Annotated[StrictStr, AfterValidator(_timezone)] = "America/New_York"
    retry_runs: Annotated[StrictInt, Field(ge=1, le=100)] = 5
    retry_days: Annotated[float, Field(ge=0)] = 3


class FlowSettings(_Section):
    batch_size: Annotated[StrictInt, Field(ge=1)] = 200
    fetch_workers: Annotated[StrictInt, Field(ge=1, le=16)] = 4
    # Processes that parse during a reparse (the main process loads); 0: one per core.
    parse_workers: Annotated[StrictInt, Field(ge=0, le=64)] = 0
    run_wait_seconds: Seconds = 21600


class AlertSettings(_Section):
    urls: list[StrictStr] = Field(default_factory=list)
    max_items: Annotated[StrictInt, Field(ge=1)] = 50


def _all_schedules() -> list[str]:
    from extractors.schedules import SCHEDULE_NAMES

    return list(SCHEDULE_NAMES)


def _schedule_names(value: Any) -> list[str]:
    """Known schedule names, at least one, normalized ('13g', 'SC 13G' -> '13G'), deduplicated and in
    the specs' order; a comma-separated text is read as a list (``--schedules 13D,13G``)."""
    from extractors.schedules import SCHEDULE_NAMES, schedule_named

    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not items:
        raise ValueError(f"give a list of schedules, e.g. [13D, 13G] or [13D] (known: {', '.join(SCHEDULE_NAMES)})")
    names = {schedule_named(str(item).strip()).name for item in items}  # ValueError names an unknown one
    return [n for n in SCHEDULE_NAMES if n in names]


def check_schedules(value: Any, where: str = "schedules") -> list[str]:
    """``_schedule_names`` for a value from outside the file (the command line): ConfigError if bad."""
    try:
        return _schedule_names(value)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


class Settings(_Section):
    # Which schedules discovery asks EDGAR for and the runs store: 13D (active holders) and 13G
    # (passive holders) by default; one line in config.yaml narrows it (``schedules: [13D]``).
    schedules: Annotated[list[str], BeforeValidator(_schedule_names)] = Field(default_factory=_all_schedules)
    edgar: EdgarSettings = Field(default_factory=EdgarSettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    nightly: NightlySettings = Field(default_factory=NightlySettings)
    flows: FlowSettings = Field(default_factory=FlowSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    base_dir: Path = Field(default_factory=Path.cwd, exclude=True)

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


class _Loader(yaml.SafeLoader):
    """YAML's safe loader without its implicit timestamps: dates stay text until the settings model
    reads them, so '2026-13-01' is reported as a bad start_date, not a crash inside YAML."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_settings(explicit: str | Path | None = None) -> Settings:
    """The settings to run with: the file over the defaults, the environment over both, every value
    checked before anything starts. Raises ConfigError with one line per problem."""
    path = find_config(explicit)
    raw: Any = {}
    if path:
        try:
            raw = yaml.load(path.read_text(), Loader=_Loader) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path} is not valid YAML: {exc}") from exc
        if not isinstance(raw, dict):
            raise ConfigError(f"{path} must be a mapping of sections (edgar:, storage:, ...)")
    where = str(path) if path else "the environment"
    for section, values in raw.items():
        if section in _VALUES:
            continue
        if section not in _SECTIONS:
            raise ConfigError(f"{where}: unknown section '{section}' (known: {', '.join(_SECTIONS)})")
        if values is not None and not isinstance(values, dict):
            raise ConfigError(f"{where}: '{section}' must be a mapping of keys, not {type(values).__name__}")
    merged = {section: values if section in _VALUES else dict(values or {}) for section, values in raw.items()}
    _apply_env(merged)
    try:
        return Settings(**merged, base_dir=path.parent if path else Path.cwd())
    except ValidationError as exc:
        raise ConfigError("\n".join(_problem_lines(where, exc))) from None


# Top-level keys that hold a value, not a section of keys.
_VALUES = ("schedules",)
_SECTIONS = [name for name in Settings.model_fields if name not in ("base_dir", *_VALUES)]

# What a value must be, in the words a user needs (pydantic's own messages name Python types).
_HINTS = {
    ("edgar", "max_requests_per_second"): "a number above 0 and at most 10 (the SEC allows at most 10 a second)",
    ("edgar", "block_cooldown_seconds"): "seconds above 0 (the SEC blocks for at least 600)",
    ("edgar", "timeout_seconds"): "seconds above 0",
    ("edgar", "max_retries"): "a whole number from 0 to 20",
    ("edgar", "user_agent"): 'text: "<Company or Name> <contact email>", in quotes',
    ("flows", "batch_size"): "a whole number of filings, at least 1",
    ("flows", "fetch_workers"): "a whole number from 1 to 16",
    ("flows", "parse_workers"): "a whole number from 0 (one per core) to 64",
    ("nightly", "watchlist"): "a list of CUSIPs, one per line starting with '- '",
    ("nightly", "start_date"): "a date written YYYY-MM-DD",
    ("nightly", "retry_runs"): "a whole number of runs from 1 to 100",
    ("nightly", "retry_days"): "a number of days, 0 or more",
    ("alerts", "urls"): "a list of apprise URLs, one per line starting with '- '",
}


def _problem_lines(where: str, exc: ValidationError) -> list[str]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        key = ".".join(loc)
        if err["type"] == "extra_forbidden":
            section = loc[0] if len(loc) > 1 else None
            known = ", ".join(_section_fields(section)) if section else ""
            out.append(f"{where}: unknown key '{loc[-1]}'" + (f" in {section} (known: {known})" if known else ""))
            continue
        # The hint says what the whole value must be; a problem inside a list names its own reason.
        hint = _HINTS.get(tuple(loc)) if len(loc) == 2 else None  # type: ignore[arg-type]
        given = err.get("input")
        reason = err["msg"].removeprefix("Value error, ")
        out.append(f"{where}: {key} is {given!r}: " + (f"must be {hint}" if hint else reason))
    return out


def _section_fields(section: str) -> list[str]:
    if section in _VALUES:
        return []
    model = Settings.model_fields.get(section)
    return list(model.annotation.model_fields) if model and isinstance(model.annotation, type) else []


def _apply_env(merged: dict[str, dict[str, Any]]) -> None:
    """Environment variables over the file (values as typed; checked with the rest)."""
    env = os.environ
    edgar = merged.setdefault("edgar", {})
    storage = merged.setdefault("storage", {})
    if env.get("EDGAR13D_USER_AGENT"):
        edgar["user_agent"] = env["EDGAR13D_USER_AGENT"]
    if env.get("EDGAR13D_DB"):
        storage["database"] = env["EDGAR13D_DB"]
    if env.get("EDGAR13D_DATA_DIR"):
        base = env["EDGAR13D_DATA_DIR"]
        storage["data_dir"] = base
        storage["archive_dir"] = str(Path(base) / "raw")
        storage["export_dir"] = str(Path(base) / "export")
        if not env.get("EDGAR13D_DB"):
            storage["database"] = str(Path(base) / "edgar13d.duckdb")
    if env.get("EDGAR13D_RATE_LIMIT_URL") is not None:
        edgar["rate_limit_url"] = env["EDGAR13D_RATE_LIMIT_URL"]
    for host in ("www", "data", "efts"):
        value = env.get(f"EDGAR13D_{host.upper()}_URL")
        if value:
            edgar[f"{host}_url"] = value
