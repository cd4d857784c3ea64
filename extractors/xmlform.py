"""Read an XML-era schedule (``SCHEDULE 13D``/``13D/A``, ``SCHEDULE 13G``/``13G/A``, 2024-12-18 on) into row dicts.

Which schedule a file is comes from its namespace (then its ``submissionType``); where each value sits
comes from that schedule's :class:`~extractors.schedules.XmlForm`, so 13D and 13G are one reader.

The XML is the filer's own structured statement, so unlike the text and HTML eras nothing is guessed:
each value is read from its element. What still needs care is that generators differ (a default
namespace, an ``sch:`` prefix on every element, namespaces declared inline), that files are not always
well-formed, and that amendments omit most cover elements, which must stay NULL rather than become 0.
Every lookup therefore goes by local element name, and absent elements give ``None``.

The returned dicts use the column names of :mod:`extractors.schema`; the caller adds provenance
(filing id, accession, hashes) and turns them into a :class:`extractors.model.ParsedFiling`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from extractors.cusip import normalize_cusip as _normalize_printed_cusip
from extractors.model import ExtractionError
from extractors.places import place_code
from extractors.safexml import local_name, parse_untrusted_xml
from extractors.schedules import (
    SCHEDULES,
    Schedule,
    schedule_of_form,
    schedule_of_namespace,
)

# Reader-facing labels for the item sub-elements, following the lettered paragraphs of the form.
# ``None`` means the element is the item's whole prose answer: printing a label would only repeat
# the heading. Unknown elements get their camelCase name spelled out (see _humanize).
_ITEM_LABELS: dict[str, str | None] = {
    "securityTitle": "Title of class of securities",
    "issuerName": "Name of issuer",
    "issuerPrincipalAddress": "Address of issuer's principal executive offices",
    "commentText": None,
    "filingPersonName": "(a) Name",
    "principalBusinessAddress": "(b) Residence or business address",
    "principalJob": "(c) Present principal occupation or employment",
    "hasBeenConvicted": "(d) Criminal proceedings",
    "convictionDescription": "(e) Civil proceedings",
    "citizenship": "(f) Citizenship",
    "fundsSource": None,
    "transactionPurpose": None,
    "percentageOfClassSecurities": "(a) Aggregate number and percentage of class beneficially owned",
    "numberOfShares": "(b) Sole or shared power to vote or dispose",
    "transactionDesc": "(c) Transactions effected during the past sixty days",
    "listOfShareholders": "(d) Right to receive dividends or proceeds of sale",
    "date5PercentOwnership": "(e) Date ceased to be the beneficial owner of more than five percent",
    "contractDescription": None,
    "filedExhibits": None,
    # Schedule 13G (items 1 to 10)
    "issuerPrincipalExecutiveOfficeAddress": "(b) Address of issuer's principal executive offices",
    "principalBusinessOfficeOrResidenceAddress": "(b) Address of principal business office or residence",
    "notApplicableFlag": "Not applicable",
    "typeOfPersonFiling": "Type of person filing",
    "amountBeneficiallyOwned": "(a) Amount beneficially owned",
    "classPercent": "(b) Percent of class",
    "numberOfSharesPersonHas": "(c) Number of shares as to which the person has",
    "solePowerOrDirectToVote": "(i) Sole power to vote or to direct the vote",
    "sharedPowerOrDirectToVote": "(ii) Shared power to vote or to direct the vote",
    "solePowerOrDirectToDispose": "(iii) Sole power to dispose or to direct the disposition of",
    "sharedPowerOrDirectToDispose": "(iv) Shared power to dispose or to direct the disposition of",
    "classOwnership5PercentOrLess": "Ownership of 5 percent or less of a class",
    "ownershipMoreThan5PercentOnBehalfOfAnotherPerson": None,
    "subsidiaryIdentificationAndClassification": None,
    "identificationAndClassificationOfGroupMembers": None,
    "groupDissolutionNotice": None,
    "certifications": None,
}

_ITEM_TAG = re.compile(r"item([1-9][0-9]?)$")
_MONEY_CHARS = str.maketrans("", "", ",$% \t\r\n")
_HSPACE = re.compile(r"[ \t\f\v\u00a0]{2,}|[\t\f\v\u00a0]")
_SPACED_NEWLINE = re.compile(r" ?\n ?")
_MANY_NEWLINES = re.compile(r"\n{3,}")
_WS = re.compile(r"\s+")
_TRUE = frozenset({"y", "yes", "true", "1", "x"})
_FALSE = frozenset({"n", "no", "false", "0"})


@dataclass
class XmlFiling:
    """What one ``primary_doc.xml`` says; dict keys are column names of :mod:`extractors.schema`."""

    filing: dict[str, Any]
    reporting_persons: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    signatures: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    schedule: Schedule = SCHEDULES["13D"]


def parse_xml(data: bytes) -> XmlFiling:
    """Parse the XML payload of an XML-era schedule (bare ``primary_doc.xml`` or an ``<XML>`` slice).

    The schedule is the one the file's namespace names, else its ``submissionType``, else the one whose
    reporting-person element it holds. Raises ``ExtractionError``: ``bad_xml`` (empty, not XML,
    DOCTYPE, unrecoverable), ``too_large``, ``not_13d`` (neither a 13D nor a 13G), ``no_cover_page``
    (no ``formData``).
    """
    root, warnings = parse_untrusted_xml(data)
    recovered = bool(warnings)
    root_name = local_name(root.tag)
    tag = root.tag if isinstance(root.tag, str) else ""
    namespace = tag[1 : tag.index("}")] if tag.startswith("{") else ""

    top = _children(root)
    header = _first(top, "headerData")
    form_data = _first(top, "formData")
    header_kids = _children(header) if header is not None else {}
    form_type = _fold(_text(_first(header_kids, "submissionType")))

    schedule = _which_schedule(namespace, form_type, form_data, warnings)
    if recovered:
        _hoist_out_of_leaves(root, schedule, warnings)  # recovered from a malformed file: undo an unclosed tag
    if root_name != "edgarSubmission":
        warnings.append(f"unexpected_root: <{root_name}>")
    if form_data is None:
        raise ExtractionError(
            "no_cover_page", f"no <formData> under <{root_name}>: not a Schedule {schedule.name} document"
        )
    if form_type is None:
        warnings.append("no_submission_type: headerData/submissionType missing")

    spec = schedule.xml
    form_kids = _children(form_data)
    cover = _first(form_kids, "coverPageHeader")
    filing = _filing(header, form_type, cover, schedule, warnings)
    persons = [_person(el, schedule) for el in _each_path(form_kids, spec.persons)]
    if not persons:
        warnings.append(f"no_reporting_persons: formData/{'/'.join(spec.persons)} is empty")
    items = _items(_first(form_kids, spec.items), schedule)
    signatures = [row for info in form_kids.get(spec.signatures, ()) for row in _signatures(info)]
    return XmlFiling(filing, persons, items, signatures, warnings, schedule)


def _which_schedule(namespace: str, form_type: str | None, form_data: etree._Element | None,
                    warnings: list[str]) -> Schedule:
    """The schedule a file is, by its namespace, then its submission type, then its person elements;
    a submission type of the other schedule is a warning (the file is read by what it is)."""
    by_namespace = schedule_of_namespace(namespace) if namespace else None
    by_form = schedule_of_form(form_type)
    if form_type and by_form is None:
        raise ExtractionError("not_13d", f"submissionType {form_type!r} is neither a Schedule 13D nor a 13G")
    by_content = None
    if form_data is not None:
        names = {local_name(el.tag) for el in form_data}
        by_content = next((s for s in SCHEDULES.values() if s.xml.persons[0] in names), None)
    schedule = by_namespace or by_content or by_form
    if schedule is None:
        if form_type:
            raise ExtractionError("not_13d", f"submissionType {form_type!r} is neither a Schedule 13D nor a 13G")
        schedule = SCHEDULES["13D"]
    if namespace and by_namespace is None:
        warnings.append(f"unexpected_namespace: {namespace}")
    if by_form is not None and by_form is not schedule:
        warnings.append(
            f"schedule_mismatch: submissionType {form_type!r} but the document is a Schedule {schedule.name}; "
            f"read as a {schedule.name}"
        )
    return schedule


# --- tree helpers: every lookup is by local name ------------------------------------------------

# Elements that only ever hold text. After recovery, one of them holding elements means its closing
# tag was missing and the parser nested the following siblings inside it.
_LEAVES = frozenset(
    {
        "submissionType",
        "previousAccessionNumber",
        "amendmentNo",
        "securitiesClassTitle",
        "dateOfEvent",
        "issuerCIK",
        "issuerCUSIP",
        "issuerCusipNumber",
        "issuerName",
        "reportingPersonCIK",
        "reportingPersonNoCIK",
        "reportingPersonName",
        "memberOfGroup",
        "fundType",
        "legalProceedings",
        "citizenshipOrOrganization",
        "soleVotingPower",
        "sharedVotingPower",
        "soleDispositivePower",
        "sharedDispositivePower",
        "aggregateAmountOwned",
        "isAggregateExcludeShares",
        "percentOfClass",
        "typeOfReportingPerson",
        "commentContent",
        "signatureReportingPerson",
        "signature",
        "title",
        "date",
        *(name for name in _ITEM_LABELS if name != "issuerPrincipalAddress"),
    }
)


def _hoist_out_of_leaves(root: etree._Element, schedule: Schedule, warnings: list[str]) -> None:
    """Move elements that recovery nested inside a text-only element back to follow it."""
    leaves = _LEAVES | schedule.xml.leaves
    for el in list(root.iter()):
        name = local_name(el.tag)
        if name not in leaves or len(el) == 0:
            continue
        parent = el.getparent()
        if parent is None:
            continue
        at = parent.index(el)
        for offset, child in enumerate(list(el), start=1):
            parent.insert(at + offset, child)
        warnings.append(f"xml_repaired: moved elements out of unclosed <{name}>")


def _children(el: etree._Element | None) -> dict[str, list[etree._Element]]:
    """Element children grouped by local name, in document order (one pass over the children)."""
    out: dict[str, list[etree._Element]] = {}
    if el is None:
        return out
    for child in el:
        name = local_name(child.tag)
        if name:
            out.setdefault(name, []).append(child)
    return out


def _first(kids: dict[str, list[etree._Element]], name: str) -> etree._Element | None:
    found = kids.get(name)
    return found[0] if found else None


def _each_path(kids: dict[str, list[etree._Element]], path: tuple[str, ...]) -> Iterator[etree._Element]:
    """Every element at ``path`` (local names) below the element whose children are ``kids``."""
    if len(path) == 1:
        yield from kids.get(path[0], ())
        return
    for box in kids.get(path[0], ()):
        yield from _each_path(_children(box), path[1:])


def _descendants(el: etree._Element | None, *names: str) -> Iterator[etree._Element]:
    if el is None:
        return
    wanted = set(names)
    for node in el.iter():
        if local_name(node.tag) in wanted:
            yield node


def _text(el: etree._Element | None) -> str | None:
    """All text under the element, stripped; None when absent or blank."""
    if el is None:
        return None
    value = el.text if len(el) == 0 else "".join(el.itertext())
    if value is None:
        return None
    value = value.strip()
    return value or None


def _fold(value: str | None) -> str | None:
    return _WS.sub(" ", value) if value else None


# --- value conversions: NULL when absent, a warning when printed but unreadable -------------------


def _number(value: str | None, what: str, warnings: list[str]) -> float | None:
    if value is None:
        return None
    try:
        return float(value.translate(_MONEY_CHARS))
    except ValueError:
        warnings.append(f"bad_number: {what}={value!r}")
        return None


def _flag(value: str | None, what: str, warnings: list[str]) -> bool | None:
    if value is None:
        return None
    low = value.lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    warnings.append(f"bad_flag: {what}={value!r}")
    return None


def _date(value: str | None, what: str, warnings: list[str]) -> dt.date | None:
    """MM/DD/YYYY as the schema prescribes; ISO is accepted because some generators emit it."""
    if value is None:
        return None
    try:
        if len(value) == 10 and value[2] == "/" and value[5] == "/":
            return dt.date(int(value[6:]), int(value[:2]), int(value[3:5]))
        return dt.date.fromisoformat(value)
    except ValueError:
        warnings.append(f"bad_date: {what}={value!r}")
        return None


def _cik(value: str | None) -> str | None:
    if value is None:
        return None
    digits = value.strip().lstrip("0")
    return digits if digits.isdigit() else None


def _codes(elements: list[etree._Element] | None) -> list[str]:
    """Repeated code elements (fundType, typeOfReportingPerson); ``00`` typed for ``OO`` is read as OO."""
    out: list[str] = []
    for el in elements or ():
        code = _text(el)
        if code:
            code = code.upper()
            out.append("OO" if code == "00" else code)
    return out


# --- CUSIP -----------------------------------------------------------------------------------------


def normalize_cusip(raw: str | None) -> str | None:
    """The shared CUSIP rule, minus the all-zero placeholder some filers type when there is no CUSIP
    (it passes the check digit, but names no security)."""
    value = _normalize_printed_cusip(raw)
    return None if value == "000000000" else value


# --- sections ------------------------------------------------------------------------------------


def _filing(
    header: etree._Element | None,
    form_type: str | None,
    cover: etree._Element | None,
    schedule: Schedule,
    warnings: list[str],
) -> dict[str, Any]:
    spec = schedule.xml
    header_kids = _children(header)
    cover_kids = _children(cover)
    issuer = _first(cover_kids, "issuerInfo")
    issuer_kids = _children(issuer)
    if cover is None:
        warnings.append("no_cover_page_header: formData/coverPageHeader missing")

    amendment_raw = _text(_first(cover_kids, "amendmentNo"))
    amendment_number: int | None = None
    if amendment_raw is not None:
        try:
            amendment_number = int(float(amendment_raw))
        except ValueError:
            warnings.append(f"bad_number: amendmentNo={amendment_raw!r}")

    cusips_raw = [
        t for t in (_text(el) for el in _descendants(issuer, *spec.cusips)) if t
    ]
    cusips: list[str] = []
    for raw in cusips_raw:
        valid = normalize_cusip(raw)
        if valid is None:
            warnings.append(f"cusip_invalid: {raw!r}")
        elif valid not in cusips:
            cusips.append(valid)

    filer_ciks: list[str] = []
    for el in _descendants(_first(header_kids, "filerInfo"), "cik"):
        cik = _cik(_text(el))
        if cik and cik not in filer_ciks:
            filer_ciks.append(cik)

    is_amendment = (form_type or "").upper().endswith("/A") or amendment_number is not None
    rules: list[str] = []
    if spec.rules:
        for el in _descendants(cover, spec.rules):
            letter = rule_letter(_text(el))
            if letter and letter not in rules:
                rules.append(letter)
    return {
        "document_format": "xml",
        "schedule": schedule.name,
        "rule_13d_1": sorted(rules) if schedule.rule_box else None,
        "form_type": form_type,
        "is_amendment": is_amendment,
        "amendment_number": amendment_number,
        "event_date": _date(_text(_first(cover_kids, spec.event_date)), spec.event_date, warnings),
        "issuer_cik": _cik(_text(_first(issuer_kids, spec.issuer_cik))),
        "issuer_name": _fold(_text(_first(issuer_kids, spec.issuer_name))),
        "security_title": _fold(_text(_first(cover_kids, "securitiesClassTitle"))),
        "cusip": cusips[0] if cusips else None,
        "cusip_raw": cusips_raw[0] if cusips_raw else None,
        "cusips": cusips,
        "previous_accession_number": _text(_first(header_kids, "previousAccessionNumber")),
        "filer_ciks": filer_ciks,
    }


def _person(info: etree._Element, schedule: Schedule) -> dict[str, Any]:
    spec = schedule.xml
    kids = _children(info)
    for child in info:  # a 13G nests the powers one level down: their elements count as the person's
        if len(child):
            for name, els in _children(child).items():
                kids.setdefault(name, els)
    warnings: list[str] = []

    def value(name: str | None) -> str | None:
        return _text(_first(kids, name)) if name else None

    group = value(spec.group)
    member_of_group = group.lower() if group and group.lower() in ("a", "b") else None
    if group and member_of_group is None:
        warnings.append(f"bad_flag: {spec.group}={group!r}")
    cik = _cik(value(spec.cik))
    if cik is None and spec.no_cik and _flag(value(spec.no_cik), spec.no_cik, warnings) is False:
        warnings.append(f"missing_cik: {spec.no_cik}=N but no {spec.cik}")

    person: dict[str, Any] = {
        "name": _fold(value("reportingPersonName")),
        "cik": cik,
        "member_of_group": member_of_group,
        "source_of_funds": _codes(kids.get(spec.funds)) if spec.funds else None,
        "legal_proceedings": _flag(value(spec.legal_proceedings), spec.legal_proceedings or "", warnings),
        # An EDGAR state/country code (DE, E9, X1): kept as printed, and in citizenship_code when it is one
        # (some generators print the place in words: the same table as text filings maps those).
        "citizenship": value("citizenshipOrOrganization"),
    }
    person["citizenship_code"] = place_code(person["citizenship"])
    for column, element in spec.person_fields.items():
        person[column] = _number(value(element), element, warnings)
    person["excludes_certain_shares"] = _flag(value(spec.excludes), spec.excludes or "", warnings)
    person["type_of_reporting_person"] = _codes(kids.get("typeOfReportingPerson"))
    person["warnings"] = warnings
    return person


def _items(container: etree._Element | None, schedule: Schedule) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    if container is None:
        return items
    for el in container:
        match = _ITEM_TAG.match(local_name(el.tag))
        if not match:
            continue
        number = int(match.group(1))
        if number not in schedule.item_headings:
            continue
        parts: list[str] = []
        _flatten(el, parts)
        items.append({"item_number": number, "heading": schedule.item_headings[number], "text": "\n\n".join(parts)})
    items.sort(key=lambda it: it["item_number"])
    return items


def _flatten(el: etree._Element, parts: list[str]) -> None:
    """Append readable paragraphs for el's sub-elements, in document order.

    A leaf becomes ``Label: text``; a group of leaves only (an address) becomes one comma-joined line;
    deeper groups recurse. Text printed directly in a container (malformed files) is kept too.
    """
    own = _prose(el.text)
    if own:
        parts.append(own)
    for child in el:
        name = local_name(child.tag)
        if name:
            label = _ITEM_LABELS[name] if name in _ITEM_LABELS else _humanize(name)
            if len(child) == 0:
                text = _prose(child.text)
                if text:
                    parts.append(f"{label}: {text}" if label else text)
            elif all(len(g) == 0 for g in child):
                line = ", ".join(t for t in (_prose(g.text) for g in child) if t)
                own_text = _prose(child.text)
                if own_text:
                    line = f"{own_text} {line}".strip()
                if line:
                    parts.append(f"{label}: {line}" if label else line)
            else:
                sub: list[str] = []
                _flatten(child, sub)
                if sub:
                    parts.append(f"{label}:\n" + "\n".join(sub) if label else "\n".join(sub))
        tail = _prose(child.tail)
        if tail:
            parts.append(tail)


def _prose(value: str | None) -> str | None:
    """Fold runs of spaces and tabs, keep paragraph breaks (at most one blank line)."""
    if not value or value.isspace():  # indentation between elements: most calls
        return None
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _HSPACE.sub(" ", value)
    if "\n" in value:
        value = _MANY_NEWLINES.sub("\n\n", _SPACED_NEWLINE.sub("\n", value))
    return value.strip() or None


def _humanize(name: str) -> str:
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name)
    return words[:1].upper() + words[1:].lower()


def _signatures(info: etree._Element | None) -> list[dict[str, Any]]:
    """One row per signatureDetails, each carrying the reporting person it signs for."""
    rows: list[dict[str, Any]] = []
    if info is None:
        return rows
    blocks = [c for c in info if local_name(c.tag) == "signaturePerson"] or [info]
    for block in blocks:
        kids = _children(block)
        signer_el = _first(kids, "signatureReportingPerson")
        if signer_el is None:
            signer_el = _first(kids, "reportingPersonName")
        signer = _fold(_text(signer_el))
        for details in kids.get("signatureDetails", ()):
            d = _children(details)
            warnings: list[str] = []
            rows.append(
                {
                    "signer": signer,
                    "name": _signer_name(_text(_first(d, "signature"))),
                    "title": _fold(_text(_first(d, "title"))),
                    "date": _date(_text(_first(d, "date")), "signature date", warnings),
                    "warnings": warnings,
                }
            )
    return rows


def _signer_name(value: str | None) -> str | None:
    """``/s/ Jane Doe`` is how a conformed signature is typed; the person's name is what follows."""
    if value is None:
        return None
    value = re.sub(r"^/s/\s*", "", _fold(value) or "", flags=re.IGNORECASE).strip()
    return value or None


_RULE_LETTER = re.compile(r"13\s*d\s*[-\u2013\u2014]?\s*(?:1\s*)?\(?\s*([bcd])\s*\)?", re.I)


def rule_letter(text: str | None) -> str | None:
    """'Rule 13d-1(b)' -> 'b' (the rule a 13G is filed under); None for anything else."""
    m = _RULE_LETTER.search(text or "")
    return m.group(1).lower() if m else None


__all__ = ["XmlFiling", "normalize_cusip", "parse_xml", "rule_letter"]
