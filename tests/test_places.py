"""Row 6 as an EDGAR state/country code, from the words text and HTML filings print."""

from __future__ import annotations

import pytest

from extractors.places import CODES, place_code


@pytest.mark.parametrize(
    ("printed", "code"),
    [
        ("Delaware", "DE"), ("DELAWARE", "DE"), ("a Delaware limited partnership", "DE"),
        ("State of New York", "NY"), ("Commonwealth of Massachusetts", "MA"), ("New Jersey", "NJ"),
        ("Cayman Islands", "E9"), ("a Cayman Islands exempted company", "E9"), ("British Virgin Islands", "D8"),
        ("BVI", "D8"), ("U.S.A.", "X1"), ("United States of America", "X1"), ("U.S. Citizen", "X1"),
        ("Citizen of the United States", "X1"), ("American", "X1"), ("England and Wales", "X0"),
        ("United Kingdom", "X0"), ("British", "X0"), ("Israel", "L3"), ("Israeli", "L3"),
        ("People\u2019s Republic of China", "F4"), ("Hong Kong Special Administrative Region", "K3"),
        ("Republic of the Marshall Islands", "1T"), ("The Netherlands", "P7"), ("Guernsey", "Y7"),
        ("Jersey", "Y9"), ("Bermuda", "D0"), ("Ontario, Canada", "A6"), ("Canada", "Z4"),
        ("Korea, Republic of", "M5"), ("Republic of Korea", "M5"), ("Viet Nam", "Q1"), ("Curaçao", "P8"),
        ("Deleware", "DE"), ("Bristish Virgin Islands", "D8"),  # misspelt
        ("E9", "E9"), ("DE", "DE"), ("X1", "X1"),  # the XML era's own codes
        ("Delaware and New York", "DE"),  # two places: the first
    ],
)
def test_printed_places_get_their_edgar_code(printed: str, code: str) -> None:
    assert place_code(printed) == code
    assert code in CODES


@pytest.mark.parametrize(
    "printed",
    [None, "", "See Item 2", "Delaware 7", "USA NUMBER OF SHARES", "U.S. Permanent Resident", "N/A", "42",
     "Eurocredit Investments, Ltd. is a Maltese corporation and Mr. Mauran is a Canadian citizen."],
)
def test_text_that_is_not_one_place_gets_no_code(printed: str | None) -> None:
    assert place_code(printed) is None


def test_the_table_holds_the_edgar_lists_three_parts() -> None:
    assert CODES["NY"] == "New York" and CODES["A1"] == "British Columbia" and CODES["E9"] == "Cayman Islands"
    assert len([c for c in CODES if len(c) == 2]) == len(CODES) > 290
