"""The extractors' speed-ups must not change what they find.

Several hot spots run a cheap test before an expensive regex (a lookahead, a last-word check) or
replace a regex by string operations. Each test here holds one fast path to the plain form it
replaces, so a new row label or a new white-space character that the fast path does not know
makes a test fail instead of silently dropping a value.
"""

from __future__ import annotations

import random
import re
from pathlib import Path
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

import pytest

from extractors import cover, dates, items, textify
from extractors.cover_spec import SCHEDULE_13D, SCHEDULE_13G
from extractors.envelope import detect_format, pick_schedule_document, read_submission
from extractors.textify import document_lines

FIXTURES = Path(__file__).resolve().parent / "fixtures"

# Sample members of the classes the label patterns use.
_CLASS_CHARS = {
    sre.CATEGORY_SPACE: " \t\n\r\f\v\x1c\x85\u2028\u3000",
    sre.CATEGORY_DIGIT: "0123456789",
    sre.CATEGORY_WORD: "abcdefghijklmnopqrstuvwxyz0123456789_",
}


def _prefixes(items: list, k: int) -> set[tuple[str, ...]]:
    """Every prefix (up to ``k`` characters) of the strings a parsed regex matches; a character class
    stands for each of its characters."""
    out: set[tuple[str, ...]] = {()}
    for op, av in items:
        nxt: set[tuple[str, ...]] = set()
        for p in out:
            if len(p) >= k:
                nxt.add(p)
                continue
            for q in _item_prefixes(op, av, k - len(p)):
                nxt.add(p + q)
        out = nxt
    return out


def _item_prefixes(op: object, av: object, k: int) -> set[tuple[str, ...]]:
    if op is sre.LITERAL:
        return {(chr(av),)}
    if op is sre.IN:
        chars: list[str] = []
        for o, a in av:
            if o is sre.LITERAL:
                chars.append(chr(a))
            elif o is sre.RANGE:
                chars.extend(chr(c) for c in range(a[0], a[1] + 1))
            else:
                chars.extend(_CLASS_CHARS[a])
        return {(c,) for c in chars}
    if op is sre.SUBPATTERN:
        return _prefixes(av[3], k)
    if op is sre.BRANCH:
        return set().union(*(_prefixes(alt, k) for alt in av[1]))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        lo, hi, sub = av
        return set().union(*(_prefixes(list(sub) * n, k) for n in range(lo, max(lo, min(hi, k)) + 1)))
    if op in (sre.ASSERT_NOT, sre.AT):
        return {()}
    raise AssertionError(f"label regex uses {op}: teach _item_prefixes about it")


@pytest.mark.parametrize("spec", [SCHEDULE_13D, SCHEDULE_13G], ids=lambda s: s.schedule)
def test_label_lookahead_admits_the_first_two_characters_of_every_label(spec) -> None:
    starts = re.compile(spec.label_starts)
    for number, row in spec.rows:
        for prefix in _prefixes(list(sre_parse.parse(row.label)), 2):
            assert len(prefix) == 2, (number, prefix)
            assert starts.match("".join(prefix)), f"row {number} label may start with {''.join(prefix)!r}"


def _lines_of(paths: list[Path]) -> list[str]:
    lines: list[str] = []
    for path in paths:
        try:
            doc = pick_schedule_document(read_submission(path.read_bytes()))[0]
        except Exception:  # bad-input fixtures: their lines do not matter here
            continue
        fmt = detect_format(doc.body)
        if fmt in ("txt", "html"):
            lines.extend(document_lines(doc.body, fmt))
    return lines


def _sample_lines(shared_dir: Path | None = None) -> list[str]:
    paths = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".htm"))
    if shared_dir is not None:
        paths += sorted((shared_dir / "corpus").glob("*.txt")) + sorted((shared_dir / "corpus").glob("*.htm"))
    lines = _lines_of(paths)
    # Label words in random order and spacing: most lines of a filing hold no label at all.
    words = (
        "name names of the above reporting person persons (s) check appropriate box row if a member group sec use "
        "only source and amount funds or other consideration disclosure legal proceedings is required pursuant to "
        "items 2(d) 2(e) citizenship place organization sole shared voting power dispositive aggregate in excludes "
        "certain shares beneficially owned by each percent percentage class represented 11 9.2% type - | 7. x"
    ).split()
    rnd = random.Random(13)
    for _ in range(20000):
        n = rnd.randint(1, 10)
        lines.append("".join(rnd.choice(words) + rnd.choice(["", " ", "  ", "-", "\t", ":", "*"]) for _ in range(n)))
    return lines


