"""The typed readers of cover-page values: what filers print, and what each must become."""

from __future__ import annotations

import pytest

from extractors.schema import REPORTING_PERSON_TYPES, SOURCE_OF_FUNDS_CODES
from extractors.values import (
    box_state,
    is_checked,
    parse_codes,
    parse_group_boxes,
    parse_percent,
    parse_share_count,
)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("22,149,036", 22149036),
        ("22,149,036 shares of Common Stock", 22149036),
        ("1,234,567 shares of Common Stock", 1234567),
        ("181,078(a)", 181078),
        ("3,215,700(a)(b)(c)(d)(e)(f)", 3215700),
        ("4,264,210**", 4264210),
        ("1,234,567(1)", 1234567),
        ("10,721,613 (1)", 10721613),
        ("544,609 (1)(2)", 544609),
        ("8,816,413 (See Item 5)", 8816413),
        ("17285425.04", 17285425.04),
        ("31,797.3 UNITS", 31797.3),
        ("* 36,332,270", 36332270),
        (": 2,000", 2000),
        ("- 189,185", 189185),
        ("Approximately 1,500,000", 1500000),
        ("0", 0),
        ("-0-", 0),
        ("- 0 -", 0),
        ("\u20140\u2014", 0),
        ("-", 0),
        ("None", 0),
        ("None.", 0),
        ("none", 0),
        ("Nil", 0),
        ("0 shares", 0),
        ("-3,416,000-", 3416000),  # framed by dashes the way a zero is
        ("Ariel: 3,098,947", 3098947),  # after the person's short name
    ],
)
def test_share_counts(printed: str, expected: float) -> None:
    assert parse_share_count(printed) == expected


@pytest.mark.parametrize("printed", ["", "   ", None, "N/A", "n/a", "NA", "Not applicable", "Not Applicable."])
def test_share_count_not_printed_is_null(printed: str | None) -> None:
    warnings: list[str] = []
    assert parse_share_count(printed, warnings) is None
    assert warnings == []


@pytest.mark.parametrize("printed", ["See Item 5", "See response to row 7.", "1,000 - 2,000", "1,000 to 2,000"])
def test_share_count_unreadable_warns(printed: str) -> None:
    warnings: list[str] = []
    assert parse_share_count(printed, warnings) is None
    assert len(warnings) == 1


def test_glued_footnote_digit_is_cut_at_the_digit_groups() -> None:
    warnings: list[str] = []
    assert parse_share_count("36,832,4081", warnings) == 36832408
    assert warnings and warnings[0].startswith("share_count_trailing_digits")


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("8.5%", 8.5),
        ("8.5 %", 8.5),
        ("17.0", 17.0),
        (".5%", 0.5),
        (".08%", 0.08),
        ("0%", 0.0),
        ("0.0%", 0.0),
        ("-0-%", 0.0),
        ("-0-", 0.0),
        ("30.3% *", 30.3),
        ("47.53%1", 47.53),
        ("5.0% (2)", 5.0),
        ("9.66% at 5/19/03 based on 8,460,187 common shares", 9.66),
        ("Approximately 6.6%", 6.6),
        ("0.001%", 0.001),
        ("Ariel: 3,355,502/61,145,088=5.5%", 5.5),  # printed with its computation
    ],
)
def test_percents(printed: str, expected: float) -> None:
    assert parse_percent(printed) == expected


def test_percent_bound_is_null_with_the_bound_kept_in_a_warning() -> None:
    warnings: list[str] = []
    assert parse_percent("Less than 1%", warnings) is None
    assert warnings == ["percent_bound: 'Less than 1%'"]
    assert parse_percent("<0.1%", warnings) is None
    assert parse_percent("N/A") is None
    assert parse_percent("") is None


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("WC", ["WC"]),
        ("WC/00", ["WC", "OO"]),
        ("00", ["OO"]),
        ("PF , BK, SC", ["PF", "BK", "SC"]),
        ("PF/OO", ["PF", "OO"]),
        ("WC (1)", ["WC"]),
        ("AF; see Item 3", ["AF"]),
        ("N/A", []),
        ("NA", []),
        ("Not applicable", []),
        ("No funds involved", []),
        ("(See Instructions)", []),
        ("SEE INSTRUCTIONS", []),
        ("", []),
    ],
)
def test_source_of_funds_codes(printed: str, expected: list[str]) -> None:
    assert parse_codes(printed, SOURCE_OF_FUNDS_CODES) == expected


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("PN, HC", ["PN", "HC"]),
        ("IA, PN", ["IA", "PN"]),
        ("IN", ["IN"]),
        ("CO (See Item 2)", ["CO"]),
        ("Corporation (CO)", ["CO"]),
        ("SEE ITEM 5 IN THE STATEMENT", []),
        ("TYPE OF REPORTING PERSON (SEE INSTRUCTIONS)", []),
        ("pn", ["PN"]),
        ("XX", []),
    ],
)
def test_reporting_person_types(printed: str, expected: list[str]) -> None:
    assert parse_codes(printed, REPORTING_PERSON_TYPES) == expected


@pytest.mark.parametrize("mark", ["|X|", "[X]", "[ x ]", "(X)", "x", "X", "☒", "✓", "☑", "/X/"])
def test_checked_marks(mark: str) -> None:
    assert is_checked(mark)
    assert box_state(f"Excludes certain shares {mark}") is True


@pytest.mark.parametrize("mark", ["|_|", "[ ]", "[_]", "( )", "☐", "o", "/ /", "___", "|-|"])
def test_empty_boxes(mark: str) -> None:
    assert not is_checked(mark)
    assert box_state(mark) is False


def test_box_state_is_none_without_any_box() -> None:
    assert box_state("Not Applicable") is None
    assert box_state("Items 2(d) or 2(e)") is None


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("(a) |X|  (b) |_|", "a"),
        ("(a) |-| (b) |X|", "b"),
        ("(a) [ ] (b) [ X ]**", "b"),
        ("(a.) ( ) (b.) (X)", "b"),
        ("(a): ☐ (b): ☒", "b"),
        ("(a)  X        (b)", "a"),
        ("(a) ☐ (b) ☐", None),
        ("(a) ___ (b) ___", None),
        ("(a) /_ _ / (b) /    /", None),
        ("(A)[ ] (B)[X]", "b"),
        ("☒ (a)   ☐ (b)", "a"),
        ("(a) Not (b) Applicable", None),
        ("", None),
    ],
)
def test_group_boxes(printed: str, expected: str | None) -> None:
    assert parse_group_boxes(printed) == expected
