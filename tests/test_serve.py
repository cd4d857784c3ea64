"""``edgar13d serve`` registers the nightly deployment with the configured cron, on a real Prefect server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from flows.deploy import start_local_server
from tests.conftest import REPO

pytestmark = pytest.mark.slow


def test_serve_registers_the_nightly_cron_with_its_time_zone(tmp_path):
    home = tmp_path / "prefect"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               PYTHONPATH=str(REPO))
    cfg = tmp_path / "config.yaml"
    cfg.write_text('nightly:\n  cron: "15 5 * * 2-6"\n  timezone: "Europe/London"\nstorage:\n  data_dir: "data"\n')

    server, api = start_local_server(env=env)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "flows.cli", "serve", "--register-only", "--config", str(cfg)],
            cwd=tmp_path, env={**env, "PREFECT_API_URL": api}, capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert "registered deployment edgar13d-nightly/nightly" in done.stdout

        got = requests.get(f"{api}/deployments/name/edgar13d-nightly/nightly", timeout=10)
        got.raise_for_status()
        [schedule] = got.json()["schedules"]
        assert schedule["schedule"]["cron"] == "15 5 * * 2-6"
        assert schedule["schedule"]["timezone"] == "Europe/London"
        assert schedule["active"] is True
        assert got.json()["work_pool_name"] is None  # served by `edgar13d serve` itself

        # A team's set-up: a process work pool whose workers import the installed flow by module path.
        prefect = Path(sys.executable).with_name("prefect")
        api_env = {**env, "PREFECT_API_URL": api}
        subprocess.run([str(prefect), "work-pool", "create", "edgar13d", "--type", "process"], env=api_env,
                       capture_output=True, check=True, timeout=120)
        pooled = subprocess.run(
            [sys.executable, "-m", "flows.cli", "serve", "--register-only", "--pool", "edgar13d", "--config", str(cfg)],
            cwd=tmp_path, env=api_env, capture_output=True, text=True, timeout=120,
        )
        assert pooled.returncode == 0, pooled.stderr
        again = requests.get(f"{api}/deployments/name/edgar13d-nightly/nightly", timeout=10).json()
        assert again["work_pool_name"] == "edgar13d"
        assert again["entrypoint"] == "flows.prefect_flows.nightly_flow"
        assert again["schedules"][0]["schedule"]["cron"] == "15 5 * * 2-6"
    finally:
        server.terminate()
        server.wait(timeout=30)
