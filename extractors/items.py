"""The numbered items of a text or HTML schedule (13D: items 1 to 7; 13G: 1 to 10), as heading and text.

Which items there are and the words of their headings come from the :class:`~extractors.schedules.Schedule`.
The body of a 13D is seven numbered items, each under a heading that starts a line
('Item 4. Purpose of Transaction', 'ITEM 4.  PURPOSE OF TRANSACTION', 'Item 5 - Interest in ...',
an HTML table row 'Item 1. | Security and Issuer', or 'Item 1.' alone with the words on the next
line). Amendments print only the items they change. Item numbers only go up, which is what tells a
heading from a reference such as 'Item 3 is incorporated by reference into this Item 4.' at the
start of a wrapped line; a table of contents is recognised by its empty entries and dropped. Text
runs to the next item or to the signature section. One pass over the lines, regexes compiled once.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from extractors.linescan import end_reach, search_end
from extractors.schedules import SCHEDULE_13D, Schedule

_AMENDED_START = re.compile(
    r"^(?:of\s+(?:the\s+|this\s+)?(?:original\s+|prior\s+)?(?:Schedule\s+13[DG]|Statement)\s+)?(?:is|are)\s+(?:hereby\s+)?"
    r"(?:amended|supplemented|restated|deleted|replaced)",
    re.I,
)


@dataclass(frozen=True)
class _Grammar:
    """A schedule's item headings as regexes, compiled once per schedule."""

    head: re.Pattern[str]
    bare_head: re.Pattern[str]
    keywords: dict[int, re.Pattern[str]]
    item_word: re.Pattern[str]


_GRAMMARS: dict[str, _Grammar] = {}


def _grammar(schedule: Schedule) -> _Grammar:
    hit = _GRAMMARS.get(schedule.name)
    if hit is not None:
        return hit
    numbers = sorted(schedule.item_headings, reverse=True)  # '10' before '1'
    num = "|".join(str(n) for n in numbers)
    # Item headings: 'Item N' starts the line (after an optional table cell bar). In a 13D it is not
    # followed by '(': 'Item 2(d)' in cover row 5 and 'Item 5(a) is amended' are references; a 13G
    # prints its items in lettered parts ('Item 1(a). Name of Issuer'), the first part starting the item.
    part = r"(?:\s*\(\s*a\s*\))?(?!\s*\()" if schedule.lettered_items else r"(?!\s*\()"
    g = _Grammar(
        head=re.compile(
            rf"^\s*(?:\|\s*)?ITEM\s*(?P<num>{num})(?![0-9]){part}\s*(?P<punct>[.:\-\u2013\u2014)|])?\s*(?P<rest>.*)$",
            re.I,
        ),
        # A numbered heading without the word 'Item' counts only with the form's own heading words.
        bare_head=re.compile(rf"^\s*(?P<num>{num})\s*[.)]\s+(?P<rest>(?:{schedule.item_bare}).*)$", re.I),
        keywords={n: re.compile(words, re.I) for n, words in schedule.item_words.items()},
        item_word=re.compile(rf"^ITEM\s*(?:{num})\b", re.I),
    )
    _GRAMMARS[schedule.name] = g
    return g

_SIGNATURE = re.compile(
    r"^\s*(?:\|\s*)?(?:SIGNATURES?(?:\s+PAGE)?\s*[.:]?\s*(?:\|\s*)?(?:$|After\b)|After\s+(?:due\s+and\s+)?reasonable\s+inquiry\b)",
    re.I,
)
_CONNECTOR_END = re.compile(r"(?:,|\bor|\bof|\bthe|\band|\bto|\bwith|\bin|\brespect)\s*$", re.I)
_CONNECTOR_REACH = end_reach(_CONNECTOR_END)  # searched only near the end (linescan.search_end)
_SENTENCE_BREAK = re.compile(r"(?<=[A-Za-z)\]][a-z)\]A-Z])[.:]\s+(?=[A-Z(\"“])|\s+[\u2013\u2014-]\s+(?=[A-Z])")
_MAX_HEADING = 160
_MAX_TEXT_CHARS = 500_000
_TOC_TEXT_CHARS = 40


# The first characters (after white space) of a line that _candidate or _SIGNATURE may accept; re.I
# lets "s" match the long s (U+017F).
_ITEM_FIRST = frozenset("Ii|123456789")
_SIGNATURE_FIRST = frozenset("SsAa|\u017f")


def _fold(text: str) -> str:
    # split() and join: the same as collapsing each run of white space with a regex and stripping,
    # without a regex match per space of an item's text.
    return " ".join(text.replace(" | ", " ").split())


def _candidate(line: str, g: _Grammar) -> tuple[int, str] | None:
    """(item number, rest of the line) when the line can start an item."""
    stripped = line.lstrip()
    if not stripped or stripped[0] not in _ITEM_FIRST:
        return None
    m = g.head.match(line)
    if m:
        num = int(m.group("num"))
        rest = m.group("rest").strip().lstrip("|").strip()
        if m.group("punct") or not rest:
            return num, rest
        if g.keywords[num].match(rest) or (g.keywords[num].search(rest[:40]) and rest[:1].isupper()):
            return num, rest
        if _AMENDED_START.match(rest):
            return num, line.strip()
        return None
    m = g.bare_head.match(line)
    if m:
        return int(m.group("num")), m.group("rest").strip()
    return None


