"""Items 1-7 of text and HTML 13Ds."""

from __future__ import annotations

from pathlib import Path

from extractors.items import parse_items
from extractors.textify import document_lines

FRONT = Path(__file__).resolve().parent / "fixtures" / "front"


def items_of(name: str) -> list[dict]:
    data = (FRONT / name).read_bytes()
    return parse_items(document_lines(data, "html" if name.endswith(".html") else "txt"))


def test_text_items_skip_toc_and_cover_references_and_stop_at_signature() -> None:
    items = items_of("text_body_items.txt")
    assert [i["item_number"] for i in items] == [1, 2, 4, 5, 6]
    by = {i["item_number"]: i for i in items}
    assert by[1]["heading"] == "Security and Issuer"
    assert by[1]["text"] == (
        'This statement relates to the Common Stock, par value $0.01 per share (the "Shares"), '
        'of Example Corporation (the "Issuer").'
    )
    assert by[2]["heading"] == "IDENTITY AND BACKGROUND"
    # 'Item 5 below' at the start of a wrapped line is a reference, not Item 5.
    assert "See Item 5 below for the number of Shares held." in by[2]["text"]
    assert by[4]["text"].startswith("Item 4 is hereby amended by adding the following:")
    assert "As described in Item 6 below, it has agreed" in by[4]["text"]
    assert by[5]["heading"] == "Interest in Securities of the Issuer"  # 'Item 5 - ...'
    assert by[5]["text"] == "(a) The Reporting Person owns 1,000 Shares. Item 3 of the original statement remains unchanged."
    assert by[6]["heading"] == (
        "Contracts, Arrangements, Understandings or Relationships With Respect to Securities of the Issuer"
    )
    assert by[6]["text"] == "See Item 4."  # ends before SIGNATURE; the exhibit index is not read


def test_html_items_table_heading_heading_on_next_line_and_run_on_heading() -> None:
    items = items_of("html_body_items.html")
    assert [(i["item_number"], i["heading"]) for i in items] == [
        (1, "Security and Issuer"),
        (2, "Identity and Background"),
        (3, "SOURCE AND AMOUNT OF FUNDS OR OTHER CONSIDERATION"),
        (7, "Material to be Filed as Exhibits"),
    ]
    assert items[2]["text"] == "The Reporting Persons used personal funds of $1,000,000."
    assert items[3]["text"] == "Exhibit 99.1 – Joint Filing Agreement."


def test_amendment_style_item_start_without_heading() -> None:
    lines = ["Item 3 is hereby amended and supplemented as follows:", "More funds were used.",
             "Item 5 of the Schedule 13D is hereby amended and restated:", "(a) 10 shares.", "SIGNATURES"]
    items = parse_items(lines)
    assert [(i["item_number"], i["heading"]) for i in items] == [(3, None), (5, None)]
    assert items[1]["text"] == "Item 5 of the Schedule 13D is hereby amended and restated: (a) 10 shares."


def test_no_items() -> None:
    assert parse_items(["SCHEDULE 13D", "Item 2(d) or 2(e)", "see Item 5"]) == []
