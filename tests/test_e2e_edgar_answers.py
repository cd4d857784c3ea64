"""End to end against a local EDGAR that answers the way EDGAR's recorded answers do (issue 8): the real
``edgar13d`` command in a subprocess, one test per thing EDGAR does that the crawler has to get right.
"""

from __future__ import annotations

import datetime as dt
import os
import pty
import subprocess
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from tests.edgar_history_world import (
    BOUNDARY_1998,
    FEB_1993,
    HERON,
    HERON_FILINGS,
    LATE_DAY,
    LATE_FILING,
    MARCH_1994,
    MAY_1996,
    MEMORIAL_DAY,
    NEVER_DAY,
    NEVER_FILING,
    ON_TIME_FILING,
    QUILL,
    QUILL_CUSIP,
    QUILL_ORIGINAL,
    SAVVIS_PARTNERS,
    TESLA,
    TESLA_ABOUT,
    history_fixtures,
)
from tests.edgar_world import SUBJECT_CIK
from tests.local_edgar import LocalEdgar
from tests.test_e2e_cli import EDGAR13D, _env, make_config, query, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def edgar():
    with LocalEdgar(history_fixtures()) as server:
        yield server


def paths(edgar: LocalEdgar, prefix: str, since: int = 0) -> list[str]:
    return [r.path for r in edgar.requests()[since:] if r.path.startswith(prefix)]


def stored(cfg: Path) -> list[str]:
    return [r[0] for r in query(cfg, "SELECT filing_id FROM filings ORDER BY filed_date, filing_id")]


# -- 1, 2: full-text search ----------------------------------------------------------------------------

def test_a_security_whose_only_13d_is_an_original_is_found(tmp_path, edgar, prefect_home):
    cfg = make_config(tmp_path, edgar)
    seen = len(edgar.requests())
    done = run_cli(["backfill", "--cusip", QUILL_CUSIP], cfg, prefect_home)
    assert done.returncode == 0, done.stderr
    assert stored(cfg) == [QUILL_ORIGINAL] and f"subject CIK(s): {QUILL.cik}" in done.stdout
    searches = [parse_qs(r.query) for r in edgar.requests()[seen:] if r.path == "/LATEST/search-index"]
    # Root forms only (an /A entry would make EDGAR keep amendments only), in pages of 100.
    # Both schedules by default (config.yaml's schedules): the 13G root forms too.
    assert searches and all(q["forms"] == ["SC 13D,SCHEDULE 13D,SC 13G,SCHEDULE 13G"] and q["size"] == ["100"]
                            for q in searches)


def test_a_search_that_answers_an_error_is_an_error_not_an_empty_history(tmp_path, edgar, prefect_home):
    cfg = make_config(tmp_path, edgar)
    edgar.fixtures.search_failure = "all shards failed"
    try:
        done = run_cli(["backfill", "--cusip", QUILL_CUSIP], cfg, prefect_home)
    finally:
        edgar.fixtures.search_failure = None
    assert done.returncode == 3, done.stdout + done.stderr
    assert "full-text search" in done.stderr and "all shards failed" in done.stderr
    assert "--cik" in done.stderr and "Traceback" not in done.stderr


# -- 3: daily index names of every era, none before 1994, quarterly from 1993 -------------------------------

def test_a_nightly_over_march_1994_reads_the_indexes_of_that_era(tmp_path, edgar, prefect_home):
    cfg = make_config(tmp_path, edgar, start="1993-12-30")
    seen = len(edgar.requests())
    done = run_cli(["nightly", "--until", "1994-03-04"], cfg, prefect_home)
    assert done.returncode == 0, done.stderr
    assert stored(cfg) == sorted(MARCH_1994)
    assert "no daily index before 1994-01-01" in done.stdout  # 1993-12-30/31: the quarterly index has them
    named = paths(edgar, "/Archives/edgar/daily-index/1994/QTR1/", seen)
    assert "/Archives/edgar/daily-index/1994/QTR1/master.030194.idx" in named
    assert paths(edgar, "/Archives/edgar/daily-index/1993/", seen) == []


