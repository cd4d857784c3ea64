"""Layouts of cover pages that real filers print and the labelled set does not hold (issue 13).

Each fixture in tests/fixtures/cover/classes/ is a filing written for this test in the true format
of its era (SGML submission, 1990s plain text with <PAGE> breaks and Windows-1252 bytes, HTML as
filer agents print it); none is a copy of a shared filing. Each test names the class of layout it
holds the reader to; the reader of the previous parser version got each of them wrong.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from extractors.cover import parse_cover_pages
from extractors.parse import parse_filing
from extractors.textify import document_lines

CLASSES = Path(__file__).resolve().parent / "fixtures" / "cover" / "classes"


def _persons(name: str) -> list[dict[str, Any]]:
    path = CLASSES / name
    persons, _ = parse_cover_pages(document_lines(path.read_bytes(), "html" if path.suffix == ".htm" else "txt"))
    return persons


def test_row_7_number_at_the_end_of_the_stacked_side_label_is_not_the_place() -> None:
    # "PERSON WITH | 7" (the side label's last line and row 7's number cell) above "SOLE VOTING POWER".
    (p,) = _persons("side_label_row_number.htm")
    assert (p["citizenship"], p["citizenship_code"]) == ("Delaware", "DE")
    assert (p["sole_voting_power"], p["shared_voting_power"], p["aggregate_amount"]) == (0, 2716409, 2716409)
    assert p["percent_of_class"] == 9.8


def test_page_numbers_around_a_page_break_are_not_values() -> None:
    # "Delaware" then the page's number "5" and <PAGE>; row 10 left blank above page number "6".
    (p,) = _persons("page_break_between_rows.txt")
    assert (p["citizenship"], p["citizenship_code"]) == ("Delaware", "DE")
    assert p["sole_voting_power"] == p["sole_dispositive_power"] == p["aggregate_amount"] == 1187000
    assert p["shared_voting_power"] is None and p["shared_dispositive_power"] is None
    assert p["percent_of_class"] == 14.2 and p["type_of_reporting_person"] == ["CO"]


def test_percent_label_suffixes_are_never_the_value() -> None:
    # "(see Item 5)", "(See Instructions)", "*", "(See Item 5)**", "*†" after "... IN ROW (11)".
    persons = _persons("percent_label_suffixes.txt")
    assert [p["percent_of_class"] for p in persons] == [9.9, 7.2, 2.7, 9.9, 2.7]
    assert all(not p["warnings"] for p in persons)
    assert [p["type_of_reporting_person"] for p in persons] == [["IA"], ["CO"], ["PN"], ["IN", "HC"], ["OO"]]


def test_a_percent_in_words_does_not_swallow_the_next_row() -> None:
    (p,) = _persons("percent_in_words.txt")
    assert p["percent_of_class"] == 6.6  # "6.6 percent"
    assert p["type_of_reporting_person"] == ["HC", "CO"]  # row 14, just below it


def test_wingdings_latin1_boxes_in_plain_text_and_label_text_under_names() -> None:
    walter, ingrid = _persons("wingdings_boxes_name_labels.txt")
    # ý (0xFD) and þ (0xFE) are checked boxes, ¨ (0xA8) an empty one.
    assert (walter["member_of_group"], walter["legal_proceedings"], walter["excludes_certain_shares"]) == ("b", True, True)
    assert (ingrid["member_of_group"], ingrid["legal_proceedings"], ingrid["excludes_certain_shares"]) == ("a", False, False)
    # "Social Security Number" printed under the name, the I.R.S. label under the other.
    assert walter["name"] == "Walter J. Brandvold"
    assert ingrid["name"] == "Ingrid M. Brandvold"
    assert walter["citizenship_code"] == ingrid["citizenship_code"] == "X1"  # U.S.A.


def test_condensed_fmr_layout_gives_its_reporting_persons() -> None:
    parsed = parse_filing((CLASSES / "condensed_fmr.txt").read_bytes())
    fmr, johnson = parsed.reporting_persons
    assert (fmr["name"], fmr["irs_number"]) == ("FMR Corp.", "04-2507163")
    assert fmr["source_of_funds"] == ["PF"]
    assert (fmr["citizenship"], fmr["citizenship_code"]) == ("Commonwealth of Massachusetts", "MA")
    assert (fmr["sole_voting_power"], fmr["shared_voting_power"]) == (1204400, 2100)
    assert (fmr["sole_dispositive_power"], fmr["shared_dispositive_power"]) == (2416800, 0)
    assert (fmr["aggregate_amount"], fmr["percent_of_class"]) == (2416800, 12.61)
    assert fmr["type_of_reporting_person"] == ["HC"]
    assert johnson["name"] == "Edward C. Johnson 3d" and johnson["irs_number"] is None  # masked number
    assert johnson["source_of_funds"] == [] and johnson["citizenship_code"] == "X1"
    assert johnson["type_of_reporting_person"] == ["IN"]
    assert "no_cover_page" not in " ".join(parsed.warnings)


def test_values_in_a_row_of_cells_beneath_the_labels() -> None:
    (p,) = _persons("values_beneath_labels.htm")
    assert (p["sole_voting_power"], p["shared_voting_power"]) == (0, 3150000)
    assert (p["sole_dispositive_power"], p["shared_dispositive_power"]) == (0, 3150000)
    assert (p["percent_of_class"], p["type_of_reporting_person"]) == (8.7, ["PN"])


def test_two_cover_pages_side_by_side_in_text_columns_and_html_cells() -> None:
    for name in ("side_by_side.txt", "side_by_side.htm"):
        partners, advisors = _persons(name)
        assert partners["name"] == "Granite Peak Partners, L.P.", name
        assert advisors["name"] == "Granite Peak Advisors, Inc.", name
        assert (partners["source_of_funds"], advisors["source_of_funds"]) == (["WC"], ["AF"]), name
        assert (partners["citizenship_code"], advisors["citizenship_code"]) == ("NY", "DE"), name
        assert (partners["sole_voting_power"], partners["shared_voting_power"]) == (612500, 0), name
        assert (advisors["sole_voting_power"], advisors["shared_voting_power"]) == (0, 612500), name
        assert partners["aggregate_amount"] == advisors["aggregate_amount"] == 612500, name
        assert (partners["type_of_reporting_person"], advisors["type_of_reporting_person"]) == (["PN"], ["CO", "IA"])


def test_cover_pages_printed_after_the_items() -> None:
    # Item 2 prints "Name of Reporting Person:" and "Citizenship ...:", Item 5 the aggregate and the
    # percent: prose, not a cover page. The two cover pages come after the signatures.
    parsed = parse_filing((CLASSES / "covers_after_items.txt").read_bytes())
    assert [p["name"] for p in parsed.reporting_persons] == ["Sawtooth Partners, L.P.", "Sawtooth Management Corp."]
    assert [p["aggregate_amount"] for p in parsed.reporting_persons] == [1750000, 1750000]
    assert [p["citizenship_code"] for p in parsed.reporting_persons] == ["CT", "CT"]


def test_abbreviated_cover_pages_with_rows_1_11_and_13_only() -> None:
    fund, gp = _persons("abbreviated_covers.htm")
    assert (fund["name"], fund["aggregate_amount"], fund["percent_of_class"]) == (
        "Cormorant Resource Fund, L.P.", 4812090, 11.4)
    assert (gp["name"], gp["aggregate_amount"], gp["percent_of_class"]) == ("Cormorant Capital Partners, LLC", 4812090, 11.4)
    assert fund["sole_voting_power"] is None and fund["type_of_reporting_person"] == []  # not printed
    assert any(w.startswith("abbreviated_cover") for w in fund["warnings"])


def test_an_abbreviated_table_in_the_items_adds_nobody_to_full_cover_pages() -> None:
    lines = [
        *document_lines((CLASSES / "percent_label_suffixes.txt").read_bytes(), "txt"),
        "Item 5.  Interest in Securities of the Issuer.", "",
        "Name of Reporting Person      Aggregate Amount Beneficially Owned      Percent of Class",
        "Larkspur Capital Management, LLC       1,403,250                             9.9%",
    ]
    assert len(parse_cover_pages(lines)[0]) == 5


def test_row_numbers_printed_under_their_labels_and_a_label_cut_short() -> None:
    # Found in the hold-out: "SOLE VOTING POWER" / "7" / "NONE" (the number below its label, not the
    # value), "(a)" before a lone name, and "(11) Aggregate" for row 11's label.
    (p,) = _persons("row_numbers_under_labels.txt")
    assert p["name"] == "Marcus T. Vellacott"
    assert (p["source_of_funds"], p["citizenship_code"]) == (["PF"], "X1")
    assert (p["sole_voting_power"], p["shared_voting_power"]) == (0, 77400)
    assert (p["sole_dispositive_power"], p["shared_dispositive_power"]) == (0, 77400)
    assert (p["aggregate_amount"], p["percent_of_class"], p["type_of_reporting_person"]) == (77400, 6.2, ["IN"])
