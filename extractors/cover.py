"""Read the cover pages of a plain-text or HTML Schedule 13D (or any schedule a :class:`CoverSpec` declares).

One reader serves both eras because :mod:`extractors.textify` renders HTML as lines that look like a
plain-text filing (table cells joined by `` | ``). The reader knows the row *labels* and the *type*
of value each row must hold, both from the spec (:mod:`extractors.cover_spec`), never a filer's
layout:

* Every line is searched once for row labels ("SOLE VOTING POWER", "CITIZENSHIP OR PLACE OF
  ORGANIZATION" ...), by keyword with room for misspellings and any row numbering (``7.``, ``(7)``,
  ``7)``, ``Row 7``, ``Item 7:`` or none). A label counts only where a row starts (at the start of
  a line, a table cell, after a row number, after the stacked side label or a wide gap): the same
  words inside a sentence are prose. A label matches with any suffix (``(See Instructions)``,
  ``(see Item 5)``, ``*``, ``*†``): the suffix is never the value.
* The text after a label, on its line and on the following lines up to the next label, holds that
  row's value; the value is then read by the row's type (:mod:`extractors.values`), so a token that
  cannot be that value (the next row's number printed at the end of the stacked side label, a page
  number above a page break, side-label words) is not taken. Where nothing fits, the row is NULL
  and the person's ``warnings`` say why.
* A cover page starts at a name-row label that is followed by other rows and ends after the last
  row's codes, at the next page, or when labels jump back (pasted instructions that repeat them).
* Layouts beyond the one-row-per-line form: a joint page that lists several persons in row 1
  (``(i) ... (ii) ...``); the condensed form of FMR and Dimensional (``Item 4: PF``, read by the
  schedule's row numbers); rows laid out across one line with their values in the cells or
  columns beneath; two persons' pages side by side; abbreviated covers (rows 1, 11 and 13 only).

Checks on the values read (a place not recognized, a percent above 100 ...) are
:mod:`extractors.checks`'s job; this module only reads.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, islice, pairwise
from typing import Any, NamedTuple

from extractors.cover_spec import SCHEDULE_13D, CoverRow, CoverSpec
from extractors.places import place_code
from extractors.textify import PAGE_BREAK
from extractors.values import (
    box_state,
    parse_codes,
    parse_group_boxes,
    read_codes,
    read_percent,
    read_place,
    read_share_count,
)

# --- what the spec compiles to ----------------------------------------------------------------

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
# Cheap substring test before the regex: most lines of a filing hold none of these.
_HINTS = ("report", "group", "appropriate", "member", "check", "name", "sole", "shared", "sec use", "fund", "legal",
          "citizen", "organi", "vot", "dispo", "aggregate", "amount", "exclude", "percent", "type")
# Matched against the lower-cased line: several times faster than re.IGNORECASE.
_HINT_RE = re.compile("|".join(re.escape(h) for h in _HINTS))


@dataclass
class _Compiled:
    """The regexes a spec's labels make, built once per spec."""

    spec: CoverSpec
    label_re: re.Pattern[str]
    label_lower_re: re.Pattern[str]
    start_res: tuple[re.Pattern[str], ...]
    # Each start regex for folded text (see _fold_pattern), None where it has no such form.
    start_folded: tuple[re.Pattern[bytes] | None, ...]
    tails: dict[int, re.Pattern[str]]
    stack_rows: frozenset[int]
    shorts: dict[int, re.Pattern[str]]
    # Each row's own number where it may stand in front of the value (see _drop_own_number).
    own_numbers: dict[int, re.Pattern[str]]
    # The rows read into a column, and the columns of the share and percent rows.
    read_rows: tuple[tuple[int, CoverRow], ...]
    numeric_columns: tuple[str, ...]
    # The aggregate's and percent's rows: a page without either is noted.
    total_rows: frozenset[int]


_COMPILED: dict[int, tuple[CoverSpec, _Compiled]] = {}


def compiled(spec: CoverSpec) -> _Compiled:
    """The spec's regexes; kept per spec object (specs are module-level constants)."""
    hit = _COMPILED.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    pattern = "|".join(f"(?P<p{pos}>{row.label})" for pos, row in spec.by_position.items())
    c = _Compiled(
        spec=spec,
        label_re=re.compile(pattern, re.I),
        # The lookahead holds the first two characters of every label: the regex engine then rejects
        # most positions of a line with one test instead of trying every label there.
        label_lower_re=re.compile(f"(?={spec.label_starts})(?:{pattern})"),
        start_res=tuple(re.compile(alt) for alt in spec.start),
        start_folded=tuple(re.compile(f) if (f := _fold_pattern(alt)) is not None else None for alt in spec.start),
        tails={pos: re.compile(row.tail, re.I) for pos, row in spec.by_position.items() if row.tail},
        stack_rows=frozenset(pos for pos, row in spec.by_position.items() if row.beside_stack),
        shorts={pos: re.compile(row.short, re.I) for pos, row in spec.by_position.items() if row.short},
        own_numbers={pos: re.compile(rf"\(?{num}[.):]?(?=\s|$)") for pos, num in spec.number_of_position.items()},
        read_rows=tuple((pos, row) for pos, row in spec.by_position.items()
                        if row.column is not None and row.kind != "name"),
        numeric_columns=tuple(row.column for row in spec.by_position.values()
                              if row.kind in ("shares", "percent") and row.column is not None),
        total_rows=frozenset(pos for pos, row in spec.by_position.items()
                             if row.key in ("aggregate_amount", "percent_of_class")),
    )
    _COMPILED[id(spec)] = (spec, c)
    return c


# Row number in front of a label: "7.", "(7)", "7)", "Row 7", "Item 7:", "Item (7):", "12." glued on.
_ROWNUM_TAIL = re.compile(r"(?:(?:row|item)\s*)?[(\[]?\s*(\d{1,2})\s*[)\].:]?\s*[|:]?\s*$", re.I)
_ROWNUM_ONLY = re.compile(r"^(?:(?:row|item)\s*)?[(\[]?\s*(\d{1,2})\s*[)\].:]?$", re.I)
# The condensed layout: "Item 4:   PF", "Item (7): 1,234", "Item  1:    REPORTING PERSONS".
_CONDENSED_ROW = re.compile(r"^\s*item\s*\(?\s*(\d{1,2})\s*\)?\s*:\s*(.*)$", re.I)
_CONDENSED_NAME = re.compile(r"^reporting\s+persons?\b\s*(?:[-\u2013\u2014:]\s*)?", re.I)

# The side label of rows 7-10, stacked one or two words a line beside the rows.
_STACK_WORD = (r"(?:number|no\.?)(?:\s+of)?|of|shares|beneficially|beneficial|owned|by|each|the|reporting|persons?"
               r"|with")
