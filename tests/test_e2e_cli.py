"""End to end, as a user meets it: the real ``edgar13d`` command in a subprocess, Prefect in its local
ephemeral mode, a DuckDB file, and a local EDGAR on 127.0.0.1 serving a fixture world of all three eras.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.edgar_world import CUSIP, NIGHTLY_DAYS, SAVVIS_CHAIN, world_fixtures
from tests.local_edgar import LocalEdgar

pytestmark = pytest.mark.slow
EDGAR13D = [sys.executable, "-m", "flows.cli"]
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def edgar():
    with LocalEdgar(world_fixtures()) as server:
        yield server


def make_config(folder: Path, edgar: LocalEdgar, rate: float = 10, start: str = "2026-03-02") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    url = edgar.urls["www_url"]
    cfg = folder / "config.yaml"
    cfg.write_text(
        f"""edgar:
  user_agent: "edgar13d e2e tests e2e@edgar13d.test"
  www_url: "{url}"
  data_url: "{edgar.urls['data_url']}"
  efts_url: "{edgar.urls['efts_url']}"
  max_requests_per_second: {rate}
  block_cooldown_seconds: 2
storage:
  data_dir: "data"
  archive_dir: "data/raw"
  database: "data/edgar13d.duckdb"
nightly:
  start_date: {start}
flows:
  batch_size: 2
  fetch_workers: 2
