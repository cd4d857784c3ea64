"""What discovery hands to fetch: a filing we know exists, before we have its bytes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from extractors.schedules import ALL_FORM_TYPES

# Every form type of every schedule edgar13d reads (13D and 13G, both eras, with amendments): what
# discovery looks for unless a run names fewer (extractors/schedules.py declares them).
SCHEDULE_FORMS: tuple[str, ...] = ALL_FORM_TYPES
AMENDMENT_SUFFIX = "/A"


def root_form(form: str) -> str:
    """The form an amendment amends (``SC 13D/A`` -> ``SC 13D``); an original is its own root."""
    f = form.strip().upper()
    return f.removesuffix(AMENDMENT_SUFFIX).rstrip() if f.endswith(AMENDMENT_SUFFIX) else f


def root_forms(forms: Iterable[str]) -> tuple[str, ...]:
    """The distinct root forms of a form list, in order: what EDGAR full-text search is asked for.

    Search filters a plain form on ``root_forms``, which already returns its amendments, and ANDs an
    ``/A`` entry as a second filter on ``form``: asking for ``SC 13D,SC 13D/A`` returns amendments only.
    """
    return tuple(dict.fromkeys(root_form(f) for f in forms if f.strip()))


@dataclass(frozen=True)
class Candidate:
    """One filing found by an index, a submissions page or full-text search.

    ``cik`` is any CIK the filing is stored under (EDGAR serves the full submission under each of them);
    ``ciks`` every CIK it was listed with, where the source says.
    """

    accession: str
    cik: int
    form: str
    filed_date: dt.date | None
    ciks: tuple[int, ...] = ()
    source: str = ""


def filing_url(www_url: str, cik: int, accession: str) -> str:
    """The full submission (header and every document) of one filing: one request per filing."""
    return f"{www_url.rstrip('/')}/Archives/edgar/data/{int(cik)}/{accession.replace('-', '')}/{accession}.txt"


def parse_date(text: str) -> dt.date | None:
    """EDGAR writes dates as YYYY-MM-DD (quarterly index, JSON) or YYYYMMDD (daily index, headers)."""
    t = (text or "").strip()[:10]
    try:
        if len(t) >= 10 and t[4] == "-":
            return dt.date.fromisoformat(t[:10])
        if len(t) >= 8 and t[:8].isdigit():
            return dt.date(int(t[:4]), int(t[4:6]), int(t[6:8]))
    except ValueError:
        return None
    return None


def merge_candidates(cands: list[Candidate]) -> list[Candidate]:
    """One candidate per accession (EDGAR lists a filing once per CIK on it), with every CIK kept."""
    by_acc: dict[str, Candidate] = {}
    for c in cands:
        prev = by_acc.get(c.accession)
        if prev is None:
            by_acc[c.accession] = c
        else:
            ciks = tuple(dict.fromkeys((*prev.ciks, *c.ciks)))
            by_acc[c.accession] = Candidate(prev.accession, prev.cik, prev.form, prev.filed_date or c.filed_date,
                                            ciks, prev.source)
    return list(by_acc.values())
