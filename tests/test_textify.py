"""Rendering 13D documents as lines of text that keep table rows and cells apart."""

from __future__ import annotations

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
