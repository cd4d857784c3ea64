"""The one definition of edgar13d's tables.

The extractors build rows with these schemas, the warehouse creates its tables from them, and the
README's column reference is generated from the same descriptions (``python -m extractors.schema``),
so the three can never drift apart. Column names follow ``shared/labels/README.md`` so a parsed
filing, a stored row and a hand-checked label compare field by field.

Conventions: NULL means "not printed"; 0 means "printed as zero". Share counts are float64 because
XML-era filings print fractional units (``17285425.04``); every integer below 2**53 is exact.
"""

from __future__ import annotations

import pyarrow as pa

from extractors import PARSER_VERSION

_LIST_STR = pa.list_(pa.string())


def _field(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"doc": doc})


# Columns every row carries, so any row can be traced to its filing and to the code that read it.
_PROVENANCE = [
    _field("filing_id", pa.string(),
           "Key of the filing: the accession number, or 'sha256:<hex>' of the bytes for a bare document.",
           nullable=False),
    _field("accession_number", pa.string(), "EDGAR accession number (0000950123-94-000385); NULL for a bare document."),
    _field("parser_version", pa.string(), "Version of the extractor that produced the row.", nullable=False),
    _field("warnings", _LIST_STR, "Problems noticed while reading this part of the filing, as short codes with detail."),
]

FILINGS = pa.schema(
    [
        *_PROVENANCE,
        _field("form_type", pa.string(), "EDGAR submission type (SC 13D, SC 13D/A, SCHEDULE 13D, SCHEDULE 13D/A, SC 13G, "
               "SC 13G/A, SCHEDULE 13G, SCHEDULE 13G/A); NULL for a bare document."),
        _field("schedule", pa.string(), "Which schedule the document is: '13D' (active holders) or '13G' (passive "
               "holders), read from the document itself (warning schedule_mismatch where the form type says the other).",
               nullable=False),
        _field("document_format", pa.string(), "Era of the schedule's document: 'txt', 'html' or 'xml'.", nullable=False),
        _field("is_amendment", pa.bool_(), "True for a 13D/A or 13G/A (from the form type, or the cover's amendment number)."),
        _field("amendment_number", pa.int32(), "Number printed on the cover ('Amendment No. 3', amendmentNo); NULL where none is printed."),
        _field("filed_date", pa.date32(), "Header FILED AS OF DATE."),
        _field("acceptance_datetime", pa.timestamp("s"), "Header ACCEPTANCE-DATETIME (2001 on), EDGAR's local time."),
        _field("event_date", pa.date32(), "Date of the event which requires filing of this statement."),
        _field("subject_cik", pa.string(), "Header SUBJECT COMPANY central index key, without leading zeros."),
        _field("subject_name", pa.string(), "Header SUBJECT COMPANY conformed name."),
        _field("issuer_cik", pa.string(), "Issuer CIK printed in the document (XML era), without leading zeros."),
        _field("issuer_name", pa.string(), "Issuer name as printed on the cover."),
        _field("security_title", pa.string(), "Title of the class of securities as printed."),
        _field("cusip", pa.string(), "CUSIP of the class the cover pages report on: 9 characters, check digit valid."),
        _field("cusip_raw", pa.string(), "The CUSIP text as printed."),
        _field("cusips", _LIST_STR, "Every distinct valid CUSIP of the filing (multi-class filings have several)."),
        _field("previous_accession_number", pa.string(), "XML headerData/previousAccessionNumber (points at the original filing)."),
        _field("rule_13d_1", _LIST_STR, "13G: the rule boxes checked on the front page, sorted letters of Rule 13d-1(b), (c), "
               "(d) (XML designateRulePursuantThisScheduleFiled); [] when none is checked or the form has no box (before "
               "1998); NULL for a 13D."),
        _field("filer_ciks", _LIST_STR, "Header FILED BY central index keys, without leading zeros."),
        _field("filer_names", _LIST_STR, "Header FILED BY conformed names."),
        _field("group_members", _LIST_STR, "Header GROUP MEMBERS lines."),
        _field("sec_file_number", pa.string(), "Subject company SEC FILE NUMBER (005-xxxxx)."),
        _field("content_sha256", pa.string(), "SHA-256 of the bytes that were parsed.", nullable=False),
        _field("source", pa.string(), "Where the bytes came from: a path or a URL, as given to the parser."),
    ]
)

