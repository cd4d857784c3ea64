"""The line pre-filter (extractors.linescan) must name every line a reader's own per-line test acts on.

The readers look only at the lines ``LineText.lines_with`` names, so a word it misses is a heading,
a caption or a signature the reader silently stops seeing. These tests hold it to its definition:
the fold to every letter a case-blind regex takes for an ASCII letter, the words read off a regex to
every string that regex matches, and the search to a walk over every line.
"""

from __future__ import annotations

import random
import re
import sys
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

import pytest

from extractors import cusip, front, items, rulebox, signatures
from extractors.linescan import (
    _ASCII_LOOKALIKES,
    LineText,
    end_reach,
    fold,
    line_text,
    required_words,
    search_end,
)


def test_fold_knows_every_letter_a_case_blind_match_or_lower_takes_for_an_ascii_letter() -> None:
    ascii_letter = re.compile("[a-z]", re.I)
    found = {}
    for code in range(128, sys.maxunicode + 1):
        char = chr(code)
        if ascii_letter.fullmatch(char):
            found[char] = next(x for x in "abcdefghijklmnopqrstuvwxyz" if re.fullmatch(x, char, re.I))
        elif any(c.isascii() and c.isalpha() for c in char.lower()):
            found[char] = next(c for c in char.lower() if c.isascii() and c.isalpha())
    assert found == dict(_ASCII_LOOKALIKES)


def test_fold_keeps_one_byte_per_character_and_the_line_ends() -> None:
    text = "Item 4.\u00a0Purpose \u2013 \u0130tem \u017fignature \u212aelvin \u2612 caf\u00e9\n\ud800x\n"
    folded = fold(text)
    assert len(folded) == len(text)
    assert [i for i, b in enumerate(folded) if b == 10] == [i for i, c in enumerate(text) if c == "\n"]
    assert b"item 4." in folded and b"item" in folded[8:] and b"signature" in folded and b"kelvin" in folded


_ALPHABET = ["a", "I", "i", "\u0131", "\u0130", "S", "s", "\u017f", "K", "\u212a", " ", "\t", "\xa0", "1", "3",
             "\u00e9", "\u2610", "|", "tem", "TEM", "gnature", "13"]


@pytest.mark.parametrize("seed", range(4))
def test_lines_with_names_exactly_the_lines_a_walk_would_find(seed: int, monkeypatch) -> None:
    rng = random.Random(seed)
    for _ in range(3000):
        lines = ["".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 8))) for _ in range(rng.randint(0, 30))]
        if rng.random() < 0.05 and lines:
            lines[rng.randrange(len(lines))] += "\nx"
        words = rng.sample(["item", "ik", "si", "s", "13"], rng.randint(0, 2))
        cased = rng.sample(["13", "I", "tem", "K"], rng.randint(0, 2))
        stop = rng.choice([None, rng.randint(0, 35)])
        monkeypatch.setattr("extractors.linescan._FIRST_STRETCH", rng.choice([1, 7, 4000]))
        got = list(LineText(lines).lines_with(words, cased, stop))
        n = len(lines) if stop is None else min(stop, len(lines))
        if any("\n" in line for line in lines):
            want = list(range(n))  # no line numbers from line ends: every line
        else:
            want = [i for i in range(n)
                    if any(w.encode() in fold(lines[i]) for w in words) or any(c in lines[i] for c in cased)]
            # and fold finds what lower() finds
            assert all(i in want for i in range(n) if any(w in lines[i].lower() for w in words))
        assert got == want, (lines, words, cased, stop)


def test_no_words_means_every_line() -> None:
    assert list(LineText(["a", "b", "c"]).lines_with(None, stop=2)) == [0, 1]


def test_line_text_is_made_again_when_the_lines_change() -> None:
    lines = ["Item 1. Security and Issuer", "text"]
    first = line_text(lines)
    assert line_text(lines) is first and line_text(list(lines)) is first  # equal lines: the same text
    lines[1] = "Item 2. Identity"
    assert line_text(lines) is not first
    assert list(line_text(lines).lines_with(("item",))) == [0, 1]
    assert list(line_text(tuple(lines)).lines_with(("item",))) == [0, 1]  # not a list: made afresh


