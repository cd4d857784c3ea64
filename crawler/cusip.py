"""CUSIP rules the crawler needs to turn a user's CUSIP into search phrases and a match rule.

A small local copy of the check-digit rule (EDGAR.md): extractors/cusip.py is being written at the same
time; once it lands the two should be merged so there is one definition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ALLOWED = re.compile(r"^[0-9A-Z*@#]+$")


def _value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if "A" <= ch <= "Z":
        return ord(ch) - ord("A") + 10
    return {"*": 36, "@": 37, "#": 38}[ch]


def cusip_check_digit(first8: str) -> str:
    """The ninth character of a CUSIP, from its first eight (modulus 10 "double-add-double")."""
    first8 = first8.upper()
    if len(first8) != 8 or not _ALLOWED.match(first8):
        raise ValueError(f"need 8 CUSIP characters, got {first8!r}")
    total = 0
    for i, ch in enumerate(first8, start=1):
        v = _value(ch)
        if i % 2 == 0:
            v *= 2
        total += v // 10 + v % 10
    return str((10 - total % 10) % 10)


def is_valid_cusip(cusip: str) -> bool:
    c = cusip.upper()
    return len(c) == 9 and bool(_ALLOWED.match(c)) and cusip_check_digit(c[:8]) == c[8]


def compact(printed: str) -> str:
    """A printed CUSIP without the spaces and dashes filings put in it (``805423 10 0`` -> ``805423100``)."""
    return re.sub(r"[\s\-.]", "", printed).upper()


@dataclass(frozen=True)
class CusipTarget:
    """What the user asked for: one class (``cusip`` set) or every class of an issuer (``cusip`` None)."""

    issuer: str  # the 6-character issuer prefix
    cusip: str | None  # the full 9-character CUSIP, check digit included

    @property
    def key(self) -> str:
        """The part a printed CUSIP must start with: 8 characters (the check digit is implied) or 6."""
        return self.cusip[:8] if self.cusip else self.issuer

    def matches(self, printed: str) -> bool:
        """True when a CUSIP printed on a filing names this class (or issuer).

        Compares the first 8 characters only, because the ninth is computed from them: this accepts the
        8-character shape without check digit and a misprinted check digit, and rejects other classes.
        A 10-character zero-padded print (``0805423100``) is unpadded first.
        """
        c = compact(printed)
        if len(c) == 10 and c.startswith("0"):
            c = c[1:]
        if len(c) < len(self.key):
            return False
        return c.startswith(self.key)

    def search_phrases(self) -> list[str]:
        """The shapes filings print, as full-text search phrases (search cannot match a prefix)."""
        if self.cusip is None:
            return [self.issuer]  # a token: matches "805423 10 0" and "805423-10-0", not "805423100"
        c = self.cusip
        return [c, f"{c[:6]} {c[6:8]} {c[8]}", f"{c[:6]}-{c[6:8]}-{c[8]}"]


def parse_cusip_query(text: str) -> CusipTarget:
    """Read a CUSIP as a user types it: 9 characters (check digit verified), 8 (check digit computed),
    or the 6-character issuer prefix meaning every class of that issuer. Spaces and dashes are ignored.
    """
    c = compact(text)
    if not c or not _ALLOWED.match(c):
        raise ValueError(f"{text!r} is not a CUSIP: use 9 characters (e.g. 037833100), 8, or a 6-character issuer prefix")
    if len(c) == 9:
        if not is_valid_cusip(c):
            raise ValueError(
                f"{text!r} fails the CUSIP check digit (expected {cusip_check_digit(c[:8])} at the end): check for a typo"
            )
        return CusipTarget(issuer=c[:6], cusip=c)
    if len(c) == 8:
        return CusipTarget(issuer=c[:6], cusip=c + cusip_check_digit(c))
    if len(c) == 6:
        return CusipTarget(issuer=c, cusip=None)
    raise ValueError(f"{text!r} has {len(c)} characters: a CUSIP has 9 (or 8 without check digit, or 6 for an issuer)")
