"""The XML-era extractor on real corpus files and on hand-written fixtures in the true format.

The corpus tests compare against ``shared/corpus/MANIFEST.tsv`` (skipped when ``shared/`` is absent);
the fixtures in ``tests/fixtures/xml/`` carry the quirks real generators produce and the hostile
documents a crawler must survive.
"""

from __future__ import annotations

import csv
import datetime as dt
import http.server
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from extractors import safexml
from extractors.model import ExtractionError, ParsedFiling
from extractors.schedules import SCHEDULE_13D
from extractors.xmlform import normalize_cusip, parse_xml
from tests.serving import serving

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "xml"
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpus"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def xml_payload(path: Path) -> bytes:
    """A bare .xml as is; for a full submission, the bytes between <XML> and </XML>."""
    data = path.read_bytes()
    if path.suffix == ".txt":
        data = data[data.index(b"<XML>") + len(b"<XML>") : data.index(b"</XML>")]
    return data


# --- corpus ----------------------------------------------------------------------------------------


def _manifest_xml_rows() -> list[dict[str, str]]:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.exists():
        return []
    with manifest.open(newline="", encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh, delimiter="\t") if row["format"] == "xml"]


XML_ROWS = _manifest_xml_rows()


@pytest.fixture
def corpus(shared_dir: Path) -> Path:
    """The shared corpus; skips (through conftest's ``shared_dir``) when ../shared is absent."""
    return shared_dir / "corpus"


@pytest.fixture
def corpus_row(request: pytest.FixtureRequest, corpus: Path) -> dict[str, str]:
    return request.param


def test_corpus_present_or_skipped(corpus: Path) -> None:
    on_disk = {p.name for p in corpus.glob("xml_*") if p.suffix in (".xml", ".txt")}
    assert on_disk == {row["file"] for row in XML_ROWS}
    assert len(XML_ROWS) >= 10


@pytest.mark.parametrize(
    "corpus_row",
    [r for r in XML_ROWS if not r["file"].startswith("xml_NEGATIVE")] or [None],
    ids=lambda r: r["file"] if r else "no-corpus",
    indirect=True,
)
def test_corpus_file_matches_manifest(corpus_row: dict[str, str], corpus: Path) -> None:
    parsed = parse_xml(xml_payload(corpus / corpus_row["file"]))
    f = parsed.filing
    assert f["form_type"] == corpus_row["form_type"]
    assert f["cusip_raw"] == corpus_row["cusip"]
    assert f["cusip"] == corpus_row["cusip"]  # every corpus XML prints a clean, valid CUSIP
    assert f["event_date"] == dt.datetime.strptime(corpus_row["event_date"], "%m/%d/%Y").date()
    expected_amendment = int(corpus_row["amendment_no"]) if corpus_row["amendment_no"] else None
    assert f["amendment_number"] == expected_amendment
    assert f["is_amendment"] is corpus_row["form_type"].endswith("/A")
    assert len(parsed.reporting_persons) == int(corpus_row["n_reporting_persons"])
    assert " ".join(f["issuer_name"].split()) == " ".join(corpus_row["issuer"].split()) or corpus_row[
        "file"
    ].endswith(".txt")  # a .txt row's issuer is the header's conformed name, not the XML's
    assert parsed.warnings == []
    for person in parsed.reporting_persons:
        assert person["name"]
        assert person["percent_of_class"] is not None
        assert person["warnings"] == []
    assert parsed.items, "every corpus 13D has at least one item"
    assert parsed.signatures and all(s["date"] for s in parsed.signatures)


