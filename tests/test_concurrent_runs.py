"""Many runs, one allowance, as a user meets them: real ``edgar13d`` processes started together.

A nightly, a second nightly and a backfill on one data folder, with queries while they run; then two
"machines" (separate data folders, Prefect homes and per-user state) that share one real Redis server.
The local EDGAR logs every arrival and blocks like the SEC above 10 in a second; the arrivals, counted
from its side, are the measure.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from extractors.cusip import cusip_check_digit
from flows.prefect_server import stop_local_server
from tests.edgar_world import CUSIP, NIGHTLY_DAYS, SUBJECT, SUBJECT_CIK, world_fixtures
from tests.local_edgar import Entity, LocalEdgar
from tests.local_edgar.filings import make_13d

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[1]
EXTRA_PER_DAY = 12
EXTRA_SAVVIS = 14


def busy_world():
    """The e2e world, with enough filings that two runs at full speed would break 10 a second:
    12 more filings on each nightly day, 14 more amendments about SAVVIS for the backfill."""
    fx = world_fixtures()
    filer = Entity(1888888, "BUSY CAPITAL LP")
    n = 0
    for day in NIGHTLY_DAYS:
        for _ in range(EXTRA_PER_DAY):
            n += 1
            issuer = Entity(2100000 + n, f"BUSY ISSUER {n} INC")
            first8 = f"{400000 + n:06d}10"
            fx.add_raw(make_13d(f"0001888888-26-{n:06d}", day, issuer, [filer], first8 + cusip_check_digit(first8)))
    savvis = Entity(SUBJECT_CIK, SUBJECT)
    for k in range(EXTRA_SAVVIS):
        filed = dt.date(2005, 1, 10) + dt.timedelta(days=60 * k)
        fx.add_raw(make_13d(f"0001888888-05-{k + 1:06d}", filed, savvis, [filer], "805423 10 0", amendment=True,
                            amendment_no=k + 1))
    return fx


NIGHTLY_STORED = 3 + 2 + 2 + 3 * EXTRA_PER_DAY  # and one more on the second day cannot be parsed
BACKFILL_STORED = 4 + EXTRA_SAVVIS


@pytest.fixture(scope="module")
def edgar():
    with LocalEdgar(busy_world(), enforce_rate=10, block_seconds=30) as server:
        yield server


def config(folder: Path, edgar: LocalEdgar, rate_limit_url: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    url = edgar.url
    cfg = folder / "config.yaml"
    cfg.write_text(f"""edgar:
  user_agent: "edgar13d concurrency tests ci@edgar13d.test"
  www_url: "{url}"
  data_url: "{url}"
  efts_url: "{url}"
  max_requests_per_second: 10
  block_cooldown_seconds: 2
  rate_limit_url: "{rate_limit_url}"
storage:
  data_dir: "data"
  archive_dir: "data/raw"
  database: "data/edgar13d.duckdb"
nightly:
  start_date: {NIGHTLY_DAYS[0]}
flows:
  batch_size: 5
  fetch_workers: 4
