"""Settings: config.yaml documents the defaults, the environment overrides it."""

from __future__ import annotations

import pytest
import yaml

from flows.config import ConfigError, Settings, load_settings
from tests.conftest import REPO


def test_config_yaml_documents_exactly_the_built_in_defaults():
    documented = yaml.safe_load((REPO / "config.yaml").read_text())
    defaults = Settings().model_dump()
    assert documented == defaults


def test_paths_are_relative_to_the_config_file(tmp_path):
    cfg = tmp_path / "team.yaml"
    cfg.write_text("storage:\n  database: db/x.duckdb\nedgar:\n  user_agent: Research Desk desk@example.org\n")
    s = load_settings(cfg)
    assert s.database_path == tmp_path / "db" / "x.duckdb"
    assert s.edgar.user_agent == "Research Desk desk@example.org"


def test_environment_overrides_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("EDGAR13D_USER_AGENT", "Jane Analyst jane@example.org")
    monkeypatch.setenv("EDGAR13D_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setenv("EDGAR13D_WWW_URL", "http://127.0.0.1:8080")
    s = load_settings(REPO / "config.yaml")
    assert s.edgar.user_agent == "Jane Analyst jane@example.org"
    assert s.database_path == tmp_path / "d" / "edgar13d.duckdb"
    assert s.archive_path == tmp_path / "d" / "raw"
    assert s.edgar.www_url == "http://127.0.0.1:8080"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("edgar:\n  max_requests_per_second: 25\n", "at most 10"),
        ("edgar:\n  user_agnet: x\n", "unknown key 'user_agnet'"),
        ("warehouse:\n  x: 1\n", "unknown section"),
        ("edgar: [1, 2\n", "not valid YAML"),
    ],
)
def test_bad_config_says_what_to_fix(tmp_path, text, message):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        load_settings(cfg)


def test_missing_explicit_config_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.yaml")


def test_every_bad_value_is_reported_at_once_one_line_each(tmp_path):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(
        "edgar:\n"
        "  user_agent: 12345\n"
        "  max_requests_per_second: ten\n"
        "  block_cooldown_seconds: -5\n"
        "  max_retries: -1\n"
        "nightly:\n"
        "  start_date: 2026-13-01\n"
        "  watchlist: 805423100\n"
        "flows:\n"
        "  batch_size: 0\n"
    )
    with pytest.raises(ConfigError) as err:
        load_settings(cfg)
    lines = str(err.value).splitlines()
    expected = ["edgar.user_agent", "edgar.max_requests_per_second", "edgar.block_cooldown_seconds",
                "edgar.max_retries", "nightly.start_date", "nightly.watchlist", "flows.batch_size"]
    assert len(lines) == len(expected)
    for key, line in zip(expected, lines, strict=True):
        assert line.startswith(f"{cfg}: {key} is ") and " must be " in line, line


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nightly:\n  watchlist: [805423101]\n", "check digit"),
        ("nightly:\n  cron: every night\n", "five-field cron"),
        ("nightly:\n  timezone: Mars/Olympus\n", "not a time zone"),
        ("edgar:\n  www_url: sec.gov\n", "not an http(s) URL"),
        ("flows:\n  fetch_workers: 1000\n", "from 1 to 16"),
        ("edgar: 3\n", "must be a mapping"),
    ],
)
def test_each_kind_of_bad_value_says_what_it_must_be(tmp_path, text, message):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings(cfg)


def test_the_environment_is_checked_like_the_file(monkeypatch):
    monkeypatch.setenv("EDGAR13D_WWW_URL", "127.0.0.1:8080")
    with pytest.raises(ConfigError, match=r"edgar\.www_url"):
        load_settings(REPO / "config.yaml")
def test_schedules_default_to_both_and_one_line_narrows_them(tmp_path):
    assert Settings().schedules == ["13D", "13G"]
    cfg = tmp_path / "c.yaml"
    cfg.write_text("schedules: [13d]\n")
    assert load_settings(cfg).schedules == ["13D"]
    cfg.write_text("schedules: [SC 13G, 13D, 13G]\n")
    assert load_settings(cfg).schedules == ["13D", "13G"]


@pytest.mark.parametrize(("text", "message"), [("schedules: [13F]\n", "unknown schedule '13F'"),
                                                ("schedules: []\n", "give a list of schedules")])
def test_bad_schedules_say_what_to_fix(tmp_path, text, message):
    cfg = tmp_path / "c.yaml"
    cfg.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_settings(cfg)
