"""Discovery: which filings to fetch, by CUSIP (a company's whole 13D history) or by day.

By CUSIP, in two steps, because full-text search only covers 2001 on and does not say which CIK on a
filing is the subject:
1. Subject CIKs: the ones the caller knows (``ciks``, a learned ``known`` mapping), else full-text
   search for the CUSIP's printed shapes; each hit is fetched and matched, and a matching filing tells
   us its subject CIK.
2. Every 13D / 13D/A in each subject CIK's submissions (overflow pages included, back to the 1990s) is
   fetched and kept only if its subject is one of those CIKs and it prints the CUSIP. The others are
   recorded with the reason: the company as a filer, another class, a CUSIP that could not be read.
A filing met twice (search hit, several CIKs) is fetched once; one already archived is not fetched.
Matching needs the parsed filing, so it takes ``extract(raw) -> (subject_cik, cusips)``: the flows pass
the real extractor, tests a small one.

By CIK, the CIK's submissions list every filing it is on, as subject *or* filer (the JSON does not say
which): each is fetched and kept only when the header gives the CIK the asked-for role, ``subject`` (a
company's history) or ``filer`` (an investor's whole book, on every issuer).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field

from crawler.archive import RawArchive
from crawler.candidates import SCHEDULE_FORMS, Candidate
from crawler.client import EdgarClient, NotFound
from crawler.cusip import CusipTarget, parse_cusip_query
from crawler.fetch import fetch_many
from crawler.indexes import daily_candidates, range_candidates
from crawler.search import SearchError, search_candidates
from crawler.submissions import list_filings

log = logging.getLogger("edgar13d.crawler")

Extract = Callable[[bytes], tuple[int | None, Iterable[str]]]
# (subject CIK, filer CIKs) of a raw filing: who it is about and who filed it.
ExtractRoles = Callable[[bytes], tuple[int | None, Collection[int]]]
ROLES = ("subject", "filer")
KnownCiks = Callable[[str], Iterable[int]] | Mapping[str, Iterable[int]]

__all__ = ["ROLES", "SCHEDULE_FORMS", "CikDiscovery", "CusipDiscovery", "MatchResult", "Outcome",
           "SearchError", "daily_candidates", "discover_by_cik", "discover_by_cusip", "extract_with_parser",
           "header_roles", "match_filing", "match_role", "range_candidates"]


def extract_with_parser(raw: bytes) -> tuple[int | None, list[str]]:
    """The real extractor as an ``Extract``: subject CIK and cover-page CUSIPs of ``parse_filing``."""
    from extractors.parse import parse_filing  # imported on use: discovery's tests run without it

    filing = parse_filing(raw).filing
    return filing.get("subject_cik"), list(filing.get("cusips") or [])


def header_roles(raw: bytes) -> tuple[int | None, list[int]]:
    """An ``ExtractRoles`` from the SGML header alone (SUBJECT COMPANY and FILED BY), so a filing whose
    cover page cannot be read still says who it is about; its parse failure is recorded when loaded."""
    from extractors.envelope import read_submission  # imported on use, like extract_with_parser

    h = read_submission(raw).header
    return (int(h.subject_cik) if h.subject_cik else None), [int(c) for c in h.filer_ciks if c.isdigit()]


@dataclass(frozen=True)
class MatchResult:
    accepted: bool
    reason: str  # "match", or why not
    subject_cik: int | None
    cusips: tuple[str, ...]


def match_filing(raw: bytes, target: CusipTarget, extract: Extract,
                 subject_ciks: Collection[int] | None = None, accept_missing_cusip: bool = False) -> MatchResult:
    """Is this filing about the target? Its CUSIP must match, and its subject CIK must be one of
    ``subject_ciks`` when those are known (None: learning them, the CUSIP alone decides)."""
    try:
        subject, printed = extract(raw)
        cusips = tuple(str(c) for c in (printed or ()) if c)
    except Exception as exc:  # the extractor's failure is this filing's problem, not the crawl's
        return MatchResult(False, f"unreadable: {type(exc).__name__}: {exc}", None, ())
    subject = int(subject) if subject not in (None, "") else None
    if subject_ciks is not None and subject not in subject_ciks:
        who = f"CIK {subject}" if subject is not None else "not found in the header"
        return MatchResult(False, f"subject is {who}, not {sorted(subject_ciks)}", subject, cusips)
    if subject is None:
        return MatchResult(False, "no subject CIK in the filing", None, cusips)
    if not cusips:
        if accept_missing_cusip and subject_ciks is not None:
            return MatchResult(True, "match (no CUSIP printed; subject matches)", subject, cusips)
        return MatchResult(False, "no CUSIP found in the filing", subject, cusips)
    if any(target.matches(c) for c in cusips):
        return MatchResult(True, "match", subject, cusips)
    return MatchResult(False, f"CUSIP {', '.join(cusips)} is not {target.cusip or target.issuer + '*'}",
                       subject, cusips)


@dataclass(frozen=True)
class Outcome:
    candidate: Candidate
    accepted: bool
    reason: str
    subject_cik: int | None
    cusips: tuple[str, ...]
    sha256: str  # empty when the bytes came from the archive
    from_archive: bool


@dataclass
class Discovery:
    """What a discovery found: filings kept, filings turned away (with why), and fetch errors."""

    accepted: list[Outcome] = field(default_factory=list)
    rejected: list[Outcome] = field(default_factory=list)
    errors: list[tuple[Candidate, str]] = field(default_factory=list)
    discovery_requests: int = 0  # search pages + submissions pages
    fetch_requests: int = 0  # filing downloads, retries included

    @property
    def accessions(self) -> list[str]:
        return [o.candidate.accession for o in self.accepted]


@dataclass
class CusipDiscovery(Discovery):
    target: CusipTarget | None = None
    subject_ciks: list[int] = field(default_factory=list)
    search_errors: list[str] = field(default_factory=list)  # error answers of full-text search, verbatim


@dataclass
class CikDiscovery(Discovery):
    cik: int = 0
    role: str = "subject"


def known_ciks_for(target: CusipTarget, known: KnownCiks | None) -> set[int]:
    """CIKs a mapping learned from stored filings gives for this CUSIP (9, 8 or 6-character keys)."""
    if known is None:
        return set()
    query = target.cusip or target.issuer
    if callable(known):
        return {int(c) for c in known(query) or ()}
    out: set[int] = set()
    for key, ciks in known.items():
        k = str(key).replace(" ", "").replace("-", "").upper()
        if k[:6] == target.issuer and (target.cusip is None or len(k) <= 6 or k[:8] == target.cusip[:8]):
            out.update(int(c) for c in ciks)
    return out


def discover_by_cusip(client: EdgarClient, cusip: str, *, extract: Extract, archive: RawArchive,
                      ciks: Iterable[int] = (), known: KnownCiks | None = None, search: bool | None = None,
                      forms: Iterable[str] = SCHEDULE_FORMS, workers: int = 1,
                      search_start: dt.date | None = None, search_end: dt.date | None = None,
                      accept_missing_cusip: bool = False, search_pages: int = 2) -> CusipDiscovery:
    """Every 13D / 13D/A about the issuer of ``cusip`` (see the module docstring for the steps).

    ``search=None`` searches only when no CIK is known from ``ciks`` or ``known``; True always does
    (to catch an issuer that changed CIK). Search reads at most ``search_pages`` pages (100 hits each)
    per printed shape: it only has to reveal the subject CIK(s), whose submissions then list every
    filing, so paging through thousands of hits would spend the SEC's 10 requests/s on nothing.
    Raises ValueError for a malformed CUSIP, and :class:`SearchError` when full-text search answered
    only errors and nothing else names the subject (a search error with a subject found is kept in
    ``search_errors``).
    """
    s = client.settings
    forms = tuple(forms)
    target = parse_cusip_query(cusip)
    result = CusipDiscovery(target=target)
    subjects: set[int] = {int(c) for c in ciks} | known_ciks_for(target, known)
    seen: set[str] = set()

    def process(cands: list[Candidate], subject_filter: Collection[int] | None) -> None:
        before = client.stats.requests
        for cand, got in fetch_many(client, s.www_url, cands, archive, workers):
            if not hasattr(got, "raw"):
                result.errors.append((cand, str(got)))
                continue
            m = match_filing(got.raw, target, extract, subject_filter, accept_missing_cusip)
            out = Outcome(cand, m.accepted, m.reason, m.subject_cik, m.cusips, got.sha256, got.from_archive)
            (result.accepted if m.accepted else result.rejected).append(out)
            if m.accepted and m.subject_cik is not None:
                subjects.add(m.subject_cik)
        result.fetch_requests += client.stats.requests - before

    if search or (search is None and not subjects):
        before = client.stats.requests
        hits: list[Candidate] = []
        for phrase in target.search_phrases():
            try:
                for c in search_candidates(client, s.efts_url, phrase, forms, search_start, search_end,
                                           max_pages=search_pages):
                    if c.accession not in seen:
                        seen.add(c.accession)
                        hits.append(c)
            except SearchError as exc:
                log.warning("%s", exc)
                result.search_errors.append(exc.detail)
        result.discovery_requests += client.stats.requests - before
        log.info("full-text search for %s: %d candidate filings", target.cusip or target.issuer, len(hits))
        process(hits, None)
        if result.search_errors and not subjects:
            raise SearchError(target.cusip or target.issuer, "; ".join(dict.fromkeys(result.search_errors)))

    done: set[int] = set()
    while subjects - done:
        cik = min(subjects - done)
        done.add(cik)
        before = client.stats.requests
        try:
            listed = list_filings(client, s.data_url, cik, forms)
        except NotFound as exc:
            log.warning("no submissions for CIK %s: %s", cik, exc)
            listed = []
        result.discovery_requests += client.stats.requests - before
        fresh = [c for c in listed if c.accession not in seen]
        seen.update(c.accession for c in fresh)
        log.info("CIK %s: %d 13D/13G filings listed, %d not seen yet", cik, len(listed), len(fresh))
        process(fresh, frozenset(subjects))

    result.subject_ciks = sorted(subjects)
    result.accepted.sort(key=lambda o: (o.candidate.filed_date or dt.date.min, o.candidate.accession))
    return result


def match_role(raw: bytes, cik: int, role: str, extract: ExtractRoles) -> tuple[bool, str, int | None]:
    """(kept, reason, subject CIK): does ``cik`` have ``role`` on this filing, which its submissions list?

    The header decides: ``subject`` needs the SUBJECT COMPANY to be the CIK; ``filer`` needs the CIK in
    FILED BY, or at least not to be the subject (a joint filer is listed under each member's CIK, though
    the header may name only one of them)."""
    try:
        subject, filers = extract(raw)
    except Exception as exc:  # the extractor's failure is this filing's problem, not the crawl's
        return False, f"unreadable: {type(exc).__name__}: {exc}", None
    subject = int(subject) if subject not in (None, "") else None
    filer_set = {int(c) for c in filers or ()}
    if role == "subject":
        if subject == cik:
            return True, "match", subject
        if subject is None:
            return False, "no subject CIK in the header", None
        return False, f"CIK {cik} is the filer, not the subject (subject is CIK {subject})", subject
    if subject == cik:
        return False, f"CIK {cik} is the subject, not a filer", subject
    if cik in filer_set or subject is not None:
        return True, "match", subject
    return False, "no subject CIK in the header", None


def discover_by_cik(client: EdgarClient, cik: int, *, role: str, archive: RawArchive,
                    extract: ExtractRoles = header_roles, forms: Iterable[str] = SCHEDULE_FORMS,
                    workers: int = 1, start: dt.date | None = None, end: dt.date | None = None,
                    on_listed: Callable[[int], None] | None = None,
                    on_fetched: Callable[[], None] | None = None) -> CikDiscovery:
    """Every filing of ``forms`` in which ``cik`` has ``role`` (``subject`` or ``filer``), filed between
    ``start`` and ``end``: the CIK's submissions (overflow pages included), each fetched once and its
    header read. Raises ValueError for an unknown role, NotFound for a CIK EDGAR does not know."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    s = client.settings
    result = CikDiscovery(cik=int(cik), role=role)
    before = client.stats.requests
    listed = [c for c in list_filings(client, s.data_url, int(cik), tuple(forms))
              if (start is None or c.filed_date is None or c.filed_date >= start)
              and (end is None or c.filed_date is None or c.filed_date <= end)]
    result.discovery_requests = client.stats.requests - before
    if on_listed:
        on_listed(len(listed))
    before = client.stats.requests
    for cand, got in fetch_many(client, s.www_url, listed, archive, workers):
        if on_fetched:
            on_fetched()
        if not hasattr(got, "raw"):
            result.errors.append((cand, str(got)))
            continue
        kept, reason, subject = match_role(got.raw, int(cik), role, extract)
        out = Outcome(cand, kept, reason, subject, (), got.sha256, got.from_archive)
        (result.accepted if kept else result.rejected).append(out)
    result.fetch_requests = client.stats.requests - before
    result.accepted.sort(key=lambda o: (o.candidate.filed_date or dt.date.min, o.candidate.accession))
    log.info("CIK %s as %s: %d listed, %d kept", cik, role, len(listed), len(result.accepted))
    return result
