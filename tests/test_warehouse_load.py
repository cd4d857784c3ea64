"""Loading on real database files: idempotent, atomic replacement, batches deduplicated, nothing half-done."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from extractors import PARSER_VERSION
from tests.fixtures.warehouse.builders import CUSIP, filing, person
from warehouse import Warehouse, batch, store, tables_from_parsed

D = dt.date


def _snapshot(wh: Warehouse) -> dict[str, list[dict]]:
    """Every row of every table, loaded_at aside, in a stable order."""
    out = {}
    for table in ("filings", "reporting_persons", "items", "signatures", "cusip_issuers"):
        rows = wh.query(f"SELECT * FROM {table}").to_pylist()
        for r in rows:
            r.pop("loaded_at", None)
        out[table] = sorted(rows, key=repr)
    return out


def _chain() -> list:
    return [
        filing("0000950123-10-000001", D(2010, 1, 5), [person("Alpha Fund L.P.", 1_000_000, 5.2),
                                                     person("Alpha GP LLC", 1_000_000, 5.2)]),
        filing("0000950123-10-000002", D(2010, 3, 1), [person("Alpha Fund L.P.", 1_500_000, 7.8),
                                                     person("Alpha GP LLC", 1_500_000, 7.8)], amendment=1),
    ]


@pytest.fixture
def wh(tmp_path: Path):
    with Warehouse.open(tmp_path / "w.duckdb") as w:
        yield w


def test_loading_the_same_filings_twice_changes_nothing(wh: Warehouse, tmp_path: Path) -> None:
    first = wh.load_parsed(_chain())
    assert (first.inserted, first.replaced, first.unchanged, first.reporting_persons) == (2, 0, 0, 4)
    before = _snapshot(wh)
    loaded_at = wh.query("SELECT filing_id, loaded_at FROM filings ORDER BY 1").to_pylist()
    again = wh.load_parsed(_chain())
    assert (again.inserted, again.replaced, again.unchanged, again.reporting_persons) == (0, 0, 2, 0)
    assert _snapshot(wh) == before
    # untouched means untouched: not even re-stamped
    assert wh.query("SELECT filing_id, loaded_at FROM filings ORDER BY 1").to_pylist() == loaded_at
    assert wh.status()["filings"] == 2 and wh.status()["reporting_persons"] == 4


def test_a_batch_of_stored_and_new_filings_inserts_only_the_new_ones(wh: Warehouse, tmp_path: Path) -> None:
    # A batch where every filing is new is inserted without the changed-filings filter; one that mixes
    # stored filings in must keep it, or their rows would be written twice.
    wh.load_parsed(_chain())
    new = filing("0000950123-11-000003", D(2011, 6, 1), [person("Alpha Fund L.P.", 2_000_000, 9.9)], amendment=2)
    result = wh.load_parsed([*_chain(), new])
    assert (result.inserted, result.replaced, result.unchanged, result.reporting_persons) == (1, 0, 2, 1)
    with Warehouse.open(tmp_path / "fresh.duckdb") as fresh:
        fresh.load_parsed([*_chain(), new])
        assert _snapshot(wh) == _snapshot(fresh)
        assert _derived(wh) == _derived(fresh)


def test_reextraction_replaces_a_filings_rows_in_every_table(wh: Warehouse) -> None:
    wh.load_parsed(_chain())
    fid = "0000950123-10-000002"
    tables = tables_from_parsed([
        filing(fid, D(2010, 3, 1), [person("Alpha Fund L.P.", 1_600_000, 8.1)], amendment=1,
               items=[{"item_number": 4, "heading": "Purpose", "text": "Changed."}]),
    ])
    newer = "9.9.9"
    tables = {name: t.set_column(t.schema.get_field_index("parser_version"), "parser_version",
                                 pa.array([newer] * t.num_rows, pa.string()))
              for name, t in tables.items()}
    res = wh.load(tables)
    assert (res.inserted, res.replaced, res.unchanged) == (0, 1, 0)
    rows = wh.query("SELECT name, aggregate_amount, parser_version FROM reporting_persons "
                    "WHERE filing_id = ? ORDER BY seq", [fid]).to_pylist()
    assert rows == [{"name": "Alpha Fund L.P.", "aggregate_amount": 1_600_000.0, "parser_version": newer}]
    assert wh.query("SELECT text FROM items WHERE filing_id = ?", [fid]).to_pylist() == [{"text": "Changed."}]
    assert wh.query("SELECT count(*) AS n FROM signatures WHERE filing_id = ?", [fid]).to_pylist() == [{"n": 1}]
    assert wh.query("SELECT parser_version FROM filings WHERE filing_id = ?", [fid]).to_pylist() == [
        {"parser_version": newer}]
    # the other filing is untouched
    assert wh.query("SELECT count(*) AS n FROM reporting_persons WHERE filing_id <> ?", [fid]).to_pylist() == [
        {"n": 2}]
    assert wh.outdated_filings(newer) == ["0000950123-10-000001"]


def test_same_parser_version_but_different_bytes_replaces(wh: Warehouse) -> None:
    wh.load_parsed(_chain())
    fid = "0000950123-10-000001"
    res = wh.load_parsed([filing(fid, D(2010, 1, 5), [person("Alpha Fund L.P.", 999, 0.1)], body="corrected")])
    assert res.replaced == 1
    assert wh.stored_versions([fid])[fid][0] == PARSER_VERSION
    assert wh.query("SELECT aggregate_amount FROM reporting_persons WHERE filing_id = ?", [fid]).to_pylist() == [
        {"aggregate_amount": 999.0}]


def test_a_batch_failing_mid_transaction_leaves_the_database_as_it_was(
    wh: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    wh.load_parsed(_chain())
    before = _snapshot(wh)
    good = filing("0000950123-10-000003", D(2010, 6, 1), [person("Alpha Fund L.P.", 1, 0.0)], amendment=2)
    replacing = filing("0000950123-10-000001", D(2010, 1, 5), [person("X", 5, 1.0)], body="v2")
    # The last insert of the load fails, after the deletes and the other inserts have run.
    broken = "INSERT INTO filing_cusips SELECT no_such_column FROM _b_filings"
    monkeypatch.setitem(store.INSERT_DERIVED, "filing_cusips", {"some": broken, "all": broken})
    with pytest.raises(duckdb.BinderException):
        wh.load_parsed([good, replacing])
    assert _snapshot(wh) == before
    monkeypatch.undo()
    assert wh.load_parsed([good, replacing]).written == 2  # the connection is usable afterwards


def test_a_batch_breaking_the_schema_is_refused_before_touching_the_database(wh: Warehouse) -> None:
    wh.load_parsed(_chain())
    before = _snapshot(wh)
    tables = tables_from_parsed([filing("0000950123-10-000003", D(2010, 6, 1), [person("A", 1, 0.0)])])
    items = tables["items"]
    tables["items"] = items.set_column(items.schema.get_field_index("item_number"), "item_number",
                                       pa.array([None] * items.num_rows, pa.int32()))
    with pytest.raises(ValueError, match="item_number"):
        wh.load(tables)
    assert _snapshot(wh) == before


def test_duplicates_inside_one_batch_keep_the_last(wh: Warehouse) -> None:
    fid = "0000950123-11-000001"
    a = filing(fid, D(2011, 1, 1), [person("Beta LP", 10, 1.0), person("Beta GP LLC", 10, 1.0)])
    b = filing(fid, D(2011, 1, 1), [person("Beta LP", 20, 2.0), person("Beta GP LLC", 20, 2.0)], body="later")
    res = wh.load_parsed([a, b])
    assert (res.inserted, res.reporting_persons) == (1, 2)
    assert wh.query("SELECT seq, aggregate_amount FROM reporting_persons ORDER BY seq").to_pylist() == [
        {"seq": 1, "aggregate_amount": 20.0}, {"seq": 2, "aggregate_amount": 20.0}]
    assert wh.query("SELECT count(*) AS n FROM items").to_pylist() == [{"n": 2}]
    assert wh.stored_versions([fid])[fid][1] == b.filing["content_sha256"]


def test_orphan_child_rows_are_refused(wh: Warehouse) -> None:
    tables = tables_from_parsed(_chain())
    tables["filings"] = tables["filings"].slice(0, 1)
    with pytest.raises(ValueError, match="without a filings row"):
        wh.load(tables)
    assert wh.status()["filings"] == 0


def test_holder_key_and_cusip_are_stored(wh: Warehouse) -> None:
    other = "G9319H102"
    wh.load_parsed([
        filing("0000950123-12-000001", D(2012, 1, 1),
               [person("Bear Stearns Asset Management Inc.", 5, 5.0),
                person("Gamma Holdings Ltd.", 7, 6.0, cusip=other),
                person("Delta", 1, 0.1, cik="0000012345")],
               filer_ciks=["777"], filer_names=["BEAR STEARNS ASSET MANAGEMENT INC"]),
    ])
    rows = wh.query("SELECT holder_key, holder_cusip FROM reporting_persons ORDER BY seq").to_pylist()
    assert rows == [
        {"holder_key": "cik:777", "holder_cusip": CUSIP},
        {"holder_key": "name:GAMMA HOLDINGS", "holder_cusip": other},
        {"holder_key": "cik:12345", "holder_cusip": CUSIP},
    ]


def test_cusip_mappings_follow_loads_and_replacements(wh: Warehouse) -> None:
    wh.load_parsed(_chain())
    assert wh.ciks_for_cusip(CUSIP[:6]) == wh.ciks_for_cusip(CUSIP)
    assert wh.ciks_for_cusip("999999") == []
    assert wh.ciks_for_cusip(CUSIP) == [{"cusip": CUSIP, "subject_cik": "320193", "issuer_name": "APPLE INC",
                                         "first_seen": D(2010, 1, 5), "last_seen": D(2010, 3, 1),
                                         "n_filings": 2}]
    wh.load_parsed([filing("0000950123-13-000001", D(2013, 1, 1), [person("Z", 1, 1.0)], amendment=2)])
    assert wh.ciks_for_cusip(CUSIP)[0]["n_filings"] == 3
    assert wh.ciks_for_cusip(CUSIP)[0]["last_seen"] == D(2013, 1, 1)
    # A re-extraction finds the amendment was about another CUSIP: the old mapping shrinks.
    wh.load_parsed([filing("0000950123-13-000001", D(2013, 1, 1), [person("Z", 1, 1.0)], amendment=2,
                           cusip="805423100", subject_cik="999", body="fixed")])
    assert wh.ciks_for_cusip(CUSIP)[0]["n_filings"] == 2
    assert wh.ciks_for_cusip(CUSIP)[0]["last_seen"] == D(2010, 3, 1)
    assert [r["cusip"] for r in wh.cusips_for_cik("999")] == ["805423100"]


def _derived(wh: Warehouse) -> dict[str, list[dict]]:
    """The tables a load derives from the filings' own rows, in a stable order."""
    return {t: sorted(wh.query(f"SELECT * FROM {t}").to_pylist(), key=repr)
            for t in ("positions", "filing_cusips", "cusip_issuers")}