@pytest.mark.parametrize(
    "corpus_row",
    [r for r in XML_ROWS if r["file"].startswith("xml_NEGATIVE")] or [None],
    ids=lambda r: r["file"] if r else "no-corpus",
    indirect=True,
)
def test_corpus_13g_negative_control_reads_as_a_13g(corpus_row: dict[str, str], corpus: Path) -> None:
    data = xml_payload(corpus / corpus_row["file"])
    assert data.startswith(b"\n<?xml")  # the quirk the strip must survive
    parsed = parse_xml(data)
    assert parsed.schedule.name == "13G" and parsed.filing["schedule"] == "13G"
    assert parsed.filing["rule_13d_1"] == ["c"]
    assert [p["name"] for p in parsed.reporting_persons] == ["Marex Securities Products Inc.", "Marex Group plc"]
    assert all(p["member_of_group"] == "a" for p in parsed.reporting_persons)  # memberGroup, 13G's name


def test_corpus_full_submission_and_extracted_payload_agree(corpus: Path) -> None:
    full = parse_xml(xml_payload(corpus / "xml_0000950170-24-139085.txt"))
    bare = parse_xml(xml_payload(corpus / "xml_0000950170-24-139085_primary_doc.extracted.xml"))
    assert full == bare
    f = full.filing
    assert f["previous_accession_number"] == "0001193125-24-037021"
    assert f["issuer_cik"] == "1988894"
    assert f["filer_ciks"] == ["1795487"]
    assert f["security_title"] == "Ordinary share, par value EUR 0.0300580119630888 each"
    first = full.reporting_persons[0]
    # An amendment that leaves rows 7 and 9 out: NULL, not 0.
    assert first["sole_voting_power"] is None and first["sole_dispositive_power"] is None
    assert first["shared_voting_power"] == 61407041.0
    assert first["citizenship"] == "E9"
    assert [it["item_number"] for it in full.items] == [1, 5, 6, 7]


def test_corpus_sch_prefixed_workiva_exit_filing(corpus: Path) -> None:
    parsed = parse_xml(xml_payload(corpus / "xml_gbtg-amex-13da-amd4.xml"))
    (person,) = parsed.reporting_persons
    assert person["cik"] == "4962"
    assert person["member_of_group"] == "b"
    assert person["aggregate_amount"] == 0.0  # printed 0.00: a real zero, not NULL
    assert person["legal_proceedings"] is False
    assert [it["item_number"] for it in parsed.items] == [1, 4, 5, 6]
    assert parsed.signatures == [
        {
            "signer": "American Express Company",
            "name": "James J. Killerlane III",
            "title": "James J. Killerlane III, Corporate Secretary",
            "date": dt.date(2026, 10, 1),
            "warnings": [],
        }
    ]


def test_corpus_no_cik_persons_and_repeated_codes(corpus: Path) -> None:
    parsed = parse_xml(xml_payload(corpus / "xml_onenuclear-nccs-13d.xml"))
    ciks = [p["cik"] for p in parsed.reporting_persons]
    assert ciks == ["2157786", "2140207", None, None, None]
    assert parsed.reporting_persons[0]["source_of_funds"] == ["AF", "OO"]
    assert parsed.reporting_persons[0]["type_of_reporting_person"] == ["IA", "OO"]
    assert parsed.reporting_persons[0]["percent_of_class"] == 4.6


def test_corpus_fractional_units(corpus: Path) -> None:
    parsed = parse_xml(xml_payload(corpus / "xml_amg-pantheon-bluearc-13d.xml"))
    assert [p["aggregate_amount"] for p in parsed.reporting_persons] == [
        17285425.04,
        17285425.04,
        13442986.66,
        3842438.38,
        17285425.04,
    ]
    assert parsed.reporting_persons[0]["type_of_reporting_person"] == ["IA", "HC", "OO"]


# --- fixtures with generator quirks -----------------------------------------------------------------


