"""Each beneficial-ownership schedule edgar13d reads, declared once: the readers take a :class:`Schedule`.

A schedule is its EDGAR form types (both eras, originals and amendments), its cover page (a
:class:`~extractors.cover_spec.CoverSpec`: rows, labels, value types), its items and their headings,
the element names of its XML form, and whether its front page carries the rule 13d-1(b)/(c)/(d) box.
The envelope, the front-page, cover, item and XML readers, the crawler's form lists and the warehouse's
``schedule`` column all derive from these declarations, so a third schedule is one more
:class:`Schedule` here (and fixtures), not edits across the readers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from extractors.cover_spec import SCHEDULE_13D as COVER_13D
from extractors.cover_spec import SCHEDULE_13G as COVER_13G
from extractors.cover_spec import CoverSpec


@dataclass(frozen=True)
class XmlForm:
    """Where a schedule's XML form (``primary_doc.xml``) keeps each value, by local element name.

    ``persons``: the path of element names from ``formData`` to one reporting person's element (the
    last name repeats once per person). ``person_fields``: column -> element name, looked up anywhere
    in the person's element (13G nests the powers one level down). ``cusips``: every element name a
    CUSIP is stored under (flat or nested in ``issuerCusips``), in the order they are tried.
    """

    namespace: str
    persons: tuple[str, ...]
    person_fields: Mapping[str, str]
    event_date: str
    issuer_cik: str
    issuer_name: str
    cusips: tuple[str, ...]
    group: str
    items: str
    signatures: str
    cik: str | None = None  # the reporting person's CIK element, where the form has one
    no_cik: str | None = None
    funds: str | None = None
    legal_proceedings: str | None = None
    excludes: str | None = None
    rules: str | None = None  # each element naming a rule the schedule is filed under (13d-1(b), ...)

    @cached_property
    def leaves(self) -> frozenset[str]:
        """Elements that hold only text: recovery of a malformed file moves anything nested in one out."""
        names = {self.event_date, self.issuer_cik, self.issuer_name, *self.cusips, self.group,
                 *self.person_fields.values(), "submissionType", "previousAccessionNumber", "amendmentNo",
                 "securitiesClassTitle", "reportingPersonName", "citizenshipOrOrganization",
                 "typeOfReportingPerson", "signature", "title", "date", "signatureReportingPerson"}
        names.update(n for n in (self.cik, self.no_cik, self.funds, self.legal_proceedings, self.excludes,
                                 self.rules) if n)
        return frozenset(names)


@dataclass(frozen=True)
class Schedule:
    """One schedule: what EDGAR calls its filings and where each of its values is printed."""

    name: str  # "13D", "13G": the warehouse's ``schedule`` value
    form_types: tuple[str, ...]
    cover: CoverSpec
    item_headings: Mapping[int, str]
    # A regex per item of the words its heading starts with or holds (tells 'Item 4. Ownership' from a
    # reference such as 'Item 4 above').
    item_words: Mapping[int, str]
    # The words that make a numbered line without 'Item' a heading ('4. Purpose of Transaction').
    item_bare: str
    xml: XmlForm
    rule_box: bool = False  # the front page's "rule pursuant to which this Schedule is filed" box
    # Items printed with lettered parts on the heading line ('Item 1(a). Name of Issuer'): a 13G's
    # layout; in a 13D, 'Item 2(d)' is a reference, never a heading.
    lettered_items: bool = False
    description: str = ""
    # Words of a document's title that name this schedule ("Schedule 13G", "SC 13G", "13G/A").
    title_letter: str = field(default="")

    @property
    def last_item(self) -> int:
        return max(self.item_headings)

    @cached_property
    def _forms(self) -> frozenset[str]:
        return frozenset(self.form_types)

    def has_form(self, form_type: str | None) -> bool:
        return bool(form_type) and " ".join(form_type.upper().split()) in self._forms  # type: ignore[union-attr]


SCHEDULE_13D = Schedule(
    name="13D",
    form_types=("SC 13D", "SC 13D/A", "SCHEDULE 13D", "SCHEDULE 13D/A"),
    cover=COVER_13D,
    item_headings=MappingProxyType({
        1: "Security and Issuer",
        2: "Identity and Background",
        3: "Source and Amount of Funds or Other Consideration",
        4: "Purpose of Transaction",
        5: "Interest in Securities of the Issuer",
        6: "Contracts, Arrangements, Understandings or Relationships with Respect to Securities of the Issuer",
        7: "Material to Be Filed as Exhibits",
    }),
    item_words=MappingProxyType({
        1: r"\b(?:security|securities|issuer)\b",
        2: r"\b(?:identity|background)\b",
        3: r"\b(?:source|funds|consideration)\b",
        4: r"\bpurposes?\b",
        5: r"\binterests?\s+in\b|\bsecurities\s+of\b",
        6: r"\b(?:contracts|arrangements|understandings|relationships)\b",
        7: r"\b(?:materials?|exhibits?)\b",
    }),
    item_bare=r"Security\s+and\s+Issuer|Identity\s+and\s+Background|Source\s+and\s+Amount|"
              r"Purpose\s+of\s+(?:the\s+)?Transaction|Interest\s+in\s+Securities|Contracts,?\s+Arrangements|"
              r"Materials?\s+to\s+be\s+Filed",
    xml=XmlForm(
        namespace="http://www.sec.gov/edgar/schedule13D",
        persons=("reportingPersons", "reportingPersonInfo"),
        person_fields=MappingProxyType({
            "sole_voting_power": "soleVotingPower",
            "shared_voting_power": "sharedVotingPower",
            "sole_dispositive_power": "soleDispositivePower",
            "shared_dispositive_power": "sharedDispositivePower",
            "aggregate_amount": "aggregateAmountOwned",
            "percent_of_class": "percentOfClass",
        }),
        event_date="dateOfEvent",
        issuer_cik="issuerCIK",
        issuer_name="issuerName",
        cusips=("issuerCUSIP", "issuerCusipNumber"),
        group="memberOfGroup",
        items="items1To7",
        signatures="signatureInfo",
        cik="reportingPersonCIK",
        no_cik="reportingPersonNoCIK",
        funds="fundType",
        legal_proceedings="legalProceedings",
        excludes="isAggregateExcludeShares",
    ),
    description="active holders of more than 5% (intent to influence the issuer)",
    title_letter="D",
)

SCHEDULE_13G = Schedule(
    name="13G",
    form_types=("SC 13G", "SC 13G/A", "SCHEDULE 13G", "SCHEDULE 13G/A"),
    cover=COVER_13G,
    item_headings=MappingProxyType({
        1: "Issuer",
        2: "Person Filing",
        3: "If this statement is filed pursuant to Rule 13d-1(b) or 13d-2(b) or (c), check whether the person "
           "filing is a",
        4: "Ownership",
        5: "Ownership of Five Percent or Less of a Class",
        6: "Ownership of More than Five Percent on Behalf of Another Person",
        7: "Identification and Classification of the Subsidiary Which Acquired the Security Being Reported on "
           "by the Parent Holding Company or Control Person",
        8: "Identification and Classification of Members of the Group",
        9: "Notice of Dissolution of Group",
        10: "Certifications",
    }),
    item_words=MappingProxyType({
        1: r"\b(?:name|issuer|address)\b",
        2: r"\b(?:name|person|persons|filing|address|citizenship|title|identity)\b",
        3: r"\b(?:if|this|statement|filed|pursuant|check|type|not)\b",
        4: r"\b(?:ownership|amount|beneficial)\b",
        5: r"\bownership\b|\bfive\s+percent\b|\b5\s*%",
        6: r"\bownership\b|\bmore\s+than\b|\banother\b",
        7: r"\b(?:identification|subsidiary|parent|classification)\b",
        8: r"\b(?:identification|members?|group|classification)\b",
        9: r"\b(?:notice|dissolution)\b",
        10: r"\bcertifications?\b",
    }),
    item_bare=r"(?:\(\s*a\s*\)\s*)?Name\s+of\s+(?:Issuer|Person)|If\s+this\s+statement|Ownership\b|"
              r"Identification\s+and\s+Classification|Notice\s+of\s+Dissolution|Certifications?\b",
    xml=XmlForm(
        namespace="http://www.sec.gov/edgar/schedule13g",
        persons=("coverPageHeaderReportingPersonDetails",),
        person_fields=MappingProxyType({
            "sole_voting_power": "soleVotingPower",
            "shared_voting_power": "sharedVotingPower",
            "sole_dispositive_power": "soleDispositivePower",
            "shared_dispositive_power": "sharedDispositivePower",
            "aggregate_amount": "reportingPersonBeneficiallyOwnedAggregateNumberOfShares",
            "percent_of_class": "classPercent",
        }),
        event_date="eventDateRequiresFilingThisStatement",
        issuer_cik="issuerCik",
        issuer_name="issuerName",
        cusips=("issuerCusip", "issuerCUSIP", "issuerCusipNumber"),
        group="memberGroup",
        items="items",
        signatures="signatureInformation",
        excludes="aggregateAmountExcludesCertainSharesFlag",
        rules="designateRulePursuantThisScheduleFiled",
    ),
    rule_box=True,
    lettered_items=True,
    description="passive holders of more than 5% (institutions, exempt and passive investors)",
    title_letter="G",
)

SCHEDULES: Mapping[str, Schedule] = MappingProxyType({s.name: s for s in (SCHEDULE_13D, SCHEDULE_13G)})
SCHEDULE_NAMES: tuple[str, ...] = tuple(SCHEDULES)
ALL_FORM_TYPES: tuple[str, ...] = tuple(f for s in SCHEDULES.values() for f in s.form_types)


def schedule_named(name: str) -> Schedule:
    """The schedule called ``name`` ('13D', '13g', 'SC 13G'); ValueError names the known ones."""
    key = re.sub(r"^(?:SCHEDULE|SC)\s*", "", name.strip().upper())
    if key not in SCHEDULES:
        raise ValueError(f"unknown schedule {name!r}: known are {', '.join(SCHEDULE_NAMES)}")
    return SCHEDULES[key]


def schedule_of_form(form_type: str | None) -> Schedule | None:
    """The schedule an EDGAR submission type belongs to, or None for any other form."""
    for schedule in SCHEDULES.values():
        if schedule.has_form(form_type):
            return schedule
    return None


def schedule_of_title_letter(letter: str) -> Schedule | None:
    return next((s for s in SCHEDULES.values() if s.title_letter == letter.upper()), None)


def schedule_of_namespace(namespace: str) -> Schedule | None:
    ns = namespace.strip().lower()
    return next((s for s in SCHEDULES.values() if ns and ns == s.xml.namespace.lower()), None)


def form_types(schedules: Iterable[str | Schedule]) -> tuple[str, ...]:
    """Every EDGAR form type of the given schedules, in declaration order."""
    chosen = {s.name if isinstance(s, Schedule) else schedule_named(s).name for s in schedules}
    return tuple(f for s in SCHEDULES.values() if s.name in chosen for f in s.form_types)


__all__ = ["ALL_FORM_TYPES", "SCHEDULES", "SCHEDULE_13D", "SCHEDULE_13G", "SCHEDULE_NAMES", "Schedule",
           "XmlForm", "form_types", "schedule_named", "schedule_of_form", "schedule_of_namespace",
           "schedule_of_title_letter"]
