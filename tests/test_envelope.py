"""Reading EDGAR envelopes: header fields, the schedule's document, and the format of what is inside."""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import re

import pytest

from extractors import envelope
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


# --- the header reader's fast paths against the plain forms they replace ----------------------------

_PLAIN_KV_LINE = re.compile(r"^(\s*)([A-Z][A-Z0-9 .\-/()]*?):[ \t]*(.*?)\s*$")


def _plain_read_header(raw: bytes) -> envelope.Header:
    """_read_header as it was written before it skipped lines and strptime: one regex per line."""
    text = raw.decode("latin-1")
    h = envelope.Header()
    section = None
    m = re.search(r"<ACCEPTANCE-DATETIME>\s*(\d{14})", text)
    if m:
        with contextlib.suppress(ValueError):
            h.acceptance_datetime = dt.datetime.strptime(m.group(1), "%Y%m%d%H%M%S")
    for line in text.splitlines():
        km = _PLAIN_KV_LINE.match(line)
        if not km:
            continue
        _, key, value = km.groups()
        key = " ".join(key.split())
        if not value and key in envelope._HEADER_SECTIONS:
            section = key
            continue
        envelope._apply_header_field(h, section, key, value)
    return h


def test_header_reader_reads_what_one_regex_per_line_reads() -> None:
    keys = ["ACCESSION NUMBER", "CONFORMED  SUBMISSION TYPE", "FILED AS OF DATE", "PUBLIC DOCUMENT COUNT",
            "GROUP MEMBERS", "SUBJECT COMPANY", "FILED BY", "COMPANY CONFORMED NAME", "CENTRAL INDEX KEY",
            "FORM TYPE", "SEC FILE NUMBER", "BUSINESS PHONE", "Company Conformed Name", "STREET 1"]
    values = ["", "0000950123-04-001234", "SC 13D/A", "20040512", "2004051", "200413 01", "2", " \xa0Acme, Inc.",
              "\xa0", "\t0001234567 ", "12a", "x:y", "\u0663\u0660\u0660\u0664\u0660\u0665\u0661\u0662"]
    rng = random.Random(11)
    for _ in range(3000):
        lines = []
        for _ in range(rng.randint(1, 12)):
            lead = rng.choice(["", "\t", "  ", "\xa0"])
            sep = rng.choice([":", ": ", ":\t", " :", ":\xa0"])
            lines.append(lead + rng.choice(keys) + sep + rng.choice(values) + rng.choice(["", " ", "\t", "\x85x"]))
        stamp = rng.choice(["", "<ACCEPTANCE-DATETIME>20040512093015", "<ACCEPTANCE-DATETIME>20041332250000",
                            "<ACCEPTANCE-DATETIME>20040229235960", "<ACCEPTANCE-DATETIME>\u0662" + "0" * 13])
        raw = (stamp + "\n" + "\n".join(lines)).encode("latin-1", "replace")
        assert envelope._read_header(raw) == _plain_read_header(raw), raw


def test_eight_and_fourteen_digit_dates_read_as_strptime_reads_them() -> None:
    def plain(text: str, fmt: str):
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            return None
    for year in ("0000", "0001", "2004", "9999"):
        for month in range(100):
            for day in range(0, 100, 3):
                digits = f"{year}{month:02d}{day:02d}"
                want = plain(digits, "%Y%m%d")
                assert envelope._parse_yyyymmdd(digits) == (want and want.date()), digits
    rng = random.Random(3)
    for _ in range(50000):
        digits = f"{rng.randint(0, 9999):04d}" + "".join(f"{rng.randint(0, 99):02d}" for _ in range(5))
        try:
            got = envelope._digits_datetime(digits)
        except ValueError:
            got = None
        assert got == plain(digits, "%Y%m%d%H%M%S"), digits


def test_every_header_key_the_reader_applies_is_one_it_keeps_lines_for() -> None:
    # _read_header skips lines whose key is not in _FIELD_KEYS before its regex; a key added to
    # _apply_header_field but not there would be skipped without a word.
    import inspect

    from extractors import envelope

    applied = set(re.findall(r'key == "([^"]+)"', inspect.getsource(envelope._apply_header_field)))
    assert applied and applied <= envelope._FIELD_KEYS
