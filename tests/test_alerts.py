"""Alerts: one message per nightly run, grouped, to a real webhook on 127.0.0.1, through the real CLI."""

from __future__ import annotations

import datetime as dt
import socket

import pytest

from alerts.message import build_message
from tests.edgar_world import NIGHTLY_DAYS, world_fixtures
from tests.local_edgar import LocalEdgar
from tests.test_e2e_cli import make_config, query, run_cli
from tests.webhook import Webhook

NIGHTLY_ACCESSIONS = [f"0001999999-26-{n:06d}" for n in range(1, 8)]


def _filing(n: int, cusip: str, issuer: str) -> dict:
    return {"filing_id": f"0000000000-26-{n:06d}", "accession_number": f"0000000000-26-{n:06d}",
            "form_type": "SC 13D", "filed_date": dt.date(2026, 3, 2), "day": dt.date(2026, 3, 2), "cusip": cusip,
            "issuer_name": issuer, "subject_cik": "1234", "who": f"Holder {n}", "percent": 5.5, "n_members": 1}


def test_a_full_history_load_is_one_message_listing_the_first_items_and_counting_the_rest():
    filings = [_filing(n, f"00000{n % 3}101", f"Issuer {n % 3}") for n in range(1, 121)]
    crossings = [{"filed_date": dt.date(2026, 3, 2), "who_name": "Holder 1", "threshold": 10.0, "direction": "up",
                  "from_percent": 8.0, "to_percent": 10.5, "issuer_name": "Issuer 1", "cusip": "000001101"}]
    msg = build_message(filings, crossings, max_items=50)
    assert msg.title == "edgar13d: 120 new filings on 3 securities, 1 threshold crossing (2026-03-02)"
    body = msg.body.splitlines()
    assert body[:2] == ["Threshold crossings (1)",
                        "  2026-03-02  Holder 1 went above 10% of Issuer 1 (CUSIP 000001101): 8% -> 10.5%"]
    assert sum(1 for ln in body if ln.startswith("    https://www.sec.gov/Archives/edgar/data/1234/")) == 50
    assert body[-1].startswith("... and 70 more new filings")
    assert [ln for ln in body if ln.startswith("Issuer")] == ["Issuer 0 (CUSIP 000000101)", "Issuer 1 (CUSIP 000001101)"]
    assert build_message([], []) is None


def test_a_holder_turning_from_13g_to_13d_leads_the_message():
    switch = {"to_filed_date": dt.date(2026, 3, 2), "holder_name": "Lantern Hill Partners LP", "from_schedule": "13G",
              "to_schedule": "13D", "issuer_name": "Issuer 1", "cusip": "000001101", "from_percent_of_class": 8.2,
              "to_percent_of_class": 12.8}
    msg = build_message([_filing(1, "000001101", "Issuer 1")], [], switches=[switch])
    assert msg.title == "edgar13d: 1 new filing on 1 security, 1 schedule switch (2026-03-02)"
    assert msg.body.splitlines()[:2] == [
        "Schedule switches (1)",
        "  2026-03-02  Lantern Hill Partners LP moved from 13G to 13D on Issuer 1 (CUSIP 000001101): 8.2% -> 12.8%"
        " (a passive holder turned active)"]


def test_a_long_list_of_crossings_shows_the_first_ones_and_counts_the_rest():
    crossings = [{"filed_date": dt.date(2026, 3, 2), "who_name": f"Holder {n}", "threshold": 5.0, "direction": "down",
                  "from_percent": None, "to_percent": 4.0, "issuer_name": "Issuer 1", "cusip": "000001101"}
                 for n in range(7)]
    body = build_message([_filing(1, "000001101", "Issuer 1")], crossings, max_items=3).body.splitlines()
    assert body[:6] == ["Threshold crossings (7)",
                        "  2026-03-02  Holder 0 went below 5% of Issuer 1 (CUSIP 000001101): first report -> 4%",
                        "  2026-03-02  Holder 1 went below 5% of Issuer 1 (CUSIP 000001101): first report -> 4%",
                        "  2026-03-02  Holder 2 went below 5% of Issuer 1 (CUSIP 000001101): first report -> 4%",
                        "  ... and 4 more crossings", ""]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_alerts_test_sends_a_test_message_and_says_which_destination_failed(tmp_path):
    cfg = tmp_path / "config.yaml"
    with Webhook() as hook:
        broken = f"json://127.0.0.1:{_closed_port()}/nobody"
        cfg.write_text(f'alerts:\n  urls: ["{hook.url("ok")}", "{broken}"]\n')
        done = run_cli(["alerts", "test"], cfg, tmp_path / "prefect", timeout=60)
        assert done.returncode == 1
        lines = done.stdout.splitlines()
        assert lines[0] == f"sent  json://127.0.0.1:{hook.port}/ok"
        assert lines[1].startswith(f"FAILED  json://127.0.0.1:{broken.rsplit(':', 1)[1].split('/')[0]}/nobody: ")
        assert [(m["path"], m["title"]) for m in hook.received] == [("/ok", "edgar13d: test message")]

        cfg.write_text(f'alerts:\n  urls: ["{hook.url("ok")}"]\n')
        assert run_cli(["alerts", "test"], cfg, tmp_path / "prefect", timeout=60).returncode == 0
    cfg.write_text("alerts:\n  urls: []\n")
    none = run_cli(["alerts", "test"], cfg, tmp_path / "prefect", timeout=60)
    assert none.returncode == 2 and "alerts.urls" in none.stderr


@pytest.fixture(scope="module")
def edgar():
    with LocalEdgar(world_fixtures()) as server:
        yield server


def _with_alerts(cfg, url: str) -> None:
    cfg.write_text(cfg.read_text() + f'alerts:\n  urls: ["{url}"]\n  max_items: 50\n')


@pytest.mark.slow
def test_nightly_sends_one_message_per_run_and_keeps_what_it_could_not_deliver(tmp_path, edgar):
    prefect_home = tmp_path / "prefect"
    cfg = make_config(tmp_path / "nightly", edgar)
    with Webhook() as hook:
        _with_alerts(cfg, hook.url("desk"))

        hook.fail_with = 503  # the destination is down during the run: nothing is lost
        down = run_cli(["nightly", "--until", str(NIGHTLY_DAYS[2])], cfg, prefect_home)
        assert down.returncode == 0, down.stderr
        assert "alerts: NOT delivered to json://127.0.0.1" in down.stdout and "kept for the next run" in down.stdout
        assert query(cfg, "SELECT count(*) FROM alert_outbox WHERE sent_at IS NULL")[0][0] == 7

        hook.fail_with = None  # the next run (no new day to read) sends what was kept, once
        up = run_cli(["nightly", "--until", str(NIGHTLY_DAYS[2])], cfg, prefect_home)
        assert up.returncode == 0, up.stderr
        assert len(hook.received) == 1
        msg = hook.received[0]
        assert msg["title"] == ("edgar13d: 7 new filings on 7 securities, 10 threshold crossings "
                                f"({NIGHTLY_DAYS[0]} to {NIGHTLY_DAYS[2]})")
        assert all(acc in msg["message"] for acc in NIGHTLY_ACCESSIONS)
        assert "Nightly Capital LP went above 10% of Nightly Issuer 7 Inc. (CUSIP " in msg["message"]
        assert "in one message to 1 of 1 destinations" in up.stdout

        again = run_cli(["nightly", "--until", str(NIGHTLY_DAYS[2])], cfg, prefect_home)
        assert again.returncode == 0 and len(hook.received) == 1  # nothing new: no message

