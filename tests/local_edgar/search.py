"""The local EDGAR's full-text search (efts ``/LATEST/search-index``), modelled on recorded answers.

What it reproduces, each from the evidence (recorded envelopes in r007/edgarkit ``tests/fixtures/search``
and bellingcat/EDGAR ``tests/responses``, and the SEC's own prototype ``edgarFullTextSearch.js``):

- ``q``: quoted phrases and bare words, each a ``match_phrase`` that must match (they are ANDed); a
  leading ``-`` excludes. A query with no words is a browse: primary documents only, newest first.
- ``forms``: a plain form is a ``terms`` filter on ``root_forms`` (its amendments included); an ``/A``
  entry adds a ``terms`` filter on ``form``, ANDed with the first. ``S-1,S-1/A`` ran as
  ``root_forms:[S-1] AND form:[S-1/A]`` and returned amendments only, and so does this server.
- ``ciks`` and ``dateRange=custom&startdt&enddt`` are filters too.
- ``from`` and ``size`` (default 100, at most 100); ``from + size`` past 10,000 and a blank query
  answer **200** with an ``{"error": ...}`` body; ``hits.total`` stops counting at 10,000
  (``{"value": 10000, "relation": "gte"}``).
- One hit per document: ``_id`` ``accession:file name``, ``_source.file_type`` the document's own type,
  ``sequence`` an int for the primary document and a string for the others (both occur).
- The answer echoes the Elasticsearch query it ran under ``query``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

FULL_TEXT_SEARCH_STARTS = dt.date(2001, 1, 1)
DEFAULT_SIZE = 100
MAX_SIZE = 100
RESULT_WINDOW = 10_000
BLANK_SEARCH = ("Blank search not valid.  Either entity, keywords, location, or filing types must be "
                "submitted.")


@dataclass(frozen=True)
class Document:
    """One ``<DOCUMENT>`` of a submission, as full-text search indexes it."""

    type: str
    sequence: int
    filename: str
    description: str
    text: str  # tags stripped


@dataclass(frozen=True)
class Searchable:
    """What search needs of one filing (the fixture model hands these over)."""

    accession: str
    form: str
    filed: dt.date
    entities: list[tuple[int, str, tuple[str, ...]]]  # (cik, name, tickers)
    file_number: str
    documents: list[Document]


_DOC = re.compile(r"<DOCUMENT>(.*?)(?:</DOCUMENT>|\Z)", re.S | re.I)
_TAG_VALUE = {k: re.compile(rf"<{k}>[ \t]*([^\r\n<]*)", re.I) for k in ("TYPE", "SEQUENCE", "FILENAME", "DESCRIPTION")}


def split_documents(raw: bytes, accession: str) -> list[Document]:
    """The documents of a full submission, with their types and tag-free text."""
    text = raw.decode("latin-1")
    out = []
    for i, m in enumerate(_DOC.finditer(text), start=1):
        block = m.group(1)

        def tag(name: str, block: str = block) -> str:
            found = _TAG_VALUE[name].search(block)
            return found.group(1).strip() if found else ""

        seq = tag("SEQUENCE")
        body = block.split("<TEXT>", 1)[-1]
        out.append(Document(tag("TYPE"), int(seq) if seq.isdigit() else i, tag("FILENAME") or f"{accession}.txt",
                            tag("DESCRIPTION"), re.sub(r"<[^>]+>", " ", body)))
    return out


def root_form(form: str) -> str:
    f = form.strip().upper()
    return f[:-2].rstrip() if f.endswith("/A") else f


def parse_keywords(q: str) -> tuple[list[str], list[str]]:
    """(phrases that must match, phrases that must not): quoted phrases and bare words, as the SEC's
    prototype splits them."""
    must, must_not = [], []
    for quoted, word in re.findall(r'"([^"]*)"|(\S+)', q or ""):
        phrase = (quoted or word).strip()
        if not phrase or phrase == "*":
            continue
        if word and phrase.startswith("-") and len(phrase) > 1:
            must_not.append(phrase[1:])
        else:
            must.append(phrase)
    return must, must_not


def phrase_pattern(phrase: str) -> re.Pattern[str] | None:
    """A phrase matched token by token, whatever punctuation or space separates the tokens."""
    tokens = re.findall(r"[A-Za-z0-9]+", phrase)
    if not tokens:
        return None
    return re.compile(r"(?<![A-Za-z0-9])" + r"[^A-Za-z0-9]+".join(map(re.escape, tokens)) + r"(?![A-Za-z0-9])", re.I)


def _csv(params: dict[str, list[str]], key: str) -> list[str]:
    return [x.strip() for x in ",".join(params.get(key) or []).split(",") if x.strip()]


def _display_name(cik: int, name: str, tickers: tuple[str, ...]) -> str:
    tick = f"  ({', '.join(tickers)})" if tickers else ""
    return f"{name}{tick}  (CIK {cik:010d})"


def search(filings: Iterable[Searchable], params: dict[str, list[str]]) -> dict[str, Any]:
    """The efts answer for ``params`` (parsed query string) over ``filings``."""
    q = (params.get("q") or [""])[0]
    must, must_not = parse_keywords(q)
    forms = _csv(params, "forms")
    plain = [f.upper() for f in forms if not f.upper().endswith("/A")]
    amended = [f.upper() for f in forms if f.upper().endswith("/A")]
    ciks = {int(c) for c in _csv(params, "ciks") if c.isdigit()}
    start = params.get("startdt", [""])[0]
    end = params.get("enddt", [""])[0]
    try:
        offset = max(0, int((params.get("from") or ["0"])[0] or 0))
        size = min(MAX_SIZE, max(0, int((params.get("size") or [str(DEFAULT_SIZE)])[0] or DEFAULT_SIZE)))
    except ValueError:
        return {"error": "from and size must be integers", "hits": {"hits": []}}

    filters: list[dict[str, Any]] = []
    if plain:
        filters.append({"terms": {"root_forms": plain}})
    if amended:
        filters.append({"terms": {"form": amended}})
    if ciks:
        filters.append({"terms": {"ciks": [f"{c:010d}" for c in sorted(ciks)]}})
    if not filters and not must:
        return {"error": BLANK_SEARCH, "hits": {"hits": []}}
    browse = not must
    if browse:
        filters.append({"term": {"sequence": {"value": 1}}})
    if start and end:
        filters.append({"range": {"file_date": {"gte": start, "lte": end}}})
    echo: dict[str, Any] = {
        "_source": {"exclude": ["doc_text"]},
        "query": {"bool": {"must": [{"match_phrase": {"doc_text": p}} for p in must],
                           "must_not": [{"match_phrase": {"doc_text": p}} for p in must_not],
                           "should": [], "filter": filters}},
        "from": offset, "size": size,
    }
    if browse:
        echo["sort"] = [{"file_date": {"order": "desc"}}]
    if offset + size > RESULT_WINDOW:
        return {"error": f"Result window is too large, from + size must be less than or equal to: "
                         f"[{RESULT_WINDOW}] but was [{offset + size}].", "query": echo}

    first, last = (dt.date.fromisoformat(start), dt.date.fromisoformat(end)) if start and end else (None, None)
    yes = [p for p in map(phrase_pattern, must) if p]
    no = [p for p in map(phrase_pattern, must_not) if p]
    hits: list[dict[str, Any]] = []
    for f in sorted(filings, key=lambda f: (f.filed, f.accession), reverse=True):
        if f.filed < FULL_TEXT_SEARCH_STARTS or (first and f.filed < first) or (last and f.filed > last):
            continue
        if plain and root_form(f.form) not in plain:
            continue
        if amended and f.form.upper() not in amended:
            continue
        if ciks and not ciks & {c for c, _, _ in f.entities}:
            continue
        for doc in f.documents:
            if browse and doc.sequence != 1:
                continue
            if not all(p.search(doc.text) for p in yes) or any(p.search(doc.text) for p in no):
                continue
            hits.append(_hit(f, doc, browse))
    total = len(hits)
    page = hits[offset: offset + size]
    answer: dict[str, Any] = {
        "took": 12, "timed_out": False, "_shards": {"total": 50, "successful": 50, "skipped": 0, "failed": 0},
        "hits": {"total": {"value": min(total, RESULT_WINDOW), "relation": "gte" if total > RESULT_WINDOW else "eq"},
                 "max_score": None if browse or not page else page[0]["_score"], "hits": page},
    }
    if offset == 0:  # EDGAR computes the facets for the first page only
        roots = Counter(h["_source"]["root_forms"][0] for h in hits)
        answer["aggregations"] = {"form_filter": {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0,
                                                  "buckets": [{"key": k, "doc_count": n} for k, n in roots.most_common(30)]}}
    answer["query"] = echo
    return answer


def xsl_folder(form: str) -> str:
    """EDGAR's rendering folder of an XML-era schedule ('SCHEDULE 13G/A' -> 'xslSCHEDULE_13G_X01')."""
    return "xsl" + form.upper().removesuffix("/A").strip().replace(" ", "_") + "_X01"


