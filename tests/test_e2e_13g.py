"""End to end through the real ``edgar13d`` command: a security whose history holds Schedule 13G filings of
every era, then a 13D, backfilled from a local EDGAR; the switch shows in ``schedule_switches``, and
``schedules`` (config.yaml or --schedules) narrows what is read."""

from __future__ import annotations

import pytest

from tests.edgar_13g_world import MERIDIAN_CUSIP, MERIDIAN_HISTORY, meridian_fixtures
from tests.local_edgar import LocalEdgar
from tests.test_e2e_cli import make_config, query, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def edgar():
    with LocalEdgar(meridian_fixtures()) as server:
        yield server


def test_backfill_stores_13g_of_every_era_then_the_13d_and_the_switch(tmp_path, edgar, prefect_home):
    cfg = make_config(tmp_path / "both", edgar)
    done = run_cli(["backfill", "--cusip", MERIDIAN_CUSIP], cfg, prefect_home)
    assert done.returncode == 0, done.stderr
    assert "stored 4" in done.stdout

    stored = query(cfg, "SELECT filing_id, schedule, document_format, rule_13d_1 FROM filings ORDER BY filed_date")
    assert stored == [(r.accession, r.schedule, r.fmt, ["c"] if r.schedule == "13G" else None)
                      for r in MERIDIAN_HISTORY]
    history = query(cfg, f"SELECT schedule, aggregate_amount, percent_of_class FROM ownership_history "
                         f"WHERE cusip = '{MERIDIAN_CUSIP}' ORDER BY report_number")
    assert history == [(r.schedule, r.shares, float(r.percent)) for r in MERIDIAN_HISTORY]

    switches = query(cfg, "SELECT direction, from_accession_number, from_form_type, to_accession_number, "
                          "to_form_type, from_percent_of_class, to_percent_of_class FROM schedule_switches")
    last_13g, first_13d = MERIDIAN_HISTORY[2], MERIDIAN_HISTORY[3]
    assert switches == [("to_13D", last_13g.accession, "SCHEDULE 13G/A", first_13d.accession, "SCHEDULE 13D",
                         8.2, 12.8)]
    chains = query(cfg, "SELECT schedule, count(*) FROM amendment_chains GROUP BY ALL ORDER BY 1")
    assert chains == [("13D", 1), ("13G", 3)]
    assert query(cfg, "SELECT count(DISTINCT chain_id) FROM amendment_chains")[0][0] == 2

    shown = run_cli(["history", "--cusip", MERIDIAN_CUSIP], cfg, prefect_home, timeout=60)
    assert shown.returncode == 0 and "13G" in shown.stdout and "13D" in shown.stdout
    status = run_cli(["status"], cfg, prefect_home, timeout=60)
    assert "crawled: 13D, 13G" in status.stdout and "stored: 13D 1, 13G 3" in status.stdout


def test_one_line_of_config_or_one_flag_narrows_the_schedules(tmp_path, edgar, prefect_home):
    cfg = make_config(tmp_path / "only13d", edgar)
    cfg.write_text("schedules: [13D]\n" + cfg.read_text())
    done = run_cli(["backfill", "--cusip", MERIDIAN_CUSIP], cfg, prefect_home)
    assert done.returncode == 0, done.stderr
    assert query(cfg, "SELECT schedule, count(*) FROM filings GROUP BY ALL") == [("13D", 1)]

    more = run_cli(["backfill", "--cusip", MERIDIAN_CUSIP, "--schedules", "13G"], cfg, prefect_home)
    assert more.returncode == 0, more.stderr
    assert query(cfg, "SELECT schedule, count(*) FROM filings GROUP BY ALL ORDER BY 1") == [("13D", 1), ("13G", 3)]

    wrong = run_cli(["backfill", "--cusip", MERIDIAN_CUSIP, "--schedules", "13F"], cfg, prefect_home, timeout=60)
    assert wrong.returncode == 2 and "unknown schedule '13F'" in wrong.stderr