def test_the_daily_index_name_changes_on_1998_03_31(tmp_path, edgar, prefect_home):
    cfg = make_config(tmp_path, edgar, start="1998-03-27")
    seen = len(edgar.requests())
    done = run_cli(["nightly", "--until", "1998-04-01"], cfg, prefect_home)
    assert done.returncode == 0, done.stderr
    assert stored(cfg) == sorted(BOUNDARY_1998)
    named = [p.rsplit("/", 1)[-1] for p in paths(edgar, "/Archives/edgar/daily-index/", seen)]
    assert named == ["master.980327.idx", "master.980328.idx", "master.980329.idx", "master.980330.idx",
                     "master.19980331.idx", "master.19980401.idx"]


# -- 4: a late index is not a holiday ---------------------------------------------------------------------

def test_a_late_index_is_loaded_when_published_and_a_holiday_settled_by_the_quarterly_index(
        tmp_path, edgar, prefect_home):
    cfg = make_config(tmp_path, edgar, start="2026-05-22")
    try:
        first = run_cli(["nightly", "--until", "2026-06-03"], cfg, prefect_home)
        assert first.returncode == 0, first.stderr
        assert stored(cfg) == [ON_TIME_FILING]
        late = query(cfg, "SELECT day FROM crawl_days WHERE status = 'index_late' ORDER BY day")
        assert late == [(MEMORIAL_DAY,), (LATE_DAY,)]  # not done for good: a holiday and a late day look alike
        status = run_cli(["status"], cfg, prefect_home, timeout=60)
        assert f"index late     {MEMORIAL_DAY}" in status.stdout and f"index late     {LATE_DAY}" in status.stdout

        edgar.fixtures.publish(LATE_DAY)  # EDGAR publishes it a day late
        second = run_cli(["nightly", "--until", "2026-06-10"], cfg, prefect_home)
        assert second.returncode == 0, second.stderr
        assert LATE_FILING in stored(cfg) and f"{LATE_DAY}: EDGAR published the late index" in second.stdout
        assert query(cfg, f"SELECT status FROM crawl_days WHERE day = '{LATE_DAY}'") == [("done",)]

        # After the quarter: its full index settles the rest (no filing on Memorial Day: a holiday; the
        # filing of a day whose daily index never came is read from the quarterly index).
        third = run_cli(["nightly", "--until", "2026-07-08"], cfg, prefect_home)
        assert third.returncode == 0, third.stderr
        assert NEVER_FILING in stored(cfg)
        days = dict(query(cfg, f"SELECT day, status FROM crawl_days WHERE day IN ('{MEMORIAL_DAY}', '{NEVER_DAY}')"))
        assert days == {MEMORIAL_DAY: "no_index", NEVER_DAY: "done"}
        status = run_cli(["status"], cfg, prefect_home, timeout=60)
        assert "index late" not in status.stdout
    finally:
        edgar.fixtures.late_days.update({LATE_DAY, NEVER_DAY})


# -- 5 and the lookups: tickers, names, holders ---------------------------------------------------------------

def test_backfill_by_ticker_takes_the_13ds_about_the_company(tmp_path, edgar, prefect_home):
    cfg = make_config(tmp_path, edgar)
    done = run_cli(["backfill", "--ticker", "tsla"], cfg, prefect_home)
    assert done.returncode == 0, done.stderr
    assert f"ticker TSLA: {TESLA.name}" in done.stdout and f"CIK {TESLA.cik}" in done.stdout
    assert stored(cfg) == TESLA_ABOUT
    assert "skipped 1: the company is the filer, not the subject" in done.stdout
    cached = sorted(p.name for p in (tmp_path / "data" / "edgar-reference").iterdir())
    assert cached == [f"company_tickers_exchange.{dt.date.today()}.json"]
    # The cached file answers the next lookup: no request for it.
    seen = len(edgar.requests())
    missing = run_cli(["backfill", "--ticker", "SVVS"], cfg, prefect_home, timeout=60)
    assert missing.returncode == 2 and "no ticker 'SVVS'" in missing.stderr and "--name" in missing.stderr
    assert paths(edgar, "/files/", seen) == []