def test_search_words_are_lower_case_ascii_without_line_ends() -> None:
    with pytest.raises(ValueError):
        list(LineText(["x"]).lines_with(("Item",)))
    with pytest.raises(ValueError):
        list(LineText(["x"]).lines_with(cased=("a\nb",)))


def test_required_words_read_off_a_pattern() -> None:
    rx = re.compile
    assert required_words(rx(r"NAMES?\s+OF\s+REPORTING\s+PERSONS?", re.I)) == ("reporting",)
    assert required_words(rx(r"Dated?|Date\s+signed")) == ("date",)
    assert required_words(rx(r"(?:foo)?bar|baz+")) == ("bar", "ba")
    assert required_words(rx(r"x(?:abc){2,}y")) == ("abc",)
    assert required_words(rx(r"a|b*")) is None  # a branch with no word for sure
    assert required_words(rx(r"\d+"), rx("word")) is None  # one pattern without: none for all
    assert required_words(rx("caf\u00e9 ok")) == ("caf",)  # ASCII runs only


# --- the words every reader asks for hold in every string its regexes match -------------------------

_SPACES = " \t\xa0\u2003"


def _sample(items: list, rng: random.Random, ignore_case: bool) -> str:
    out: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            out.append(_case(chr(av), rng) if ignore_case else chr(av))
        elif op is sre.NOT_LITERAL:
            out.append(rng.choice([c for c in "xZ9 ." if ord(c) != av]))
        elif op is sre.ANY:
            out.append(rng.choice("aZ9 .(|"))
        elif op is sre.IN:
            out.append(_from_class(av, rng, ignore_case))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            for _ in range(rng.randint(lo, min(hi, lo + 3))):
                out.append(_sample(list(sub), rng, ignore_case))
        elif op is sre.SUBPATTERN:
            out.append(_sample(list(av[-1]), rng, ignore_case))
        elif op is sre.BRANCH:
            out.append(_sample(list(rng.choice(av[1])), rng, ignore_case))
        # anchors and look-arounds: nothing (a sample that breaks one is dropped below)
    return "".join(out)


def _case(char: str, rng: random.Random) -> str:
    variants = [char.lower(), char.upper()] + [c for c, x in _ASCII_LOOKALIKES if x == char.lower()]
    return rng.choice(variants)


def _from_class(av: list, rng: random.Random, ignore_case: bool) -> str:
    chars: list[str] = []
    negate = False
    for o, a in av:
        if o is sre.NEGATE:
            negate = True
        elif o is sre.LITERAL:
            chars.append(chr(a))
        elif o is sre.RANGE:
            chars.extend(chr(c) for c in range(a[0], min(a[1], a[0] + 40) + 1))
        elif o is sre.CATEGORY:
            chars.extend({sre.CATEGORY_SPACE: _SPACES, sre.CATEGORY_DIGIT: "0123456789",
                          sre.CATEGORY_WORD: "aZ_9"}.get(a, "x"))
    if negate:
        chars = [c for c in "xZ9 .(-" if c not in chars] or ["\u2603"]
    char = rng.choice(chars)
    return _case(char, rng) if ignore_case and char.isalpha() else char


def _guarded() -> list[tuple[str, list[re.Pattern[str]], tuple[str, ...] | None]]:
    out = [
        ("front end", [front._ROW1, front._ITEM_HEAD], front._END_WORDS),
        ("schedule to", [front._SCHEDULE_TO], front._SCHEDULE_TO_WORDS),
        ("cusip item start", [cusip._ITEM_START], cusip._ITEM_START_WORDS),
        ("rule box", [rulebox._RULE], rulebox._RULE_WORDS),
        ("signatures", [signatures._ATTEST, signatures._START], signatures._MARK_WORDS),
        ("slash signature", [signatures._SLASH_S], ("/",)),
        ("chain", [signatures._CHAIN], signatures._CHAIN_GATE.words and required_words(signatures._CHAIN)),
        ("title words", [signatures._TITLE_WORDS], required_words(signatures._TITLE_WORDS)),
    ]
    return out


