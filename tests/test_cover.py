"""Cover pages (rows 1-14) of plain-text and HTML 13Ds, read by one reader.

The fixtures in tests/fixtures/cover/ are short synthetic filings in the true formats, each with the
quirks real filers produce (stacked side labels, values on label lines, boxes drawn five ways,
-0- / None / N/A, footnote marks, wrapped names, no row numbers, one cover page per class, one
joint page for several persons, pasted instructions that repeat the labels). The last tests hold
the reader to the hand-checked labels of the shared corpus.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from extractors.cover import parse_cover_pages
from extractors.envelope import detect_format, pick_schedule_document, read_submission
from extractors.textify import document_lines

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cover"


def _persons(name: str) -> list[dict[str, Any]]:
    path = FIXTURES / name
    fmt = "html" if path.suffix == ".htm" else "txt"
    persons, _ = parse_cover_pages(document_lines(path.read_bytes(), fmt))
    return persons


def test_stacked_side_labels_and_values_on_label_lines() -> None:
    first, second = _persons("stacked_text.txt")
    # Name run on after the I.R.S. label, then continued on the next line; its number kept apart.
    assert first["name"] == "Harbor Light Partners, L.P."
    assert first["irs_number"] == "13-4124531"
    assert first["member_of_group"] == "a"
    assert first["source_of_funds"] == ["WC", "OO"]  # printed WC/00
    assert first["legal_proceedings"] is False
    assert first["citizenship"] == "Cayman Islands"
    assert first["sole_voting_power"] == 2214903  # "2,214,903 shares of Common Stock(1)"
    assert first["shared_voting_power"] is None  # row left blank: the rule line below is no "-"
    assert first["sole_dispositive_power"] == 2214903
    assert first["shared_dispositive_power"] == 0  # -0-
    assert first["aggregate_amount"] == 2214903  # 2,214,903**
    assert first["excludes_certain_shares"] is True
    assert first["percent_of_class"] == 11.0  # printed on the label's line
    assert first["type_of_reporting_person"] == ["PN"]
    assert first["cusip"] == "301234 10 5"
    assert first["warnings"] == []

    assert second["name"] == "Margaret A. Quill"
    assert second["irs_number"] is None
    assert second["source_of_funds"] == ["PF", "AF"]
    assert second["legal_proceedings"] is True
    # "NUMBER OF  7. SOLE VOTING POWER  None": the side label precedes the row on the same line.
    assert second["sole_voting_power"] == 0
    assert second["shared_voting_power"] == 2250000
    assert second["sole_dispositive_power"] == 0  # Nil
    assert second["shared_dispositive_power"] is None  # N/A
    assert second["aggregate_amount"] == 2250000  # "2,250,000 (See Item 5)"
    assert second["excludes_certain_shares"] is False
    assert second["percent_of_class"] == 0.5  # .5%
    assert second["type_of_reporting_person"] == ["IN"]


def test_no_row_numbers_label_value_style() -> None:
    (p,) = _persons("no_row_numbers.txt")
    assert p["name"] == "Quentin R. Marsh"
    assert p["member_of_group"] == "a"  # "(a)  X        (b)"
    assert p["source_of_funds"] == []  # Not applicable
    assert p["legal_proceedings"] is False  # "Yes   No  X"
    assert p["citizenship"] == "UNITED KINGDOM"
    assert (p["sole_voting_power"], p["shared_voting_power"]) == (37300, 2000)
    assert (p["sole_dispositive_power"], p["shared_dispositive_power"]) == (37300, 2000)  # "Dispositve"
    assert p["aggregate_amount"] == 39300  # value after the wrapped label's second line
    assert p["excludes_certain_shares"] is False
    assert p["percent_of_class"] is None  # "Less than 1%" is a bound, not a value...
    assert any(w.startswith("percent_bound") for w in p["warnings"])  # ...and says so
    assert p["type_of_reporting_person"] == ["IN"]
    assert p["cusip"] == "45678910"


def test_html_two_classes_two_cover_pages_with_wingdings_boxes() -> None:
    class_a, class_b = _persons("html_two_classes.htm")
    for p in (class_a, class_b):
        assert p["name"] == "Osprey Capital Partners II, L.P."
        assert p["irs_number"] == "26-1234567"
        assert p["member_of_group"] == "b"  # Wingdings 'x' after (b), '¨' after (a)
        assert p["source_of_funds"] == ["WC"]
        assert p["legal_proceedings"] is False
        assert p["citizenship"] == "Delaware"
        assert p["type_of_reporting_person"] == ["PN"]
    assert class_a["cusip"] == "66612A105"
    assert class_b["cusip"] == "66612A204"
    # Values inside the label cells; the side label is a rowspan cell on row 7's line.
    assert (class_a["sole_voting_power"], class_a["shared_voting_power"]) == (0, 4264210)
    assert (class_a["sole_dispositive_power"], class_a["shared_dispositive_power"]) == (0, 4264210)
    assert class_a["aggregate_amount"] == 4264210
    assert class_a["excludes_certain_shares"] is True  # Wingdings þ
    assert class_a["percent_of_class"] == 8.5  # "8.5 %"
    # "0<sup>1</sup>" and "1,250,000" + a superscript styled font: footnote marks, not digits.
    assert (class_b["sole_voting_power"], class_b["shared_voting_power"]) == (0, 1250000)
    assert class_b["warnings"] == []
    assert class_b["aggregate_amount"] == 1250000
    assert class_b["excludes_certain_shares"] is False
    assert class_b["percent_of_class"] == 62.5


def test_html_one_cell_per_row_footnote_letters() -> None:
    (p,) = _persons("html_cell_per_row.htm")
    assert p["name"] == "Evelyn P. Rose\u2019s Survivor\u2019s Trust"  # two paragraphs folded
    assert p["member_of_group"] == "b"
    assert p["source_of_funds"] == ["OO"]
    assert p["legal_proceedings"] is False
    assert p["citizenship"] == "Texas"
    assert p["sole_voting_power"] == 181078  # 181,078(a)
    assert p["shared_voting_power"] == 2757279  # 2,757,279(b)(c)
    assert p["sole_dispositive_power"] == 181078
    assert p["shared_dispositive_power"] == 2757279
    assert p["aggregate_amount"] == 2938357
    assert p["excludes_certain_shares"] is False
    assert p["percent_of_class"] == 0.001
    assert p["type_of_reporting_person"] == ["OO"]
    assert p["cusip"] == "75615P 103"  # "CUSIP No." and its value in separate blocks


def test_joint_cover_page_yields_one_person_per_listed_name() -> None:
    persons = _persons("joint_cover.txt")
    assert [p["name"] for p in persons] == ["Harold B. Ames", "Ruth C. Ames", "Ames Family Trust"]
    harold, ruth, trust = persons
    assert [p["member_of_group"] for p in persons] == ["a", "a", "b"]
    assert [p["source_of_funds"] for p in persons] == [["PF"], ["PF"], ["OO"]]
    assert [p["citizenship"] for p in persons] == ["U.S.A.", "U.S.A.", "Illinois"]
    assert (harold["sole_voting_power"], harold["shared_voting_power"], harold["aggregate_amount"]) == (12500, 4000, 16500)
    assert (ruth["sole_voting_power"], ruth["shared_dispositive_power"]) == (0, 4000)
    # "Ames Family Trust(1) . . . 301,000": footnote mark and dot leaders are not the value.
    assert (trust["sole_dispositive_power"], trust["shared_voting_power"]) == (301000, 0)
    assert trust["aggregate_amount"] == 301000  # not the group total printed below it
    assert [p["percent_of_class"] for p in persons] == [0.8, 0.2, 14.3]
    assert [p["type_of_reporting_person"] for p in persons] == [["IN"], ["IN"], ["OO"]]
    assert all(p["excludes_certain_shares"] is False for p in persons)  # one box for everyone


def test_pasted_instructions_are_not_a_cover_page() -> None:
    persons, warnings = parse_cover_pages(document_lines((FIXTURES / "instructions_only.txt").read_bytes(), "txt"))
    assert persons == []
    assert any(w.startswith("cover_page_dropped") for w in warnings)


def test_instructions_after_a_cover_page_add_nobody() -> None:
    body = (FIXTURES / "no_row_numbers.txt").read_bytes() + (FIXTURES / "instructions_only.txt").read_bytes()
    persons, _ = parse_cover_pages(document_lines(body, "txt"))
    assert [p["name"] for p in persons] == ["Quentin R. Marsh"]
    assert persons[0]["type_of_reporting_person"] == ["IN"]


def test_document_without_cover_page() -> None:
    lines = ["SCHEDULE 13D/A", "(Amendment No. 2)", "", "Item 5. Interest in Securities of the Issuer.",
             "The reporting person no longer owns any shares."]
    assert parse_cover_pages(lines) == ([], [])


def test_name_of_reporting_person_in_prose_is_not_a_label() -> None:
    lines = ["Item 2. Identity and Background.",
             "The name of the reporting person is set forth on the cover page; the sole voting power",
             "and the aggregate amount beneficially owned are set forth in Item 5."]
    assert parse_cover_pages(lines)[0] == []


def test_cusip_header_in_the_same_table_row_as_row_1() -> None:
    lines = ["CUSIP No. 123456789 | (1) | Name of Reporting Person: Zeta Holdings Ltd.",
             "(2) | Check the appropriate box if a member of a group | (a) ☐", "(b) ☒", "(3) | SEC use only",
             "(4) | Source of funds | WC", "(6) | Citizenship or place of organization | Delaware",
             "Number of shares beneficially owned by each reporting person with | (7) | Sole voting power | 5",
             "(11) | Aggregate amount beneficially owned by each reporting person | 5",
             "(13) | Percent of class represented by amount in Row (11) | 1.0%", "(14) | Type of reporting person | CO"]
    (p,) = parse_cover_pages(lines)[0]
    assert (p["cusip"], p["name"], p["member_of_group"]) == ("123456789", "Zeta Holdings Ltd.", "b")
    assert (p["sole_voting_power"], p["aggregate_amount"], p["percent_of_class"]) == (5, 5, 1.0)


def test_row_numbers_in_labels_are_never_values() -> None:
    lines = [
        "1. NAME OF REPORTING PERSON", "Alpha Fund LP",
        "2. CHECK THE APPROPRIATE BOX IF A MEMBER OF A GROUP (a) [ ] (b) [ ]",
        "3. SEC USE ONLY", "4. SOURCE OF FUNDS", "WC",
        "6. CITIZENSHIP OR PLACE OF ORGANIZATION", "Delaware",
        "7. SOLE VOTING POWER", "8. SHARED VOTING POWER", "9. SOLE DISPOSITIVE POWER",
        "10. SHARED DISPOSITIVE POWER", "11. AGGREGATE AMOUNT BENEFICIALLY OWNED BY EACH REPORTING PERSON",
        "12. CHECK IF THE AGGREGATE AMOUNT IN ROW (11) EXCLUDES CERTAIN SHARES",
        "13. PERCENT OF CLASS REPRESENTED BY AMOUNT IN ROW (11)", "14. TYPE OF REPORTING PERSON", "PN",
    ]
    (p,) = parse_cover_pages(lines)[0]
    assert p["name"] == "Alpha Fund LP"
    for key in ("sole_voting_power", "shared_voting_power", "sole_dispositive_power",
                "shared_dispositive_power", "aggregate_amount", "percent_of_class"):
        assert p[key] is None, key
    assert p["type_of_reporting_person"] == ["PN"]


# --- the shared corpus's hand-checked labels ----------------------------------------------------

_FIELDS = ("name", "member_of_group", "source_of_funds", "citizenship", "sole_voting_power",
           "shared_voting_power", "sole_dispositive_power", "shared_dispositive_power",
           "aggregate_amount", "percent_of_class", "type_of_reporting_person")


def _label_cases(shared: Path) -> list[tuple[Path, Path]]:
    cases = [(p, shared / "corpus" / p.name.removesuffix(".json")) for p in sorted((shared / "labels").glob("*.json"))]
    cases += [(p, shared / "seed" / p.name.removesuffix(".json")) for p in sorted((shared / "seed").glob("*.json"))]
    return cases


def _lines_of(path: Path) -> list[str]:
    doc = pick_schedule_document(read_submission(path.read_bytes()))[0]
    fmt = detect_format(doc.body)
    assert fmt in ("txt", "html")
    return document_lines(doc.body, fmt)


def test_every_labelled_filing_matches_exactly(shared_dir: Path) -> None:
    mismatches = []
    cases = _label_cases(shared_dir)
    assert len(cases) >= 20
    for label_path, filing in cases:
        expected = json.loads(label_path.read_text())["reporting_persons"]
        got, _ = parse_cover_pages(_lines_of(filing))
        if len(got) != len(expected):
            mismatches.append(f"{filing.name}: {len(got)} persons, expected {len(expected)}")
            continue
        for i, (exp, person) in enumerate(zip(expected, got, strict=True)):
            for field in _FIELDS:
                want, have = exp[field], person[field]
                if field == "name":
                    want, have = re.sub(r"\s+", " ", want), have and re.sub(r"\s+", " ", have)
                if want != have:
                    mismatches.append(f"{filing.name}#{i + 1} {field}: expected {want!r}, got {have!r}")
    assert mismatches == []


def test_percent_after_a_row_reference_with_its_number_left_out() -> None:
    # "AMOUNT IN ROW | 9.2%": the 9 is the value, not row 9 (read as .2% before).
    [person] = _persons("html_row_number_left_out.htm")
    assert person["percent_of_class"] == 9.2
    assert person["aggregate_amount"] == 1043738
    assert person["shared_voting_power"] is None  # "See response to row 7." is no number
    assert person["member_of_group"] == "b"


def test_a_dash_alone_on_its_line_is_a_value_not_a_rule() -> None:
    # Cells flattened to paragraphs put the value on its own line; "-" there means none, i.e. 0.
    lines = [
        "1", "NAME OF REPORTING PERSON", "Jane Q. Holder",
        "2", "CHECK THE APPROPRIATE BOX IF A MEMBER OF A GROUP", "(a) ☐", "(b) ☒",
        "3", "SEC USE ONLY", "4", "SOURCE OF FUNDS", "PF",
        "6", "CITIZENSHIP OR PLACE OF ORGANIZATION", "United States",
        "7", "SOLE VOTING POWER:", "NUMBER OF", "-",
        "SHARES", "8", "SHARED VOTING POWER:", "BENEFICIALLY", "OWNED BY", "10,721,613 (1)",
        "EACH", "9", "SOLE DISPOSITIVE POWER:", "REPORTING", "-",
        "PERSON", "10", "SHARED DISPOSITIVE POWER:", "WITH", "10,721,613 (1)",
        "11", "AGGREGATE AMOUNT BENEFICIALLY OWNED BY EACH REPORTING PERSON:", "10,721,613 (1)",
        "------------------------------------------------------------",
        "13", "PERCENT OF CLASS REPRESENTED BY AMOUNT IN ROW (11):", "15.9%",
        "14", "TYPE OF REPORTING PERSON:", "IN",
    ]
    [person], _ = parse_cover_pages(lines)
    assert (person["sole_voting_power"], person["sole_dispositive_power"]) == (0, 0)
    assert person["shared_voting_power"] == person["aggregate_amount"] == 10721613
    assert person["percent_of_class"] == 15.9 and person["member_of_group"] == "b"
