"""A fixture world for the Schedule 13G end-to-end tests: a passive holder that turns active.

MERIDIAN HARBOR FOODS INC (a fictional issuer) and LANTERN HILL PARTNERS LP, which reports on it as a
passive investor (Schedule 13G, Rule 13d-1(c)) in every era, a 1999 plain-text SC 13G, a 2006 HTML
SC 13G/A and a 2025 XML SCHEDULE 13G/A, and then files a SCHEDULE 13D in June 2025: it stopped being
passive. Every filing is written here in its era's true format (tests.local_edgar.filings).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from extractors.cusip import cusip_check_digit
from tests.local_edgar import EdgarFixtures, Entity
from tests.local_edgar.filings import make_13d, make_13g

MERIDIAN = Entity(1170501, "MERIDIAN HARBOR FOODS INC")
LANTERN = Entity(1170502, "LANTERN HILL PARTNERS LP")
MERIDIAN_CUSIP = "58942Q10" + cusip_check_digit("58942Q10")


@dataclass(frozen=True)
class Report:
    accession: str
    filed: dt.date
    schedule: str
    fmt: str
    amendment: int | None
    shares: int
    percent: str


MERIDIAN_HISTORY = [
    Report("0000950123-99-001212", dt.date(1999, 2, 12), "13G", "txt", None, 612_500, "5.6"),
    Report("0001193125-06-031414", dt.date(2006, 2, 14), "13G", "html", 1, 810_000, "7.4"),
    Report("0001172661-25-001313", dt.date(2025, 2, 13), "13G", "xml", 2, 905_000, "8.2"),
    Report("0001172661-25-060202", dt.date(2025, 6, 2), "13D", "xml", None, 1_410_000, "12.8"),
]


def meridian_filings() -> list[bytes]:
    out = []
    for r in MERIDIAN_HISTORY:
        printed = f"58942Q 10 {MERIDIAN_CUSIP[-1]}" if r.fmt == "txt" else MERIDIAN_CUSIP
        if r.schedule == "13G":
            out.append(make_13g(r.accession, r.filed, MERIDIAN, [LANTERN], printed, amendment_no=r.amendment,
                                rule="c", shares=r.shares, percent=r.percent))
        else:
            out.append(make_13d(r.accession, r.filed, MERIDIAN, [LANTERN], printed, shares=r.shares,
                                percent=r.percent))
    return out


def meridian_fixtures() -> EdgarFixtures:
    fx = EdgarFixtures()
    for raw in meridian_filings():
        fx.add_raw(raw)
    return fx
