"""A small EDGAR world for end-to-end tests, written as full submissions in each era's true format.

One fixture company (SAVVIS, CUSIP 805423100) with one holder's chain: an original 13D in 1998 (plain
text, PEM-wrapped IMS envelope), amendments in 2004 and 2012 (HTML) and an exit in 2025 (XML), plus
what discovery must turn away: a 13D where SAVVIS is the filer, and one on another class of its stock.
And three nightly index days (2026-03-02..04) of XML filings about other issuers, one of them broken.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from extractors.cusip import cusip_check_digit
from tests.local_edgar import EdgarFixtures

SUBJECT_CIK, SUBJECT = 1086910, "SAVVIS COMMUNICATIONS CORP"
HOLDER_CIK, HOLDER = 1200001, "CONSTELLATION VENTURE CAPITAL II LP"
CUSIP = "805423100"
PREFERRED_CUSIP = "805423" + "20" + cusip_check_digit("80542320")


@dataclass(frozen=True)
class Stake:
    accession: str
    filed: dt.date
    amendment: int | None
    shares: int
    percent: float


SAVVIS_CHAIN = [
    Stake("0000950123-98-000101", dt.date(1998, 3, 2), None, 1_000_000, 5.2),
    Stake("0001104659-04-000202", dt.date(2004, 2, 11), 1, 2_500_000, 12.9),
    Stake("0001193125-12-000303", dt.date(2012, 6, 1), 2, 1_800_000, 9.3),
    Stake("0001193125-25-000404", dt.date(2025, 1, 15), 3, 0, 0.0),
]


def _sec_header(accession: str, form: str, filed: dt.date, subject: tuple[int, str], filer: tuple[int, str],
                ims: bool = False) -> str:
    tag = "IMS" if ims else "SEC"
    return (
        f"<{tag}-DOCUMENT>{accession}.txt : {filed:%Y%m%d}\n<{tag}-HEADER>{accession}.hdr.sgml : {filed:%Y%m%d}\n"
        f"ACCESSION NUMBER:\t\t{accession}\nCONFORMED SUBMISSION TYPE:\t{form}\nPUBLIC DOCUMENT COUNT:\t\t1\n"
        f"FILED AS OF DATE:\t\t{filed:%Y%m%d}\n\nSUBJECT COMPANY:\t\n\n\tCOMPANY DATA:\t\n"
        f"\t\tCOMPANY CONFORMED NAME:\t\t\t{subject[1]}\n\t\tCENTRAL INDEX KEY:\t\t\t{subject[0]:010d}\n\n"
        f"\tFILING VALUES:\n\t\tFORM TYPE:\t\t{form}\n\t\tSEC ACT:\t\t1934 Act\n\t\tSEC FILE NUMBER:\t005-55555\n\n"
        f"FILED BY:\t\t\n\n\tCOMPANY DATA:\t\n\t\tCOMPANY CONFORMED NAME:\t\t\t{filer[1]}\n"
        f"\t\tCENTRAL INDEX KEY:\t\t\t{filer[0]:010d}\n\n\tFILING VALUES:\n\t\tFORM TYPE:\t\t{form}\n"
        f"</{tag}-HEADER>\n"
    )


def _wrap(header: str, form: str, body: str, filename: str | None, ims: bool = False) -> str:
    tag = "IMS" if ims else "SEC"
    name = f"<FILENAME>{filename}\n" if filename else ""
    doc = f"<DOCUMENT>\n<TYPE>{form}\n<SEQUENCE>1\n{name}<TEXT>\n{body}\n</TEXT>\n</DOCUMENT>\n</{tag}-DOCUMENT>\n"
    text = header + doc
    if ims:
        text = ("-----BEGIN PRIVACY-ENHANCED MESSAGE-----\nProc-Type: 2001,MIC-CLEAR\n"
                "Originator-Name: keymaster@town.hall.org\n\n" + text + "-----END PRIVACY-ENHANCED MESSAGE-----\n")
    return text


def text_13d(s: Stake, cusip_printed: str = "805423 10 0", issuer: str = "SAVVIS COMMUNICATIONS CORPORATION") -> str:
    amend = f"(Amendment No. {s.amendment})" if s.amendment else ""
    zero = "-0-"
    return f"""<PAGE>
                                  SCHEDULE 13D
                   Under the Securities Exchange Act of 1934
                               {amend}

                       {issuer}
 ------------------------------------------------------------------------------
                                (Name of Issuer)

                     Common Stock, par value $0.01 per share
 ------------------------------------------------------------------------------
                         (Title of Class of Securities)

                                  {cusip_printed}
 ------------------------------------------------------------------------------
                                 (CUSIP Number)

                               {s.filed - dt.timedelta(days=5):%B %d, %Y}
 ------------------------------------------------------------------------------
            (Date of Event which Requires Filing of this Statement)
