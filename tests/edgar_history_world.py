"""A fixture world for the end-to-end tests of issue 8: EDGAR as it really answers.

All filings are written here, in each era's true format (``tests.local_edgar.filings.make_13d``, and the
SAVVIS history of ``tests.edgar_world``); the companies and holders are fictional except for the public
identifiers the issue names (CUSIP 45774W108, ticker TSLA and its CIK), which carry made-up filings.

- QUILL RIVER SYSTEMS (CUSIP 45774W108): one 13D, an original of 2003, nothing else. Full-text search
  asked for all four 13D types runs ``root_forms AND form`` and returns amendments only: it is invisible.
- March 1994 (``master.MMDDYY.idx``), the last YYMMDD day and the first YYYYMMDD day (1998-03-30/31),
  and one 1993 filing that only the quarterly index lists (no daily indexes before 1994).
- May-June 2026: Memorial Day (a holiday: no index, no filing), a day whose index is published late and
  one whose daily index never appears (its filing reaches the quarterly index once the quarter closes).
- Tesla (TSLA, CIK 1318605) in the ticker files, with two 13Ds about it and one it filed about another
  company; SAVVIS (delisted, found only by name) and a second SAVVIS entity, so ``--name savvis`` is
  ambiguous; HERON POINT CAPITAL, a holder with 13Ds on two issuers.
"""

from __future__ import annotations

import datetime as dt

from extractors.cusip import cusip_check_digit
from tests.edgar_world import SUBJECT_CIK, savvis_filings
from tests.local_edgar import EdgarFixtures, Entity
from tests.local_edgar.filings import make_13d


def _cusip(first8: str) -> str:
    return first8 + cusip_check_digit(first8)


QUILL = Entity(1170001, "QUILL RIVER SYSTEMS INC")
QUILL_CUSIP = "45774W108"
HERON = Entity(1170101, "HERON POINT CAPITAL LP")
TESLA = Entity(1318605, "TESLA, INC.")
TESLA_CUSIP = "88160R101"
ROOFTOP = Entity(1170201, "ROOFTOP SOLAR WORKS INC")
SAVVIS_PARTNERS = Entity(1500001, "SAVVIS PARTNERS LP")
MARSH = Entity(1170301, "MARSH HAWK ADVISORS LLC")

QUILL_ORIGINAL = "0001140361-03-004512"

# Text era: March 1994 on daily indexes named master.MMDDYY.idx; 1993 on quarterly indexes only.
MARCH_1994 = {
    "0000950123-94-000301": (dt.date(1994, 3, 1), Entity(1170401, "PRAIRIE GRAIN CO")),
    "0000950123-94-000302": (dt.date(1994, 3, 1), Entity(1170402, "BLUE MESA MINING CORP")),
    "0000950123-94-000303": (dt.date(1994, 3, 3), Entity(1170403, "OLD HARBOR BANCORP")),
}
FEB_1993 = ("0000950123-93-000201", dt.date(1993, 2, 16), Entity(1170404, "CANYON FERRY UTILITIES INC"))
MAY_1996 = ("0000950123-96-000501", dt.date(1996, 5, 14), Entity(1170405, "SILVER CREEK FOODS INC"))
BOUNDARY_1998 = {  # the last day named YYMMDD and the first named YYYYMMDD
    "0000950123-98-000330": (dt.date(1998, 3, 30), Entity(1170406, "NORTH FORK TIMBER CORP")),
    "0000950123-98-000331": (dt.date(1998, 3, 31), Entity(1170407, "EAST BAY CERAMICS INC")),
}

# 2026: a holiday, a late index and one that never appears.
MEMORIAL_DAY = dt.date(2026, 5, 25)
LATE_DAY = dt.date(2026, 6, 2)
NEVER_DAY = dt.date(2026, 6, 9)
LATE_FILING = "0001999888-26-000602"
NEVER_FILING = "0001999888-26-000609"
ON_TIME_FILING = "0001999888-26-000527"

TESLA_ABOUT = ["0001193125-14-000101", "0000950170-25-000102"]
TESLA_AS_FILER = "0001318605-16-000103"
HERON_FILINGS = [QUILL_ORIGINAL, TESLA_ABOUT[0]]


def history_fixtures() -> EdgarFixtures:
    fx = EdgarFixtures(recent_limit=3, page_size=2, holidays={MEMORIAL_DAY}, late_days={LATE_DAY, NEVER_DAY})
    fx.add_raw(make_13d(QUILL_ORIGINAL, dt.date(2003, 6, 10), QUILL, [HERON], QUILL_CUSIP, file_number="005-79001"))
    for acc, (day, issuer) in {**MARCH_1994, **BOUNDARY_1998}.items():
        c = _cusip(f"{issuer.cik % 1000:03d}77P10")
        fx.add_raw(make_13d(acc, day, issuer, [MARSH], f"{c[:6]} {c[6:8]} {c[8]}"))
    for acc, day, issuer in (FEB_1993, MAY_1996):
        fx.add_raw(make_13d(acc, day, issuer, [MARSH], _cusip(f"{issuer.cik % 1000:03d}88P10")))
    for acc, day in ((ON_TIME_FILING, dt.date(2026, 5, 27)), (LATE_FILING, LATE_DAY), (NEVER_FILING, NEVER_DAY)):
        issuer = Entity(1170500 + day.day, f"JUNE ISSUER {day.day} INC")
        fx.add_raw(make_13d(acc, day, issuer, [MARSH], _cusip(f"5{day.day:02d}000P1")))

    # Tesla: in the ticker files, two 13Ds about it (by Heron, then by Marsh Hawk), one it filed.
    fx.add_ticker(TESLA.cik, "TSLA", "Nasdaq", name=TESLA.name)
    fx.add_former_name(TESLA.cik, "TESLA MOTORS INC", dt.date(2003, 7, 1), dt.date(2017, 2, 1))
    fx.add_raw(make_13d(TESLA_ABOUT[0], dt.date(2014, 8, 4), Entity(TESLA.cik, "TESLA MOTORS INC"), [HERON],
                        TESLA_CUSIP, file_number="005-85616"))
    fx.add_raw(make_13d(TESLA_ABOUT[1], dt.date(2025, 3, 3), TESLA, [MARSH], TESLA_CUSIP, amendment=True))
    fx.add_raw(make_13d(TESLA_AS_FILER, dt.date(2016, 8, 1), ROOFTOP, [TESLA], _cusip("77999Q10")))
    fx.add_ticker(1067983, "BRK-B", "NYSE", name="BERKSHIRE HATHAWAY INC")
    fx.add_ticker(1067983, "BRK-A", "NYSE")
    fx.add_ticker(2007855, "VG", None, name="VENTURE GULF INC")  # the exchange file has null exchanges

    # SAVVIS: delisted, so only the name file knows it; a second entity shares the word.
    for text in savvis_filings().values():
        fx.add_raw(text.encode("latin-1"))
    fx.add_former_name(SUBJECT_CIK, "SAVVIS INC", dt.date(2007, 1, 1), None)
    fx.names[SAVVIS_PARTNERS.cik] = SAVVIS_PARTNERS.name
    return fx
