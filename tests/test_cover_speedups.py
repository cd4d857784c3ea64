"""The cover reader's speed-ups must not change what it reads.

The cover pages' start is found by searching folded text (one byte per character, lower case) with
folded forms of the spec's start regexes, each candidate confirmed by the regex itself; per-document
memos keep what depends on a line's or a value's text alone; parse_codes stops at prose that no
code in parentheses follows. Each test holds a fast path to the plain form it stands for.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from extractors import cover, values
from extractors.cover_spec import SCHEDULE_13D, SCHEDULE_13G
from extractors.schema import REPORTING_PERSON_TYPES, SOURCE_OF_FUNDS_CODES
from tests.test_extractor_fast_paths import _lines_of

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_fold_keeps_what_a_start_regex_may_match_in_every_character() -> None:
    # One byte per character; a letter that matches an ASCII letter case-blind becomes that letter
    # in lower case (or the fold gives up); a white space becomes what a folded \\s admits.
    case_blind = re.compile("(?i:[a-z])")
    space = re.compile(r"\s")
    folded_space = re.compile(f"[{cover._FOLDED_SPACE}]".encode())
    for code in range(0x110000):
        ch = chr(code)
        folded = cover._fold(ch)
        if folded is None:
            assert ch in cover._ODD_CASE_BLIND, hex(code)
            continue
        assert len(folded) == 1, hex(code)
        if case_blind.fullmatch(ch):
            letter = folded.decode()
            assert letter.isascii() and letter.islower() and re.fullmatch(f"(?i:{letter})", ch), hex(code)
        if space.fullmatch(ch):
            assert folded_space.fullmatch(folded), hex(code)
        if ch.isascii() and not ch.isalpha():
            assert folded == ch.encode(), hex(code)


@pytest.mark.parametrize(
    "pattern",
    [r"a\dx", r"a\wb", r"[^a]b", r"[a-z]", r"[a^]", r"[]a]", r"[a", r"(?P<x>a)", r"(?=a)", r"(?!a)", r"(?<=a)b", r"(?i)ab", r"\U0001f600",
     r"\x41", r"(a)\1", "caf\u00e9", r"\bab", r"\Sa"],
)
def test_fold_pattern_refuses_what_folding_could_turn_into_a_miss(pattern: str) -> None:
    assert cover._fold_pattern(pattern) is None


def test_every_start_regex_has_a_folded_form() -> None:
    for spec in (SCHEDULE_13D, SCHEDULE_13G):
        assert all(f is not None for f in cover.compiled(spec).start_folded), spec.schedule


def _texts() -> list[str]:
    paths = sorted(p for p in FIXTURES.rglob("*") if p.suffix in (".txt", ".htm"))
    texts = [text for text in ("\n".join(_lines_of([path])) for path in paths) if text]
    # Start labels in every case, spacing and with the letters case-blind matching alone admits.
    rnd = random.Random(3)
    words = ["Name", "NAMES", "nAmEs", "of", "OF", "the", "above", "Reporting", "REPORT", "Persons", "(s)", "Item",
             "ITEM", "item", "iTem", "1", "(1)", ":", ".", "Reporting Person", "PERS", "x", "\u017f", "\u0131",
             "\u212a", "\u00e9", "\u00c9"]
    for _ in range(3000):
        text = "".join(rnd.choice(words) + rnd.choice([" ", "  ", "\n", "-", "", " - "]) for _ in range(rnd.randint(1, 12)))
        texts.append(text.replace("s", "\u017f") if rnd.random() < 0.2 else text)
    return texts


def test_folded_start_search_finds_what_the_plain_search_finds() -> None:
    for spec in (SCHEDULE_13D, SCHEDULE_13G):
        c = cover.compiled(spec)
        for text in _texts():
            doc = cover._Lines(text.split("\n"), c)
            doc.next_start_line(0)  # builds the text and its folded form
            assert doc._text == text
            for k, regex in enumerate(c.start_res):
                for at in range(0, len(text) + 1, max(1, len(text) // 7)):
                    m = regex.search(text, at)
                    assert doc._search(k, regex, at) == (m.start() if m else -1), (regex.pattern, at, text[:200])


def test_a_start_label_spelt_with_the_odd_case_blind_letters_is_found() -> None:
    for name in ("NAME\u017f OF REPORTING PERSONS", "Name of Reporting Person", "NAMES OF REPORTING PER\u017fONS"):
        lines = ["SCHEDULE 13D", "", f"1 | {name}", "ACME FUND LP", "2 | CHECK THE APPROPRIATE BOX IF A MEMBER OF A GROUP",
                 "(a) [ ] (b) [X]", "3 | SEC USE ONLY", "4 | SOURCE OF FUNDS | WC"]
        doc = cover._Lines(lines, cover.compiled(SCHEDULE_13D))
        assert doc.next_start_line(0) == 2, name


def _parse_codes_plain(text: str | None, allowed: frozenset[str]) -> list[str]:
    """values.parse_codes as it read before its early stop and its one-regex lower-case test."""
    if not text:
        return []
    out: list[str] = []
    depth = 0
    prose = False
    tokens = list(values._TOKEN.finditer(text))
    lower_ok = all(len(t) == 2 or not t.isalpha() for t in (m.group(0) for m in tokens) if t not in "()")
    for k, m in enumerate(tokens):
        tok = m.group(0)
        if tok == "(":
            depth += 1
            continue
        if tok == ")":
            depth = max(0, depth - 1)
            continue
        code = tok.upper() if (tok.isupper() or lower_ok) else tok
        if len(code) == 2 and set(code) <= {"0", "O"}:
            code = "OO"
        if code in allowed:
            nxt = tokens[k + 1] if k + 1 < len(tokens) else None
            gap = text[m.end() : nxt.start()] if nxt is not None else ""
            runs_on = nxt is not None and values._is_prose(nxt.group(0)) and bool(gap) and set(gap) <= {" "}
            if (not prose or depth > 0) and not (runs_on and depth == 0) and code not in out:
                out.append(code)
            continue
        if depth == 0 and values._is_prose(tok):
            prose = True
    return out


def test_parse_codes_reads_what_its_plain_form_reads() -> None:
    rnd = random.Random(17)
    pieces = ["PN", "IN", "CO", "oo", "00", "OO", "WC", "pf", "AF", "(", ")", " ", "  ", ",", "/", "and", "SEE", "Item",
              "the", "a", "x", "Corporation", "IA", "HC", "ZZ", "\u00e9", "Ab", "12", "-", "\n", "N/A", "IN THE", "BD"]
    for allowed in (REPORTING_PERSON_TYPES, SOURCE_OF_FUNDS_CODES):
        for _ in range(40000):
            text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
            assert values.parse_codes(text, allowed) == _parse_codes_plain(text, frozenset(allowed)), text
