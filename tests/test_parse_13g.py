"""Schedule 13G of every era, read from fixtures written here in each era's true format (the real
filings of ../shared/corpus-13g are measured by bench.accuracy and tests/test_parse_corpus_13g.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.cusip import cusip_check_digit
from extractors.parse import parse_filing
from tests.local_edgar import Entity
from tests.local_edgar.filings import make_13g

ISSUER = Entity(1170501, "MERIDIAN HARBOR FOODS INC")
HOLDER = Entity(1170502, "LANTERN HILL PARTNERS LP")
CUSIP = "58942Q10" + cusip_check_digit("58942Q10")
PRINTED = {"text": "58942Q 10 " + CUSIP[-1], "html": CUSIP, "xml": CUSIP}


@pytest.mark.parametrize(("era", "filed", "form"), [
    ("text", dt.date(1999, 2, 12), "SC 13G"), ("html", dt.date(2006, 2, 14), "SC 13G"),
    ("xml", dt.date(2025, 2, 13), "SCHEDULE 13G"),
])
def test_a_13g_of_each_era_reads_rows_1_to_12_the_rule_box_and_items_1_to_10(era, filed, form):
    raw = make_13g(f"0000950123-{filed:%y}-000777", filed, ISSUER, [HOLDER], PRINTED[era], rule="c",
                   event=filed - dt.timedelta(days=14), shares=612_500, percent="5.6")
    got = parse_filing(raw).to_json()
    f = got["filing"]
    assert (f["form_type"], f["schedule"], f["rule_13d_1"]) == (form, "13G", ["c"])
    assert (f["cusip"], f["event_date"], f["amendment_number"]) == (CUSIP, str(filed - dt.timedelta(days=14)), None)
    assert f["issuer_name"].upper() == ISSUER.name
    (p,) = got["reporting_persons"]
    assert p["name"].upper().replace(",", "").replace(".", "") == HOLDER.name
    assert (p["sole_voting_power"], p["shared_voting_power"], p["sole_dispositive_power"],
            p["shared_dispositive_power"], p["aggregate_amount"], p["percent_of_class"]) == (
        612_500, 0, 612_500, 0, 612_500, 5.6)
    assert p["type_of_reporting_person"] == ["PN"] and p["source_of_funds"] in (None, [])
    assert p["citizenship_code"] == "DE"
    numbers = [it["item_number"] for it in got["items"]]
    assert numbers[:2] == [1, 2] and numbers[-1] == 10 and numbers == sorted(numbers)
    assert not [w for w in got["warnings"] if w.startswith(("schedule_mismatch", "no_cover_page"))]


def test_the_1990s_form_has_no_rule_box_and_no_event_date():
    raw = make_13g("0000950123-97-000111", dt.date(1997, 2, 10), ISSUER, [HOLDER], PRINTED["text"])
    f = parse_filing(raw).to_json()["filing"]
    assert (f["schedule"], f["rule_13d_1"], f["event_date"]) == ("13G", [], None)


@pytest.mark.parametrize("era_filed", [dt.date(2006, 2, 14), dt.date(2025, 2, 13)])
def test_an_amendment_prints_its_number(era_filed):
    raw = make_13g("0000950123-06-000222", era_filed, ISSUER, [HOLDER], PRINTED["html"], amendment_no=3, rule="b")
    f = parse_filing(raw).to_json()["filing"]
    assert (f["form_type"].endswith("13G/A"), f["amendment_number"], f["is_amendment"], f["rule_13d_1"]) == (
        True, 3, True, ["b"])


def test_a_13g_document_filed_under_a_13d_form_type_is_read_as_a_13g():
    raw = make_13g("0000950123-06-000333", dt.date(2006, 2, 14), ISSUER, [HOLDER], PRINTED["html"])
    mislabeled = raw.replace(b"<TYPE>SC 13G", b"<TYPE>SC 13D").replace(b"TYPE:\tSC 13G", b"TYPE:\tSC 13D")
    parsed = parse_filing(mislabeled)
    assert parsed.filing["form_type"] == "SC 13D" and parsed.filing["schedule"] == "13G"
    assert parsed.filing["rule_13d_1"] == ["c"]
    assert any(w.startswith("schedule_mismatch") for w in parsed.warnings)


def test_values_with_their_own_labels_a_computed_percent_and_an_irs_mark_beside_the_name():
    raw = make_13g("0000950123-16-000444", dt.date(2016, 2, 12), ISSUER, [HOLDER], PRINTED["html"], shares=3_355_502,
                   percent="5.5")
    html = raw.decode("latin-1")
    html = html.replace(f"NAMES OF REPORTING PERSONS<BR><BR>{HOLDER.name}",
                        f"NAMES OF REPORTING PERSONS<BR><BR>{HOLDER.name}<BR># 02-0712418.")
    html = html.replace("SOLE VOTING POWER<BR><BR>3,355,502", "SOLE VOTING POWER<BR><BR>Lantern: 3,355,502")
    html = html.replace("(9)<BR><BR>5.5%", "(9)<BR><BR>Lantern: 3,355,502/61,145,088=5.5%")
    (p,) = parse_filing(html.encode("latin-1")).reporting_persons
    assert (p["name"], p["irs_number"]) == (HOLDER.name, "02-0712418")
    assert (p["sole_voting_power"], p["percent_of_class"]) == (3_355_502, 5.5)


def test_a_cusip_printed_in_groups_under_its_caption_is_the_filings():
    raw = make_13g("0000950123-96-000555", dt.date(1996, 2, 9), ISSUER, [HOLDER], PRINTED["text"])
    # groups no scanner takes for a CUSIP
    spaced = raw.replace(PRINTED["text"].encode(), f"58942 Q 10{CUSIP[-1]}".encode())
    assert parse_filing(spaced).filing["cusip"] == CUSIP
