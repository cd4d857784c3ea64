"""Checks on every reporting person, kept with the row as ``warnings`` entries with stable codes.

A warning is ``"<code>: <detail>"``; the code is stable (SQL users filter on it:
``EXISTS (SELECT 1 FROM unnest(warnings) t(w) WHERE w LIKE 'percent_out_of_range:%')``),
the detail is for a person reading it. :data:`PERSON_WARNINGS` lists every code a reporting-person
row can carry, what it means and whether it is a *check* (the values read disagree with the form's
rules or with each other: the row is suspect) or a *note* (how the row was read, or what the filer
left out). ``bench.checks`` and ``edgar13d status`` count the checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from extractors.places import is_code, place_code


@dataclass(frozen=True)
class WarningCode:
    code: str
    kind: str  # "check" or "note"
    meaning: str


PERSON_WARNINGS: dict[str, WarningCode] = {w.code: w for w in (
    # checks: the values disagree with the form or with each other
    WarningCode("citizenship_unrecognized", "check",
                "Row 6 prints a place that is no EDGAR state or country; citizenship_code is NULL."),
    WarningCode("code_not_in_set", "check",
                "Row 4 or 14 prints a two-letter code outside the form's list (source of funds: SC BK AF WC PF "
                "OO; type of reporting person: BD BK IC IV IA EP HC SA CP CO PN IN OO ...)."),
    WarningCode("codes_unreadable", "check", "Row 4 or 14 prints text with no code at all (and no N/A)."),
    WarningCode("percent_out_of_range", "check", "Row 13 is below 0 or above 100."),
    WarningCode("aggregate_below_dispositive", "check",
                "Row 11 (aggregate) is smaller than row 9 or row 10 (sole or shared dispositive power)."),
    WarningCode("aggregate_below_voting", "check",
                "Row 11 (aggregate) is smaller than row 7 or row 8 (sole or shared voting power)."),
    WarningCode("aggregate_missing", "check", "Rows 7 to 10 print shares but row 11 prints none."),
    WarningCode("percent_zero_with_shares", "check", "Row 13 is 0 while row 11 is not."),
    WarningCode("percent_class_mismatch", "check",
                "Row 13 disagrees with the class size that the other persons' rows 11 and 13 imply "
                "(rows 11/13 of each person give the class; one person's percent is off by more than rounding)."),
    WarningCode("name_label_words", "check", "Row 1's name still holds label words (Reporting Person, I.R.S., ...)."),
    WarningCode("name_missing", "check", "Row 1 printed no name."),
    # notes: how the row was read, or what the filer left out
    WarningCode("share_count_unreadable", "note", "A share row prints text that is no number (See Item 5); NULL."),
    WarningCode("share_count_range", "note", "A share row prints a range; NULL."),
    WarningCode("share_count_trailing_digits", "note", "Digits glued to a share count (a footnote mark) were cut."),
    WarningCode("percent_unreadable", "note", "Row 13 prints text that is no percent; NULL."),
    WarningCode("percent_bound", "note", "Row 13 prints a bound (Less than 1%); NULL, the text kept here."),
    WarningCode("percent_range", "note", "Row 13 prints a range; NULL."),
    WarningCode("citizenship_unreadable", "note", "Row 6 prints no place (a number, a mark); NULL."),
    WarningCode("rows_11_13_missing", "note", "The cover page has no aggregate amount or percent label."),
    WarningCode("abbreviated_cover", "note", "The cover page prints only some rows (1, 11 and 13)."),
    WarningCode("joint_cover_page", "note", "One cover page lists several reporting persons; each got a row."),
    WarningCode("name_above_label", "note", "Row 1 was empty; the name printed just above its label was taken."),
    WarningCode("bad_flag", "note", "XML: a Y/N element holds something else."),
    WarningCode("bad_number", "note", "XML: a number element holds no number."),
    WarningCode("missing_cik", "note", "XML: reportingPersonNoCIK=N but no reportingPersonCIK."),
    # Row numbers above are 13D's; a 13G prints the same rows two lower from its row 4 (citizenship)
    # on: 13G row 9 is the aggregate, 11 the percent, 12 the type of reporting person.
)}

CHECK_CODES = frozenset(code for code, w in PERSON_WARNINGS.items() if w.kind == "check")


def code_of(warning: str) -> str:
    """The stable code of a warning entry ("percent_out_of_range: 120.0" -> "percent_out_of_range")."""
    return warning.split(":", 1)[0].strip()


def failed_checks(person: dict[str, Any]) -> list[str]:
    """The check codes among a person's warnings, in order, once each."""
    return list(dict.fromkeys(c for c in map(code_of, person.get("warnings") or []) if c in CHECK_CODES))


