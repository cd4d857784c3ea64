"""Turn a 13D document (HTML or SGML plain text) into plain lines of text.

The cover page has the same rows 1 to 14 in both eras; only the markup differs. Rendering HTML into
text that looks like a plain-text filing lets one cover-page reader serve both. Table structure is
kept: every table row starts a new line, and the cells of a row are separated by `` | `` so a reader
can tell a label cell from a value cell. Check boxes drawn with the Wingdings font are rewritten as
the Unicode boxes they show on screen (☒ checked, ☐ empty), because the font, not the character,
carries their meaning.

``lxml.html`` is used rather than BeautifulSoup: it is some forty times faster on 200 KB documents
(``shared/STACK.md``) and this runs once per filing on the hot path.
"""

from __future__ import annotations

import re
import threading

from lxml import etree

CELL = " | "
# A private-use character marks where a cell starts until lines are cleaned (XML text allows no controls).
_CELL_MARK = "\ue000"
# Likewise for the line breaks that markup makes: source newlines are plain white space in HTML.
_BREAK = "\ue001"
_BR = "\ue002"
_BREAK_RUN = re.compile("[\ue001][\ue001 \t]*")

_BLOCK_TAGS = frozenset(
    """p div tr table thead tbody tfoot li ul ol h1 h2 h3 h4 h5 h6 hr center blockquote pre
    title dl dt dd section article header footer form caption page""".split()
)
_CELL_TAGS = frozenset({"td", "th"})
_DROP_TAGS = ("script", "style", "head", "noscript")

# In the Wingdings font these characters draw boxes: filled/crossed ones mean "checked".
_WINGDINGS_CHECKED = frozenset("þýxXnü\u00fe\u00fd")
_WINGDINGS_EMPTY = frozenset("¨oqr¡\u00a8")

# A page break in the rendered lines: a form feed alone on its line.
PAGE_BREAK = "\f"


_PAGE_TAGS = ("<PAGE>", "<page>", "<Page>")
_SGML_TAGS = re.compile(r"</?(?:PAGE|S|C|TABLE|CAPTION|FN|F\d+|PRE|R|DESCRIPTION|TYPE|SEQUENCE|FILENAME)>", re.I)
# White space other than the plain space that renders as one space.
_ODD_SPACES = "\t\u00a0\u2002\u2003\u2009\u200b\u3000\f\v"
_SPACE_RUN = re.compile("  +")


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 when it is valid, else Windows-1252 (what 1990s-2010s filers used)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def text_to_lines(data: bytes | str) -> list[str]:
    """Lines of a plain-text filing, with SGML layout tags removed and tabs expanded.

    A page break (``<PAGE>`` or a form feed) becomes a line of its own holding just
    :data:`PAGE_BREAK`, which is white space to every reader that strips lines; the cover reader
    uses it to tell a page number printed above or below the break from a value.
    """
    text = decode(data) if isinstance(data, bytes) else data
    if "<" in text:
        for tag in _PAGE_TAGS:
            text = text.replace(tag, PAGE_BREAK)
        text = _SGML_TAGS.sub("", text)
    lines = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if PAGE_BREAK in raw:
            for piece in raw.split(PAGE_BREAK)[:-1]:
                if piece.strip():
                    lines.append(piece.expandtabs(8).replace("\u00a0", " ").rstrip())
                lines.append(PAGE_BREAK)
            raw = raw.rsplit(PAGE_BREAK, 1)[1]
            if not raw.strip():
                continue
        line = raw.expandtabs(8).replace("\u00a0", " ").rstrip()
        lines.append(line)
    return lines