_STACK_PREFIX = re.compile(rf"^(?:(?:{_STACK_WORD})\b[\s:|*]*)+", re.I)
_STACK_STRONG = re.compile(r"number|shares|benefic|owned|each|reporting|person", re.I)

_VALUE_START = re.compile(r"^\s*(?:[\d\-\u2013\u2014.]|none\b|nil\b|n/a\b)", re.I)
_MARKS = re.compile(r"\(\s*\w{1,2}\s*\)|\*+|[†‡]")
_RULE = re.compile(r"^[\s\-_=*~:|+.#]*$")
# A dash alone on its line is a value ("-" for none), not a rule: rules are longer.
_LONE_DASH = re.compile("^[-\u2013\u2014]{1,2}$")
_PAGE_JUNK = re.compile(
    r"^(?:(?:page\s+)?\d+\s+of\s+\d+(?:\s+pages?)?|(?:schedule\s+)?13[dg](?:/a)?(?:\s*[|-]?\s*page\s+\d+.*)?|"
    r"[-\u2013\u2014]\s*[1-9]\d{0,2}\s*[-\u2013\u2014]|\(?\s*continued\s*\)?|\*?\s*see\s+instructions.*)$",
    re.I,
)
# A page number alone on its line ("5", "- 5 -", "Page 5"): a value only where no page break is near.
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[-\u2013\u2014]?\s*\d{1,3}\s*[-\u2013\u2014]?$", re.I)
_PAGE_NUMBER_ENDS = frozenset("0123456789-\u2013\u2014")
_CUSIP_LINE = re.compile(r"^\s*\|?\s*CUSIP\s*(?:No\.?|Number|#|Nos\.?)?\s*[:.]?\s*(.*)$", re.I)
_CUSIP_TOKEN = re.compile(r"^[0-9A-Z#*@][0-9A-Z#*@ \-]{4,16}$", re.I)

# What may follow a label before its value: "(See Instructions)", "(see Item 5)", "*", "**", "*†", ":".
_LABEL_SUFFIX = re.compile(
    r"^(?:\s*(?:\(\s*see\s+[^)]{0,60}\)|\(\s*(?:entities\s+only|optional|voluntary)[^)]{0,30}\)|see\s+instructions?"
    r"|[*†‡§]+|:|\||\.(?!\d)))+\s*",
    re.I,
)

