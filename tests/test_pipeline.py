"""The flow steps as plain functions, against a local EDGAR (no Prefect): what the flows orchestrate."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from crawler.archive import RawArchive
from crawler.client import EdgarClient
from crawler.ratelimit import RateLimiter
from flows import pipeline
from flows.config import Settings
from tests.edgar_world import CUSIP, NIGHTLY_DAYS, SAVVIS_CHAIN, world_fixtures
from tests.local_edgar import LocalEdgar
from tests.local_edgar.pytest_plugin import settings_for
from warehouse.store import Warehouse


@pytest.fixture(scope="module")
def edgar():
    with LocalEdgar(world_fixtures()) as server:
        yield server


@pytest.fixture
def world(tmp_path, edgar):
    settings = Settings(base_dir=tmp_path)
    settings.flows.batch_size = 3
    client = EdgarClient(settings_for(edgar), limiter=RateLimiter())
    with Warehouse.open(settings.database_path) as wh:
        yield settings, wh, client
    client.close()


def test_days_after_the_watermark_through_today():
    today = dt.date(2026, 3, 4)
    assert pipeline.days_to_process(dt.date(2026, 3, 1), None, today) == NIGHTLY_DAYS
    assert pipeline.days_to_process(None, None, today) == [dt.date(2026, 3, 3), today]  # first run: yesterday on
    assert pipeline.days_to_process(None, dt.date(2026, 3, 2), today) == NIGHTLY_DAYS
    assert pipeline.days_to_process(today, None, today) == []


def test_a_missing_index_is_a_weekend_a_late_index_or_not_published_yet(world, edgar):
    settings, wh, client = world
    saturday, thursday, friday = dt.date(2026, 2, 28), dt.date(2026, 3, 5), dt.date(2026, 3, 6)
    pipeline.nightly_day(settings, wh, client, saturday, today=dt.date(2026, 3, 4))
    assert wh.last_day_done() == saturday and wh.late_days() == []
    edgar.fixtures.late_days.update({thursday, friday})
    try:
        # A past weekday without an index may be a holiday or a late index: recorded, not done for good.
        summary = pipeline.nightly_day(settings, wh, client, thursday, today=friday)
        assert wh.late_days() == [thursday] and "has not published" in summary.notes[0]
        # Today without an index: EDGAR publishes it in the evening, so nothing is recorded.
        summary = pipeline.nightly_day(settings, wh, client, friday, today=friday)
        assert "no index yet" in summary.notes[0] and wh.late_days() == [thursday]
        # Still late at the next run; then EDGAR publishes it, and the run after that reads it.
        assert "still no daily index" in pipeline.recheck_late_days(settings, wh, client, dt.date(2026, 3, 9)).notes[0]
        edgar.fixtures.publish(thursday)
        again = pipeline.recheck_late_days(settings, wh, client, dt.date(2026, 3, 10))
        assert wh.late_days() == [] and "published the late index" in again.notes[-1]
    finally:
        edgar.fixtures.late_days.clear()


def test_a_nightly_day_stores_what_parses_and_logs_what_does_not(world):
    settings, wh, client = world
    summary = pipeline.nightly_day(settings, wh, client, NIGHTLY_DAYS[1], today=NIGHTLY_DAYS[2])
    assert (summary.found, summary.stored, summary.failed) == (3, 2, 1)
    assert summary.failed_reasons == {"parse: bad_xml": 1}
    assert wh.last_day_done() == NIGHTLY_DAYS[1]
    [failure] = wh.open_failures().to_pylist()
    assert (failure["filing_id"], failure["stage"], failure["reason"]) == ("0001999999-26-000099", "parse", "bad_xml")


def test_the_watchlist_keeps_only_its_cusips(world):
    settings, wh, client = world
    settings.nightly.watchlist = ["300002102"]
    summary = pipeline.nightly_day(settings, wh, client, NIGHTLY_DAYS[0], today=NIGHTLY_DAYS[2])
    assert (summary.stored, summary.skipped) == (1, 2)
    assert summary.skipped_reasons == {"not on the watchlist": 2}
    assert wh.query("SELECT cusip FROM filings").column("cusip").to_pylist() == ["300002102"]


def test_backfill_then_reparse_offline(world, edgar):
    settings, wh, client = world
    summary = pipeline.backfill(settings, wh, client, cusip=CUSIP)
    assert summary.stored == len(SAVVIS_CHAIN)
    sources = wh.query("SELECT filing_id, source FROM filings").to_pylist()
    assert all(r["source"] == f"archive:{r['filing_id']}" for r in sources)
    assert summary.skipped_reasons == {"CUSIP does not match": 1, "the company is the filer, not the subject": 1}
    requests_before = len(edgar.requests())
    again = pipeline.reparse(settings, wh, cusip=CUSIP)
    assert (again.found, again.unchanged, again.failed) == (len(SAVVIS_CHAIN), len(SAVVIS_CHAIN), 0)
    assert len(edgar.requests()) == requests_before  # reparse never touches the network


def test_backfill_by_cik_takes_the_13ds_about_the_company(world):
    settings, wh, client = world
    summary = pipeline.backfill(settings, wh, client, ciks=[1086910], start=dt.date(2004, 1, 1), end=dt.date(2013, 1, 1))
    # SAVVIS's submissions list three 13Ds between those dates: two amendments about it, and one it
    # filed about another company, which a subject-company backfill turns away.
    assert (summary.found, summary.stored) == (3, 2)
    assert summary.skipped_reasons == {"the company is the filer, not the subject": 1}


def test_backfill_by_filer_cik_takes_what_the_investor_filed_on_every_issuer(world):
    settings, wh, client = world
    summary = pipeline.backfill(settings, wh, client, filer_ciks=[1086910])
    assert (summary.found, summary.stored, summary.skipped) == (6, 1, 5)  # the other five are about SAVVIS
    assert summary.skipped_reasons == {"the investor is the subject, not a filer": 5}
    assert wh.query("SELECT subject_cik FROM filings").column("subject_cik").to_pylist() == ["1300003"]
    assert "filer CIK 1086910: 1 filing(s) on 1 issuer(s)" in summary.notes


def test_reparse_below_a_version_takes_only_the_older_filings(world):
    settings, wh, client = world
    pipeline.backfill(settings, wh, client, cusip=CUSIP)
    old = SAVVIS_CHAIN[1].accession
    wh.execute("UPDATE filings SET parser_version = '0.0.1' WHERE filing_id = ?", [old])
    summary = pipeline.reparse(settings, wh, below_version="0.0.2")
    assert (summary.found, summary.stored) == (1, 1)
    assert wh.stored_versions([old])[old][0] != "0.0.1"


def test_reparse_records_a_damaged_archive_file_and_goes_on(world):
    settings, wh, client = world
    pipeline.backfill(settings, wh, client, cusip=CUSIP)
    archive = RawArchive(settings.archive_path)
    swapped, broken = SAVVIS_CHAIN[0].accession, SAVVIS_CHAIN[1].accession
    # One file replaced by another filing's (valid gzip, wrong bytes), one with its stream damaged.
    archive.path(swapped).write_bytes(archive.path(SAVVIS_CHAIN[2].accession).read_bytes())
    packed = archive.path(broken).read_bytes()
    archive.path(broken).write_bytes(packed[: len(packed) // 2])
    summary = pipeline.reparse(settings, wh)
    assert summary.failed_reasons == {"parse: archive_hash_mismatch": 1, "parse: archive_unreadable": 1}
    assert summary.stored + summary.unchanged == summary.found - 2  # every other file is read
    failures = {r["filing_id"]: r["reason"] for r in wh.open_failures().to_pylist()}
    assert failures == {swapped: "archive_hash_mismatch", broken: "archive_unreadable"}


def test_a_damaged_archive_copy_is_fetched_again(world, edgar):
    settings, wh, client = world
    pipeline.backfill(settings, wh, client, cusip=CUSIP)
    archive = RawArchive(settings.archive_path)
    acc = SAVVIS_CHAIN[0].accession
    good = archive.get(acc)
    archive.path(acc).write_bytes(b"\x1f\x8b not really gzip")
    before = len(edgar.requests())
    pipeline.backfill(settings, wh, client, cusip=CUSIP)
    assert archive.get(acc) == good
    assert len(edgar.requests()) > before


def test_a_damaged_index_row_is_refused_and_recorded_while_the_rest_is_stored(world, edgar):
    settings, wh, client = world
    day = NIGHTLY_DAYS[0]
    head, dashes, rows = edgar.fixtures.daily_index(day).partition("-" * 80 + "\n")
    hostile = head + dashes + (
        f"1999999|EVIL CO|SC 13D|{day:%Y%m%d}|../../../../tmp/x.txt\n"  # a path for a file name
        f"1999999|HALF WRITTEN CO|SC 13D|{day:%Y%m%d}|edgar/data/1999999/0001999\n"  # a line cut mid-way
        "1999999|CUT SHORT\n"  # a row without its fields
    ) + rows
    edgar.inject("body", path=r"/daily-index/", body=hostile)
    try:
        summary = pipeline.nightly_day(settings, wh, client, day, today=NIGHTLY_DAYS[2])
    finally:
        edgar.clear_faults()
    assert summary.failed_reasons == {"fetch: bad_listing": 3}
    assert summary.stored == 3
    refused = {(r["filing_id"], r["detail"]) for r in wh.open_failures().to_pylist() if r["reason"] == "bad_listing"}
    assert {f for f, _ in refused} == {"x", "0001999", None}
    assert any("1999999|CUT SHORT" in d for f, d in refused if f is None)
    assert wh.last_day_done() == day  # refused rows are not a debt: the day is done
    assert not any(r.path.startswith("/tmp") or ".." in r.path for r in edgar.requests())


def test_batches_always_hold_something():
    assert list(pipeline.chunks([1, 2, 3], 0)) == [[1], [2], [3]]
    assert list(pipeline.chunks([1, 2, 3], 2)) == [[1, 2], [3]]


@pytest.mark.parametrize(
    ("fault", "params"),
    [
        ("truncate_nolength", {"fraction": 0.7}),  # cut mid-way, no Content-Length: only the text can tell
        ("body", {"body": "<html><body>Service Unavailable</body></html>\n"}),  # a 200 that is no index
    ],
)
def test_an_index_that_is_not_whole_leaves_its_day_owed_until_it_is(world, edgar, fault, params):
    settings, wh, client = world
    day = NIGHTLY_DAYS[0]
    edgar.inject(fault, path=r"/daily-index/", times=None, **params)
    try:
        summary = pipeline.nightly_day(settings, wh, client, day, today=NIGHTLY_DAYS[2])
    finally:
        edgar.clear_faults()
    assert summary.stored == 0 and summary.failed_reasons == {"fetch: bad_index": 1}
    assert wh.owed_days() == [day]
    [failure] = [f for f in wh.open_failures().to_pylist() if f["reason"] == "bad_index"]
    assert failure["filing_id"] == f"daily-index:{day}" and failure["day"] == day
    paid = pipeline.pay_debts(settings, wh, client, today=NIGHTLY_DAYS[2])
    assert paid.stored == 3 and wh.owed_days() == [] and wh.last_day_done() == day
    assert not [f for f in wh.open_failures().to_pylist() if f["reason"] == "bad_index"]


def test_an_outage_is_a_debt_paid_by_the_next_run(world, edgar):
    settings, wh, client = world
    client.settings = dataclasses.replace(client.settings, max_retries=0)
    day = NIGHTLY_DAYS[0]
    edgar.inject("status", path=r"^/Archives/edgar/data/", times=None, status=503)
    try:
        during = pipeline.nightly_day(settings, wh, client, day, today=NIGHTLY_DAYS[2])
    finally:
        edgar.clear_faults()
    assert during.stored == 0 and during.failed_reasons == {"fetch: server_error": 3}
    assert wh.owed_days() == [day] and len(wh.day_debt(day)) == 3
    assert wh.last_day_done() == day  # the next days are read too; this one is looked at again first
    after = pipeline.pay_debts(settings, wh, client, today=NIGHTLY_DAYS[2])
    assert after.stored == 3 and wh.owed_days() == [] and wh.day_debt(day) == []
    assert wh.query("SELECT status FROM crawl_days WHERE day = ?", [day]).column(0).to_pylist() == ["done"]


def test_a_filing_that_never_comes_is_given_up_after_runs_over_days(world, edgar):
    settings, wh, client = world
    client.settings = dataclasses.replace(client.settings, max_retries=0)
    settings.nightly.retry_runs, settings.nightly.retry_days = 3, 2
    day = NIGHTLY_DAYS[0]
    missing = wh_missing = None
    edgar.inject("status", path=r"0001999999-26-000002", times=None, status=503)  # one filing of the day
    try:
        pipeline.nightly_day(settings, wh, client, day, today=NIGHTLY_DAYS[2])
        [owed] = wh.day_debt(day)
        missing = owed["filing_id"]
        start = owed["first_seen"]
        # Three runs within a day are not enough: an outage over a weekend must not cost a filing.
        for hours in (1, 2):
            note = pipeline.pay_debts(settings, wh, client, NIGHTLY_DAYS[2], now=start + dt.timedelta(hours=hours))
            assert wh.owed_days() == [day], note.notes
        note = pipeline.pay_debts(settings, wh, client, NIGHTLY_DAYS[2], now=start + dt.timedelta(days=2, hours=1))
        wh_missing = wh.open_failures().to_pylist()
    finally:
        edgar.clear_faults()
    assert wh.owed_days() == [] and any("gave up on 1 filing" in n for n in note.notes)
    [failure] = [f for f in wh_missing if f["filing_id"] == missing]
    assert failure["tries"] == 4 and failure["given_up_at"] is not None  # still listed, marked given up