def test_sch_prefix_two_classes_leading_newline() -> None:
    data = fixture("sch_prefix_two_classes.xml")
    assert data.startswith(b"\n<?xml")
    parsed = parse_xml(data)
    f = parsed.filing
    assert f["form_type"] == "SCHEDULE 13D"
    assert f["is_amendment"] is False
    assert f["amendment_number"] is None
    assert f["event_date"] == dt.date(2025, 3, 7)
    assert f["issuer_cik"] == "987654"
    assert f["issuer_name"] == "Example Dual Class Holdings, Inc."
    assert f["security_title"] == "Class A Common Stock and Class B Common Stock, par value $0.001 per share"
    assert f["cusip"] == "98765X106"
    assert f["cusip_raw"] == "98765X106"
    assert f["cusips"] == ["98765X106", "98765X205"]
    assert f["filer_ciks"] == ["1900001"]
    assert f["previous_accession_number"] is None
    assert parsed.warnings == []

    fund, jane = parsed.reporting_persons
    assert fund == {
        "name": "Example Capital Partners, L.P.",
        "cik": "1900001",
        "member_of_group": "a",
        "source_of_funds": ["WC", "BK"],
        "legal_proceedings": True,
        "citizenship": "E9",
        "citizenship_code": "E9",  # the XML era prints the EDGAR code itself
        "sole_voting_power": 0.0,
        "shared_voting_power": 5274370.0,
        "sole_dispositive_power": 0.0,
        "shared_dispositive_power": 5274370.5,
        "aggregate_amount": 5274370.5,
        "percent_of_class": 12.35,
        "excludes_certain_shares": True,
        "type_of_reporting_person": ["PN"],
        "warnings": [],
    }
    assert jane["cik"] is None  # reportingPersonNoCIK=Y
    assert jane["source_of_funds"] == ["AF", "OO"]  # "00" typed for OO
    assert jane["type_of_reporting_person"] == ["IN", "HC"]
    assert jane["legal_proceedings"] is False
    assert jane["excludes_certain_shares"] is False
    assert jane["aggregate_amount"] == 5275370.5

    # Items come out in item order even when the file lists item4 before item3.
    assert [(it["item_number"], it["heading"]) for it in parsed.items] == [
        (1, "Security and Issuer"),
        (3, "Source and Amount of Funds or Other Consideration"),
        (4, "Purpose of Transaction"),
    ]
    assert parsed.items[0]["text"] == (
        "Title of class of securities: Class A Common Stock; Class B Common Stock\n\n"
        "Name of issuer: Example Dual Class Holdings, Inc.\n\n"
        "Address of issuer's principal executive offices: 1 Example Plaza, Wilmington, DE, 19801"
    )
    assert parsed.items[2]["text"] == (
        "The Reporting Persons acquired the shares for investment.\n\nThey may seek board representation."
    )
    assert [(s["signer"], s["name"], s["date"]) for s in parsed.signatures] == [
        ("Example Capital Partners, L.P.", "Jane Q. Example", dt.date(2025, 3, 10)),
        ("Jane Q. Example", "Jane Q. Example", dt.date(2025, 3, 10)),
    ]


def test_sparse_amendment_keeps_absent_rows_null() -> None:
    parsed = parse_xml(fixture("amendment_sparse.xml"))
    f = parsed.filing
    assert f["form_type"] == "SCHEDULE 13D/A"
    assert f["is_amendment"] is True
    assert f["amendment_number"] == 3
    assert f["previous_accession_number"] == "0001999999-25-000001"
    assert f["cusips"] == ["12345Q200"]
    (person,) = parsed.reporting_persons
    for column in (
        "sole_voting_power",
        "shared_voting_power",
        "sole_dispositive_power",
        "shared_dispositive_power",
        "legal_proceedings",
        "excludes_certain_shares",
        "member_of_group",
        "citizenship",
    ):
        assert person[column] is None, column
    assert person["aggregate_amount"] == 0.0
    assert person["percent_of_class"] == 0.0
    assert person["source_of_funds"] == [] and person["type_of_reporting_person"] == []
    assert parsed.items == [
        {
            "item_number": 4,
            "heading": SCHEDULE_13D.item_headings[4],
            "text": "Item 4 is amended by adding: the Reporting Person sold all of its shares.",
        }
    ]
    assert parsed.signatures[0]["date"] == dt.date(2025, 3, 3)  # ISO date accepted too


