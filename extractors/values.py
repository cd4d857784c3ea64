"""Read the values printed in the rows of a Schedule 13D cover page.

These helpers take the text a filer printed in one row (after the row's label has been removed) and
turn it into a typed value. They are pure and strict on purpose: the value must *start* with what
it claims to be. A number found somewhere inside prose ("Rows (7) through (11) are to be completed")
is not a share count, and a word in a label ("SEE INSTRUCTIONS") is not a reporting-person code.

Conventions (``shared/labels/README.md``): a printed zero (``0``, ``-0-``, ``None``, ``Nil``, a lone
dash) is 0; a blank row or ``N/A`` is None. Footnote marks after a value are not part of it.
Anything that cannot be read as a single value (``See Item 5``, a range, ``Less than 1%``) gives
None and a warning, rather than a guess that a user could not tell from a printed number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Dashes filers type around a zero ("-0-", "- 0 -", "—0—") or alone for "nothing".
_DASH = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212~"
_D = f"[{_DASH}]"

# Words in front of a number that do not change its meaning.
_LEAD_WORDS = re.compile(r"^(?:approx(?:imately|\.)?|about|aggregate(?:\s+of)?|total(?:\s+of)?|an?)\s+", re.I)
# Footnote marks and punctuation that may precede a value: "*", "†", ":" after a label.
_LEAD_JUNK = re.compile(r"^[\s:*†‡§#¹²³⁴⁵⁶⁷⁸⁹⁰=]+")
_ZERO_WORDS = re.compile(
    rf"^(?:{_D}*\s*0+(?:\.0+)?\s*{_D}*|{_D}+|none\.?|nil\.?|zero)(?![\w,.]*\d)(?:\s|$|[*(\[%/.;,†‡])",
    re.I,
)
_BLANK_WORDS = re.compile(
    r"^(?:n\s*/\s*a\b\.?|n\.a\.|na\b|not\s+applicable|inapplicable|not\s+available|\(?blank\)?)", re.I
)
# A share count: digits grouped by commas (or spaces, or dots in European print), or plain digits,
# with optional decimals. Groups of exactly three digits after the first keep a footnote digit that
# is glued on ("3,466,1181") out of the number.
_NUMBER = re.compile(
    r"^\$?(\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3}){2,}|\d{1,3}(?:[ \u00a0\u2009]\d{3})+(?![\d,])|\d+)(\.\d+)?"
)
_RANGE_AFTER = re.compile(rf"^\s*(?:{_D}|to\b|and\b|or\b)\s*\$?\d", re.I)
_REFERENCE = re.compile(r"^(?:\(?\s*see\b|\(?\s*refer|\*+\s*$|as\s+(?:set\s+forth|described))", re.I)


_DASH_SEPARATOR = re.compile(rf"^{_D}+\s+(?=[1-9.])")
# A value printed after a short label of its own ("Ariel: 3,098,947", the person's short name or a class
# name): the label is not part of the value.
_LEAD_LABEL = re.compile(r"^[A-Z][A-Za-z&.,'\- ]{0,40}?:\s*(?=[$\d.])")
# A percent printed with its computation ("3,355,502/61,145,088=5.5%"): the result is the value.
_COMPUTED = re.compile(r"^[\d,.\s]+/\s*[\d,.\s]+=\s*(?=[\d.])")
# A number framed by dashes as a zero is ("-3,416,000-", "- 12.5% -"): the leading dash is no sign.
_DASH_FRAME = re.compile(rf"^{_D}\s*(?=\d[\d,.]*\s*%?\s*{_D}(?:\s|$))")


def _clean_lead(text: str) -> str:
    text = _LEAD_JUNK.sub("", text.strip())
    text = _DASH_SEPARATOR.sub("", text)
    text = _DASH_FRAME.sub("", text)
    text = _LEAD_LABEL.sub("", text)
    prev = None
    while prev != text:
        prev = text
        text = _LEAD_WORDS.sub("", text).lstrip()
    return text


def parse_share_count(text: str | None, warnings: list[str] | None = None) -> float | None:
    """A share count printed in rows 7 to 11, or None when none is printed.

    ``22,149,036 shares of Common Stock`` -> 22149036; ``-0-``/``None``/``Nil``/``-`` -> 0;
    ``N/A`` or blank -> None; ``181,078(a)``, ``4,264,210**``, ``1,234,567 (1)`` -> the number (the
    marks are footnotes). ``See Item 5`` or a range gives None and appends a warning to ``warnings``.
    """
    if text is None:
        return None
    t = _clean_lead(text)
    if not t or not any(c.isalnum() for c in t):
        if t and set(t) <= set(_DASH + " ") and t.strip():
            return 0.0  # a lone dash printed where the number goes
        return None
    if _BLANK_WORDS.match(t):
        return None
    m = _NUMBER.match(t)
    if m:
        rest = t[m.end() :]
        if _RANGE_AFTER.match(rest):
            _warn(warnings, f"share_count_range: {t[:60]!r}")
            return None
        digits = m.group(1).replace(",", "").replace(" ", "").replace("\u00a0", "").replace("\u2009", "")
        if "." in m.group(1):  # 1.234.567: European thousands separators
            digits = digits.replace(".", "")
        value = float(digits + (m.group(2) or ""))
        if rest[:1].isdigit():
            _warn(warnings, f"share_count_trailing_digits: {t[:60]!r}")
        return value
    if _ZERO_WORDS.match(t + " "):
        return 0.0
    _warn(warnings, f"share_count_unreadable: {t[:60]!r}")
    return None


_PCT_NUMBER = re.compile(r"^(\d+(?:\.\d*)?|\.\d+)(?:\s*%|\s*percent\b)?", re.I)
_PCT_BOUND = re.compile(r"^(?:less\s+than|under|below|fewer\s+than|<|not\s+more\s+than|up\s+to|more\s+than|greater\s+than|>)\s*", re.I)


def parse_percent(text: str | None, warnings: list[str] | None = None) -> float | None:
    """The percent of class printed in row 13, without the ``%`` sign (17.0 for "17.0%").

    ``.5%`` -> 0.5; ``-0-%`` / ``0%`` / ``None`` -> 0; ``N/A`` / blank -> None. A bound such as
    ``Less than 1%`` is not a value: it gives None and a ``percent_bound`` warning that keeps the text,
    so a reader of the table never mistakes a ceiling for a holding.
    """
    if text is None:
        return None
    t = _COMPUTED.sub("", _clean_lead(text))
    if not t:
        return None
    if _BLANK_WORDS.match(t):
        return None
    b = _PCT_BOUND.match(t)
    if b and (t[b.end() :][:1].isdigit() or t[b.end() :][:1] == "."):
        _warn(warnings, f"percent_bound: {t[:40]!r}")
        return None
    m = _PCT_NUMBER.match(t)
    if m:
        rest = t[m.end() :]
        if _RANGE_AFTER.match(rest):
            _warn(warnings, f"percent_range: {t[:40]!r}")
            return None
        return float(m.group(1))
    if _ZERO_WORDS.match(t + " "):
        return 0.0
    _warn(warnings, f"percent_unreadable: {t[:40]!r}")
    return None


# Words that may sit between codes without meaning the text has turned into prose.
_CODE_GLUE = frozenset({"AND", "SEE", "ITEM", "ITEMS", "INSTRUCTIONS", "INSTRUCTION", "ALSO", "NOTE", "ROW"})
_TOKEN = re.compile(r"[A-Za-z0-9]+|\(|\)")
# A token of letters only, one or three and more long: a text holding one is not all codes.
_NOT_CODE_LENGTH = re.compile(r"(?<![A-Za-z0-9])(?:[A-Za-z]|[A-Za-z]{3,})(?![A-Za-z0-9])")


def parse_codes(text: str | None, allowed: Iterable[str]) -> list[str]:
    """The codes printed in row 4 (source of funds) or row 14 (type of reporting person).

    Codes are two-letter upper-case tokens from ``allowed``; ``00`` (zeros) is read as ``OO``.
    Reading stops at the first prose word, so a code-like word inside a sentence ("... IN THE
    AGGREGATE") is not taken, while codes in parentheses ("Corporation (CO)") still are.
    ``N/A``, ``Not applicable``, ``No funds involved`` give [].
    """
    if not text:
        return []
    allowed_set = allowed if isinstance(allowed, frozenset) else frozenset(allowed)
    out: list[str] = []
    depth = 0
    prose = False
    # A whole value written in lower case ("pf, af") is still codes; lower-case inside prose is not.
    lower_ok = _NOT_CODE_LENGTH.search(text) is None
    tokens = _TOKEN.finditer(text)
    m = next(tokens, None)
    while m is not None:
        nxt = next(tokens, None)
        tok = m.group(0)
        if tok == "(":
            depth += 1
        elif tok == ")":
            depth = max(0, depth - 1)
        else:
            code = tok.upper() if (tok.isupper() or lower_ok) else tok
            if len(code) == 2 and set(code) <= {"0", "O"}:
                code = "OO"
            if code in allowed_set:
                # "... IN THE STATEMENT": a code-like word running into prose is a word.
                gap = text[m.end() : nxt.start()] if nxt is not None else ""
                runs_on = nxt is not None and _is_prose(nxt.group(0)) and bool(gap) and set(gap) <= {" "}
                if (not prose or depth > 0) and not (runs_on and depth == 0) and code not in out:
                    out.append(code)
            elif depth == 0 and _is_prose(tok):
                prose = True
                if "(" not in text[m.end() :]:
                    break  # in prose, only a code in parentheses is taken, and none follows
        m = nxt
    return out


def _is_prose(tok: str) -> bool:
    return tok.isalpha() and len(tok) >= 3 and tok.upper() not in _CODE_GLUE


# Check marks: a box with an X or tick inside, a ballot glyph, or a lone x where a box would be.
# Plain-text filings typed in the Wingdings font keep its Latin-1 code points: ý (0xFD) and þ (0xFE)
# draw checked boxes, ¨ (0xA8) and o an empty one; alone, never inside a word.
_CHECKED = re.compile(
    r"[☒☑✓✔✗✘⌧⊠■▣√]|[\[(|/{<]\s*[xX✓✔√]\s*[\])|/}>]|(?<![A-Za-z0-9'’])[xXýþ](?![A-Za-z0-9'’])"
)
_EMPTY = re.compile(r"[☐□❑❒▢◻¨]|[\[(|/{]\s*[_\-\s]*\s*[\])|/}]|_{2,}|(?<![A-Za-z])o(?![A-Za-z])")


def box_state(text: str | None) -> bool | None:
    """True when the text shows a checked box, False for an empty box only, None when neither."""
    if not text:
        return None
    if _CHECKED.search(text):
        return True
    if _EMPTY.search(text):
        return False
    return None


def is_checked(text: str | None) -> bool:
    """True when the text shows a check mark (|X|, [X], (X), x, ☒, ✓, ☑ ...)."""
    return box_state(text) is True


_GROUP_MARK = re.compile(r"(?<![A-Za-z0-9])\(?\s*([abAB])\s*\.?\s*\)\s*:?|(?<![A-Za-z0-9(])([abAB])[.:](?=\s|$)")


def parse_group_boxes(text: str | None) -> str | None:
    """Row 2: 'a' or 'b' for the box that is checked, None when neither (or both) are.

    The mark usually follows its letter (``(a) |X|``); when every box precedes its letter
    (``☒ (a) ☐ (b)``) that order is used instead.
    """
    if not text:
        return None
    marks = list(_GROUP_MARK.finditer(text))
    if not marks:
        return None
    letters = [(m.group(1) or m.group(2)).lower() for m in marks]
    after: dict[str, str] = {}
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        after.setdefault(letters[i], text[m.end() : end])
    last = letters[-1]
    if box_state(text[: marks[0].start()]) is not None and box_state(after.get(last)) is None:
        # Boxes printed before their letters: "☒ (a)  ☐ (b)".
        before: dict[str, str] = {}
        for i, m in enumerate(marks):
            start = marks[i - 1].end() if i > 0 else 0
            before.setdefault(letters[i], text[start : m.start()])
        checked = [k for k in ("a", "b") if is_checked(before.get(k))]
    else:
        checked = [k for k in ("a", "b") if is_checked(after.get(k))]
    return checked[0] if len(checked) == 1 else None


def _warn(warnings: list[str] | None, message: str) -> None:
    if warnings is not None:
        warnings.append(message)


# --- a row's value, read by the row's type ---------------------------------------------------------
# The readers below take the text printed after a row's label (its suffix already cut) and skip what
# cannot be the value before reading it: a reference in parentheses in front of it ("(see Item 5)
# 9.9%"), the next row's number or side-label words after it ("Delaware 7", "USA NUMBER OF SHARES").

_LEAD_REFERENCE = re.compile(r"^\s*(?:\(\s*(?:see|refer|as\s+to|includes?|note)\b[^()]{0,80}\)\s*)+", re.I)


def read_share_count(text: str | None, warnings: list[str] | None = None) -> float | None:
    """Rows 7 to 11 (13D): a share count or a printed zero; see :func:`parse_share_count`."""
    if text is None:
        return None
    rest = _LEAD_REFERENCE.sub("", text)
    return parse_share_count(rest if rest.strip() else text, warnings)


def read_percent(text: str | None, warnings: list[str] | None = None) -> float | None:
    """Row 13 (13D): a percent of class; see :func:`parse_percent`."""
    if text is None:
        return None
    rest = _LEAD_REFERENCE.sub("", text)
    return parse_percent(rest if rest.strip() else text, warnings)


# Side-label words, row numbers and page furniture that end up after the place's name.
_PLACE_TRAIL = re.compile(
    r"(?:[\s,;:|*]+(?:\(\s*\d{1,2}\s*\)|\d{1,3}[.)]?|number|no\.|of|shares?|beneficially|beneficial|owned|by|each"
    r"|reporting|persons?|with|see\s+instructions?|\(\s*see\s+instructions?\s*\)))+\s*$",
    re.I,
)
_PLACE_LEAD = re.compile(r"^(?:[\s:;,|*.\-\u2013\u2014]+|\(\s*see\s+instructions?\s*\)\s*)+", re.I)


def read_place(text: str | None, name: str | None = None, warnings: list[str] | None = None) -> str | None:
    """Row 6 (13D): the citizenship or place of organization as printed, without what cannot be a
    place: a trailing row or page number, side-label words, the person's name printed in front
    ("First Union Corporation - North Carolina"). A row with nothing left is None and says so."""
    if not text:
        return None
    t = re.sub(r"\s+", " ", text).strip()
    if name and len(name) > 3 and t.lower().startswith(name.lower()):
        after = t[len(name) :]
        if re.match(r"^\s*[-\u2013\u2014:,]", after):
            t = after
    bare = re.sub(r"\s*\([^()]*\)?", " ", t).strip()  # "(For questions 5-8, report ...)", "(exempted company)"
    if any(ch.isalpha() for ch in bare):
        t = bare
    t = re.sub(r"^(?:\(?\d{1,2}[.)]?\s+)+(?=[A-Za-z])", "", t)  # "4 Massachusetts": a row number in front
    t = _PLACE_TRAIL.sub("", " " + t).strip()
    t = _PLACE_LEAD.sub("", t).strip(" :;,|*_-")
    if not t or not any(ch.isalpha() for ch in t):
        if text.strip(" -_|*:"):
            _warn(warnings, f"citizenship_unreadable: {text.strip()[:40]!r}")
        return None
    return t


_CODE_LIKE = re.compile(r"(?<![A-Za-z0-9.])[A-Z0-9]{2}(?![A-Za-z0-9])")
_NOT_CODES = re.compile(r"^\W*(?:n\s*/\s*a|n\.a\.|na|none|not\s+applicable|inapplicable|no\s+funds.*|see\b.*)\W*$",
                        re.I | re.S)


def read_codes(text: str | None, allowed: Iterable[str], row_number: int,
               warnings: list[str] | None = None) -> list[str]:
    """Rows 4 and 14 (13D): the codes printed, read by :func:`parse_codes`. A two-character
    upper-case token outside the row's set (``XY``, ``LP``) is reported as ``code_not_in_set``;
    text with no code at all (and no "N/A") as ``codes_unreadable``."""
    codes = parse_codes(text, allowed)
    if not text or not text.strip():
        return codes
    allowed_set = frozenset(allowed)
    strangers = [t for t in _CODE_LIKE.findall(text)
                 if t not in allowed_set and not (set(t) <= {"0", "O"}) and not t.isdigit()
                 and t not in _CODE_GLUE]
    if codes and strangers:
        _warn(warnings, f"code_not_in_set: row {row_number} prints {', '.join(dict.fromkeys(strangers))}")
    elif not codes and not _NOT_CODES.match(text):
        if strangers and _only_short(text):
            _warn(warnings, f"code_not_in_set: row {row_number} prints {', '.join(dict.fromkeys(strangers))}")
        else:
            _warn(warnings, f"codes_unreadable: row {row_number} {text.strip()[:40]!r}")
    return codes


def _only_short(text: str) -> bool:
    return all(len(t) <= 3 for t in re.findall(r"[A-Za-z0-9]+", text))
