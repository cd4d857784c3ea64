"""The rule box of a text or HTML Schedule 13G: which of Rule 13d-1(b), (c) or (d) it is filed under.

Since 1998 the front page of a 13G asks the filer to "check the appropriate box to designate the rule
pursuant to which this Schedule is filed", then prints one line per rule with a box beside it. The
box is drawn in every way a typewriter, a word processor or an HTML converter can draw one: ``[X]``,
``|X|``, ``/X/``, ``(X)``, ``_X_``, Unicode ballot boxes (``☒`` / ``☐``, ``□``), Wingdings letters
(``x``, ``ý``, ``þ`` checked; ``o``, ``¨``, ``q`` empty), in front of the rule or after it, on the
rule's line or alone on the line above (an HTML table cell of its own). The rule itself is typed
``Rule 13d-1(b)``, ``13d - 1(b)``, ``13d-(c)`` or ``13d – 1(b)``.

A rule line is a line that holds rule references and nothing else but marks: the title ("filed
pursuant to Rules 13d-1(b), (c) and (d)") and Item 3's "in accordance with Rule 13d-1(b)(1)(ii)(E)"
hold words, or a paragraph after the letter, and are never read as the box.
"""

from __future__ import annotations

import re

from extractors.linescan import line_text, required_words

# A reference to one rule: 'Rule 13d-1(b)', '13d - 1 (c)', '13d-(c)', '§240.13d-1(d)'; not one
# followed by another parenthesis ('13d-1(b)(1)(ii)(E)' is a paragraph of Item 3).
_RULE_CORE = r"13\s*d\s*[-\u2010-\u2015]?\s*(?:1\s*)?\(\s*(?P<letter>[bcd])\s*\)"
_RULE = re.compile(r"(?:\bRule\s*)?(?:(?:§+|Section)\s*)?(?:240\s*\.\s*)?" + _RULE_CORE + r"(?!\s*\()", re.I)
# What every match of _RULE holds, searched first: its optional prefixes make _RULE try every
# character of a line (a 90-character line with no rule costs ~10 us), the core starts with "13".
_RULE_SEED = re.compile(_RULE_CORE, re.I)
# A word every rule reference holds ("13"): only the lines that hold it are looked at (extractors.linescan).
_RULE_WORDS = required_words(_RULE)
_CHECKED = frozenset("xX\u00fd\u00fe\u2612\u2611\u2713\u2714\u2717\u2718\u25a0\u221a\u2715\u2327\u25cf\u2716")
_EMPTY = frozenset("o\u00a8q\u2610\u25a1\u2751\u2752\u25cb\u25fb\u2b1c")
_BOX_CHARS = re.compile(r"[\[\]()/|_{}\s.:\-\u00a0]")
_LETTERS = re.compile(r"[A-Za-z]{2,}")
_BOX_EDGE = re.compile(r"[\[\]()/_|]")
# How far below its title the box may start, and how many lines its three rules may spread over.
_SCAN_LINES = 700


def _mark(text: str) -> bool | None:
    """True for a checked box, False for an empty one, None where ``text`` holds no box at all."""
    t = text.strip()
    if not t:
        return None
    core = _BOX_CHARS.sub("", t)
    if not core:
        # '[ ]', '( )', '[_]', '//', '__': an empty box; a lone '-' or '.' is punctuation, not a box
        return False if _BOX_EDGE.search(t) else None
    if len(core) <= 2 and all(ch in _CHECKED for ch in core):
        return True
    if len(core) <= 2 and all(ch in _EMPTY for ch in core):
        return False
    return None


def _rule_line(line: str) -> list[tuple[str, str, str]] | None:
    """``[(letter, text before, text after), ...]`` when the line holds only rules and marks."""
    refs = list(_RULE.finditer(line)) if _RULE_SEED.search(line) else None
    if not refs:
        return None
    rest = _RULE.sub(" ", line)
    if len(_LETTERS.findall(rest)) > 0 and len(rest.strip()) > 6:
        return None  # words beside the rule: a title, Item 3, a sentence
    out: list[tuple[str, str, str]] = []
    for k, m in enumerate(refs):
        before = line[refs[k - 1].end() if k else 0 : m.start()]
        after = line[m.end() : refs[k + 1].start() if k + 1 < len(refs) else len(line)]
        out.append((m.group("letter").lower(), before, after))
    return out


def _only_mark(line: str) -> bool | None:
    """The mark a line holds when it holds nothing else (a box in a table cell of its own)."""
    if _RULE_SEED.search(line) and _RULE.search(line):
        return None
    return _mark(line) if len(line.strip()) <= 5 else None


def parse_rule_box(lines: list[str], end: int | None = None) -> tuple[list[str], list[str]]:
    """The letters of the checked rule boxes, sorted (``[]`` when none is checked or there is no box),
    and warnings. ``end`` bounds the front page (the line the cover pages or items start at)."""
    stop = min(len(lines), end if end is not None else _SCAN_LINES, _SCAN_LINES)
    found: list[tuple[int, list[tuple[str, str, str]]]] = []
    for i in line_text(lines).lines_with(_RULE_WORDS, stop=stop):
        line = lines[i]
        if "13" not in line or "(" not in line:  # every rule reference holds both
            continue
        refs = _rule_line(line)
        if refs:
            if found and i - found[-1][0] > 8:
                break  # a second block further down (Item 3, an exhibit): the front page's came first
            found.append((i, refs))
    if not found:
        return [], []
    # Where the boxes stand: in front of the rule or after it, on its line or on a line of their own.
    # The first rule decides for the block, since a mark after rule (b) sits before rule (c).
    first_i, first_refs = found[0]
    same_line_before = _mark(first_refs[0][1]) is not None
    same_line_after = not same_line_before and _mark(first_refs[0][2]) is not None
    above = not (same_line_before or same_line_after) and _neighbour_mark(lines, first_i, -1) is not None
    checked: set[str] = set()
    letters: list[str] = []
    for i, refs in found:
        for letter, before, after in refs:
            letters.append(letter)
            if same_line_before:
                mark = _mark(before)
            elif same_line_after:
                mark = _mark(after)
            elif len(refs) == 1:
                mark = _neighbour_mark(lines, i, -1 if above else 1)
            else:
                mark = None
            if mark:
                checked.add(letter)
    warnings: list[str] = []
    if not checked and len(set(letters)) >= 2 and not any(
        _mark(b) is not None or _mark(a) is not None for _, refs in found for _, b, a in refs
    ) and not above and _neighbour_mark(lines, first_i, 1) is None:
        warnings.append("rule_13d_1_unmarked: the rule box is printed but no box or mark was found beside it")
    return sorted(checked), warnings


def _neighbour_mark(lines: list[str], i: int, step: int) -> bool | None:
    """The mark on the nearest non-blank line above (step -1) or below (+1), if that line is only a mark."""
    j = i + step
    for _ in range(3):
        if not 0 <= j < len(lines):
            return None
        if lines[j].strip():
            return _only_mark(lines[j])
        j += step
    return None


__all__ = ["parse_rule_box"]
