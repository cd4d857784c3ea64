"""Discovery by day and by quarter: EDGAR's daily and quarterly ``master`` indexes.

``master`` is the pipe-delimited flavour (``form`` and ``company`` are fixed-width with spaces inside
form types), so it is the one read here. What EDGAR really serves:

- Daily indexes exist from 1994, quarterly full-indexes from 1993.
- The daily file name changed twice: ``master.MMDDYY.idx`` before 1995, ``master.YYMMDD.idx`` until
  1998-03-30, ``master.YYYYMMDD.idx`` from 1998-03-31.
- A day's index is published in the evening, and sometimes late. A missing one answers 403
  AccessDenied (or 404), the same as a weekend or a holiday: which it was is decided later, from the
  quarter's folder listing (``index.json``) or, once the quarter is over, from its full index.
- ``full-index/{YYYY}/QTR{q}/master.gz`` is the quarter's ``master.idx`` gzipped, about a seventh of
  the bytes: the one read here, with ``master.idx`` as the fallback.
"""

from __future__ import annotations

import datetime as dt
import gzip
import logging
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from crawler.candidates import THIRTEEN_D_FORMS, Candidate, merge_candidates, parse_date
from crawler.client import EdgarClient, NotFound

log = logging.getLogger("edgar13d.crawler")

QUARTERLY_INDEX_STARTS = dt.date(1993, 1, 1)
DAILY_INDEX_STARTS = dt.date(1994, 1, 1)
YYMMDD_NAMES_FROM = dt.date(1995, 1, 1)  # master.MMDDYY.idx before this day
YYYYMMDD_NAMES_FROM = dt.date(1998, 3, 31)  # master.YYMMDD.idx before this day


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> dt.date:
    return (dt.date(year + 1, 1, 1) if quarter == 4 else quarter_start(year, quarter + 1)) - dt.timedelta(days=1)


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}Q{quarter}"


def daily_index_name(day: dt.date) -> str:
    """The ``master`` file name EDGAR gave this day's index (three eras of date format)."""
    if day < YYMMDD_NAMES_FROM:
        return f"master.{day:%m%d%y}.idx"
    if day < YYYYMMDD_NAMES_FROM:
        return f"master.{day:%y%m%d}.idx"
    return f"master.{day:%Y%m%d}.idx"


def daily_index_folder(www_url: str, year: int, quarter: int) -> str:
    return f"{www_url.rstrip('/')}/Archives/edgar/daily-index/{year}/QTR{quarter}/"


def daily_index_url(www_url: str, day: dt.date) -> str:
    """URL of the day's ``master`` index. Raises ValueError before 1994: EDGAR has no daily index then."""
    if day < DAILY_INDEX_STARTS:
        raise ValueError(f"EDGAR has no daily index before {DAILY_INDEX_STARTS} (asked for {day}); "
                         "read the quarterly full-index instead")
    return daily_index_folder(www_url, day.year, quarter_of(day)) + daily_index_name(day)


def quarterly_index_url(www_url: str, year: int, quarter: int, compressed: bool = False) -> str:
    name = "master.gz" if compressed else "master.idx"
    return f"{www_url.rstrip('/')}/Archives/edgar/full-index/{year}/QTR{quarter}/{name}"


@dataclass(frozen=True)
class MasterRow:
    cik: int
    name: str
    form: str
    filed: dt.date | None
    accession: str


def master_rows(text: str, forms: Iterable[str] | None = None) -> Iterator[MasterRow]:
    """The rows of a ``master`` index (only those of ``forms`` when given). Pure: the preamble ends at
    the dashed line under ``CIK|Company Name|...``; a line without five fields is skipped, not trusted."""
    wanted = {f.upper() for f in forms} if forms is not None else None
    body = text.find("\n-----")
    if body < 0:
        return
    for line in text[text.find("\n", body + 1) + 1:].splitlines():
        parts = line.split("|")
        if len(parts) != 5:
            continue
        form = parts[2].strip()
        if wanted is not None and form.upper() not in wanted:
            continue  # most of a quarter's 300,000 lines: skipped before any other work
        cik_s = parts[0].strip()
        if not cik_s.isdigit():
            continue
        accession = parts[4].strip().rsplit("/", 1)[-1].removesuffix(".txt")
        yield MasterRow(int(cik_s), parts[1].strip(), form, parse_date(parts[3]), accession)


