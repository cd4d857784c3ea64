"""The first five minutes, as a new user meets them: the README's set-up line, no network, an old
database, and ``make run`` called again and again."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from crawler.client import (
    AGENT_HELP,
    ClientSettings,
    EdgarClient,
    Unreachable,
    check_user_agent,
    unreachable_reason,
)
from crawler.ratelimit import RateLimiter
from tests.conftest import REPO
from tests.edgar_world import CUSIP, world_fixtures
from tests.local_edgar import LocalEdgar
from warehouse import migrate

GIT_IDENTITY = 'export EDGAR13D_USER_AGENT="$(git config user.name) $(git config user.email)"'


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EDGAR13D_", "PREFECT_"))}
    env.update(PYTHONPATH=str(REPO), **extra)
    return env


def edgar13d(*args: str, cwd: Path, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=cwd, env=_env(**env),
                          capture_output=True, text=True, timeout=timeout)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the User-Agent ------------------------------------------------------------------------------


def test_the_readme_set_up_line_declares_who_you_are_when_copied(tmp_path):
    readme = (REPO / "README.md").read_text()
    setup = re.search(r'^(EDGAR13D_USER_AGENT="[^"]*") make run', readme, re.M)
    assert setup, "the README's set-up command sets EDGAR13D_USER_AGENT for make run"
    (tmp_path / ".gitconfig").write_text("[user]\n\tname = Maria Okafor\n\temail = maria.okafor@pressdesk.net\n")
    shell = subprocess.run(["bash", "-c", f'{setup.group(1)}; printf %s "$EDGAR13D_USER_AGENT"'],
                           env={"HOME": str(tmp_path), "PATH": os.environ["PATH"]},
                           capture_output=True, text=True, check=True)
    assert shell.stdout == "Maria Okafor maria.okafor@pressdesk.net"
    assert check_user_agent(shell.stdout) is None


def test_a_placeholder_agent_is_refused_with_exactly_what_to_type(tmp_path):
    done = edgar13d("nightly", cwd=tmp_path, EDGAR13D_USER_AGENT="Jane Analyst jane@example.org")
    assert done.returncode == 2
    assert "'Jane Analyst jane@example.org' looks like a placeholder" in done.stderr
    assert GIT_IDENTITY in done.stderr and GIT_IDENTITY in AGENT_HELP
    assert "Traceback" not in done.stderr


# --- no network ----------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["dns", "refused"])
def test_nightly_without_a_network_ends_at_once_with_the_advice(tmp_path, where):
    url = "http://edgar13d-test.invalid" if where == "dns" else f"http://127.0.0.1:{closed_port()}"
    started = time.monotonic()
    done = edgar13d("nightly", cwd=tmp_path, EDGAR13D_WWW_URL=url, EDGAR13D_DATA_DIR=str(tmp_path / "d"),
                    EDGAR13D_USER_AGENT="edgar13d tests ci@edgar13d.test")
    took = time.monotonic() - started
    assert done.returncode == 3, done.stderr
    assert done.stderr.startswith("edgar13d: cannot reach EDGAR: ")
    assert ("does not resolve" if where == "dns" else "refused the connection") in done.stderr
    assert "run the same command again once the network" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert took < 15, f"took {took:.1f} s"  # was 2 min 20 s of retries; Prefect is not even started now
    assert not (tmp_path / "d" / "edgar13d.duckdb").exists()


@pytest.mark.slow
def test_a_host_that_refuses_mid_run_stops_the_flow_without_prefect_retries_or_tracebacks(tmp_path):
    """www answers (the pre-flight passes), full-text search refuses: the client gives up after one quick
    retry and Prefect's task retries (30 s each) are skipped for it."""
    with LocalEdgar(world_fixtures()) as edgar:
        started = time.monotonic()
        done = edgar13d("backfill", "--cusip", CUSIP, cwd=tmp_path, timeout=180,
                        EDGAR13D_WWW_URL=edgar.url, EDGAR13D_DATA_URL=edgar.url,
                        EDGAR13D_EFTS_URL=f"http://127.0.0.1:{closed_port()}",
                        EDGAR13D_DATA_DIR=str(tmp_path / "d"), PREFECT_HOME=str(tmp_path / "prefect"))
        took = time.monotonic() - started
    assert done.returncode == 3, done.stderr
    assert "cannot reach EDGAR" in done.stderr and "refused the connection" in done.stderr
    assert "Traceback" not in done.stderr
    assert took < 45, f"took {took:.1f} s"  # Prefect starts in ~15 s here; one task retry alone adds 30 s