# Words of row labels that are never part of a person's name.
_LABEL_WORDS = re.compile(
    r"\b(?:reporting\s+persons?|identification\s+nos?|i\.\s*r\.\s*s\.|social\s+security|tax\s+id|"
    r"s\.\s*s\.\s+or|entities\s+only|check\s+the\s+appropriate|citizenship|sole\s+voting|aggregate\s+amount|"
    r"names?\s+of\s+(?:the\s+)?(?:above\s+)?report)",
    re.I,
)


def check_persons(persons: list[dict[str, Any]]) -> None:
    """Append check warnings to each person's ``warnings`` (in place), for persons of any era."""
    for p in persons:
        w = p.setdefault("warnings", [])
        _check_one(p, w)
    _check_class_size(persons)


def _check_one(p: dict[str, Any], w: list[str]) -> None:
    have = {code_of(x) for x in w}

    def add(code: str, detail: str) -> None:
        if code not in have:
            w.append(f"{code}: {detail}")
            have.add(code)

    name = p.get("name")
    if not name:
        add("name_missing", "row 1 printed no name")
    elif _LABEL_WORDS.search(name):
        add("name_label_words", repr(name[:60]))
    citizenship = p.get("citizenship")
    if "citizenship_code" not in p:
        p["citizenship_code"] = place_code(citizenship)
    if citizenship and p.get("citizenship_code") is None:
        add("citizenship_unrecognized", repr(citizenship[:40]))
    elif p.get("citizenship_code") is not None and not is_code(p["citizenship_code"]):
        add("citizenship_unrecognized", repr(p["citizenship_code"]))
    pct = p.get("percent_of_class")
    if pct is not None and not 0 <= pct <= 100:
        add("percent_out_of_range", f"{pct}")
    agg = p.get("aggregate_amount")
    powers = {k: p.get(k) for k in ("sole_voting_power", "shared_voting_power", "sole_dispositive_power",
                                     "shared_dispositive_power")}
    if agg is None and any(v for v in powers.values() if v is not None):
        add("aggregate_missing", "rows 7-10 print shares but row 11 does not")
    if agg is not None:
        for kind, keys in (("dispositive", ("sole_dispositive_power", "shared_dispositive_power")),
                           ("voting", ("sole_voting_power", "shared_voting_power"))):
            over = [k for k in keys if powers[k] is not None and powers[k] > agg * 1.0001 + 1]
            if over:
                add(f"aggregate_below_{kind}", f"row 11 {agg:,.0f} < {over[0]} {powers[over[0]]:,.0f}")
    if agg and pct == 0:
        add("percent_zero_with_shares", "row 13 is 0 but row 11 is not")


def _half_unit(pct: float) -> float:
    """Half the last printed unit of a percent: 0.5 for 9, 0.05 for 9.2, 0.005 for 9.25."""
    text = f"{pct:.6f}".rstrip("0").rstrip(".")
    decimals = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10 ** (-decimals) if decimals else 0.5


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def _check_class_size(persons: list[dict[str, Any]]) -> None:
    """Each person's percent against the class size implied by the other persons of the same class.

    Person j implies a class of ``aggregate_j * 100 / percent_j`` shares. A person whose printed
    percent is farther from ``aggregate_i * 100 / median(class every person implies)`` than the
    rounding of both sides (plus 3% for filers who count a holder's own convertibles in its
    denominator) is flagged. Needs at least one other person with both rows printed.
    """
    by_class: dict[Any, list[dict[str, Any]]] = {}
    for p in persons:
        agg, pct = p.get("aggregate_amount"), p.get("percent_of_class")
        if agg and pct and 0 < pct <= 100:
            by_class.setdefault(p.get("cusip"), []).append(p)
    for group in by_class.values():
        if len(group) < 2:
            continue
        implied = [p["aggregate_amount"] * 100 / p["percent_of_class"] for p in group]
        errors = [_half_unit(p["percent_of_class"]) / p["percent_of_class"] for p in group]
        # The class most persons agree on: the median of what each implies (one stray person does not move it).
        size = _median(implied)
        rel_err = _median(errors)
        for p in group:
            expected = p["aggregate_amount"] * 100 / size
            pct = p["percent_of_class"]
            tolerance = _half_unit(pct) + expected * (rel_err + 0.03)
            if abs(pct - expected) > tolerance:
                w = p.setdefault("warnings", [])
                if not any(code_of(x) == "percent_class_mismatch" for x in w):
                    w.append(f"percent_class_mismatch: printed {pct}, the persons' class of "
                             f"{size:,.0f} shares gives {expected:.2f}")
