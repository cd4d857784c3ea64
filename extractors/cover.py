"""Read the cover pages (rows 1 to 14) of a plain-text or HTML Schedule 13D.

One reader serves both eras because :mod:`extractors.textify` renders HTML as lines that look like a
plain-text filing (table cells joined by `` | ``). The reader knows the fourteen row *labels*, not
any filer's layout:

* Every line is searched once for row labels ("SOLE VOTING POWER", "CITIZENSHIP OR PLACE OF
  ORGANIZATION" ...), by keyword with room for misspellings and any row numbering (``7.``, ``(7)``,
  ``7)``, ``Row 7`` or none). A label counts only where a row starts (at the start of a line, a
  table cell, after a row number, after the stacked side label or a wide gap): the same words
  inside a sentence are prose.
* The text after a label, on its line and on the following lines up to the next label, is that
  row's value. Row numbers printed on their own line, the stacked side label of rows 7 to 10
  ("NUMBER OF / SHARES / BENEFICIALLY ..."), page headers ("CUSIP No. ... Page 3 of 14") and rules
  are not values.
* A cover page starts at a row-1 label that is followed by rows 2-4 and ends after row 14's codes,
  at the next page, or when labels jump back (pasted instructions that repeat the labels).
* A joint cover page that lists several persons in row 1, ``(i) ... (ii) ...``, and gives each row
  per person (by numeral or by name), yields one person per name.

Values are typed by :mod:`extractors.values`. Problems go to the person's ``warnings``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from extractors.schema import REPORTING_PERSON_TYPES, SOURCE_OF_FUNDS_CODES
from extractors.values import (
    box_state,
    parse_codes,
    parse_group_boxes,
    parse_percent,
    parse_share_count,
)

# --- row labels -------------------------------------------------------------------------------

_W = r"[\s\-]+"  # words of a label may be split by spaces, line-wrapped hyphens or dashes
# "in Row 11" names a row; in "in Row 9.2%" (the row number left out) the digits are the value.
_NOT_A_VALUE = r"(?![.,]\d|\s*%)"
_LABELS: list[tuple[int, str]] = [
    (1, rf"names?(?:\s*\(s\))?{_W}of{_W}(?:the{_W})?(?:above{_W})?report(?:ing|ting)?{_W}pers\w*(?:\s*\(s\))?"),
    (2, rf"check{_W}(?:the{_W})?appropriate{_W}(?:box|row|line)(?:es)?(?:{_W}if{_W}(?:a{_W})?member(?:{_W}of{_W}(?:a{_W})?group)?)?"
        rf"|(?:a{_W})?member{_W}of{_W}(?:a{_W})?group"),
    (3, rf"sec{_W}use{_W}only"),
    (4, rf"source{_W}(?:and{_W}amount{_W})?of{_W}funds?(?:{_W}or{_W}other{_W}consideration)?"),
    (5, rf"(?:check{_W}(?:the{_W})?(?:box{_W})?if{_W})?(?:(?:the{_W})?disclosure{_W}of{_W})?legal{_W}proceedings?"
        rf"(?:{_W}(?:is|are){_W}required(?:{_W}pursuant(?:{_W}to(?:{_W}items?(?:{_W}2\s*\(\s*d\s*\)(?:{_W}(?:or|and){_W}2\s*\(\s*e\s*\))?)?)?)?)?)?"),
    (6, rf"citizenship(?:{_W}or(?:{_W}place(?:{_W}of(?:{_W}organi[sz]ation)?)?)?)?|place{_W}of{_W}organi[sz]ation"),
    (7, rf"sole{_W}vot\w*(?:{_W}power)?"),
    (8, rf"shared{_W}vot\w*(?:{_W}power)?"),
    (9, rf"sole{_W}dispo\w*(?:{_W}power)?"),
    (10, rf"shared{_W}dispo\w*(?:{_W}power)?"),
    (12, rf"check{_W}(?:the{_W})?(?:box{_W})?if{_W}(?:the{_W})?aggregate{_W}amount(?:{_W}in{_W}row\s*\(?\s*\d*\s*\)?)?"
         rf"(?:{_W}excludes(?:{_W}certain(?:{_W}shares)?)?)?"
         rf"|(?:aggregate{_W}amount{_W}in{_W}row\s*\(?\s*\d*\s*\)?{_W})?excludes{_W}certain{_W}shares"),
    (11, rf"aggregate{_W}amount(?!{_W}in\b)(?:{_W}(?:of{_W})?beneficially(?:{_W}owned(?:{_W}by(?:{_W}(?:each|the)"
         rf"(?:{_W}reporting(?:{_W}(?:persons?|party|parties))?)?)?)?)?)?"
         rf"|amount{_W}beneficially{_W}owned{_W}by{_W}each{_W}reporting{_W}persons?"),
    (13, rf"percent(?:age)?{_W}of{_W}(?:the{_W})?(?:class|series)(?:{_W}represented(?:{_W}by(?:{_W}(?:the{_W})?amount"
         rf"(?:{_W}in(?:{_W}row(?:\s*(?:\(\s*\d+\s*\)|\d+\b{_NOT_A_VALUE}))?)?)?)?)?)?"),
    (14, rf"type{_W}of{_W}report(?:ing|ting)?{_W}pers\w*"),
]
# The first words of a label left alone at the end of a line ("2. CHECK" / "THE APPROPRIATE BOX ..."):
# such a line is read together with the next one.
_DANGLING = re.compile(
    r"(?:^|[\s_.)\-])(?:check(?:\s+(?:the|box))*(?:\s+if)?(?:\s+(?:the\s+)?disclosure(?:\s+of(?:\s+legal)?)?)?"
    r"|type(?:\s+of)?|names?(?:\s+of)?|sole|shared|aggregate(?:\s+amount)?|percent(?:age)?(?:\s+of)?|source(?:\s+of)?"
    r"|sec(?:\s+use)?|disclosure(?:\s+of(?:\s+legal)?)?|member(?:\s+of(?:\s+a)?)?|excludes(?:\s+certain)?)\s*[*:]?\s*$",
    re.I,
)
# Every _DANGLING match ends with one of these words (before an optional "*" or ":"): a line that
# does not cannot match, and most lines are rejected by this test without running the regex.
_DANGLING_LAST_WORDS = (
    "check", "the", "box", "if", "disclosure", "of", "legal", "type", "name", "names", "sole", "shared",
    "aggregate", "amount", "percent", "percentage", "source", "sec", "use", "member", "a", "excludes", "certain",
)
_GLUED_RULE = re.compile(r"^\s*[_=\-]{5,}|[_=\-]{5,}\s*$")
_LABEL_RE = re.compile("|".join(f"(?P<r{row}>{pat})" for row, pat in _LABELS), re.I)
# Cheap substring test before the regex: most lines of a filing hold none of these.
_HINTS = ("report", "group", "appropriate", "member", "check", "name", "sole", "shared", "sec use", "fund", "legal",
          "citizen", "organi", "vot", "dispo", "aggregate", "amount", "exclude", "percent", "type")

# Matched against the lower-cased line: several times faster than re.IGNORECASE.
_HINT_RE = re.compile("|".join(re.escape(h) for h in _HINTS))
# The lookahead holds the first two characters of every label above: the regex engine then rejects
# most positions of a line with one test instead of trying all fourteen labels there. A new label
# must add its first two characters here (tests/test_cover.py checks this).
_LABEL_STARTS = r"na|ch|me|a[\s\-]|se|so|th|di|le|ci|pl|sh|ag|ex|am|pe|ty"
_LABEL_LOWER_RE = re.compile(f"(?={_LABEL_STARTS})(?:{_LABEL_RE.pattern})")
_ROW1_FAST = re.compile(r"names?(?:\s*\(s\))?[\s\-]+of[\s\-]+(?:the[\s\-]+)?(?:above[\s\-]+)?report", re.I)

# Row number in front of a label: "7.", "(7)", "7)", "Row 7", "12." glued to the label.
_ROWNUM_TAIL = re.compile(r"(?:row\s*)?[(\[]?\s*(\d{1,2})\s*[)\].:]?\s*[|:]?\s*$", re.I)
_ROWNUM_ONLY = re.compile(r"^(?:row\s*)?[(\[]?\s*(\d{1,2})\s*[)\].:]?$", re.I)

# The side label of rows 7-10, stacked one or two words a line beside the rows.
_STACK_WORD = r"(?:number|no\.?)\s+of|shares|beneficially|beneficial|owned|by|each|the|reporting|persons?|with"
_STACK_PREFIX = re.compile(rf"^(?:(?:{_STACK_WORD})\b[\s:|*]*)+", re.I)
_STACK_STRONG = re.compile(r"number|shares|benefic|owned|each|reporting|person", re.I)

_VALUE_START = re.compile(r"^\s*(?:[\d\-\u2013\u2014.]|none\b|nil\b|n/a\b)", re.I)
_MARKS = re.compile(r"\(\s*\w{1,2}\s*\)|\*+|[†‡]")
_RULE = re.compile(r"^[\s\-_=*~:|+.#]*$")
# A dash alone on its line is a value ("-" for none), not a rule: rules are longer.
_LONE_DASH = re.compile("^[-\u2013\u2014]{1,2}$")
_PAGE_JUNK = re.compile(
    r"^(?:page\s+\d+\s+of\s+\d+(?:\s+pages?)?|(?:schedule\s+)?13d(?:/a)?(?:\s*[|-]?\s*page\s+\d+.*)?|"
    r"[-\u2013\u2014]\s*[1-9]\d{0,2}\s*[-\u2013\u2014]|\(?\s*continued\s*\)?|\*?\s*see\s+instructions.*)$",
    re.I,
)
_CUSIP_LINE = re.compile(r"^\s*\|?\s*CUSIP\s*(?:No\.?|Number|#|Nos\.?)?\s*[:.]?\s*(.*)$", re.I)
_CUSIP_TOKEN = re.compile(r"^[0-9A-Z#*@][0-9A-Z#*@ \-]{4,16}$", re.I)

# Text after a label that continues the label on the next line.
_TAILS: dict[int, re.Pattern[str]] = {
    4: re.compile(r"^(?:or\s+other\s+consideration)\s*", re.I),
    6: re.compile(r"^(?:(?:or\s+)?(?:place\s+)?(?:of\s+)?organi[sz]ation|or\s+place(?:\s+of)?)\b\s*", re.I),
    11: re.compile(r"^(?:(?:beneficially|owned|by|each|the|reporting|persons?|party|parties|of)\b[\s:]*)+", re.I),
    13: re.compile(
        r"^(?:(?:represented|by|the|amount|in)\b\s*)*(?:row(?:\s*(?:\(\s*\d{1,2}\s*\)|\d{1,2}\b"
        + _NOT_A_VALUE + r"))?|\(\s*\d{1,2}\s*\))?\s*",
        re.I,
    ),
    14: re.compile(r"^(?:persons?\b)\s*", re.I),
}
for _r in (7, 8, 9, 10):
    _TAILS[_r] = re.compile(r"^(?:power\b)\s*", re.I)
_GENERIC_LEAD = re.compile(r"^(?:\s*(?:\(\s*see\s+instructions?\s*\)|see\s+instructions?|\*+|:|\||\.(?!\d)))+\s*", re.I)

# Row 1: what is not the name.
_IRS_NUMBER = re.compile(
    r"(?<![\w-])(?:\d{2}\s*[-\u2010\u2013]\s*\d{7}|\d{3}-\d{2}-\d{4}|\d{2,3}-\d{3}-\d{3,4}|[#*xX]{3}-[#*xX]{2}-[#*xX]{4})(?![\w-])"
)
_NAME_NOISE = [
    re.compile(p, re.I)
    for p in (
        r"\(\s*see\s+instructions?\s*\)",
        r"[\[(]\s*see\s+(?:item|row|footnote|note|schedule|annex|exhibit|appendix)[^\])]{0,40}[\])]",
        r"(?:s\.?\s*s\.?\s*(?:or|/)\s*)?(?:i\.?\s*r\.?\s*s\.?|tax(?:payer)?|employer)\s*(?:identification|id\.?|i\.\s*d\.)"
        r"(?:\s+(?:nos?\.?|numbers?|#))?(?:\s*\(\s*s\s*\))?(?:\s+of\s+(?:the\s+)?above\s+persons?(?:\s*\(\s*s\s*\))?)?\s*[:.]?",
        r"\bi\.?\s*r\.?\s*s\.?\s*(?:nos?\.?|numbers?|#)\s*[:.]?",
        r"\(?\s*entities\s+only\s*\)?\s*[:.]?",
        r"\b(?:of\s+)?(?:the\s+)?above\s+persons?\b\s*[:.]?",
        r"\bs\.\s*s\.\s*(?:or\s+)?(?=\s|$)",
        r"[-\s]*\b(?:i\.\s*d\.|tin|ein|fein|ssn)\s*(?:nos?\.?|numbers?|#)?\s*[:.]?(?=\s|$)",
        r"\(\s*[):.]*\s*\)\s*:?",
    )
]
_NAME_TRAIL = re.compile(r"(?:[\s,;:|]+(?:n/a|not\s+applicable|none|\(?\s*blank\s*\)?)\.?)+\s*$", re.I)
_NAME_LEAD = re.compile(r"^[\s.:;,|*\-]+")

# Joint cover pages: "(i) Gerald F. Fitzgerald", "(ii) ..."
_ENUM = re.compile(r"^\s*\(\s*([ivxlc]{1,6}|[a-z]|\d{1,2})\s*\)\s*|^\s*([ivxlc]{1,6}|\d{1,2})[.)]\s+", re.I)
_LEADERS = re.compile(r"^(?:\s*\.(?=\s|\.|$))+\s*")
_FOOTNOTE_AFTER_NAME = re.compile(r"^(?:\(\s*\w{1,3}\s*\)|\*+|†|‡)+")

_YES_NO = re.compile(r"\byes\b(.*?)\bno\b(.*)$", re.I)
_SHARE_ROWS = {7: "sole_voting_power", 8: "shared_voting_power", 9: "sole_dispositive_power",
               10: "shared_dispositive_power", 11: "aggregate_amount"}


# A row label starts within this many characters of its line's start (long lines are values).
_LABEL_REACH = 240

# How far above a cover page its "CUSIP No. ... Page 2 of 9" header may stand.
_HEADER_REACH = 20


@dataclass
class _Label:
    line: int
    start: int
    end: int
    row: int


@dataclass
class _Page:
    first_line: int
    rows: dict[int, list[str]] = field(default_factory=dict)
    max_row: int = 1
    cusip: str | None = None
    joint: list[tuple[str, str]] | None = None
    codes_seen: bool = False
    idle_after_14: int = 0


class _Lines:
    """The document's lines with their row labels, found lazily and only where the reader looks.

    A 13D's cover pages fill its first pages; the items and exhibits after them (often most of
    the document) are skipped by jumping to the next "NAME OF REPORTING PERSON" with one regex
    over the joined text. Lines are copied on write: a line differs from the input only where a
    rule was glued to a label ("_____2. CHECK") or a label was split after its first words
    ("14. TYPE OF" / "REPORTING PERSON"): such a line is joined with the next, so that the label
    and its value read as one line.
    """

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.n = len(lines)
        self._own = False
        self._labels: dict[int, list[_Label]] = {}
        self._text: str | None = None
        self._starts: list[int] = []

    def labels(self, i: int) -> list[_Label]:
        cached = self._labels.get(i)
        if cached is not None:
            return cached
        found: list[_Label] = []
        self._labels[i] = found
        line = self.lines[i]
        if not _HINT_RE.search(line.lower()):
            return found
        if ("___" in line or "---" in line or "===" in line) and _GLUED_RULE.search(line):
            stripped = _GLUED_RULE.sub(" ", line)
            if stripped.strip():
                line = self._set(i, stripped)
        d = _DANGLING.search(line) if _may_dangle(line) else None
        if d and i + 1 < self.n and i + 1 not in self._labels and self.lines[i + 1].strip():
            merged = line.rstrip() + " " + _GLUED_RULE.sub(" ", self.lines[i + 1]).strip()
            if any(m.start() >= d.start() and m.end() > len(line.rstrip()) for m in _LABEL_RE.finditer(merged)):
                line = self._set(i, merged)
                self._set(i + 1, "")
        pos = 0
        low = line.lower()
        for m in (_LABEL_LOWER_RE if len(low) == len(line) else _LABEL_RE).finditer(low if len(low) == len(line) else line, 0, _LABEL_REACH):
            if _starts_row(line[pos : m.start()]):
                found.append(_Label(i, m.start(), m.end(), int(m.lastgroup[1:])))  # type: ignore[index]
                pos = m.end()
        return found

    def _set(self, i: int, value: str) -> str:
        if not self._own:
            self.lines = list(self.lines)
            self._own = True
        self.lines[i] = value
        return value

    def next_label_row(self, i: int, after: int = -1, horizon: int = 80) -> int | None:
        """Row of the first label after column ``after`` of line ``i`` (or on the lines below)."""
        for j in range(i, min(self.n, i + horizon)):
            for lb in self.labels(j):
                if j > i or lb.start > after:
                    return lb.row
        return None

    def next_name_label_line(self, i: int) -> int | None:
        """Index of the first line at or after ``i`` where a row-1 label may start."""
        if self._text is None:
            self._text = "\n".join(self.lines)
            pos = 0
            for line in self.lines:
                self._starts.append(pos)
                pos += len(line) + 1
        if i >= self.n:
            return None
        m = _ROW1_FAST.search(self._text, self._starts[i])
        return bisect_right(self._starts, m.start()) - 1 if m else None


def _may_dangle(line: str) -> bool:
    """False when ``_DANGLING`` cannot match: the line does not end with one of its last words.
    Only for ASCII lines; other lines may hold characters that match a letter under re.I."""
    if not line.isascii():
        return True
    tail = line.rstrip()
    if tail.endswith(("*", ":")):
        tail = tail[:-1].rstrip()
    return tail.lower().endswith(_DANGLING_LAST_WORDS)


def _starts_row(prefix: str) -> bool:
    """True when the text before a label match leaves the label at the start of a row."""
    rn = _ROWNUM_TAIL.search(prefix)
    if rn:  # keep the white space between the text and the row number: a wide gap starts a row
        gap = rn.group(0)
        head = prefix[: rn.start()] + gap[: len(gap) - len(gap.lstrip())]
    else:
        head = prefix
    if not head.strip(" _-=\t"):
        return True
    return head.rstrip().endswith(("|", ":")) or head.endswith("  ") or _is_stack(head)


def _is_stack(text: str) -> bool:
    t = text.strip(" \t:|*")
    if not t:
        return False
    m = _STACK_PREFIX.match(t)
    return bool(m) and m.end() >= len(t) and bool(_STACK_STRONG.search(t))


def _is_stack_line(text: str) -> bool:
    """A whole segment of side-label words ("BENEFICIALLY", "WITH(1)"): never a value."""
    t = _MARKS.sub("", text).strip(" \t:|*")
    m = _STACK_PREFIX.match(t)
    return bool(t) and bool(m) and m.end() >= len(t)


def _strip_stack(text: str) -> str:
    """Drop side-label words in front of a value ("OWNED BY   22,149,036", "WITH:  0")."""
    m = _STACK_PREFIX.match(text)
    if m and (_STACK_STRONG.search(m.group(0)) or _VALUE_START.match(text[m.end() :])):
        return text[m.end() :]
    return text


def _cusip_after(lines: list[str], i: int, rest: str, used: set[int]) -> str | None:
    rest = rest.strip(" |").split("|")[0]
    rest = re.split(r"\s{2,}|\bpage\s+\d", rest, flags=re.I)[0].strip(" .:;")
    if rest:
        return rest if any(c.isdigit() for c in rest) else None
    for j in range(i + 1, min(i + 4, len(lines))):
        cand = lines[j].strip().strip("|").strip()
        if not cand:
            continue
        cand = cand.split("|")[0].strip()
        if _CUSIP_TOKEN.match(cand) and sum(c.isdigit() for c in cand) >= 4 and not re.match(r"(?i)page", cand):
            used.add(j)
            return cand
        return None
    return None


def parse_cover_pages(lines: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """The reporting persons of a text or HTML 13D, one dict per cover page, in order.

    Returns ``(persons, warnings)``; ``persons`` is empty when the document has no cover page
    (some amendments print only the front page). Keys follow ``schema.REPORTING_PERSONS``.
    """
    warnings: list[str] = []
    doc = _Lines(lines)
    next_r1 = doc.next_name_label_line(0)
    if next_r1 is None:
        return [], warnings

    pages: list[_Page] = []
    page: _Page | None = None
    row: int | None = None
    pending_cusip: str | None = None
    used: set[int] = set()

    def close() -> None:
        nonlocal page, row
        if page is not None:
            pages.append(page)
        page, row = None, None

    def add(text: str) -> None:
        nonlocal page, row
        if page is None or row is None:
            return
        text = text.replace(" | ", "  ").strip(" |")
        if not text:
            return
        if 6 <= row <= 10:
            if _is_stack_line(text):
                return
            text = _strip_stack(text).strip(" :|")
            if not text or (len(text) >= 4 and _RULE.match(text)):
                return
        if row == 14:
            if page.joint is None:
                page.joint = _joint_names(page.rows.get(1, [])) or []
            if page.joint:
                # A joint page gives row 14 per person: "(i) Name  IN". Its entries, then the end.
                if _ENUM.match(text) or any(text.lower().startswith(nm.lower()) for _, nm in page.joint):
                    page.rows[14].append(text)
                    page.codes_seen = True
                elif page.codes_seen:
                    close()
                return
            codes = parse_codes(text, REPORTING_PERSON_TYPES)
            if page.codes_seen:
                # After the codes, only more codes belong to row 14; anything else ends the page.
                if codes and _only_codes(text):
                    page.rows[14].append(text)
                    return
                close()
                return
            page.rows[14].append(text)
            if codes:
                page.codes_seen = True
            else:
                page.idle_after_14 += 1
                if page.idle_after_14 >= 3:
                    close()
            return
        page.rows[row].append(text)

    n = doc.n
    i = max(0, next_r1 - _HEADER_REACH)
    while i < n:
        if page is None:
            # Between cover pages only the "CUSIP No." header just above the next page matters.
            if next_r1 is None or next_r1 < i:
                next_r1 = doc.next_name_label_line(i)
                if next_r1 is None:
                    break
            if next_r1 - _HEADER_REACH > i:
                i = next_r1 - _HEADER_REACH
        line = doc.lines[i]
        s = line.strip()
        if not s or i in used or (_RULE.match(s) and not _LONE_DASH.match(s)):
            i += 1
            continue
        line_labels = doc.labels(i)
        line = doc.lines[i]  # may have been joined with the next line
        s = line.strip()
        cm = _CUSIP_LINE.match(s)
        if cm and not line_labels:
            c = _cusip_after(doc.lines, i, cm.group(1), used)
            if c:
                pending_cusip = c
                if page is not None and page.cusip is None:
                    page.cusip = c
            i += 1
            continue
        if cm and line_labels:
            # "CUSIP No. 123456789 | 1 | NAME OF REPORTING PERSON ...": one table row holds both.
            head = line[: line_labels[0].start]
            hm = _CUSIP_LINE.match(head.strip())
            c = _cusip_after([], 0, _ROWNUM_TAIL.sub("", hm.group(1)) if hm else "", used)
            if c:
                pending_cusip = c
                if page is not None and page.cusip is None and line_labels[0].row != 1:
                    page.cusip = c
            line = " " * len(head) + line[len(head) :]
        if _PAGE_JUNK.match(s.strip(" |")):
            i += 1
            continue
        if not line_labels:
            if page is not None and row is not None:
                num = _ROWNUM_ONLY.match(s.strip(" |"))
                if num and doc.next_label_row(i + 1, horizon=4) == int(num.group(1)):
                    i += 1  # a row number on its own line above its label
                    continue
                add(s)
            i += 1
            continue
        pos = 0
        for lb in line_labels:
            pre = line[pos : lb.start]
            rn = _ROWNUM_TAIL.search(pre)
            if rn:
                pre = pre[: rn.start()]
            pre = pre.strip()
            if pre and page is not None and row is not None:
                add(pre)
            r = lb.row
            if r == 1:
                if doc.next_label_row(i, lb.start) not in (2, 3, 4):
                    # "Name of Reporting Person" heading a table inside a row, not a new page.
                    if page is not None and row is not None:
                        add(line[lb.start : lb.end])
                    pos = lb.end
                    continue
                close()
                page = _Page(first_line=i, cusip=pending_cusip)
                pending_cusip = None
                page.rows[1] = []
                row = 1
            elif page is None:
                row = None
            elif r in page.rows:
                pass  # the same label again (a footnote that quotes it): keep reading the current row
            elif r + 3 < page.max_row:
                close()  # labels jump back: pasted instructions, not this page
            else:
                row = r
                page.rows[r] = []
                page.max_row = max(page.max_row, r)
            pos = lb.end
        add(line[pos:])
        i += 1
    close()

    persons: list[dict[str, Any]] = []
    for pg in pages:
        persons.extend(_finish_page(pg, warnings))
    return persons, warnings


def _only_codes(text: str) -> bool:
    return all(len(t) == 2 or not t.isalpha() for t in re.findall(r"[A-Za-z0-9]+", text))


def _clean_value(row: int, frags: list[str]) -> str:
    """A row's value: its fragments joined, without the label's continuation lines."""
    tail = _TAILS.get(row)
    parts = []
    for f in frags:
        f = _GENERIC_LEAD.sub("", f.strip())
        if tail is not None:
            f = _GENERIC_LEAD.sub("", tail.sub("", f, count=1))
        if f:
            parts.append(f)
    # Codes keep their line breaks: "00" on one line and a sentence on the next are not "00 Securities".
    return ("\n" if row in (4, 14) else " ").join(parts).strip()


def _name_and_irs(frags: list[str]) -> tuple[str | None, str | None]:
    text = " ".join(f.strip() for f in frags if f.strip())
    irs = None
    m = _IRS_NUMBER.search(text)
    if m:
        if m.group(0)[0].isdigit():  # a masked number ("###-##-####") is no number
            irs = re.sub(r"\s+", "", m.group(0))
        text = text[: m.start()] + " " + text[m.end() :]
    for pat in _NAME_NOISE:
        text = pat.sub(" ", text)
    text = re.sub(r"\s+", " ", text)
    text = _NAME_TRAIL.sub("", text)
    text = _NAME_LEAD.sub("", text).strip(" :;,|-\u2013\u2014")
    return (text or None), irs


def _finish_page(pg: _Page, warnings: list[str]) -> list[dict[str, Any]]:
    """The person(s) of one cover page, or none when the "page" is really pasted instructions.

    A real cover page prints most of its fourteen labels, or at least a number in rows 7-11 or 13;
    instructions that repeat a few labels ("(4) Source of Funds--Indicate ...") do neither.
    """
    seen = [r for r in pg.rows if r != 1]
    joint = _joint_names(pg.rows.get(1, [])) if len(seen) >= 3 else None
    if len(seen) < 3:
        persons: list[dict[str, Any]] = []
    elif joint:
        persons = _finish_joint(pg, joint)
    else:
        name, irs = _name_and_irs(pg.rows.get(1, []))
        persons = [_person_from_rows(pg, {r: _clean_value(r, f) for r, f in pg.rows.items() if r != 1}, name, irs)]
    numeric = any(p[k] is not None for p in persons for k in (*_SHARE_ROWS.values(), "percent_of_class"))
    if persons and (len(seen) >= 8 or numeric):
        return persons
    warnings.append(
        f"cover_page_dropped: row-1 label at line {pg.first_line + 1} is followed by {len(seen)} rows and no number"
    )
    return []


def _person_from_rows(pg: _Page, vals: dict[int, str], name: str | None, irs: str | None) -> dict[str, Any]:
    w: list[str] = []
    p: dict[str, Any] = {
        "name": name,
        "irs_number": irs,
        "member_of_group": parse_group_boxes(vals.get(2)) if 2 in vals else None,
        "source_of_funds": parse_codes(vals.get(4), SOURCE_OF_FUNDS_CODES),
        "legal_proceedings": _box_row(vals, 5),
        "citizenship": _citizenship(vals.get(6)),
        "excludes_certain_shares": _box_row(vals, 12),
        "percent_of_class": parse_percent(vals.get(13), w) if 13 in vals else None,
        "type_of_reporting_person": parse_codes(vals.get(14), REPORTING_PERSON_TYPES),
        "cusip": pg.cusip,
    }
    for r, key in _SHARE_ROWS.items():
        p[key] = parse_share_count(vals.get(r), w) if r in vals else None
    p["warnings"] = w + _sanity(p, vals)
    return p


def _box_row(vals: dict[int, str], row: int) -> bool | None:
    """Rows 5 and 12: True when checked, False when the row is printed without a check mark."""
    if row not in vals:
        return None
    text = vals[row]
    yes_no = _YES_NO.search(text)
    if yes_no:  # "Yes ___   No  X": the mark belongs to the word before it
        return box_state(yes_no.group(1)) is True and box_state(yes_no.group(2)) is not True
    return box_state(text) is True


def _citizenship(text: str | None) -> str | None:
    if not text:
        return None
    text = re.sub(r"\s+", " ", text).strip(" :;,|*_-")
    return text or None


def _sanity(p: dict[str, Any], vals: dict[int, str]) -> list[str]:
    w: list[str] = []
    if not p["name"]:
        w.append("name_missing: row 1 printed no name")
    pct = p["percent_of_class"]
    if pct is not None and pct > 100:
        w.append(f"percent_over_100: {pct}")
    shares = [p[k] for k in ("sole_voting_power", "shared_voting_power", "sole_dispositive_power",
                             "shared_dispositive_power")]
    agg = p["aggregate_amount"]
    if agg is None and any(v for v in shares if v is not None):
        w.append("aggregate_missing: rows 7-10 print shares but row 11 does not")
    if agg is not None and any(v is not None and v > agg * 1.0001 + 1 for v in shares):
        w.append("aggregate_below_power: row 11 is smaller than one of rows 7-10")
    if 11 not in vals and 13 not in vals:
        w.append("rows_11_13_missing: no aggregate amount or percent label on this cover page")
    if agg and pct == 0:
        w.append("percent_zero_with_shares: row 13 is 0 but row 11 is not")
    return w


# --- joint cover pages ------------------------------------------------------------------------


def _joint_names(frags: list[str]) -> list[tuple[str, str]] | None:
    """Row 1 listing persons "(i) Name", "(ii) Name" ...: [(numeral, name)], else None."""
    out: list[tuple[str, str]] = []
    for f in frags:
        m = _ENUM.match(f)
        if not m:
            continue
        name, _ = _name_and_irs([f[m.end() :]])
        if name:
            out.append(((m.group(1) or m.group(2)).lower(), name))
    return out if len(out) >= 2 else None


def _finish_joint(pg: _Page, names: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """One person per listed name; each row's entries are found by numeral or by name."""
    numerals = {num: idx for idx, (num, _) in enumerate(names)}
    by_length = sorted(range(len(names)), key=lambda k: -len(names[k][1]))
    keys = [re.sub(r"\s+", " ", names[k][1]).lower() for k in range(len(names))]
    per_person: list[dict[int, str]] = [{} for _ in names]
    for r, frags in pg.rows.items():
        if r == 1:
            continue
        entries: dict[int, list[str]] = {}
        current: int | None = None
        common: list[str] = []
        for f in frags:
            idx, rest = _joint_entry(f, numerals, by_length, keys)
            if idx is not None:
                current = idx
                entries.setdefault(idx, []).append(rest)
            elif current is not None:
                entries[current].append(f)
            else:
                common.append(f)
        for idx in range(len(names)):
            # A row without per-person entries ("12. ... [ ]") holds one value for everyone.
            per_person[idx][r] = _clean_value(r, entries.get(idx, []) if entries else common)
    out = []
    for idx, (_, name) in enumerate(names):
        p = _person_from_rows(pg, per_person[idx], name, None)
        p["warnings"].append("joint_cover_page: one cover page lists several reporting persons")
        out.append(p)
    return out


def _joint_entry(f: str, numerals: dict[str, int], by_length: list[int], keys: list[str]) -> tuple[int | None, str]:
    idx = None
    m = _ENUM.match(f)
    text = f
    if m and (m.group(1) or m.group(2)).lower() in numerals:
        idx = numerals[(m.group(1) or m.group(2)).lower()]
        text = f[m.end() :]
    low = re.sub(r"\s+", " ", text.strip()).lower()
    for k in by_length:
        if low.startswith(keys[k]) and (idx is None or idx == k):
            idx = k
            # Cut the name off the original text: same number of non-space characters.
            text = _cut_prefix(text.strip(), len(keys[k].replace(" ", "")))
            break
    if idx is None:
        return None, f
    text = _FOOTNOTE_AFTER_NAME.sub("", text)
    text = _LEADERS.sub("", text)
    return idx, text.strip()


def _cut_prefix(text: str, nonspace: int) -> str:
    count = 0
    for pos, ch in enumerate(text):
        if count == nonspace:
            return text[pos:]
        if not ch.isspace():
            count += 1
    return ""