REPORTING_PERSONS = pa.schema(
    [
        *_PROVENANCE,
        _field("seq", pa.int32(), "Order of the cover page in the filing, from 1.", nullable=False),
        _field("schedule", pa.string(), "The filing's schedule, '13D' or '13G' (row numbers below are 13D's, then 13G's).",
               nullable=False),
        _field("name", pa.string(), "Row 1: name of the reporting person, line breaks folded to spaces."),
        _field("cik", pa.string(), "Reporting person's CIK where the filing gives one (XML), without leading zeros."),
        _field("irs_number", pa.string(), "Row 1: I.R.S. identification number where printed."),
        _field("member_of_group", pa.string(), "Row 2: 'a' or 'b' when that box is checked, NULL when neither is."),
        _field("source_of_funds", _LIST_STR, "Row 4 (13D only): codes printed (WC, OO, AF, PF, BK, SC); empty when none; NULL for a 13G."),
        _field("legal_proceedings", pa.bool_(), "Row 5 (13D only): disclosure of legal proceedings box checked."),
        _field("citizenship", pa.string(), "Row 6 / 13G row 4: citizenship or place of organization as printed."),
        _field("citizenship_code", pa.string(),
               "Row 6 / 13G row 4 as an EDGAR state/country code (DE, NY, E9 = Cayman Islands, X1 = United States, X0 = United "
               "Kingdom, ...): printed by the XML era, mapped from the printed place for text and HTML; NULL where "
               "the place is not recognized (warning citizenship_unrecognized)."),
        _field("sole_voting_power", pa.float64(), "Row 7 / 13G row 5: sole voting power (shares)."),
        _field("shared_voting_power", pa.float64(), "Row 8 / 13G row 6: shared voting power (shares)."),
        _field("sole_dispositive_power", pa.float64(), "Row 9 / 13G row 7: sole dispositive power (shares)."),
        _field("shared_dispositive_power", pa.float64(), "Row 10 / 13G row 8: shared dispositive power (shares)."),
        _field("aggregate_amount", pa.float64(), "Row 11 / 13G row 9: aggregate amount beneficially owned (shares)."),
        _field("excludes_certain_shares", pa.bool_(), "Row 12 / 13G row 10: the aggregate excludes certain shares."),
        _field("percent_of_class", pa.float64(), "Row 13 / 13G row 11: percent of class, without the % sign (17.0 for 17.0%)."),
        _field("type_of_reporting_person", _LIST_STR, "Row 14 / 13G row 12: codes printed (PN, CO, IN, IA, HC, BD, OO, ...)."),
        _field("cusip", pa.string(), "CUSIP printed on this cover page, where it differs by class."),
    ]
)

ITEMS = pa.schema(
    [
        *_PROVENANCE,
        _field("item_number", pa.int32(), "Item 1 to 7 of a Schedule 13D, 1 to 10 of a 13G.", nullable=False),
        _field("heading", pa.string(), "The item's heading as printed ('Security and Issuer')."),
        _field("text", pa.string(), "The item's text, whitespace folded."),
    ]
)

SIGNATURES = pa.schema(
    [
        *_PROVENANCE,
        _field("seq", pa.int32(), "Order of the signature block, from 1.", nullable=False),
        _field("signer", pa.string(), "For whom the signature is given (the reporting person), where printed."),
        _field("name", pa.string(), "Name of the natural person signing."),
        _field("title", pa.string(), "Title of the person signing."),
        _field("date", pa.date32(), "Date printed with the signature."),
    ]
)

TABLES: dict[str, pa.Schema] = {
    "filings": FILINGS,
    "reporting_persons": REPORTING_PERSONS,
    "items": ITEMS,
    "signatures": SIGNATURES,
}

# Codes that rows 4 and 14 may contain; anything else printed there is prose, not a code.
SOURCE_OF_FUNDS_CODES = frozenset({"SC", "BK", "AF", "WC", "PF", "OO"})
REPORTING_PERSON_TYPES = frozenset(
    {"BD", "BK", "IC", "IV", "IA", "EP", "HC", "SA", "CP", "CO", "PN", "IN", "OO", "FI", "SB", "CS", "ST", "GP"}
)


def column_reference() -> str:
    """Markdown reference of every table and column, for the README."""
    out: list[str] = []
    for table, schema in TABLES.items():
        out.append(f"### `{table}`\n\n| column | type | meaning |\n|---|---|---|")
        for f in schema:
            doc = (f.metadata or {}).get(b"doc", b"").decode()
            out.append(f"| `{f.name}` | {f.type} | {doc} |")
        out.append("")
    return "\n".join(out)


SCHEMA_DOC_INTRO = """# Columns of edgar13d's tables

Generated from `extractors/schema.py`, the one definition the extractors, the warehouse and these docs share
(`python -m extractors.schema > docs/schema.md`; a test fails when they differ). NULL means "not printed"; 0 means
"printed as zero". The warehouse adds `loaded_at`, `positions_digest` and `filing_cusips_digest` to `filings`, and
`holder_key`, `holder_cusip` to `reporting_persons`.
"""


def warning_reference() -> str:
    """Markdown list of the stable warning codes a reporting-person row can carry."""
    from extractors.checks import PERSON_WARNINGS

    out = ["## Warning codes of `reporting_persons`", "",
           "Each entry of `warnings` is `code: detail`; the code is stable. A *check* means the row's values disagree "
           "with the form or with each other (`edgar13d status` and `python -m bench.checks` count these); a *note* says "
           "how the row was read or what the filer left out. Filter in SQL with "
           "`EXISTS (SELECT 1 FROM unnest(warnings) t(w) WHERE w LIKE 'percent_out_of_range:%')`.", "",
           "| code | kind | meaning |", "|---|---|---|"]
    out += [f"| `{w.code}` | {w.kind} | {w.meaning} |" for w in PERSON_WARNINGS.values()]
    return "\n".join(out) + "\n"


def schema_doc() -> str:
    """docs/schema.md: the column reference with its introduction, then the warning codes."""
    return SCHEMA_DOC_INTRO + "\n" + column_reference() + "\n" + warning_reference()


__all__ = [
    "FILINGS",
    "ITEMS",
    "PARSER_VERSION",
    "REPORTING_PERSONS",
    "SIGNATURES",
    "TABLES",
    "column_reference",
]

if __name__ == "__main__":
    print(schema_doc(), end="")
