"""Every filing of one CIK from data.sec.gov submissions JSON, following the overflow pages.

``filings.recent`` holds only the latest ~1,000 filings; older ones (back to the 1990s) sit in the pages
named by ``filings.files[]``, whose top level *is* the column object. Both are parallel arrays.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from crawler.candidates import SCHEDULE_FORMS, Candidate, merge_candidates, parse_date
from crawler.client import EdgarClient

log = logging.getLogger("edgar13d.crawler")


def submissions_url(data_url: str, cik: int) -> str:
    return f"{data_url.rstrip('/')}/submissions/CIK{int(cik):010d}.json"


def overflow_url(data_url: str, name: str) -> str:
    return f"{data_url.rstrip('/')}/submissions/{name}"


def iter_rows(columns: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Rows of a parallel-array object. Pure; tolerates a short or missing column (value None)."""
    if not isinstance(columns, dict):
        return
    acc = columns.get("accessionNumber") or []
    for i in range(len(acc)):
        yield {k: (v[i] if isinstance(v, list) and i < len(v) else None) for k, v in columns.items()}


def rows_to_candidates(columns: dict[str, Any], cik: int, forms: Iterable[str]) -> list[Candidate]:
    wanted = {f.upper() for f in forms}
    out = []
    for row in iter_rows(columns):
        form = (row.get("form") or "").strip()
        if form.upper() in wanted and row.get("accessionNumber"):
            out.append(Candidate(row["accessionNumber"], cik, form, parse_date(row.get("filingDate") or ""),
                                 (cik,), "submissions"))
    return out


def list_filings(client: EdgarClient, data_url: str, cik: int,
                 forms: Iterable[str] = SCHEDULE_FORMS) -> list[Candidate]:
    """Every filing of ``forms`` listed under ``cik`` (as subject or as filer: the JSON does not say).

    One request for the main JSON plus one per overflow page. Raises NotFound for an unknown CIK.
    """
    forms = tuple(forms)
    doc = client.get_json(submissions_url(data_url, cik))
    filings = doc.get("filings") or {}
    out = rows_to_candidates(filings.get("recent") or {}, cik, forms)
    for page in filings.get("files") or []:
        name = page.get("name") if isinstance(page, dict) else None
        if not name:
            continue
        cols = client.get_json(overflow_url(data_url, name))
        if isinstance(cols, dict) and "filings" in cols:  # defensive: a page shaped like the main file
            cols = (cols.get("filings") or {}).get("recent") or {}
        out.extend(rows_to_candidates(cols, cik, forms))
    log.debug("CIK %s: %d filings of %s", cik, len(out), forms)
    return merge_candidates(out)