def test_replacing_filings_keeps_the_derived_tables_a_fresh_load_would_give(wh: Warehouse, tmp_path: Path) -> None:
    wh.load_parsed(_chain())
    renamed = filing("0000950123-10-000002", D(2010, 3, 1), [person("Alpha Fund L.P.", 1_500_000, 7.8)],
                     amendment=1, body="re-extracted")
    renamed.filing["subject_name"] = "APPLE COMPUTER INC"  # the same CUSIP, a new name for its issuer
    unchanged = filing("0000950123-10-000001", D(2010, 1, 5), [person("Alpha Fund L.P.", 1_000_000, 5.2)],
                       body="re-extracted")  # another parser's rows, the same CUSIP, issuer and date
    new = filing("0000950123-11-000003", D(2011, 6, 1), [person("Alpha Fund L.P.", 2_000_000, 9.9)],
                 amendment=2)
    result = wh.load_parsed([unchanged, renamed, new])  # one batch: two replacing, one new
    assert (result.inserted, result.replaced) == (1, 2)
    with Warehouse.open(tmp_path / "fresh.duckdb") as fresh:
        fresh.load_parsed([unchanged, renamed, new])
        assert _derived(wh) == _derived(fresh)
    assert wh.ciks_for_cusip(CUSIP)[0] | {"first_seen": None} == {
        "cusip": CUSIP, "subject_cik": "320193", "issuer_name": "APPLE INC", "first_seen": None,
        "last_seen": D(2011, 6, 1), "n_filings": 3}
    # Replacing filings only: the latest filing re-extracted with its issuer's new name renames the mapping;
    # one re-extracted with nothing the mapping reads changed leaves it as it is.
    new.filing["subject_name"] = "APPLE COMPUTER INC"
    new.filing["content_sha256"] = "f" * 64
    wh.load_parsed([new])
    assert wh.ciks_for_cusip(CUSIP)[0]["issuer_name"] == "APPLE COMPUTER INC"
    wh.load_parsed([filing("0000950123-10-000001", D(2010, 1, 5), [person("Alpha Fund L.P.", 1, 5.2)],
                           body="third parser")])
    with Warehouse.open(tmp_path / "again.duckdb") as fresh:
        fresh.load_parsed([renamed, new, filing("0000950123-10-000001", D(2010, 1, 5),
                                                [person("Alpha Fund L.P.", 1, 5.2)], body="third parser")])
        assert _derived(wh) == _derived(fresh)
    # Other bytes, the same rows: the filing is replaced, its positions and CUSIP rows are left where they
    # are (the same row ids), not deleted and written again.
    def row_ids() -> list:
        return [wh.query(f"SELECT rowid FROM {t} WHERE filing_id = '0000950123-10-000001' ORDER BY 1")
                .column(0).to_pylist() for t in ("positions", "filing_cusips", "filings")]
    before = row_ids()
    result = wh.load_parsed([filing("0000950123-10-000001", D(2010, 1, 5), [person("Alpha Fund L.P.", 1, 5.2)],
                                    body="fourth parser")])
    assert result.replaced == 1
    after = row_ids()
    assert after[:2] == before[:2] and after[2] != before[2]
    with Warehouse.open(tmp_path / "again.duckdb") as fresh:
        assert _derived(wh) == _derived(fresh)