def test_the_client_gives_up_on_an_unreachable_host_after_one_quick_retry():
    settings = ClientSettings(user_agent="edgar13d tests ci@edgar13d.test", www_url=f"http://127.0.0.1:{closed_port()}",
                              max_retries=5, backoff_base_seconds=1.0)
    client = EdgarClient(settings, limiter=RateLimiter())
    started = time.monotonic()
    with pytest.raises(Unreachable) as exc:
        client.get_bytes(settings.www_url + "/Archives/edgar/daily-index/")
    assert exc.value.reason == "refused" and exc.value.attempts == 2
    assert time.monotonic() - started < 5
    client.close()


def test_a_proxy_that_cannot_be_reached_is_named_as_the_proxy(monkeypatch):
    port = closed_port()
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    settings = ClientSettings(user_agent="edgar13d tests ci@edgar13d.test", www_url="http://edgar.example.net")
    client = EdgarClient(settings, limiter=RateLimiter())
    with pytest.raises(Unreachable) as exc:
        client.get_bytes("http://edgar.example.net/Archives/edgar/daily-index/")
    client.close()
    assert exc.value.reason == "proxy" and "HTTPS_PROXY" in str(exc.value)
    assert unreachable_reason("http://edgar.example.net/") is None  # behind a proxy the pre-flight stays out


def test_the_pre_flight_tells_no_name_from_no_listener_and_passes_a_live_host():
    assert "does not resolve" in unreachable_reason("https://edgar13d-test.invalid/x")
    assert "refused" in unreachable_reason(f"http://127.0.0.1:{closed_port()}/")
    with LocalEdgar() as edgar:
        assert unreachable_reason(edgar.url) is None


# --- an older database ---------------------------------------------------------------------------


def test_an_old_database_says_to_migrate_and_migrate_does_it(tmp_path):
    db = tmp_path / "data" / "edgar13d.duckdb"
    db.parent.mkdir()
    con = duckdb.connect(str(db))
    migrate.apply_migrations(con, target=1)
    con.close()
    latest = migrate.latest_version()

    refused = edgar13d("status", cwd=tmp_path)
    assert refused.returncode == 2 and "Run `edgar13d migrate`" in refused.stderr
    assert "Traceback" not in refused.stderr

    listed = edgar13d("migrate", "--list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("001_base_tables") and "applied" in lines[0]
    assert all(line.endswith("pending") for line in lines[1:latest])
    assert lines[-1] == f"{latest - 1} pending: run `edgar13d migrate`"

    done = edgar13d("migrate", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [ln.split()[1] for ln in done.stdout.splitlines() if ln.startswith("applied")] == \
        [f"{m.version:03d}_{m.name}" for m in migrate.available_migrations()[1:]]
    assert done.stdout.splitlines()[-1].endswith(f"schema v{latest}")
    again = edgar13d("migrate", cwd=tmp_path)
    assert again.stdout.strip().endswith("already up to date")

    status = edgar13d("status", cwd=tmp_path)
    assert status.returncode == 0 and f"(schema v{latest})" in status.stdout


# --- make run --------------------------------------------------------------------------------------


def test_make_run_installs_only_when_pyproject_changed_and_quietly(tmp_path):
    """The real Makefile, with a stand-in venv whose pip records its calls and prints setuptools noise."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    shutil.copy(REPO / "Makefile", tmp_path / "Makefile")
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    bin_ = tmp_path / "venv" / "bin"
    bin_.mkdir(parents=True)
    calls = tmp_path / "pip-calls"
    for name, body in {
        "python": "exit 0",
        "pip": f'echo "$@" >> {calls}; echo "SetuptoolsDeprecationWarning: noise" >&2',
        "edgar13d": 'echo "edgar13d ran with: $@"',
    }.items():
        (bin_ / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_ / name).chmod(0o755)

    def make_run() -> str:
        done = subprocess.run(["make", "--no-print-directory", "run", "ARGS=status", f"VENV={tmp_path / 'venv'}"],
                              cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout + done.stderr

    first = make_run()
    assert "installing edgar13d" in first and "edgar13d ran with: status" in first
    assert "Setuptools" not in first  # the noise went to the log
    second = make_run()
    assert second.strip() == "edgar13d ran with: status"
    assert calls.read_text().count("install") == 1

    time.sleep(1.1)  # make compares modification times
    (tmp_path / "pyproject.toml").touch()
    assert "installing edgar13d" in make_run()
    assert calls.read_text().count("install") == 2
