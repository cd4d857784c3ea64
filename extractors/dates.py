"""Read the dates filers print, in any of the shapes they print them.

Covers and signature blocks were typed by hand for thirty years: month names spelled out, cut short
('Feb.', 'Sept'), with ordinals ('4th'), day-first ('9 February 2004'), numeric US order ('2/9/04'),
ISO, and typing slips such as stray spaces inside numbers ('March 30 , 201 5'). One function reads
them all so the cover, the signatures and anything else agree on what a date is.
"""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "febr": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
# A day or year may carry a stray space between its digits ('201 5') and OCR-style 'l' for '1'.
_DAY = r"(?P<day>[0-3]?\s?[0-9lI](?![0-9]))\s*(?:st|nd|rd|th|d)?"
_YEAR = r"(?P<year>(?:1\s?9|2\s?0)\s?[0-9lI]\s?[0-9lI]|'?[0-9]{2})(?![0-9])"

# A range of days ('June 1-5, 2007', 'June 1 and 5, 2007') reads as its first day.
_DAY_RANGE = r"(?:\s*(?:-|\u2013|\u2014|to|through|and|&)\s*[0-3]?[0-9](?:st|nd|rd|th)?)?"
_MONTH_FIRST = re.compile(r"\b" + _MONTH + r"\s*,?\s*" + _DAY + _DAY_RANGE + r"\s*[,.]?\s*" + _YEAR, re.I)
_DAY_FIRST = re.compile(r"(?<![0-9])" + _DAY + r"(?:\s+day\s+of)?\s*[-\s]\s*" + _MONTH + r"\s*[,\-]?\s*" + _YEAR, re.I)
_ISO = re.compile(r"(?<![0-9])(?P<year>(?:19|20)[0-9]{2})-(?P<month>[01]?[0-9])-(?P<day>[0-3]?[0-9])(?![0-9])")
_NUMERIC = re.compile(
    r"(?<![0-9/.\-])(?P<month>[01]?[0-9])\s?(?P<sep>[/\-.])\s?(?P<day>[0-3]?[0-9])\s?(?P=sep)\s?(?P<year>[0-9]{4}|[0-9]{2})(?![0-9])"
)

_ASCII_DIGIT = re.compile("[0-9]")


def _year(text: str) -> int | None:
    s = text.replace(" ", "").replace("'", "").replace("l", "1").replace("I", "1")
    if not s.isdigit():
        return None
    y = int(s)
    if len(s) == 2:
        # Schedule 13D exists since 1968 on paper and 1993 on EDGAR: 69-99 are 1900s, 00-68 2000s.
        y += 1900 if y >= 69 else 2000
    return y


def _day(text: str) -> int | None:
    s = text.replace(" ", "").replace("l", "1").replace("I", "1")
    return int(s) if s.isdigit() else None


def _make(year: int | None, month: int | None, day: int | None) -> dt.date | None:
    if year is None or month is None or day is None or not (1900 <= year <= 2100):
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str | None) -> dt.date | None:
    """The first date printed in ``text`` (a cover line, a 'Date: ...' line), or None.

    Month names win over numbers, so '(212) 555-1234' or a share count never reads as a date when
    a written date is present; numeric dates are read in US order (month/day/year).
    """
    if not text or not _ASCII_DIGIT.search(text):  # every shape below needs a year's digits
        return None
    best: tuple[int, dt.date] | None = None
    for rx in (_MONTH_FIRST, _DAY_FIRST):
        for m in rx.finditer(text):
            d = _make(_year(m.group("year")), _MONTHS.get(m.group("month").lower().rstrip(".")), _day(m.group("day")))
            if d is not None:
                if best is None or m.start() < best[0]:
                    best = (m.start(), d)
                break
    if best is not None:
        return best[1]
    for m in _ISO.finditer(text):
        d = _make(int(m.group("year")), int(m.group("month")), int(m.group("day")))
        if d is not None:
            return d
    for m in _NUMERIC.finditer(text):
        d = _make(_year(m.group("year")), int(m.group("month")), int(m.group("day")))
        if d is not None:
            return d
    return None


__all__ = ["parse_date"]