def test_a_filing_stored_before_positions_digests_gets_its_positions_rewritten(wh: Warehouse) -> None:
    wh.load_parsed(_chain())
    wh.execute("UPDATE filings SET positions_digest = NULL, filing_cusips_digest = NULL")  # as 008 leaves old ones
    fid = "0000950123-10-000001"
    before = wh.query(f"SELECT rowid FROM positions WHERE filing_id = '{fid}'").column(0).to_pylist()
    again = filing(fid, D(2010, 1, 5), [person("Alpha Fund L.P.", 1_000_000, 5.2),
                                        person("Alpha GP LLC", 1_000_000, 5.2)], body="re-extracted")
    wh.load_parsed([again])
    after = wh.query(f"SELECT rowid FROM positions WHERE filing_id = '{fid}'").column(0).to_pylist()
    assert len(after) == len(before) == 2 and set(after).isdisjoint(before)
    assert wh.query(f"SELECT positions_digest IS NOT NULL AS known FROM filings WHERE filing_id = '{fid}'"
                    ).to_pylist() == [{"known": True}]


def test_the_digests_cover_every_column_the_derived_tables_read() -> None:
    import re

    read = set(re.findall(r"\b([pf])\.(\w+)", store._POSITION_ROWS))
    assert {c for t, c in read if t == "p"} <= set(batch.POSITION_INPUTS["reporting_persons"])
    assert {c for t, c in read if t == "f"} <= set(batch.POSITION_INPUTS["filings"])
    words = set(re.findall(r"\b\w+\b", store.FILING_CUSIPS_SELECT)) & set(batch.TABLES["filings"].names)
    assert words <= set(batch.FILING_CUSIPS_INPUTS)