"""
    )
    return cfg


def _env(prefect_home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PREFECT_", "EDGAR13D_")) or k == "EDGAR13D_STATE_DIR"}
    env["PREFECT_HOME"] = str(prefect_home)
    env["PYTHONPATH"] = str(REPO)
    return env


def run_cli(args: list[str], cfg: Path, prefect_home: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*EDGAR13D, *args, "--config", str(cfg)], cwd=cfg.parent, env=_env(prefect_home),
        capture_output=True, text=True, timeout=timeout,
    )


def query(cfg: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(cfg.parent / "data" / "edgar13d.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_backfill_by_cusip_stores_every_era_and_the_history(tmp_path, edgar, prefect_home):
    cfg = make_config(tmp_path / "backfill", edgar)
    done = run_cli(["backfill", "--cusip", CUSIP], cfg, prefect_home)
    assert done.returncode == 0, done.stderr
    assert "stored 4" in done.stdout and "skipped 2" in done.stdout

    stored = query(cfg, "SELECT filing_id, document_format FROM filings ORDER BY filed_date")
    assert stored == [(s.accession, fmt) for s, fmt in zip(SAVVIS_CHAIN, ("txt", "html", "html", "xml"), strict=True)]
    history = query(cfg, f"""SELECT accession_number, aggregate_amount, change_in_shares, percent_of_class,
                                    change_in_percent FROM ownership_history WHERE cusip = '{CUSIP}'
                             ORDER BY report_number""")
    assert history == [
        ("0000950123-98-000101", 1_000_000, None, 5.2, None),
        ("0001104659-04-000202", 2_500_000, 1_500_000, 12.9, 7.7),
        ("0001193125-12-000303", 1_800_000, -700_000, 9.3, -3.6),
        ("0001193125-25-000404", 0, -1_800_000, 0.0, -9.3),
    ]

    # Running it again fetches nothing: every filing is in the raw archive.
    before = len(edgar.requests("/Archives/edgar/data/"))
    again = run_cli(["backfill", "--cusip", CUSIP], cfg, prefect_home)
    assert again.returncode == 0, again.stderr
    assert len(edgar.requests("/Archives/edgar/data/")) == before
    assert "stored 0 (+4 unchanged)" in again.stdout

    shown = run_cli(["history", "--cusip", CUSIP], cfg, prefect_home, timeout=60)
    assert shown.returncode == 0 and "-1,800,000" in shown.stdout and "12.9" in shown.stdout

    csv = run_cli(["sql", "SELECT filing_id FROM filings ORDER BY 1", "--format", "csv"], cfg, prefect_home, timeout=60)
    assert csv.stdout.splitlines() == ['"filing_id"', *sorted(f'"{s.accession}"' for s in SAVVIS_CHAIN)]

    exported = run_cli(["export", "--out", str(tmp_path / "parquet")], cfg, prefect_home, timeout=60)
    assert exported.returncode == 0, exported.stderr
    years = sorted(p.name for p in (tmp_path / "parquet" / "filings").iterdir())
    assert years == ["filing_year=1998", "filing_year=2004", "filing_year=2012", "filing_year=2025"]

    reparsed = run_cli(["reparse", "--cusip", CUSIP], cfg, prefect_home)
    assert reparsed.returncode == 0, reparsed.stderr
    # Four filings in batches of two: parsed in worker processes, loaded by the command's own process.
    assert "found 4" in reparsed.stdout and "(+4 unchanged)" in reparsed.stdout and "failed 0" in reparsed.stdout


def test_two_nightly_runs_over_three_days_store_each_filing_once(tmp_path, edgar, prefect_home):
    cfg = make_config(tmp_path / "nightly", edgar)
    first = run_cli(["nightly", "--until", str(NIGHTLY_DAYS[1])], cfg, prefect_home)
    assert first.returncode == 0, first.stderr
    second = run_cli(["nightly", "--until", str(NIGHTLY_DAYS[2])], cfg, prefect_home)
    assert second.returncode == 0, second.stderr

    per_filing = query(cfg, "SELECT filing_id, count(*) FROM filings GROUP BY ALL HAVING count(*) > 1")
    assert per_filing == []
    assert query(cfg, "SELECT count(*) FROM filings")[0][0] == 7
    # The broken filing is in the failure log with its reason; the rest of its day was stored.
    assert query(cfg, "SELECT filing_id, stage, reason FROM failures") == [("0001999999-26-000099", "parse", "bad_xml")]
    assert query(cfg, "SELECT day FROM crawl_days WHERE status = 'done' ORDER BY day") == [(d,) for d in NIGHTLY_DAYS]
    # The second run read only the day after the watermark.
    assert "found 2" in second.stdout

    status = run_cli(["status"], cfg, prefect_home, timeout=60)
    assert f"last day done {NIGHTLY_DAYS[2]}" in status.stdout and "parse  bad_xml: 1" in status.stdout
    assert "reporting rows with a failed check" in status.stdout


def _snapshot(cfg: Path) -> dict[str, list[tuple]]:
    return {
        "filings": query(cfg, "SELECT filing_id, content_sha256, parser_version, cusip FROM filings ORDER BY 1"),
        "persons": query(cfg, "SELECT filing_id, seq, name, aggregate_amount FROM reporting_persons ORDER BY 1, 2"),
        "items": query(cfg, "SELECT filing_id, item_number, md5(text) FROM items ORDER BY 1, 2"),
        "days": query(cfg, "SELECT day, status, n_filings FROM crawl_days ORDER BY 1"),
        "failures": query(cfg, "SELECT filing_id, stage, reason FROM failures WHERE resolved_at IS NULL ORDER BY 1"),
    }


def test_a_run_killed_halfway_and_run_again_ends_like_an_uninterrupted_run(tmp_path, edgar, prefect_home):
    whole = make_config(tmp_path / "whole", edgar)
    assert run_cli(["nightly", "--until", str(NIGHTLY_DAYS[2])], whole, prefect_home).returncode == 0

    killed = make_config(tmp_path / "killed", edgar, rate=2)  # slow enough to be caught in the middle
    edgar.inject("slow", path=r"\.txt$", times=None, delay=0.4)
    try:
        seen = len(edgar.requests("/Archives/edgar/data/"))
        proc = subprocess.Popen([*EDGAR13D, "nightly", "--until", str(NIGHTLY_DAYS[2]), "--config", str(killed)],
                                cwd=killed.parent, env=_env(prefect_home),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 120
        while len(edgar.requests("/Archives/edgar/data/")) < seen + 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        # The whole process group, as a crash would: the run and the Prefect server it started (killing
        # the run alone left that server running after the tests).
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        edgar.clear_faults()
    assert proc.returncode == -signal.SIGKILL
    partial = _snapshot(killed) if (killed.parent / "data" / "edgar13d.duckdb").exists() else None
    assert partial is None or len(partial["days"]) < 3  # it really was stopped halfway

    again = run_cli(["nightly", "--until", str(NIGHTLY_DAYS[2])], killed, prefect_home)
    assert again.returncode == 0, again.stderr
    assert _snapshot(killed) == _snapshot(whole)
