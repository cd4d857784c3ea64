"""CUSIP rules: the check digit, what filers print, and what must never pass for a CUSIP."""

from __future__ import annotations

import pytest

from extractors.cusip import (
    cusip_check_digit,
    cusip_from_isin,
    find_cusips,
    is_valid_cusip,
    normalize_cusip,
    scan_cusips,
)


@pytest.mark.parametrize("cusip", ["037833100", "G9319H102", "805423100"])
def test_the_three_edgar_md_examples_pass_the_check_digit(cusip: str) -> None:
    assert is_valid_cusip(cusip)
    assert cusip_check_digit(cusip[:8]) == cusip[8]


@pytest.mark.parametrize("bad", ["037833101", "928490104", "86434690 0", "", "12345678", "0378331000"])
def test_wrong_check_digit_or_length_is_not_valid(bad: str) -> None:
    assert not is_valid_cusip(bad)


def test_check_digit_rejects_non_cusip_input() -> None:
    with pytest.raises(ValueError):
        cusip_check_digit("1234567")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("805423 10 0", "805423100"),  # spaces between issuer, issue and check digit
        ("57038N-10-5", "57038N105"),  # dashes
        ("833 663 305", "833663305"),
        ("00756E.10.5", "00756E105"),  # dots
        ("g9319h102", "G9319H102"),  # lower case
        ("88160910", "881609101"),  # eight characters: the check digit is appended
        ("254745 10", "254745102"),
        ("0037833100", "037833100"),  # zero-padded to ten
    ],
)
def test_normalize_printed_shapes(raw: str, expected: str) -> None:
    assert normalize_cusip(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "928490 10 4",  # nine printed characters with a wrong check digit: a typo, never 'fixed'
        "13-3434407",  # an I.R.S. number whose nine digits happen to pass the CUSIP check
        "133-43-4407",  # a social security number shape
        "US0378331005",  # an ISIN is not a CUSIP
        "2046251",  # a SEDOL (seven characters)
        "B0YBKJ7",
        "None",
        "N/A",
        "1234567890",  # ten characters without a leading zero
        None,
        "",
    ],
)
def test_normalize_refuses_what_is_not_a_cusip(raw: str | None) -> None:
    assert normalize_cusip(raw) is None


def test_irs_number_digits_really_pass_the_check() -> None:
    # Guards the test above: the I.R.S. number is refused for its shape, not for its digits.
    assert is_valid_cusip("133434407")


def test_cusip_from_isin_only_for_us_and_ca_isins_with_a_valid_check() -> None:
    assert cusip_from_isin("US0378331005") == "037833100"
    assert cusip_from_isin("US0378331006") is None  # ISIN check digit wrong
    assert cusip_from_isin("GB0002634946") is None  # not a US/CA ISIN


def test_find_cusips_labelled_and_captioned_in_order_and_distinct() -> None:
    lines = [
        "                                   805423 10 0",
        " ------------------------------------------------",
        "                                 (CUSIP number)",
        "",
        "CUSIP No. 805423 10 0                                           Page 2 of 9",
        "CUSIP Number: 57038N-10-5",
        "CUSIP # 88160910",
        "CUSIP No. 805423100   13D   Page 3 of 9",
    ]
    assert find_cusips(lines) == [("805423100", "805423 10 0"), ("57038N105", "57038N-10-5"), ("881609101", "88160910")]


def test_find_cusips_value_in_the_next_cell_after_a_bare_label() -> None:
    assert find_cusips(["CUSIP No.", "", "928490 10 4", "CUSIP No.", "45774W108"]) == [("45774W108", "45774W108")]


def test_find_cusips_ignores_isin_sedol_and_irs_neighbours() -> None:
    lines = [
        "CUSIP: 037833100    ISIN: US0378331005    SEDOL: 2046251",
        "1  NAME OF REPORTING PERSON  Example Fund, L.P.   I.R.S. No. 13-3434407",
        "CUSIP No. None",
        "ISIN US0378331005 (no CUSIP assigned)",
        "(CUSIP Number)",
    ]
    assert find_cusips(lines) == [("037833100", "037833100")]


def test_find_cusips_keeps_every_class_of_a_multi_class_cover() -> None:
    lines = [
        "Class A Common Stock: 864346200",
        "Class B Common Stock: 07556Q105",
        "(CUSIP Number)",
    ]
    assert [c for c, _ in find_cusips(lines)] == ["864346200", "07556Q105"]


def test_find_cusips_stops_at_the_items() -> None:
    lines = ["CUSIP No. 805423100", "", "Item 1.  Security and Issuer", "CUSIP No. 037833100"]
    assert find_cusips(lines) == [("805423100", "805423100")]


def test_scan_keeps_the_invalid_printed_value_for_cusip_raw() -> None:
    cands = scan_cusips(["928490 10 4", "(CUSIP Number)"])
    assert [(c.raw, c.cusip, c.captioned) for c in cands] == [("928490 10 4", None, True)]


def test_side_by_side_captions_are_read_by_column() -> None:
    lines = [
        "   Common Stock, par value $1.00                    01475210",
        "- -----------------------------------   -----------------------------------",
        "   (Title of class of securities)                (CUSIP number)",
    ]
    assert find_cusips(lines) == [("014752109", "01475210")]
