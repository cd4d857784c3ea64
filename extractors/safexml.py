"""Parse untrusted XML bytes into an lxml tree without letting the document act on this machine.

EDGAR accepts whatever a filer agent uploads, and a crawler feeds those bytes straight in, so the XML
is hostile input: an external entity could read local files or make the crawler call an internal URL,
and nested internal entities ("billion laughs") can blow up memory. A Schedule 13D never needs a DTD,
so a DOCTYPE is refused outright; the parser itself is also configured never to load a DTD, resolve an
entity or touch the network, so a DOCTYPE that slips past the first check (say, in UTF-16) is still
inert. ``huge_tree=False`` keeps libxml2's limits on depth and text-node size.

We use lxml rather than defusedxml: lxml is already a dependency, it is several times faster than the
stdlib parser defusedxml wraps, and it offers ``recover=True`` for the malformed files real filer
agents produce. The same guarantees come from the parser options plus the DOCTYPE refusal, and the
tests prove them on a billion-laughs and two external-entity documents.
"""

from __future__ import annotations

import re
import threading

from lxml import etree

from extractors.model import ExtractionError

# primary_doc.xml files are tens of kilobytes; a 13D with a 5,000-line trade list is still well under
# this. Anything larger is not a filing we should hold in memory as a tree.
MAX_XML_BYTES = 64 * 1024 * 1024

_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "huge_tree": False,
    "load_dtd": False,
    "dtd_validation": False,
    "remove_comments": True,
    "remove_pis": True,
}

# The prolog is everything before the first start tag; a DOCTYPE can only appear there.
_FIRST_START_TAG = re.compile(rb"<[A-Za-z_]")
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_LEADING_JUNK = b" \t\r\n\x00\xef\xbb\xbf"

# lxml parser objects must not be used by two threads at once; one pair per thread is cheap.
_local = threading.local()


def _parsers() -> tuple[etree.XMLParser, etree.XMLParser]:
    pair = getattr(_local, "pair", None)
    if pair is None:
        pair = (
            etree.XMLParser(recover=False, **_PARSER_OPTIONS),
            etree.XMLParser(recover=True, **_PARSER_OPTIONS),
        )
        _local.pair = pair
    return pair


def parse_untrusted_xml(data: bytes, max_bytes: int = MAX_XML_BYTES) -> tuple[etree._Element, list[str]]:
    """Return the root element and warnings (``xml_recovered: ...`` when the file was not well-formed).

    Leading whitespace and a BOM are dropped first: a naive ``<XML>`` slice leaves a newline before the
    ``<?xml`` declaration and strict parsers reject that. Raises ``ExtractionError`` with reason
    ``bad_xml`` (empty, not XML, DOCTYPE present, unrecoverable) or ``too_large``.
    """
    if isinstance(data, str):  # tolerate text: the callers slice full submissions that may be decoded
        data = data.encode("utf-8")
    data = data.lstrip(_LEADING_JUNK)
    if not data:
        raise ExtractionError("bad_xml", "empty XML payload")
    if len(data) > max_bytes:
        raise ExtractionError("too_large", f"XML payload of {len(data)} bytes exceeds {max_bytes}")
    if not data.startswith(b"<"):
        raise ExtractionError("bad_xml", f"payload does not start with '<': {data[:40]!r}")
    first_tag = _FIRST_START_TAG.search(data)
    prolog = data[: first_tag.start()] if first_tag else data
    if _DOCTYPE.search(prolog):
        raise ExtractionError(
            "bad_xml", "document declares a DOCTYPE; a Schedule 13D never needs one (refused)"
        )

    strict, recovering = _parsers()
    warnings: list[str] = []
    try:
        root = etree.fromstring(data, parser=strict)
    except etree.XMLSyntaxError as exc:
        try:
            root = etree.fromstring(_surrogate_refs_replaced(data), parser=recovering)
        except etree.XMLSyntaxError as exc2:
            raise ExtractionError("bad_xml", f"not parseable even with recovery: {exc2}") from exc2
        if root is None:
            raise ExtractionError("bad_xml", f"not well-formed and nothing recoverable: {exc}") from exc
        warnings.append(f"xml_recovered: {exc}")
    if root.getroottree().docinfo.internalDTD is not None:
        raise ExtractionError(
            "bad_xml", "document declares a DOCTYPE; a Schedule 13D never needs one (refused)"
        )
    return root, warnings


# A character reference with its number: leading zeros outside the group, so that a number too long to
# be a code point is never converted (and a reference of a million digits costs nothing).
_CHAR_REF = re.compile(rb"&#(?:[xX]0*([0-9a-fA-F]{1,6})|0*([0-9]{1,7}));")


def _surrogate_refs_replaced(data: bytes) -> bytes:
    """``data`` with every character reference to a surrogate (``&#xD800;`` to ``&#xDFFF;``) made
    ``&#xFFFD;``.

    Why: the strict parser refuses such a reference, and the recovering one keeps it as the invalid
    UTF-8 it would encode, which lxml then cannot read back (UnicodeDecodeError on the text or the
    attribute): the whole filing would be lost. It names no character, so it becomes the replacement
    character, as libxml2 makes of a reference beyond U+10FFFF. Only documents the strict parser
    refused pay for this pass.
    """
    if b"&#" not in data:
        return data

    def replace(m: re.Match[bytes]) -> bytes:
        cp = int(m[1], 16) if m[1] is not None else int(m[2])
        return b"&#xFFFD;" if 0xD800 <= cp <= 0xDFFF else m[0]

    return _CHAR_REF.sub(replace, data)


_LOCAL_NAMES: dict[str, str] = {}


def local_name(tag: object) -> str:
    """``{ns}name`` or ``sch:name`` (an undeclared prefix survives recovery) to ``name``; '' for non-elements.

    Memoized: a filing repeats a few dozen tags hundreds of times. Bounded, so a hostile file with
    millions of distinct tags cannot grow it without limit.
    """
    if not isinstance(tag, str):
        return ""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = tag[tag.index("}") + 1 :] if tag[0] == "{" else tag.rpartition(":")[2]
        if len(_LOCAL_NAMES) < 4096:
            _LOCAL_NAMES[tag] = name
    return name


__all__ = ["MAX_XML_BYTES", "local_name", "parse_untrusted_xml"]
