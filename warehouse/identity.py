"""Who a reporting person is, across filings that spell the same holder differently.

One holder shows up as ``Bear Stearns Asset Management Inc.`` in one filing and
``BEAR STEARNS ASSET MANAGEMENT INC`` in the next; a history keyed on the printed name would split it
in two. The warehouse therefore stores a ``holder_key`` next to the printed name, computed here by pure
functions so the rule is written once, tested alone and applied the same way at every load.

The rule, in order:

1. ``cik:<cik>`` when the cover page gives the person's CIK (XML era, ``reportingPersonCIK``).
2. ``cik:<cik>`` when the filing header's FILED BY block names this person: a FILED BY conformed name
   whose :func:`normalize_name` equals the person's gives that block's CIK (older filings print no CIK
   on the cover page, but EDGAR's header does).
3. ``name:<normalized name>`` otherwise.
4. ``anon:<filing_id>#<seq>`` when the cover page prints no name at all, so that nameless rows are
   never merged with each other.

CIKs are written without leading zeros. Known limit: a holder seen only by name in old filings and only
by CIK in new ones gets two keys; the ``holder_names`` view lists every printed name per key so such
pairs can be spotted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

# Variants folded to one spelling. LLC and LP are kept (after folding) rather than dropped, because a
# fund and its general partner often share a name and differ only there ("X Partners, L.P." and
# "X Partners LLC" are two holders). Corporate-form words that filers add or drop at will are dropped
# at the end of the name.
_FOLDS = {
    "L L L P": "LLLP",
    "L L P": "LLP",
    "L L C": "LLC",
    "L P": "LP",
    "N V": "NV",
    "S A": "SA",
    "LIMITED PARTNERSHIP": "LP",
    "INCORPORATED": "INC",
    "CORPORATION": "CORP",
    "COMPANY": "CO",
    "LIMITED": "LTD",
}
# One alternation, longest first, matched on word boundaries.
_FOLD_RE = re.compile(r"\b(" + "|".join(sorted(_FOLDS, key=len, reverse=True)) + r")\b")
_DROPPED_SUFFIXES = frozenset({"INC", "CORP", "CO", "LTD", "PLC", "THE"})
_APOSTROPHES_AND_DOTS = re.compile(r"[.'’`]")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]+")


@lru_cache(maxsize=262_144)
def normalize_name(name: str | None) -> str | None:
    """Fold a printed holder name to a comparison key; None when nothing name-like is left.

    Upper case; ``&`` becomes AND; dots and apostrophes vanish (``L.P.`` -> ``LP``, ``O'Neil`` ->
    ``ONEIL``); every other run of punctuation or white space becomes one space; spaced-out forms
    (``L L C``, ``L P``) and long forms (INCORPORATED, CORPORATION, COMPANY, LIMITED) fold to their short
    form; trailing INC, CORP, CO, LTD, PLC (and a leading or trailing THE) are dropped. LLC and LP stay.

    >>> normalize_name("Bear Stearns Asset Management Inc.")
    'BEAR STEARNS ASSET MANAGEMENT'
    >>> normalize_name("BEAR STEARNS ASSET MANAGEMENT INC")
    'BEAR STEARNS ASSET MANAGEMENT'
    >>> normalize_name("Example Partners, L. P.")
    'EXAMPLE PARTNERS LP'
    """
    if name is None:
        return None
    s = name.upper().replace("&", " AND ")
    s = _APOSTROPHES_AND_DOTS.sub("", s)
    s = _NOT_ALNUM.sub(" ", s).strip()
    s = _FOLD_RE.sub(lambda m: _FOLDS[m.group(1)], s)
    words = s.split()
    if words and words[0] == "THE" and len(words) > 1:
        words = words[1:]
    while len(words) > 1 and words[-1] in _DROPPED_SUFFIXES:
        words.pop()
    return " ".join(words) or None


def strip_cik(cik: str | int | None) -> str | None:
    """A CIK as the warehouse writes it: digits without leading zeros; None for blanks."""
    if cik is None:
        return None
    s = str(cik).strip().lstrip("0")
    return s or None


def holder_key(
    name: str | None,
    cik: str | None,
    filer_ciks: Sequence[str | None] | None = None,
    filer_names: Sequence[str | None] | None = None,
    *,
    filing_id: str = "",
    seq: int = 0,
) -> str:
    """The holder key of one cover page (see the module docstring for the rule)."""
    own = strip_cik(cik)
    if own:
        return f"cik:{own}"
    norm = normalize_name(name)
    if norm is None:
        return f"anon:{filing_id}#{seq}"
    if filer_ciks and filer_names:
        for fcik, fname in zip(filer_ciks, filer_names, strict=False):
            fc = strip_cik(fcik)
            if fc and normalize_name(fname) == norm:
                return f"cik:{fc}"
    return f"name:{norm}"