<PAGE>
CUSIP No. {cusip_printed}                                      Page 2 of 6

1.   NAME OF REPORTING PERSON
     S.S. OR I.R.S. IDENTIFICATION NO. OF ABOVE PERSON
     Constellation Venture Capital II, L.P.
     13-4124531
2.   CHECK THE APPROPRIATE BOX IF A MEMBER OF A GROUP        (a) [X]
                                                             (b) [ ]
3.   SEC USE ONLY
4.   SOURCE OF FUNDS
     WC
5.   CHECK BOX IF DISCLOSURE OF LEGAL PROCEEDINGS IS REQUIRED
     PURSUANT TO ITEMS 2(d) OR 2(e)                              [ ]
6.   CITIZENSHIP OR PLACE OF ORGANIZATION
     Delaware
                  7.   SOLE VOTING POWER
  NUMBER OF            {s.shares:,}
   SHARES         8.   SHARED VOTING POWER
BENEFICIALLY           {zero}
  OWNED BY        9.   SOLE DISPOSITIVE POWER
    EACH               {s.shares:,}
 REPORTING       10.   SHARED DISPOSITIVE POWER
PERSON WITH            {zero}
11.  AGGREGATE AMOUNT BENEFICIALLY OWNED BY EACH REPORTING PERSON
     {s.shares:,}
12.  CHECK BOX IF THE AGGREGATE AMOUNT IN ROW (11) EXCLUDES CERTAIN SHARES  [ ]
13.  PERCENT OF CLASS REPRESENTED BY AMOUNT IN ROW (11)
     {s.percent}%
14.  TYPE OF REPORTING PERSON
     PN
<PAGE>
Item 1.  Security and Issuer.
     This statement relates to the Common Stock of {issuer}.
Item 4.  Purpose of Transaction.
     Investment.
"""


def html_13d(s: Stake, cusip_printed: str = "805423 10 0") -> str:
    return f"""<html><head><title>SC 13D/A</title></head><body>
