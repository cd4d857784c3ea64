"""A fixture company with 13D history in all three eras, plus the decoys a CUSIP crawl must reject.

PRAIRIE LANTERN HOLDINGS INC (CIK 1790001), class A CUSIP 74158Q10x, class B 74158Q20x (fictional).
Its submissions JSON is cut small (``recent_limit``) so that 1990s filings sit on overflow pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from extractors.cusip import cusip_check_digit
from tests.local_edgar.filings import form_for, make_13d
from tests.local_edgar.model import EdgarFixtures, Entity

PRAIRIE = Entity(1790001, "PRAIRIE LANTERN HOLDINGS INC")
MARSH_WREN = Entity(1790201, "MARSH WREN CORP")
BLUE_HERON = Entity(1790101, "BLUE HERON CAPITAL LP")
OSPREY = Entity(1790102, "OSPREY PARTNERS LLC")
KESTREL = Entity(1790103, "KESTREL FUND I LP")

CLASS_A = "74158Q10" + cusip_check_digit("74158Q10")
CLASS_B = "74158Q20" + cusip_check_digit("74158Q20")
MARSH_CUSIP = "57238W10" + cusip_check_digit("57238W10")


def spaced(c: str) -> str:
    return f"{c[:6]} {c[6:8]} {c[8]}"


def dashed(c: str) -> str:
    return f"{c[:6]}-{c[6:8]}-{c[8]}"


@dataclass
class Demo:
    fixtures: EdgarFixtures
    cusip: str = CLASS_A
    cik: int = PRAIRIE.cik
    expected: list[str] = field(default_factory=list)  # class A 13Ds about Prairie, oldest first
    class_b: list[str] = field(default_factory=list)
    decoys: dict[str, str] = field(default_factory=dict)  # accession -> why it must be rejected


def _add(fx: EdgarFixtures, acc: str, filed: dt.date, subject: Entity, filers: list[Entity], printed: str,
         amendment: bool = False, file_number: str = "005-41234", extra: str = "",
         stake: tuple[int, str] = (1_250_000, "7.4")) -> str:
    raw = make_13d(acc, filed, subject, filers, printed, amendment=amendment, file_number=file_number,
                   extra_text=extra, shares=stake[0], percent=stake[1])
    fx.add_raw(raw)
    assert fx.filings[acc].form == form_for(filed, amendment)
    return acc


def demo_fixtures(recent_limit: int = 4, page_size: int = 3) -> Demo:
    fx = EdgarFixtures(recent_limit=recent_limit, page_size=page_size)
    d = Demo(fx)
    # Stakes move as real ones do (about 16.9M class A shares): Blue Heron builds to 12.4%, Osprey
    # crosses 10%, then the Kestrel and Osprey group crosses 15% and 20%.
    d.expected = [
        _add(fx, "0000950123-96-000101", dt.date(1996, 3, 12), PRAIRIE, [BLUE_HERON], spaced(CLASS_A),
             stake=(1_250_000, "7.4")),
        _add(fx, "0000950123-99-000202", dt.date(1999, 7, 1), PRAIRIE, [BLUE_HERON], CLASS_A[:8], amendment=True,
             stake=(2_100_000, "12.4")),
        _add(fx, "0001193125-04-000303", dt.date(2004, 5, 10), PRAIRIE, [OSPREY], dashed(CLASS_A),
             stake=(900_000, "5.3")),
        _add(fx, "0001193125-13-000404", dt.date(2013, 9, 3), PRAIRIE, [OSPREY], CLASS_A, amendment=True,
             stake=(1_800_000, "10.6")),
        _add(fx, "0000950170-25-000505", dt.date(2025, 2, 3), PRAIRIE, [KESTREL, OSPREY], CLASS_A,
             stake=(2_700_000, "16.0")),
        _add(fx, "0000950170-25-000606", dt.date(2025, 6, 16), PRAIRIE, [KESTREL, OSPREY], CLASS_A, amendment=True,
             stake=(3_600_000, "21.3")),
    ]
    d.class_b = [_add(fx, "0001193125-12-000707", dt.date(2012, 11, 20), PRAIRIE, [OSPREY], spaced(CLASS_B))]
    d.decoys = {
        _add(fx, "0001193125-10-000808", dt.date(2010, 4, 5), MARSH_WREN, [PRAIRIE], spaced(MARSH_CUSIP),
             file_number="005-55555"): "Prairie is the filer, not the subject",
        d.class_b[0]: "class B, not class A",
        _add(fx, "0001193125-16-000909", dt.date(2016, 8, 8), MARSH_WREN, [KESTREL], MARSH_CUSIP,
             file_number="005-55555",
             extra=f"The Issuer agreed to exchange its shares for shares of {PRAIRIE.name} (CUSIP {CLASS_A})."):
            "about Marsh Wren, mentions Prairie's CUSIP",
    }
    # In EDGAR's ticker files, so `backfill --ticker PRLH` and `--name prairie` work offline too.
    fx.add_ticker(PRAIRIE.cik, "PRLH", "Nasdaq")
    fx.add_former_name(PRAIRIE.cik, "PRAIRIE LANTERN CORP", dt.date(1995, 1, 1), dt.date(2003, 12, 31))
    # Noise in the submissions and indexes, spread over the years so the overflow pages mix forms.
    for i, (form, day) in enumerate([("10-K", dt.date(1997, 3, 28)), ("10-K", dt.date(2005, 3, 15)),
                                     ("8-K", dt.date(2014, 1, 6)), ("10-K", dt.date(2024, 2, 27)),
                                     ("8-K", dt.date(2025, 6, 16))]):
        fx.add_other(PRAIRIE.cik, form, day, f"0001790001-{day.year % 100:02d}-{i + 1:06d}", PRAIRIE.name)
    return d
