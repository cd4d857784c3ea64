"""EDGAR full-text search (efts.sec.gov), 2001 onward, read the way EDGAR really answers.

What recorded answers show (r007/edgarkit and bellingcat/EDGAR test fixtures, the SEC's own search
prototype), and what this module does about it:

- ``forms``: a plain form filters on ``root_forms`` (so ``SC 13D`` already returns its amendments); an
  ``/A`` entry adds a second filter on ``form``, ANDed with the first. Asking for ``SC 13D,SC 13D/A``
  therefore returns amendments only. We send the *root* forms of the wanted list, filter the hits on our
  side, and read the filter EDGAR echoes back under ``query`` to be sure it ran what we meant.
- Pages hold up to 100 hits (``size``); ``from + size`` may not pass 10,000, where ``hits.total`` reads
  ``{"value": 10000, "relation": "gte"}``. Past the cap, and for a blank query, EDGAR answers **200**
  with an ``{"error": ...}`` body: that is an error (:class:`SearchError`), never "no hits".
- One hit per *document* (``_id`` is ``accession:file name``); ``file_type`` is the document's type
  (``EX-99.1``), not the filing's form; ``sequence`` is an int or a string.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from crawler.candidates import SCHEDULE_FORMS, Candidate, parse_date, root_forms
from crawler.client import CrawlerError, EdgarClient, NotFound

log = logging.getLogger("edgar13d.crawler")

_ACCESSION = re.compile(r"^\d{10}-\d{2}-\d{6}$")
SEARCH_STARTS = dt.date(2001, 1, 1)
PAGE_SIZE = 100  # EDGAR's largest page
RESULT_WINDOW = 10_000  # from + size may not pass this


class SearchError(CrawlerError):
    """Full-text search answered with an error body, or ran a filter other than the one we sent."""

    def __init__(self, phrase: str, detail: str) -> None:
        super().__init__(f"EDGAR full-text search for {phrase!r}: {detail}")
        self.phrase = phrase
        self.detail = detail


def search_url(efts_url: str) -> str:
    return f"{efts_url.rstrip('/')}/LATEST/search-index"


@dataclass(frozen=True)
class SearchPage:
    """One answer of full-text search, read defensively (odd shapes give an empty page, not a crash)."""

    candidates: list[Candidate] = field(default_factory=list)
    total: int | None = None
    capped: bool = False  # total.relation == "gte": more hits exist than EDGAR will count or page to
    hits: int = 0  # hits on this page, documents included (several per filing)


def _as_int(value: Any) -> int | None:
    """EDGAR writes ``sequence`` and counts as ints or as strings of digits."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def error_of(doc: Any) -> str | None:
    """The error EDGAR put in a 200 answer (``{"error": ...}``), or None."""
    if isinstance(doc, dict) and doc.get("error"):
        err = doc["error"]
        if isinstance(err, dict):  # an Elasticsearch error object: its reason says most
            return str(err.get("reason") or err.get("type") or err)
        return str(err)
    return None


def parse_hits(doc: Any) -> SearchPage:
    """Candidates, total and page size of one response. Pure; never raises on odd shapes."""
    hits = doc.get("hits") if isinstance(doc, dict) else None
    if not isinstance(hits, dict):
        return SearchPage()
    total_raw = hits.get("total")
    total = _as_int(total_raw.get("value") if isinstance(total_raw, dict) else total_raw)
    capped = isinstance(total_raw, dict) and str(total_raw.get("relation", "")).lower() == "gte"
    page = hits.get("hits") if isinstance(hits.get("hits"), list) else []
    out: list[Candidate] = []
    for hit in page:
        if not isinstance(hit, dict):
            continue
        src = hit.get("_source") if isinstance(hit.get("_source"), dict) else {}
        acc = src.get("adsh") or str(hit.get("_id", "")).split(":", 1)[0]
        if not isinstance(acc, str) or not _ACCESSION.match(acc):
            continue
        ciks = tuple(int(c) for c in (src.get("ciks") or []) if str(c).strip().isdigit())
        if not ciks:
            continue  # no CIK, no URL to fetch it from
        # ``form`` is the filing's form; ``file_type`` is only this document's type (an exhibit's EX-99.1).
        form = src.get("form") or ""
        out.append(Candidate(acc, ciks[0], str(form), parse_date(str(src.get("file_date") or "")), ciks, "search"))
    return SearchPage(out, total, capped, len(page))


