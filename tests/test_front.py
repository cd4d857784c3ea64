"""Front page of text and HTML 13Ds, on synthetic fixtures in the true formats and on the corpus."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from extractors.cusip import normalize_cusip
from extractors.dates import parse_date
from extractors.envelope import detect_format, pick_schedule_document, read_submission
from extractors.front import parse_front_page
from extractors.textify import document_lines

FRONT = Path(__file__).resolve().parent / "fixtures" / "front"


def front_of(name: str) -> tuple[dict, list[str]]:
    data = (FRONT / name).read_bytes()
    return parse_front_page(document_lines(data, "html" if name.endswith(".html") else "txt"))


# ---------------------------------------------------------------------------------------------- dates

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("February 9, 2004", "2004-02-09"),
        ("Feb. 9, 2004", "2004-02-09"),
        ("9 February 2004", "2004-02-09"),
        ("2/9/04", "2004-02-09"),
        ("02/09/2004", "2004-02-09"),
        ("2004-02-09", "2004-02-09"),
        ("March 30 , 201 5", "2015-03-30"),
        ("December 4th, 2020", "2020-12-04"),
        ("Sept 1, 1999", "1999-09-01"),
        ("SEPTEMBER 27, 2002", "2002-09-27"),
        ("January 31,1994", "1994-01-31"),
        ("3/10/16", "2016-03-10"),
        ("12/31/93", "1993-12-31"),
        ("the 22nd day of March, 1996", "1996-03-22"),
        ("Date:   March 28, 1994", "1994-03-28"),
    ],
)
def test_parse_date_shapes(text: str, expected: str) -> None:
    assert parse_date(text) == dt.date.fromisoformat(expected)


@pytest.mark.parametrize("text", ["", "March  , 2020", "(212) 555-1234", "February 30, 2004", "Page 2 of 9", None])
def test_parse_date_refuses_non_dates(text: str | None) -> None:
    assert parse_date(text) is None


# ----------------------------------------------------------------------------------- fixtures, text era

def test_text_cover_with_rules_spaced_cusip_and_wrapped_issuer() -> None:
    f, warnings = front_of("text_rules_spaced_cusip.txt")
    assert f["issuer_name"] == "NORTHWIND TELECOMMUNICATIONS CORPORATION"
    assert f["security_title"] == "Common Stock, par value $0.01 per share"
    assert (f["cusip"], f["cusip_raw"], f["cusips"]) == ("805423100", "805423 10 0", ["805423100"])
    assert f["event_date"] == dt.date(2004, 2, 9)  # 'Dates of Event' wording
    assert f["amendment_number"] == 1  # '(Amendment No. 1)(1)': the footnote mark is not read
    assert f["is_amendment"] is True
    assert warnings == []


def test_text_cover_with_side_by_side_captions_and_eight_character_cusip() -> None:
    f, _ = front_of("text_two_columns.txt")
    assert f["security_title"] == "Common Stock, par value $1.00"
    assert (f["cusip"], f["cusip_raw"]) == ("881609101", "88160910")
    assert f["event_date"] == dt.date(1999, 9, 1)
    assert f["amendment_number"] == 4  # 'AMENDMENT NO. 4' without parentheses
    assert f["cusips"] == ["881609101"]  # the I.R.S. number 13-5266470 on the cover is not a CUSIP


def test_label_value_cover_with_words_for_the_amendment_number() -> None:
    f, _ = front_of("text_label_value.txt")
    assert f["issuer_name"] == "Gulf Seismic Associates, Inc."
    assert f["security_title"] == "Common Stock, par value $.0001 per share."
    assert (f["cusip"], f["cusip_raw"]) == ("913828109", "91382810")  # the ISIN beside it is not taken
    assert f["event_date"] == dt.date(1997, 2, 18)
    assert f["amendment_number"] == 3


def test_schedule_to_that_amends_a_13d_reports_the_13d_amendment_number() -> None:
    f, warnings = front_of("text_schedule_to.txt")
    assert f["amendment_number"] == 16  # not 11, the Schedule TO's own number
    assert f["issuer_name"] == "Harbor Shipping Inc."
    assert f["cusip"] == "Y67305154"
    assert f["event_date"] is None
    assert any(w.startswith("event_date_missing") for w in warnings)


# ----------------------------------------------------------------------------------- fixtures, HTML era

def test_html_cover_cusip_split_across_cells_and_second_class_on_a_cover_page() -> None:
    f, warnings = front_of("html_front.html")
    assert f["issuer_name"] == "‘mktg, inc.’"
    assert f["security_title"] == (
        "American Depositary Shares, each representing one Class B Ordinary Share, "
        "having a nominal value of €0.0005 per share"
    )
    assert (f["cusip"], f["cusip_raw"]) == ("60688K108", "60688K 108")
    # The class B CUSIP of the second cover page counts; the ISIN and the CUSIP cited in Item 1 do not.
    assert f["cusips"] == ["60688K108", "60688K207"]
    assert f["event_date"] == dt.date(2020, 12, 4)  # 'December 4<sup>th</sup>, 2020'
    assert f["amendment_number"] == 7  # '(Amendment No. 7)<sup>1</sup>' is not 71
    assert warnings == []


def test_html_cover_without_cusip_and_blank_amendment_number() -> None:
    f, _ = front_of("html_no_cusip.html")
    assert f["issuer_name"] == "Granite Prairie Energy, LLC"
    assert f["security_title"] == "Membership Units"
    assert (f["cusip"], f["cusip_raw"], f["cusips"]) == (None, None, [])
    assert f["amendment_number"] is None
    assert f["is_amendment"] is False  # '(Amendment No. __)' printed blank: an original statement
    assert f["event_date"] == dt.date(2016, 3, 10)


def test_html_captions_in_table_cells_and_cusip_label_in_parentheses() -> None:
    f, _ = front_of("html_table_captions.html")
    assert f["issuer_name"] == "Harborview Bancorp, Inc."
    assert f["security_title"] == "Common Stock, $1.00 par value"  # its own cell, not the CUSIP cell
    assert (f["cusip"], f["cusip_raw"]) == ("805423100", "805423 10 0")
    assert f["cusips"] == ["805423100", "805423209"]  # '(CUSIP No. 805423209)' is a label, not a caption
    assert f["event_date"] == dt.date(2007, 6, 1)  # value in the cell after the caption; a range reads as day 1
    assert f["amendment_number"] == 2  # '(Amendment No. [2])'


def test_cusip_caption_without_parentheses_and_13da_number() -> None:
    f, _ = front_of("text_bare_cusip_caption.txt")
    assert (f["cusip"], f["cusip_raw"]) == ("G9319H102", "G9319H102")
    assert f["amendment_number"] == 12  # 'SCHEDULE 13D/A No. 12'
    assert f["event_date"] == dt.date(2020, 12, 4)


def test_cusip_broken_over_two_html_paragraphs() -> None:
    lines = ["SCHEDULE 13D", "Example Corp.", "(Name of Issuer)", "Common Stock", "(Title of Class of Securities)",
             "805423", "10 0", "(CUSIP Number)"]
    f, _ = parse_front_page(lines)
    assert (f["cusip"], f["cusip_raw"], f["security_title"]) == ("805423100", "805423 10 0", "Common Stock")


def test_missing_event_date_warns() -> None:
    lines = ["SCHEDULE 13D", "Example Corp.", "(Name of Issuer)", "_______", "(Date of Event which Requires Filing of this Statement)"]
    f, warnings = parse_front_page(lines)
    assert f["event_date"] is None
    assert f["issuer_name"] == "Example Corp."
    assert any(w.startswith("event_date_missing") for w in warnings)


def test_invalid_printed_cusip_keeps_raw_and_warns() -> None:
    lines = ["Vitria Example, Inc.", "(Name of Issuer)", "928490 10 4", "(CUSIP Number)", "September 20, 2006",
             "(Date of Event Which Requires Filing of this Statement)"]
    f, warnings = parse_front_page(lines)
    assert (f["cusip"], f["cusip_raw"]) == (None, "928490 10 4")
    assert any(w.startswith("cusip_invalid") for w in warnings)


def test_dates_in_the_items_are_not_event_dates() -> None:
    lines = ["Example Corp.", "(Name of Issuer)", "Item 1. Security and Issuer",
             "The event occurred on March 3, 2021.", "(Date of Event which Requires Filing of this Statement)"]
    assert parse_front_page(lines)[0]["event_date"] is None


# --------------------------------------------------------------------------- the corpus (held out rules)

def _corpus_rows(shared: Path) -> list[tuple[Path, dict]]:
    """Every text/HTML corpus file with its truth: the hand labels where they exist, else MANIFEST."""
    corpus, labels = shared / "corpus", shared / "labels"
    with open(corpus / "MANIFEST.tsv", newline="", encoding="utf-8") as fh:
        manifest = {r["file"]: r for r in csv.DictReader(fh, delimiter="\t")}
    rows = []
    for name, r in sorted(manifest.items()):
        if r["format"] not in ("txt", "html") or r["form_type"].startswith("SC TO"):
            continue  # a Schedule TO's MANIFEST amendment_no counts Schedule TO amendments
        label = labels / f"{name}.json"
        if label.exists():
            t = json.loads(label.read_text(encoding="utf-8"))["filing"]
            truth = {"cusip": t["cusip"], "amendment_number": t["amendment_number"],
                     "event_date": t["event_date"], "issuer_name": t["issuer_name"]}
        else:
            d = parse_date(r["event_date"])
            truth = {"cusip": normalize_cusip(r["cusip"]) if r["cusip"] else None,
                     "amendment_number": int(r["amendment_no"]) if r["amendment_no"] else None,
                     "event_date": d.isoformat() if d else None, "issuer_name": None}
        rows.append((corpus / name, truth))
    seed = shared / "seed" / "savvis-13da-amendment1.txt"
    if seed.exists():
        t = json.loads((shared / "seed" / "savvis-13da-amendment1.txt.json").read_text(encoding="utf-8"))["filing"]
        rows.append((seed, {k: t[k] for k in ("cusip", "amendment_number", "event_date", "issuer_name")}))
    return rows


def _norm(s: str | None) -> str:
    return re.sub(r"[\W_]+", "", (s or "").lower())


def test_corpus_front_pages_match_labels_and_manifest(shared_dir: Path) -> None:
    rows = _corpus_rows(shared_dir)
    assert len(rows) >= 55
    misses = []
    for path, truth in rows:
        sub = read_submission(path.read_bytes())
        doc = pick_schedule_document(sub)[0]
        f, _ = parse_front_page(document_lines(doc.body, detect_format(doc.body)))
        got = {"cusip": f["cusip"], "amendment_number": f["amendment_number"],
               "event_date": f["event_date"].isoformat() if f["event_date"] else None}
        for key, value in got.items():
            if value != truth[key]:
                misses.append(f"{path.name}: {key} {value!r} != {truth[key]!r}")
        if truth["issuer_name"] is not None and _norm(f["issuer_name"]) != _norm(truth["issuer_name"]):
            misses.append(f"{path.name}: issuer_name {f['issuer_name']!r} != {truth['issuer_name']!r}")
    assert misses == []
