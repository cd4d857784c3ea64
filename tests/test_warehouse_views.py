"""The SQL views on a fixture chain (an original 13D and three amendments) with hand-computed answers."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from tests.fixtures.warehouse.builders import CUSIP, filing, person
from warehouse import Warehouse

D = dt.date
F0, F1, F2, F3 = (f"0001193125-20-00000{i}" for i in range(4))
FILER = dict(filer_ciks=["1001"], filer_names=["ALPHA FUND LP"])


def chain() -> list:
    """Alpha Fund (spelled three ways) and its manager; amendments 2 and 3 filed the same day."""
    return [
        filing(F0, D(2020, 1, 10), [person("Alpha Fund L.P.", 1_000_000, 5.1),
                                    person("Alpha Capital Management LLC", 1_200_000, 6.2)], **FILER),
        filing(F1, D(2020, 2, 14), [person("ALPHA FUND LP", 1_500_000, 7.6),
                                    person("Alpha Capital Management LLC", 1_700_000, 8.7, excludes=True)],
               amendment=1, **FILER),
        filing(F2, D(2020, 3, 2), [person("Alpha Fund, L.P.", 2_100_000, 10.7),
                                   person("Alpha Capital Management LLC", 2_300_000, None)],
               amendment=2, **FILER),
        filing(F3, D(2020, 3, 2), [person("Alpha Fund L.P.", 900_000, 4.6),
                                   person("Alpha Capital Management LLC", 1_100_000, 5.6)],
               amendment=3, **FILER),
    ]


@pytest.fixture
def wh(tmp_path: Path):
    parts = chain()
    random.Random(4).shuffle(parts)  # load order must not matter
    with Warehouse.open(tmp_path / "v.duckdb") as w:
        w.load_parsed(parts[:2])
        w.load_parsed(parts[2:])
        yield w


def test_ownership_history_deltas(wh: Warehouse) -> None:
    cols = ["holder_key", "filing_id", "report_number", "aggregate_amount", "previous_aggregate_amount",
            "change_in_shares", "percent_of_class", "previous_percent_of_class", "change_in_percent",
            "previous_filing_id"]
    rows = [tuple(r[c] for c in cols) for r in wh.ownership_history(CUSIP).select(cols).to_pylist()]
    fund, mgr = "cik:1001", "name:ALPHA CAPITAL MANAGEMENT LLC"
    assert rows == [
        (fund, F0, 1, 1_000_000.0, None, None, 5.1, None, None, None),
        (fund, F1, 2, 1_500_000.0, 1_000_000.0, 500_000.0, 7.6, 5.1, 2.5, F0),
        (fund, F2, 3, 2_100_000.0, 1_500_000.0, 600_000.0, 10.7, 7.6, 3.1, F1),
        (fund, F3, 4, 900_000.0, 2_100_000.0, -1_200_000.0, 4.6, 10.7, -6.1, F2),
        (mgr, F0, 1, 1_200_000.0, None, None, 6.2, None, None, None),
        (mgr, F1, 2, 1_700_000.0, 1_200_000.0, 500_000.0, 8.7, 6.2, 2.5, F0),
        (mgr, F2, 3, 2_300_000.0, 1_700_000.0, 600_000.0, None, 8.7, None, F1),
        (mgr, F3, 4, 1_100_000.0, 2_300_000.0, -1_200_000.0, 5.6, None, None, F2),
    ]


def test_printed_names_are_kept_beside_the_key(wh: Warehouse) -> None:
    names = wh.query("SELECT printed_name FROM holder_names WHERE holder_key = 'cik:1001' ORDER BY 1")
    assert names["printed_name"].to_pylist() == ["ALPHA FUND LP", "Alpha Fund L.P.", "Alpha Fund, L.P."]


def test_latest_positions(wh: Warehouse) -> None:
    rows = wh.latest_positions(CUSIP).select(
        ["holder_key", "filing_id", "aggregate_amount", "percent_of_class", "n_reports"]).to_pylist()
    assert rows == [
        {"holder_key": "name:ALPHA CAPITAL MANAGEMENT LLC", "filing_id": F3, "aggregate_amount": 1_100_000.0,
         "percent_of_class": 5.6, "n_reports": 4},
        {"holder_key": "cik:1001", "filing_id": F3, "aggregate_amount": 900_000.0, "percent_of_class": 4.6,
         "n_reports": 4},
    ]
    assert len(wh.latest_positions()) == 2


def test_group_position_is_the_largest_counted_aggregate_never_the_sum(wh: Warehouse) -> None:
    rows = wh.group_positions(CUSIP).select(
        ["filing_id", "n_members", "n_members_counted", "group_aggregate_amount", "group_percent_of_class",
         "largest_member_name"]).to_pylist()
    assert [tuple(r.values()) for r in rows] == [
        (F0, 2, 2, 1_200_000.0, 6.2, "Alpha Capital Management LLC"),
        (F1, 2, 1, 1_500_000.0, 7.6, "ALPHA FUND LP"),  # the manager's row 12 is checked: not counted
        (F2, 2, 2, 2_300_000.0, 10.7, "Alpha Capital Management LLC"),
        (F3, 2, 2, 1_100_000.0, 5.6, "Alpha Capital Management LLC"),
    ]


def test_threshold_crossings(wh: Warehouse) -> None:
    rows = wh.query(
        "SELECT level, who, threshold, direction, from_percent, to_percent, filing_id FROM threshold_crossings"
        " ORDER BY level, who, filing_id, threshold").to_pylist()
    got = [tuple(r.values()) for r in rows]
    assert got == [
        ("group", F0, 5.0, "up", None, 6.2, F0),
        ("group", F0, 10.0, "up", 7.6, 10.7, F2),
        ("group", F0, 10.0, "down", 10.7, 5.6, F3),
        ("holder", "cik:1001", 5.0, "up", None, 5.1, F0),
        ("holder", "cik:1001", 10.0, "up", 7.6, 10.7, F2),
        ("holder", "cik:1001", 5.0, "down", 10.7, 4.6, F3),
        ("holder", "cik:1001", 10.0, "down", 10.7, 4.6, F3),
        ("holder", "name:ALPHA CAPITAL MANAGEMENT LLC", 5.0, "up", None, 6.2, F0),
    ]


def _chains(wh: Warehouse) -> dict[str, tuple]:
    rows = wh.query("SELECT filing_id, chain_id, position, linked_by FROM amendment_chains").to_pylist()
    return {r["filing_id"]: (r["chain_id"], r["position"], r["linked_by"]) for r in rows}


def test_amendment_chain_inferred_from_header(wh: Warehouse) -> None:
    assert _chains(wh) == {F0: (F0, 1, "header"), F1: (F0, 2, "header"), F2: (F0, 3, "header"),
                           F3: (F0, 4, "header")}


def test_chain_without_its_original_and_a_new_original_starting_a_chain(tmp_path: Path) -> None:
    a1, a2, o2, a21, other = "0000001001-01-000001", "0000001001-02-000001", "0000001001-05-000001", \
        "0000001001-06-000001", "0000002002-02-000001"
    with Warehouse.open(tmp_path / "c.duckdb") as wh:
        wh.load_parsed([
            filing(a2, D(2002, 1, 1), [person("Alpha Fund L.P.", 1, 6.0)], amendment=2, **FILER),
            filing(a1, D(2001, 1, 1), [person("Alpha Fund L.P.", 1, 7.0)], amendment=1, **FILER),
            filing(o2, D(2005, 1, 1), [person("Alpha Fund L.P.", 1, 5.5)], **FILER),
            filing(a21, D(2006, 1, 1), [person("Alpha Fund L.P.", 1, 8.0)], amendment=1, **FILER),
            # another filer on the same company: its own chain
            filing(other, D(2002, 6, 1), [person("Omega Partners", 1, 9.0)], amendment=4),
        ])
        assert _chains(wh) == {
            a1: (a1, 1, "header"), a2: (a1, 2, "header"),
            o2: (o2, 1, "header"), a21: (o2, 2, "header"),
            other: (other, 1, "header"),
        }


def test_xml_previous_accession_links_across_eras(wh: Warehouse) -> None:
    # 2025 XML amendment: no FILED BY match needed, the header names the original.
    x1 = "0001193125-25-000001"
    x2 = "0001193125-25-000002"
    wh.load_parsed([
        filing(x1, D(2025, 1, 15), [person("Alpha Fund L.P.", 1, 3.0, cik="1001")], amendment=4,
               fmt="xml", previous=F0, filer_ciks=["5555"], filer_names=["SOMEONE ELSE"]),
        filing(x2, D(2025, 2, 1), [person("Lonely LP", 1, 3.0)], amendment=1, fmt="xml",
               previous="0009999999-19-000001", filer_ciks=["6666"], filer_names=["LONELY LP"]),
    ])
    chains = _chains(wh)
    assert chains[x1] == (F0, 5, "previous_accession")
    assert chains[x2] == (x2, 1, "header")  # the original is not stored: earliest known filing


def test_readme_sql_examples_run(wh: Warehouse) -> None:
    """Every example query of warehouse/README-sql.md runs against a loaded warehouse."""
    import re

    text = (Path(__file__).resolve().parents[1] / "warehouse" / "README-sql.md").read_text()
    blocks = re.findall(r"```sql\n(.*?)```", text, re.S)
    assert len(blocks) >= 5
    for block in blocks:
        if "read_parquet" in block:
            continue
        for stmt in filter(str.strip, block.split(";")):
            wh.query(stmt)


def test_one_history_row_per_cusip_holder_filing_and_classes_apart(tmp_path: Path) -> None:
    class_b = "G9319H102"
    with Warehouse.open(tmp_path / "m.duckdb") as wh:
        wh.load_parsed([
            filing("0000000001-21-000001", D(2021, 1, 4), [
                person("Kappa LP", 100, 6.0),
                person("KAPPA L.P.", 999, 9.9),          # the same holder printed twice: first page kept
                person("Kappa LP", 50, 7.0, cusip=class_b),  # its stake in the other class
            ]),
        ])
        hist = wh.query("SELECT cusip, holder_key, aggregate_amount FROM ownership_history ORDER BY cusip")
        assert hist.to_pylist() == [
            {"cusip": CUSIP, "holder_key": "name:KAPPA LP", "aggregate_amount": 100.0},
            {"cusip": class_b, "holder_key": "name:KAPPA LP", "aggregate_amount": 50.0},
        ]
        assert wh.group_positions(CUSIP)["n_members"].to_pylist() == [1]


# --- both schedules: a holder that files 13G, turns active (13D), then goes back to passive (13G) ----

G0, G1, D0, D1, G2 = (f"0000950123-21-00000{i}" for i in range(5))


def passive_then_active() -> list:
    """Beta Capital: a 13G and its annual 13G/A, a 13D and a 13D/A, then a new 13G (passive again)."""
    beta = dict(filer_ciks=["2002"], filer_names=["BETA CAPITAL LP"])
    return [
        filing(G0, D(2021, 2, 10), [person("Beta Capital LP", 600_000, 5.2, group=None)], schedule="13G", **beta),
        filing(G1, D(2022, 2, 11), [person("Beta Capital LP", 700_000, 6.0, group=None)], amendment=1,
               schedule="13G", **beta),
        filing(D0, D(2022, 6, 1), [person("Beta Capital LP", 1_300_000, 11.1)], **beta),
        filing(D1, D(2022, 9, 1), [person("Beta Capital LP", 1_250_000, 10.7)], amendment=1, **beta),
        filing(G2, D(2023, 2, 14), [person("Beta Capital LP", 900_000, 7.7, group=None)], schedule="13G", **beta),
    ]


@pytest.fixture
def wh_both(tmp_path: Path):
    with Warehouse.open(tmp_path / "both.duckdb") as w:
        w.load_parsed(passive_then_active())
        yield w


def test_a_holders_history_runs_across_both_schedules_and_says_which(wh_both: Warehouse) -> None:
    rows = wh_both.query("SELECT filing_id, schedule, previous_schedule FROM ownership_history "
                         "ORDER BY report_number").to_pylist()
    assert [(r["filing_id"], r["schedule"], r["previous_schedule"]) for r in rows] == [
        (G0, "13G", None), (G1, "13G", "13G"), (D0, "13D", "13G"), (D1, "13D", "13D"), (G2, "13G", "13D")]
    latest = wh_both.query("SELECT schedule, filing_id FROM latest_positions").to_pylist()
    assert latest == [{"schedule": "13G", "filing_id": G2}]


def test_schedule_switches_lists_each_move_with_the_filings_on_both_sides(wh_both: Warehouse) -> None:
    rows = wh_both.query("SELECT direction, from_filing_id, from_form_type, from_percent_of_class, to_filing_id,"
                         " to_form_type, to_percent_of_class, days_between FROM schedule_switches"
                         " ORDER BY to_filed_date").to_pylist()
    assert rows == [
        {"direction": "to_13D", "from_filing_id": G1, "from_form_type": "SC 13G/A", "from_percent_of_class": 6.0,
         "to_filing_id": D0, "to_form_type": "SC 13D", "to_percent_of_class": 11.1, "days_between": 110},
        {"direction": "to_13G", "from_filing_id": D1, "from_form_type": "SC 13D/A", "from_percent_of_class": 10.7,
         "to_filing_id": G2, "to_form_type": "SC 13G", "to_percent_of_class": 7.7, "days_between": 166},
    ]


def test_a_chain_never_mixes_a_holders_13g_chain_with_its_13d_chain(wh_both: Warehouse) -> None:
    rows = wh_both.query("SELECT filing_id, chain_id, position, schedule FROM amendment_chains"
                         " ORDER BY filing_id").to_pylist()
    chains = {r["filing_id"]: (r["chain_id"], r["position"], r["schedule"]) for r in rows}
    assert chains == {G0: (G0, 1, "13G"), G1: (G0, 2, "13G"), D0: (D0, 1, "13D"), D1: (D0, 2, "13D"),
                      G2: (G2, 1, "13G")}
    # an XML header pointing across schedules does not join them either
    assert wh_both.query("SELECT count(DISTINCT schedule) AS n FROM amendment_chains GROUP BY chain_id"
                         " ORDER BY n DESC LIMIT 1").column(0).to_pylist() == [1]


def test_every_view_says_which_schedule(wh_both: Warehouse) -> None:
    assert "schedule" in wh_both.query("SELECT * FROM latest_positions").column_names  # its last report's: 13G
    for view in ("ownership_history", "group_positions", "amendment_chains", "threshold_crossings"):
        schedules = wh_both.query(f"SELECT DISTINCT schedule FROM {view} ORDER BY 1").column(0).to_pylist()
        assert schedules == ["13D", "13G"], view
    names = wh_both.query("SELECT schedules FROM holder_names").column(0).to_pylist()
    assert names == [["13D", "13G"]]


@pytest.mark.parametrize("fixture", ["wh", "wh_both"])
def test_latest_positions_are_the_last_rows_of_ownership_history(fixture: str, request) -> None:
    # latest_positions reads positions with ownership_history's own window (one pass, not two): the
    # two must agree row for row, on both schedules.
    wh_both = request.getfixturevalue(fixture)
    last = wh_both.query("""
        SELECT cusip, holder_key, filing_id, change_in_shares, change_in_percent, report_number AS n_reports
        FROM ownership_history
        QUALIFY report_number = max(report_number) OVER (PARTITION BY cusip, holder_key)
        ORDER BY ALL""").to_pylist()
    latest = wh_both.query("SELECT cusip, holder_key, filing_id, change_in_shares, change_in_percent, n_reports "
                           "FROM latest_positions ORDER BY ALL").to_pylist()
    assert latest == last and latest
