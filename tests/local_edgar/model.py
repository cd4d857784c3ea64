"""The fixture world a local EDGAR serves: companies and filings, and every EDGAR view built from them.

Register filings (real-format bytes with ``add_raw``, or generated ones), and the submissions JSON
(recent + overflow pages), daily and quarterly ``master`` indexes and full-text search answers are
derived from that one list, so they always agree with each other the way EDGAR's do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FULL_TEXT_SEARCH_STARTS = dt.date(2001, 1, 1)


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


class EdgarFixtures:
    """The in-memory EDGAR. ``recent_limit`` and ``page_size`` shape the submissions JSON: keep them small
    in tests so that old filings land on overflow pages, as they do for any long-lived company."""

    def __init__(self, recent_limit: int = 1000, page_size: int = 2000, search_page_size: int = 10,
                 holidays: set[dt.date] | None = None) -> None:
        self.recent_limit = recent_limit
        self.page_size = page_size
        self.search_page_size = search_page_size
        self.holidays = set(holidays or ())
        self.names: dict[int, str] = {}
        self.filings: dict[str, FixtureFiling] = {}
        self._text_cache: dict[str, str] = {}

    # -- registering -------------------------------------------------------------------------------
    def add_filing(self, f: FixtureFiling) -> FixtureFiling:
        self.filings[f.accession] = f
        self._text_cache.pop(f.accession, None)
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

    # -- views -------------------------------------------------------------------------------------
    def filing_bytes(self, cik: int, accession: str) -> bytes | None:
        """The full submission, served under any CIK on the filing (as EDGAR does)."""
        f = self.filings.get(accession)
        return f.raw if f is not None and cik in f.ciks else None

    def _for_cik(self, cik: int) -> list[FixtureFiling]:
        return sorted((f for f in self.filings.values() if cik in f.ciks),
                      key=lambda f: (f.filed, f.accession), reverse=True)

    @staticmethod
    def _columns(filings: list[FixtureFiling]) -> dict[str, list[Any]]:
        cols: dict[str, list[Any]] = {k: [] for k in (
            "accessionNumber", "filingDate", "reportDate", "acceptanceDateTime", "act", "form", "fileNumber",
            "filmNumber", "items", "core_type", "size", "isXBRL", "isInlineXBRL", "primaryDocument",
            "primaryDocDescription")}
        for f in filings:
            xml_era = f.form.startswith("SCHEDULE 13")
            cols["accessionNumber"].append(f.accession)
            cols["filingDate"].append(f.filed.isoformat())
            cols["reportDate"].append("")
            cols["acceptanceDateTime"].append(f"{f.filed.isoformat()}T16:30:03.000Z")
            cols["act"].append("34" if f.file_number else "")
            cols["form"].append(f.form)
            cols["fileNumber"].append(f.file_number)
            cols["filmNumber"].append("")
            cols["items"].append("")
            cols["core_type"].append(f.form)
            cols["size"].append(len(f.raw))
            cols["isXBRL"].append(0)
            cols["isInlineXBRL"].append(0)
            primary = "xslSCHEDULE_13D_X01/primary_doc.xml" if xml_era else (
                f.primary_document if f.filed.year >= 2001 else "")
            cols["primaryDocument"].append(primary)
            cols["primaryDocDescription"].append(f.description or f.form)
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
            pages[name] = self._columns(chunk)
            files.append({"name": name, "filingCount": len(chunk), "filingFrom": chunk[-1].filed.isoformat(),
                          "filingTo": chunk[0].filed.isoformat()})
        main = {"cik": f"{cik:010d}", "entityType": "operating", "sic": "", "sicDescription": "",
                "name": self.names.get(cik, ""), "tickers": [], "exchanges": [], "ein": None, "formerNames": [],
                "filings": {"recent": self._columns(recent), "files": files}}
        return main, pages

    def _index_lines(self, filings: list[FixtureFiling], daily: bool) -> list[str]:
        rows = []
        for f in filings:
            date = f"{f.filed:%Y%m%d}" if daily else f.filed.isoformat()
            for e in f.entities:
                rows.append((e.cik, e.name, f.form, date, f"edgar/data/{e.cik}/{f.accession}.txt"))
        rows.sort(key=lambda r: (r[0], r[2], r[4]))
        return [f"{c}|{n}|{form}|{d}|{fn}" for c, n, form, d, fn in rows]

    def daily_index(self, day: dt.date) -> str | None:
        """``master.YYYYMMDD.idx``, or None on weekends and holidays (no file, as on EDGAR)."""
        if day.weekday() >= 5 or day in self.holidays:
            return None
        lines = self._index_lines([f for f in self.filings.values() if f.filed == day], daily=True)
        head = (f"Description:           Daily Index of EDGAR Dissemination Feed by Company Name\n"
                f"Last Data Received:    {day:%B} {day.day}, {day.year}\nComments:              webmaster@sec.gov\n"
                f"Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n \n \n \n \n"
                f"CIK|Company Name|Form Type|Date Filed|Filename\n{'-' * 80}\n")
        return head + "\n".join(lines) + ("\n" if lines else "")

    def quarterly_index(self, year: int, qtr: int, today: dt.date | None = None) -> str | None:
        today = today or dt.date.today()
        if (year, qtr) > (today.year, _quarter(today)) or not 1 <= qtr <= 4:
            return None
        lines = self._index_lines([f for f in self.filings.values()
                                   if f.filed.year == year and _quarter(f.filed) == qtr], daily=False)
        head = (f"Description:           Master Index of EDGAR Dissemination Feed\n"
                f"Last Data Received:    {year} QTR{qtr}\nComments:              webmaster@sec.gov\n"
                f"Anonymous FTP:         ftp://ftp.sec.gov/edgar/\nCloud HTTP:            https://www.sec.gov/Archives/\n"
                f"\n \n \n \nCIK|Company Name|Form Type|Date Filed|Filename\n{'-' * 80}\n")
        return head + "\n".join(lines) + ("\n" if lines else "")

    def _text(self, f: FixtureFiling) -> str:
        t = self._text_cache.get(f.accession)
        if t is None:
            t = re.sub(r"<[^>]+>", " ", f.raw.decode("latin-1"))
            self._text_cache[f.accession] = t
        return t

    def search(self, params: dict[str, list[str]]) -> dict[str, Any]:
        """An Elasticsearch-style envelope like efts ``/LATEST/search-index``: quoted phrases (any of them)
        matched token by token, ``forms``, ``startdt``/``enddt``, ``from``; one hit per document."""
        q = (params.get("q") or [""])[0]
        phrases = re.findall(r'"([^"]+)"', q) or ([q] if q.strip() else [])
        forms = {x.strip().upper() for x in (params.get("forms") or [""])[0].split(",") if x.strip()}
        start = dt.date.fromisoformat(params["startdt"][0]) if params.get("startdt") else None
        end = dt.date.fromisoformat(params["enddt"][0]) if params.get("enddt") else None
        offset = int((params.get("from") or ["0"])[0] or 0)
        patterns = []
        for p in phrases:
            tokens = re.findall(r"[A-Za-z0-9]+", p)
            if tokens:
                patterns.append(re.compile(r"(?<![A-Za-z0-9])" + r"[^A-Za-z0-9]+".join(map(re.escape, tokens))
                                           + r"(?![A-Za-z0-9])", re.I))
        hits = []
        for f in sorted(self.filings.values(), key=lambda f: (f.filed, f.accession), reverse=True):
            if f.filed < FULL_TEXT_SEARCH_STARTS or (forms and f.form.upper() not in forms):
                continue
            if (start and f.filed < start) or (end and f.filed > end):
                continue
            if not patterns or not any(p.search(self._text(f)) for p in patterns):
                continue
            for doc in f.documents or [f"{f.accession}.txt"]:
                hits.append({"_index": "edgar_file", "_id": f"{f.accession}:{doc}", "_score": 1.0, "_source": {
                    "ciks": [f"{c:010d}" for c in f.ciks],
                    "display_names": [f"{e.name}  (CIK {e.cik:010d})" for e in f.entities],
                    "form": f.form, "root_forms": [f.form.removesuffix("/A")], "file_type": f.form,
                    "file_date": f.filed.isoformat(), "period_ending": None, "adsh": f.accession,
                    "file_num": [f.file_number] if f.file_number else [], "items": [], "sics": [],
                    "biz_states": [], "xsl": None}})
        page = hits[offset: offset + self.search_page_size]
        return {"took": 3, "timed_out": False, "_shards": {"total": 50, "successful": 50, "skipped": 0, "failed": 0},
                "hits": {"total": {"value": len(hits), "relation": "eq"}, "max_score": 1.0 if page else None,
                         "hits": page},
                "query": {"q": q}}
