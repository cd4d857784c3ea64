"""The fixture world a local EDGAR serves: companies and filings, and every EDGAR view built from them.

Register filings (real-format bytes with ``add_raw``, or generated ones), and the submissions JSON
(recent + overflow pages), daily and quarterly ``master`` indexes, the daily-index folder listings, the
ticker and name files and full-text search answers are derived from that one list, so they always agree
with each other the way EDGAR's do.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.local_edgar.search import Document, Searchable, split_documents, xsl_folder
from tests.local_edgar.search import search as full_text_search


@dataclass(frozen=True)
class Entity:
    cik: int
    name: str


@dataclass
class FixtureFiling:
    accession: str
    form: str
    filed: dt.date
    subject: Entity | None
    filers: list[Entity]
    raw: bytes
    file_number: str = ""
    documents: list[str] = field(default_factory=list)  # <FILENAME>s, for search hits
    primary_document: str = ""
    description: str = ""

    @property
    def entities(self) -> list[Entity]:
        seen: dict[int, Entity] = {}
        for e in ([self.subject] if self.subject else []) + self.filers:
            seen.setdefault(e.cik, e)
        return list(seen.values())

    @property
    def ciks(self) -> list[int]:
        return [e.cik for e in self.entities]


_SECTION = re.compile(r"^\s*(SUBJECT COMPANY|FILED BY|FILER|REPORTING-OWNER|ISSUER):", re.M)


def parse_header(raw: bytes) -> dict[str, Any]:
    """The SGML header fields the server needs, from a full submission ``.txt`` (any era)."""
    text = raw.decode("latin-1")
    head = text.split("<DOCUMENT>", 1)[0]

    def field_(pattern: str, where: str = head) -> str:
        m = re.search(pattern, where)
        return m.group(1).strip() if m else ""

    accession = field_(r"ACCESSION NUMBER:\s*(\S+)")
    form = field_(r"CONFORMED SUBMISSION TYPE:\s*([^\r\n]+)")
    filed = field_(r"FILED AS OF DATE:\s*(\d{8})")
    if not (accession and form and filed):
        raise ValueError("not a full submission: no ACCESSION NUMBER / CONFORMED SUBMISSION TYPE / FILED AS OF DATE")
    subject: Entity | None = None
    filers: list[Entity] = []
    file_number = ""
    marks = list(_SECTION.finditer(head))
    for i, m in enumerate(marks):
        block = head[m.end(): marks[i + 1].start() if i + 1 < len(marks) else len(head)]
        cik = field_(r"CENTRAL INDEX KEY:\s*(\d+)", block)
        if not cik:
            continue
        ent = Entity(int(cik), field_(r"COMPANY CONFORMED NAME:\s*([^\r\n]+)", block))
        if m.group(1) == "SUBJECT COMPANY" and subject is None:
            subject = ent
            file_number = field_(r"SEC FILE NUMBER:\s*(\S+)", block)
        else:
            filers.append(ent)
    docs = re.findall(r"<FILENAME>\s*(\S+)", text)
    return {"accession": accession, "form": form, "filed": dt.date(int(filed[:4]), int(filed[4:6]), int(filed[6:8])),
            "subject": subject, "filers": filers, "file_number": file_number, "documents": docs}


def _quarter(d: dt.date) -> int:
    return (d.month - 1) // 3 + 1


QUARTERLY_INDEX_STARTS = dt.date(1993, 1, 1)
DAILY_INDEX_STARTS = dt.date(1994, 1, 1)
PLACEHOLDER_ACCEPTANCE = "T04:00:00.000Z"  # what 1990s rows carry instead of a time of acceptance


def daily_index_name(day: dt.date) -> str:
    """EDGAR's name for a day's master index: MMDDYY before 1995, YYMMDD until 1998-03-30, then YYYYMMDD."""
    if day.year < 1995:
        return f"master.{day:%m%d%y}.idx"
    if day < dt.date(1998, 3, 31):
        return f"master.{day:%y%m%d}.idx"
    return f"master.{day:%Y%m%d}.idx"


def _is_13d(form: str) -> bool:
    return "13D" in form.upper()


class EdgarFixtures:
    """The in-memory EDGAR. ``recent_limit`` and ``page_size`` shape the submissions JSON: keep them small
    in tests so that old filings land on overflow pages, as they do for any long-lived company.

    ``holidays``: weekdays EDGAR was closed (no daily index, nothing in the quarterly one).
    ``late_days``: weekdays whose daily index EDGAR has not published yet (``publish(day)`` ends that);
    their filings reach the quarterly index once the quarter is over. ``today`` (default: the real
    date) decides which quarters have begun and ended. ``search_failure``: a reason for full-text search
    to fail every query with, the way efts passes an Elasticsearch error through (200, ``{"error": ...}``).
    """

    def __init__(self, recent_limit: int = 1000, page_size: int = 2000, holidays: Iterable[dt.date] = (),
                 late_days: Iterable[dt.date] = (), today: dt.date | None = None) -> None:
        self.recent_limit = recent_limit
        self.page_size = page_size
        self.holidays = set(holidays)
        self.late_days = set(late_days)
        self.today = today
        self.search_failure: str | None = None
        self.names: dict[int, str] = {}
        self.former_names: dict[int, list[tuple[str, dt.date | None, dt.date | None]]] = {}
        self.tickers: dict[int, list[tuple[str, str | None]]] = {}
        self.filings: dict[str, FixtureFiling] = {}
        self._docs_cache: dict[str, list[Document]] = {}

    # -- registering -------------------------------------------------------------------------------
    def add_filing(self, f: FixtureFiling) -> FixtureFiling:
        self.filings[f.accession] = f
        self._docs_cache.pop(f.accession, None)
        for e in f.entities:
            self.names.setdefault(e.cik, e.name)
        return f

    def add_raw(self, raw: bytes) -> FixtureFiling:
        """Register real-format filing bytes (a full submission); the header says where it is listed."""
        h = parse_header(raw)
        primary = next(iter(h["documents"]), "")
        return self.add_filing(FixtureFiling(h["accession"], h["form"], h["filed"], h["subject"], h["filers"], raw,
                                             h["file_number"], h["documents"], primary))

    def load_dir(self, path: str | Path) -> int:
        """Register every ``*.txt`` full submission under ``path`` (recursively); returns the count."""
        n = 0
        for p in sorted(Path(path).rglob("*.txt")):
            try:
                self.add_raw(p.read_bytes())
                n += 1
            except ValueError:
                continue
        return n

    def add_other(self, cik: int, form: str, filed: dt.date, accession: str, name: str | None = None) -> FixtureFiling:
        """A non-13D filing (10-K, 8-K...) so submissions and indexes carry the noise real ones do."""
        ent = Entity(cik, name or self.names.get(cik, f"COMPANY {cik}"))
        raw = (f"<SEC-DOCUMENT>{accession}.txt : {filed:%Y%m%d}\n<SEC-HEADER>{accession}.hdr.sgml : {filed:%Y%m%d}\n"
               f"ACCESSION NUMBER:\t\t{accession}\nCONFORMED SUBMISSION TYPE:\t{form}\nPUBLIC DOCUMENT COUNT:\t\t1\n"
               f"FILED AS OF DATE:\t\t{filed:%Y%m%d}\n\nFILER:\n\n\tCOMPANY DATA:\n\t\tCOMPANY CONFORMED NAME:\t\t\t{ent.name}\n"
               f"\t\tCENTRAL INDEX KEY:\t\t\t{cik:010d}\n</SEC-HEADER>\n<DOCUMENT>\n<TYPE>{form}\n<SEQUENCE>1\n"
               f"<FILENAME>doc1.htm\n<TEXT>\n<html><body>{form}</body></html>\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n")
        return self.add_filing(FixtureFiling(accession, form, filed, None, [ent], raw.encode(), "", ["doc1.htm"],
                                             "doc1.htm"))

    def add_ticker(self, cik: int, ticker: str, exchange: str | None = None, name: str | None = None) -> None:
        """List a company in EDGAR's ticker files (current listings only; several tickers may share a CIK)."""
        if name:
            self.names[cik] = name
        self.names.setdefault(cik, f"COMPANY {cik}")
        self.tickers.setdefault(cik, []).append((ticker, exchange))

    def add_former_name(self, cik: int, name: str, start: dt.date | None = None, end: dt.date | None = None) -> None:
        """A name the CIK filed under before (EDGAR's name lookup file keeps every one)."""
        self.former_names.setdefault(cik, []).append((name, start, end))

    def publish(self, day: dt.date) -> None:
        """EDGAR finally publishes a late day's index."""
        self.late_days.discard(day)

    # -- views -------------------------------------------------------------------------------------
    def _today(self) -> dt.date:
        return self.today or dt.date.today()

    def filing_bytes(self, cik: int, accession: str) -> bytes | None:
        """The full submission, served under any CIK on the filing (as EDGAR does)."""
        f = self.filings.get(accession)
        return f.raw if f is not None and cik in f.ciks else None

    def _for_cik(self, cik: int) -> list[FixtureFiling]:
        return sorted((f for f in self.filings.values() if cik in f.ciks),
                      key=lambda f: (f.filed, f.accession), reverse=True)

    @staticmethod
    def _columns(filings: list[FixtureFiling], cik: int) -> dict[str, list[Any]]:
        """Parallel arrays with the quirks of real rows: 13Ds often carry an empty ``fileNumber`` and
        ``act`` (here: all but the subject company's 2001-2022 rows), 1990s rows a placeholder
        ``acceptanceDateTime`` and no ``primaryDocument``, XML-era rows the rendered-HTML path."""
        cols: dict[str, list[Any]] = {k: [] for k in (
            "accessionNumber", "filingDate", "reportDate", "acceptanceDateTime", "act", "form", "fileNumber",
            "filmNumber", "items", "core_type", "size", "isXBRL", "isInlineXBRL", "primaryDocument",
            "primaryDocDescription")}
        for f in filings:
            xml_era = f.form.startswith("SCHEDULE 13")
            old = f.filed.year < 2001
            numbered = bool(f.file_number) and (not _is_13d(f.form) or (
                f.subject is not None and f.subject.cik == cik and 2001 <= f.filed.year <= 2022))
            cols["accessionNumber"].append(f.accession)
            cols["filingDate"].append(f.filed.isoformat())
            cols["reportDate"].append("")
            cols["acceptanceDateTime"].append(f"{f.filed.isoformat()}{PLACEHOLDER_ACCEPTANCE}" if old
                                              else f"{f.filed.isoformat()}T16:30:03.000Z")
            cols["act"].append("34" if numbered else "")
            cols["form"].append(f.form)
            cols["fileNumber"].append(f.file_number if numbered else "")
            cols["filmNumber"].append("")
            cols["items"].append("")
            cols["core_type"].append(f.form)
            cols["size"].append(len(f.raw))
            cols["isXBRL"].append(0)
            cols["isInlineXBRL"].append(0)
            primary = f"{xsl_folder(f.form)}/primary_doc.xml" if xml_era else ("" if old else f.primary_document)
            cols["primaryDocument"].append(primary)
            cols["primaryDocDescription"].append(f.description or ("" if old or xml_era else f.form))
        return cols

    def submissions(self, cik: int) -> tuple[dict[str, Any], dict[str, dict[str, Any]]] | None:
        """(main JSON, overflow pages by name) for a CIK, or None when EDGAR would not know it."""
        filings = self._for_cik(cik)
        if not filings and cik not in self.names:
            return None
        recent, rest = filings[: self.recent_limit], filings[self.recent_limit:]
        pages: dict[str, dict[str, Any]] = {}
        files = []
        for i in range(0, len(rest), self.page_size):
            chunk = rest[i: i + self.page_size]
            name = f"CIK{cik:010d}-submissions-{i // self.page_size + 1:03d}.json"
            pages[name] = self._columns(chunk, cik)
            files.append({"name": name, "filingCount": len(chunk), "filingFrom": chunk[-1].filed.isoformat(),
                          "filingTo": chunk[0].filed.isoformat()})
        listed = self.tickers.get(cik, [])
        former = [{"name": n, "from": f"{a}T00:00:00.000Z" if a else None, "to": f"{b}T00:00:00.000Z" if b else None}
                  for n, a, b in self.former_names.get(cik, [])]
        main = {"cik": f"{cik:010d}", "entityType": "operating", "sic": "", "sicDescription": "",
                "name": self.names.get(cik, ""), "tickers": [t for t, _ in listed],
                "exchanges": [x for _, x in listed], "ein": None, "formerNames": former,
                "filings": {"recent": self._columns(recent, cik), "files": files}}
        return main, pages

    def _index_lines(self, filings: list[FixtureFiling], daily: bool) -> list[str]:
        rows = []
        for f in filings:
            date = f"{f.filed:%Y%m%d}" if daily else f.filed.isoformat()
            for e in f.entities:
                rows.append((e.cik, e.name, f.form, date, f"edgar/data/{e.cik}/{f.accession}.txt"))
        rows.sort(key=lambda r: (r[0], r[2], r[4]))
        return [f"{c}|{n}|{form}|{d}|{fn}" for c, n, form, d, fn in rows]

    def has_daily_index(self, day: dt.date) -> bool:
        """EDGAR published this day's index (never on weekends and holidays, not yet on a late day)."""
        return (DAILY_INDEX_STARTS <= day < self._today() and day.weekday() < 5
                and day not in self.holidays and day not in self.late_days)

    def daily_index(self, day: dt.date) -> str | None:
        """The day's ``master`` index, or None when EDGAR has no file for it (see ``has_daily_index``)."""
        if not self.has_daily_index(day):
            return None
        lines = self._index_lines([f for f in self.filings.values() if f.filed == day], daily=True)
        head = (f"Description:           Daily Index of EDGAR Dissemination Feed by Company Name\n"
                f"Last Data Received:    {day:%B} {day.day}, {day.year}\nComments:              webmaster@sec.gov\n"
                f"Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n \n \n \n \n"
                f"CIK|Company Name|Form Type|Date Filed|Filename\n{'-' * 80}\n")
        return head + "\n".join(lines) + ("\n" if lines else "")

    def _quarter_days(self, year: int, qtr: int) -> list[dt.date]:
        day, out = dt.date(year, 3 * qtr - 2, 1), []
        while _quarter(day) == qtr and day.year == year:
            out.append(day)
            day += dt.timedelta(days=1)
        return out

    def daily_index_named(self, year: int, qtr: int, name: str) -> str | None:
        """``daily-index/{year}/QTR{qtr}/{name}``: only the name EDGAR used in that era resolves."""
        for day in self._quarter_days(year, qtr):
            if daily_index_name(day) == name:
                return self.daily_index(day)
        return None

    def daily_listing(self, year: int, qtr: int) -> dict[str, Any] | None:
        """The quarter's folder listing (``index.json``), or None for a folder EDGAR does not have."""
        if dt.date(year, 3 * qtr - 2, 1) < DAILY_INDEX_STARTS or dt.date(year, 3 * qtr - 2, 1) > self._today():
            return None
        items = [{"last-modified": f"{d:%Y-%m-%d} 22:45:12", "name": daily_index_name(d), "type": "file",
                  "href": daily_index_name(d), "size": "12 KB"}
                 for d in self._quarter_days(year, qtr) if self.has_daily_index(d)]
        return {"directory": {"item": items, "name": f"daily-index/{year}/QTR{qtr}/", "parent-dir": "../"}}

    def quarterly_index(self, year: int, qtr: int, today: dt.date | None = None) -> str | None:
        """The quarter's ``master.idx``: from 1993, once the quarter has begun. A late day's filings are in
        it only once the quarter is over (it is built from the same nightly feed until then)."""
        today = today or self._today()
        if not 1 <= qtr <= 4 or year < QUARTERLY_INDEX_STARTS.year or (year, qtr) > (today.year, _quarter(today)):
            return None
        closed = (year, qtr) < (today.year, _quarter(today))
        lines = self._index_lines([f for f in self.filings.values()
                                   if f.filed.year == year and _quarter(f.filed) == qtr and f.filed < today
                                   and (closed or f.filed not in self.late_days)], daily=False)
        head = (f"Description:           Master Index of EDGAR Dissemination Feed\n"
                f"Last Data Received:    {year} QTR{qtr}\nComments:              webmaster@sec.gov\n"
                f"Anonymous FTP:         ftp://ftp.sec.gov/edgar/\nCloud HTTP:            https://www.sec.gov/Archives/\n"
                f"\n \n \n \nCIK|Company Name|Form Type|Date Filed|Filename\n{'-' * 80}\n")
        return head + "\n".join(lines) + ("\n" if lines else "")

    def all_names(self) -> list[tuple[str, int]]:
        """(name, CIK) for every name each entity filed under, current and former."""
        pairs = {(n, c) for c, n in self.names.items()}
        pairs |= {(n, c) for c, former in self.former_names.items() for n, _, _ in former}
        return sorted(pairs)

    def cik_lookup_data(self) -> str:
        """``Archives/edgar/cik-lookup-data.txt``: one ``NAME:CIK:`` line per name (CIK 10 digits)."""
        return "".join(f"{n}:{c:010d}:\n" for n, c in self.all_names())

    def _ticker_rows(self) -> list[tuple[int, str, str, str | None]]:
        return [(c, self.names.get(c, ""), t, x) for c, listed in self.tickers.items() for t, x in listed]

    def company_tickers(self) -> dict[str, Any]:
        """``files/company_tickers.json``: ``{"0": {"cik_str": ..., "ticker": ..., "title": ...}, ...}``."""
        return {str(i): {"cik_str": c, "ticker": t, "title": n} for i, (c, n, t, _) in enumerate(self._ticker_rows())}

    def company_tickers_exchange(self) -> dict[str, Any]:
        """``files/company_tickers_exchange.json``: ``{"fields": [...], "data": [[cik, name, ticker, exchange]]}``."""
        return {"fields": ["cik", "name", "ticker", "exchange"], "data": [list(r) for r in self._ticker_rows()]}

    def _searchable(self, f: FixtureFiling) -> Searchable:
        docs = self._docs_cache.get(f.accession)
        if docs is None:
            docs = split_documents(f.raw, f.accession)
            self._docs_cache[f.accession] = docs
        ents = [(e.cik, e.name, tuple(t for t, _ in self.tickers.get(e.cik, []))) for e in f.entities]
        return Searchable(f.accession, f.form, f.filed, ents, f.file_number, docs)

    def search(self, params: dict[str, list[str]]) -> dict[str, Any]:
        """The answer of efts ``/LATEST/search-index`` (see :mod:`tests.local_edgar.search`)."""
        if self.search_failure:
            return {"error": {"root_cause": [{"type": "search_phase_execution_exception", "reason": self.search_failure}],
                              "type": "search_phase_execution_exception", "reason": self.search_failure},
                    "status": 503}
        return full_text_search([self._searchable(f) for f in self.filings.values()], params)
