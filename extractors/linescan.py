r"""Which lines of a document a per-line reader needs to look at, found by plain searches of the joined text.

Some readers walk many lines and test each one (where the front page ends, the CUSIP scan of the
cover pages, the rule box, where the signatures start); on most lines the test fails, and a Python
loop that lower-cases every line or calls a regex on it costs more than the rest of the reader. :meth:`LineText.lines_with` finds the
lines that hold a word with ``str.find`` / ``bytes.find`` over the joined text (C, no regex, no copy
per line); the reader then runs its own unchanged per-line code on those lines only.

That gives what walking every line gives as long as every line the reader's test can act on holds
one of the words. So each reader asks for the words that every match of its regexes holds, read off
those regexes by :func:`required_words` (``reporting`` for ``NAMES?\s+OF\s+REPORTING\s+PERSONS?``),
or for the words its own ``in`` tests look for. ``words`` are found in any case: wherever a
case-blind regex (``re.I``) matches their letters and wherever ``line.lower()`` holds them (see
:func:`fold`); ``cased`` strings are found as written, like ``"13" in line``. No word holds a line
end, so a hit never spans two lines. A hit's line is the number of line ends before it, which holds
unless a line has a line end of its own (document_lines never makes one; a caller may): then every
line is returned, and the reader walks them all as it always did.

A search costs a few passes of ``find`` over the text, so it pays only where the loop it replaces
runs over hundreds of lines or calls a regex per line: the items reader (ten words) and the loops
over a 50-line front page keep their own loops (measured side by side).

Several readers search the same document, so :func:`line_text` keeps the last document's joined text
(one per thread) and hands it out again for the same lines, compared by value: a caller that changed
its list gets a new one. It holds one document, about three times the size of its text.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from re import _constants as _sre  # type: ignore[attr-defined]
from re import _parser as _sre_parse  # type: ignore[attr-defined]

# The characters other than ASCII letters that re.I matches to an ASCII letter, or whose lower case
# holds one (tests/test_linescan.py tries every code point): folded to that letter.
_ASCII_LOOKALIKES = (("\u0130", "i"), ("\u0131", "i"), ("\u017f", "s"), ("\u212a", "k"))
_FIRST_STRETCH = 4000  # characters; see LineText.lines_with


def fold(text: str) -> bytes:
    """``text`` as one byte per character, letters in lower case, for case-blind plain searches.

    ASCII letters are lowered; the few other letters that a case-blind match or ``str.lower`` takes
    for an ASCII letter become that letter; every other character becomes a byte that is no ASCII
    letter and no line end (itself from 0x80 to 0xFF, else ``?``). So where ``re.I`` matches a word's
    letters in ``text``, or ``text.lower()`` holds the word, the folded text holds the word at the
    same place.
    """
    if text.isascii():
        return text.encode("ascii").lower()
    for char, letter in _ASCII_LOOKALIKES:
        if char in text:
            text = text.replace(char, letter)
    # latin-1 keeps one byte per character (positions stay the text's); bytes.lower() lowers only
    # ASCII letters, and no byte from 0x80 up is one.
    return text.encode("latin-1", "replace").lower()


class LineText:
    """A document's lines joined by line ends, searchable for the lines that hold a word."""

    __slots__ = ("_snapshot", "folded", "plain", "text")

    def __init__(self, lines: Sequence[str]) -> None:
        self._snapshot = list(lines)
        self.text = "\n".join(self._snapshot)
        self.folded = fold(self.text)
        # Line numbers are line ends counted before a hit, which holds while no line has one of its own.
        self.plain = self.text.count("\n") == max(len(self._snapshot) - 1, 0)

    def holds(self, lines: Sequence[str]) -> bool:
        """True when ``lines`` are the lines this text was made of (the same strings, in order)."""
        return type(lines) is list and lines == self._snapshot

    def lines_with(
        self, words: Sequence[str] | None = (), cased: Sequence[str] = (), stop: int | None = None
    ) -> Iterator[int]:
        """The indices, in order and each once, of the lines before ``stop`` that hold one of ``words``
        (lower-case ASCII) in any case or one of ``cased`` as written; every line before ``stop`` where
        ``words`` is None (a regex :func:`required_words` cannot read) or a line holds a line end of
        its own.

        The text is searched a stretch at a time (4,000 characters, then four times as many each
        time), so a reader that stops at the first line it wants, or a ``stop`` near the top, costs a
        search of the top of the text only.
        """
        n = len(self._snapshot)
        stop = n if stop is None else min(stop, n)
        if words is None or not self.plain:
            yield from range(stop)
            return
        text, folded = self.text, self.folded
        needles = [(w, folded) for w in map(_word, words)] + [(c, text) for c in map(_cased, cased)]
        line, counted = 0, 0  # the line that position ``counted`` is in
        lo, size = 0, _FIRST_STRETCH
        while lo < len(text) and line < stop:
            hi = text.find("\n", lo + size)  # stretches end at a line end, so no line is in two
            hi = len(text) if hi < 0 else hi
            hits = []
            for needle, hay in needles:
                at = hay.find(needle, lo, hi)  # type: ignore[arg-type]
                while at >= 0:
                    hits.append(at)
                    line_end = text.find("\n", at, hi)
                    at = hay.find(needle, line_end, hi) if line_end >= 0 else -1  # type: ignore[arg-type]
            last = -1
            for at in sorted(hits):
                line += text.count("\n", counted, at)
                counted = at
                if line >= stop:
                    return
                if line != last:
                    last = line
                    yield line
            lo, size = hi + 1, size * 4
            line += text.count("\n", counted, lo)
            counted = lo


