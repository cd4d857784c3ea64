"""Prefect's server for CLI runs: one per Prefect home, reused by the runs after the first, and gone by
itself once no run uses it, also when a run is killed with ``kill -9``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.prefect_server import healthy, read_state, stop_local_server
from tests.edgar_world import NIGHTLY_DAYS, world_fixtures
from tests.local_edgar import LocalEdgar
from tests.test_e2e_cli import make_config

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]


def _servers_of(home: Path) -> list[int]:
    """PIDs of any Prefect server process (ours or Prefect's temporary uvicorn) working for ``home``."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
            environ = (proc / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if (b"uvicorn" in cmdline or b"flows.prefect_server" in cmdline) and \
                f"PREFECT_HOME={home}".encode() in environ:
            found.append(int(proc.name))
    return found


def _env(home: Path, idle: float) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PREFECT_", "EDGAR13D_")) or k == "EDGAR13D_STATE_DIR"}
    env.update(PREFECT_HOME=str(home), PYTHONPATH=str(REPO), EDGAR13D_PREFECT_IDLE_SECONDS=str(idle))
    return env


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc (Linux) to find server processes")
def test_runs_reuse_one_server_and_a_killed_run_leaves_nothing_listening(tmp_path):
    home = tmp_path / "prefect"
    with LocalEdgar(world_fixtures()) as edgar:
        cfg = make_config(tmp_path / "desk", edgar, rate=2)
        env = _env(home, idle=3)
        try:
            first = subprocess.run([sys.executable, "-m", "flows.cli", "nightly", "--until", str(NIGHTLY_DAYS[0]),
                                    "--config", str(cfg)], cwd=cfg.parent, env=env, capture_output=True, text=True,
                                   timeout=180)
            assert first.returncode == 0, first.stderr
            server = read_state(home)
            assert server and healthy(server["api_url"])  # it outlives the run, for the next one

            # the next run reuses it; this one is killed halfway through its crawl
            edgar.inject("slow", path=r"\.txt$", times=None, delay=0.4)
            seen = len(edgar.requests())
            run = subprocess.Popen([sys.executable, "-m", "flows.cli", "nightly", "--until", str(NIGHTLY_DAYS[2]),
                                    "--config", str(cfg)], cwd=cfg.parent, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 120
            while len(edgar.requests()) < seen + 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert read_state(home)["pid"] == server["pid"]  # the same server: no start-up paid again
            os.kill(run.pid, signal.SIGKILL)
            run.wait(30)

            # nobody uses the home's server any more: it goes away by itself within its idle time
            deadline = time.monotonic() + 30
            while _servers_of(home) and time.monotonic() < deadline:
                time.sleep(0.2)
            assert _servers_of(home) == []
            assert read_state(home) is None
        finally:
            edgar.clear_faults()
            stop_local_server(home)
