"""Signature blocks of text and HTML 13Ds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from extractors.signatures import MAX_BLOCKS, parse_signatures
from extractors.textify import document_lines

FRONT = Path(__file__).resolve().parent / "fixtures" / "front"


def sigs_of(name: str) -> list[dict]:
    data = (FRONT / name).read_bytes()
    return parse_signatures(document_lines(data, "html" if name.endswith(".html") else "txt"))


def test_text_blocks_entity_chain_labels_and_side_by_side_date() -> None:
    assert sigs_of("text_body_items.txt") == [
        {"signer": "EXAMPLE PARTNERS, L.P.", "name": "Clifford H. Smith", "title": "Senior Managing Director",
         "date": dt.date(2004, 7, 2)},
        {"signer": "Richard M. Roe", "name": "Richard M. Roe", "title": "President", "date": dt.date(2000, 4, 7)},
    ]


def test_html_blocks_cells_attorney_in_fact_and_suffix() -> None:
    assert sigs_of("html_body_items.html") == [
        {"signer": "CORNWALL EXAMPLE LP", "name": "James A. Example", "title": "Managing Member",
         "date": dt.date(2020, 12, 9)},
        {"signer": "EVELYN P. EXAMPLE", "name": "Charles E. Gale", "title": "Attorney-in-Fact",
         "date": dt.date(2020, 12, 10)},
        {"signer": "JoMei Example, Ph.D.", "name": "JoMei Example, Ph.D.", "title": None, "date": dt.date(2020, 12, 10)},
    ]


def test_date_printed_after_the_block_belongs_to_it() -> None:
    lines = ["SIGNATURE", "After reasonable inquiry and to the best of my knowledge and belief, I certify that",
             "the information set forth in this statement is true, complete and correct.", "",
             "By: /s/ John Smith", "Name: John Smith", "Title: Managing Director", "Date: July 2, 2004"]
    assert parse_signatures(lines) == [
        {"signer": "John Smith", "name": "John Smith", "title": "Managing Director", "date": dt.date(2004, 7, 2)}
    ]


def test_unsigned_typed_names_under_signature_lines() -> None:
    lines = ["After reasonable inquiry and to the best of their knowledge and belief, the undersigned certify",
             "that the information set forth in this statement is true, complete and correct.", "",
             "February 28, 1997", "", "        Michael T. Example", "        -----------------------",
             "        Michael T. Example", "", "        Robert J. Sample", "        -----------------------",
             "        Robert J. Sample"]
    assert [(s["name"], s["date"]) for s in parse_signatures(lines)] == [
        ("Michael T. Example", dt.date(1997, 2, 28)), ("Robert J. Sample", dt.date(1997, 2, 28))
    ]


def test_no_signature_section_and_block_cap() -> None:
    assert parse_signatures(["Item 1. Security and Issuer", "text"]) == []
    many = ["SIGNATURE", "Dated: May 2, 2016"]
    for k in range(MAX_BLOCKS + 20):
        many += [f"FUND NUMBER {k} LP", f"By: /s/ Person Number{k}", ""]
    assert len(parse_signatures(many)) == MAX_BLOCKS
