"""Where a filing lives on EDGAR, for people: its index page (documents, exhibits, the filer's CIKs)."""

from __future__ import annotations

EDGAR_INDEX_URL = "https://www.sec.gov/Archives/edgar/data/{cik}/{folder}/{accession}-index.htm"


def edgar_index_url(cik: str | int | None, accession: str | None) -> str | None:
    """The filing's index page on EDGAR (any CIK of the filing works in the path), or None without one."""
    if not cik or not accession or not str(cik).strip().isdigit():
        return None
    return EDGAR_INDEX_URL.format(cik=int(str(cik)), folder=accession.replace("-", ""), accession=accession)