def test_a_digest_changes_with_what_its_derived_table_reads_and_only_with_that() -> None:
    def digests(f) -> tuple[int, int]:
        row = tables_from_parsed([f])
        prepared = batch.prepare(row)["filings"]
        return prepared["positions_digest"][0].as_py(), prepared["filing_cusips_digest"][0].as_py()

    def one(**changes) -> object:
        f = filing("0000950123-10-000001", D(2010, 1, 5), [person("Alpha Fund L.P.", 1_000_000, 5.2)])
        for key, value in changes.items():
            f.filing[key] = value
        return f

    base = digests(one())
    assert digests(one()) == base  # the same in every call and process (not Python's salted hash)
    assert digests(one(warnings=["a warning"], document_format="txt")) == base  # nothing derived reads them
    f = one()
    f.reporting_persons[0]["aggregate_amount"] = 999.0
    assert digests(f)[0] != base[0] and digests(f)[1] == base[1]  # a figure: positions only
    assert digests(one(cusip="805423100", cusips=["805423100"])) != base  # a CUSIP: both
    assert digests(one(issuer_name=None))[0] != base[0]  # NULL is not the printed value
    assert digests(one(issuer_name=""))[0] not in (base[0], digests(one(issuer_name=None))[0])


def test_failures_are_logged_and_resolved_by_a_later_load(wh: Warehouse) -> None:
    fid = "0000950123-10-000001"
    wh.record_failure(fid, "fetch", "http_503", "Service Unavailable", source="https://www.sec.gov/x")
    wh.record_failure("0000950123-99-000001", "parse", "no_cover_page", "no rows 1-14 found")
    with pytest.raises(ValueError):
        wh.record_failure(fid, "download", "x")
    assert wh.status()["open_failures"] == {("fetch", "http_503"): 1, ("parse", "no_cover_page"): 1}
    wh.load_parsed(_chain())
    open_now = wh.open_failures().to_pylist()
    assert [f["filing_id"] for f in open_now] == ["0000950123-99-000001"]
    assert wh.query("SELECT resolved_at IS NOT NULL AS r FROM failures WHERE filing_id = ?", [fid]).to_pylist() == [
        {"r": True}]
    assert len(wh.open_failures("fetch")) == 0


