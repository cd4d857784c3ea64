"""A team's set-up: one Prefect server, a process work pool, two workers. A nightly and a backfill run
side by side on the two workers and the SEC's limit still holds; a second nightly waits for the first
(the deployment's concurrency limit), then runs."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from flows.deploy import die_with_parent, start_local_server
from tests.edgar_world import CUSIP, NIGHTLY_DAYS
from tests.local_edgar import LocalEdgar
from tests.test_concurrent_runs import (
    BACKFILL_STORED,
    NIGHTLY_STORED,
    busy_world,
    config,
    densest_window,
    stored,
)

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]


def _api(method: str, url: str, **kwargs: object) -> requests.Response:
    """A call to the Prefect server as Prefect's own client makes it: a 503 is the server saying "retry"
    (its database was busy, as it is with two workers polling on a 2-core machine), so it is retried,
    after the Retry-After it names, a few times; any other answer is returned."""
    for _ in range(10):
        got = requests.request(method, url, timeout=10, **kwargs)
        if got.status_code != 503:
            return got
        time.sleep(float(got.headers.get("Retry-After") or 1))
    return got
PREFECT = str(Path(sys.executable).with_name("prefect"))
FINAL = ("COMPLETED", "FAILED", "CRASHED", "CANCELLED")


def _when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_two_workers_of_one_pool_run_flows_side_by_side_within_one_allowance(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "EDGAR13D_"))}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), PREFECT_SERVER_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1",
               PYTHONPATH=str(REPO), EDGAR13D_STATE_DIR=os.environ["EDGAR13D_STATE_DIR"],
               PREFECT_WORKER_QUERY_SECONDS="1", PREFECT_LOGGING_LEVEL="WARNING")
    workers: list[subprocess.Popen] = []
    with LocalEdgar(busy_world(), enforce_rate=10, block_seconds=30) as edgar:
        cfg = config(tmp_path / "team", edgar)
        server, api = start_local_server(env=env)
        env["PREFECT_API_URL"] = api
        try:
            subprocess.run([PREFECT, "work-pool", "create", "edgar13d", "--type", "process"], env=env,
                           capture_output=True, check=True, timeout=120)
            reg = subprocess.run([sys.executable, "-m", "flows.cli", "serve", "--register-only", "--pool", "edgar13d",
                                  "--config", str(cfg)], cwd=cfg.parent, env=env, capture_output=True, text=True,
                                 timeout=120)
            assert reg.returncode == 0, reg.stderr
            assert "edgar13d-backfill/backfill" in reg.stdout
            for name in ("w1", "w2"):
                log = open(tmp_path / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
                workers.append(subprocess.Popen([PREFECT, "worker", "start", "--pool", "edgar13d", "--limit", "1",
                                                 "--name", name], env=env, stdout=log, stderr=subprocess.STDOUT,
                                                preexec_fn=die_with_parent))
            nightly = _api("GET", f"{api}/deployments/name/edgar13d-nightly/nightly").json()
            backfill = _api("GET", f"{api}/deployments/name/edgar13d-backfill/backfill").json()
            assert nightly["global_concurrency_limit"]["limit"] == 1  # one nightly at a time, whatever the workers

            def run(deployment: dict, **parameters: object) -> str:
                got = _api("POST", f"{api}/deployments/{deployment['id']}/create_flow_run",
                           json={"parameters": parameters})
                got.raise_for_status()
                return got.json()["id"]

            edgar.reset_log()
            ids = [run(nightly, until=str(NIGHTLY_DAYS[-1])), run(backfill, cusip=CUSIP),
                   run(nightly, until=str(NIGHTLY_DAYS[-1]))]
            deadline = time.monotonic() + 300
            while True:
                runs = [_api("GET", f"{api}/flow_runs/{i}").json() for i in ids]
                if all(r["state"]["type"] in FINAL for r in runs) or time.monotonic() > deadline:
                    break
                time.sleep(1)
        finally:
            for w in workers:
                w.terminate()
            for w in workers:
                try:
                    w.wait(30)
                except subprocess.TimeoutExpired:
                    w.kill()
                    w.wait()
            server.terminate()
            server.wait(timeout=30)
        logs = "".join((tmp_path / f"w{i}.log").read_text() for i in (1, 2))
        assert [r["state"]["type"] for r in runs] == ["COMPLETED"] * 3, logs[-3000:]
        assert edgar.violations == 0, densest_window(edgar)
        assert edgar.max_per_window() <= 10
    back = runs[1]
    first, second = sorted([runs[0], runs[2]], key=lambda r: _when(r["start_time"]))
    # the backfill ran beside a nightly, on the other worker
    assert any(_when(back["start_time"]) < _when(n["end_time"]) and _when(n["start_time"]) < _when(back["end_time"])
               for n in (first, second))
    # the nightlies never overlapped: the second started once the first had ended
    assert _when(second["start_time"]) >= _when(first["end_time"]) - dt.timedelta(seconds=1)
    rows = stored(cfg)
    assert all(n == 1 for _, n in rows) and len(rows) == NIGHTLY_STORED + BACKFILL_STORED
