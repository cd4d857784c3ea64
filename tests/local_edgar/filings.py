"""Small Schedule 13D and 13G full submissions in the three EDGAR eras, for the local EDGAR and the tests.

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


def _sgml_header(accession: str, form: str, ymd: str, subject: Entity, filers: list[Entity],
                 file_number: str | None, era: str) -> str:
    """The submission header EDGAR writes: its own fields, the subject company, each filer (indented
    with a tab from the HTML era on, as EDGAR's own headers are)."""
    header = [f"ACCESSION NUMBER:\t\t{accession}", f"CONFORMED SUBMISSION TYPE:\t{form}",
              "PUBLIC DOCUMENT COUNT:\t\t1", f"FILED AS OF DATE:\t\t{ymd}", ""]
    indent = "" if era == "text" else "\t"
    head = "\n".join(header) + "\n" + _company_block("SUBJECT COMPANY", subject, form, file_number, indent)
    for f in filers:
        head += "\n" + _company_block("FILED BY", f, form, None, indent)
    return head


def _pem_wrapped(accession: str, ymd: str, head: str, doc: str) -> bytes:
    """A 1990s submission as EDGAR serves it: the IMS envelope inside a privacy-enhanced message."""
    body = (f"<IMS-DOCUMENT>{accession}.txt : {ymd}\n<IMS-HEADER>{accession}.hdr.sgml : {ymd}\n"
            f"{head}</IMS-HEADER>\n{doc}</IMS-DOCUMENT>\n")
    return ("-----BEGIN PRIVACY-ENHANCED MESSAGE-----\nProc-Type: 2001,MIC-CLEAR\n"
            "Originator-Name: webmaster@www.sec.gov\nOriginator-Key-Asymmetric:\n"
            " MFgwCgYEVQgBAQICAf8DSgAwRwJAW2sNKK9AVtBzYZmr6aGjlWyK3XmZv3dTINen\n"
            " TWSM7vrzLADbmYQaionwg5sDW3P6oaM5D3tdezXMm7z1T+B+twIDAQAB\n"
            "MIC-Info: RSA-MD5,RSA,\n bG9jYWwgZWRnYXIgZml4dHVyZSBub3QgYSByZWFsIHNpZ25hdHVyZQ==\n\n"
            f"{body}-----END PRIVACY-ENHANCED MESSAGE-----\n").encode("latin-1")


def make_13d(accession: str, filed: dt.date, subject: Entity, filers: list[Entity], cusip_printed: str,
             *, amendment: bool = False, amendment_no: int = 1, file_number: str = "005-00000",
             title: str = "Common Stock, par value $0.01 per share", shares: int = 1_250_000,
             percent: str = "7.4", extra_text: str = "") -> bytes:
    """One full submission ``.txt`` of the era ``filed`` falls in, with the CUSIP printed as given."""
    era = era_of(filed)
    form = form_for(filed, amendment)
    ymd = f"{filed:%Y%m%d}"
    amend = f"(Amendment No. {amendment_no})" if amendment else ""
    head = _sgml_header(accession, form, ymd, subject, filers, file_number, era)
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
        return _pem_wrapped(accession, ymd, head, doc)
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


# --- Schedule 13G (passive holders): rows 1 to 12, the rule box from 1998, items 1 to 10 -------------------

RULE_BOX_STARTS = dt.date(1998, 2, 17)  # the amended form (Release 34-39538) adds the rule box and event date
G_RULES = {"b": "Rule 13d-1(b)", "c": "Rule 13d-1(c)", "d": "Rule 13d-1(d)"}


def form_13g_for(filed: dt.date, amendment: bool) -> str:
    base = "SCHEDULE 13G" if era_of(filed) == "xml" else "SC 13G"
    return base + ("/A" if amendment else "")


def _text_box(checked: bool) -> str:
    return "[X]" if checked else "[ ]"


def make_13g(accession: str, filed: dt.date, subject: Entity, filers: list[Entity], cusip_printed: str,
             *, amendment_no: int | None = None, rule: str = "c", event: dt.date | None = None,
             title: str = "Common Stock, par value $0.01 per share", shares: int = 600_000,
             percent: str = "5.6", citizenship: str = "Delaware", person_type: str = "PN",
             file_number: str = "005-00000") -> bytes:
    """One Schedule 13G full submission of the era ``filed`` falls in: SC 13G / SC 13G/A in plain text
    (PEM-wrapped, 1990s) or HTML, SCHEDULE 13G / 13G/A as ``primary_doc.xml`` (namespace schedule13g)."""
    era = era_of(filed)
    amendment = amendment_no is not None
    form = form_13g_for(filed, amendment)
    ymd = f"{filed:%Y%m%d}"
    event = event or filed - dt.timedelta(days=10)
    boxed = filed >= RULE_BOX_STARTS
    head = _sgml_header(accession, form, ymd, subject, filers, file_number, era)
    filer = filers[0]
    amend_text = f"(Amendment No. {amendment_no})*" if amendment else "(Amendment No. ___)*"
    if era == "text":
        front = ("Check the appropriate box to designate the rule pursuant to which this Schedule is filed:\n\n"
                 + "".join(f"     {_text_box(k == rule)}  {v}\n" for k, v in G_RULES.items())
                 if boxed else
                 "Check the following box if a fee is being paid with this statement [ ].\n")
        event_block = (f"                              {event:%B %-d, %Y}\n"
                       "        (Date of Event Which Requires Filing of this Statement)\n\n") if boxed else ""
        doc = (f"<DOCUMENT>\n<TYPE>{form}\n<SEQUENCE>1\n<DESCRIPTION>{form}\n<TEXT>\n\n"
               "                       SECURITIES AND EXCHANGE COMMISSION\n"
               "                             Washington, D.C. 20549\n\n"
               "                                  SCHEDULE 13G\n\n"
               "                    Under the Securities Exchange Act of 1934\n"
               f"                              {amend_text}\n\n"
               f"                           {subject.name}\n"
               "                                (Name of Issuer)\n\n"
               f"                    {title}\n"
               "                         (Title of Class of Securities)\n\n"
               f"                                  {cusip_printed}\n"
               "                                 (CUSIP Number)\n\n"
               f"{event_block}{front}\n"
               "*The remainder of this cover page shall be filled out for a reporting person's initial\n"
               "filing on this form with respect to the subject class of securities.\n\n"
               f"<PAGE>\nCUSIP No. {cusip_printed}               13G                   Page 2 of 5 Pages\n"
               "- ------------------------------------------------------------------------------\n"
               "  1   NAME OF REPORTING PERSON\n"
               "      S.S. OR I.R.S. IDENTIFICATION NO. OF ABOVE PERSON\n\n"
               f"          {filer.name}\n"
               "- ------------------------------------------------------------------------------\n"
               "  2   CHECK THE APPROPRIATE BOX IF A MEMBER OF A GROUP              (a) [ ]\n"
               "                                                                   (b) [ ]\n"
               "- ------------------------------------------------------------------------------\n"
               "  3   SEC USE ONLY\n\n"
               "- ------------------------------------------------------------------------------\n"
               "  4   CITIZENSHIP OR PLACE OF ORGANIZATION\n\n"
               f"          {citizenship}\n"
               "- ------------------------------------------------------------------------------\n"
               "                  5   SOLE VOTING POWER\n"
               f"   NUMBER OF              {shares:,}\n"
               "    SHARES        ------------------------------------------------------------\n"
               "  BENEFICIALLY     6   SHARED VOTING POWER\n"
               "   OWNED BY                -0-\n"
               "     EACH         ------------------------------------------------------------\n"
               "   REPORTING       7   SOLE DISPOSITIVE POWER\n"
               f"    PERSON                {shares:,}\n"
               "     WITH         ------------------------------------------------------------\n"
               "                   8   SHARED DISPOSITIVE POWER\n"
               "                           -0-\n"
               "- ------------------------------------------------------------------------------\n"
               "  9   AGGREGATE AMOUNT BENEFICIALLY OWNED BY EACH REPORTING PERSON\n\n"
               f"          {shares:,}\n"
               "- ------------------------------------------------------------------------------\n"
               " 10   CHECK BOX IF THE AGGREGATE AMOUNT IN ROW (9) EXCLUDES CERTAIN SHARES      [ ]\n"
               "- ------------------------------------------------------------------------------\n"
               " 11   PERCENT OF CLASS REPRESENTED BY AMOUNT IN ROW 9\n\n"
               f"          {percent}%\n"
               "- ------------------------------------------------------------------------------\n"
               " 12   TYPE OF REPORTING PERSON\n\n"
               f"          {person_type}\n"
               "- ------------------------------------------------------------------------------\n\n"
               "<PAGE>\n"
               "Item 1(a).    Name of Issuer:\n\n"
               f"              {subject.name}\n\n"
               "Item 1(b).    Address of Issuer's Principal Executive Offices:\n\n"
               "              1 Main Street, Springfield, Illinois 62701\n\n"
               "Item 2(a).    Name of Person Filing:\n\n"
               f"              {filer.name}\n\n"
               "Item 2(b).    Address of Principal Business Office or, if None, Residence:\n\n"
               "              200 Harbor Road, Stamford, Connecticut 06902\n\n"
               f"Item 2(c).    Citizenship:  {citizenship}\n\n"
               f"Item 2(d).    Title of Class of Securities:  {title}\n\n"
               f"Item 2(e).    CUSIP Number:  {cusip_printed}\n\n"
               "Item 3.       If this statement is filed pursuant to Rules 13d-1(b), or 13d-2(b),\n"
               "              check whether the person filing is a:  Not applicable.\n\n"
               "Item 4.       Ownership.\n\n"
               f"              (a) Amount beneficially owned: {shares:,}\n"
               f"              (b) Percent of class: {percent}%\n\n"
               "Item 5.       Ownership of Five Percent or Less of a Class.\n\n"
               "              Not applicable.\n\n"
               "Item 6.       Ownership of More than Five Percent on Behalf of Another Person.\n\n"
               "              Not applicable.\n\n"
               "Item 7.       Identification and Classification of the Subsidiary Which Acquired\n"
               "              the Security Being Reported on By the Parent Holding Company.\n\n"
               "              Not applicable.\n\n"
               "Item 8.       Identification and Classification of Members of the Group.\n\n"
               "              Not applicable.\n\n"
               "Item 9.       Notice of Dissolution of Group.\n\n"
               "              Not applicable.\n\n"
               "Item 10.      Certification.\n\n"
               "              By signing below I certify that, to the best of my knowledge and belief,\n"
               "              the securities referred to above were not acquired and are not held for\n"
               "              the purpose of or with the effect of changing or influencing the control\n"
               "              of the issuer of the securities.\n\n"
               "                                    SIGNATURE\n\n"
               "     After reasonable inquiry and to the best of my knowledge and belief, I certify\n"
               "that the information set forth in this statement is true, complete and correct.\n\n"
               f"Dated: {filed:%B %-d, %Y}\n\n"
               f"                                   {filer.name}\n"
               "                                   By: /s/ Jane Q. Partner\n"
               "                                   Name: Jane Q. Partner\n"
               "                                   Title: Managing Member\n"
               "</TEXT>\n</DOCUMENT>\n")
        return _pem_wrapped(accession, ymd, head, doc)
    if era == "html":
        name = f"d{accession[-6:]}dsc13g{'a' if amendment else ''}.htm"
        box = {True: "&#9746;", False: "&#9744;"}
        rules = "".join(f'<TR><TD WIDTH="5%">{box[k == rule]}</TD><TD>{v}</TD></TR>\n' for k, v in G_RULES.items())
        cell = '<TD VALIGN="top" STYLE="border:1px solid black">'
        doc = (f"<DOCUMENT>\n<TYPE>{form}\n<SEQUENCE>1\n<FILENAME>{name}\n<DESCRIPTION>{form}\n<TEXT>\n"
               f"<HTML><HEAD><TITLE>{form}</TITLE></HEAD><BODY>\n"
               '<P ALIGN="center"><B>UNITED STATES<BR>SECURITIES AND EXCHANGE COMMISSION</B><BR>Washington, D.C. 20549</P>\n'
               f'<P ALIGN="center"><B>SCHEDULE 13G</B></P>\n<P ALIGN="center">Under the Securities Exchange Act of 1934<BR>{amend_text}</P>\n'
               f'<P ALIGN="center"><U>{subject.name}</U><BR>(Name of Issuer)</P>\n'
               f'<P ALIGN="center"><U>{title}</U><BR>(Title of Class of Securities)</P>\n'
               f'<P ALIGN="center"><U>{cusip_printed}</U><BR>(CUSIP Number)</P>\n'
               f'<P ALIGN="center"><U>{event:%B %-d, %Y}</U><BR>(Date of Event Which Requires Filing of this Statement)</P>\n'
               "<P>Check the appropriate box to designate the rule pursuant to which this Schedule is filed:</P>\n"
               f"<TABLE>{rules}</TABLE>\n"
               '<P STYLE="page-break-before:always">CUSIP No. ' + cusip_printed + "</P>\n"
               '<TABLE CELLSPACING="0" CELLPADDING="2" WIDTH="100%">\n'
               f"<TR>{cell}1</TD>{cell}NAMES OF REPORTING PERSONS<BR><BR>{filer.name}</TD></TR>\n"
               f"<TR>{cell}2</TD>{cell}CHECK THE APPROPRIATE BOX IF A MEMBER OF A GROUP<BR>(a) &#9744;<BR>(b) &#9744;</TD></TR>\n"
               f"<TR>{cell}3</TD>{cell}SEC USE ONLY</TD></TR>\n"
               f"<TR>{cell}4</TD>{cell}CITIZENSHIP OR PLACE OF ORGANIZATION<BR><BR>{citizenship}</TD></TR>\n"
               f"<TR>{cell}5</TD>{cell}SOLE VOTING POWER<BR><BR>{shares:,}</TD></TR>\n"
               f"<TR>{cell}6</TD>{cell}SHARED VOTING POWER<BR><BR>0</TD></TR>\n"
               f"<TR>{cell}7</TD>{cell}SOLE DISPOSITIVE POWER<BR><BR>{shares:,}</TD></TR>\n"
               f"<TR>{cell}8</TD>{cell}SHARED DISPOSITIVE POWER<BR><BR>0</TD></TR>\n"
               f"<TR>{cell}9</TD>{cell}AGGREGATE AMOUNT BENEFICIALLY OWNED BY EACH REPORTING PERSON<BR><BR>{shares:,}</TD></TR>\n"
               f"<TR>{cell}10</TD>{cell}CHECK BOX IF THE AGGREGATE AMOUNT IN ROW (9) EXCLUDES CERTAIN SHARES &#9744;</TD></TR>\n"
               f"<TR>{cell}11</TD>{cell}PERCENT OF CLASS REPRESENTED BY AMOUNT IN ROW (9)<BR><BR>{percent}%</TD></TR>\n"
               f"<TR>{cell}12</TD>{cell}TYPE OF REPORTING PERSON<BR><BR>{person_type}</TD></TR>\n</TABLE>\n"
               f"<P><B>Item 1(a).</B> Name of Issuer: {subject.name}</P>\n"
               "<P><B>Item 1(b).</B> Address of Issuer's Principal Executive Offices: 1 Main Street, Springfield, IL 62701</P>\n"
               f"<P><B>Item 2(a).</B> Name of Person Filing: {filer.name}</P>\n"
               f"<P><B>Item 2(c).</B> Citizenship: {citizenship}</P>\n"
               "<P><B>Item 3.</B> If this statement is filed pursuant to &#167;&#167;240.13d-1(b) or 240.13d-2(b) or (c), "
               "check whether the person filing is a: Not applicable.</P>\n"
               f"<P><B>Item 4.</B> Ownership.</P>\n<P>(a) Amount beneficially owned: {shares:,}</P>\n"
               f"<P>(b) Percent of class: {percent}%</P>\n"
               "<P><B>Item 5.</B> Ownership of Five Percent or Less of a Class.</P><P>Not applicable.</P>\n"
               "<P><B>Item 6.</B> Ownership of More than Five Percent on Behalf of Another Person.</P><P>Not applicable.</P>\n"
               "<P><B>Item 7.</B> Identification and Classification of the Subsidiary Which Acquired the Security "
               "Being Reported on By the Parent Holding Company.</P><P>Not applicable.</P>\n"
               "<P><B>Item 8.</B> Identification and Classification of Members of the Group.</P><P>Not applicable.</P>\n"
               "<P><B>Item 9.</B> Notice of Dissolution of Group.</P><P>Not applicable.</P>\n"
               "<P><B>Item 10.</B> Certification.</P><P>By signing below I certify that, to the best of my knowledge "
               "and belief, the securities referred to above were not acquired and are not held for the purpose of "
               "or with the effect of changing or influencing the control of the issuer of the securities.</P>\n"
               "<P ALIGN=\"center\"><B>SIGNATURE</B></P>\n"
               "<P>After reasonable inquiry and to the best of my knowledge and belief, I certify that the information "
               "set forth in this statement is true, complete and correct.</P>\n"
               f"<P>Date: {filed:%B %-d, %Y}</P><P>{filer.name}<BR>By: /s/ Jane Q. Partner<BR>Name: Jane Q. Partner"
               "<BR>Title: Managing Member</P>\n</BODY></HTML>\n</TEXT>\n</DOCUMENT>\n")
        return (f"<SEC-DOCUMENT>{accession}.txt : {ymd}\n<SEC-HEADER>{accession}.hdr.sgml : {ymd}\n"
                f"<ACCEPTANCE-DATETIME>{ymd}163003\n{head}</SEC-HEADER>\n{doc}</SEC-DOCUMENT>\n").encode("latin-1")
    xml = ('<?xml version="1.0" encoding="UTF-8"?><edgarSubmission xmlns="http://www.sec.gov/edgar/schedule13g" '
           'xmlns:com="http://www.sec.gov/edgar/common">\n'
           f"    <headerData>\n        <submissionType>{form}</submissionType>\n        <filerInfo>\n"
           f"            <filer>\n                <filerCredentials>\n                    <cik>{filer.cik:010d}</cik>\n"
           "                    <ccc>XXXXXXXX</ccc>\n                </filerCredentials>\n            </filer>\n"
           "            <liveTestFlag>LIVE</liveTestFlag>\n        </filerInfo>\n    </headerData>\n"
           "    <formData>\n        <coverPageHeader>\n"
           + (f"            <amendmentNo>{amendment_no}</amendmentNo>\n" if amendment else "")
           + f"            <securitiesClassTitle>{title}</securitiesClassTitle>\n"
           f"            <eventDateRequiresFilingThisStatement>{event:%m/%d/%Y}</eventDateRequiresFilingThisStatement>\n"
           f"            <issuerInfo>\n                <issuerCik>{subject.cik:010d}</issuerCik>\n"
           f"                <issuerName>{subject.name}</issuerName>\n"
           f"                <issuerCusips>\n                    <issuerCusipNumber>{cusip_printed}</issuerCusipNumber>\n"
           "                </issuerCusips>\n"
           "                <issuerPrincipalExecutiveOfficeAddress>\n                    <com:street1>1 MAIN STREET</com:street1>\n"
           "                    <com:city>SPRINGFIELD</com:city>\n                    <com:stateOrCountry>IL</com:stateOrCountry>\n"
           "                    <com:zipCode>62701</com:zipCode>\n                </issuerPrincipalExecutiveOfficeAddress>\n"
           "            </issuerInfo>\n            <designateRulesPursuantThisScheduleFiled>\n"
           f"                <designateRulePursuantThisScheduleFiled>{G_RULES[rule]}</designateRulePursuantThisScheduleFiled>\n"
           "            </designateRulesPursuantThisScheduleFiled>\n        </coverPageHeader>\n"
           "        <coverPageHeaderReportingPersonDetails>\n"
           f"            <reportingPersonName>{filer.name}</reportingPersonName>\n"
           f"            <citizenshipOrOrganization>{'DE' if citizenship == 'Delaware' else citizenship}</citizenshipOrOrganization>\n"
           "            <reportingPersonBeneficiallyOwnedNumberOfShares>\n"
           f"                <soleVotingPower>{shares}.00</soleVotingPower>\n                <sharedVotingPower>0.00</sharedVotingPower>\n"
           f"                <soleDispositivePower>{shares}.00</soleDispositivePower>\n"
           "                <sharedDispositivePower>0.00</sharedDispositivePower>\n"
           "            </reportingPersonBeneficiallyOwnedNumberOfShares>\n"
           f"            <reportingPersonBeneficiallyOwnedAggregateNumberOfShares>{shares}.00</reportingPersonBeneficiallyOwnedAggregateNumberOfShares>\n"
           f"            <classPercent>{percent}</classPercent>\n"
           f"            <typeOfReportingPerson>{person_type}</typeOfReportingPerson>\n"
           "        </coverPageHeaderReportingPersonDetails>\n        <items>\n"
           f"            <item1>\n                <issuerName>{subject.name}</issuerName>\n"
           "                <issuerPrincipalExecutiveOfficeAddress>1 MAIN STREET SPRINGFIELD IL 62701</issuerPrincipalExecutiveOfficeAddress>\n"
           "            </item1>\n"
           f"            <item2>\n                <filingPersonName>{filer.name}</filingPersonName>\n"
           "                <principalBusinessOfficeOrResidenceAddress>200 Harbor Road, Stamford, CT 06902</principalBusinessOfficeOrResidenceAddress>\n"
           f"                <citizenship>{citizenship}</citizenship>\n            </item2>\n"
           "            <item3>\n                <notApplicableFlag>Y</notApplicableFlag>\n            </item3>\n"
           f"            <item4>\n                <amountBeneficiallyOwned>{shares}.00</amountBeneficiallyOwned>\n"
           f"                <classPercent>{percent}</classPercent>\n            </item4>\n"
           "            <item5>\n                <notApplicableFlag>Y</notApplicableFlag>\n            </item5>\n"
           "            <item10>\n                <notApplicableFlag>N</notApplicableFlag>\n"
           "                <certifications>By signing below I certify that, to the best of my knowledge and belief, the "
           "securities referred to above were not acquired and are not held for the purpose of or with the effect of "
           "changing or influencing the control of the issuer of the securities.</certifications>\n"
           "            </item10>\n        </items>\n        <signatureInformation>\n"
           f"            <reportingPersonName>{filer.name}</reportingPersonName>\n            <signatureDetails>\n"
           "                <signature>/s/ Jane Q. Partner</signature>\n                <title>Managing Member</title>\n"
           f"                <date>{filed:%m/%d/%Y}</date>\n            </signatureDetails>\n        </signatureInformation>\n"
           "    </formData>\n</edgarSubmission>\n")
    doc = (f"<DOCUMENT>\n<TYPE>{form}\n<SEQUENCE>1\n<FILENAME>primary_doc.xml\n<TEXT>\n<XML>\n{xml}</XML>\n"
           f"</TEXT>\n</DOCUMENT>\n")
    return (f"<SEC-DOCUMENT>{accession}.txt : {ymd}\n<SEC-HEADER>{accession}.hdr.sgml : {ymd}\n"
            f"<ACCEPTANCE-DATETIME>{ymd}163003\n{head}</SEC-HEADER>\n{doc}</SEC-DOCUMENT>\n").encode()