def test_fast_label_search_finds_what_the_plain_regex_finds(shared_dir: Path) -> None:
    c = cover.compiled(SCHEDULE_13D)
    plain = re.compile(c.label_re.pattern)
    for line in _sample_lines(shared_dir):
        low = line.lower()
        fast = [(m.span(), m.lastgroup) for m in c.label_lower_re.finditer(low, 0, cover._LABEL_REACH)]
        assert fast == [(m.span(), m.lastgroup) for m in plain.finditer(low, 0, cover._LABEL_REACH)], line


def test_dangling_prefilter_never_hides_a_dangling_label(shared_dir: Path) -> None:
    for line in _sample_lines(shared_dir):
        if cover._DANGLING.search(line):
            assert cover._may_dangle(line), line
        if cover._DANGLING.search(line.upper()):
            assert cover._may_dangle(line.upper()), line


def _clean_lines_plain(text: str) -> list[str]:
    """The plain form of textify._clean_lines: two regex substitutions, then one line per break."""
    text = re.sub(r"[ \t\u00a0\u2002\u2003\u2009\u200b\u3000\f\v]+", " ", text)
    if textify._CELL_MARK in text:
        text = re.sub("[ |\ue000]*\ue000[ |\ue000]*", textify.CELL, text)
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


def test_clean_lines_matches_its_plain_form() -> None:
    pieces = [" ", "  ", "|", textify._CELL_MARK, "\n", "a", "b c", "\t", "\u00a0", "\u2002", "\u200b", "\u3000",
              "\f", "\v", "\u2028", "\r"]
    rnd = random.Random(7)
    for _ in range(50000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        assert textify._clean_lines(text) == _clean_lines_plain(text), repr(text)


def test_signature_prefilter_knows_every_first_character_the_regex_accepts() -> None:
    for code in range(0x3000):
        ch = chr(code)
        for rest in ("IGNATURE", "ignatures:", "FTER REASONABLE INQUIRY", "fter due and reasonable inquiry"):
            if items._SIGNATURE.match(ch + rest):
                assert ch in items._SIGNATURE_FIRST, hex(code)


def test_items_fold_matches_a_regex_fold() -> None:
    rnd = random.Random(5)
    pieces = [" ", "  ", " | ", "|", "\n", "\t", "\u00a0", "\u2028", "\u200b", "a", "Item 4.", "x"]
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
        assert items._fold(text) == re.sub(r"\s+", " ", text.replace(" | ", " ")).strip(), repr(text)


def test_parse_date_digit_check_never_hides_a_date(monkeypatch: pytest.MonkeyPatch) -> None:
    rnd = random.Random(11)
    pieces = ["June", "Sept.", "l", "I", "lI", "1", "9", "0", "2", "19", "20", "'", " ", ",", "/", "-", "4th", "day of",
              "x", "O", "\u0661", "\uff11"]
    samples = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 9))) for _ in range(20000)]
    fast = [dates.parse_date(s) for s in samples]
    monkeypatch.setattr(dates, "_ASCII_DIGIT", re.compile(""))  # the check passes every text
    assert fast == [dates.parse_date(s) for s in samples]
    assert any(d is not None for d in fast)


def test_name_noise_hints_admit_every_name_noise_match(shared_dir: Path) -> None:
    # _name_and_irs skips its noise patterns for names holding none of _NAME_NOISE_HINTS.
    samples = [*_sample_lines(shared_dir), "Jane Roe S S or I R S Identification No", "Acme (TIN: 12)", "X Tax ID 1"]
    for line in samples:
        for pat in cover._NAME_NOISE:
            m = pat.search(line)
            if m and m.group(0).strip():
                assert any(h in line.lower() for h in cover._NAME_NOISE_HINTS), (pat.pattern, line)


def test_front_page_prefilters_never_hide_a_caption_an_amendment_or_a_row_label(shared_dir: Path) -> None:
    # Each word test stands in front of case-blind regexes, on ASCII lines only: where a regex
    # matches, its word test must pass.
    from extractors import front, rulebox

    lines = [
        *_sample_lines(shared_dir),
        "Name of Issuer", "TITLE OF CLASS OF SECURITIES", "(Date of Event which Requires Filing)", "(CUSIP Number)",
        "(Amendment 3)", "SC 13D/A No. 4", "Third Amendment", "NAMES OF REPORTING PERSONS", "[X] Rule 13d-1(b)",
    ]
    for line in lines:
        if not line.isascii():
            continue
        low = line.lower()
        if any(rx.search(line) for rx in (front._ISSUER_CAP, front._TITLE_CAP, front._EVENT_CAP, front._CUSIP_CAP)):
            assert front._may_hold_caption(low), line
        if any(rx.search(line) for rx in (front._AMEND_PAREN, front._AMEND_13DA, front._AMEND, front._AMEND_ORD)):
            assert "13" in line or "amendment" in low, line
        if front._ROW1.search(line):
            assert "reporting" in low, line
        if rulebox._RULE.search(line):
            assert "13" in line and "(" in line, line
