"""What a master index must hold before its rows are trusted (crawler.indexes.index_problems)."""

from __future__ import annotations

import datetime as dt

from crawler.indexes import index_problems, malformed_rows

DAY = dt.date(2026, 3, 2)
HEAD = (
    "Description:           Master Index of EDGAR Dissemination Feed\n"
    "Last Data Received:    March 2, 2026\n"
    "Comments:              webmaster@sec.gov\n"
    "Anonymous FTP:         ftp://ftp.sec.gov/edgar/\n \n \n \n \n"
    "CIK|Company Name|Form Type|Date Filed|Filename\n" + "-" * 80 + "\n"
)
ROWS = "".join(
    f"{1000 + i}|COMPANY {i} INC|SC 13D|20260302|edgar/data/{1000 + i}/0000950123-26-{i:06d}.txt\n" for i in range(40)
)


def test_a_whole_daily_index_has_no_problems():
    assert index_problems(HEAD + ROWS, DAY) == []
    assert index_problems(HEAD, DAY) == []  # a day with no filing in it is believed


def test_a_body_cut_mid_way_is_not_whole():
    text = HEAD + ROWS
    cut = text[: len(text) - 30]
    assert index_problems(cut, DAY) == ["the last row is not whole: the index is cut short"]
    assert index_problems(text.rstrip("\n"), DAY) == []  # a whole last row without its line end is whole
    # Cut just before a row's end: the line end is there, the row is not whole.
    lines = (HEAD + ROWS).splitlines(keepends=True)
    half = "".join(lines[:-1]) + lines[-1][:25] + "\n"
    assert any("last row is not whole" in p for p in index_problems(half, DAY))


def test_an_answer_that_is_not_an_index_says_so():
    assert index_problems("<html><body>Service Unavailable</body></html>\n", DAY) == [
        "no 'CIK|Company Name|Form Type|Date Filed|Filename' header: this is not a master index"]
    assert any("dashed line" in p for p in index_problems(HEAD.replace("-" * 80, "") + ROWS, DAY))


def test_another_days_index_is_not_this_days():
    other = HEAD.replace("March 2, 2026", "Mar  3, 2026")
    assert index_problems(other + ROWS, DAY) == ["its 'Last Data Received' is 2026-03-03, not 2026-03-02: another day's index"]
    assert index_problems(other + ROWS) == []  # a quarterly index is not checked against a day


def test_a_damaged_row_among_good_ones_is_refused_by_itself_not_the_index():
    text = HEAD + "1999|CUT SHORT\n" + ROWS
    assert index_problems(text, DAY) == []
    assert malformed_rows(text) == ["1999|CUT SHORT"]
    junk = HEAD + "".join(f"row {i} of something else\n" for i in range(30)) + ROWS[:200].rsplit("\n", 1)[0] + "\n"
    assert any("rows are not" in p for p in index_problems(junk, DAY))


def test_real_index_files_pass(shared_dir):
    shapes = shared_dir / "corpus" / "edgar-shapes"
    quarterly = (shapes / "full-index-excerpt_master.1995QTR4.idx").read_text(encoding="latin-1")
    assert index_problems(quarterly) == []
