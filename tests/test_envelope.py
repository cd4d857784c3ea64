"""Reading EDGAR envelopes: header fields, the schedule's document, and the format of what is inside."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.envelope import detect_format, pick_schedule_document, read_submission, xml_payload
from extractors.model import ExtractionError
from extractors.schedules import SCHEDULE_13D, SCHEDULE_13G, schedule_of_form


def test_pem_wrapped_1990s_submission(fixtures_dir):
    sub = read_submission((fixtures_dir / "envelope" / "pem_ims_1995.txt").read_bytes())
    h = sub.header
    assert sub.has_envelope
    assert h.accession_number == "0000999999-95-000017"
    assert h.form_type == "SC 13D/A"
    assert h.filed_date == dt.date(1995, 3, 13)
    assert h.subject_cik == "12345"  # leading zeros dropped
    assert h.subject_name == "ACME WIDGET CORP /DE/"
    assert h.sec_file_number == "005-11111"
    assert h.filer_ciks == ["987654"] and h.filer_names == ["HARBOR VALUE PARTNERS L P"]
    doc, schedule = pick_schedule_document(sub)
    assert (doc.type, doc.sequence, doc.filename) == ("SC 13D/A", 1, None) and schedule is SCHEDULE_13D
    assert b"Amendment No. 2" in doc.body and b"Joint filing" not in doc.body
    assert detect_format(doc.body) == "txt"  # <PAGE> tags do not make it HTML


def test_tag_form_feed_that_is_also_a_13d_amendment(fixtures_dir):
    sub = read_submission((fixtures_dir / "envelope" / "tag_form_feed.nc").read_bytes())
    assert sub.header.form_type == "SC TO-T/A"
    assert sub.header.subject_form_types == ["SC 13D/A"]
    assert sub.header.group_members == ["RIVER FUND LP", "RIVER GP LLC"]
    doc, schedule = pick_schedule_document(sub)  # a Schedule TO serving as 13D amendment: its primary document
    assert doc.filename == "d1_sctota.htm" and schedule is SCHEDULE_13D
    assert detect_format(doc.body) == "html"


SEC_HEADER = b"""<SEC-DOCUMENT>0001234567-20-000001.txt : 20200102
<SEC-HEADER>0001234567-20-000001.hdr.sgml : 20200102
<ACCEPTANCE-DATETIME>20200102163015
ACCESSION NUMBER:\t\t0001234567-20-000001
CONFORMED SUBMISSION TYPE:\t%(form)s
PUBLIC DOCUMENT COUNT:\t\t2
FILED AS OF DATE:\t\t20200102
GROUP MEMBERS:\t\tALPHA FUND LP
GROUP MEMBERS:\t\tALPHA GP LLC

SUBJECT COMPANY:\t

\tCOMPANY DATA:\t
\t\tCOMPANY CONFORMED NAME:\t\t\tBETA CORP
\t\tCENTRAL INDEX KEY:\t\t\t0000777777

FILED BY:\t\t

\tCOMPANY DATA:\t
\t\tCOMPANY CONFORMED NAME:\t\t\tALPHA FUND LP
\t\tCENTRAL INDEX KEY:\t\t\t0001234567
</SEC-HEADER>
<DOCUMENT>
<TYPE>EX-99.1
<SEQUENCE>2
<FILENAME>ex991.htm
<TEXT>
<html><body><p>Exhibit</p></body></html>
</TEXT>
</DOCUMENT>
<DOCUMENT>
<TYPE>%(form)s
<SEQUENCE>1
<FILENAME>primary.htm
<TEXT>
%(body)s
</TEXT>
</DOCUMENT>
</SEC-DOCUMENT>
"""


def _submission(form: bytes = b"SC 13D", body: bytes = b"<html><body><p>SCHEDULE 13D</p><p>x</p></body></html>") -> bytes:
    return SEC_HEADER % {b"form": form, b"body": body}


def test_modern_header_fields_and_13d_document_found_wherever_it_stands():
    sub = read_submission(_submission())
    h = sub.header
    assert h.acceptance_datetime == dt.datetime(2020, 1, 2, 16, 30, 15)
    assert h.group_members == ["ALPHA FUND LP", "ALPHA GP LLC"]
    assert (h.subject_cik, h.filer_ciks) == ("777777", ["1234567"])
    assert pick_schedule_document(sub)[0].filename == "primary.htm"


def test_a_13g_submission_names_its_schedule():
    sub = read_submission(_submission(form=b"SC 13G"))
    doc, schedule = pick_schedule_document(sub)
    assert schedule is SCHEDULE_13G and doc.type == "SC 13G"


def test_a_submission_of_another_form_is_neither_schedule():
    sub = read_submission(_submission(form=b"10-K"))
    with pytest.raises(ExtractionError) as err:
        pick_schedule_document(sub)
    assert err.value.reason == "not_13d" and "13G" in err.value.detail


def test_truncated_submission_is_flagged():
    data = _submission()
    sub = read_submission(data[: data.index(b"<FILENAME>primary.htm") + 60])
    assert sub.warnings and sub.warnings[0].startswith("truncated")
    assert pick_schedule_document(sub)[0].truncated


def test_header_without_documents_is_truncated():
    data = _submission()
    with pytest.raises(ExtractionError) as err:
        read_submission(data[: data.index(b"</SEC-HEADER>")])
    assert err.value.reason == "truncated"


def test_bare_documents_have_no_envelope():
    sub = read_submission(b"<html><body><p>SCHEDULE 13D</p></body></html>")
    assert not sub.has_envelope and sub.header.accession_number is None
    doc, schedule = pick_schedule_document(sub)
    assert doc.body.startswith(b"<html>") and schedule is None  # the document itself will say


@pytest.mark.parametrize(
    ("body", "fmt"),
    [
        (b"<PAGE>\n<TABLE>\n<S>   <C>\nSCHEDULE 13D\n</TABLE>", "txt"),
        (b"<P>one</P><P>two</P><FONT SIZE=2>three</FONT>", "html"),
        (b"\n<?xml version='1.0'?><edgarSubmission/>", "xml"),
        (b"<XML>\n<?xml version='1.0'?>\n<edgarSubmission/>\n</XML>", "xml"),
        (b"Plain words, no tags at all.", "txt"),
    ],
)
def test_format_comes_from_content(body, fmt):
    assert detect_format(body) == fmt


def test_xml_payload_is_sliced_out_of_its_wrapper():
    assert xml_payload(b"<XML>\n<?xml version='1.0'?><a/>\n</XML>\n") == b"<?xml version='1.0'?><a/>"


@pytest.mark.parametrize("form", ["SC 13D", "SC 13D/A", "SCHEDULE 13D", "SCHEDULE 13D/A", "sc  13d/a"])
def test_the_four_13d_form_types(form):
    assert schedule_of_form(form) is SCHEDULE_13D


@pytest.mark.parametrize("form", ["SC 13G", "SC 13G/A", "SCHEDULE 13G", "schedule 13g/a"])
def test_the_four_13g_form_types(form):
    assert schedule_of_form(form) is SCHEDULE_13G


@pytest.mark.parametrize("form", ["SC TO-T/A", "13F-HR", "SC 13E3", "", None])
def test_other_forms_are_neither_schedule(form):
    assert schedule_of_form(form) is None


def test_empty_input_is_refused_with_a_reason():
    with pytest.raises(ExtractionError) as err:
        read_submission(b"  \n ")
    assert err.value.reason == "empty"