def html_to_lines(data: bytes | str) -> list[str]:
    """Lines of an HTML filing, one per block or table row, cells separated by `` | ``."""
    text = decode(data) if isinstance(data, bytes) else data
    # lxml refuses str input that declares an encoding; the declaration is moot once decoded.
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    try:
        root = etree.fromstring(_parser_input(text), _html_parser())
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        root = None
    if root is None:
        return text_to_lines(re.sub(r"<[^>]+>", " ", text))
    etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
    try:
        _mark_layout(root)
    except ValueError:
        # A control character (a form feed between pages, a stray \x01) in a text the layout pass
        # writes back: lxml refuses it. Read the document again with every such character a space
        # (what HTML renders a form feed as); only these documents pay for the second parse.
        root = etree.fromstring(_parser_input(text), _html_parser())
        etree.strip_elements(root, *_DROP_TAGS, with_tail=False)
        _scrub_controls(root)
        _mark_layout(root)
    out = etree.tostring(root, method="text", encoding=str).replace("\r", " ").replace("\n", " ")
    # Adjacent blocks (</tr><tr>, </p><p>) make one line break, not a blank line; an empty paragraph
    # of non-breaking space, or <br><br>, still makes one.
    out = _BREAK_RUN.sub("\n", out).replace(_BR, "\n")
    return _clean_lines(out)


# The characters lxml refuses in a text it is given: every C0 control but tab, line feed and carriage
# return, and the noncharacters U+FFFE and U+FFFF (XML 1.0's Char; every other code point is accepted,
# tests/test_textify.py checks them all). A filing can carry any of them, raw or as a character reference.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _scrub_controls(root: etree._Element) -> None:
    """Every text and tail of the tree with its control characters made spaces."""
    for el in root.iter():
        if el.text and _CONTROLS.search(el.text):
            el.text = _CONTROLS.sub(" ", el.text)
        if el.tail and _CONTROLS.search(el.tail):
            el.tail = _CONTROLS.sub(" ", el.tail)


def _parser_input(text: str) -> str | bytes:
    """What to hand the parser: text outside ASCII as UTF-8 bytes, which libxml2 reads as they are.

    lxml passes a str in its own storage (Latin-1, UCS-2 or UCS-4 after its widest character) and
    libxml2 converts that first: a quarter of the parse for a document with one character outside
    the BMP. An ASCII str already goes in as UTF-8, so it is passed as it is. A str that still opens
    with an XML declaration goes in as it is too: lxml refuses it if it declares an encoding, and
    that refusal is what happens to such a document today.
    """
    if text.isascii() or text.startswith("<?xml"):
        return text
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, only in str input: libxml2 judges it as before
        return text


_local = threading.local()


def _html_parser() -> etree.HTMLParser:
    """One parser per thread (an lxml parser must not be shared between threads). Plain etree
    elements, not lxml.html's, which look up a Python class for every element. Bytes are always
    UTF-8 (:func:`_parser_input`), whatever a <meta charset> says; lxml labels a str itself."""
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = etree.HTMLParser(
            remove_comments=True, remove_pis=True, no_network=True, collect_ids=False, encoding="utf-8"
        )
    return parser


# What the layout pass does with an element, by tag; a tag not listed is inline.
_BLOCK, _CELL, _LINE_BREAK, _PRE = range(4)
_LAYOUT = {tag: _BLOCK for tag in _BLOCK_TAGS} | {tag: _CELL for tag in _CELL_TAGS} | {"br": _LINE_BREAK, "pre": _PRE}


def _mark_layout(root: etree._Element) -> None:
    """Write line breaks and cell separators into the tree's text so the text rendering keeps them.

    One walk over every element in document order, and the fewest lxml reads per element: each
    attribute or text read builds a Python object, and this loop is about a third of the cost
    of rendering a document. So the tag is looked up once, and an inline element (most are ``font``)
    has its style read only when its tag or the presence of a style can make it matter, its text
    only when something is to be done with it.
    """
    layout = _LAYOUT.get
    for el in root.iter():
        tag = el.tag  # lower case from the HTML parser; comments were removed while parsing
        kind = layout(tag)
        if kind is None:
            style = el.get("style")
            if style is not None or tag == "sup" or tag == "font":
                _mark_inline(el, tag, style)
        elif kind == _CELL:
            el.text = _CELL_MARK + (el.text or "")
        elif kind == _LINE_BREAK:
            el.tail = _BR + (el.tail or "")
        else:
            el.text = _BREAK + (el.text or "")
            el.tail = _BREAK + (el.tail or "")
            if kind == _PRE:  # preformatted text keeps its own line breaks
                for sub in el.iter():
                    if sub.text:
                        sub.text = sub.text.replace("\n", _BREAK)
                    if sub is not el and sub.tail:
                        sub.tail = sub.tail.replace("\n", _BREAK)


