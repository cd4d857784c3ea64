"""The labelled filings, re-laid out the ways other filers lay out the same cover page, must read the same.

Rules fitted to the labelled files would break on these variants; a general reader does not notice
them. Each variant rewrites every labelled filing (row numbers "(7)" or none, label case, boxes
drawn another way, CR LF line ends, tabs, HTML cells as paragraphs or rows as divisions, one-line
HTML, non-breaking spaces between words) and every scored field (cover rows, CUSIP, amendment number,
event date) must still match its label.

The variants after the first fifteen are layouts seen in ../shared/corpus, ../shared/corpus-13g and
public filings that the labelled set does not print (issue 13): a page break with its page number
between rows 6 and 7, suffixes after the percent label, percents in words, Wingdings boxes saved as
Latin-1 text, rows numbered "Item 7:", "(See Instructions)" after labels, powers worded "sole power
to vote", "CHECK THE APPROPRIATE [LINE]".
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

from bench.accuracy import FILING_FIELDS, PERSON_FIELDS, same
from extractors.parse import parse_filing
from tests.conftest import SHARED

LABELS = sorted((SHARED / "labels").glob("*.json")) if SHARED else []


def _text_era(fn: Callable[[bytes], bytes]) -> Callable[[bytes, str], bytes]:
    return lambda data, name: fn(data) if name.startswith("txt_") else data


def _html_era(fn: Callable[[bytes], bytes]) -> Callable[[bytes, str], bytes]:
    return lambda data, name: fn(data) if name.startswith("html_") else data


def _nbsp_between_words(data: bytes) -> bytes:
    parts = re.split(rb"(<[^>]*>)", data)
    return b"".join(p if p.startswith(b"<") else re.sub(rb"(?<=[A-Za-z,.]) (?=[A-Za-z(])", b"&nbsp;", p)
                    for p in parts)


_LABEL_WORDS = rb"(?i)(sole voting power|shared voting power|sole dispositive power|shared dispositive power|" \
               rb"aggregate amount beneficially owned|percent of class|type of reporting person|source of funds)"

_MONTHS = [b"January", b"February", b"March", b"April", b"May", b"June", b"July", b"August", b"September",
           b"October", b"November", b"December"]


def _numeric_dates(data: bytes) -> bytes:
    """'February 9, 2004' -> '02/09/2004'."""
    return re.sub(rb"(%s) (\d{1,2}), (\d{4})" % b"|".join(_MONTHS),
                  lambda m: b"%02d/%02d/%s" % (_MONTHS.index(m.group(1)) + 1, int(m.group(2)), m.group(3)), data)


# --- layouts found in ../shared/corpus, ../shared/corpus-13g and public filings (issue 13) -----------

_PERCENT_LABEL = rb"(?i)(percent of class represented by amount in row \(?11\)?)"
_ROW7_LINE = re.compile(rb"(?im)^([^\n]*\bsole\s+voting\s+power[^\n]*)$")


def _page_break_before_row_7(data: bytes) -> bytes:
    """A page ends between rows 6 and 7: its number, <PAGE>, and the next page's CUSIP header."""
    return _ROW7_LINE.sub(lambda m: b"\n                                  5\n<PAGE>\nCUSIP No. 000000000"
                          b"                                  Page 6 of 12\n\n" + m.group(1), data)


def _percent_in_words(data: bytes) -> bytes:
    """'13.0%' printed '13.0 percent' (a percent sign on every percent of the cover pages)."""
    return re.sub(rb"(?<=\d)\s?%", b" percent", data)


def _wingdings_latin1(data: bytes) -> bytes:
    """Boxes typed in the Wingdings font and saved as plain text: \xfd (checked), \xa8 (empty)."""
    for checked in (b"|X|", b"[X]", b"[x]", b"(X)", b"/X/", b"|x|"):
        data = data.replace(checked, b"\xfd")
    for empty in (b"|_|", b"[ ]", b"[_]", b"( )", b"/ /", b"|  |", b"[  ]"):
        data = data.replace(empty, b"\xa8")
    return data


def _item_numbered_rows(data: bytes) -> bytes:
    """Dimensional's condensed numbering: "Item  7:    SOLE VOTING POWER" for "7. SOLE VOTING POWER"."""
    return re.sub(rb"(?m)^(\s*)\(?(\d{1,2})[.)]\)?(\s+)(?=[A-Z][A-Za-z]+ )", rb"\1Item \2:\3", data)