def required_words(*patterns: re.Pattern[str]) -> tuple[str, ...] | None:
    r"""Lower-case words one of which every match of any of ``patterns`` holds, read off the patterns
    themselves: a run of literal ASCII characters that every match has (for an alternation, one such
    run from each branch). Of the runs a pattern has, the one with the longest shortest word is taken:
    the rarer the word, the fewer lines it names. None when a pattern has no such run (or cannot be
    read): then nothing can be left out.

    ``NAMES?\s+OF\s+REPORTING\s+PERSONS?`` gives ``("reporting",)``; ``Dated?|Date\s+signed``
    gives ``("date",)``... The words hold in any case (:meth:`LineText.lines_with` finds them with or
    without ``re.I``).
    """
    words: list[str] = []
    for pattern in patterns:
        try:
            found = _words_of(_sre_parse.parse(pattern.pattern, pattern.flags))
        except Exception:  # re's own parser, whose shape may change between Python versions
            found = None
        if not found:
            return None
        words += found
    return tuple(dict.fromkeys(words))


def _words_of(items: Iterable[tuple[object, object]]) -> tuple[str, ...] | None:
    """The best word set (see required_words) of a parsed sequence, or None."""
    best: tuple[str, ...] | None = None

    def offer(candidate: tuple[str, ...] | None) -> None:
        nonlocal best
        if candidate and (best is None or _rank(candidate) > _rank(best)):
            best = candidate

    run: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL and av < 128 and av != 10:  # type: ignore[operator]
            run.append(chr(av))  # type: ignore[arg-type]
            continue
        if run:
            offer(("".join(run).lower(),))
            run = []
        if op is _sre.SUBPATTERN:
            offer(_words_of(av[-1]))  # type: ignore[index]
        elif op is _sre.ATOMIC_GROUP:
            offer(_words_of(av))  # type: ignore[arg-type]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and av[0] >= 1:  # type: ignore[index]
            offer(_words_of(av[2]))  # type: ignore[index]
        elif op is _sre.BRANCH:
            branches = [_words_of(branch) for branch in av[1]]  # type: ignore[index]
            if all(branches):
                offer(tuple(dict.fromkeys(w for branch in branches for w in branch or ())))
        # anything else (a class, a look-around, an anchor, an optional part) holds no word for sure
    if run:
        offer(("".join(run).lower(),))
    return best


def _rank(words: tuple[str, ...]) -> tuple[int, int]:
    return min(map(len, words)), -len(words)


def end_reach(pattern: re.Pattern[str]) -> int | None:
    r"""For a pattern that ends in ``\s*$`` (a connector at the end of a heading), the most characters
    what stands before the ``\s*$`` can match; None for any other pattern.

    Such a match ends where the text's trailing white space begins or later, so it starts at most
    that many characters before it: :func:`search_end` searches from there, where ``search`` would
    try every position of the text.
    """
    try:
        parsed = _sre_parse.parse(pattern.pattern, pattern.flags)
        items = list(parsed)
        if len(items) < 2 or items[-1] != (_sre.AT, _sre.AT_END):
            return None
        op, (low, _, repeated) = items[-2]
        if op is not _sre.MAX_REPEAT or low != 0 or list(repeated) != [(_sre.IN, [(_sre.CATEGORY, _sre.CATEGORY_SPACE)])]:
            return None
        width = _sre_parse.SubPattern(parsed.state, items[:-2]).getwidth()[1]
    except Exception:  # re's own parser, whose shape may change between Python versions
        return None
    return width if width < _sre.MAXREPEAT else None


def search_end(pattern: re.Pattern[str], reach: int | None, text: str) -> re.Match[str] | None:
    """``pattern.search(text)``, for ``reach = end_reach(pattern)``: the same match, found from the
    first position it can start at (``search`` keeps the text before it for ``\b`` and look-behinds)."""
    if reach is None:
        return pattern.search(text)
    return pattern.search(text, max(0, len(text.rstrip()) - reach))


class WordGate:
    """``pattern.search(text)``, but None without searching where ``text`` holds none of the words
    every match holds (:func:`required_words`): a long case-blind alternation costs microseconds on
    a short text, the word test a fraction of one."""

    __slots__ = ("pattern", "words")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        words = required_words(pattern)
        self.words = None if words is None else [_word(w) for w in words]

    def search(self, text: str) -> re.Match[str] | None:
        if self.words is not None:
            folded = fold(text)
            if not any(w in folded for w in self.words):
                return None
        return self.pattern.search(text)


def _word(word: str) -> bytes:
    if not word or not word.isascii() or word != word.lower() or "\n" in word:
        raise ValueError(f"a search word is lower-case ASCII with no line end: {word!r}")
    return word.encode("ascii")


def _cased(word: str) -> str:
    if not word or "\n" in word:
        raise ValueError(f"a search string holds no line end: {word!r}")
    return word


_last = threading.local()


def line_text(lines: Sequence[str]) -> LineText:
    """The :class:`LineText` of ``lines``: the last one made in this thread when it holds them."""
    last: LineText | None = getattr(_last, "text", None)
    if last is not None and last.holds(lines):
        return last
    made = LineText(lines)
    _last.text = made
    return made


__all__ = ["LineText", "WordGate", "end_reach", "fold", "line_text", "required_words", "search_end"]
