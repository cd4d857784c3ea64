"""Rendering 13D documents as lines of text that keep table rows and cells apart."""

from __future__ import annotations

import random

from lxml import etree

from extractors import textify
from extractors.textify import PAGE_BREAK, decode, html_to_lines, text_to_lines


def test_table_rows_become_lines_and_cells_are_separated():
    html = b"""<html><body><table>
    <tr><td>7</td><td>SOLE VOTING POWER</td><td>22,149,036</td></tr>
    <tr><td>8</td><td>SHARED VOTING
        POWER</td><td>-0-</td></tr></table></body></html>"""
    assert html_to_lines(html) == ["7 | SOLE VOTING POWER | 22,149,036", "8 | SHARED VOTING POWER | -0-"]


def test_source_newlines_are_spaces_but_breaks_and_paragraphs_are_lines():
    lines = html_to_lines(b"<p>SCHEDULE\n13D</p><p>Amendment<br>No. 3</p>")
    assert lines == ["SCHEDULE 13D", "Amendment", "No. 3"]
    assert html_to_lines(b"<p>a<br><br>b</p><p>&nbsp;</p><p>c</p>") == ["a", "", "b", "", "c"]


def test_wingdings_boxes_become_unicode_boxes():
    html = b'<p>(a) <font face="Wingdings">\xfe</font> (b) <span style="font-family:Wingdings">\xa8</span></p>'
    assert html_to_lines(html.decode("cp1252").encode("utf-8")) == ["(a) ☒ (b) ☐"]


def test_preformatted_html_keeps_its_lines():
    lines = html_to_lines(b"<html><body><pre>1.  NAME\n    Foo L.P.\n</pre></body></html>")
    assert "1. NAME" in lines and "Foo L.P." in lines


def test_scripts_styles_and_comments_carry_no_text():
    lines = html_to_lines(b"<style>p{}</style><script>var a=1</script><!-- hidden --><p>shown</p>")
    assert lines == ["shown"]


def test_plain_text_drops_sgml_layout_tags_and_expands_tabs():
    lines = text_to_lines(b"<PAGE>\n<TABLE>\n<S>\t<C>\n7.\tSole Voting Power\n</TABLE>")
    assert lines == [PAGE_BREAK, "", "", "7.      Sole Voting Power", ""]


def test_a_page_break_is_a_line_of_its_own():
    # <PAGE> and form feeds mark where a page ends: the cover reader tells page numbers from values by it.
    lines = text_to_lines(b"    Delaware\n\n                 5\n<PAGE>\nCUSIP No. 1\x0cNUMBER OF")
    assert lines == ["    Delaware", "", "                 5", PAGE_BREAK, "CUSIP No. 1", PAGE_BREAK, "NUMBER OF"]
    assert all(not line.strip() for line in lines if line == PAGE_BREAK)


def test_invalid_utf8_falls_back_to_windows_1252():
    assert decode(b"Soci\xe9t\xe9 G\x92n\xe9rale") == "Société G’nérale"


def test_html_outside_ascii_is_read_as_utf8_whatever_its_meta_charset_says():
    # Such text reaches libxml2 as UTF-8 bytes (faster than lxml's own str hand-over); a <meta
    # charset> or a byte order mark must not change how it is read.
    assert html_to_lines('<meta charset="iso-8859-1"><p>Société 😀</p>'.encode()) == ["Société 😀"]
    assert html_to_lines("\ufeff<html><body><p>é</p></body></html>".encode()) == ["é"]
    assert html_to_lines(b"<p>Soci\xe9t\xe9 G\x92n</p>") == ["Société G’n"]  # Windows-1252
    assert html_to_lines("<p>Société</p>") == ["Société"]


def test_raised_footnote_marks_are_set_apart_from_the_number_before_them():
    html = b'<p>5<span style="VERTICAL-ALIGN : SUPER">1</span> 2<sup>nd</sup> 3<sup>(1)</sup> (a) <font FACE="WINGDINGS">o</font></p>'
    assert html_to_lines(html) == ["5 1 2nd 3 (1) (a) ☐"]