def test_a_name_that_several_companies_match_lists_them_and_says_how_to_pick(tmp_path, edgar, prefect_home):
    cfg = make_config(tmp_path, edgar)
    done = run_cli(["backfill", "--name", "savvis"], cfg, prefect_home, timeout=60)
    assert done.returncode == 2
    assert "2 companies match 'savvis'" in done.stderr
    assert f"--cik {SUBJECT_CIK}" in done.stderr and f"--cik {SAVVIS_PARTNERS.cik}" in done.stderr
    assert "SAVVIS INC" in done.stderr  # the former name, from EDGAR's name file: SAVVIS is not listed any more
    assert "Pick one with --cik" in done.stderr
    assert not (tmp_path / "data" / "edgar13d.duckdb").exists()


def test_on_a_terminal_the_user_picks_the_company(tmp_path, edgar, prefect_home):
    cfg = make_config(tmp_path, edgar)
    main, tty = pty.openpty()
    try:
        proc = subprocess.Popen([*EDGAR13D, "backfill", "--name", "savvis", "--config", str(cfg)], cwd=cfg.parent,
                                env=_env(prefect_home), stdin=tty, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        os.close(tty)
        os.write(main, b"1\n")
        out, err = proc.communicate(timeout=180)
    finally:
        os.close(main)
    assert proc.returncode == 0, err
    assert "which one?" in err and "SAVVIS COMMUNICATIONS CORP" in out
    # Every 13D about SAVVIS (both classes), none it filed about another company.
    subjects = query(cfg, "SELECT DISTINCT subject_cik FROM filings")
    assert subjects == [(str(SUBJECT_CIK),)] and len(stored(cfg)) == 5


def test_backfill_by_holder_takes_every_13d_the_investor_filed(tmp_path, edgar, prefect_home):
    cfg = make_config(tmp_path, edgar)
    done = run_cli(["backfill", "--holder", str(HERON.cik)], cfg, prefect_home)
    assert done.returncode == 0, done.stderr
    assert stored(cfg) == HERON_FILINGS
    assert query(cfg, "SELECT DISTINCT subject_cik FROM filings ORDER BY 1") == [(str(QUILL.cik),), (str(TESLA.cik),)]
    assert f"filer CIK {HERON.cik}: 2 filing(s) on 2 issuer(s)" in done.stdout


# -- the full history, a quarter at a time ------------------------------------------------------------------

def test_backfill_all_loads_the_quarterly_indexes_and_resumes_after_the_last_quarter(tmp_path, edgar, prefect_home):
    cfg = make_config(tmp_path, edgar)
    seen = len(edgar.requests())
    first = run_cli(["backfill", "--all", "--start", "1992-06-01", "--end", "1993-12-31"], cfg, prefect_home)
    assert first.returncode == 0, first.stderr
    assert stored(cfg) == [FEB_1993[0]]  # before 1994 only the quarterly index lists it
    assert "quarterly indexes begin in 1993" in first.stdout and "at 10 requests/s" in first.stdout
    assert query(cfg, "SELECT count(*) FROM backfills WHERE kind = 'quarter' AND status = 'done'") == [(4,)]
    assert len(paths(edgar, "/Archives/edgar/full-index/", seen)) == 4

    seen = len(edgar.requests())
    second = run_cli(["backfill", "--all", "--start", "1993-01-01", "--end", "1996-06-30"], cfg, prefect_home)
    assert second.returncode == 0, second.stderr
    assert stored(cfg) == [FEB_1993[0], *sorted(MARCH_1994), MAY_1996[0]]
    assert "4 quarter(s) already loaded" in second.stdout
    read = paths(edgar, "/Archives/edgar/full-index/", seen)
    assert read[0] == "/Archives/edgar/full-index/1994/QTR1/master.gz" and len(read) == 10  # 1994Q1..1996Q2