def test_unclosed_tag_is_recovered_with_warning() -> None:
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(fixture("malformed_unclosed.xml"))  # the fixture really is malformed
    parsed = parse_xml(fixture("malformed_unclosed.xml"))
    assert parsed.warnings[0].startswith("xml_recovered: ")
    assert "xml_repaired: moved elements out of unclosed <reportingPersonName>" in parsed.warnings
    (person,) = parsed.reporting_persons
    assert person["name"] == "Broken Generator Fund LP"
    assert person["source_of_funds"] == ["WC"]
    assert person["citizenship"] == "DE"
    assert person["sole_voting_power"] == 750000.0
    assert person["shared_voting_power"] is None
    assert person["percent_of_class"] == 6.1
    assert person["type_of_reporting_person"] == ["PN"]
    assert parsed.filing["cusip"] == "037833100"


def test_a_character_reference_to_a_surrogate_is_read_as_a_replacement_character() -> None:
    # The strict parser refuses &#xD800; and the recovering one kept it as invalid UTF-8 that lxml
    # could not read back: the filing failed as a parser error. It now reads, with the one value marked.
    data = fixture("amendment_sparse.xml").replace(
        b"<reportingPersonName>Sparse Holder LLC", b"<reportingPersonName>Sparse &#xD800;Holder&#57343; LLC", 1)
    parsed = parse_xml(data)
    assert parsed.warnings[0].startswith("xml_recovered: ")
    (person,) = parsed.reporting_persons
    assert person["name"] == "Sparse \ufffdHolder\ufffd LLC"
    assert person["aggregate_amount"] == 0
    # a reference that is no surrogate, or too long to be a code point, is left to libxml2 as before
    assert safexml._surrogate_refs_replaced(b"&#xD7FF;&#xE000;&#55295;&#" + b"9" * 5000 + b";") \
        == b"&#xD7FF;&#xE000;&#55295;&#" + b"9" * 5000 + b";"
    assert safexml._surrogate_refs_replaced(b"&#x000D800;&#0055296;") == b"&#xFFFD;&#xFFFD;"


def test_own_13g_fixture_reads_by_the_13g_element_names() -> None:
    parsed = parse_xml(fixture("schedule13g.xml"))
    assert parsed.filing["schedule"] == "13G" and parsed.filing["form_type"] == "SCHEDULE 13G/A"
    assert parsed.filing["issuer_cik"] == "320193" and parsed.filing["cusip"] == "037833100"
    assert parsed.filing["event_date"] == dt.date(2024, 12, 31)
    assert parsed.filing["rule_13d_1"] == []  # no designateRulesPursuantThisScheduleFiled
    (person,) = parsed.reporting_persons
    assert person["name"] == "Index Fund Manager" and person["percent_of_class"] == 5.1
    assert person["aggregate_amount"] is None  # absent, not 0


def test_a_13d_document_filed_as_13g_is_read_as_a_13d_and_says_so() -> None:
    data = fixture("amendment_sparse.xml").replace(b"SCHEDULE 13D/A", b"SCHEDULE 13G/A")
    parsed = parse_xml(data)
    assert parsed.filing["schedule"] == "13D"  # the namespace and the elements are 13D's
    assert any(w.startswith("schedule_mismatch") for w in parsed.warnings)
    assert parsed.reporting_persons[0]["name"] == "Sparse Holder LLC"


def test_other_form_type_is_not_a_13d() -> None:
    data = fixture("amendment_sparse.xml").replace(b"SCHEDULE 13D/A", b"13F-HR")
    with pytest.raises(ExtractionError) as exc:
        parse_xml(data)
    assert exc.value.reason == "not_13d"


