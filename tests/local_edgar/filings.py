"""Small Schedule 13D full submissions in the three EDGAR eras, for the local EDGAR and the tests.

They carry what the crawler, a matcher and the extractors look at, in the true layout: the SGML header
(SUBJECT COMPANY and FILED BY blocks), one document, and a cover page (rows 1 to 14) with the CUSIP
printed the way filings of that era print it. 1990s filings are PEM-wrapped plain text with ``<PAGE>`` tags; 2001-2024 ones are HTML;
from 2024-12-18 the document is ``primary_doc.xml`` wrapped in ``<XML>``.
"""

from __future__ import annotations

import datetime as dt

from tests.local_edgar.model import Entity

XML_ERA_STARTS = dt.date(2024, 12, 18)
HTML_ERA_STARTS = dt.date(2001, 5, 1)


def era_of(filed: dt.date) -> str:
    if filed >= XML_ERA_STARTS:
        return "xml"
    return "html" if filed >= HTML_ERA_STARTS else "text"


def form_for(filed: dt.date, amendment: bool) -> str:
    base = "SCHEDULE 13D" if era_of(filed) == "xml" else "SC 13D"
    return base + ("/A" if amendment else "")


def _company_block(label: str, e: Entity, form: str, file_number: str | None, indent: str) -> str:
    lines = [f"{label}:\t\t", "", f"{indent}COMPANY DATA:\t",
             f"{indent}\tCOMPANY CONFORMED NAME:\t\t\t{e.name}",
             f"{indent}\tCENTRAL INDEX KEY:\t\t\t{e.cik:010d}",
             f"{indent}\tIRS NUMBER:\t\t\t\t000000000",
             f"{indent}\tSTATE OF INCORPORATION:\t\t\tDE", "",
             f"{indent}FILING VALUES:", f"{indent}\tFORM TYPE:\t\t{form}"]
    if file_number:
        lines += [f"{indent}\tSEC ACT:\t\t1934 Act", f"{indent}\tSEC FILE NUMBER:\t{file_number}"]
    lines += ["", f"{indent}BUSINESS ADDRESS:\t", f"{indent}\tSTREET 1:\t\t1 MAIN STREET",
              f"{indent}\tCITY:\t\t\tSPRINGFIELD", f"{indent}\tSTATE:\t\t\tIL", ""]
    return "\n".join(lines) + "\n"