def _mark_layout_plain(root: etree._Element) -> None:
    """The plain form of textify._mark_layout: every property read in the order the rules state."""
    for el in root.iter():
        tag = el.tag
        if tag in textify._CELL_TAGS:
            el.text = textify._CELL_MARK + (el.text or "")
        elif tag == "br":
            el.tail = textify._BR + (el.tail or "")
        elif tag in textify._BLOCK_TAGS:
            el.text = textify._BREAK + (el.text or "")
            el.tail = textify._BREAK + (el.tail or "")
            if tag == "pre":
                for sub in el.iter():
                    if sub.text:
                        sub.text = sub.text.replace("\n", textify._BREAK)
                    if sub is not el and sub.tail:
                        sub.tail = sub.tail.replace("\n", textify._BREAK)
        elif el.text:
            style = el.get("style")
            if tag == "sup" or (style and textify._SUPER_STYLE.search(style)):
                if textify._after_digit(el):
                    textify._separate_footnote_mark(el)
            elif (tag == "font" or style) and "wingding" in ((el.get("face") or "") + (style or "")).lower():
                el.text = textify._wingdings(el.text)


def test_layout_pass_matches_its_plain_form():
    tags = ["p", "div", "td", "th", "tr", "table", "br", "pre", "font", "span", "sup", "b", "li", "body", "x-y"]
    attrs = ['face="Wingdings"', 'FACE=WINGDINGS', 'style="font-family:Wingdings"', 'face="Wing" style="dings"',
             'style="vertical-align:super"', "style='VERTICAL-ALIGN : top'", 'style="vertİcal-align:ſuper"',
             'style="vertical-align: baseline"', 'style=""', "style", 'face="Times"', 'class="x"']
    texts = ["1", "36,832,408", "5%", "9\u00a0", "st", "nd", "(1)", "*", "a b", " ", "\n", "þ", "x", "¨", "o", "&nbsp;"]
    rnd = random.Random(11)
    for _ in range(3000):
        html = ""
        for _ in range(rnd.randint(1, 14)):
            r = rnd.random()
            if r < 0.4:
                html += rnd.choice(texts)
            elif r < 0.5:
                html += f"</{rnd.choice(tags)}>"
            else:
                html += f"<{rnd.choice(tags)} {' '.join(rnd.sample(attrs, rnd.randint(0, 2)))}>"
        fast, plain = (etree.fromstring(html, textify._html_parser()) for _ in range(2))
        if fast is None:  # white space only: no tree
            continue
        textify._mark_layout(fast)
        _mark_layout_plain(plain)
        assert etree.tostring(fast, method="text", encoding=str) == etree.tostring(plain, method="text", encoding=str), html


def test_control_characters_in_blocks_and_cells_read_as_spaces():
    # A form feed between pages inside a paragraph or a cell (Word's page breaks): lxml refuses to
    # write such a text back, which once failed the whole filing as a parser error.
    html = ("<html><body><p>Page one\x0cPage two</p><table><tr><td>SOLE VOTING POWER</td>"
            "<td>1,000\x0b\x01</td></tr></table><p>&#12;after</p></body></html>")
    assert html_to_lines(html) == ["Page one Page two", "SOLE VOTING POWER | 1,000", "after"]


def test_noncharacters_in_blocks_and_cells_read_as_spaces():
    # U+FFFE and U+FFFF (a byte-order mark read the wrong way round, a converter's filler) are refused
    # by lxml like a control character, and lost the filing the same way until they were scrubbed too.
    html = ("<html><body><p>Page one\ufffePage two</p><table><tr><td>SOLE VOTING POWER</td>"
            "<td>1,000\uffff</td></tr></table><p>&#xFFFE;after</p></body></html>")
    assert html_to_lines(html.encode("utf-8")) == ["Page one Page two", "SOLE VOTING POWER | 1,000", "after"]


def test_the_scrubbed_characters_are_exactly_those_lxml_refuses():
    # _CONTROLS must cover every code point lxml will not take in a text, or a filing carrying one is
    # lost as a parser error; and nothing else, or text would change for no reason.
    el = etree.Element("p")
    refused = []
    for cp in range(0x110000):
        if 0xD800 <= cp <= 0xDFFF:  # surrogates: never in decoded text
            continue
        try:
            el.text = "a" + chr(cp)
        except ValueError:
            refused.append(cp)
    assert refused == [cp for cp in range(0x110000)
                       if not 0xD800 <= cp <= 0xDFFF and textify._CONTROLS.match(chr(cp))]