<p align="center"><b>UNITED STATES<br>SECURITIES AND EXCHANGE COMMISSION</b></p>
<p align="center"><b>SCHEDULE 13D/A</b></p>
<p align="center">(Amendment No. {s.amendment})</p>
<p align="center"><u>SAVVIS Communications Corporation</u><br>(Name of Issuer)</p>
<p align="center"><u>Common Stock, par value $0.01 per share</u><br>(Title of Class of Securities)</p>
<p align="center"><u>{cusip_printed}</u><br>(CUSIP Number)</p>
<p align="center"><u>{s.filed - dt.timedelta(days=3):%B %d, %Y}</u><br>(Date of Event which Requires Filing of this Statement)</p>
<hr style="page-break-after:always">
<p>CUSIP No. {cusip_printed}</p>
<table border="1" cellpadding="2">
<tr><td>1</td><td colspan="3">NAMES OF REPORTING PERSONS<br>I.R.S. IDENTIFICATION NOS. OF ABOVE PERSONS (ENTITIES ONLY)<br><br>Constellation Venture Capital II, L.P.</td></tr>
<tr><td>2</td><td colspan="3">CHECK THE APPROPRIATE BOX IF A MEMBER OF A GROUP<br>(a) <font face="Wingdings">&#254;</font><br>(b) <font face="Wingdings">&#168;</font></td></tr>
<tr><td>3</td><td colspan="3">SEC USE ONLY</td></tr>
<tr><td>4</td><td colspan="3">SOURCE OF FUNDS<br>WC</td></tr>
<tr><td>5</td><td colspan="3">CHECK BOX IF DISCLOSURE OF LEGAL PROCEEDINGS IS REQUIRED PURSUANT TO ITEMS 2(d) OR 2(e) &#9744;</td></tr>
<tr><td>6</td><td colspan="3">CITIZENSHIP OR PLACE OF ORGANIZATION<br>Delaware</td></tr>
<tr><td rowspan="4">NUMBER OF SHARES BENEFICIALLY OWNED BY EACH REPORTING PERSON WITH</td><td>7</td><td>SOLE VOTING POWER</td><td>{s.shares:,}</td></tr>
<tr><td>8</td><td>SHARED VOTING POWER</td><td>0</td></tr>
<tr><td>9</td><td>SOLE DISPOSITIVE POWER</td><td>{s.shares:,}</td></tr>
<tr><td>10</td><td>SHARED DISPOSITIVE POWER</td><td>0</td></tr>
<tr><td>11</td><td colspan="3">AGGREGATE AMOUNT BENEFICIALLY OWNED BY EACH REPORTING PERSON<br>{s.shares:,}</td></tr>
<tr><td>12</td><td colspan="3">CHECK BOX IF THE AGGREGATE AMOUNT IN ROW (11) EXCLUDES CERTAIN SHARES &#9744;</td></tr>
<tr><td>13</td><td colspan="3">PERCENT OF CLASS REPRESENTED BY AMOUNT IN ROW (11)<br>{s.percent}%</td></tr>
<tr><td>14</td><td colspan="3">TYPE OF REPORTING PERSON<br>PN</td></tr>
</table>
<p><b>Item 4. Purpose of Transaction.</b></p>
<p>Item 4 is amended to add that the Reporting Person changed its holding.</p>
</body></html>"""


def xml_13d(accession_prev: str | None, amendment: int | None, issuer: tuple[int, str], cusip: str,
            event: dt.date, holder: tuple[int, str], shares: float, percent: float) -> str:
    form = "SCHEDULE 13D/A" if amendment else "SCHEDULE 13D"
    prev = f"<previousAccessionNumber>{accession_prev}</previousAccessionNumber>" if accession_prev else ""
    amend = f"<amendmentNo>{amendment}</amendmentNo>" if amendment else ""
    return f"""<XML>
