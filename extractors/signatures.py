"""Signature blocks of a text or HTML Schedule 13D or 13G: who signed, for whom, as what, and when.

After the items comes 'SIGNATURE' and the attestation ('After reasonable inquiry and to the best of
my knowledge and belief ...'), then one block per signer in a handful of layouts:

    Dated: July 2, 2004                     July 2, 2004 | Date
    CONSTELLATION VENTURE CAPITAL II, L.P.  /s/ Stephen W. Edwards
    By: ... its General Partner             Stephen W. Edwards
    By: /s/ Clifford H. Friedman
    Name: Clifford H. Friedman
    Title: Senior Managing Director

Plain-text filings also put the date and the signature side by side in columns. The reader walks
the lines once as a stream of small events (a date, a signature, a name, a title, an entity line)
and groups them into blocks; it is a reasonable effort, not a layout engine.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from extractors.dates import parse_date
from extractors.linescan import WordGate, end_reach, line_text, required_words, search_end

MAX_BLOCKS = 100
_MAX_SECTION_LINES = 800

_START = re.compile(
    r"^\s*(?:\|\s*)?(?:SIGNATURES?(?:\s+PAGE)?\s*[.:]?\s*(?:\|\s*)?(?:$|After\b)|After\s+(?:due\s+and\s+)?reasonable\s+inquiry\b)",
    re.I,
)
_ATTEST = re.compile(
    r"After\s+(?:due|reasonable)(?:\s+and\s+(?:due|reasonable))?\s+inquir|"
    r"certif(?:y|ies)\s+that\s+the\s+information\s+set\s+forth",
    re.I,
)
_END = re.compile(
    r"^\s*(?:\|\s*)?(?:EXHIBIT\s+(?:INDEX|LIST)|INDEX\s+(?:TO|OF)\s+EXHIBITS|EXHIBITS?\s*(?:NO\.?\s*)?[0-9A-Z](?:[\d.]*)\s*$|"
    r"EXHIBIT\s+[0-9A-Z][\d.]*\b(?!\s+(?:to|hereto|of))|JOINT\s+FILING\s+(?:AGREEMENT|STATEMENT)|AGREEMENT\s+OF\s+JOINT\s+FILING|"
    r"(?:SCHEDULE|APPENDIX)\s+(?:[A-Z]|I{1,3}|\d)\s*$|ANNEX\s+[A-Z0-9]|POWER\s+OF\s+ATTORNEY\s*$|ATTENTION\s*:?\s*INTENTIONAL|"
    r"FOR\s+IMMEDIATE\s+RELEASE|The\s+original\s+statement\s+shall\s+be\s+signed)",
    re.I,
)
_LABEL_PIPE = re.compile(r"^(\s*(?:By|Name|Title|Its|Date|Dated)\s*[:.]?)\s*\|\s*", re.I)
_SEGMENT_SPLIT = re.compile(r"\s+\|\s+|\s{3,}")
_RULE = re.compile(r"^[\s\-_=*.]*$")
_CAPTION = re.compile(
    r"^(?:Date|Dated|Signature|Name\s*/\s*Title|Name\s+and\s+Title|Print(?:ed)?\s+Name|\(Signature\)|\(Date\)|"
    r"\(Name\s*/\s*Title\))\s*:?$",
    re.I,
)
_PAGE = re.compile(r"^(?:\d{1,3}|-\s*\d{1,3}\s*-|Page\s*\d*(?:\s*of\s*\d*)?(?:\s+Pages?)?|CUSIP\s+No\b.*|SCHEDULE\s+13[DG].*)$", re.I)
_DATE_LABEL = re.compile(r"^(?:Dated?|Date\s+signed)\s*(?:as\s+of)?\s*[:.]?\s*(?P<val>.*)$", re.I)
_BY = re.compile(r"^By\s*[:.]?\s*(?P<val>.*)$", re.I)
_NAME_LABEL = re.compile(r"^(?:Name|Printed\s+Name|Print\s+Name)\s*[:.]\s*(?P<val>.*)$", re.I)
_TITLE_LABEL = re.compile(r"^(?:Title|Its|Capacity)\s*[:.]\s*(?P<val>.*)$", re.I)
# Each of its forms holds a slash: a text without one is not searched.
_SLASH_S = re.compile(r"(?:/s/|(?<![\w/])s/(?=\s*(?:[A-Z]|$))|/s(?=\s+[A-Z]))\s*/?\s*", re.I)
_CHAIN = re.compile(
    r"^its\b|\bon\s+(?:its|his|her|their)\s+own\s+behalf|^as\s+(?:the\s+)?(?:sole\s+)?(?:general\s+partner|managing\s+member|manager|trustee|attorney)|"
    r"^(?:and|individually\s+and)\s+as\b|\bits\s+(?:sole\s+)?(?:general\s+partner|manager|managing\s+member|member|trustee|investment\s+manager)|"
    r"\b(?:general\s+partner|managing\s+member|sole\s+member|investment\s+(?:manager|adviser|advisor))\s*,?$",
    re.I,
)
_ENTITYISH = re.compile(r"\b(?:L\.?L\.?C|L\.?P|Inc|Ltd|Corp(?:oration)?|Company|Co|Trust|Fund|Partners|Holdings|plc|N\.A|S\.A)\b\.?", re.I)
_TITLE_WORDS = re.compile(
    r"\b(?:President|Director|Officer|Partner|Member|Manager|Trustee|Attorney|Secretary|Counsel|Chairman|"
    r"Chairperson|CEO|CFO|COO|Vice|Treasurer|Authorized|Signatory|Principal|Executive|Managing|Controller|"
    r"Owner|Agent|Administrator|Executor|Custodian|General|Chief|Head|Individually|Attorney-in-Fact)\b",
    re.I,
)
# Searched only where a text holds one of their words (linescan.WordGate).
_CHAIN_GATE = WordGate(_CHAIN)
_TITLE_WORDS_GATE = WordGate(_TITLE_WORDS)
_CONNECTOR_END = re.compile(r"(?:,|&|-|\band|\bof|\bthe|\bfor)\s*$", re.I)
_CONNECTOR_REACH = end_reach(_CONNECTOR_END)  # searched only near the end (linescan.search_end)
_SUFFIX = re.compile(r"^(?:Jr|Sr|II|III|IV|Esq|Ph\.?\s?D|M\.?\s?D|CPA|CFA)\.?$", re.I)
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
_NOT_LETTER = re.compile(r"[\W\d_]")
_CORRECT = re.compile(r"\bcorrect\b", re.I)


def _clean(text: str) -> str:
    # split() and join collapse white space as a \s+ substitution and strip() do (the same characters).
    text = " ".join(text.replace("|", " ").split())
    text = text.strip(" _*,;`'~").strip()
    if text.isascii():  # an ASCII letter is what isalpha() takes in ASCII: one search, not a call per character
        return text if _ASCII_LETTER.search(text) else ""
    return text if any(c.isalpha() for c in text) else ""


def _norm(s: str) -> str:
    return _NOT_ALNUM.sub("", s.lower())


def _same(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return False
    return _norm(a) == _norm(b)


def _split_name_title(text: str) -> tuple[str | None, str | None]:
    """'Richard M. Maurer, President' -> name and title; a suffix such as 'Jr.' stays with the name."""
    text = _clean(_SLASH_S.sub("", text) if "/" in text else text)
    if not text:
        return None, None
    parts = [p.strip() for p in text.split(",")]
    name = parts[0]
    k = 1
    while k < len(parts) and _SUFFIX.match(parts[k]):
        name += ", " + parts[k]
        k += 1
    title = ", ".join(p for p in parts[k:] if p) or None
    return _clean(name) or None, title


def _segments(line: str) -> list[str]:
    if "|" in line:  # _LABEL_PIPE needs a bar
        line = _LABEL_PIPE.sub(r"\1 ", line)
    return [s for s in map(str.strip, _SEGMENT_SPLIT.split(line.strip())) if s]


class _Blocks:
    """Accumulates signature blocks from the stream of events."""

    def __init__(self) -> None:
        self.blocks: list[dict[str, Any]] = []
        self.cur: dict[str, Any] | None = None
        self.current_date: dt.date | None = None
        self.date_mode: str | None = None  # 'first': a date precedes its blocks; 'last': it follows
        self.last_date_block = 0
        self.last_kind: str | None = None
        self.pending_by = False
        self.pending_sig = False  # a bare '/s/' or 'By s/': the name follows on the next line
        self.after_rule = False
        self.blank_since = False

    def new(self, signer: str | None = None) -> dict[str, Any]:
        self.cur = {"signer": signer, "name": None, "title": None, "date": self.current_date, "_label_name": False}
        self.blocks.append(self.cur)
        self.pending_by = False
        return self.cur

    def date(self, d: dt.date) -> None:
        if self.date_mode is None:
            self.date_mode = "last" if any(b["name"] for b in self.blocks) else "first"
        if self.date_mode == "first":
            self.current_date = d
            if self.cur is not None and self.cur["name"] is None and self.cur["date"] is None:
                self.cur["date"] = d
        else:
            for b in self.blocks[self.last_date_block :]:
                if b["date"] is None:
                    b["date"] = d
            self.last_date_block = len(self.blocks)
        self.last_kind = "date"

    def signature(self, text: str) -> None:
        name, title = _split_name_title(text)
        if not name:
            self.pending_sig = True
            return
        self.pending_sig = False
        if self.cur is not None and self.cur.get("_typed") and _same(self.cur["name"], name):
            self.cur["_typed"] = False  # the typed name printed above its own '/s/' signature
            self.last_kind = "signature"
            return
        if self.cur is None or self.cur["name"] is not None:
            self.new()
        assert self.cur is not None
        self.cur["name"] = name
        if title and not self.cur["title"]:
            self.cur["title"] = title
        self.pending_by = False
        self.last_kind = "signature"

    def name_label(self, text: str) -> None:
        name = _clean(text)
        if not name:
            return
        self.pending_sig = False
        if self.cur is None or self.cur["_label_name"]:
            self.new()
        assert self.cur is not None
        self.cur["name"] = name
        self.cur["_label_name"] = True
        self.last_kind = "name"

    def title_label(self, text: str) -> None:
        title = _clean(text)
        if not title or self.cur is None or not self.cur["name"]:
            return  # 'Its: General Partner' of an entity in the chain above the signature
        if not self.cur["title"]:
            self.cur["title"] = title
        self.last_kind = "title"

    def text(self, text: str) -> None:
        text = _clean(text)
        if not text:
            return
        cur = self.cur
        if self.pending_sig:
            self.signature(text)
            return
        if self.pending_by or _CHAIN_GATE.search(text):
            self.last_kind = "chain"
            return
        if self.after_rule and (cur is None or cur["name"]):
            # Under a signature line ('____'): the typed name of the signature above, or of a new,
            # unsigned ('/s/'-less) signature.
            if cur is not None and self._after_name(cur, text, allow_signer=False):
                return
            block = self.new(signer=None)
            block["name"], block["_typed"] = text, True
            self.last_kind = "typed_name"
            return
        if cur is not None and cur["name"]:
            if self._after_name(cur, text):
                return
            self.new(signer=text)
            self.last_kind = "signer"
            return
        if cur is not None and cur["name"] is None:
            if self.after_rule:
                cur["name"] = text
                self.last_kind = "typed_name"
                return
            if self.last_kind == "signer" and not self.blank_since and len(text) < 60:
                cur["signer"] = f"{cur['signer']} {text}" if cur["signer"] else text
                return
            if cur["signer"] is None:
                cur["signer"] = text
                self.last_kind = "signer"
            return
        self.new(signer=text)
        self.last_kind = "signer"

    def _after_name(self, cur: dict[str, Any], text: str, allow_signer: bool = True) -> bool:
        """A line after the signature: the typed name, the title, or for whom it was signed."""
        name = cur["name"]
        if _same(text, name):
            self.last_kind = "typed_name"
            return True
        if text.lower().startswith(name.lower() + ","):
            rest = _clean(text[len(name) + 1 :])
            if _SUFFIX.match(rest):
                cur["name"] = f"{name}, {rest}"
            elif not cur["title"]:
                cur["title"] = rest
            self.last_kind = "title"
            return True
        words, typed = name.split(), text.split()
        if (
            self.last_kind in ("signature", "name")
            and 1 < len(typed) <= 5
            and typed[-1].lower() == words[-1].lower()
            and not _ENTITYISH.search(text)
        ):
            cur["name"] = text  # the typed name spells out the signature ('/s/ F. Lobianco')
            self.last_kind = "typed_name"
            return True
        title_like = _TITLE_WORDS_GATE.search(text) and not _ENTITYISH.search(text) and len(text) < 100
        if self.last_kind == "title" and cur["title"] and not self.blank_since and len(text) < 60:
            prev = cur["title"]
            if text[:1].islower() or search_end(_CONNECTOR_END, _CONNECTOR_REACH, prev) or (title_like and text.isupper() == prev.isupper()):
                cur["title"] = f"{prev} {text}"
                return True
        if not cur["title"] and title_like:
            cur["title"] = text
            self.last_kind = "title"
            return True
        if allow_signer and cur["signer"] is None and not self.blank_since and not title_like:
            cur["signer"] = text
            self.last_kind = "signer"
            return True
        return False


# The words _section_start's first test looks for, and words one of which every match of _ATTEST and
# of _START holds: on a line that holds none of them (in any case) neither regex matches, and the
# first test fails. None (a regex required_words cannot read): every line is marked.
_GATE_WORDS = required_words(_ATTEST, _START)
_MARK_WORDS = None if _GATE_WORDS is None else tuple(dict.fromkeys(("inquir", "certif", "signature", *_GATE_WORDS)))


def _section_start(lines: list[str], marked: list[int]) -> int | None:
    """Where the signature section starts: the attestation, else a 'SIGNATURE' heading (last resort).
    ``marked``: the lines that hold one of _MARK_WORDS, the only ones that get past the first test."""
    heading = None
    for i in marked:
        line = lines[i]
        low = line.lower()
        if "inquir" not in low and "certif" not in low and "signature" not in low:
            continue
        if _ATTEST.search(line):
            # A 'SIGNATURE' heading just above belongs to the same section.
            return i
        if heading is None and _START.match(line):
            heading = i
    return heading


def parse_signatures(lines: list[str]) -> list[dict[str, Any]]:
    """``{signer, name, title, date}`` per signature block after the attestation, at most MAX_BLOCKS."""
    marked = list(line_text(lines).lines_with(_MARK_WORDS))
    start = _section_start(lines, marked)
    if start is None:
        return []
    marked_set = set(marked)
    acc = _Blocks()
    attesting = 0
    stop = min(len(lines), start + _MAX_SECTION_LINES)
    for j in range(start, stop):
        line = lines[j]
        marked_line = j in marked_set
        if marked_line and _ATTEST.search(line):
            attesting = 8
        if attesting:
            attesting -= 1
            if _CORRECT.search(line):
                attesting = 0
            continue
        if marked_line and _START.match(line):
            continue
        if not line.strip():
            acc.blank_since = True
            continue
        if _END.match(line):
            break
        stripped = line.strip()
        if acc.blocks and (len(stripped) > 150 or (stripped.endswith(".") and len(stripped.split()) >= 12)):
            break  # prose: an exhibit or a note follows the signatures
        if _PAGE.match(" ".join(stripped.split())):  # white space collapsed, as _clean does
            continue
        for seg in _segments(line):
            _event(acc, seg)
        acc.blank_since = False
        if len(acc.blocks) > MAX_BLOCKS:
            break
    out = []
    for b in acc.blocks[:MAX_BLOCKS]:
        if not b["name"]:
            continue
        out.append({"signer": b["signer"] or b["name"], "name": b["name"], "title": b["title"], "date": b["date"]})
    return out


def _event(acc: _Blocks, seg: str) -> None:
    if _RULE.match(seg):
        acc.after_rule = True
        return
    after_rule, acc.after_rule = acc.after_rule, False
    if _CAPTION.match(seg) or _PAGE.match(seg):
        return
    m = _DATE_LABEL.match(seg)
    if m:
        d = parse_date(m.group("val"))
        if d:
            acc.date(d)
        return
    if len(seg) <= 40:
        d = parse_date(seg)
        if d and len(_NOT_LETTER.sub("", seg)) <= 12:
            acc.date(d)
            return
    m = _BY.match(seg)
    if m:
        val = m.group("val").strip()
        if val and _RULE.match(val):
            acc.after_rule = True  # 'By: ________' is the signature line itself
            return
        if "/" in val and _SLASH_S.search(val):
            acc.signature(val)
        elif not val:
            acc.pending_by = True
        elif _CHAIN_GATE.search(val) or _ENTITYISH.search(val) or "," in val:
            acc.last_kind = "chain"
        else:
            acc.signature(val)
        return
    slash = _SLASH_S.search(seg) if "/" in seg else None
    if slash:
        acc.signature(seg[slash.end() :])
        return
    m = _NAME_LABEL.match(seg)
    if m:
        acc.name_label(m.group("val"))
        return
    m = _TITLE_LABEL.match(seg)
    if m:
        acc.title_label(m.group("val"))
        return
    acc.after_rule = after_rule
    acc.text(seg)
    acc.after_rule = False


__all__ = ["MAX_BLOCKS", "parse_signatures"]
