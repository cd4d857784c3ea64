"""Faults on purpose, through the real CLI: an outage is a debt the next nightly pays, not a loss."""

from __future__ import annotations

import pytest

from tests.edgar_world import NIGHTLY_DAYS, world_fixtures
from tests.local_edgar import LocalEdgar
from tests.test_e2e_cli import make_config, query, run_cli

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def edgar():
    with LocalEdgar(world_fixtures()) as server:
        yield server


def test_a_nightly_through_an_outage_and_one_after_it_store_every_filing(tmp_path, edgar, prefect_home):
    cfg = make_config(tmp_path / "outage", edgar)
    cfg.write_text(cfg.read_text().replace("block_cooldown_seconds: 2\n", "block_cooldown_seconds: 2\n  max_retries: 1\n"))
    edgar.inject("status", path=r"^/Archives/edgar/data/", times=None, status=503)  # every filing, not the indexes
    try:
        during = run_cli(["nightly", "--until", str(NIGHTLY_DAYS[2])], cfg, prefect_home)
    finally:
        edgar.clear_faults()
    assert during.returncode == 0, during.stderr
    assert "failed 8" in during.stdout and "fetch: server_error" in during.stdout
    assert query(cfg, "SELECT count(*) FROM filings")[0][0] == 0
    assert query(cfg, "SELECT DISTINCT status FROM crawl_days") == [("owed",)]

    status = run_cli(["status", "--failures"], cfg, prefect_home, timeout=60)
    assert "owed             8 filing(s) of 3 day(s) not fetched yet" in status.stdout
    assert f"{NIGHTLY_DAYS[0]}: 3 filing(s), since" in status.stdout and "1 try so far" in status.stdout
    assert "tries" in status.stdout and "first_seen" in status.stdout

    after = run_cli(["nightly", "--until", str(NIGHTLY_DAYS[2])], cfg, prefect_home)
    assert after.returncode == 0, after.stderr
    assert query(cfg, "SELECT count(*) FROM filings")[0][0] == 7  # every filing but the one that cannot parse
    assert query(cfg, "SELECT DISTINCT status FROM crawl_days") == [("done",)]
    assert query(cfg, "SELECT filing_id, stage, reason FROM failures WHERE resolved_at IS NULL") == [
        ("0001999999-26-000099", "parse", "bad_xml")]
    assert "every owed filing is stored now" in after.stdout
    status = run_cli(["status"], cfg, prefect_home, timeout=60)
    assert "owed " not in status.stdout
