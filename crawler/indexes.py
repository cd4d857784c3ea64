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
import logging
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from crawler.candidates import SCHEDULE_FORMS, Candidate, merge_candidates, parse_date
from crawler.client import CrawlerError, EdgarClient, NotFound
from crawler.inflate import inflate_bounded

log = logging.getLogger("edgar13d.crawler")

QUARTERLY_INDEX_STARTS = dt.date(1993, 1, 1)
DAILY_INDEX_STARTS = dt.date(1994, 1, 1)
YYMMDD_NAMES_FROM = dt.date(1995, 1, 1)  # master.MMDDYY.idx before this day
YYYYMMDD_NAMES_FROM = dt.date(1998, 3, 31)  # master.YYMMDD.idx before this day
# A quarter's master.idx is tens of megabytes (2020s: ~60 MB); more than this is not an index.
MAX_INDEX_BYTES = 1 << 30


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


def parse_master_index(text: str, forms: Iterable[str] = SCHEDULE_FORMS, source: str = "index") -> list[Candidate]:
    """The wanted filings of one ``master`` index, one per accession (each CIK on a filing has a line)."""
    out = [Candidate(r.accession, r.cik, r.form, r.filed, (r.cik,), source) for r in master_rows(text, forms)]
    return merge_candidates(out)


class IndexDamaged(CrawlerError):
    """An index EDGAR answered 200 for that is not a whole index: junk, cut short, or another day's.
    Nothing in it is trusted; the day (or quarter) is read again by a later run."""

    reason = "bad_index"

    def __init__(self, url: str, problems: list[str]) -> None:
        super().__init__(f"the index at {url} cannot be trusted: {'; '.join(problems)}")
        self.url = url
        self.problems = problems
        self.detail = "; ".join(problems)


_HEADER_LINE = re.compile(r"^CIK\|Company Name\|Form Type\|Date Filed\|File ?name[ \t]*\r?$", re.I | re.M)
_LAST_RECEIVED = re.compile(r"^Last Data Received:[ \t]*(.+?)[ \t]*\r?$", re.M)
_ROW_FILE = re.compile(r"^edgar/data/\d+/\S+\.txt$")
_RECEIVED_FORMATS = ("%B %d, %Y", "%b %d, %Y")


def index_problems(text: str, day: dt.date | None = None) -> list[str]:
    """Why ``text`` is not a whole ``master`` index (of ``day``, for a daily one); empty when it is.

    What every index EDGAR writes holds: the ``CIK|Company Name|Form Type|Date Filed|Filename`` header
    and the dashed line under it; rows of five fields (a CIK, a date, a file under ``edgar/data``),
    the last one whole; a daily index's ``Last Data Received`` date is its day. A body
    cut mid-way, a 200 answer that is an error page, or another day's file fails one of these. (A body
    cut exactly at the end of a row, with no Content-Length, cannot be told from a whole one.)
    """
    head = _HEADER_LINE.search(text, 0, 8192)
    if not head:
        return ["no 'CIK|Company Name|Form Type|Date Filed|Filename' header: this is not a master index"]
    problems: list[str] = []
    rest = text[head.end():].lstrip("\r\n")
    dashes, _, body = rest.partition("\n")
    if not dashes.startswith("-----"):
        problems.append("no dashed line under the header")
    rows = bad = 0
    last_bad = False
    for line in body.splitlines():
        if not line.strip():
            continue
        rows += 1
        parts = line.split("|")
        last_bad = not (len(parts) == 5 and parts[0].strip().isdigit() and parse_date(parts[3]) is not None
                        and _ROW_FILE.match(parts[4].strip()))
        bad += last_bad
    # The last row must be whole (some index files end without a line end, so that alone proves nothing).
    if last_bad:
        problems.append("the last row is not whole: the index is cut short")
    # Damaged rows among good ones are refused row by row; a body mostly of such rows is junk.
    if bad * 2 > rows:
        problems.append(f"{bad} of {rows} rows are not CIK|name|form|date|edgar/data/... rows")
    if day is not None:
        m = _LAST_RECEIVED.search(text, 0, head.start())
        received = _received_date(m.group(1)) if m else None
        if received is not None and received != day:
            problems.append(f"its 'Last Data Received' is {received}, not {day}: another day's index")
    return problems


def malformed_rows(text: str) -> list[str]:
    """Body lines of an index that do not have the five fields of a row (they name no filing, so they
    are reported as they are rather than skipped in silence)."""
    body = text.find("\n-----")
    if body < 0:
        return []
    lines = text[text.find("\n", body + 1) + 1:].splitlines()
    return [line for line in lines if line.strip() and len(line.split("|")) != 5]


def _received_date(text: str) -> dt.date | None:
    text = " ".join(text.split())
    for fmt in _RECEIVED_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


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
    refused: list[str] = field(default_factory=list)  # rows that are not CIK|name|form|date|file


def read_daily_index(client: EdgarClient, www_url: str, day: dt.date,
                     forms: Iterable[str] = SCHEDULE_FORMS) -> DayIndex:
    """The day's index (``published=False`` when EDGAR has none, or none yet). Raises ValueError before 1994."""
    url = daily_index_url(www_url, day)
    text = _fetch_index(client, url)
    if text is None:
        return DayIndex(day, False, [], url)
    problems = index_problems(text, day)
    if problems:
        log.warning("daily index %s is not whole (%s): reading it again", url, "; ".join(problems))
        text = _fetch_index(client, url)
        problems = index_problems(text, day) if text is not None else ["it disappeared when read again"]
        if problems:
            raise IndexDamaged(url, problems)
    found = parse_master_index(text, forms, "daily-index")
    # A daily index lists only its own day: rows whose date did not parse belong to it too.
    found = [c if c.filed_date else Candidate(c.accession, c.cik, c.form, day, c.ciks, c.source) for c in found]
    return DayIndex(day, True, found, url, malformed_rows(text))


def daily_candidates(client: EdgarClient, www_url: str, day: dt.date,
                     forms: Iterable[str] = SCHEDULE_FORMS) -> list[Candidate]:
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
            text = inflate_bounded(body, MAX_INDEX_BYTES, "quarterly index").decode("latin-1")
            if not index_problems(text):
                return text
            log.info("master.gz of %s is not a whole index: reading master.idx", quarter_label(year, quarter))
        except (ValueError, EOFError, zlib.error) as exc:
            log.info("master.gz of %s is not readable gzip (%s): reading master.idx", quarter_label(year, quarter), exc)
    except NotFound:
        pass
    url = quarterly_index_url(www_url, year, quarter)
    text = _fetch_index(client, url)
    if text is not None and (problems := index_problems(text)):
        raise IndexDamaged(url, problems)
    return text


def quarter_candidates(client: EdgarClient, www_url: str, year: int, quarter: int,
                       forms: Iterable[str] = SCHEDULE_FORMS) -> list[Candidate] | None:
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
                     forms: Iterable[str] = SCHEDULE_FORMS) -> list[Candidate]:
    """Backfill a date range from quarterly indexes: one request per quarter instead of one per day."""
    forms = tuple(forms)
    out: list[Candidate] = []
    for year, qtr in quarters_between(max(start, QUARTERLY_INDEX_STARTS), end):
        found = quarter_candidates(client, www_url, year, qtr, forms)
        out.extend(c for c in found or [] if c.filed_date is None or start <= c.filed_date <= end)
    return merge_candidates(out)