def _hit(f: Searchable, doc: Document, browse: bool) -> dict[str, Any]:
    hit: dict[str, Any] = {
        "_index": "edgar_file", "_id": f"{f.accession}:{doc.filename}", "_score": None if browse else 9.5,
        "_source": {
            "ciks": [f"{c:010d}" for c, _, _ in f.entities],
            "period_ending": None,
            "file_num": [f.file_number] if f.file_number else [],
            "display_names": [_display_name(c, n, t) for c, n, t in f.entities],
            "xsl": xsl_folder(f.form) if f.form.upper().startswith("SCHEDULE 13") and doc.sequence == 1 else None,
            # The primary document's sequence comes as a number, the others' as strings: EDGAR sends both.
            "sequence": doc.sequence if doc.sequence == 1 else str(doc.sequence),
            "root_forms": [root_form(f.form)],
            "file_date": f.filed.isoformat(),
            "biz_states": [], "sics": [],
            "form": f.form,
            "adsh": f.accession,
            "film_num": [],
            "biz_locations": [],
            "file_type": doc.type or f.form,
            "file_description": doc.description or None,
            "inc_states": [],
            "items": [],
        },
    }
    if browse:
        hit["sort"] = [int(dt.datetime(f.filed.year, f.filed.month, f.filed.day, tzinfo=dt.UTC).timestamp() * 1000)]
    return hit