def make_13d(accession: str, filed: dt.date, subject: Entity, filers: list[Entity], cusip_printed: str,
             *, amendment: bool = False, amendment_no: int = 1, file_number: str = "005-00000",
             title: str = "Common Stock, par value $0.01 per share", shares: int = 1_250_000,
             percent: str = "7.4", extra_text: str = "") -> bytes:
    """One full submission ``.txt`` of the era ``filed`` falls in, with the CUSIP printed as given."""
    era = era_of(filed)
    form = form_for(filed, amendment)
    ymd = f"{filed:%Y%m%d}"
    amend = f"(Amendment No. {amendment_no})" if amendment else ""
    header = [f"ACCESSION NUMBER:\t\t{accession}", f"CONFORMED SUBMISSION TYPE:\t{form}",
              "PUBLIC DOCUMENT COUNT:\t\t1", f"FILED AS OF DATE:\t\t{ymd}", ""]
    indent = "" if era == "text" else "\t"
    head = "\n".join(header) + "\n" + _company_block("SUBJECT COMPANY", subject, form, file_number, indent)
    for f in filers:
        head += "\n" + _company_block("FILED BY", f, form, None, indent)
    filer = filers[0]
    if era == "text":
        doc = (f"<DOCUMENT>\n<TYPE>{form}\n<SEQUENCE>1\n<DESCRIPTION>{form}\n<TEXT>\n\n"
               f"                       SECURITIES AND EXCHANGE COMMISSION\n"
               f"                             Washington, D.C. 20549\n\n"
               f"                                  SCHEDULE 13D\n"
               f"                    Under the Securities Exchange Act of 1934\n"
               f"                                {amend}\n\n"
               f"                    {subject.name}\n"
               f"                                (Name of Issuer)\n\n"
               f"                    {title}\n"
               f"                         (Title of Class of Securities)\n\n"
               f"                                  {cusip_printed}\n"
               f"                                 (CUSIP Number)\n\n"
               f"<PAGE>\n  (1)  NAME OF REPORTING PERSON: {filer.name}\n"
               f"  (2)  CHECK THE APPROPRIATE BOX IF A MEMBER OF A GROUP   (a) [ ]  (b) [X]\n"
               f"  (3)  SEC USE ONLY\n  (4)  SOURCE OF FUNDS: WC\n"
               f"  (5)  CHECK BOX IF DISCLOSURE OF LEGAL PROCEEDINGS IS REQUIRED PURSUANT TO ITEMS 2(d) OR 2(e) [ ]\n"
               f"  (6)  CITIZENSHIP OR PLACE OF ORGANIZATION: Delaware\n"
               f"  (7)  SOLE VOTING POWER: {shares:,}\n  (8)  SHARED VOTING POWER: -0-\n"
               f"  (9)  SOLE DISPOSITIVE POWER: {shares:,}\n  (10) SHARED DISPOSITIVE POWER: -0-\n"
               f"  (11) AGGREGATE AMOUNT BENEFICIALLY OWNED BY EACH REPORTING PERSON: {shares:,}\n"
               f"  (12) CHECK BOX IF THE AGGREGATE AMOUNT IN ROW (11) EXCLUDES CERTAIN SHARES [ ]\n"
               f"  (13) PERCENT OF CLASS REPRESENTED BY AMOUNT IN ROW (11): {percent}%\n"
               f"  (14) TYPE OF REPORTING PERSON: PN\n\n{extra_text}\n</TEXT>\n</DOCUMENT>\n")
        body = (f"<IMS-DOCUMENT>{accession}.txt : {ymd}\n<IMS-HEADER>{accession}.hdr.sgml : {ymd}\n"
                f"{head}</IMS-HEADER>\n{doc}</IMS-DOCUMENT>\n")
        return ("-----BEGIN PRIVACY-ENHANCED MESSAGE-----\nProc-Type: 2001,MIC-CLEAR\n"
                "Originator-Name: webmaster@www.sec.gov\nOriginator-Key-Asymmetric:\n"
                " MFgwCgYEVQgBAQICAf8DSgAwRwJAW2sNKK9AVtBzYZmr6aGjlWyK3XmZv3dTINen\n"
                " TWSM7vrzLADbmYQaionwg5sDW3P6oaM5D3tdezXMm7z1T+B+twIDAQAB\n"
                "MIC-Info: RSA-MD5,RSA,\n bG9jYWwgZWRnYXIgZml4dHVyZSBub3QgYSByZWFsIHNpZ25hdHVyZQ==\n\n"
                f"{body}-----END PRIVACY-ENHANCED MESSAGE-----\n").encode("latin-1")
    if era == "html":
        name = f"d{accession[-6:]}dsc13d{'a' if amendment else ''}.htm"
        doc = (f"<DOCUMENT>\n<TYPE>{form}\n<SEQUENCE>1\n<FILENAME>{name}\n<DESCRIPTION>{form}\n<TEXT>\n"
               f"<HTML><HEAD><TITLE>{form}</TITLE></HEAD><BODY>\n"
               f'<P ALIGN="center"><B>UNITED STATES<BR>SECURITIES AND EXCHANGE COMMISSION</B></P>\n'
               f'<P ALIGN="center"><B>SCHEDULE 13D</B><BR>{amend}</P>\n'
               f'<P ALIGN="center">{subject.name}<BR>(Name of Issuer)</P>\n'
               f'<P ALIGN="center">{title}<BR>(Title of Class of Securities)</P>\n'
               f'<TABLE><TR><TD ALIGN="center"><B>{cusip_printed}</B></TD></TR>\n'
               f'<TR><TD ALIGN="center">(CUSIP Number)</TD></TR></TABLE>\n'
               f"<TABLE BORDER=1><TR><TD>1</TD><TD>NAME OF REPORTING PERSON<BR>{filer.name}</TD></TR>\n"
               f"<TR><TD>2</TD><TD>CHECK THE APPROPRIATE BOX IF A MEMBER OF A GROUP<BR>(a) &#9744; (b) &#9746;</TD></TR>\n"
               f"<TR><TD>3</TD><TD>SEC USE ONLY</TD></TR>\n<TR><TD>4</TD><TD>SOURCE OF FUNDS<BR>WC</TD></TR>\n"
               f"<TR><TD>6</TD><TD>CITIZENSHIP OR PLACE OF ORGANIZATION<BR>Delaware</TD></TR>\n"
               f"<TR><TD>7</TD><TD>SOLE VOTING POWER<BR>{shares:,}</TD></TR>\n"
               f"<TR><TD>8</TD><TD>SHARED VOTING POWER<BR>0</TD></TR>\n"
               f"<TR><TD>9</TD><TD>SOLE DISPOSITIVE POWER<BR>{shares:,}</TD></TR>\n"
               f"<TR><TD>10</TD><TD>SHARED DISPOSITIVE POWER<BR>0</TD></TR>\n"
               f"<TR><TD>11</TD><TD>AGGREGATE AMOUNT BENEFICIALLY OWNED<BR>{shares:,}</TD></TR>\n"
               f"<TR><TD>13</TD><TD>PERCENT OF CLASS<BR>{percent}%</TD></TR>\n"
               f"<TR><TD>14</TD><TD>TYPE OF REPORTING PERSON<BR>PN</TD></TR></TABLE>\n"
               f"<P>{extra_text}</P>\n</BODY></HTML>\n</TEXT>\n</DOCUMENT>\n")
        return (f"<SEC-DOCUMENT>{accession}.txt : {ymd}\n<SEC-HEADER>{accession}.hdr.sgml : {ymd}\n"
                f"<ACCEPTANCE-DATETIME>{ymd}163003\n{head}</SEC-HEADER>\n{doc}</SEC-DOCUMENT>\n").encode("latin-1")
    xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<edgarSubmission xmlns="http://www.sec.gov/edgar/schedule13D">\n'
           f"<headerData><submissionType>{form}</submissionType></headerData>\n<formData>\n<coverPageHeader>\n"
           + (f"<amendmentNo>{amendment_no}</amendmentNo>\n" if amendment else "")
           + f"<securitiesClassTitle>{title}</securitiesClassTitle>\n<dateOfEvent>{filed:%m/%d/%Y}</dateOfEvent>\n"
           f"<issuerInfo><issuerCIK>{subject.cik:010d}</issuerCIK><issuerCUSIP>{cusip_printed}</issuerCUSIP>"
           f"<issuerName>{subject.name}</issuerName></issuerInfo>\n</coverPageHeader>\n"
           f"<reportingPersons><reportingPersonInfo><reportingPersonCIK>{filer.cik:010d}</reportingPersonCIK>"
           f"<reportingPersonName>{filer.name}</reportingPersonName>"
           f"<aggregateAmountOwned>{shares}.00</aggregateAmountOwned><percentOfClass>{percent}</percentOfClass>"
           f"<typeOfReportingPerson>PN</typeOfReportingPerson></reportingPersonInfo></reportingPersons>\n"
           f"<items1To7><item4><transactionPurpose>{extra_text or 'Investment.'}</transactionPurpose></item4>"
           f"</items1To7>\n</formData>\n</edgarSubmission>\n")
    doc = (f"<DOCUMENT>\n<TYPE>{form}\n<SEQUENCE>1\n<FILENAME>primary_doc.xml\n<TEXT>\n<XML>\n{xml}</XML>\n"
           f"</TEXT>\n</DOCUMENT>\n")
    return (f"<SEC-DOCUMENT>{accession}.txt : {ymd}\n<SEC-HEADER>{accession}.hdr.sgml : {ymd}\n"
            f"<ACCEPTANCE-DATETIME>{ymd}163003\n{head}</SEC-HEADER>\n{doc}</SEC-DOCUMENT>\n").encode()