def _split_heading(num: int, rest: str, g: _Grammar) -> tuple[str | None, str]:
    """Heading and any text that runs on after it on the same line (HTML paragraphs)."""
    rest = _fold(rest)
    if not rest:
        return None, ""
    if g.item_word.match(rest):
        return None, rest  # 'Item 4 is hereby amended ...': an item that starts without a heading
    if len(rest) <= _MAX_HEADING and not _SENTENCE_BREAK.search(rest.rstrip(".: ")):
        return rest.rstrip(" .:|") or None, ""
    m = _SENTENCE_BREAK.search(rest)
    if m and m.start() <= _MAX_HEADING:
        return rest[: m.start()].rstrip(" .:") or None, rest[m.end() :]
    return None, rest


def parse_items(lines: list[str], schedule: Schedule = SCHEDULE_13D) -> list[dict[str, Any]]:
    """``{item_number, heading, text}`` for each of the schedule's items printed in the body, in order."""
    g = _grammar(schedule)
    cands: list[tuple[int, int, str]] = []  # (line index, number, rest)
    sig_lines: list[int] = []
    for i, line in enumerate(lines):
        # Most lines start neither an item nor the signatures: one character tells, without a call.
        first = line.lstrip()[:1]
        c = _candidate(line, g) if first in _ITEM_FIRST else None
        if c is not None:
            cands.append((i, c[0], c[1]))
        elif first in _SIGNATURE_FIRST and _SIGNATURE.match(line):
            sig_lines.append(i)
    if not cands:
        return []
    cands = _drop_table_of_contents(lines, cands)
    if not cands:
        return []
    first = cands[0][0]
    end = next((s for s in sig_lines if s > first), len(lines))

    chosen: list[tuple[int, int, str]] = []
    for c in cands:
        if c[0] >= end:
            break
        if not chosen or c[1] > chosen[-1][1]:
            chosen.append(c)

    items: list[dict[str, Any]] = []
    for k, (idx, num, rest) in enumerate(chosen):
        stop = chosen[k + 1][0] if k + 1 < len(chosen) else end
        heading, lead = _split_heading(num, rest, g)
        body_start = idx + 1
        if heading is None and not lead:
            heading, body_start = _heading_below(lines, idx + 1, stop, g.keywords[num])
        elif heading is not None and not lead:
            heading, body_start = _heading_continued(lines, idx + 1, stop, heading)
        parts = [lead] if lead else []
        body = lines[body_start:stop]
        if sum(map(len, body)) > _MAX_TEXT_CHARS:  # read up to the line that takes the text past the cap
            body = body[: bisect_right(list(accumulate(map(len, body))), _MAX_TEXT_CHARS) + 1]
        parts += body
        items.append({"item_number": num, "heading": heading, "text": _fold(" ".join(parts))})
    return items


def _drop_table_of_contents(lines: list[str], cands: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Remove a table of contents: three or more headings on consecutive lines, numbers rising, whose
    first number is printed again further down (where the real item starts)."""
    keep: list[tuple[int, int, str]] = []
    k = 0
    while k < len(cands):
        run_end = k
        while (
            run_end + 1 < len(cands)
            and cands[run_end + 1][0] - cands[run_end][0] <= 3
            and cands[run_end + 1][1] > cands[run_end][1]
            and len("".join(lines[cands[run_end][0] + 1 : cands[run_end + 1][0]]).strip()) < _TOC_TEXT_CHARS
        ):
            run_end += 1
        first_num = cands[k][1]
        if run_end - k >= 2 and any(c[1] == first_num for c in cands[run_end + 1 :]):
            k = run_end + 1
            continue
        keep.append(cands[k])
        k += 1
    return keep


def _heading_below(lines: list[str], start: int, stop: int, words: re.Pattern[str]) -> tuple[str | None, int]:
    """'Item 1.' alone on its line: the heading is the next line when it reads like one."""
    j = start
    while j < stop and not lines[j].strip():
        j += 1
    if j >= stop:
        return None, start
    text = _fold(lines[j])
    looks_like_heading = words.search(text) or (len(text) < 80 and text.isupper())
    if len(text) <= _MAX_HEADING and looks_like_heading and not _SENTENCE_BREAK.search(text.rstrip(".: ")):
        return _heading_continued(lines, j + 1, stop, text.rstrip(" .:"))
    return None, start


def _heading_continued(lines: list[str], start: int, stop: int, heading: str) -> tuple[str, int]:
    """A plain-text heading wrapped onto the next line ('Contracts, Arrangements, ... or' / 'Relationships ...')."""
    if start < stop and search_end(_CONNECTOR_END, _CONNECTOR_REACH, heading):
        text = _fold(lines[start])
        if text and len(text) < 100 and not text.endswith(("!", "?")) and text[:1].isalpha():
            return f"{heading} {text}".rstrip(" .:"), start + 1
    return heading, start


__all__ = ["parse_items"]