""")
    return cfg


def env_for(prefect_home: Path, state_dir: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "EDGAR13D_"))}
    env.update(PREFECT_HOME=str(prefect_home), PYTHONPATH=str(REPO),
               EDGAR13D_STATE_DIR=state_dir or os.environ["EDGAR13D_STATE_DIR"])
    return env


def start(args: list[str], cfg: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flows.cli", *args, "--config", str(cfg)], cwd=cfg.parent,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(procs: list[subprocess.Popen], timeout: float = 240) -> list[tuple[int, str, str]]:
    out = []
    for p in procs:
        try:
            stdout, stderr = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            stdout, stderr = p.communicate()
        out.append((p.returncode, stdout, stderr))
    return out


def densest_window(edgar: LocalEdgar) -> list[str]:
    """The arrivals of the busiest one-second window, for a failure message."""
    recs = sorted(edgar.requests(), key=lambda r: r.t)
    best: list = []
    for i, r in enumerate(recs):
        window = [x for x in recs[i:i + 30] if x.t - r.t <= 1.0]
        if len(window) > len(best):
            best = window
    return [f"+{x.t - best[0].t:.3f} {x.status} {x.path}" for x in best]


def stored(cfg: Path) -> list[tuple]:
    con = duckdb.connect(str(cfg.parent / "data" / "edgar13d.duckdb"), read_only=True)
    try:
        return con.execute("SELECT filing_id, count(*) FROM filings GROUP BY ALL").fetchall()
    finally:
        con.close()


def test_a_nightly_a_second_nightly_and_a_backfill_at_once_on_one_data_folder(tmp_path, edgar):
    cfg = config(tmp_path / "desk", edgar)
    home = tmp_path / "prefect"
    env = env_for(home)
    edgar.reset_log()
    until = str(NIGHTLY_DAYS[-1])
    runs = [start(["nightly", "--until", until], cfg, env), start(["nightly", "--until", until], cfg, env),
            start(["backfill", "--cusip", CUSIP], cfg, env)]
    try:
        # Queries while they run: each answers, waiting at most for the batch being loaded.
        reads = [["sql", "SELECT count(*) AS n FROM filings", "--format", "csv"], ["status"],
                 ["history", "--cusip", CUSIP], ["export", "--out", str(tmp_path / "parquet")]]
        answered = []
        while all(p.poll() is None for p in runs) and len(answered) < 8:
            if not (cfg.parent / "data" / "edgar13d.duckdb").exists():
                time.sleep(0.2)
                continue
            args = reads[len(answered) % len(reads)]
            t0 = time.monotonic()
            q = subprocess.run([sys.executable, "-m", "flows.cli", *args, "--config", str(cfg)], cwd=cfg.parent,
                               env=env, capture_output=True, text=True, timeout=120)
            # history says so (exit 1) while the backfill has not stored the CUSIP yet
            assert q.returncode == 0 or (args[0] == "history" and "no stored filings" in q.stdout), q.stderr
            answered.append((args[0], round(time.monotonic() - t0, 2), all(p.poll() is None for p in runs)))
        results = finish(runs)
    finally:
        for p in runs:
            if p.poll() is None:
                p.kill()
                p.wait()
        stop_local_server(home)
    assert edgar.violations == 0, densest_window(edgar)
    for code, _, stderr in results:
        assert code == 0, stderr
        assert "Traceback" not in stderr and "duplicate column" not in stderr, stderr
    assert any(still_running for _, _, still_running in answered), answered  # queries answered mid-run
    # The nightlies took turns: one waited for the other, said whom for, then found the days done.
    waits = [stderr for _, _, stderr in results[:2] if "waiting for `edgar13d nightly" in stderr]
    assert len(waits) == 1, [r[2] for r in results]
    assert any("found 0" in stdout for _, stdout, _ in results[:2])
    # One allowance: never more than 10 arrivals in any second, and the SEC-like server never blocked.
    assert edgar.violations == 0
    assert edgar.max_per_window() <= 10
    assert len(edgar.requests()) >= NIGHTLY_STORED + BACKFILL_STORED
    # Each filing stored once.
    rows = stored(cfg)
    assert all(n == 1 for _, n in rows)
    assert len(rows) == NIGHTLY_STORED + BACKFILL_STORED


def test_two_machines_share_one_allowance_through_redis(tmp_path, edgar, redis_url):
    """Two "machines": separate data folders, Prefect homes and per-user state folders, so only the
    Redis server named in their configs can be what makes them share one window."""
    until = str(NIGHTLY_DAYS[-1])
    edgar.reset_log()
    machines = []
    for name in ("a", "b"):
        cfg = config(tmp_path / name, edgar, rate_limit_url=redis_url)
        env = env_for(tmp_path / name / "prefect", state_dir=str(tmp_path / name / "state"))
        machines.append((cfg, env))
    (cfg_a, env_a), (cfg_b, env_b) = machines
    runs = [start(["nightly", "--until", until], cfg_a, env_a), start(["backfill", "--cusip", CUSIP], cfg_b, env_b),
            start(["nightly", "--until", until], cfg_b, env_b)]
    try:
        results = finish(runs)
    finally:
        for cfg, _ in machines:
            stop_local_server(cfg.parent / "prefect")
    assert edgar.violations == 0, densest_window(edgar)
    for code, _, stderr in results:
        assert code == 0, stderr
    assert edgar.max_per_window() <= 10
    # both machines fetched everything they needed, each into its own warehouse
    assert len(edgar.requests()) >= 2 * NIGHTLY_STORED + BACKFILL_STORED
    assert len(stored(cfg_a)) == NIGHTLY_STORED
    assert len(stored(cfg_b)) == NIGHTLY_STORED + BACKFILL_STORED
    assert not list((tmp_path / "a" / "state").glob("window-*.json"))  # the machine window was not used
