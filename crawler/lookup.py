"""From a ticker or a company name to a CIK, with EDGAR's own reference files.

- ``/files/company_tickers_exchange.json`` (``{"fields": ["cik", "name", "ticker", "exchange"],
  "data": [[...]]}``) and ``/files/company_tickers.json`` (``{"0": {"cik_str", "ticker", "title"}}``):
  current listings only; several tickers may share a CIK; the exchange may be null.
- ``/Archives/edgar/cik-lookup-data.txt``: every name any CIK has filed under, current and former, one
  ``NAME:CIK:`` line each (the CIK 10 digits; a name may itself contain a colon). It is what finds a
  company that is no longer listed (SAVVIS, delisted in 2011) or that a ticker file calls otherwise.

Both are cached in the data folder with the date they were fetched in their file name, and fetched again
when older than ``max_age``; a lookup with no network uses an older copy and says how old. Parsing and
matching are pure functions; :class:`ReferenceFiles` does the I/O.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.client import CrawlerError, EdgarClient, NotFound

log = logging.getLogger("edgar13d.crawler")

TICKERS_EXCHANGE = "files/company_tickers_exchange.json"
TICKERS = "files/company_tickers.json"
NAMES = "Archives/edgar/cik-lookup-data.txt"
TICKERS_MAX_AGE = dt.timedelta(days=7)
NAMES_MAX_AGE = dt.timedelta(days=30)


@dataclass(frozen=True)
class Listing:
    cik: int
    name: str
    ticker: str
    exchange: str | None = None


@dataclass
class Company:
    """One CIK a lookup found, with every name and ticker it was found under."""

    cik: int
    names: list[str] = field(default_factory=list)
    tickers: list[str] = field(default_factory=list)
    exchanges: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.names[0] if self.names else f"CIK {self.cik}"

    def describe(self) -> str:
        """``SAVVIS COMMUNICATIONS CORP (also SAVVIS, INC.)  SVVS on Nasdaq``: a line of a candidate list."""
        also = f" (also {', '.join(self.names[1:4])}{', ...' if len(self.names) > 4 else ''})" if len(self.names) > 1 else ""
        listed = ""
        if self.tickers:
            where = f" on {', '.join(dict.fromkeys(self.exchanges))}" if self.exchanges else ""
            listed = f"  {', '.join(self.tickers)}{where}"
        return f"{self.name}{also}{listed}"


class ReferenceUnavailable(CrawlerError):
    """A reference file could not be had (no network and no cached copy)."""


# --- pure parsing and matching ---------------------------------------------------------------------


def parse_company_tickers(doc: Any) -> list[Listing]:
    """``company_tickers.json``: an object of numbered rows ``{"cik_str", "ticker", "title"}``."""
    rows = doc.values() if isinstance(doc, dict) else (doc if isinstance(doc, list) else [])
    out = []
    for r in rows:
        if not isinstance(r, dict):
            continue
        cik = _int(r.get("cik_str", r.get("cik")))
        if cik is not None and r.get("ticker"):
            out.append(Listing(cik, str(r.get("title") or ""), str(r["ticker"])))
    return out


def parse_company_tickers_exchange(doc: Any) -> list[Listing]:
    """``company_tickers_exchange.json``: ``fields`` names the columns of each ``data`` row."""
    if not isinstance(doc, dict) or not isinstance(doc.get("fields"), list) or not isinstance(doc.get("data"), list):
        return []
    col = {str(f): i for i, f in enumerate(doc["fields"])}
    if not {"cik", "ticker"} <= set(col):
        return []

    def cell(row: list[Any], name: str) -> Any:
        i = col.get(name)
        return row[i] if i is not None and i < len(row) else None

    out = []
    for row in doc["data"]:
        if not isinstance(row, list):
            continue
        cik = _int(cell(row, "cik"))
        ticker = cell(row, "ticker")
        if cik is not None and ticker:
            exchange = cell(row, "exchange")
            out.append(Listing(cik, str(cell(row, "name") or ""), str(ticker), str(exchange) if exchange else None))
    return out


_LOOKUP_LINE = re.compile(r"^(.*):(\d{1,10}):\s*$")


def parse_cik_lookup(lines: Iterable[str]) -> Iterator[tuple[str, int]]:
    """(name, CIK) per ``NAME:CIK:`` line; the CIK is read off the end, since names may hold colons."""
    for line in lines:
        m = _LOOKUP_LINE.match(line)
        if m and m.group(1).strip():
            yield m.group(1).strip(), int(m.group(2))


def _int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def normalize_ticker(ticker: str) -> str:
    """EDGAR writes class shares with a dash (``BRK-B``); users type ``BRK.B`` or ``brk/b`` too."""
    return re.sub(r"[./\s]+", "-", ticker.strip().upper()).strip("-")


def name_tokens(name: str) -> list[str]:
    return re.findall(r"[A-Z0-9]+", name.upper().replace("&", " AND "))


def name_matches(query: Iterable[str], name: str) -> bool:
    """Every query word begins a word of the name (``savvis comm`` finds ``SAVVIS COMMUNICATIONS CORP``)."""
    words = name_tokens(name)
    return all(any(w.startswith(q) for w in words) for q in query)


def find_ticker(listings: Iterable[Listing], ticker: str) -> Company | None:
    """The company listed under ``ticker``, with all its other tickers."""
    want = normalize_ticker(ticker)
    listings = list(listings)
    cik = next((x.cik for x in listings if normalize_ticker(x.ticker) == want), None)
    if cik is None:
        return None
    return _merge([x for x in listings if x.cik == cik], [])[0]


def search_names(query: str, listings: Iterable[Listing], names: Iterable[tuple[str, int]] = ()) -> list[Company]:
    """Every CIK whose current listing or any filing name matches ``query``: listed companies first,
    then by name. Raises ValueError for a query with no letter or digit."""
    words = name_tokens(query)
    if not words:
        raise ValueError(f"{query!r} has no letters or digits to look for")
    hits = [x for x in listings if name_matches(words, x.name)]
    # A plain substring test first: the name file has a line for every entity EDGAR ever knew.
    named = [(n, c) for n, c in names if all(w in n.upper() for w in words) and name_matches(words, n)]
    found = _merge(hits, named)
    return sorted(found, key=lambda c: (not c.tickers, c.name, c.cik))


def _merge(listings: list[Listing], names: list[tuple[str, int]]) -> list[Company]:
    by_cik: dict[int, Company] = {}
    for x in listings:
        c = by_cik.setdefault(x.cik, Company(x.cik))
        if x.name and x.name not in c.names:
            c.names.append(x.name)
        if x.ticker not in c.tickers:
            c.tickers.append(x.ticker)
        if x.exchange:
            c.exchanges.append(x.exchange)
    for n, cik in names:
        c = by_cik.setdefault(cik, Company(cik))
        if n not in c.names:
            c.names.append(n)
    return list(by_cik.values())


# --- cached reference files ---------------------------------------------------------------------------


class ReferenceFiles:
    """EDGAR's ticker and name files, cached under ``folder`` as ``<name>.<YYYY-MM-DD>.<ext>``."""

    def __init__(self, client: EdgarClient, folder: str | Path, today: dt.date | None = None) -> None:
        self.client = client
        self.folder = Path(folder)
        self.today = today or dt.date.today()
        self.notes: list[str] = []  # what the lookups used, for the user

    def _cached(self, remote: str) -> list[tuple[dt.date, Path]]:
        stem, ext = Path(remote).stem, Path(remote).suffix
        out = []
        for p in self.folder.glob(f"{stem}.*{ext}"):
            try:
                out.append((dt.date.fromisoformat(p.name[len(stem) + 1: -len(ext)]), p))
            except ValueError:
                continue
        return sorted(out, reverse=True)

    def get(self, remote: str, max_age: dt.timedelta) -> tuple[bytes, dt.date]:
        """The file's bytes and the day they were fetched: the cache when fresh enough, else EDGAR
        (an older copy when EDGAR cannot be reached). Raises NotFound or ReferenceUnavailable."""
        cached = self._cached(remote)
        if cached and self.today - cached[0][0] <= max_age:
            return cached[0][1].read_bytes(), cached[0][0]
        url = f"{self.client.settings.www_url.rstrip('/')}/{remote}"
        try:
            body = self.client.get_bytes(url)
        except NotFound:
            raise
        except CrawlerError as exc:
            if cached:
                self.notes.append(f"EDGAR could not be reached ({exc}); used {Path(remote).name} of {cached[0][0]}")
                return cached[0][1].read_bytes(), cached[0][0]
            raise ReferenceUnavailable(f"could not fetch {url}: {exc}") from exc
        self.folder.mkdir(parents=True, exist_ok=True)
        stem, ext = Path(remote).stem, Path(remote).suffix
        target = self.folder / f"{stem}.{self.today.isoformat()}{ext}"
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_bytes(body)
        tmp.replace(target)
        for _, old in cached:
            if old != target:
                old.unlink(missing_ok=True)
        return body, self.today

    def listings(self) -> tuple[list[Listing], dt.date]:
        """Current listings: the exchange file, or the plain ticker file where that one is missing."""
        try:
            body, day = self.get(TICKERS_EXCHANGE, TICKERS_MAX_AGE)
            found = parse_company_tickers_exchange(json.loads(body))
        except (NotFound, ValueError):
            found, day = [], self.today
        if not found:
            body, day = self.get(TICKERS, TICKERS_MAX_AGE)
            found = parse_company_tickers(json.loads(body))
        return found, day

    def names(self) -> tuple[Iterator[tuple[str, int]], dt.date]:
        """Every (name, CIK) EDGAR knows, read lazily: the file has a line per entity ever registered."""
        body, day = self.get(NAMES, NAMES_MAX_AGE)
        return parse_cik_lookup(io.TextIOWrapper(io.BytesIO(body), encoding="latin-1")), day
