"""Settings: config.yaml documents the defaults, the environment overrides it."""

from __future__ import annotations

from dataclasses import asdict

import pytest
import yaml

from flows.config import ConfigError, Settings, load_settings
from tests.conftest import REPO


def test_config_yaml_documents_exactly_the_built_in_defaults():
    documented = yaml.safe_load((REPO / "config.yaml").read_text())
    defaults = asdict(Settings())
    defaults.pop("base_dir")
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