def _mark_inline(el: etree._Element, tag: str, style: str | None) -> None:
    """A raised footnote mark is set apart from a number before it; Wingdings text becomes boxes.

    Only an element with text of its own can need either, so the text is read last. The footnote
    branch wins over the Wingdings one when both apply.
    """
    low = style.lower() if style else ""
    # "cal-al" is a cheap necessary condition for the case-blind regex: none of these letters has
    # a case-blind match outside ASCII (i, s and k do, so the test avoids them).
    if tag == "sup" or (style and "cal-al" in low and _SUPER_STYLE.search(style)):
        if el.text and _after_digit(el):
            _separate_footnote_mark(el)
    elif tag == "font" or style:
        # The face and the style are searched as one string, as if concatenated.
        face = el.get("face")
        if "wingding" in low or (face and "wingding" in (face + (style or "")).lower()):
            text = el.text
            if text:
                el.text = _wingdings(text)


def _separate_footnote_mark(el: etree._Element) -> None:
    """A footnote mark glued to a number ("36,832,408<sup>1</sup>") must not become one number
    (36,832,4081): set it apart. Ordinals ("2<sup>nd</sup>") stay glued."""
    mark = el.text.strip()
    if mark and (mark[0].isalnum() or mark[0] in "(*†‡") and mark.lower() not in _ORDINALS:
        el.text = " " + el.text


_SUPER_STYLE = re.compile(r"vertical-align\s*:\s*(?:super|text-top|top)", re.I)
_ORDINALS = frozenset({"st", "nd", "rd", "th", "d"})


def _after_digit(el: etree._Element) -> bool:
    """True when the text just before ``el`` ends with a digit or a percent sign."""
    prev = el.getprevious()
    if prev is not None:
        before = prev.tail or "".join(prev.itertext())
    else:
        parent = el.getparent()
        before = parent.text if parent is not None else None
    before = (before or "").rstrip("\u00a0")
    return bool(before) and (before[-1].isdigit() or before[-1] == "%")


_WINGDINGS_TABLE = {ord(ch): "☒" for ch in _WINGDINGS_CHECKED} | {ord(ch): "☐" for ch in _WINGDINGS_EMPTY}


def _wingdings(text: str) -> str:
    # str.translate: one C loop (a join over a generator of characters grew faster than the text).
    return text.translate(_WINGDINGS_TABLE)


def _clean_lines(text: str) -> list[str]:
    # Each run of white space becomes one space. Done as plain replaces and a regex with a literal
    # prefix: several times faster than one character-class regex that matches every single space.
    for ch in _ODD_SPACES:
        if ch in text:
            text = text.replace(ch, " ")
    text = _SPACE_RUN.sub(" ", text)
    if _CELL_MARK in text:
        text = _join_cells(text)
    lines: list[str] = []
    blank = False
    for raw in text.split("\n"):
        line = raw.strip(" |") if "|" in raw else raw.strip()
        if not line:
            if not blank and lines:
                lines.append("")
            blank = True
            continue
        blank = False
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def _join_cells(text: str) -> str:
    """Cell starts become " | "; a run of them with only spaces and bars between (empty cells) is one
    separator, and the spaces and bars around a run go with it. Split and strip rather than a regex,
    which would try a match at every space of the document."""
    pieces = text.split(_CELL_MARK)
    kept = [pieces[0].rstrip(" |")]
    for piece in pieces[1:-1]:
        core = piece.strip(" |")
        if core:  # an empty piece lies between two marks of one run
            kept.append(core)
    kept.append(pieces[-1].lstrip(" |"))
    return CELL.join(kept)


def document_lines(body: bytes, fmt: str) -> list[str]:
    """Lines of a 13D document of format 'html' or 'txt'."""
    return html_to_lines(body) if fmt == "html" else text_to_lines(body)
