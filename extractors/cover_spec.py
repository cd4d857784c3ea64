"""What a schedule's cover page holds, declared as data: its rows, their labels and their value types.

The cover reader (:mod:`extractors.cover`) knows no row by number. It takes a :class:`CoverSpec`:
for every printed row, the pattern its label matches, the type of value it must hold and the column
of ``reporting_persons`` it fills. A schedule whose cover prints the same rows under other numbers
(Schedule 13G: rows 1 to 12, no source of funds) is another spec built from the same row
declarations, not another reader.

Value types (``kind``) say what a row must hold, so a token that cannot be that value (a row
number, a page number, a label word, a suffix in parentheses) is never taken for it:

=========  ============================================================================
name       a person's name (row 1), without I.R.S. numbers and label text
group      the (a)/(b) boxes of "member of a group"
none       nothing to read (SEC use only)
codes      two-letter codes from the row's set (source of funds, type of reporting person)
box        one check box (legal proceedings, aggregate excludes certain shares)
place      a state or country (citizenship or place of organization)
shares     a share count or a printed zero
percent    a percent of class
=========  ============================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from extractors.schema import REPORTING_PERSON_TYPES, SOURCE_OF_FUNDS_CODES

KINDS = frozenset({"name", "group", "none", "codes", "box", "place", "shares", "percent"})

_W = r"[\s\-]+"  # words of a label may be split by spaces, line-wrapped hyphens or dashes
# "in Row 11" names a row; in "in Row 9.2%" (the row number left out) the digits are the value.
_NOT_A_VALUE = r"(?![.,]\d|\s*%)"
# "in Row (11)", "in Row 9", "on Line 9": the row a label refers to.
_ROW_REF = rf"(?:row|line)(?:\s*(?:\(\s*\d+\s*\)|\d+\b{_NOT_A_VALUE}))?"


@dataclass(frozen=True)
class CoverRow:
    """One printed row of a cover page.

    ``label`` is a case-insensitive regex for the row's printed label (without its number);
    ``tail`` matches the label's words when they run on to the value's line; ``beside_stack`` marks
    the rows printed beside the stacked side label "NUMBER OF / SHARES / BENEFICIALLY / ... / WITH"
    (and the row just above it), whose words are never a value.
    """

    key: str
    label: str
    kind: str
    column: str | None = None
    codes: frozenset[str] | None = None
    tail: str | None = None
    beside_stack: bool = False
    code_column: str | None = None  # a place row: the column its EDGAR state/country code goes in
    # A label cut short ("(9) Aggregate"): matched only right after the row's own printed number.
    short: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"cover row {self.key}: unknown value type {self.kind!r}")
        if (self.kind == "codes") != (self.codes is not None):
            raise ValueError(f"cover row {self.key}: a codes row, and only one, declares its codes")


@dataclass(frozen=True)
class CoverSpec:
    """A schedule's cover page: its rows in printed order, each with the number it is printed under.

    ``label_starts`` is a regex alternation of the first two characters of every label (lower case):
    the reader uses it as a lookahead so most positions of a line are rejected with one test; a
    test checks that it admits every label. ``start`` holds fast regexes (each with a literal
    prefix) for the places a cover page may begin: its first row's label, or the condensed
    "Item 1: Reporting Person" form.
    """

    schedule: str
    rows: tuple[tuple[int, CoverRow], ...]
    label_starts: str
    start: tuple[str, ...]

    def __post_init__(self) -> None:
        numbers = [n for n, _ in self.rows]
        if numbers != sorted(set(numbers)):
            raise ValueError(f"{self.schedule}: rows must be printed in increasing, distinct numbers")
        keys = [r.key for _, r in self.rows]
        if len(set(keys)) != len(keys):
            raise ValueError(f"{self.schedule}: a row key is declared twice")
        if self.rows[0][1].kind != "name":
            raise ValueError(f"{self.schedule}: the first row must be the name row")

    # Positions (1-based, in printed order) are the reader's row identity; numbers are how the
    # schedule prints them, and only layouts without labels ("Item 4: PF") are read by number.
    @cached_property
    def by_position(self) -> dict[int, CoverRow]:
        return {pos: row for pos, (_, row) in enumerate(self.rows, start=1)}

    @cached_property
    def position_of_number(self) -> dict[int, int]:
        return {num: pos for pos, (num, _) in enumerate(self.rows, start=1)}

    @cached_property
    def number_of_position(self) -> dict[int, int]:
        return {pos: num for pos, (num, _) in enumerate(self.rows, start=1)}

    @cached_property
    def position_of_key(self) -> dict[str, int]:
        return {row.key: pos for pos, row in self.by_position.items()}

    @property
    def last(self) -> int:
        """Position of the last row (type of reporting person): its codes end a cover page."""
        return len(self.rows)

    def positions(self, kind: str) -> tuple[int, ...]:
        return tuple(pos for pos, row in self.by_position.items() if row.kind == kind)


# --- the row declarations both schedules print -----------------------------------------------

NAME = CoverRow(
    "name",
    rf"names?(?:\s*\(s\))?{_W}of{_W}(?:the{_W})?(?:above{_W})?report(?:ing|ting)?{_W}pers\w*(?:\s*\(s\))?",
    "name", "name",
)
GROUP = CoverRow(
    "member_of_group",
    rf"check{_W}(?:the{_W})?appropriate{_W}\[?(?:box|row|line)(?:es)?\]?(?:{_W}if{_W}(?:a{_W})?member(?:{_W}of{_W}(?:a{_W})?group)?)?"
    rf"|(?:a{_W})?member{_W}of{_W}(?:a{_W})?group",
    "group", "member_of_group",
)
SEC_USE = CoverRow("sec_use_only", rf"sec{_W}use{_W}only", "none")
SOURCE_OF_FUNDS = CoverRow(
    "source_of_funds",
    rf"source{_W}(?:and{_W}amount{_W})?of{_W}funds?(?:{_W}or{_W}other{_W}consideration)?",
    "codes", "source_of_funds", codes=SOURCE_OF_FUNDS_CODES,
    tail=r"^(?:or\s+other\s+consideration)\s*",
)
LEGAL_PROCEEDINGS = CoverRow(
    "legal_proceedings",
    rf"(?:check{_W}(?:the{_W})?(?:box{_W})?if{_W})?(?:(?:the{_W})?disclosure{_W}of{_W})?legal{_W}proceedings?"
    rf"(?:{_W}(?:is|are){_W}required(?:{_W}pursuant(?:{_W}to(?:{_W}items?(?:{_W}2\s*\(\s*d\s*\)(?:{_W}(?:or|and){_W}2\s*\(\s*e\s*\))?)?)?)?)?)?",
    "box", "legal_proceedings",
)
CITIZENSHIP = CoverRow(
    "citizenship",
    rf"citizenship(?:{_W}o[rf](?:{_W}place(?:{_W}of(?:{_W}organi[sz]ation)?)?)?)?|place{_W}of{_W}organi[sz]ation",
    "place", "citizenship", code_column="citizenship_code",
    tail=r"^(?:(?:o[rf]\s+)?(?:place\s+)?(?:of\s+)?organi[sz]ation|o[rf]\s+place(?:\s+of)?)\b\s*",
    beside_stack=True,
)
_POWER_TAIL = r"^(?:power\b)\s*"
SOLE_VOTING = CoverRow("sole_voting_power", rf"sole{_W}(?:vot\w*(?:{_W}power)?|power{_W}to{_W}vote)", "shares", "sole_voting_power",
                       tail=_POWER_TAIL, beside_stack=True)
SHARED_VOTING = CoverRow("shared_voting_power", rf"shared{_W}(?:vot\w*(?:{_W}power)?|power{_W}to{_W}vote)", "shares", "shared_voting_power",
                         tail=_POWER_TAIL, beside_stack=True)
SOLE_DISPOSITIVE = CoverRow("sole_dispositive_power", rf"sole{_W}(?:dispo\w*(?:{_W}power)?|power{_W}to{_W}dispose)", "shares",
                            "sole_dispositive_power", tail=_POWER_TAIL, beside_stack=True)
SHARED_DISPOSITIVE = CoverRow("shared_dispositive_power", rf"shared{_W}(?:dispo\w*(?:{_W}power)?|power{_W}to{_W}dispose)", "shares",
                              "shared_dispositive_power", tail=_POWER_TAIL, beside_stack=True)
AGGREGATE = CoverRow(
    "aggregate_amount",
    rf"aggregate{_W}amount(?!{_W}in\b)(?:{_W}(?:of{_W})?beneficially(?:{_W}owned(?:{_W}by(?:{_W}(?:each|the)"
    rf"(?:{_W}reporting(?:{_W}(?:persons?|party|parties))?)?)?)?)?)?"
    rf"|amount{_W}beneficially{_W}owned{_W}by{_W}each{_W}reporting{_W}persons?",
    "shares", "aggregate_amount", short=r"aggregate\b",
    tail=r"^(?:(?:beneficially|owned|by|each|the|reporting|persons?|party|parties|of)\b[\s:]*)+",
)
EXCLUDES = CoverRow(
    "excludes_certain_shares",
    rf"check{_W}(?:the{_W})?(?:box{_W})?if{_W}(?:the{_W})?aggregate{_W}amount(?:{_W}in{_W}{_ROW_REF})?"
    rf"(?:{_W}excludes(?:{_W}certain(?:{_W}shares)?)?)?"
    rf"|(?:aggregate{_W}amount{_W}in{_W}{_ROW_REF}{_W})?excludes{_W}certain{_W}shares",
    "box", "excludes_certain_shares",
)
PERCENT = CoverRow(
    "percent_of_class",
    rf"percent(?:age)?{_W}of{_W}(?:the{_W})?(?:class|series)(?:{_W}represent(?:ed|ing){_W}by{_W}{_ROW_REF}"
    rf"|{_W}represent(?:ed|ing)(?:{_W}by(?:{_W}(?:the{_W})?amount(?:{_W}in(?:{_W}{_ROW_REF})?)?)?)?)?",
    "percent", "percent_of_class", short=r"percent(?:age)?\b",
    tail=r"^(?:(?:represent(?:ed|ing)|by|the|amount|in)\b\s*)*(?:(?:row|line)(?:\s*(?:\(\s*\d{1,2}\s*\)|\d{1,2}\b"
         + _NOT_A_VALUE + r"))?|\(\s*\d{1,2}\s*\))?\s*",
)
REPORTING_PERSON_TYPE = CoverRow(
    "type_of_reporting_person", rf"type{_W}of{_W}report(?:ing|ting)?{_W}pers\w*", "codes",
    "type_of_reporting_person", codes=REPORTING_PERSON_TYPES, tail=r"^(?:persons?\b)\s*",
)

_LABEL_STARTS = r"na|ch|me|a[\s\-]|se|so|th|di|le|ci|pl|sh|ag|ex|am|pe|ty"
# Where a cover page may begin: a name-row label, or the condensed "Item 1: Reporting Person - ..." /
# "Item 1: REPORTING PERSONS" of FMR's and Dimensional's filings.
# (Compiled without re.IGNORECASE: the condensed form is spelt out in its cases, so the regex engine
# can skip to the next "I" or "i" instead of trying every position of a long document.)
_START = (r"(?i:names?(?:\s*\(s\))?[\s\-]+of[\s\-]+(?:the[\s\-]+)?(?:above[\s\-]+)?report)",
          r"(?:Item|ITEM|item)\s*\(?\s*1\s*\)?\s*[:.]\s*(?:[Rr]eporting|REPORTING)\s+(?:[Pp]ers|PERS)")

SCHEDULE_13D = CoverSpec(
    schedule="13D",
    rows=(
        (1, NAME), (2, GROUP), (3, SEC_USE), (4, SOURCE_OF_FUNDS), (5, LEGAL_PROCEEDINGS), (6, CITIZENSHIP),
        (7, SOLE_VOTING), (8, SHARED_VOTING), (9, SOLE_DISPOSITIVE), (10, SHARED_DISPOSITIVE),
        (11, AGGREGATE), (12, EXCLUDES), (13, PERCENT), (14, REPORTING_PERSON_TYPE),
    ),
    label_starts=_LABEL_STARTS,
    start=_START,
)

# Schedule 13G prints the same rows without source of funds and legal proceedings, numbered 1 to 12
# (extractors/schedules.py pairs each cover with its schedule's form types, items and XML names).
SCHEDULE_13G = CoverSpec(
    schedule="13G",
    rows=(
        (1, NAME), (2, GROUP), (3, SEC_USE), (4, CITIZENSHIP), (5, SOLE_VOTING), (6, SHARED_VOTING),
        (7, SOLE_DISPOSITIVE), (8, SHARED_DISPOSITIVE), (9, AGGREGATE), (10, EXCLUDES), (11, PERCENT),
        (12, REPORTING_PERSON_TYPE),
    ),
    label_starts=_LABEL_STARTS,
    start=_START,
)
