"""Fetch: one request per filing (the full submission ``.txt``), straight into the raw archive.

A filing already archived costs no request. A body that arrives without the submission's closing tag
is treated as cut short and fetched again: HTTP cannot tell a truncated body from a whole one when the
server sends no Content-Length. EDGAR writes the closing tag on every full submission it generates (all
60 corpus filings, 1994-2026, have it), so a body still without one after ``max_incomplete`` tries is an
error, not a filing; ``accept_unterminated=True`` keeps it anyway (after the same retries).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from crawler.archive import ArchiveDamaged, RawArchive
from crawler.candidates import Candidate, filing_url
from crawler.client import Blocked, CrawlerError, EdgarClient, FetchError, Unreachable

log = logging.getLogger("edgar13d.crawler")

_END_MARKERS = (b"</SEC-DOCUMENT>", b"</IMS-DOCUMENT>", b"-----END PRIVACY-ENHANCED MESSAGE-----")


@dataclass(frozen=True)
class Fetched:
    candidate: Candidate
    raw: bytes
    sha256: str
    from_archive: bool


def looks_complete(raw: bytes) -> bool:
    """A full submission ends with its closing tag (or the PEM trailer of 1990s filings)."""
    tail = raw[-512:].rstrip()
    return any(tail.endswith(m) for m in _END_MARKERS)


_ACCESSION = re.compile(r"^\d{10}-\d{2}-\d{6}$")


def candidate_problem(cand: Candidate) -> str | None:
    """Why a listed filing cannot be fetched as listed (it would make a wrong URL or archive path), or None."""
    if not isinstance(cand.accession, str) or not _ACCESSION.match(cand.accession):
        return (f"listed with {cand.accession!r} as its accession number, which is not 0001234567-YY-NNNNNN "
                f"(source: {cand.source or 'unknown'}); the listing row is damaged")
    if not isinstance(cand.cik, int) or not 0 < cand.cik < 10**10:
        return f"listed under CIK {cand.cik!r}, which is not a CIK (source: {cand.source or 'unknown'})"
    return None


def fetch_filing(client: EdgarClient, www_url: str, cand: Candidate, archive: RawArchive,
                 max_incomplete: int = 3, accept_unterminated: bool = False) -> Fetched:
    """The filing's raw bytes: from the archive if there, else one request (more only on damage)."""
    if archive.has(cand.accession):
        try:
            return Fetched(cand, archive.get(cand.accession), "", True)
        except ArchiveDamaged as exc:  # fetch it again: the archive's copy cannot be trusted
            log.warning("archived copy of %s is damaged (%s): fetching it again", cand.accession, exc.reason)
    url = filing_url(www_url, cand.cik, cand.accession)
    for attempt in range(1, max_incomplete + 1):
        raw = client.get_bytes(url)
        if looks_complete(raw) or (accept_unterminated and attempt == max_incomplete):
            return Fetched(cand, raw, archive.put(cand.accession, raw), False)
        log.info("%s arrived without its closing tag (%d bytes, attempt %d): fetching again",
                 cand.accession, len(raw), attempt)
        client.stats.add("truncated")
    raise FetchError(url, "incomplete", f"{max_incomplete} bodies, none ending in </SEC-DOCUMENT> or the PEM "
                     "trailer: the connection keeps cutting it short (or the file is damaged on EDGAR)",
                     max_incomplete)


def fetch_many(client: EdgarClient, www_url: str, candidates: Iterable[Candidate], archive: RawArchive,
               workers: int = 4) -> Iterator[tuple[Candidate, Fetched | CrawlerError]]:
    """Fetch in ``workers`` threads (they share the client's limiter); yields in input order.

    Errors are yielded, not raised, so one bad filing does not stop a batch; Blocked and Unreachable
    are raised because nothing else will get through either (and a filing is not to blame for them).
    """
    def one(c: Candidate) -> tuple[Candidate, Fetched | CrawlerError]:
        problem = candidate_problem(c)
        if problem:
            # A row an index or submissions page got wrong (a half-written line, a path for a file name)
            # is refused and reported like any failed fetch; it must not stop the others.
            return c, FetchError(str(c.accession), "bad_listing", problem, 0)
        try:
            return c, fetch_filing(client, www_url, c, archive)
        except (Blocked, Unreachable):
            raise
        except CrawlerError as exc:
            return c, exc

    unique = list({c.accession: c for c in candidates}.values())
    if workers <= 1:
        for c in unique:
            yield one(c)
        return
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="edgar-fetch")
    try:
        futures = [pool.submit(one, c) for c in unique]
        for f in futures:
            yield f.result()
    finally:
        # On Blocked (or the caller stopping early) drop what has not started yet.
        pool.shutdown(wait=True, cancel_futures=True)