def _powers_worded(data: bytes) -> bytes:
    """Rows 7-10 as some 13G filers word them: "SOLE POWER TO VOTE", "SHARED POWER TO DISPOSE"."""
    for kind in (b"sole", b"shared"):
        for old, new in ((b"voting power", b"power to vote"), (b"dispositive power", b"power to dispose")):
            data = re.sub(rb"(?i)\b" + kind + rb"\s+" + old,
                          lambda m, n=kind + b" " + new: n.upper() if m.group(0).isupper() else n, data)
    return data


VARIANTS: dict[str, Callable[[bytes, str], bytes]] = {
    "page break between rows 6 and 7": _text_era(_page_break_before_row_7),
    "percent label suffix (see Item 5)*": lambda d, _: re.sub(_PERCENT_LABEL, rb"\1 (see Item 5)*", d),
    "percent label suffix *\u2020": _html_era(lambda d: re.sub(_PERCENT_LABEL, rb"\1*&#8224;", d)),
    "percents in words": lambda d, _: _percent_in_words(d),
    "Wingdings boxes as Latin-1 text": _text_era(_wingdings_latin1),
    "rows numbered Item N:": _text_era(_item_numbered_rows),
    "powers worded sole power to vote": lambda d, _: _powers_worded(d),
    "CHECK THE APPROPRIATE [LINE]": lambda d, _: re.sub(rb"(?i)(appropriate) box", rb"\1 [LINE]", d),
    "(See Instructions) after every label": _text_era(lambda d: re.sub(
        rb"(?i)(source of funds|type of reporting person|citizenship or place of organization)", rb"\1 (See Instructions)",
        d)),
    "dates as MM/DD/YYYY": lambda d, _: _numeric_dates(d),
    "AMENDMENT NO. in capitals": lambda d, _: d.replace(b"Amendment No.", b"AMENDMENT NO."),
    "Amendment #N": lambda d, _: re.sub(rb"\(Amendment No\. (\d+)\)", rb"(Amendment #\1)", d),
    "row numbers in parentheses": _text_era(
        lambda d: re.sub(rb"(?m)^(\s*)(\d{1,2})\.(\s+)(?=[A-Za-z])", rb"\1(\2)\3", d)),
    "no row numbers": _text_era(lambda d: re.sub(rb"(?m)^(\s*)(\d{1,2})[.)](\s+)(?=[A-Z][A-Za-z])", rb"\1\3   ", d)),
    "labels in title case": lambda d, _: re.sub(_LABEL_WORDS, lambda m: m.group(0).title(), d),
    "labels in capitals": lambda d, _: re.sub(_LABEL_WORDS, lambda m: m.group(0).upper(), d),
    "CR LF line ends": lambda d, _: d.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"),
    "tabs for indentation": _text_era(lambda d: re.sub(rb"(?m)^        ", b"\t", d)),
    "boxes drawn in brackets": lambda d, _: d.replace(b"|X|", b"[X]").replace(b"|_|", b"[ ]"),
    "zero printed as None": lambda d, _: d.replace(b"-0-", b"None"),
    "HTML cells as paragraphs": _html_era(lambda d: re.sub(rb"(?i)<(/?)t[dh]\b", rb"<\1p", d)),
    "HTML rows as divisions": _html_era(lambda d: re.sub(rb"(?i)<(/?)tr\b", rb"<\1div", d)),
    "HTML on one line": _html_era(lambda d: re.sub(rb"\s+", b" ", d)),
    "HTML non-breaking spaces": _html_era(_nbsp_between_words),
}


@pytest.mark.parametrize("variant", list(VARIANTS), ids=list(VARIANTS))
def test_a_labelled_filing_laid_out_differently_reads_the_same(shared_dir, variant):
    misses = []
    for label_path in LABELS:
        name = label_path.name.removesuffix(".json")
        label = json.loads(label_path.read_text())
        data = VARIANTS[variant]((shared_dir / "corpus" / name).read_bytes(), name)
        parsed = parse_filing(data).to_json(name)
        misses += [f"{name} {f}: {parsed['filing'].get(f)!r} != {label['filing'].get(f)!r}"
                   for f in FILING_FIELDS if not same(f, label["filing"].get(f), parsed["filing"].get(f))]
        got, expected = parsed["reporting_persons"], label["reporting_persons"]
        if len(got) != len(expected):
            misses.append(f"{name}: {len(got)} persons, expected {len(expected)}")
            continue
        misses += [f"{name}#{i + 1} {f}: {g.get(f)!r} != {e.get(f)!r}"
                   for i, (e, g) in enumerate(zip(expected, got, strict=True)) for f in PERSON_FIELDS
                   if not same(f, e.get(f), g.get(f))]
    assert misses == []