def test_crawl_state_and_archive_register(wh: Warehouse) -> None:
    assert wh.last_day_done() is None
    wh.mark_day_done(D(2025, 1, 2), 14)
    wh.mark_day_done(D(2025, 1, 4), 0, status="no_index")
    wh.mark_day_done(D(2025, 1, 3), 3, status="partial", detail="2 fetch failures")
    assert wh.last_day_done() == D(2025, 1, 4)
    assert wh.days_done(D(2025, 1, 1), D(2025, 1, 31)) == {D(2025, 1, 2), D(2025, 1, 4)}
    wh.mark_day_done(D(2025, 1, 3), 5)
    assert D(2025, 1, 3) in wh.days_done(D(2025, 1, 1), D(2025, 1, 31))
    wh.mark_backfill("cusip", CUSIP, "running", watermark="2005-12-31")
    wh.mark_backfill("cusip", CUSIP, "done", watermark="2025-01-04")
    state = wh.backfill_state("cusip", CUSIP)
    assert state is not None and (state["status"], state["watermark"]) == ("done", "2025-01-04")
    assert wh.backfill_state("cik", "1") is None
    wh.register_raw("0000950123-10-000001", "ab" * 32, "raw/0000950123-10-000001.txt.gz", 1234)
    assert wh.raw_path("0000950123-10-000001") == "raw/0000950123-10-000001.txt.gz"
    assert wh.status()["days_done"] == 3


def test_export_parquet_partitions_by_filing_year(wh: Warehouse, tmp_path: Path) -> None:
    import pyarrow.dataset as ds

    wh.load_parsed([*_chain(), filing("0000950123-13-000001", D(2013, 1, 1), [person("Z", 1, 1.0)], amendment=2)])
    out = wh.export_parquet(tmp_path / "export")
    assert sorted(p.name for p in out["filings"].iterdir()) == ["filing_year=2010", "filing_year=2013"]
    persons = ds.dataset(out["reporting_persons"], format="parquet", partitioning="hive").to_table()
    assert persons.num_rows == 5
    assert sorted(set(persons["filing_year"].to_pylist())) == [2010, 2013]
    # exporting again replaces, not duplicates
    wh.export_parquet(tmp_path / "export")
    assert ds.dataset(out["filings"], format="parquet", partitioning="hive").to_table().num_rows == 3


