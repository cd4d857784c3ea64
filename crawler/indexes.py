"""Discovery by day: EDGAR's daily and quarterly ``master`` indexes.

``master`` is the pipe-delimited flavour (``form`` and ``company`` are fixed-width with spaces inside
form types), so it is the one read here. A day without an index (weekend, holiday, not yet published)
is normal: EDGAR answers 403 AccessDenied or 404, and the day simply has no filings.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from crawler.candidates import THIRTEEN_D_FORMS, Candidate, merge_candidates, parse_date
from crawler.client import EdgarClient, NotFound

log = logging.getLogger("edgar13d.crawler")


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def daily_index_url(www_url: str, day: dt.date) -> str:
    return (f"{www_url.rstrip('/')}/Archives/edgar/daily-index/{day.year}/QTR{quarter_of(day)}/"
            f"master.{day:%Y%m%d}.idx")


def quarterly_index_url(www_url: str, year: int, quarter: int) -> str:
    return f"{www_url.rstrip('/')}/Archives/edgar/full-index/{year}/QTR{quarter}/master.idx"


def parse_master_index(text: str, forms: Iterable[str] = THIRTEEN_D_FORMS, source: str = "index") -> list[Candidate]:
    """The wanted filings of one ``master`` index, one per accession (each CIK on a filing has a line).

    Pure: the preamble ends at the dashed line under ``CIK|Company Name|...``; a line that does not have
    five fields is skipped rather than trusted.
    """
    wanted = {f.upper() for f in forms}
    out: list[Candidate] = []
    in_body = False
    for line in text.splitlines():
        if not in_body:
            if line.startswith("-----"):
                in_body = True
            continue
        parts = line.rstrip().split("|")
        if len(parts) != 5:
            continue
        cik_s, _name, form, date_s, filename = (p.strip() for p in parts)
        if form.upper() not in wanted or not cik_s.isdigit():
            continue
        accession = filename.rsplit("/", 1)[-1].removesuffix(".txt")
        cik = int(cik_s)
        out.append(Candidate(accession, cik, form, parse_date(date_s), (cik,), source))
    return merge_candidates(out)


def _fetch_index(client: EdgarClient, url: str) -> str | None:
    try:
        body = client.get_bytes(url)
    except NotFound:
        log.info("no index at %s (weekend, holiday or not published yet)", url)
        return None
    return body.decode("latin-1")


def daily_candidates(client: EdgarClient, www_url: str, day: dt.date,
                     forms: Iterable[str] = THIRTEEN_D_FORMS) -> list[Candidate]:
    """The 13D filings of one day (empty when the day has no index)."""
    text = _fetch_index(client, daily_index_url(www_url, day))
    return [] if text is None else parse_master_index(text, forms, "daily-index")


def quarters_between(start: dt.date, end: dt.date) -> list[tuple[int, int]]:
    out = []
    y, q = start.year, quarter_of(start)
    while (y, q) <= (end.year, quarter_of(end)):
        out.append((y, q))
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out


def range_candidates(client: EdgarClient, www_url: str, start: dt.date, end: dt.date,
                     forms: Iterable[str] = THIRTEEN_D_FORMS) -> list[Candidate]:
    """Backfill a date range from quarterly indexes: one request per quarter instead of one per day."""
    forms = tuple(forms)
    out: list[Candidate] = []
    for year, qtr in quarters_between(start, end):
        text = _fetch_index(client, quarterly_index_url(www_url, year, qtr))
        if text is None:
            continue
        out.extend(c for c in parse_master_index(text, forms, "quarterly-index")
                   if c.filed_date is None or start <= c.filed_date <= end)
    return merge_candidates(out)