def echoed_filters(doc: Any) -> dict[str, list[str]] | None:
    """The ``terms`` filters EDGAR says it ran (``{"root_forms": [...], "form": [...]}``), from the
    Elasticsearch query it echoes under ``query``; None when the answer echoes no query we can read."""
    q = doc.get("query") if isinstance(doc, dict) else None
    if not isinstance(q, dict):
        return None
    inner = q.get("query") if isinstance(q.get("query"), dict) else q
    boolean = inner.get("bool") if isinstance(inner, dict) else None
    if not isinstance(boolean, dict) or not isinstance(boolean.get("filter"), list):
        return None
    out: dict[str, list[str]] = {}
    for clause in boolean["filter"]:
        terms = clause.get("terms") if isinstance(clause, dict) else None
        if isinstance(terms, dict):
            for name, values in terms.items():
                if isinstance(values, list):
                    out.setdefault(str(name), []).extend(str(v) for v in values)
    return out


def check_echo(doc: Any, forms: Iterable[str]) -> str | None:
    """Why the filter EDGAR echoes would lose filings of ``forms`` (None: it would not, or nothing was
    echoed). We send root forms only, so EDGAR should run ``root_forms:[ours]`` and no ``form`` filter;
    a ``form`` filter that leaves out one of ``forms`` (as an ``/A`` entry does) silently drops those
    filings. A filter wider than ours is harmless: hits are filtered here anyway."""
    filters = echoed_filters(doc)
    if filters is None:
        return None
    wanted = {f.strip().upper() for f in forms if f.strip()}
    roots = set(root_forms(wanted))
    if "form" in filters:
        kept = {f.upper() for f in filters["form"]}
        if wanted - kept:
            return (f"EDGAR also filtered on form:{filters['form']}, which leaves out "
                    f"{sorted(wanted - kept)}")
    ran_roots = {f.upper() for f in filters.get("root_forms", filters.get("root_form", []))}
    if ran_roots and roots - ran_roots:
        return f"EDGAR filtered on root_forms:{sorted(ran_roots)}, which leaves out {sorted(roots - ran_roots)}"
    return None


def search_params(phrase: str, forms: Iterable[str], start: dt.date | None, end: dt.date | None) -> dict[str, Any]:
    """Query parameters for one exact phrase in ``forms`` (sent as their root forms)."""
    params: dict[str, Any] = {"q": f'"{phrase}"', "forms": ",".join(root_forms(forms))}
    if start or end:
        params.update({"dateRange": "custom", "startdt": (start or SEARCH_STARTS).isoformat(),
                       "enddt": (end or dt.date.today()).isoformat()})
    return params


def search_candidates(client: EdgarClient, efts_url: str, phrase: str, forms: Iterable[str] = SCHEDULE_FORMS,
                      start: dt.date | None = None, end: dt.date | None = None,
                      max_pages: int | None = None) -> Iterator[Candidate]:
    """Filings of ``forms`` whose text contains ``phrase`` (quoted: an exact phrase), one per accession.

    Pages of 100 hits until the total, ``max_pages`` or EDGAR's 10,000 cap (logged: narrow the dates to
    see the rest). Raises :class:`SearchError` for an error body or a filter EDGAR did not run as sent;
    a missing search service (404) ends the search with a warning.
    """
    forms = tuple(forms)
    wanted = {f.upper() for f in forms}
    params = search_params(phrase, forms, start, end)
    seen: set[str] = set()
    offset = 0
    pages = 0
    while max_pages is None or pages < max_pages:
        size = min(PAGE_SIZE, RESULT_WINDOW - offset)
        if size <= 0:
            log.warning("full-text search for %r: EDGAR pages no further than %d hits; narrow the dates "
                        "to read the rest", phrase, RESULT_WINDOW)
            return
        try:
            doc = client.get_json(search_url(efts_url), params={**params, "from": offset, "size": size})
        except NotFound:
            log.warning("full-text search is not available at %s", search_url(efts_url))
            return
        pages += 1
        err = error_of(doc)
        if err:
            raise SearchError(phrase, f"EDGAR answered an error: {err}")
        problem = check_echo(doc, forms)
        if problem:
            raise SearchError(phrase, problem)
        page = parse_hits(doc)
        if page.hits == 0:
            if page.total is None:
                raise SearchError(phrase, "the answer has no hits list (keys: "
                                  f"{sorted(doc)[:10] if isinstance(doc, dict) else type(doc).__name__})")
            return
        for c in page.candidates:
            if c.accession in seen or (c.form and c.form.upper() not in wanted):
                continue
            seen.add(c.accession)
            yield c
        offset += page.hits
        if page.total is not None and offset >= page.total and not page.capped:
            return
    log.info("full-text search for %r: read the first %d pages", phrase, max_pages)
