"""A small stand-in for the real extractor in crawler tests: ``(raw) -> (subject_cik, cusips)``.

It reads the subject CIK from the header and the CUSIP printed on the cover page (the line or cell
above "(CUSIP Number)", or ``issuerCUSIP`` in XML), not every CUSIP-looking string in the text, which is
what lets it reject a filing about another company that mentions the CUSIP in passing.
"""

from __future__ import annotations

import re

_SUBJECT = re.compile(r"SUBJECT COMPANY:.*?CENTRAL INDEX KEY:\s*(\d+)", re.S)
_XML_CUSIP = re.compile(r"<(?:\w+:)?issuerCUSIP>\s*([^<]+?)\s*<", re.I)
_BEFORE_LABEL = re.compile(r"([0-9A-Z*@#][0-9A-Z*@#\- ]{5,14}[0-9A-Z*@#])\s*(?:</B>)?\s*(?:</TD></TR>)?\s*"
                           r"(?:<TR><TD[^>]*>)?\s*\(CUSIP Number\)", re.I)


def simple_extract(raw: bytes) -> tuple[int | None, list[str]]:
    text = raw.decode("latin-1")
    m = _SUBJECT.search(text)
    subject = int(m.group(1)) if m else None
    cusips = [c.strip() for c in _XML_CUSIP.findall(text)]
    cusips += [c.strip() for c in _BEFORE_LABEL.findall(text)]
    return subject, cusips