def parse_master_index(text: str, forms: Iterable[str] = THIRTEEN_D_FORMS, source: str = "index") -> list[Candidate]:
    """The wanted filings of one ``master`` index, one per accession (each CIK on a filing has a line)."""
    out = [Candidate(r.accession, r.cik, r.form, r.filed, (r.cik,), source) for r in master_rows(text, forms)]
    return merge_candidates(out)


def _fetch_index(client: EdgarClient, url: str) -> str | None:
    try:
        body = client.get_bytes(url)
    except NotFound:
        log.info("no index at %s (weekend, holiday, not published yet, or before EDGAR's indexes)", url)
        return None
    return body.decode("latin-1")


@dataclass(frozen=True)
class DayIndex:
    """One day's daily index: whether EDGAR has published it, and the wanted filings in it."""

    day: dt.date
    published: bool
    candidates: list[Candidate] = field(default_factory=list)
    url: str = ""


def read_daily_index(client: EdgarClient, www_url: str, day: dt.date,
                     forms: Iterable[str] = THIRTEEN_D_FORMS) -> DayIndex:
    """The day's index (``published=False`` when EDGAR has none, or none yet). Raises ValueError before 1994."""
    url = daily_index_url(www_url, day)
    text = _fetch_index(client, url)
    if text is None:
        return DayIndex(day, False, [], url)
    found = parse_master_index(text, forms, "daily-index")
    # A daily index lists only its own day: rows whose date did not parse belong to it too.
    found = [c if c.filed_date else Candidate(c.accession, c.cik, c.form, day, c.ciks, c.source) for c in found]
    return DayIndex(day, True, found, url)


def daily_candidates(client: EdgarClient, www_url: str, day: dt.date,
                     forms: Iterable[str] = THIRTEEN_D_FORMS) -> list[Candidate]:
    """The wanted filings of one day (empty when the day has no index)."""
    return read_daily_index(client, www_url, day, forms).candidates


def parse_folder_listing(doc: Any) -> set[str]:
    """File names in an EDGAR folder listing (``index.json``: ``{"directory": {"item": [{"name"...}]}}``)."""
    directory = doc.get("directory") if isinstance(doc, dict) else None
    items = directory.get("item") if isinstance(directory, dict) else None
    if not isinstance(items, list):
        return set()
    return {str(i["name"]) for i in items if isinstance(i, dict) and i.get("name")}


def daily_index_listing(client: EdgarClient, www_url: str, year: int, quarter: int) -> set[str] | None:
    """Names of the daily index files EDGAR has published for a quarter (one request); None: no folder."""
    try:
        doc = client.get_json(daily_index_folder(www_url, year, quarter) + "index.json")
    except NotFound:
        return None
    return parse_folder_listing(doc)


def quarterly_index_text(client: EdgarClient, www_url: str, year: int, quarter: int) -> str | None:
    """The quarter's ``master`` index as text: ``master.gz`` (a seventh of the bytes), else ``master.idx``.
    None when EDGAR has no index for the quarter (before 1993, or not begun)."""
    try:
        body = client.get_bytes(quarterly_index_url(www_url, year, quarter, compressed=True))
        try:
            return gzip.decompress(body).decode("latin-1")
        except (OSError, EOFError, zlib.error) as exc:
            log.info("master.gz of %s is not readable gzip (%s): reading master.idx", quarter_label(year, quarter), exc)
    except NotFound:
        pass
    return _fetch_index(client, quarterly_index_url(www_url, year, quarter))


def quarter_candidates(client: EdgarClient, www_url: str, year: int, quarter: int,
                       forms: Iterable[str] = THIRTEEN_D_FORMS) -> list[Candidate] | None:
    """The wanted filings of one quarter's full index; None when EDGAR has no index for it."""
    text = quarterly_index_text(client, www_url, year, quarter)
    return None if text is None else parse_master_index(text, forms, "quarterly-index")


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
    for year, qtr in quarters_between(max(start, QUARTERLY_INDEX_STARTS), end):
        found = quarter_candidates(client, www_url, year, qtr, forms)
        out.extend(c for c in found or [] if c.filed_date is None or start <= c.filed_date <= end)
    return merge_candidates(out)
