"""The labelled filings, re-laid out the ways other filers lay out the same cover page, must read the same.

Rules fitted to the labelled files would break on these variants; a general reader does not notice
them. Each variant rewrites every labelled filing (row numbers "(7)" or none, label case, boxes
drawn another way, CR LF line ends, tabs, HTML cells as paragraphs or rows as divisions, one-line
HTML, non-breaking spaces between words) and every scored field (cover rows, CUSIP, amendment number,
event date) must still match its label.
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


VARIANTS: dict[str, Callable[[bytes, str], bytes]] = {
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
