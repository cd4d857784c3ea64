"""Holder identity: one key for one holder however the filings spell it, and no more merging than that."""

from __future__ import annotations

import pytest

from warehouse.identity import holder_key, normalize_name, strip_cik


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("Bear Stearns Asset Management Inc.", "BEAR STEARNS ASSET MANAGEMENT"),
        ("BEAR STEARNS ASSET MANAGEMENT INC", "BEAR STEARNS ASSET MANAGEMENT"),
        ("Bear Stearns Asset Management, Incorporated", "BEAR STEARNS ASSET MANAGEMENT"),
        ("Icahn Partners L.P.", "ICAHN PARTNERS LP"),
        ("ICAHN PARTNERS L P", "ICAHN PARTNERS LP"),
        ("Icahn Partners Limited Partnership", "ICAHN PARTNERS LP"),
        ("Elliott Capital Advisors, L.L.C.", "ELLIOTT CAPITAL ADVISORS LLC"),
        ("The Goldman Sachs Group, Inc.", "GOLDMAN SACHS GROUP"),
        ("Berkshire Hathaway Corporation", "BERKSHIRE HATHAWAY"),
        ("T. Rowe Price Associates\n Co.", "T ROWE PRICE ASSOCIATES"),
        ("O'Neil Capital Company", "ONEIL CAPITAL"),
        ("Smith & Wesson Holding Corp", "SMITH AND WESSON HOLDING"),
        ("  ", None),
        ("---", None),
        (None, None),
    ],
)
def test_normalize_name_folds_spellings(printed: str | None, key: str | None) -> None:
    assert normalize_name(printed) == key


def test_fund_and_general_partner_stay_apart() -> None:
    # A fund (LP) and its general partner (LLC) often share the rest of the name: two holders.
    assert normalize_name("Starboard Value L.P.") != normalize_name("Starboard Value LLC")


def test_cik_on_cover_wins_and_loses_leading_zeros() -> None:
    assert holder_key("Anything", "0001067983") == "cik:1067983"


def test_header_filer_cik_matches_by_normalized_name() -> None:
    key = holder_key(
        "Bear Stearns Asset Management Inc.",
        None,
        ["1001", "0000002002"],
        ["SOMEONE ELSE LLC", "BEAR STEARNS ASSET MANAGEMENT INC"],
    )
    assert key == "cik:2002"


def test_name_key_when_no_filer_matches() -> None:
    key = holder_key("Bear Stearns Asset Management Inc.", None, ["1001"], ["SOMEONE ELSE LLC"])
    assert key == "name:BEAR STEARNS ASSET MANAGEMENT"


def test_nameless_cover_pages_are_never_merged() -> None:
    a = holder_key(None, None, filing_id="0001-24-000001", seq=1)
    b = holder_key(None, None, filing_id="0001-24-000001", seq=2)
    assert a != b and a.startswith("anon:")


def test_strip_cik() -> None:
    assert strip_cik("0000320193") == "320193"
    assert strip_cik(" ") is None
    assert strip_cik(None) is None
