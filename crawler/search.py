"""EDGAR full-text search (efts.sec.gov), 2001 onward.

The response shape is known only from write-ups (an Elasticsearch envelope; no recorded response
exists), so everything here is read defensively: a missing key ends the search with a warning instead
of an exception, and the accession is taken from ``_source.adsh`` or else from ``_id``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any

from crawler.candidates import THIRTEEN_D_FORMS, Candidate, parse_date
from crawler.client import EdgarClient, NotFound

log = logging.getLogger("edgar13d.crawler")

_ACCESSION = re.compile(r"^\d{10}-\d{2}-\d{6}$")
SEARCH_STARTS = dt.date(2001, 1, 1)


def search_url(efts_url: str) -> str:
    return f"{efts_url.rstrip('/')}/LATEST/search-index"


def parse_hits(doc: Any) -> tuple[list[Candidate], int | None, int]:
    """(candidates, total, hits on this page) from one response. Pure; never raises on odd shapes."""
    hits = doc.get("hits") if isinstance(doc, dict) else None
    if not isinstance(hits, dict):
        return [], None, 0
    total_raw = hits.get("total")
    total = total_raw.get("value") if isinstance(total_raw, dict) else total_raw
    total = total if isinstance(total, int) else None
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
        form = src.get("form") or next(iter(src.get("root_forms") or []), "") or ""
        out.append(Candidate(acc, ciks[0], str(form), parse_date(str(src.get("file_date") or "")), ciks, "search"))
    return out, total, len(page)


def search_candidates(client: EdgarClient, efts_url: str, phrase: str, forms: Iterable[str] = THIRTEEN_D_FORMS,
                      start: dt.date | None = None, end: dt.date | None = None,
                      max_pages: int = 100) -> Iterator[Candidate]:
    """Filings whose text contains ``phrase`` (quoted: an exact phrase), one per accession."""
    forms = tuple(forms)
    wanted = {f.upper() for f in forms}
    params: dict[str, Any] = {"q": f'"{phrase}"', "forms": ",".join(forms)}
    if start or end:
        params.update({"dateRange": "custom", "startdt": (start or SEARCH_STARTS).isoformat(),
                       "enddt": (end or dt.date.today()).isoformat()})
    seen: set[str] = set()
    offset = 0
    for _ in range(max_pages):
        try:
            doc = client.get_json(search_url(efts_url), params={**params, "from": offset})
        except NotFound:
            log.warning("full-text search is not available at %s", search_url(efts_url))
            return
        cands, total, n = parse_hits(doc)
        if n == 0:
            if total is None:
                log.warning("full-text search answered in an unknown shape for %r: keys %s", phrase,
                            sorted(doc)[:10] if isinstance(doc, dict) else type(doc).__name__)
            return
        for c in cands:
            if c.accession in seen or (c.form and c.form.upper() not in wanted):
                continue
            seen.add(c.accession)
            yield c
        offset += n
        if total is not None and offset >= total:
            return
    log.info("full-text search for %r: read the first %d pages", phrase, max_pages)
