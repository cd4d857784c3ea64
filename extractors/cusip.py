"""CUSIP rules: the check digit, normalizing what filers print, and finding the CUSIPs on a cover.

A CUSIP is six characters for the issuer, two for the issue and a mod-10 check digit. Filers print
it every way a typist can (``805423 10 0``, ``57038N-10-5``, ``833 663 305``), leave the check digit
off (``88160910``), pad it to ten (``0805423100``) or print something else next to it: an I.R.S.
number (``13-3434400``, nine digits once the dash is gone), an ISIN (``US0378331005``) or a SEDOL
(seven characters). The check digit is what tells a CUSIP from a look-alike, so nothing is accepted
that does not pass it.

ISIN decision: an ISIN is never taken for a CUSIP. A US/CA ISIN embeds the CUSIP, and
:func:`cusip_from_isin` extracts it for a caller that wants it, but :func:`find_cusips` does not:
the labels record what the cover prints as the CUSIP, and a cover that prints only an ISIN prints
no CUSIP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.linescan import line_text, required_words

_VALUES = {**{str(d): d for d in range(10)}, **{chr(ord("A") + i): 10 + i for i in range(26)}, "*": 36, "@": 37, "#": 38}
_CUSIP_CHARS = re.compile(r"^[0-9A-Z*@#]+$")
_DIGIT_SUM = {ch: v // 10 + v % 10 for ch, v in _VALUES.items()}
_DOUBLED_DIGIT_SUM = {ch: 2 * v // 10 + 2 * v % 10 for ch, v in _VALUES.items()}
_ASCII_DIGIT = re.compile(r"[0-9]")  # a token is ASCII: its digits are these
_SEPARATORS = re.compile(r"[\s\-.\u2010-\u2015]+")
# Look-alikes printed near a CUSIP: I.R.S. employer numbers (NN-NNNNNNN) and social security numbers.
_IRS_NUMBER = re.compile(r"^\s*\d{2}\s*[-\u2010-\u2015]\s*\d{7}\s*$")
_SSN = re.compile(r"^\s*\d{3}\s*-\s*\d{2}\s*-\s*\d{4}\s*$")
_ISIN = re.compile(r"^[A-Z]{2}[0-9A-Z]{9}[0-9]$")


def cusip_check_digit(first8: str) -> str:
    """The mod-10 'double add double' check digit of the first eight characters of a CUSIP."""
    first8 = first8.upper()
    if len(first8) != 8 or not _CUSIP_CHARS.fullmatch(first8):
        raise ValueError(f"not eight CUSIP characters: {first8!r}")
    # positions 2, 4, 6, 8 (1-based) doubled; each value's digits added
    total = sum(map(_DIGIT_SUM.__getitem__, first8[0::2])) + sum(map(_DOUBLED_DIGIT_SUM.__getitem__, first8[1::2]))
    return str((10 - total % 10) % 10)


def is_valid_cusip(s: str) -> bool:
    """True for nine CUSIP characters whose last one is the check digit of the first eight."""
    if not isinstance(s, str) or len(s) != 9:
        return False
    s = s.upper()
    if not _CUSIP_CHARS.match(s) or not s[8].isdigit():
        return False
    return cusip_check_digit(s[:8]) == s[8]


def normalize_cusip(raw: str | None) -> str | None:
    """The nine-character CUSIP a printed value stands for, or None when it cannot be made valid.

    Upper case, separators (spaces, dashes, dots) removed; eight characters get their check digit;
    ten characters with a leading zero lose the zero. I.R.S. numbers, social security numbers,
    ISINs and SEDOLs are refused even when their digits happen to pass the check.
    """
    if not raw:
        return None
    text = raw.strip().upper()
    if _IRS_NUMBER.match(text) or _SSN.match(text):
        return None
    s = _SEPARATORS.sub("", text)
    if not s or not _CUSIP_CHARS.match(s):
        return None
    if len(s) == 10 and s[0] == "0":
        s = s[1:]
    if len(s) == 8:
        if not any(c.isdigit() for c in s[:3]):
            return None
        return s + cusip_check_digit(s)
    if len(s) == 9 and is_valid_cusip(s):
        return s
    return None


def cusip_from_isin(isin: str) -> str | None:
    """The CUSIP inside a US or CA ISIN whose own check digit is right; None otherwise."""
    s = _SEPARATORS.sub("", (isin or "").upper())
    if not _ISIN.match(s) or s[:2] not in ("US", "CA") or not _isin_check_ok(s):
        return None
    return s[2:11] if is_valid_cusip(s[2:11]) else None


def _isin_check_ok(s: str) -> bool:
    digits = "".join(str(_VALUES[c]) for c in s[:11])
    total = 0
    for i, ch in enumerate(reversed(digits)):
        v = int(ch)
        if i % 2 == 0:
            v *= 2
        total += v // 10 + v % 10
    return (10 - total % 10) % 10 == int(s[11])


# ---------------------------------------------------------------------------------------------------
# Finding CUSIPs in the lines of a cover page

@dataclass(frozen=True)
class Candidate:
    """A CUSIP-shaped value printed on the cover: ``cusip`` is None when it fails the check digit."""

    raw: str
    cusip: str | None
    line: int
    captioned: bool  # printed above a '(CUSIP Number)' caption (the front page), not after a label


# Tokens that may make up a printed CUSIP, and what may separate them inside one: a single space or
# two, a dash, a dot, or an HTML cell boundary. Three spaces or more is a column gap in plain text.
_TOKEN = re.compile(r"[0-9A-Za-z*@#]+")
_JOINER = re.compile(r"^(?:[ \t]{1,2}|[ \t]?[-.\u2010-\u2015][ \t]?|[ \t]?\|[ \t]?)$")

_CELL_BAR = re.compile(r"\s*\|\s*")
_CAPTION = re.compile(r"\(\s*CUSIP\s*(?:Number|No\b|Nos\b|#)", re.I)
_BARE_CAPTION = re.compile(r"^\s*(?:\|\s*)?CUSIP\s+Number\s*(?:\|\s*)?$", re.I)
_LABEL = re.compile(r"(?<![A-Za-z(])CUSIP\s*(?:Numbers?|Nos?\b\.?|#)?\s*[:.#]?\s*(?:\|\s*)*(?!\s*\))", re.I)
# An item heading at the start of a line ends the cover; the items may cite other securities.
_ITEM_START = re.compile(r"^\s*(?:\|\s*)?ITEM\s+[1-7]\s*[.:\-\u2013\u2014)]?(?:\s|\||$)(?!\s*\()", re.I)
_ITEM_START_WORDS = required_words(_ITEM_START)
_CAPTIONISH = re.compile(
    r"^\s*\(.*\b(?:Name|Title|Issuer|Address|Date|Event|Securities|CUSIP|Class)\b|"
    r"\b(?:Communications|Statement|Securities|Issuer)\s*\)\s*$",
    re.I,
)
_RULE = re.compile(r"^[\s\-_=*|~.]*$")
_VALUE_END = re.compile(r"\s{3,}|\bCUSIP\b", re.I)  # a column gap or the next label ends a value
_OPEN_PAREN = re.compile(r"\(")
# Lines of the form's heading that never belong to a value printed above a caption.
_BOUNDARY = re.compile(
    r"\bAmendment\s*(?:No\b|Number\b|#|\d)|Securities\s+(?:and\s+)?Exchange\s+(?:Act|Commission)|"
    r"^\s*SCHEDULE\s+1\s?3|\bRule\s+13d|Washington,?\s+D\.?\s?C|^\s*UNITED\s+STATES\s*$|"
    r"\bOMB\b|^\s*Expires\b|average\s+burden|hours\s+per\s+(?:response|form)|"
    r"INFORMATION\s+TO\s+BE\s+INCLUDED|^\s*\(?Page\s+\d",
    re.I,
)
_MAX_LINES = 6000
# How far after a 'CUSIP No.' label (or inside a caption) its value may stand. A real one is within a
# few dozen characters, a multi-class list within a couple of hundred; reading the whole line made a
# hostile megabyte line of CUSIP-shaped tokens cost seconds.
_VALUE_REACH = 400


def _candidates_in(text: str, line: int, captioned: bool) -> list[Candidate]:
    """CUSIP-shaped values in one piece of text, left to right.

    A value is built from consecutive tokens joined by separators. It must start with a token that
    has a digit; nine characters win (valid or not: a printed nine-character value with a wrong check
    digit is a typo, not an eight-character CUSIP plus noise); failing that, eight characters
    complete with a check digit, or ten with a leading zero lose it.
    """
    toks = [(m.start(), m.end(), m.group().upper()) for m in _TOKEN.finditer(text)]
    out: list[Candidate] = []
    i = 0
    while i < len(toks):
        start, _, tok = toks[i]
        if not _ASCII_DIGIT.search(tok) or len(tok) > 10:
            i += 1
            continue
        joined = tok
        j = i
        ends: dict[int, int] = {len(joined): j}
        while len(joined) < 10 and j + 1 < len(toks):
            gap = text[toks[j][1] : toks[j + 1][0]]
            nxt = toks[j + 1][2]
            if not _JOINER.match(gap) or not _ASCII_DIGIT.search(nxt):
                break
            j += 1
            joined += nxt
            ends.setdefault(len(joined), j)
        found: Candidate | None = None
        for length in (9, 8, 10):
            if length not in ends:
                continue
            k = ends[length]
            raw = text[start : toks[k][1]]
            value = joined[:length]
            if length == 10 and not value.startswith("0"):
                continue
            if _IRS_NUMBER.match(raw) or _SSN.match(raw):
                break
            if length == 8 and (9 in ends or not _plausible_eight(value)):
                continue
            shown = _CELL_BAR.sub(" ", raw) if "|" in raw else raw  # _CELL_BAR needs a bar
            found = Candidate(shown.strip(), normalize_cusip(value), line, captioned)
            i = k + 1
            break
        if found is None:
            i += 1
        else:
            out.append(found)
    return out


def _plausible_eight(value: str) -> bool:
    # Eight characters with the first three digits (or a letter then digits for CINS numbers).
    return value[1:3].isdigit() and (value[0].isdigit() or value[0].isalpha())


def _scan(lines: list[str]) -> list[Candidate]:
    """Every CUSIP-shaped value on the cover, valid or not, in order of appearance."""
    out: list[Candidate] = []
    n = min(len(lines), _MAX_LINES)
    # The only lines the body acts on: those holding "usip" or "USIP", and those _ITEM_START matches,
    # which hold one of its words; the joined text is searched for them (extractors.linescan).
    words = None if _ITEM_START_WORDS is None else (*_ITEM_START_WORDS, "usip")
    for idx in line_text(lines).lines_with(words, stop=n):
        line = lines[idx]
        if "usip" not in line and "USIP" not in line:
            if _ITEM_START.match(line):
                break
            continue
        cap = _CAPTION.search(line)
        if cap:
            close = line.find(")", cap.end(), cap.end() + _VALUE_REACH)
            inner = _candidates_in(line[cap.end() : close if close >= 0 else cap.end() + _VALUE_REACH], idx, False)
            # '(CUSIP No. 805423100)' printed after a title is a label in parentheses, not a caption.
            out.extend(inner or _above_caption(lines, idx, cap.start()))
            continue
        for m in _LABEL.finditer(line):
            value = line[m.end() : m.end() + _VALUE_REACH]
            value = _VALUE_END.split(value, maxsplit=1)[0] if value.strip() else ""
            found = _candidates_in(value, idx, False)
            if not found and not value.strip():
                if _BARE_CAPTION.match(line):
                    # 'CUSIP Number' alone on its line is the front page's caption without parentheses.
                    found = _above_caption(lines, idx, m.start())
                found = found or _label_value_below(lines, idx)
            out.extend(found)
    return out


def _label_value_below(lines: list[str], idx: int) -> list[Candidate]:
    """A 'CUSIP No.' label whose value sits in the next line or table cell (HTML covers)."""
    seen = 0
    for j in range(idx + 1, min(idx + 5, len(lines))):
        text = lines[j]
        if _RULE.match(text):
            continue
        seen += 1
        found = _candidates_in(text[:_VALUE_REACH], j, False)
        if found or seen >= 2:
            return found
    return []


def _above_caption(lines: list[str], idx: int, col: int) -> list[Candidate]:
    """Values printed above a '(CUSIP Number)' caption: same line before it, else the line(s) above."""
    before = lines[idx][:col]
    if before.strip(" |\t") and ("|" in before or len(before) - len(before.rstrip()) < 3):
        found = _candidates_in(before[-_VALUE_REACH:], idx, True)
        if found:
            return found
    block = value_block_above(lines, idx, col_of(lines[idx], col), cell=cell_of(lines[idx], col))
    if not block:
        return []
    # Joined, so that a value an HTML filer broke over two paragraphs ('805423' / '10 0') is whole.
    return _candidates_in(" ".join(text for _, text in block)[-_VALUE_REACH:], block[-1][0], True)


def cell_of(caption_line: str, col: int) -> tuple[int, int] | None:
    """(index, count) of the table cell a caption sits in, when the caption line is a table row."""
    if " | " not in caption_line:
        return None
    cells = caption_line.split(" | ")
    pos = 0
    for k, cell in enumerate(cells):
        pos += len(cell) + 3
        if col < pos:
            return k, len(cells)
    return len(cells) - 1, len(cells)


def col_of(caption_line: str, col: int) -> tuple[int, int] | None:
    """The column span a caption owns when several captions share a plain-text line."""
    opens = [m.start() for m in _OPEN_PAREN.finditer(caption_line)]
    if len(opens) < 2 or "|" in caption_line:
        return None
    starts = [o for o in opens if _CAPTIONISH.match(caption_line[o:]) or caption_line[o:].lstrip("(").strip()[:1].isalpha()]
    if len(starts) < 2:
        return None
    starts.sort()
    k = max(i for i, s in enumerate(starts) if s <= col)
    lo = 0 if k == 0 else (_end_of_paren(caption_line, starts[k - 1]) + starts[k]) // 2
    hi = None if k == len(starts) - 1 else (_end_of_paren(caption_line, starts[k]) + starts[k + 1]) // 2
    return (lo, hi if hi is not None else 10_000)


def _end_of_paren(line: str, start: int) -> int:
    end = line.find(")", start)
    return len(line) if end < 0 else end + 1


def value_block_above(
    lines: list[str],
    idx: int,
    cols: tuple[int, int] | None = None,
    max_lines: int = 3,
    cell: tuple[int, int] | None = None,
) -> list[tuple[int, str]]:
    """The lines printed directly above a caption line, nearest last, stopping at another caption.

    Rules (lines of dashes or underscores) and blank lines before the value are skipped; once a value
    line is found, the block runs upward until a blank line, a rule or a caption.
    """
    block: list[tuple[int, str]] = []
    j = idx - 1
    lo_limit = max(0, idx - 12)
    while j >= lo_limit:
        text = lines[j]
        if cols is not None:
            text = text[cols[0] : cols[1]]
        elif cell is not None and " | " in text:
            cells = text.split(" | ")
            if len(cells) == cell[1]:
                text = cells[cell[0]]
        if _RULE.match(text):
            if block:
                break
            j -= 1
            continue
        if _CAPTIONISH.search(text) or _BOUNDARY.search(text):
            break
        block.append((j, text.strip()))
        if len(block) >= max_lines:
            break
        j -= 1
    block.reverse()
    return block


def find_cusips(lines: list[str]) -> list[tuple[str, str]]:
    """(normalized, raw) of every distinct valid CUSIP printed on the cover, in order of appearance.

    Reads values after a 'CUSIP No.' / 'CUSIP Number:' / 'CUSIP #' label (or in the next line or
    cell when the label stands alone) and above a '(CUSIP Number)' caption. Stops at the first item
    heading, because the items may cite CUSIPs of other securities.
    """
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for c in _scan(lines):
        if c.cusip and c.cusip not in seen:
            seen.add(c.cusip)
            out.append((c.cusip, c.raw))
    return out


def scan_cusips(lines: list[str]) -> list[Candidate]:
    """Like :func:`find_cusips` but keeps values that fail the check digit (for ``cusip_raw``)."""
    return _scan(lines)


__all__ = [
    "Candidate",
    "cell_of",
    "col_of",
    "cusip_check_digit",
    "cusip_from_isin",
    "find_cusips",
    "is_valid_cusip",
    "normalize_cusip",
    "scan_cusips",
    "value_block_above",
]
