"""What the crawler does with a CUSIP a user typed: validate it, search for it, match it.

The check digit itself is :mod:`extractors.cusip`'s (one definition for the project).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.cusip import cusip_check_digit, is_valid_cusip

_ALLOWED = re.compile(r"^[0-9A-Z*@#]+$")


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
        if not is_valid_cusip(c):  # also refuses a letter as the check digit
            raise ValueError(
                f"{text!r} fails the CUSIP check digit (expected {cusip_check_digit(c[:8])} at the end): check for a typo"
            )
        return CusipTarget(issuer=c[:6], cusip=c)
    if len(c) == 8:
        return CusipTarget(issuer=c[:6], cusip=c + cusip_check_digit(c))
    if len(c) == 6:
        return CusipTarget(issuer=c, cusip=None)
    raise ValueError(f"{text!r} has {len(c)} characters: a CUSIP has 9 (or 8 without check digit, or 6 for an issuer)")
