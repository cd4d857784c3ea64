"""The single entry point: raw filing bytes in, one :class:`ParsedFiling` out.

``parse_filing`` never touches the network or a database and never lets an unexpected exception
escape: input it cannot read becomes an :class:`ExtractionError` whose ``reason`` is a stable code
the warehouse records, so one hostile file cannot stop a nightly run.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from extractors.checks import check_persons
from extractors.cover import parse_cover_pages
from extractors.cusip import normalize_cusip
from extractors.envelope import (
    Submission,
    detect_format,
    pick_schedule_document,
    read_submission,
    xml_payload,
)
from extractors.front import parse_front_page
from extractors.items import parse_items
from extractors.model import ExtractionError, ParsedFiling
from extractors.rulebox import parse_rule_box
from extractors.schedules import SCHEDULES, Schedule, schedule_of_title_letter
from extractors.signatures import parse_signatures
from extractors.textify import document_lines
from extractors.xmlform import parse_xml

# Cover pages and items sit in the first part of a schedule's document; a document larger than this
# is read up to this size (with a warning) so a 50 MB filing costs what a normal one does.
MAX_DOCUMENT_BYTES = 4_000_000
# How much of a document to look at when deciding which schedule it is.
_TITLE_LINES = 120
# No cover-page, front-page or item line is longer than this (the longest in the corpora is a few
# thousand characters: an item paragraph in one HTML block). Longer lines are cut into pieces of this
# size at a space, so that every reader's per-line work stays bounded whatever a hostile file holds.
MAX_LINE_CHARS = 20_000
# Nor does a real schedule's document render to more lines than this (the corpora's longest: ~3,000).
MAX_LINES = 200_000

# "Schedule 13D", "SC 13G", "13D/A", or a title line that is just "13G"; not "Rule 13d-1", which a
# 13G cites too. The letter names the schedule (extractors.schedules: title_letter).
_SCHEDULE_RE = re.compile(
    r"SCHEDULE\s*13\s*-?\s*([DG])\b|\b13\s*([DG])\s*/\s*A\b|\bSC\s*13([DG])\b|^\s*13([DG])\s*$", re.I | re.M
)


def parse_filing(data: bytes, source: str | None = None) -> ParsedFiling:
    """Read one filing: a full EDGAR submission, or a bare schedule document (.txt, .htm or XML).

    The schedule (13D or 13G) is the one the document is, whatever its form type says: a 13G filed
    under a 13D form type (or the reverse) is read as a 13G, with a ``schedule_mismatch`` warning.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise TypeError("parse_filing takes bytes")
    data = bytes(data)
    try:
        return _parse(data, source)
    except ExtractionError:
        raise
    except RecursionError as exc:
        raise ExtractionError("malformed", f"the document nests too deeply to read ({exc})") from exc
    except Exception as exc:  # a parser bug must not stop a run: record it and go on
        raise ExtractionError("parser_error", f"{type(exc).__name__}: {exc}") from exc


def _parse(data: bytes, source: str | None) -> ParsedFiling:
    _reject_binary(data)
    sha = hashlib.sha256(data).hexdigest()
    sub = read_submission(data)
    doc, declared = pick_schedule_document(sub)
    fmt = detect_format(doc.body)
    warnings = list(sub.warnings)
    if doc.truncated and not any(w.startswith("truncated") for w in warnings):
        warnings.append("truncated: the schedule's document has no closing </TEXT>; it may be cut short")
    filing = _header_fields(sub, sha, source)
    filing["document_format"] = fmt

    if fmt == "xml":
        result = parse_xml(xml_payload(doc.body) or b"")
        warnings.extend(result.warnings)
        schedule = result.schedule
        if declared is not None and declared is not schedule and not any(
            w.startswith("schedule_mismatch") for w in result.warnings
        ):
            warnings.append(_mismatch(sub.header.form_type, schedule))
        _merge_document_fields(filing, result.filing)
        if not sub.has_envelope:  # a raw primary_doc.xml: its own submission type and issuer CIK
            filing["form_type"] = result.filing.get("form_type")
            filing["subject_cik"] = filing.get("subject_cik") or result.filing.get("issuer_cik")
        persons, items, signatures = result.reporting_persons, result.items, result.signatures
        filing["rule_13d_1"] = result.filing.get("rule_13d_1")
    else:
        body = doc.body
        if len(body) > MAX_DOCUMENT_BYTES:
            warnings.append(
                f"large_document: read the first {MAX_DOCUMENT_BYTES:,} of {len(body):,} bytes of the schedule's document"
            )
            body = body[:MAX_DOCUMENT_BYTES]
        lines = bounded_lines(document_lines(body, fmt), warnings)
        schedule = _schedule_of_text(lines, sub, declared, warnings)
        front, front_warnings = parse_front_page(lines)
        warnings.extend(front_warnings)
        _merge_document_fields(filing, front)
        persons, cover_warnings = parse_cover_pages(lines, schedule.cover)
        warnings.extend(cover_warnings)
        if schedule.rule_box:
            filing["rule_13d_1"], rule_warnings = parse_rule_box(lines)
            warnings.extend(rule_warnings)
        items = parse_items(lines, schedule)
        signatures = parse_signatures(lines)
    filing["schedule"] = schedule.name

    for person in persons:
        raw = person.get("cusip")
        person["cusip"] = normalize_cusip(raw) if raw else None
    check_persons(persons)
    if not persons:
        warnings.append(
            f"no_cover_page: no reporting person's cover page (rows 1 to {schedule.cover.last}) was found"
        )
    if filing.get("issuer_name") is None and filing.get("subject_name"):
        filing["issuer_name"] = filing["subject_name"]
        warnings.append("issuer_name: not found on the cover; used the header's subject company name")
    filing["is_amendment"] = _is_amendment(filing)
    return ParsedFiling(filing=filing, reporting_persons=persons, items=items, signatures=signatures, warnings=warnings)