<?xml version="1.0" encoding="UTF-8"?>
<edgarSubmission xmlns="http://www.sec.gov/edgar/schedule13D" xmlns:com="http://www.sec.gov/edgar/common">
<headerData><submissionType>{form}</submissionType>{prev}
<filerInfo><filer><filerCredentials><cik>{holder[0]:010d}</cik><ccc>XXXXXXXX</ccc></filerCredentials></filer>
<liveTestFlag>LIVE</liveTestFlag></filerInfo></headerData>
<formData>
<coverPageHeader>{amend}<securitiesClassTitle>Common Stock</securitiesClassTitle>
<dateOfEvent>{event:%m/%d/%Y}</dateOfEvent>
<issuerInfo><issuerCIK>{issuer[0]:010d}</issuerCIK><issuerCUSIP>{cusip}</issuerCUSIP><issuerName>{issuer[1]}</issuerName></issuerInfo>
</coverPageHeader>
<reportingPersons><reportingPersonInfo>
<reportingPersonCIK>{holder[0]:010d}</reportingPersonCIK><reportingPersonName>{holder[1]}</reportingPersonName>
<memberOfGroup>a</memberOfGroup><fundType>WC</fundType><citizenshipOrOrganization>DE</citizenshipOrOrganization>
<soleVotingPower>{shares:.2f}</soleVotingPower><sharedVotingPower>0.00</sharedVotingPower>
<soleDispositivePower>{shares:.2f}</soleDispositivePower><sharedDispositivePower>0.00</sharedDispositivePower>
<aggregateAmountOwned>{shares:.2f}</aggregateAmountOwned><isAggregateExcludeShares>N</isAggregateExcludeShares>
<percentOfClass>{percent}</percentOfClass><typeOfReportingPerson>PN</typeOfReportingPerson>
</reportingPersonInfo></reportingPersons>
<items1To7><item4><transactionPurpose>The Reporting Person changed its holding.</transactionPurpose></item4></items1To7>
</formData></edgarSubmission>
</XML>"""


def savvis_filings() -> dict[str, str]:
    """accession -> full submission text, for the SAVVIS backfill."""
    subject, filer = (SUBJECT_CIK, SUBJECT), (HOLDER_CIK, HOLDER)
    s0, s1, s2, s3 = SAVVIS_CHAIN
    out = {
        s0.accession: _wrap(_sec_header(s0.accession, "SC 13D", s0.filed, subject, filer, ims=True), "SC 13D",
                            text_13d(s0), None, ims=True),
        s1.accession: _wrap(_sec_header(s1.accession, "SC 13D/A", s1.filed, subject, filer), "SC 13D/A",
                            html_13d(s1), "d13da1.htm"),
        s2.accession: _wrap(_sec_header(s2.accession, "SC 13D/A", s2.filed, subject, filer), "SC 13D/A",
                            html_13d(s2), "d13da2.htm"),
        s3.accession: _wrap(_sec_header(s3.accession, "SCHEDULE 13D/A", s3.filed, subject, filer), "SCHEDULE 13D/A",
                            xml_13d(s0.accession, 3, (SUBJECT_CIK, "SAVVIS Communications Corp"), CUSIP,
                                    s3.filed - dt.timedelta(days=2), (HOLDER_CIK, "Constellation Venture Capital II, L.P."),
                                    s3.shares, s3.percent), "primary_doc.xml"),
    }
    # SAVVIS as the filer of a 13D about someone else: listed in its submissions, not about it.
    other = Stake("0001086910-06-000505", dt.date(2006, 5, 5), None, 700_000, 6.1)
    out[other.accession] = _wrap(
        _sec_header(other.accession, "SC 13D", other.filed, (1300003, "HOSTING PARTNERS INC"), subject), "SC 13D",
        text_13d(other, "44000P10" + cusip_check_digit("44000P10"), "HOSTING PARTNERS INC"), None)
    # A 13D on SAVVIS's preferred stock: same issuer, another class.
    pref = Stake("0000950123-99-000606", dt.date(1999, 9, 9), None, 300_000, 30.0)
    out[pref.accession] = _wrap(
        _sec_header(pref.accession, "SC 13D", pref.filed, subject, (1400004, "PREFERRED HOLDER LP"), ims=True),
        "SC 13D", text_13d(pref, PREFERRED_CUSIP), None, ims=True)
    return out


NIGHTLY_DAYS = [dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 3, 4)]


def nightly_filings() -> dict[str, str]:
    """Filings on three consecutive index days; one of them cannot be parsed."""
    out: dict[str, str] = {}
    n = 0
    for day, count in zip(NIGHTLY_DAYS, (3, 2, 2), strict=True):
        for _ in range(count):
            n += 1
            acc = f"0001999999-26-{n:06d}"
            issuer_cik = 2000000 + n
            cusip8 = f"{300000 + n:06d}10"
            cusip = cusip8 + cusip_check_digit(cusip8)
            body = xml_13d(None, None, (issuer_cik, f"Nightly Issuer {n} Inc."), cusip, day - dt.timedelta(days=3),
                           (1999999, "Nightly Capital LP"), 100_000 * n, 5.0 + n)
            out[acc] = _wrap(_sec_header(acc, "SCHEDULE 13D", day, (issuer_cik, f"NIGHTLY ISSUER {n} INC"),
                                         (1999999, "NIGHTLY CAPITAL LP")), "SCHEDULE 13D", body, "primary_doc.xml")
    broken = "0001999999-26-000099"
    out[broken] = _wrap(_sec_header(broken, "SCHEDULE 13D", NIGHTLY_DAYS[1], (2999999, "BROKEN ISSUER INC"),
                                    (1999999, "NIGHTLY CAPITAL LP")), "SCHEDULE 13D",
                        "<XML>\n<?xml version='1.0'?>\n<!DOCTYPE x [<!ENTITY a 'b'>]><edgarSubmission/>\n</XML>",
                        "primary_doc.xml")
    return out


def world_fixtures() -> EdgarFixtures:
    """The whole world (SAVVIS's history and the three nightly days), ready for a LocalEdgar."""
    fx = EdgarFixtures()
    for text in {**savvis_filings(), **nightly_filings()}.values():
        fx.add_raw(text.encode("latin-1"))
    return fx


def write_world(folder: Path, *parts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for part in parts:
        for accession, text in part.items():
            (folder / f"{accession}.txt").write_text(text, encoding="latin-1")
    return folder