def test_inline_namespace_declarations_and_other_prefix() -> None:
    data = (
        b'<?xml version="1.0"?><ns1:edgarSubmission xmlns:ns1="http://www.sec.gov/edgar/schedule13D">'
        b"<ns1:headerData><ns1:submissionType>SCHEDULE 13D</ns1:submissionType></ns1:headerData>"
        b"<ns1:formData><ns1:coverPageHeader>"
        b'<dateOfEvent xmlns="http://www.sec.gov/edgar/schedule13D">04/01/2025</dateOfEvent>'
        b"<ns1:issuerInfo><ns1:issuerCUSIP>037833100</ns1:issuerCUSIP></ns1:issuerInfo>"
        b"</ns1:coverPageHeader><ns1:reportingPersons><ns1:reportingPersonInfo>"
        b"<ns1:reportingPersonName>A</ns1:reportingPersonName><ns1:percentOfClass>7</ns1:percentOfClass>"
        b"</ns1:reportingPersonInfo></ns1:reportingPersons></ns1:formData></ns1:edgarSubmission>"
    )
    parsed = parse_xml(data)
    assert parsed.filing["event_date"] == dt.date(2025, 4, 1)
    assert parsed.filing["cusip"] == "037833100"
    assert parsed.reporting_persons[0]["percent_of_class"] == 7.0


def test_invalid_cusip_and_unreadable_values_warn_and_stay_null() -> None:
    data = (
        fixture("amendment_sparse.xml")
        .replace(b"12345Q200", b"12345Q209")
        .replace(
            b"<aggregateAmountOwned>0</aggregateAmountOwned>",
            b"<aggregateAmountOwned>n/a</aggregateAmountOwned>",
        )
        .replace(b"02/28/2025", b"Feb 30 2025")
    )
    parsed = parse_xml(data)
    f = parsed.filing
    assert f["cusip"] is None and f["cusips"] == []
    assert f["cusip_raw"] == "12345Q209"
    assert f["event_date"] is None
    assert "cusip_invalid: '12345Q209'" in parsed.warnings
    assert "bad_date: dateOfEvent='Feb 30 2025'" in parsed.warnings
    person = parsed.reporting_persons[0]
    assert person["aggregate_amount"] is None
    assert person["warnings"] == ["bad_number: aggregateAmountOwned='n/a'"]


def test_cusip_check() -> None:
    for good in ("037833100", "G9319H102", "805423100", "N14506104", "00032Q104"):
        assert normalize_cusip(good) == good
    assert normalize_cusip("805423 10 0") == "805423100"
    assert normalize_cusip("037833101") is None
    assert normalize_cusip("000000000") is None
    assert normalize_cusip("None") is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "bad_xml"),
        (b" \r\n\t ", "bad_xml"),
        (b"SCHEDULE 13D cover page in plain text", "bad_xml"),
        (b"<", "bad_xml"),
        (
            b'<?xml version="1.0"?><edgarSubmission xmlns="http://www.sec.gov/edgar/schedule13D">'
            b"<headerData><submissionType>SCHEDULE 13D</submissionType></headerData></edgarSubmission>",
            "no_cover_page",
        ),
        (b"<html><body><p>Schedule 13D</p></body></html>", "no_cover_page"),
    ],
)
def test_unusable_input_raises_with_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ExtractionError) as exc:
        parse_xml(data)
    assert exc.value.reason == reason
    assert exc.value.detail


def test_too_large_is_refused_before_parsing() -> None:
    with pytest.raises(ExtractionError) as exc:
        safexml.parse_untrusted_xml(fixture("amendment_sparse.xml"), max_bytes=100)
    assert exc.value.reason == "too_large"


def test_rows_fit_the_arrow_schema() -> None:
    """The dicts must build the four tables once the caller adds provenance."""
    parsed = parse_xml(fixture("sch_prefix_two_classes.xml"))
    filing = {**parsed.filing, "filing_id": "sha256:test", "content_sha256": "00" * 32}
    tables = ParsedFiling(
        filing, parsed.reporting_persons, parsed.items, parsed.signatures, parsed.warnings
    ).to_arrow()
    assert tables["filings"].column("cusips").to_pylist() == [["98765X106", "98765X205"]]
    assert tables["filings"].column("event_date").to_pylist() == [dt.date(2025, 3, 7)]
    assert tables["reporting_persons"].column("aggregate_amount").to_pylist() == [5274370.5, 5275370.5]
    assert tables["items"].num_rows == 3
    assert tables["signatures"].column("seq").to_pylist() == [1, 2]


