"""The front page of a text or HTML Schedule 13D or 13G: issuer, class, CUSIP, event date, amendment number.

Every 13D since 1968 opens with the same form: a value printed above a caption in parentheses,

    SAVVIS COMMUNICATIONS CORPORATION
    (Name of Issuer)

or, in some filings, a ``LABEL: value`` line (``DATE OF EVENT WHICH REQUIRES FILING: ...``). The
reader finds the captions and takes what stands above (or after) them, so it does not depend on a
filer's spacing, and it never reads past the front page: the items quote other dates and numbers.
Plain-text covers may print two captions side by side; the value above is then cut by column.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from extractors.cusip import cell_of, col_of, normalize_cusip, scan_cusips, value_block_above
from extractors.dates import parse_date
from extractors.linescan import end_reach, line_text, required_words, search_end

FRONT_MAX_LINES = 400

_ISSUER_CAP = re.compile(r"Name\s+of\s+(?:the\s+)?(?:Subject\s+Company\s*\(\s*)?Issuer\b", re.I)
_TITLE_CAP = re.compile(r"Title\s+of\s+(?:the\s+)?Class(?:es)?\s+of\s+(?:Equity\s+)?Securit(?:y|ies)\b", re.I)
_EVENT_CAP = re.compile(r"Dates?\s+of\s+(?:the\s+)?Event\b", re.I)
_CUSIP_CAP = re.compile(r"\(\s*CUSIP\s*(?:Number|No\b|Nos\b|#)", re.I)


def _may_hold_caption(low: str) -> bool:
    """False when a lower-cased ASCII line holds none of the four captions above: each holds one of
    these words. Most front-page lines hold none, and four case-blind searches cost three times these
    tests. (Only for ASCII: under re.I a few other letters match too, the long s and the dotless i.)"""
    return "issuer" in low or "class" in low or "event" in low or "cusip" in low


# Where the front page ends: the first cover page (row 1) or the first item heading. Every match of
# either holds one of _END_WORDS: only the lines that hold one are tested (extractors.linescan).
_ROW1 = re.compile(r"NAMES?\s+OF\s+REPORTING\s+PERSONS?", re.I)
_ITEM_HEAD = re.compile(r"^\s*(?:\|\s*)?ITEM\s+1\s*[.:\-\u2013\u2014)]?(?:\s|\||$)(?!\s*\()", re.I)
_END_WORDS = required_words(_ROW1, _ITEM_HEAD)

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_ORDINALS = {
    w: i
    for i, w in enumerate(
        "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth "
        "fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split()
    )
}
_ROMAN = {r: i for i, r in enumerate(
    "_ I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX".split()) if i}

_AMEND = re.compile(r"\bAmendment\s*(?:No\b\.?|Number\b|Nos?\.|#)\s*[:.]?(?P<val>[^)\]|\n]{0,30})", re.I)
_AMEND_PAREN = re.compile(r"\(\s*Amendment\s+(?P<val>\d{1,3})\s*\)", re.I)
# "13D/A No. 3" or "13G/A No. 3": an amendment of either schedule
_AMEND_13DA = re.compile(r"13[DG]\s*/\s*A\s*(?:No\b\.?|Number\b|#)\s*[:.]?\s*(?P<val>\d{1,3})\b", re.I)
_AMEND_ORD = re.compile(r"\b(?P<val>" + "|".join(list(_ORDINALS)[1:]) + r")\s+Amendment\b", re.I)
_AMEND_TO_13D = re.compile(
    r"\bAmendment\s*(?:No\b\.?|Number\b|#)\s*(?P<val>\d{1,3})\s+to\s+(?:the\s+|its\s+|their\s+|that\s+)?"
    r"(?:(?:original\s+)?Statement\s+on\s+)?Schedule\s+13D\b",
    re.I,
)
_AMEND_ALL = (_AMEND_PAREN, _AMEND_13DA, _AMEND)
_AMEND_13 = (_AMEND_13DA,)
_SCHEDULE_TO = re.compile(r"^\s*SCHEDULE\s+TO\b(?!\s*(?:the|a)\b)", re.I)
_SCHEDULE_TO_WORDS = required_words(_SCHEDULE_TO)
_SCHEDULE_13DA = re.compile(r"\b13[DG]\s*/\s*A\b", re.I)
_LABEL_AFTER = re.compile(r"^[^:(]{0,60}?:\s*(?P<val>\S.*)$")
_BOUNDARY = re.compile(
    r"\bAmendment\b|Securities\s+Exchange\s+Act|^\s*SCHEDULE\s+13|\bRule\s+13d|Washington|COMMISSION|"
    r"^\s*\(.*\)\s*\*?\s*$|OMB|Expires",
    re.I,
)
_CONNECTOR_END = re.compile(r"(?:,|&|-|\band|\bof|\bthe|\bfor|\bper|\bone|\beach|\bwith)\s*$", re.I)
_CONNECTOR_REACH = end_reach(_CONNECTOR_END)  # searched only near the end (linescan.search_end)
_RULE = re.compile(r"^[\s\-_=*|~.]*$")
_CELL_SPLIT = re.compile(r"\s*\|\s*")
# Compiled once here rather than looked up in re's cache on every call.
_RULE_RUN = re.compile(r"_{2,}|-{3,}")
_AMEND_LEAD = re.compile(r"^[\s_*\[(:.#]+")
_AMEND_DIGITS = re.compile(r"[_\s]*([0-9]{1,3})(?![0-9])")
_AMEND_WORD = re.compile(r"[_\s]*([A-Za-z]+)")
_AMENDED = re.compile(r"Amended|Restated", re.I)
_ITEM_WORD = re.compile(r"ITEM\b", re.I)


def _fold(parts: list[str]) -> str | None:
    text = " ".join(p for p in parts if p)
    text = _CELL_SPLIT.sub(" ", text)
    text = _RULE_RUN.sub(" ", text)
    text = " ".join(text.split()).strip(" *")
    return text or None


def _front_end(lines: list[str]) -> int:
    """Index of the first line after the front page (cover row 1 or Item 1), at most FRONT_MAX_LINES."""
    n = min(len(lines), FRONT_MAX_LINES)
    for i in line_text(lines).lines_with(_END_WORDS, stop=n):
        line = lines[i]
        # _ROW1 holds "reporting": an ASCII line without it cannot match (a case-blind search costs more).
        if ((not line.isascii() or "reporting" in line.lower()) and _ROW1.search(line)) or _ITEM_HEAD.match(line):
            return i
    return n


def _value_for_caption(
    lines: list[str], idx: int, m: re.Match[str], *, continuation: bool, max_lines: int = 3, strict_join: bool = False
) -> str | None:
    """The value a caption labels: after it ('LABEL: value'), before it in the same cell row, or above."""
    line = lines[idx]
    start = m.start()
    opened = line.rfind("(", 0, start + 1)
    in_parens = opened >= 0 and not line[opened + 1 : start].strip()
    cap_start = opened if in_parens else start
    if not in_parens:
        tail = line[m.end() :]
        lm = _LABEL_AFTER.match(tail) if ":" in tail else None
        if lm and lm.group("val").strip(" _-|"):
            parts = [lm.group("val")]
            if continuation:
                parts += _continuation_below(lines, idx)
            return _fold(parts)
        if ":" in tail and not tail.split(":", 1)[1].strip(" _-|"):
            below = _next_value_line(lines, idx)
            if below is not None:
                return _fold([below])
    before = line[:cap_start]
    if "|" in before and before.strip(" |\t"):
        return _fold([_CELL_SPLIT.split(before.strip(" |\t"))[-1]])
    if before.strip() and len(before) - len(before.rstrip()) < 3:
        return _fold([before])
    cols = col_of(line, cap_start) if in_parens else None
    cell = cell_of(line, cap_start)
    block = value_block_above(lines, idx, cols, max_lines=max_lines, cell=cell)
    if not block:
        return None
    texts = [t for _, t in block]
    if strict_join:
        # Only a wrapped value continues upward: a name broken after a connector or before a
        # lower-case word. Anything else above it is another paragraph of the heading.
        top = 0
        while top < len(block) - 1 and not (
            texts[top + 1][:1].islower()
            or search_end(_CONNECTOR_END, _CONNECTOR_REACH, texts[top])
            or _indented(lines[block[top][0]])
        ):
            top += 1
        texts = texts[top:]
    if cols is None and cell is None and len(block) == 1:
        texts = _extend_up(lines, block[0][0], texts)
    return _fold(texts)


def _indented(raw: str) -> bool:
    """Plain-text covers centre their values with spaces; HTML lines come out flush left."""
    return len(raw) - len(raw.lstrip(" ")) >= 2


def _extend_up(lines: list[str], top: int, texts: list[str]) -> list[str]:
    """HTML puts blank lines between paragraphs: join a value that a paragraph break split in two."""
    j = top - 1
    while j >= 0 and not lines[j].strip():
        j -= 1
    if j < 0 or j == top - 1 or top - j > 2:
        return texts
    above = lines[j].strip()
    if _BOUNDARY.search(above) or _RULE.match(above) or len(above) > 120:
        return texts
    if texts[0][:1].islower() or search_end(_CONNECTOR_END, _CONNECTOR_REACH, above):
        return [above, *texts]
    return texts


def _continuation_below(lines: list[str], idx: int) -> list[str]:
    out = []
    for j in range(idx + 1, min(idx + 3, len(lines))):
        text = lines[j].strip()
        if not text or ":" in text or _RULE.match(text) or text.startswith("("):
            break
        out.append(text)
    return out


def _next_value_line(lines: list[str], idx: int) -> str | None:
    for j in range(idx + 1, min(idx + 4, len(lines))):
        text = lines[j].strip()
        if text and not _RULE.match(text):
            return None if text.startswith("(") else text
    return None


def _event_date(lines: list[str], idx: int, m: re.Match[str]) -> dt.date | None:
    value = _value_for_caption(lines, idx, m, continuation=False, max_lines=2)
    d = parse_date(value) if value else None
    if d is None:
        # Label style with the date on the caption's own line after the words ('... FILING: date').
        d = parse_date(lines[idx][m.end() :])
    if d is None:
        for j in range(idx + 1, min(idx + 3, len(lines))):
            text = lines[j].strip()
            if text.startswith("(") or len(text) > 60:
                break
            d = parse_date(text)
            if d:
                break
    if d is not None and not (1960 <= d.year <= 2100):
        return None
    return d


def _amendment_value(val: str) -> tuple[int | None, bool]:
    """(number, printed) from the text after 'Amendment No.'; printed is False for a blank."""
    s = _AMEND_LEAD.sub("", val)
    m = _AMEND_DIGITS.match(s)
    if m:
        return int(m.group(1)), True
    tok = _AMEND_WORD.match(s)
    if tok:
        word = tok.group(1)
        if word.lower() in _NUMBER_WORDS:
            return _NUMBER_WORDS[word.lower()], True
        if word.lower() in _ORDINALS:
            return _ORDINALS[word.lower()], True
        if word.upper() in _ROMAN and (len(word) > 1 or word in ("I", "V", "X")):
            return _ROMAN[word.upper()], True
        if word == "l":  # typed letter l for the digit 1
            return 1, True
        return None, False
    return None, False


def _amendment(lines: list[str], front: list[str], warnings: list[str]) -> tuple[int | None, bool | None]:
    """Amendment number printed on the front page (``front``, the top of ``lines``), and whether the
    page says it is an amendment."""
    head = lines[: min(len(lines), FRONT_MAX_LINES)]
    # Only a line that holds the pattern's word can match it (extractors.linescan).
    stop = min(len(front), 80)
    is_to = any(_SCHEDULE_TO.match(lines[i]) for i in line_text(lines).lines_with(_SCHEDULE_TO_WORDS, stop=stop))
    if is_to:
        # A Schedule TO that also amends a 13D (General Instruction G) states the 13D number in its
        # text; its cover's 'Amendment No.' counts Schedule TO amendments.
        for line in head:
            m = _AMEND_TO_13D.search(line)
            if m:
                return int(m.group("val")), True
        warnings.append("amendment_number_unknown: Schedule TO cover; no 'Amendment No. N to the Schedule 13D' found")
        return None, True
    blank_seen = False
    zero_seen = False  # "Amendment No. 0" on an original filing: printed, so 0 (unless a number follows)
    for line in front:
        # Each pattern below holds "Amendment" or "13": an ASCII line with neither matches none. No
        # letter of "Amendment" has a non-ASCII look-alike under re.I or lower() (extractors.linescan),
        # so a line of any script whose lower case lacks the word matches none of the patterns that
        # hold it, and is not searched with them (the ordinal one costs ~50 ns a character).
        worded = "amendment" in line.lower()
        if line.isascii() and "13" not in line and not worded:
            continue
        for rx in _AMEND_ALL if worded else _AMEND_13:
            for m in rx.finditer(line):
                num, printed = _amendment_value(m.group("val"))
                if printed and num is not None and num > 0:
                    return num, True
                if printed and num == 0:
                    zero_seen = True
                elif rx is _AMEND:
                    blank_seen = True
        m = _AMEND_ORD.search(line) if worded else None
        if m and not _AMENDED.search(line[m.end() : m.end() + 20]):
            return _ORDINALS[m.group("val").lower()], True
    if zero_seen:
        return 0, False
    if blank_seen:
        return None, False
    if any(_SCHEDULE_13DA.search(line) for line in front[:60]):
        return None, True
    return None, None


def parse_front_page(lines: list[str]) -> tuple[dict[str, Any], list[str]]:
    """Filing-level fields of the front page, and warnings about what could not be read.

    Fields: issuer_name, security_title, cusip, cusip_raw, cusips, event_date, amendment_number,
    is_amendment (True/False when the page says so, None when it does not).
    """
    warnings: list[str] = []
    end = _front_end(lines)
    front = lines[:end]
    fields: dict[str, Any] = {
        "issuer_name": None,
        "security_title": None,
        "cusip": None,
        "cusip_raw": None,
        "cusips": [],
        "event_date": None,
        "amendment_number": None,
        "is_amendment": None,
    }
    cusip_caption_line: int | None = None
    for idx, line in enumerate(front):
        if line.isascii() and not _may_hold_caption(line.lower()):
            continue
        if fields["issuer_name"] is None:
            m = _ISSUER_CAP.search(line)
            if m:
                fields["issuer_name"] = _value_for_caption(
                    front, idx, m, continuation=False, max_lines=2, strict_join=True
                )
        if fields["security_title"] is None:
            m = _TITLE_CAP.search(line)
            if m:
                fields["security_title"] = _value_for_caption(front, idx, m, continuation=True)
        if fields["event_date"] is None:
            m = _EVENT_CAP.search(line)
            if m:
                fields["event_date"] = _event_date(front, idx, m)
        if cusip_caption_line is None and _CUSIP_CAP.search(line):
            cusip_caption_line = idx

    fields["amendment_number"], fields["is_amendment"] = _amendment(lines, front, warnings)

    _cusip_fields(lines, front, cusip_caption_line, fields, warnings)

    if fields["event_date"] is None:
        fields["event_date"] = _date_under_title(front)
    if fields["issuer_name"] is None:
        fields["issuer_name"] = _issuer_in_item_1(lines, end)
    if fields["event_date"] is None:
        warnings.append("event_date_missing: no date found at the front page's 'Date of Event' caption")
    if fields["issuer_name"] is None:
        warnings.append("issuer_name_missing: no '(Name of Issuer)' caption or label on the front page")
    return fields, warnings


_SCHEDULE_TITLE = re.compile(r"^\s*SCHEDULE\s+13\s*[DG]\b", re.I)
_PAREN_ONLY = re.compile(r"^\s*\(\s*(?P<val>[^()]{6,30})\s*\)\s*$")
# A 13G's Item 1(a): "Item 1(a). Name of Issuer:" with the name after it or on the next line.
_ITEM_1A_ISSUER = re.compile(
    r"^\s*(?:\|\s*)?ITEM\s*1\s*\(\s*a\s*\)\s*[.:\-]?\s*(?:\|\s*)?Name\s+of\s+(?:the\s+)?Issuer\s*[:.\-]?\s*(?:\|\s*)?(?P<val>.*)$",
    re.I,
)


def _date_under_title(front: list[str]) -> dt.date | None:
    """The condensed layouts of large filers (Dimensional Fund Advisors) print no 'Date of Event'
    caption, only the date in parentheses right under the title ('SCHEDULE 13G' / '(12/31/2000)')."""
    for idx, line in enumerate(front[:40]):
        if not _SCHEDULE_TITLE.match(line):
            continue
        seen = 0
        for below in front[idx + 1 : idx + 8]:
            if not below.strip():
                continue
            m = _PAREN_ONLY.match(below)
            d = parse_date(m.group("val")) if m else None
            if d is not None and 1960 <= d.year <= 2100:
                return d
            seen += 1
            if seen >= 2:
                break
        return None
    return None


def _issuer_in_item_1(lines: list[str], start: int) -> str | None:
    """A front page with no '(Name of Issuer)' caption (the condensed FMR and Dimensional layouts) names
    the issuer in Item 1(a) of the body."""
    for idx in range(start, min(len(lines), start + 600)):
        line = lines[idx]
        if "1" not in line:
            continue
        m = _ITEM_1A_ISSUER.match(line)
        if not m:
            continue
        value = m.group("val").strip(" |")
        if not value:
            value = next((t.strip(" |") for t in lines[idx + 1 : idx + 4] if t.strip(" |")), "")
        if value and len(value) <= 120 and not _ITEM_WORD.match(value):
            return " ".join(value.split())
        return None
    return None


def _cusip_fields(
    lines: list[str], front: list[str], caption_line: int | None, fields: dict[str, Any], warnings: list[str]
) -> None:
    cands = scan_cusips(lines)
    end = len(front)
    front_cands = [c for c in cands if c.line < end]
    valid = [c for c in cands if c.cusip]
    seen: list[str] = []
    for c in valid:
        if c.cusip not in seen:
            seen.append(c.cusip)
    # The front page's own CUSIP first; then the cover pages' 'CUSIP No.' headers.
    primary = next((c for c in front_cands if c.cusip and c.captioned), None)
    primary = primary or next((c for c in front_cands if c.cusip), None) or (valid[0] if valid else None)
    if primary is not None:
        seen.remove(primary.cusip)
        seen.insert(0, primary.cusip)
        fields["cusip"], fields["cusip_raw"] = primary.cusip, primary.raw
    else:
        printed = next((c for c in front_cands if c.captioned), None) or (cands[0] if cands else None)
        if printed is not None:
            fields["cusip_raw"] = printed.raw
            warnings.append(f"cusip_invalid: {printed.raw!r} fails the CUSIP check digit")
        elif caption_line is not None:
            block = value_block_above(front, caption_line)
            text = _fold([t for _, t in block])
            if text and len(text) <= 40:
                fields["cusip_raw"] = text
                # printed in groups the scanner does not take for a CUSIP ("33743 H 204"), yet one under
                # its own caption: valid when its check digit is
                valid_caption = normalize_cusip(text)
                if valid_caption is not None:
                    fields["cusip"] = valid_caption
                    seen.insert(0, valid_caption)
    fields["cusips"] = seen


__all__ = ["FRONT_MAX_LINES", "parse_front_page"]