def bounded_lines(lines: list[str], warnings: list[str]) -> list[str]:
    """The document's lines with none longer than MAX_LINE_CHARS and at most MAX_LINES of them."""
    if len(lines) > MAX_LINES:
        warnings.append(f"large_document: read the first {MAX_LINES:,} of {len(lines):,} lines")
        lines = lines[:MAX_LINES]
    if max(map(len, lines), default=0) <= MAX_LINE_CHARS:  # one C loop: this runs on every filing
        return lines
    out: list[str] = []
    for line in lines:
        while len(line) > MAX_LINE_CHARS:
            cut = line.rfind(" ", MAX_LINE_CHARS // 2, MAX_LINE_CHARS)
            cut = cut if cut > 0 else MAX_LINE_CHARS
            out.append(line[:cut])
            line = line[cut:].lstrip(" ")
        out.append(line)
    warnings.append(f"long_lines: lines over {MAX_LINE_CHARS:,} characters were cut into pieces")
    return out


# Bytes no text filing contains (form feeds, tabs and line ends are normal in 1990s filings).
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32)])


def _reject_binary(data: bytes) -> None:
    if not data or data.isspace():  # isspace stops at the first other byte; strip() would copy it all
        raise ExtractionError("empty", "the file is empty or blank; re-fetch it from EDGAR")
    sample = data[:8192]
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if b"\x00" in sample or control > len(sample) // 50:
        raise ExtractionError(
            "binary", "the file is binary, not an EDGAR text, HTML or XML filing (was it saved compressed?)"
        )


def _header_fields(sub: Submission, sha: str, source: str | None) -> dict[str, Any]:
    h = sub.header
    return {
        "filing_id": h.accession_number or f"sha256:{sha}",
        "accession_number": h.accession_number,
        "form_type": h.form_type,
        "filed_date": h.filed_date,
        "acceptance_datetime": h.acceptance_datetime,
        "subject_cik": h.subject_cik,
        "subject_name": h.subject_name,
        "sec_file_number": h.sec_file_number,
        "filer_ciks": list(h.filer_ciks),
        "filer_names": list(h.filer_names),
        "group_members": list(h.group_members),
        "content_sha256": sha,
        "source": source,
    }


_DOCUMENT_KEYS = (
    "issuer_name", "issuer_cik", "security_title", "cusip", "cusip_raw", "cusips", "event_date",
    "amendment_number", "previous_accession_number", "is_amendment",
)


def _merge_document_fields(filing: dict[str, Any], found: dict[str, Any]) -> None:
    for key in _DOCUMENT_KEYS:
        if found.get(key) is not None:
            filing[key] = found[key]
    for cik in found.get("filer_ciks") or []:
        if cik not in filing["filer_ciks"]:
            filing["filer_ciks"].append(cik)


def _schedule_of_text(lines: list[str], sub: Submission, declared: Schedule | None, warnings: list[str]) -> Schedule:
    """The schedule a text or HTML document is: the one its title names (the form type's when the title
    names both), else the one its form type names; a bare document that names none is refused."""
    title = "\n".join(line for line in lines[:_TITLE_LINES] if "13" in line)
    named: list[Schedule] = []
    for m in _SCHEDULE_RE.finditer(title):
        schedule = schedule_of_title_letter(next(g for g in m.groups() if g))
        if schedule is not None and schedule not in named:
            named.append(schedule)
    if declared is not None and (declared in named or not named):
        return declared
    if named:
        if declared is not None:
            warnings.append(_mismatch(sub.header.form_type, named[0]))
        return named[0]
    if not sub.has_envelope:
        raise ExtractionError(
            "not_13d", f"the document does not call itself a Schedule {' or '.join(SCHEDULES)}"
        )
    return SCHEDULES["13D"]  # a Schedule TO serving as a 13D amendment (its subject's form type)


def _mismatch(form_type: str | None, schedule: Schedule) -> str:
    return (f"schedule_mismatch: filed as {form_type or 'an unknown form type'} but the document is a "
            f"Schedule {schedule.name}; read as a {schedule.name}")


def _is_amendment(filing: dict[str, Any]) -> bool:
    form = (filing.get("form_type") or "").upper()
    if form.endswith("/A"):
        return True
    return bool(filing.get("amendment_number")) or bool(filing.get("is_amendment"))
