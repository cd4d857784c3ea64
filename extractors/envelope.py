"""Read an EDGAR submission envelope: the SGML header and the documents inside.

EDGAR wraps every filing in one of a few envelopes: ``<SEC-DOCUMENT>``/``<SEC-HEADER>`` (2001 on),
``<IMS-DOCUMENT>``/``<IMS-HEADER>`` (1990s), often inside a ``-----BEGIN PRIVACY-ENHANCED MESSAGE-----``
block, or the tag-form ``<SUBMISSION>`` of the dissemination feed. Users also hand us bare documents
(a ``.htm``, a ``.txt`` or a ``primary_doc.xml``) with no envelope at all. This module finds the
header fields and the schedule's document (13D or 13G, per :mod:`extractors.schedules`) in all of
them and never looks at what the document says.

It works on bytes and slices, not a parse tree, because a 50 MB submission of exhibits must not cost
more than the few kilobytes of header and the one document we read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from extractors.model import ExtractionError
from extractors.schedules import Schedule, schedule_of_form


class Document:
    """One ``<DOCUMENT>`` block. ``body`` (what stands between ``<TEXT>`` and ``</TEXT>``) is sliced
    from the submission only when asked for, so a 50 MB exhibit that nobody reads is never copied."""

    __slots__ = ("_data", "_end", "_start", "description", "filename", "sequence", "truncated", "type")

    def __init__(self, type: str | None, sequence: int | None, filename: str | None, description: str | None,
                 body: bytes, truncated: bool = False, *, span: tuple[int, int] | None = None) -> None:
        self.type, self.sequence, self.filename, self.description = type, sequence, filename, description
        self.truncated = truncated
        self._data = body
        self._start, self._end = span or (0, len(body))

    @property
    def body(self) -> bytes:
        if self._start == 0 and self._end == len(self._data):
            return self._data
        return self._data[self._start : self._end]

    @property
    def size(self) -> int:
        return self._end - self._start


@dataclass
class Header:
    """The header fields edgar13d keeps. CIKs are strings without leading zeros."""

    accession_number: str | None = None
    form_type: str | None = None
    filed_date: dt.date | None = None
    acceptance_datetime: dt.datetime | None = None
    document_count: int | None = None
    subject_cik: str | None = None
    subject_name: str | None = None
    subject_form_types: list[str] = field(default_factory=list)
    sec_file_number: str | None = None
    filer_ciks: list[str] = field(default_factory=list)
    filer_names: list[str] = field(default_factory=list)
    group_members: list[str] = field(default_factory=list)


@dataclass
class Submission:
    header: Header
    documents: list[Document]
    has_envelope: bool
    warnings: list[str] = field(default_factory=list)


_HEADER_END = re.compile(rb"</(?:SEC|IMS)-HEADER>|<DOCUMENT>", re.I)
_TAG_LINE = re.compile(rb"<(TYPE|SEQUENCE|FILENAME|DESCRIPTION)>[ \t]*([^\r\n<]*)", re.I)
_TEXT_OPEN = re.compile(rb"<TEXT>\r?\n?", re.I)
# 'KEY: value'. The key is the run of key characters up to the colon (no colon is one of them) and the
# value all the rest but its white space at either end: the line is split at the colon and the value
# stripped in Python, instead of letting lazy repeats try every character.
_KV_LINE = re.compile(r"\s*([A-Z][A-Z0-9 .\-/()]*):[ \t]*")
_ACCEPTANCE = re.compile(r"<ACCEPTANCE-DATETIME>\s*(\d{14})")


def read_submission(data: bytes) -> Submission:
    """Split a full submission (or a bare document) into header fields and documents."""
    if not data or data.isspace():
        raise ExtractionError("empty", "the file is empty; re-fetch it from EDGAR")
    head = data[:4096].upper()
    has_envelope = any(
        tag in head for tag in (b"<SEC-DOCUMENT>", b"<SEC-HEADER>", b"<IMS-DOCUMENT>", b"<IMS-HEADER>", b"<SUBMISSION>")
    ) or (b"PRIVACY-ENHANCED MESSAGE" in head and _find(data, b"<DOCUMENT>", 0, 200_000) >= 0)
    if not has_envelope:
        return Submission(Header(), [Document(None, None, None, None, data)], has_envelope=False)

    warnings: list[str] = []
    m = _HEADER_END.search(data, 0, 2_000_000)
    header_bytes = data[: m.start()] if m else data[:65536]
    header = _read_tag_header(header_bytes) if b"<SUBMISSION>" in head else _read_header(header_bytes)
    docs = list(_split_documents(data, m.start() if m else 0))
    if not docs:
        raise ExtractionError("truncated", "the submission has a header but no <DOCUMENT>; re-fetch it from EDGAR")
    if any(d.truncated for d in docs):
        warnings.append("truncated: a <DOCUMENT> block has no </DOCUMENT>; the submission may be cut short")
    return Submission(header, docs, has_envelope=True, warnings=warnings)


def _find(data: bytes, upper: bytes, start: int, end: int = -1) -> int:
    """Find a tag written in upper or lower case (EDGAR writes upper; hand-made files vary)."""
    end = len(data) if end < 0 else end
    i = data.find(upper, start, end)
    j = data.find(upper.lower(), start, i if i >= 0 else end)
    return j if j >= 0 else i


def _split_documents(data: bytes, start: int) -> Iterator[Document]:
    """The <DOCUMENT> blocks, found with plain searches (a regex over 50 MB costs seconds).

    EDGAR writes its tags in upper case; a file that has none is searched in lower case instead,
    so each byte is scanned about twice, not once per spelling.
    """
    upper = data.find(b"<DOCUMENT>", start) >= 0
    open_tag, close_tag, text_close = (
        (b"<DOCUMENT>", b"</DOCUMENT>", b"</TEXT>") if upper else (b"<document>", b"</document>", b"</text>")
    )
    pos = data.find(open_tag, start)
    # The next close tag at or after ``begin``, found once and reused until the blocks pass it: searching
    # afresh from every block made a file of thousands of unclosed blocks cost the square of its size.
    close = -2
    while pos >= 0:
        begin = pos + len(open_tag)
        if close == -2 or 0 <= close < begin:
            close = data.find(close_tag, begin)
        nxt = data.find(open_tag, begin, close if close >= 0 else len(data))
        end = nxt if nxt >= 0 else (close if close >= 0 else len(data))
        yield _read_document(data, begin, end, closed=close >= 0 and nxt < 0, text_close=text_close)
        pos = nxt if nxt >= 0 else (data.find(open_tag, close) if close >= 0 else -1)


def _read_document(data: bytes, begin: int, end: int, closed: bool, text_close: bytes) -> Document:
    tags: dict[str, str] = {}
    tm = _TEXT_OPEN.search(data, begin, min(end, begin + 8192))
    preamble = data[begin : tm.start() if tm else min(end, begin + 2048)]
    for m in _TAG_LINE.finditer(preamble):
        tags.setdefault(m.group(1).decode("ascii").upper(), m.group(2).decode("latin-1").strip())
    truncated = not closed
    if tm:
        # </TEXT> stands just before </DOCUMENT>: look for it backwards from the end.
        close = data.rfind(text_close, tm.end(), end)
        if close < 0:
            truncated = True
        span = (tm.end(), close if close >= 0 else end)
    else:
        span = (begin + len(preamble), end)
    seq = tags.get("SEQUENCE", "")
    return Document(
        type=" ".join(tags["TYPE"].split()).upper() if tags.get("TYPE") else None,
        sequence=int(seq) if seq.isdigit() else None,
        filename=tags.get("FILENAME") or None,
        description=tags.get("DESCRIPTION") or None,
        body=data,
        truncated=truncated,
        span=span,
    )


def _strip_cik(value: str) -> str | None:
    digits = value.strip().lstrip("0")
    return digits if digits.isdigit() else None


def _parse_yyyymmdd(value: str) -> dt.date | None:
    digits = value.strip()[:8]
    try:
        if len(digits) == 8 and digits.isascii() and digits.isdigit():
            return _digits_date(digits)
        return dt.datetime.strptime(digits, "%Y%m%d").date()
    except ValueError:
        return None


def _digits_date(digits: str) -> dt.date:
    """``strptime(digits, "%Y%m%d").date()`` for eight ASCII digits, without strptime's regex.

    Eight digits leave %m and %d two each, and strptime takes a two-digit month from 01 to 12 and a
    two-digit day from 01 to 31 (its regex's first choices) or fails; dt.date refuses the other days
    as strptime does (tests/test_envelope.py compares the two).
    """
    month, day = int(digits[4:6]), int(digits[6:8])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise ValueError(f"not a date: {digits!r}")
    return dt.date(int(digits[:4]), month, day)


def _digits_datetime(digits: str) -> dt.datetime:
    """``strptime(digits, "%Y%m%d%H%M%S")`` for fourteen ASCII digits: each field two digits, in
    strptime's ranges (hours to 23, minutes to 59, seconds to 61, which dt.datetime then refuses)."""
    month, day, hour, minute, second = (int(digits[k : k + 2]) for k in range(4, 14, 2))
    if not (1 <= month <= 12 and 1 <= day <= 31 and hour <= 23 and minute <= 59 and second <= 61):
        raise ValueError(f"not a date and time: {digits!r}")
    return dt.datetime(int(digits[:4]), month, day, hour, minute, second)


# Blocks that say whose data follows; COMPANY DATA, FILING VALUES and addresses nest inside them,
# sometimes printed without indentation.
_HEADER_SECTIONS = frozenset(
    {"SUBJECT COMPANY", "SUBJECT-COMPANY", "FILED BY", "FILER", "REPORTING-OWNER", "REPORTING OWNER"}
)


def _read_header(raw: bytes) -> Header:
    """Read the ``KEY: value`` header of SEC-HEADER / IMS-HEADER envelopes."""
    text = raw.decode("latin-1")
    h = Header()
    section: str | None = None  # SUBJECT COMPANY, FILED BY, ...
    m = _ACCEPTANCE.search(text)
    if m:
        with contextlib.suppress(ValueError):
            stamp = m.group(1)
            h.acceptance_datetime = (
                _digits_datetime(stamp) if stamp.isascii() else dt.datetime.strptime(stamp, "%Y%m%d%H%M%S")
            )
    for line in text.splitlines():
        # The key _KV_LINE takes is what stands before the first colon: a line whose words before it
        # are no key edgar13d keeps (an address, a phone number) needs no regex.
        before, colon, _ = line.partition(":")
        if not colon or " ".join(before.split()) not in _FIELD_KEYS:
            continue
        km = _KV_LINE.match(line)
        if not km:
            continue
        key = " ".join(km.group(1).split())
        value = line[km.end() :].rstrip()
        if not value and key in _HEADER_SECTIONS:
            section = key
            continue
        _apply_header_field(h, section, key, value)
    return h


# The tag-form header says the same things with other names.
_TAG_KEYS = {
    "ACCESSION-NUMBER": "ACCESSION NUMBER", "TYPE": "CONFORMED SUBMISSION TYPE",
    "PUBLIC-DOCUMENT-COUNT": "PUBLIC DOCUMENT COUNT", "FILING-DATE": "FILED AS OF DATE",
    "GROUP-MEMBERS": "GROUP MEMBERS", "CONFORMED-NAME": "COMPANY CONFORMED NAME", "CIK": "CENTRAL INDEX KEY",
    "FORM-TYPE": "FORM TYPE", "FILE-NUMBER": "SEC FILE NUMBER",
}
_TAG_SECTIONS = {"SUBJECT-COMPANY": "SUBJECT COMPANY", "FILED-BY": "FILED BY", "FILER": "FILER",
                 "REPORTING-OWNER": "REPORTING OWNER"}


def _read_tag_header(raw: bytes) -> Header:
    """Read the tag-form header of the dissemination feed (``<SUBMISSION>``, ``<SUBJECT-COMPANY>``)."""
    text = raw.decode("latin-1")
    h = Header()
    section: str | None = None
    for m in re.finditer(r"<(/?)([A-Z][A-Z0-9-]*)>([^<\r\n]*)", text):
        closing, tag, value = m.group(1), m.group(2), m.group(3).strip()
        if tag in _TAG_SECTIONS:
            section = None if closing else _TAG_SECTIONS[tag]
        elif not closing and value and tag in _TAG_KEYS:
            _apply_header_field(h, section, _TAG_KEYS[tag], value)
    return h


# The keys _apply_header_field reads, and the section headings: every other line changes nothing.
_FIELD_KEYS = frozenset({
    "ACCESSION NUMBER", "CONFORMED SUBMISSION TYPE", "FILED AS OF DATE", "PUBLIC DOCUMENT COUNT", "GROUP MEMBERS",
    "COMPANY CONFORMED NAME", "CENTRAL INDEX KEY", "FORM TYPE", "SEC FILE NUMBER",
}) | _HEADER_SECTIONS


def _apply_header_field(h: Header, section: str | None, key: str, value: str) -> None:
    """One header field, in either envelope's words; the first value of a single field wins."""
    if key == "ACCESSION NUMBER":
        h.accession_number = h.accession_number or value
    elif key == "CONFORMED SUBMISSION TYPE":
        h.form_type = h.form_type or " ".join(value.split()).upper()
    elif key == "FILED AS OF DATE":
        h.filed_date = h.filed_date or _parse_yyyymmdd(value)
    elif key == "PUBLIC DOCUMENT COUNT" and value.isdigit():
        h.document_count = int(value)
    elif key == "GROUP MEMBERS" and value:
        h.group_members.append(value)
    elif section in ("SUBJECT COMPANY", "SUBJECT-COMPANY"):
        if key == "COMPANY CONFORMED NAME" and h.subject_name is None:
            h.subject_name = value
        elif key == "CENTRAL INDEX KEY" and h.subject_cik is None:
            h.subject_cik = _strip_cik(value)
        elif key == "FORM TYPE":
            h.subject_form_types.append(" ".join(value.split()).upper())
        elif key == "SEC FILE NUMBER" and h.sec_file_number is None:
            h.sec_file_number = value
    elif section in ("FILED BY", "FILER", "REPORTING-OWNER", "REPORTING OWNER"):
        if key == "COMPANY CONFORMED NAME":
            h.filer_names.append(value)
        elif key == "CENTRAL INDEX KEY":
            cik = _strip_cik(value)
            if cik and cik not in h.filer_ciks:
                h.filer_ciks.append(cik)


def pick_schedule_document(sub: Submission) -> tuple[Document, Schedule | None]:
    """The document that holds the schedule, and the schedule its type names (None: a bare document).

    The first document typed as a schedule (13D, 13G) wins. A submission filed under another type that
    also serves as a schedule amendment (a Schedule TO whose SUBJECT COMPANY block says ``FORM TYPE:
    SC 13D/A``) has it in the primary document. Anything else is neither, and saying so is the answer.
    """
    if not sub.has_envelope:
        return sub.documents[0], None
    for doc in sub.documents:
        schedule = schedule_of_form(doc.type)
        if schedule is not None:
            return doc, schedule
    h = sub.header
    for form in (h.form_type, *h.subject_form_types):
        schedule = schedule_of_form(form)
        if schedule is not None:
            return min(sub.documents, key=lambda d: d.sequence or 0), schedule
    raise ExtractionError(
        "not_13d",
        f"the submission is a {h.form_type or 'filing of unknown type'}, not a Schedule 13D or 13G",
    )


_XML_START = re.compile(rb"<XML>\s*", re.I)
_HTML_TAG = re.compile(
    rb"<(?:html|body|head|div|p|font|br|td|tr|span|center|b|i|u|hr|a|img|style)(?:\s[^>]*)?/?>", re.I
)


def xml_payload(body: bytes) -> bytes | None:
    """The XML inside a document: the ``<XML>`` payload, or the body itself when it is XML."""
    m = _XML_START.search(body, 0, 4096)
    if m:
        # A plain search, then the white space before it trimmed: a pattern that starts with ``\s*``
        # retries at every byte of a long run of white space with no ``</XML>`` after it (a 300 KB
        # filing of blanks took minutes).
        end = _find(body, b"</XML>", m.end())
        payload = body[m.end() : end if end >= 0 else len(body)]
        return payload.rstrip() if end >= 0 else payload
    stripped = body.lstrip()
    if stripped[:5] == b"<?xml" or stripped[:15].lower().startswith(b"<edgarsubmissi"):
        return stripped
    return None


def detect_format(body: bytes) -> str:
    """'xml', 'html' or 'txt', from what the document contains, never from a file name.

    Plain-text filings carry ``<PAGE>``, ``<TABLE>``, ``<S>``, ``<C>`` markup, so a few angle brackets
    do not make HTML: we count real HTML tags in the first part of the document.
    """
    if xml_payload(body) is not None:
        return "xml"
    tags = _HTML_TAG.finditer(body, 0, 200_000)
    return "html" if sum(1 for _, _ in zip(range(3), tags, strict=False)) >= 3 else "txt"