# Row 1: what is not the name.
_IRS_NUMBER = re.compile(
    r"(?<![\w-])(?:\d{2}\s*[-\u2010\u2013]\s*\d{7}|\d{3}-\d{2}-\d{4}|\d{2,3}-\d{3}-\d{3,4}|[#*xX]{3}-[#*xX]{2}-[#*xX]{4})(?![\w-])"
)
# Nine digits alone after the name ("BARCLAYS GLOBAL INVESTORS, NA., 943112180"): the I.R.S. number.
_BARE_IRS = re.compile(r"(?:^|[\s,;])(\d{9})\s*$")
_NAME_NOISE = [
    re.compile(p, re.I)
    for p in (
        r"\(\s*see\s+instructions?\s*\)",
        r"[\[(]\s*see\s+(?:item|row|footnote|note|schedule|annex|exhibit|appendix)[^\])]{0,40}[\])]",
        r"\b(?:s\.\s*s\.|social\s+security)(?:\s*(?:or|/|and)\s*i\.?\s*r\.?\s*s\.?)?\s*(?:identification\s+)?(?:nos?\.?|numbers?|#)?"
        r"(?:\s*\(\s*s\s*\))?(?:\s+of\s+(?:the\s+)?above\s+persons?)?\s*[:.]?",
        r"\(?\s*tax\s*(?:payer\s*)?(?:id(?:entification)?\.?|i\.\s*d\.)\s*(?:nos?\.?|numbers?|#)?\s*[:.]?\s*\)?",
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
# Every _NAME_NOISE pattern holds one of these (lower case): a name without any is left alone.
_NAME_NOISE_HINTS = ("see", "tax", "i.r", "irs", "i. r", "i r", "ident", "entit", "above", "s.s", "s. s", "social", "i.d",
                     "i. d", "tin", "ein", "ssn", "(", "employer", "security")
_IRS_MARK_BEFORE = re.compile(r"#\s*$")  # "No." stays: the label-word patterns take "I.R.S. No."
_IRS_MARK_AFTER = re.compile(r"^[.;,]+(?=\s|$)")
_NAME_TRAIL = re.compile(r"(?:[\s,;:|]+(?:n/a|not\s+applicable|none|\(?\s*blank\s*\)?)\.?)+\s*$", re.I)
_NAME_LEAD = re.compile(r"^[\s.:;,|*\-]+")
_NAME_ENUM = re.compile(r"^\(\s*(?:[a-z]|[ivx]{1,4}|\d{1,2})\s*\)\s+(?=\S)", re.I)

# Joint cover pages: "(i) Gerald F. Fitzgerald", "(ii) ..."
_ENUM = re.compile(r"^\s*\(\s*([ivxlc]{1,6}|[a-z]|\d{1,2})\s*\)\s*|^\s*([ivxlc]{1,6}|\d{1,2})[.)]\s+", re.I)
_LEADERS = re.compile(r"^(?:\s*\.(?=\s|\.|$))+\s*")
_FOOTNOTE_AFTER_NAME = re.compile(r"^(?:\(\s*\w{1,3}\s*\)|\*+|†|‡)+")

_YES_NO = re.compile(r"\byes\b(.*?)\bno\b(.*)$", re.I)

# A row label starts within this many characters of its line's start (long lines are values).
_LABEL_REACH = 240

# How far above a cover page its "CUSIP No. ... Page 2 of 9" header may stand.
_HEADER_REACH = 20

# How many lines below a lone row number its label may stand (side-label words and blanks between).
_ROWNUM_REACH = 12


class _Label(NamedTuple):
    """A row label found on a line: its span, the row (position) it names, and the text between the
    previous label (or the line's start) and its row number: what the row before it still holds."""

    start: int
    end: int
    row: int
    before: str


@dataclass
class _Page:
    first_line: int
    rows: dict[int, list[str]] = field(default_factory=dict)
    max_row: int = 1
    cusip: str | None = None
    joint: list[tuple[str, str]] | None = None
    codes_seen: bool = False
    idle_after_last: int = 0
    condensed: bool = False
    # Rows laid out across one line: [(column start, row)] of the labels, for the values beneath.
    across: list[tuple[int, int]] | None = None
    # The lines just above the name label: the name, where a filer prints each value above its label.
    above: list[str] = field(default_factory=list)


class _Lines:
    """The document's lines with their row labels, found lazily and only where the reader looks.

    A 13D's cover pages fill its first pages; the items and exhibits after them (often most of
    the document) are skipped by jumping to the next place a cover page may start with one regex
    over the joined text. Lines are copied on write: a line differs from the input only where a
    rule was glued to a label ("_____2. CHECK") or a label was split after its first words
    ("14. TYPE OF" / "REPORTING PERSON"): such a line is joined with the next, so that the label
    and its value read as one line.
    """

    def __init__(self, lines: list[str], c: _Compiled) -> None:
        self.lines = lines
        self.n = len(lines)
        self.c = c
        self._own = False
        self._labels: dict[int, tuple[_Label, ...]] = {}
        self._text: str | None = None
        self._folded: bytes | None = None
        self._sums: list[int] = []
        self._next_hit: dict[int, tuple[int, int]] = {}
        self._below: dict[int, int | None] = {}
        # What depends on a line's text alone, kept per distinct text: a filing with several cover
        # pages prints the same labels (and often the same values) on every page.
        self._prepared: dict[str, tuple[str, bool] | None] = {}
        self._found: dict[str, tuple[_Label, ...]] = {}

    def labels(self, i: int) -> tuple[_Label, ...]:
        cached = self._labels.get(i)
        if cached is not None:
            return cached
        line = self.lines[i]
        prepared = self._prepared.get(line, False)
        if prepared is False:
            prepared = self._prepared[line] = _prepare(line)
        if prepared is None:
            self._labels[i] = ()
            return ()
        text, dangles = prepared
        if text is not line:
            line = self._set(i, text)
        if dangles and i + 1 < self.n and i + 1 not in self._labels and self.lines[i + 1].strip():
            merged = line.rstrip() + " " + _GLUED_RULE.sub(" ", self.lines[i + 1]).strip()
            end = len(line.rstrip())
            # Only a label that runs across the line's end is a split label; "6.6 percent" above
            # "14. TYPE OF REPORTING PERSON" is a value above a label that starts on the next line.
            if any(m.start() < end < m.end() for m in self.c.label_re.finditer(merged)):
                line = self._set(i, merged)
                self._set(i + 1, "")
        found = self._found.get(line)
        if found is None:
            found = self._found[line] = _find_labels(line, self.c)
        self._labels[i] = found
        return found

    def replace(self, i: int, j: int, new: list[str]) -> None:
        """Lines ``i`` to ``j`` (exclusive) become ``new``; what was found below ``i`` is found again."""
        self.lines = [*self.lines[:i], *new, *self.lines[j:]]
        self._own = True
        self.n = len(self.lines)
        self._labels = {k: v for k, v in self._labels.items() if k < i}
        self._below = {}
        self._text, self._folded, self._sums, self._next_hit = None, None, [], {}

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

    def label_just_below(self, i: int) -> int | None:
        """Row of the label that starts the first line below ``i`` that holds more than blanks, rules
        and side-label words, if that line starts with a label."""
        if i in self._below:
            return self._below[i]
        self._below[i] = found = self._label_just_below(i)
        return found

    def _label_just_below(self, i: int) -> int | None:
        for j in range(i + 1, min(self.n, i + 1 + _ROWNUM_REACH)):
            line = self.lines[j]
            if not line or line.isspace():
                continue
            labels = self.labels(j)
            if labels:
                line = self.lines[j]  # may have been joined with the next line
                if not line[: labels[0].start].strip(" |\t").strip("0123456789.()[]:"):
                    return labels[0].row
                return None
            s = line.strip().strip("|").strip()
            if not s or _RULE.match(s) or _is_stack_line(s):
                continue
            return None
        return None

    def near_page_break(self, i: int) -> bool:
        """True when a page break is the nearest non-blank line above or below line ``i``."""
        for step in (-1, 1):
            j = i + step
            while 0 <= j < self.n:
                line = self.lines[j]
                if line == PAGE_BREAK:
                    return True
                if line.strip():
                    break
                j += step
        return False

    def next_start_line(self, i: int) -> int | None:
        """Index of the first line at or after ``i`` where a cover page may start."""
        if self._text is None:
            self._text = "\n".join(self.lines)
            self._folded = _fold(self._text)
            # Line k starts at self._sums[k] + k in the text (each line is followed by a newline).
            self._sums = list(accumulate(map(len, self.lines), initial=0))
        if i >= self.n:
            return None
        at = self._sums[i] + i
        found = None
        for k, regex in enumerate(self.c.start_res):
            # Remember each regex's next match: a document without the condensed form is scanned once.
            since, hit = self._next_hit.get(k, (-1, -1))
            if since >= 0 and at >= since and (hit == -1 or hit >= at):
                pos = hit
            else:
                pos = self._search(k, regex, at)
                self._next_hit[k] = (at, pos)
            if pos >= 0 and (found is None or pos < found):
                found = pos
        if found is None:
            return None
        sums = self._sums
        return bisect_right(range(self.n), found, key=lambda k: sums[k] + k) - 1

    def _search(self, k: int, regex: re.Pattern[str], at: int) -> int:
        """Where start regex ``k`` first matches the text at or after ``at`` (-1: nowhere).

        The start regexes are case-blind or spelt out in their cases, so the regex engine tries them
        at every position; their folded forms (:func:`_fold_pattern`) have a literal prefix that it
        skips to. Wherever a regex matches the text, its folded form matches the folded text, so each
        folded match is a candidate that the regex itself confirms or rejects, in order: the first
        one confirmed is where the regex first matches.
        """
        folded_re = self.c.start_folded[k]
        text = self._text
        assert text is not None
        if folded_re is None or self._folded is None:
            m = regex.search(text, at)
            return m.start() if m else -1
        while True:
            m = folded_re.search(self._folded, at)
            if m is None:
                return -1
            if regex.match(text, m.start()):
                return m.start()
            at = m.start() + 1


# The letters re.IGNORECASE matches to an ASCII letter besides its two cases (the re module's
# documentation): none is in Latin-1, so folding (which turns them into "?") would hide them.
_ODD_CASE_BLIND = ("\u0130", "\u0131", "\u017f", "\u212a")


def _fold(text: str) -> bytes | None:
    """``text`` as one byte per character, ASCII letters in lower case and every character beyond
    Latin-1 a "?"; None where it holds a letter that matches an ASCII letter case-blind but would
    be folded into "?". (Encoding and ASCII lower-casing of bytes are several times faster than
    str.lower() on a text that is not all ASCII, as an HTML filing's text rarely is.)"""
    if any(odd in text for odd in _ODD_CASE_BLIND):
        return None
    return text.encode("latin-1", "replace").lower()


# What a white space character of the text may be once folded: a Latin-1 white space, or "?".
_FOLDED_SPACE = r"\s\x1c-\x1f\x85\xa0?"


def _fold_pattern(pattern: str) -> bytes | None:
    r"""A regex for folded text (:func:`_fold`) that matches wherever ``pattern`` matches the text.

    It is ``pattern`` in lower case, its case-blind groups made plain groups and each ``\s``
    widened to what a white space becomes once folded. That holds for what this admits: an ASCII
    literal or class member, case-blind or not, still admits the folded character once
    lower-cased (the only other letters that match one case-blind make :func:`_fold` give None);
    ASCII punctuation and ``.`` admit what they admitted; groups, alternatives and repeats only
    combine these. Anything else (a negated class, a range, any other escape, a lookaround or flag,
    a non-ASCII character) could turn a match into a miss and gives None: the regex is then
    searched as it is.
    """
    if not pattern.isascii():
        return None
    out: list[str] = []
    in_class = False
    k = 0
    while k < len(pattern):
        ch = pattern[k]
        if ch == "\\":
            nxt = pattern[k + 1 : k + 2]
            if nxt == "s":
                out.append(_FOLDED_SPACE if in_class else f"[{_FOLDED_SPACE}]")
            elif not nxt or nxt.isalnum():
                return None
            else:
                out.append(ch + nxt)
            k += 2
            continue
        if in_class:
            if ch in "-^[":
                return None
            in_class = ch != "]"
        elif ch == "[":
            if pattern[k + 1 : k + 2] in ("]", "^"):
                return None
            in_class = True
        elif pattern.startswith("(?", k):
            if pattern.startswith("(?i:", k):
                out.append("(?:")
                k += 4
                continue
            if not pattern.startswith("(?:", k):
                return None
        out.append(ch.lower())
        k += 1
    return None if in_class else "".join(out).encode("ascii")


def _prepare(line: str) -> tuple[str, bool] | None:
    """What :meth:`_Lines.labels` does to a line before it looks for labels, which depends on the
    line alone: None for a line without any label word; else the line without a rule glued to it,
    and whether it ends with the first words of a label (then it may be joined with the next)."""
    if not _HINT_RE.search(line.lower()):
        return None
    if ("___" in line or "---" in line or "===" in line) and _GLUED_RULE.search(line):
        stripped = _GLUED_RULE.sub(" ", line)
        if stripped.strip():
            line = stripped
    return line, bool(_may_dangle(line) and _DANGLING.search(line))


def _find_labels(line: str, c: _Compiled) -> tuple[_Label, ...]:
    """The row labels of a line, each where a row starts (see :func:`_starts_row`)."""
    found: list[_Label] = []
    pos = 0
    low = line.lower()
    ascii_case = len(low) == len(line)
    regex = c.label_lower_re if ascii_case else c.label_re
    for m in regex.finditer(low if ascii_case else line, 0, _LABEL_REACH):
        before = _row_start(line[pos : m.start()])
        if before is not None:
            found.append(_Label(m.start(), m.end(), int(m.lastgroup[1:]), before))  # type: ignore[index]
            pos = m.end()
    return tuple(found)


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
    return _row_start(prefix) is not None


def _row_start(prefix: str) -> str | None:
    """Where the text before a label match leaves the label at the start of a row, that text without
    the label's row number, stripped; else None."""
    rn = _ROWNUM_TAIL.search(prefix)
    if rn:  # keep the white space between the text and the row number: a wide gap starts a row
        gap = rn.group(0)
        head = prefix[: rn.start()] + gap[: len(gap) - len(gap.lstrip())]
    else:
        head = prefix
    if head.strip(" _-=\t") and not (head.rstrip().endswith(("|", ":")) or head.endswith("  ") or _is_stack(head)):
        return None
    return (prefix[: rn.start()] if rn else prefix).strip()


def _is_stack(text: str) -> bool:
    t = text.strip(" \t:|*")
    if not t:
        return False
    m = _STACK_PREFIX.match(t)
    return bool(m) and m.end() >= len(t) and bool(_STACK_STRONG.search(t))


def _is_stack_line(text: str) -> bool:
    """A whole segment of side-label words ("BENEFICIALLY", "WITH(1)"): never a value."""
    t = _MARKS.sub("", text).replace("|", " ").strip(" \t:|*")
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


def parse_cover_pages(lines: list[str], spec: CoverSpec = SCHEDULE_13D) -> tuple[list[dict[str, Any]], list[str]]:
    """The reporting persons of a text or HTML filing, one dict per cover page, in order.

    Returns ``(persons, warnings)``; ``persons`` is empty when the document has no cover page
    (some amendments print only the front page). Keys follow ``schema.REPORTING_PERSONS``.
    ``spec`` declares the schedule's rows (13D by default).
    """
    c = compiled(spec)
    warnings: list[str] = []
    doc = _Lines(lines, c)
    next_start = doc.next_start_line(0)
    if next_start is None:
        return [], warnings

    pages: list[_Page] = []
    page: _Page | None = None
    row: int | None = None
    pending_cusip: str | None = None
    used: set[int] = set()
    unfolded = 0
    last = spec.last
    here = 0  # the line being read, for add()
    above: list[str] = []  # lines read since the last CUSIP header while no page is open

    def close() -> None:
        nonlocal page, row
        if page is not None:
            pages.append(page)
        page, row = None, None

    # What the reading of a line depends on that its text alone decides, kept per distinct text
    # (a filing's cover pages repeat their lines): see _skip_line, _line_facts, _value_line_facts,
    # _beside_stack; and whether a text holds codes of the last row.
    skips: dict[str, bool] = {}
    facts: dict[str, tuple[str, re.Match[str] | None, bool, re.Match[str] | None]] = {}
    value_facts: dict[str, tuple[tuple[int, str] | None, str, int | None, bool]] = {}
    beside: dict[str, tuple[str, int | None] | None] = {}
    has_codes: dict[str, bool] = {}
    last_codes = spec.by_position[last].codes or ()

    def add(text: str) -> None:
        nonlocal page, row
        if page is None or row is None:
            return
        if row in c.stack_rows:
            kept = beside.get(text, False)
            if kept is False:
                kept = beside[text] = _beside_stack(text)
            if kept is None:
                return
            text, num = kept
            # "PERSON WITH | 7" above "SOLE VOTING POWER": the next row's number, not this row's value.
            if num is not None and _number_of(spec, doc.label_just_below(here)) == num:
                return
        else:
            text = text.replace(" | ", "  ").strip(" |")
            if not text:
                return
        if row == last:
            if page.joint is None:
                page.joint = _joint_names(page.rows.get(1, [])) or []
            if page.joint:
                # A joint page gives the last row per person: "(i) Name  IN". Its entries, then the end.
                if _ENUM.match(text) or any(text.lower().startswith(nm.lower()) for _, nm in page.joint):
                    page.rows[last].append(text)
                    page.codes_seen = True
                elif page.codes_seen:
                    close()
                return
            codes = has_codes.get(text)
            if codes is None:
                codes = has_codes[text] = bool(parse_codes(text, last_codes))
            if page.codes_seen:
                # After the codes, only more codes belong to the last row; anything else ends the page.
                if codes and _only_codes(text):
                    page.rows[last].append(text)
                    return
                close()
                return
            page.rows[last].append(text)
            if codes:
                page.codes_seen = True
            else:
                page.idle_after_last += 1
                if page.idle_after_last >= 3:
                    close()
            return
        page.rows[row].append(text)

    def open_row(r: int) -> None:
        nonlocal row
        assert page is not None
        row = r
        page.rows[r] = []
        page.max_row = max(page.max_row, r)

    i = max(0, next_start - _HEADER_REACH)
    while i < doc.n:  # doc.n grows when pages side by side are unfolded
        if page is None:
            # Between cover pages only the "CUSIP No." header just above the next page matters.
            if next_start is None or next_start < i:
                next_start = doc.next_start_line(i)
                if next_start is None:
                    break
            if next_start - _HEADER_REACH > i:
                i = next_start - _HEADER_REACH
        here = i
        line = doc.lines[i]
        skip = skips.get(line)
        if skip is None:
            skip = skips[line] = _skip_line(line)
        if skip or i in used:
            if line == PAGE_BREAK:
                above.clear()
            i += 1
            continue
        line_labels = doc.labels(i)
        line = doc.lines[i]  # may have been joined with the next line
        known = facts.get(line)
        if known is None:
            known = facts[line] = _line_facts(line)
        s, cm, junk, condensed = known
        cusip_head = False
        if cm and not line_labels:
            above.clear()
            cusip = _cusip_after(doc.lines, i, cm.group(1), used)
            if cusip:
                pending_cusip = cusip
                if page is not None and page.cusip is None:
                    page.cusip = cusip
            i += 1
            continue
        if cm and line_labels:
            # "CUSIP No. 123456789 | 1 | NAME OF REPORTING PERSON ...": one table row holds both.
            head = line[: line_labels[0].start]
            hm = _CUSIP_LINE.match(head.strip())
            cusip = _cusip_after([], 0, _ROWNUM_TAIL.sub("", hm.group(1)) if hm else "", used)
            if cusip:
                pending_cusip = cusip
                if page is not None and page.cusip is None and line_labels[0].row != 1:
                    page.cusip = cusip
            line = " " * len(head) + line[len(head) :]
            cusip_head = True
        if junk:
            i += 1
            continue
        if condensed and not line_labels:
            num, rest = int(condensed.group(1)), condensed.group(2)
            pos = spec.position_of_number.get(num)
            if num == spec.number_of_position[1] and _CONDENSED_NAME.match(rest):
                # "Item 1: Reporting Person - FMR Corp. - (Tax ID: 04-2507163)": a condensed page starts.
                close()
                page = _Page(first_line=i, cusip=pending_cusip, condensed=True)
                pending_cusip = None
                open_row(1)
                add(_CONDENSED_NAME.sub("", rest))
                i += 1
                continue
            if page is not None and page.condensed and pos is not None and pos > page.max_row:
                open_row(pos)
                add(rest)
                i += 1
                continue
            if page is not None and page.condensed:
                close()  # "Item 1(a). Name of Issuer": the items begin
                i += 1
                continue
        if not line_labels and page is not None:
            more = value_facts.get(s)
            if more is None:
                more = value_facts[s] = _value_line_facts(c, s)
            short, stripped, num, page_number = more
            if short is not None and short[0] > page.max_row:
                open_row(short[0])
                add(short[1])
                i += 1
                continue
            if row is not None:
                if num is not None and _number_of(spec, doc.label_just_below(i)) == num:
                    i += 1  # a row number on its own line above its label
                    continue
                if page_number and doc.near_page_break(i):
                    i += 1  # the page's number, printed above or below the page break
                    continue
                if page.across is not None and _add_across(page, line, stripped):
                    i += 1
                    continue
                add(s)
            i += 1
            continue
        if not line_labels:
            above.append(s)  # no page is open
            del above[:-3]
            i += 1
            continue
        if len(line_labels) >= 2 and sum(1 for lb in line_labels if lb.row == 1) >= 2 and unfolded < _MAX_UNFOLDS:
            block = _unfold_side_by_side(doc.lines, i, c)
            if block is not None:
                unfolded += 1
                doc.replace(i, *block)  # two pages side by side, now one after the other: read again
                continue
        if page is not None:
            page.across = None
        pos = 0
        opened: list[_Label] = []
        for lb in line_labels:
            # The text before the label, without its row number (blank where a CUSIP header was).
            pre = "" if cusip_head and pos == 0 else lb.before
            if pre and page is not None and row is not None:
                add(pre)
            r = lb.row
            if r == 1:
                if not _starts_page(doc, i, lb, page, row):
                    # "Name of Reporting Person" heading a table inside a row, not a new page.
                    if page is not None and row is not None:
                        add(line[lb.start : lb.end])
                    pos = lb.end
                    continue
                close()
                page = _Page(first_line=i, cusip=pending_cusip, above=list(above))
                above.clear()
                pending_cusip = None
                open_row(1)
                # Rows opened earlier on this line belong to the page just closed, not to this one.
                opened = [lb]
            elif page is None:
                row = None
            elif r in page.rows:
                pass  # the same label again (a footnote that quotes it): keep reading the current row
            elif r + 3 < page.max_row:
                close()  # labels jump back: pasted instructions, not this page
            else:
                open_row(r)
                opened.append(lb)
            pos = lb.end
        rest = line[pos:]
        if page is not None and len(opened) >= 2 and not _has_value(rest):
            # Rows laid out across the line ("7. SOLE VOTING | 8. SHARED VOTING | ..."): their values
            # stand in the cells or columns beneath, one per label.
            page.across = [(lb.start, lb.row) for lb in opened]
        add(rest)
        i += 1
    close()

    persons: list[dict[str, Any]] = []
    memo = _ValueMemo(c)
    full_pages = sum(1 for pg in pages if _is_full(pg))
    for pg in pages:
        if full_pages and not _is_full(pg) and not pg.condensed:
            # Rows 1, 11 and 13 alone after full cover pages: a table in the items, not a cover page.
            continue
        persons.extend(_finish_page(pg, spec, warnings, memo))
    return persons, warnings


_NUMBERED = re.compile(r"^[(\[]?(\d{1,2})[)\].:]?\s+(.*)$")


def _skip_line(line: str) -> bool:
    """A blank line or a rule (a dash alone is a value, "-" for none)."""
    s = line.strip()
    return not s or bool(_RULE.match(s) and not _LONE_DASH.match(s))


def _line_facts(line: str) -> tuple[str, re.Match[str] | None, bool, re.Match[str] | None]:
    """A line's text stripped, its "CUSIP No." header match, whether it is page furniture ("Page 3
    of 9"), and its condensed-row match ("Item 4: PF")."""
    s = line.strip()
    condensed = _CONDENSED_ROW.match(s) if s[:1] in "Ii" and s[1:4].lower() == "tem" else None
    return s, _CUSIP_LINE.match(s), bool(_PAGE_JUNK.match(s.strip(" |"))), condensed


def _value_line_facts(c: _Compiled, s: str) -> tuple[tuple[int, str] | None, str, int | None, bool]:
    """Of a stripped line without labels: its short label (:func:`_short_label`), the line without
    cell bars, the row number it holds alone ("7", "(7)"), and whether it may be a page number."""
    stripped = s.strip(" |")
    num = _ROWNUM_ONLY.match(stripped)
    page_number = stripped[-1:] in _PAGE_NUMBER_ENDS and _PAGE_NUMBER.match(stripped) is not None
    return _short_label(c, s), stripped, int(num.group(1)) if num else None, page_number


def _short_label(c: _Compiled, s: str) -> tuple[int, str] | None:
    """"(9) Aggregate" where row 9 is the aggregate: a label cut short after the row's own number;
    taken only for a row after the page's rows so far (the caller's test)."""
    m = _NUMBERED.match(s)
    if m is None:
        return None
    pos = c.spec.position_of_number.get(int(m.group(1)))
    short = c.shorts.get(pos) if pos is not None else None
    if short is None:
        return None
    hit = short.match(m.group(2))
    return (pos, m.group(2)[hit.end() :]) if hit else None  # type: ignore[return-value]


def _beside_stack(text: str) -> tuple[str, int | None] | None:
    """A value line of a row printed beside the stacked side label, as that row keeps it: None for
    side-label words and rules, else the text without them and the row number it holds alone."""
    text = text.replace(" | ", "  ").strip(" |")
    if not text or _is_stack_line(text):
        return None
    text = _strip_stack(text).strip(" :|")
    if not text or (len(text) >= 4 and _RULE.match(text)):
        return None
    num = _ROWNUM_ONLY.match(text)
    return text, int(num.group(1)) if num else None


def _number_of(spec: CoverSpec, pos: int | None) -> int | None:
    return spec.number_of_position.get(pos) if pos is not None else None


def _starts_page(doc: _Lines, i: int, lb: _Label, page: _Page | None, row: int | None) -> bool:
    """Whether a name-row label begins a cover page (rather than heading a table inside a row)."""
    nxt = doc.next_label_row(i, lb.start, horizon=40)
    if nxt is None or nxt == 1:
        return False
    if nxt in (2, 3, 4):
        return True
    # Rows 1, 11, 13 only (an abbreviated cover) begin a page too, unless the label sits inside
    # a page whose rows simply go on below it.
    return page is None or row is None or nxt <= page.max_row


def _is_full(pg: _Page) -> bool:
    return len([r for r in pg.rows if r != 1]) >= 3


def _has_value(text: str) -> bool:
    t = _LABEL_SUFFIX.sub("", text.replace("|", " ")).strip()
    return bool(t) and not _RULE.match(t)


def _add_across(page: _Page, line: str, stripped: str) -> bool:
    """Values beneath rows laid out across a line: one per cell (HTML) or per column (text)."""
    assert page.across is not None
    labels = page.across
    if " | " in line:
        cells = [x.strip() for x in stripped.split(" | ")]
        if len(cells) != len(labels):
            return False
        for (_, r), cell in zip(labels, cells, strict=True):
            if cell:
                page.rows[r].append(cell)
        return True
    pieces = [(m.start(), m.group(0)) for m in re.finditer(r"\S+(?: \S+)*", line)]
    if len(pieces) < 2:
        return False
    starts = [col for col, _ in labels]
    for col, text in pieces:
        k = max(0, bisect_right(starts, col + 2) - 1)
        page.rows[labels[k][1]].append(text)
    return True


def _only_codes(text: str) -> bool:
    return all(len(t) == 2 or not t.isalpha() for t in re.findall(r"[A-Za-z0-9]+", text))


def _clean_value(c: _Compiled, pos: int, frags: list[str]) -> str:
    """A row's value: its fragments joined, without the label's continuation and suffix."""
    tail = c.tails.get(pos)
    parts = []
    for k, f in enumerate(frags):
        f = _LABEL_SUFFIX.sub("", f.strip())
        if tail is not None:
            f = _LABEL_SUFFIX.sub("", tail.sub("", f, count=1))
        if k == 0 and f:
            f = _drop_own_number(c, pos, f, more=len(frags) > 1)
        if f:
            parts.append(f)
    # Codes keep their line breaks: "00" on one line and a sentence on the next are not "00 Securities".
    return ("\n" if c.spec.by_position[pos].kind == "codes" else " ").join(parts).strip()


def _drop_own_number(c: _Compiled, pos: int, text: str, more: bool) -> str:
    """The row's own number printed on the line after its label ("SOLE VOTING POWER" / "5" / "NONE"):
    not the value. Kept when it is all the row prints (5 shares in row 5) or reads as a percent."""
    m = c.own_numbers[pos].match(text)
    if m is None:
        return text
    rest = text[m.end() :].strip()
    if rest.startswith("%") or rest.lower().startswith("percent"):
        return text
    return rest if (rest or more) else text


def _name_and_irs(frags: list[str]) -> tuple[str | None, str | None]:
    text = " ".join(f.strip() for f in frags if f.strip())
    irs = None
    m = _IRS_NUMBER.search(text)
    if m:
        if m.group(0)[0].isdigit():  # a masked number ("###-##-####") is no number
            irs = re.sub(r"\s+", "", m.group(0))
        # the number's own marks go with it: "# 02-0712418."
        text = _IRS_MARK_BEFORE.sub("", text[: m.start()]) + " " + _IRS_MARK_AFTER.sub("", text[m.end() :])
    else:
        bare = _BARE_IRS.search(text)
        if bare and not text[: bare.start(1)].strip().isdigit():
            irs = bare.group(1)
            text = text[: bare.start(1)]
    low = text.lower()
    if any(hint in low for hint in _NAME_NOISE_HINTS):
        for pat in _NAME_NOISE:
            text = pat.sub(" ", text)
    text = re.sub(r"\s+", " ", text)
    text = _NAME_TRAIL.sub("", text)
    text = _NAME_LEAD.sub("", text).strip(" :;,|-\u2013\u2014")
    text = _NAME_ENUM.sub("", text)  # "(a) Jeffrey Klausner": the list's mark, not the name
    return (text or None), irs


class _ValueMemo:
    """One document's row values, cleaned and read, kept by their text: the cover pages of one filing
    often print the same values ("0", "WC", "Delaware", an empty box) and always the same labels."""

    def __init__(self, c: _Compiled) -> None:
        self.c = c
        self._clean: dict[tuple[Any, ...], str] = {}
        self._read: dict[tuple[Any, ...], tuple[Any, Any, tuple[str, ...]]] = {}

    def clean_value(self, pos: int, frags: list[str]) -> str:
        key = (pos, *frags)
        hit = self._clean.get(key)
        if hit is None:
            hit = self._clean[key] = _clean_value(self.c, pos, frags)
        return hit

    def read(self, pos: int, row: CoverRow, text: str | None, present: bool,
             name: str | None) -> tuple[Any, Any, tuple[str, ...]]:
        """``(value, place code, warnings)`` of one row: see :func:`_read_row`."""
        # A share count, percent or box reads the same in every row of its kind; codes are reported
        # by row number, and a place is read with the person's name.
        key = (row.kind, text, present) if row.kind in _ROW_FREE_KINDS else (pos, text, present, name)
        hit = self._read.get(key)
        if hit is None:
            hit = self._read[key] = _read_row(self.c.spec, pos, row, text, present, name)
        return hit


_ROW_FREE_KINDS = frozenset({"shares", "percent", "box", "group"})
# A row kind that fills no column (the reader leaves the key out of the person).
_NO_VALUE = object()


def _read_row(spec: CoverSpec, pos: int, row: CoverRow, text: str | None, present: bool,
              name: str | None) -> tuple[Any, Any, tuple[str, ...]]:
    """One row's value read by its declared type, the place's EDGAR code (place rows) and the
    warnings the reading gave."""
    w: list[str] = []
    code = None
    if row.kind == "group":
        value = parse_group_boxes(text) if present else None
    elif row.kind == "codes":
        value = read_codes(text, row.codes or (), spec.number_of_position[pos], w)
    elif row.kind == "box":
        value = _box_row(text) if present else None
    elif row.kind == "place":
        value = read_place(text, name, w) if present else None
        if row.code_column:
            code = place_code(value)
    elif row.kind == "shares":
        value = read_share_count(text, w) if present else None
    elif row.kind == "percent":
        value = read_percent(text, w) if present else None
    else:
        value = _NO_VALUE
    return value, code, tuple(w)


def _finish_page(pg: _Page, spec: CoverSpec, warnings: list[str], memo: _ValueMemo) -> list[dict[str, Any]]:
    """The person(s) of one cover page, or none when the "page" is really pasted instructions.

    A real cover page prints most of its labels, or at least a number in its share or percent rows;
    instructions that repeat a few labels ("(4) Source of Funds--Indicate ...") do neither.
    """
    c = compiled(spec)
    seen = [r for r in pg.rows if r != 1]
    joint = _joint_names(pg.rows.get(1, [])) if len(seen) >= 3 else None
    if len(seen) < 2:
        persons: list[dict[str, Any]] = []
    elif joint:
        persons = _finish_joint(pg, joint, memo)
    else:
        frags = pg.rows.get(1, [])
        if frags:  # "1   S.S. OR I.R.S. IDENTIFICATION NO." under the label: row 1's own number
            frags = [_drop_own_number(c, 1, frags[0].strip(), more=len(frags) > 1), *frags[1:]]
        name, irs = _name_and_irs(frags)
        vals = {r: memo.clean_value(r, f) for r, f in pg.rows.items() if r != 1}
        person = _person_from_rows(pg, vals, name, irs, memo)
        # Where the usual reading leaves rows unreadable, the page may print values above labels.
        above = _values_above_labels(pg, c, memo) if _misread(person) else None
        if above is not None:
            name, irs = _name_and_irs(above[0])
            person = _person_from_rows(pg, above[1], name, irs, memo)
        elif person["name"] is None and pg.above:
            _name_from_above(person, pg.above)
        persons = [person]
    numeric = any(p.get(k) is not None for p in persons for k in c.numeric_columns)
    if persons and (len(seen) >= 8 or (numeric and (len(seen) >= 3 or pg.condensed or _abbreviated(pg, spec)))):
        if len(seen) < 3 and not pg.condensed:
            for p in persons:
                p["warnings"].append(f"abbreviated_cover: only rows {_row_list(pg, spec)} are printed")
        return persons
    warnings.append(
        f"cover_page_dropped: row-1 label at line {pg.first_line + 1} is followed by {len(seen)} rows and no number"
    )
    return []


_NOT_A_NAME_LINE = re.compile(r"^[\s\-_=*|~.]*$|\bpage\s+\d+\s+of\b|\bCUSIP\b|^\s*\(?\d[\d\s\-]*\)?\s*$", re.I)


def _name_from_above(person: dict[str, Any], above: list[str]) -> None:
    """Row 1 left empty with the name typed just above its label (the rest of the page read as usual)."""
    lines = [a for a in above if not _NOT_A_NAME_LINE.search(a)]
    name, irs = _name_and_irs(lines)
    if name and len(name) <= 150 and re.search(r"[A-Za-z]{2}", name):
        person["name"] = name
        person["irs_number"] = person.get("irs_number") or irs
        person["warnings"].append("name_above_label: row 1 is empty; took the name printed just above its label")


def _misread(person: dict[str, Any]) -> bool:
    return not person["name"] or any("_unreadable" in w.split(":", 1)[0] for w in person["warnings"])


def _values_above_labels(pg: _Page, c: _Compiled, memo: _ValueMemo) -> tuple[list[str], dict[int, str]] | None:
    """A page whose values stand *above* their labels ("565,750" / "(5) Sole Voting Power"): each row's
    text belongs to the next row, and the name to the lines above the first label. Taken only where
    that reading fits the rows' types clearly better than the usual one."""
    order = sorted(pg.rows)
    if not pg.above or len(order) < 6 or order[0] != 1:
        return None
    usual = {r: memo.clean_value(r, pg.rows[r]) for r in order}
    shifted = {order[0]: " ".join(pg.above)}
    for prev, r in pairwise(order):
        shifted[r] = " ".join(memo.clean_value(prev, [f]) for f in pg.rows[prev]).strip()
    if _fit_score(c, shifted) < _fit_score(c, usual) + 3:
        return None
    return [shifted[order[0]]], {r: v for r, v in shifted.items() if r != 1}


def _fit_score(c: _Compiled, vals: dict[int, str]) -> int:
    """How many rows hold a value of their type, less those that hold text of another type."""
    score = 0
    for pos, text in vals.items():
        kind = c.spec.by_position[pos].kind
        if not text or kind == "none":
            continue
        w: list[str] = []
        if kind == "name":
            ok = any(ch.isalpha() for ch in text) and not c.label_re.search(text)
        elif kind == "group":
            ok = parse_group_boxes(text) is not None or box_state(text) is not None
        elif kind == "box":
            ok = box_state(text) is not None
        elif kind == "codes":
            ok = bool(parse_codes(text, c.spec.by_position[pos].codes or ()))
        elif kind == "place":
            ok = place_code(text) is not None and not any(ch.isdigit() for ch in text)
        elif kind == "shares":
            ok = read_share_count(text, w) is not None and not w
        else:
            ok = read_percent(text, w) is not None and not w
        score += 1 if ok else -1
    return score


def _abbreviated(pg: _Page, spec: CoverSpec) -> bool:
    """Rows 1, 11 and 13 only (the name, the aggregate and the percent): an abbreviated cover."""
    keys = {spec.by_position[r].key for r in pg.rows}
    return {"aggregate_amount", "percent_of_class"} <= keys


def _row_list(pg: _Page, spec: CoverSpec) -> str:
    return ", ".join(str(spec.number_of_position[r]) for r in sorted(pg.rows))


def _person_from_rows(pg: _Page, vals: dict[int, str], name: str | None,
                      irs: str | None, memo: _ValueMemo) -> dict[str, Any]:
    """One person's columns, each row read by its declared type (:func:`_read_row`)."""
    w: list[str] = []
    p: dict[str, Any] = {"name": name, "irs_number": irs, "cusip": pg.cusip}
    for pos, row in memo.c.read_rows:
        value, code, warns = memo.read(pos, row, vals.get(pos), pos in vals, name)
        if value is _NO_VALUE:
            continue
        # A list (codes) is copied: each person owns its value.
        p[row.column] = list(value) if isinstance(value, list) else value
        if row.kind == "place" and row.code_column:
            p[row.code_column] = code
        w.extend(warns)
    p["warnings"] = w + _reading_notes(memo.c, vals)
    return p


def _box_row(text: str | None) -> bool | None:
    """Rows 5 and 12: True when checked, False when the row is printed without a check mark."""
    if text is None:
        return None
    yes_no = _YES_NO.search(text)
    if yes_no:  # "Yes ___   No  X": the mark belongs to the word before it
        return box_state(yes_no.group(1)) is True and box_state(yes_no.group(2)) is not True
    return box_state(text) is True


def _reading_notes(c: _Compiled, vals: dict[int, str]) -> list[str]:
    """What the reader could not find on the page (checks of the values are extractors.checks')."""
    w: list[str] = []
    if not any(r in vals for r in c.total_rows):
        w.append("rows_11_13_missing: no aggregate amount or percent label on this cover page")
    return w


# --- two persons side by side ---------------------------------------------------------------


# Side by side pages: the second name label within this many characters of the line's start, and at
# most this many blocks unfolded per document (each one rebuilds the document's lines; a real filing
# has a few, a hostile one could make every line a block).
_SIDE_BY_SIDE_REACH = 600
_MAX_UNFOLDS = 64


def _unfold_side_by_side(lines: list[str], i: int, c: _Compiled) -> tuple[int, list[str]] | None:
    """Two cover pages printed side by side, from line ``i`` (which holds the name label twice): the
    end of the block and its lines with the right-hand page after the left-hand one.

    Each line of the block is cut where the second column starts (a text column, or the cell of the
    second label); the block ends two lines after the line that holds the last row's label in both
    halves, at a page break, or after 80 lines.
    """
    cut = _second_name_label(lines[i], c)
    if cut is None:
        return None
    left: list[str] = []
    right: list[str] = []
    j = i
    end = min(len(lines), i + 80)
    after_last = -1
    while j < end:
        row = lines[j]
        if row == PAGE_BREAK:
            break
        lpart, rpart = _cut_line(row, cut, c)
        left.append(lpart)
        right.append(rpart)
        if after_last < 0 and _is_last_label(lpart, c) and _is_last_label(rpart, c):
            after_last = j
        j += 1
        if after_last >= 0 and j > after_last + 2:
            break
    return j, [*left, "", *right]


def _second_name_label(line: str, c: _Compiled) -> tuple[str, int] | None:
    """How to cut the block's lines, when a line holds the name-row label twice: at a text column,
    or (HTML) before the cell where the second label of each line starts."""
    # The second page's label stands within a page width of the first: the line beyond is not looked at
    # (a hostile line of thousands of labels cost seconds per line).
    matches = list(islice((m for m in c.label_re.finditer(line, 0, _SIDE_BY_SIDE_REACH)
                                     if m.lastgroup == "p1"), 2))
    if len(matches) < 2:
        return None
    second = matches[1]
    if " | " in line:
        return ("cells", 0) if " | " in line[: second.start()] else None
    if second.start() - matches[0].end() < 4:
        return None
    before = line[: second.start()]
    rn = _ROWNUM_TAIL.search(before)
    col = rn.start() + (len(rn.group(0)) - len(rn.group(0).lstrip())) if rn else second.start()
    return ("column", col)


def _cut_line(line: str, cut: tuple[str, int], c: _Compiled | None = None) -> tuple[str, str]:
    how, at = cut
    if how == "cells":
        cells = line.split(" | ")
        starts = _label_cells(cells, c) if c is not None else []
        if len(starts) >= 2:
            k = starts[1]
            if k > 0 and _ROWNUM_ONLY.match(cells[k - 1].strip()):
                k -= 1  # the row number's own cell goes with its label
        elif len(cells) % 2 == 0:
            k = len(cells) // 2  # values only: half the cells each
        else:
            return line, ""
        return " | ".join(cells[:k]), " | ".join(cells[k:])
    if len(line) <= at:
        return line, ""
    # Cut at the column, or at the space nearest before it when a word runs over the edge.
    k = at
    while k > 0 and line[k - 1] != " " and k > at - 6:
        k -= 1
    if line[k - 1 : k] != " ":
        k = at
    return line[:k].rstrip(), line[k:]


def _label_cells(cells: list[str], c: _Compiled) -> list[int]:
    """Indexes of the cells that start with a row label (after an optional row number)."""
    out = []
    for k, cell in enumerate(cells):
        m = c.label_re.search(cell)
        if m is not None and _starts_row(cell[: m.start()]):
            out.append(k)
    return out


def _is_last_label(text: str, c: _Compiled) -> bool:
    return any(int(m.lastgroup[1:]) == c.spec.last for m in c.label_re.finditer(text))  # type: ignore[index]


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


def _finish_joint(pg: _Page, names: list[tuple[str, str]], memo: _ValueMemo) -> list[dict[str, Any]]:
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
            per_person[idx][r] = memo.clean_value(r, entries.get(idx, []) if entries else common)
    out = []
    for idx, (_, name) in enumerate(names):
        p = _person_from_rows(pg, per_person[idx], name, None, memo)
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