# --- hostile input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["billion_laughs.xml", "xxe_file.xml", "xxe_http.xml"])
def test_doctype_documents_are_refused(name: str) -> None:
    started = time.perf_counter()
    with pytest.raises(ExtractionError) as exc:
        parse_xml(fixture(name))
    assert exc.value.reason == "bad_xml"
    assert "DOCTYPE" in exc.value.detail
    assert time.perf_counter() - started < 1.0


def test_parser_itself_never_expands_entities() -> None:
    """Defence in depth: even without the DOCTYPE refusal, the parser leaves every entity unexpanded."""
    strict, recovering = safexml._parsers()
    for parser in (strict, recovering):
        started = time.perf_counter()
        try:  # libxml2 may refuse the declarations outright ("entity amplification factor exceeded")
            root = etree.fromstring(fixture("billion_laughs.xml"), parser=parser)
        except etree.XMLSyntaxError as exc:
            assert "amplification" in str(exc)
        else:
            assert len(etree.tostring(root)) < 2000  # 10**9 "lol"s would be 3 GB
        assert time.perf_counter() - started < 1.0
        root = etree.fromstring(fixture("xxe_file.xml"), parser=parser)
        assert b"&xxe;" in etree.tostring(root)  # the reference is kept as is
        assert b"root:" not in etree.tostring(root)  # /etc/passwd's first line is root:x:0:0...


@pytest.fixture
def request_log() -> Iterator[tuple[str, list[str]]]:
    """A real HTTP server on 127.0.0.1 that records every request it receives."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            body = b'<!ENTITY leaked "SECRET-FROM-SERVER">'
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    with serving(Handler) as url:
        yield url, seen


def test_hidden_doctype_neither_reads_files_nor_calls_out(
    tmp_path: Path, request_log: tuple[str, list[str]]
) -> None:
    """A comment holding '<a' ends the prolog scan early, so the DOCTYPE reaches the parser: nothing may
    be fetched or read, and the post-parse check still refuses the document."""
    base, seen = request_log
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-FILE-CONTENT")
    data = (
        '<?xml version="1.0"?><!-- <a --><!DOCTYPE edgarSubmission [\n'
        f'<!ENTITY % remote SYSTEM "{base}/dtd">%remote;\n'
        f'<!ENTITY file SYSTEM "{secret.as_uri()}">\n'
        f'<!ENTITY web SYSTEM "{base}/entity">\n'
        ']><edgarSubmission xmlns="http://www.sec.gov/edgar/schedule13D">'
        "<headerData><submissionType>SCHEDULE 13D</submissionType></headerData><formData><coverPageHeader>"
        "<issuerInfo><issuerName>&file;&web;&leaked;</issuerName></issuerInfo></coverPageHeader></formData>"
        "</edgarSubmission>"
    ).encode()
    with pytest.raises(ExtractionError) as exc:
        parse_xml(data)
    assert exc.value.reason == "bad_xml"
    for parser in safexml._parsers():
        try:
            out = etree.tostring(etree.fromstring(data, parser=parser))
        except etree.XMLSyntaxError:  # &leaked; is undefined unless the remote DTD was fetched
            continue
        assert b"TOP-SECRET" not in out and b"SECRET-FROM-SERVER" not in out
    assert seen == []


# --- speed ------------------------------------------------------------------------------------------


def test_fixture_parse_is_fast() -> None:
    data = fixture("sch_prefix_two_classes.xml")
    started = time.perf_counter()
    for _ in range(200):
        parse_xml(data)
    per_file = (time.perf_counter() - started) / 200
    assert per_file < 0.005, f"{per_file * 1000:.2f} ms per file"
