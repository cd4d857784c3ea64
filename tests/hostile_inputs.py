"""Hostile filings, generated: inputs built to make a careless parser hang, thrash or blow up memory.

Each case is a function of a target size in bytes, so the same case can be fed at a few hundred
kilobytes in the test suite and at megabytes in ``bench.hostile_bench``, where the time at one size and
at four times it shows whether the cost grows faster than the input. Every case is wrapped in the envelope EDGAR
really uses (``<SEC-DOCUMENT>``/``<SEC-HEADER>``/``<DOCUMENT>``) so it reaches the code a nightly run
would feed it to, not only the first gate.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

ACCESSION = "0009999999-25-000666"


def envelope(body: bytes, form: str = "SC 13D", doc_type: str | None = None, close: bool = True) -> bytes:
    """A full submission around one document body, the way EDGAR serves it."""
    head = (
        f"<SEC-DOCUMENT>{ACCESSION}.txt : 20250102\n<SEC-HEADER>{ACCESSION}.hdr.sgml : 20250102\n"
        f"ACCESSION NUMBER:\t\t{ACCESSION}\nCONFORMED SUBMISSION TYPE:\t{form}\nPUBLIC DOCUMENT COUNT:\t\t1\n"
        "FILED AS OF DATE:\t\t20250102\n\nSUBJECT COMPANY:\t\n\n\tCOMPANY DATA:\t\n"
        "\t\tCOMPANY CONFORMED NAME:\t\t\tHOSTILE INPUTS INC\n\t\tCENTRAL INDEX KEY:\t\t\t0009999999\n"
        "</SEC-HEADER>\n"
    ).encode()
    doc = f"<DOCUMENT>\n<TYPE>{doc_type or form}\n<SEQUENCE>1\n<FILENAME>d1.txt\n<TEXT>\n".encode() + body
    if close:
        doc += b"\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"
    return head + doc


_TITLE = b"SCHEDULE 13D\n(Amendment No. 1)\nHOSTILE INPUTS INC\n(Name of Issuer)\nCUSIP No. 805423100\n"


class _Times:
    """``unit * _times(size)``: as many repetitions of ``unit`` as fit in ``size`` bytes."""

    def __init__(self, size: int) -> None:
        self.size = size

    def __rmul__(self, unit: bytes) -> bytes:
        return unit * max(1, self.size // max(1, len(unit)))


def _times(size: int) -> _Times:
    return _Times(size)


def _text(body: bytes) -> bytes:
    return envelope(_TITLE + body)


def _html(body: bytes) -> bytes:
    return envelope(b"<html><body><p>SCHEDULE 13D</p><p>CUSIP No. 805423100</p>" + body + b"</body></html>")


CASES: dict[str, Callable[[int], bytes]] = {
    # <XML> then white space and no </XML>: an end pattern that starts with \s* backtracks at every byte.
    "xml_unclosed_whitespace": lambda n: envelope(b"<XML>" + b" \n" * _times(n), form="SCHEDULE 13D", close=False),
    # Thousands of <DOCUMENT> blocks, none closed: searching for the close tag from each one is quadratic.
    "documents_unclosed": lambda n: envelope(b"x") + b"<DOCUMENT>\n<TYPE>EX-99\n<TEXT>\nexhibit\n" * _times(n),
    "documents_closed": lambda n: envelope(b"x")
    + b"<DOCUMENT>\n<TYPE>EX-99\n<TEXT>\nexhibit\n</TEXT>\n</DOCUMENT>\n" * _times(n),
    "documents_lowercase_unclosed": lambda n: envelope(b"x") + b"<document>\n<type>EX-99\n<text>\nexhibit\n" * _times(n),
    # <TEXT> and then megabytes with no </TEXT>.
    "text_unclosed": lambda n: envelope(_TITLE + b"7 SOLE VOTING POWER 1,000\n" * _times(n), close=False),
    # Line ends only: a file of carriage returns.
    "carriage_returns": lambda n: _text(b"\r" * _times(n)),
    # A header that never ends.
    "header_endless": lambda n: b"<SEC-DOCUMENT>\n<SEC-HEADER>\n" + b"GROUP MEMBERS:\t\tSOMEONE LLC\n" * _times(n),
    # The text document as one giant line, full of label words.
    "one_line_labels": lambda n: _text(b"1 NAME OF REPORTING PERSON  2 CHECK THE APPROPRIATE BOX  " * _times(n)),
    # Cover-page labels on lines, repeated far beyond any real filing.
    "labels_repeated": lambda n: _text(
        b"1 NAME OF REPORTING PERSON\nACME LP\n2 CHECK THE APPROPRIATE BOX IF A MEMBER OF A GROUP (a) [ ]\n"
        b"3 SEC USE ONLY\n4 SOURCE OF FUNDS\nWC\n7 SOLE VOTING POWER\n1,000\n13 PERCENT OF CLASS\n5.1%\n" * _times(n)
    ),
    # Dangling label starts on every line ("2. CHECK" / next line) make the reader join lines.
    "dangling_labels": lambda n: _text(b"2. CHECK\nTHE\nSOLE\nSHARED\nAGGREGATE\nPERCENT OF\n" * _times(n)),
    # Long runs of white space and separators inside one line.
    "space_runs": lambda n: _text(b"7 SOLE VOTING POWER" + b" " * _times(n) + b"1,000\n"),
    "rule_runs": lambda n: _text(b"-" * _times(n) + b"\n" + b"_" * _times(n) + b"2. CHECK\n"),
    # Digits, commas and percent signs that every number reader tries.
    "number_soup": lambda n: _text(b"11 AGGREGATE AMOUNT BENEFICIALLY OWNED " + b"1,234," * _times(n) + b"\n"),
    "percent_soup": lambda n: _text(b"13 PERCENT OF CLASS " + b"9.9% 9.9 percent " * _times(n) + b"\n"),
    "date_soup": lambda n: _text(b"Date of Event: " + b"January 1, 1994 1/2/94 " * _times(n) + b"\n"),
    "cusip_soup": lambda n: _text(b"CUSIP No. " + b"805423 10 0 " * _times(n) + b"\n"),
    "parentheses": lambda n: _text(b"1 NAME OF REPORTING PERSON (" * _times(n) + b"\n"),
    "item_headings": lambda n: _text(b"Item 1. Security and Issuer\nItem 2. Identity\n" * _times(n)),
    "signatures": lambda n: _text(b"SIGNATURE\n/s/ /s/ /s/ By: Name: Title: Date: " * _times(n) + b"\n"),
    "page_tags": lambda n: _text(b"<PAGE>\n" * _times(n)),
    # HTML: deep nesting, one row of very many cells, unclosed tags, huge attribute.
    "html_deep_nesting": lambda n: _html(b"<div>" * _times(n) + b"1 NAME OF REPORTING PERSON" + b"</div>" * _times(n)),
    "html_wide_row": lambda n: _html(b"<table><tr>" + b"<td>7 SOLE VOTING POWER</td><td>1,000</td>" * _times(n)
                                     + b"</tr></table>"),
    "html_unclosed": lambda n: _html(b"<table><tr><td><p><font>" * _times(n)),
    "html_attribute": lambda n: _html(b'<p style="' + b"x" * _times(n) + b'">text</p>'),
    "html_wingdings": lambda n: _html(b'<p><font face="Wingdings">' + "ý¨".encode() * _times(n) + b"</font></p>"),
    # XML: many persons, deep nesting, and a prolog full of junk.
    "xml_many_persons": lambda n: envelope(
        b"<XML>\n<?xml version=\"1.0\"?><edgarSubmission xmlns=\"http://www.sec.gov/edgar/schedule13D\">"
        b"<formData><reportingPersons>"
        + b"<reportingPersonInfo><reportingPersonName>A</reportingPersonName>"
        b"<aggregateAmountOwned>1</aggregateAmountOwned></reportingPersonInfo>" * _times(n)
        + b"</reportingPersons></formData></edgarSubmission>\n</XML>", form="SCHEDULE 13D"),
    "xml_deep_nesting": lambda n: envelope(
        b"<XML>\n<edgarSubmission>" + b"<a>" * _times(n) + b"</a>" * _times(n) + b"</edgarSubmission>\n</XML>",
        form="SCHEDULE 13D"),
    "xml_billion_laughs": lambda n: envelope(
        b'<XML>\n<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(f'<!ENTITY lol{i} "{"&lol;" * 10 if i == 1 else f"&lol{i - 1};" * 10}">'.encode()
                   for i in range(1, 10))
        + b"]><edgarSubmission>&lol9;</edgarSubmission>\n</XML>", form="SCHEDULE 13D"),
}


def hostile_filings(size: int) -> dict[str, bytes]:
    """Every case at about ``size`` bytes."""
    return {name: make(size) for name, make in CASES.items()}


@dataclass(frozen=True)
class Measured:
    """One case at one size: the best seconds of the rounds (the least disturbed by other work), peak traced bytes, input bytes, and the
    outcome: ``ok``, an ExtractionError reason, ``ESCAPED <type>`` or ``HUNG``."""

    seconds: float
    peak_bytes: int
    input_bytes: int
    outcome: str


def _measure_child(name: str, size: int, rounds: int, conn) -> None:
    from extractors.model import ExtractionError
    from extractors.parse import parse_filing

    data = CASES[name](size)
    times, outcome = [], "ok"
    for _ in range(rounds):
        t0 = time.perf_counter()
        try:
            parse_filing(data)
        except ExtractionError as exc:
            outcome = exc.reason
        except Exception as exc:  # anything else escaping parse_filing is what the callers look for
            outcome = f"ESCAPED {type(exc).__name__}: {exc}"
        times.append(time.perf_counter() - t0)
    tracemalloc.start()
    with contextlib.suppress(Exception):
        parse_filing(data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    conn.send(Measured(min(times), peak, len(data), outcome))


def measure_case(name: str, size: int, rounds: int = 3, timeout: float = 60.0) -> Measured:
    """Parse one case in a forked child: a hang is cut off after ``timeout`` seconds and reported as
    ``HUNG`` instead of hanging the caller, and one case's memory cannot hide in another's."""
    ctx = mp.get_context("fork")
    here, there = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_measure_child, args=(name, size, rounds, there))
    child.start()
    try:
        if not here.poll(timeout):
            return Measured(float("inf"), 0, size, f"HUNG after {timeout:.0f} s")
        return here.recv()
    finally:
        child.kill()
        child.join()