@pytest.mark.parametrize(("name", "patterns", "words"), _guarded(), ids=[g[0] for g in _guarded()])
def test_every_string_a_guarded_regex_matches_holds_one_of_its_words(name, patterns, words) -> None:
    assert words, f"{name}: no words, so the reader walks every line (correct, but the speed-up is lost)"
    rng = random.Random(name)
    for pattern in patterns:
        parsed = list(sre_parse.parse(pattern.pattern, pattern.flags))
        kept = 0
        for _ in range(3000):
            text = _sample(parsed, rng, bool(pattern.flags & re.I))
            if not pattern.search(text):
                continue
            kept += 1
            assert any(w.encode() in fold(text) for w in words), (name, pattern.pattern, text)
        assert kept > 100, (name, pattern.pattern, kept)


@pytest.mark.parametrize(("pattern", "seed"), [(rulebox._RULE, rulebox._RULE_SEED)], ids=["rule box"])
def test_every_string_a_seeded_regex_matches_holds_its_seed(pattern, seed) -> None:
    rng = random.Random(pattern.pattern)
    parsed = list(sre_parse.parse(pattern.pattern, pattern.flags))
    kept = 0
    for _ in range(3000):
        text = _sample(parsed, rng, True)
        for m in pattern.finditer(text):
            kept += 1
            assert seed.search(m.group()), (pattern.pattern, text)
    assert kept > 100


def test_end_reach_reads_the_width_before_a_trailing_white_space_anchor() -> None:
    assert end_reach(re.compile(r"(?:,|\bor|\brespect)\s*$", re.I)) == 7
    assert end_reach(re.compile(r"(?:,|\bor)\s+$")) is None  # not \s*$
    assert end_reach(re.compile(r"a+\s*$")) is None  # no longest match
    assert end_reach(re.compile(r"(?:,|\bor)$")) is None


@pytest.mark.parametrize("pattern", [front._CONNECTOR_END, items._CONNECTOR_END, signatures._CONNECTOR_END,
                                     re.compile(r"(?:x |\bab\s)\s*$", re.I)], ids=["front", "items", "signatures", "ws"])
def test_search_end_finds_what_search_finds(pattern) -> None:
    reach = end_reach(pattern)
    assert reach is not None
    rng = random.Random(pattern.pattern)
    pieces = ["or", "OR", "of", "the", "and", "with", "respect", "each", ",", "&", "-", "x", "ab", "a", " ", "\t",
              "\n", "\xa0", "\u2003", "é"]
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 9)))
        want, got = pattern.search(text), search_end(pattern, reach, text)
        assert (want and want.span()) == (got and got.span()), (pattern.pattern, text)


def test_amendment_has_no_letter_with_a_look_alike() -> None:
    # front._amendment tests "amendment" in line.lower() before the patterns that hold the word.
    assert not set("amendment") & {letter for _, letter in _ASCII_LOOKALIKES}
    for pattern in (front._AMEND_PAREN, front._AMEND, front._AMEND_ORD):
        assert required_words(pattern) == ("amendment",)


def test_word_gate_searches_as_the_pattern_does() -> None:
    gate = signatures._CHAIN_GATE
    assert gate.words is not None
    rng = random.Random(7)
    parsed = list(sre_parse.parse(gate.pattern.pattern, gate.pattern.flags))
    for _ in range(3000):
        text = _sample(parsed, rng, True) if rng.random() < 0.5 else rng.choice(["John Smith", "Its Manager", "x"])
        want, got = gate.pattern.search(text), gate.search(text)
        assert (want and want.span()) == (got and got.span()), text