def test_the_same_failure_met_twice_is_one_open_entry(tmp_path):
    with Warehouse.open(tmp_path / "f.duckdb") as wh:
        first = wh.record_failure("0001999999-26-000099", "parse", "bad_xml", "DOCTYPE")
        again = wh.record_failure("0001999999-26-000099", "parse", "bad_xml", "DOCTYPE, again")
        other = wh.record_failure("0001999999-26-000099", "fetch", "FetchError", "timeout")
        open_ = wh.open_failures().to_pylist()
    assert first == again != other
    assert [(f["stage"], f["detail"]) for f in open_] == [("parse", "DOCTYPE, again"), ("fetch", "timeout")]


def test_status_counts_persons_by_warning_code_and_failed_checks(wh: Warehouse) -> None:
    ok = person("Example Partners, L.P.", 1000, 5.0)
    bad = {**person("Example GP, LLC", 1000, 112.0), "citizenship": "Delaware 7", "citizenship_code": None,
           "warnings": ["percent_out_of_range: 112.0", "citizenship_unrecognized: 'Delaware 7'"]}
    noted = {**person("Jane Roe", 1000, 5.0), "warnings": ["joint_cover_page: one cover page lists several"]}
    wh.load_parsed([filing("0000950123-94-000385", dt.date(1994, 2, 17), [ok, bad, noted])])
    s = wh.status()
    assert s["person_warnings"] == {"citizenship_unrecognized": 1, "joint_cover_page": 1, "percent_out_of_range": 1}
    assert s["persons_failing_checks"] == 1  # a note (joint_cover_page) is no failed check
    # SQL users filter on the codes the same way.
    rows = wh.query("SELECT name FROM reporting_persons WHERE EXISTS "
                    "(SELECT 1 FROM unnest(warnings) t(w) WHERE w LIKE 'percent_out_of_range:%')").to_pylist()
    assert rows == [{"name": "Example GP, LLC"}]


def test_failures_recorded_together_are_recorded_as_one_by_one(tmp_path):
    one_by_one = [("0001999999-26-000099", "parse", "bad_xml", "DOCTYPE", "archive:x"),
                  ("0001999999-26-000099", "parse", "bad_xml", "DOCTYPE, again", "archive:x"),
                  ("0001999999-26-000099", "parse", "truncated", "cut", None),
                  (None, "parse", "empty", "no bytes", None)]
    got = []
    for together in (False, True):
        with Warehouse.open(tmp_path / f"{together}.duckdb") as wh:
            if together:
                wh.record_failures(one_by_one)
            else:
                for fid, stage, reason, detail, source in one_by_one:
                    wh.record_failure(fid, stage, reason, detail, source=source)
            got.append(wh.query("SELECT filing_id, stage, reason, detail, source, tries, resolved_at IS NULL AS open "
                                "FROM failures ORDER BY id").to_pylist())
    assert got[0] == got[1]
    assert [(f["reason"], f["tries"], f["open"]) for f in got[1]] == [("bad_xml", 2, False), ("truncated", 3, True),
                                                                      ("empty", 1, True)]
    with Warehouse.open(tmp_path / "bad.duckdb") as wh, pytest.raises(ValueError):
        wh.record_failures([("x", "download", "x", None, None)])


def test_a_batch_knows_whether_it_prints_a_holder_twice_on_one_filing() -> None:
    once = [filing("0000950123-10-000001", D(2010, 1, 5), [person("Alpha Fund L.P.", 1, 5.2),
                                                         person("Alpha GP LLC", 1, 5.2)])]
    twice = [filing("0000950123-10-000001", D(2010, 1, 5), [person("Alpha Fund L.P.", 1, 5.2),
                                                          person("ALPHA FUND LP", 2, 5.3)])]
    other_class = [filing("0000950123-10-000001", D(2010, 1, 5), [person("Alpha Fund L.P.", 1, 5.2),
                                                                person("Alpha Fund L.P.", 2, 5.3, cusip="G9319H102")])]
    assert batch.prepare(tables_from_parsed(once)).repeats_a_holder is False
    assert batch.prepare(tables_from_parsed(twice)).repeats_a_holder is True
    assert batch.prepare(tables_from_parsed(other_class)).repeats_a_holder is False
