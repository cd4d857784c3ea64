"""Discovery by CUSIP and by day against the local EDGAR, plus the pure parsers on real EDGAR shapes."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from crawler.archive import RawArchive
from crawler.client import EdgarClient
from crawler.cusip import parse_cusip_query
from crawler.discovery import discover_by_cusip, extract_with_parser, match_filing
from crawler.indexes import daily_candidates, parse_master_index, range_candidates
from crawler.ratelimit import RateLimiter
from crawler.search import SearchPage, parse_hits
from crawler.submissions import iter_rows, rows_to_candidates
from extractors.schedules import form_types
from tests.local_edgar import EdgarFixtures, LocalEdgar
from tests.local_edgar.demo import CLASS_A, PRAIRIE, demo_fixtures
from tests.local_edgar.matcher import simple_extract
from tests.local_edgar.pytest_plugin import settings_for


@pytest.fixture
def demo_server():
    demo = demo_fixtures()
    with LocalEdgar(demo.fixtures) as edgar:
        yield demo, edgar


def client_for(edgar: LocalEdgar) -> EdgarClient:
    return EdgarClient(settings_for(edgar, max_requests_per_second=50), limiter=RateLimiter())


def filing_requests(edgar: LocalEdgar) -> list[str]:
    return [r.path for r in edgar.requests("/Archives/edgar/data/")]


def test_cusip_discovery_finds_every_era_and_rejects_the_decoys(demo_server, tmp_path):
    demo, edgar = demo_server
    result = discover_by_cusip(client_for(edgar), demo.cusip, extract=simple_extract, archive=RawArchive(tmp_path))
    assert result.subject_ciks == [PRAIRIE.cik]
    assert result.accessions == demo.expected  # 1996 and 1999 text, 2004 and 2013 HTML, 2025 XML, oldest first
    years = [o.candidate.filed_date.year for o in result.accepted]
    assert min(years) < 2001 and any(2001 <= y < 2024 for y in years) and max(years) >= 2025
    assert {o.candidate.form for o in result.accepted} == {"SC 13D", "SC 13D/A", "SCHEDULE 13D", "SCHEDULE 13D/A"}
    reasons = {o.candidate.accession: o.reason for o in result.rejected}
    assert set(reasons) == set(demo.decoys)
    assert "subject is CIK 1790201" in reasons["0001193125-10-000808"]
    assert "is not " + CLASS_A in reasons[demo.class_b[0]]
    assert result.errors == []
    # The pre-2001 filings are only on the overflow pages, and full-text search never returns them.
    assert len(edgar.requests("/submissions/CIK0001790001-submissions-")) == 3
    # Every filing fetched once although search hits and several CIKs list them.
    paths = filing_requests(edgar)
    assert len(paths) == len(set(paths)) == len(demo.expected) + len(demo.decoys)
    assert result.fetch_requests == len(paths)
    assert result.discovery_requests == 3 + 4  # three search phrases, main JSON + three overflow pages


def test_the_real_extractor_plugs_in(demo_server, tmp_path):
    demo, edgar = demo_server
    result = discover_by_cusip(client_for(edgar), demo.cusip, extract=extract_with_parser,
                               archive=RawArchive(tmp_path))
    assert result.accessions == demo.expected
    assert {o.candidate.accession for o in result.rejected} == set(demo.decoys)


def test_a_known_cik_skips_full_text_search(demo_server, tmp_path):
    demo, edgar = demo_server
    result = discover_by_cusip(client_for(edgar), demo.cusip[:8], extract=simple_extract,
                               archive=RawArchive(tmp_path), ciks=[PRAIRIE.cik])
    assert result.accessions == demo.expected
    assert edgar.requests("/LATEST/") == []


def test_a_learned_mapping_supplies_the_cik(demo_server, tmp_path):
    demo, edgar = demo_server
    result = discover_by_cusip(client_for(edgar), f"{CLASS_A[:6]} {CLASS_A[6:8]} {CLASS_A[8]}",
                               extract=simple_extract, archive=RawArchive(tmp_path),
                               known={CLASS_A: [PRAIRIE.cik], "000000000": [1]})
    assert result.accessions == demo.expected and edgar.requests("/LATEST/") == []


def test_an_issuer_prefix_takes_every_class(demo_server, tmp_path):
    demo, edgar = demo_server
    result = discover_by_cusip(client_for(edgar), CLASS_A[:6], extract=simple_extract, archive=RawArchive(tmp_path))
    assert set(result.accessions) == set(demo.expected) | set(demo.class_b)


def test_a_second_run_reads_the_archive_not_the_network(demo_server, tmp_path):
    demo, edgar = demo_server
    archive = RawArchive(tmp_path)
    first = discover_by_cusip(client_for(edgar), demo.cusip, extract=simple_extract, archive=archive)
    edgar.reset_log()
    second = discover_by_cusip(client_for(edgar), demo.cusip, extract=simple_extract, archive=archive, workers=3)
    assert second.accessions == first.accessions
    assert filing_requests(edgar) == [] and second.fetch_requests == 0
    assert all(o.from_archive for o in second.accepted)


def test_bad_cusips_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="check digit"):
        parse_cusip_query("037833101")
    with pytest.raises(ValueError, match="characters"):
        parse_cusip_query("03783")
    assert parse_cusip_query("03783310").cusip == "037833100"
    assert parse_cusip_query("G9319H-10-2").cusip == "G9319H102"
    t = parse_cusip_query("805423")
    assert t.cusip is None and t.matches("805423 20 9") and not t.matches("805424100")


def test_match_reports_why_a_filing_is_not_kept():
    target = parse_cusip_query(CLASS_A)

    def extract(subject, cusips):
        return lambda raw: (subject, cusips)

    assert match_filing(b"", target, extract(PRAIRIE.cik, [CLASS_A[:8]]), {PRAIRIE.cik}).accepted
    assert match_filing(b"", target, extract(PRAIRIE.cik, ["0" + CLASS_A]), {PRAIRIE.cik}).accepted
    assert match_filing(b"", target, extract(PRAIRIE.cik, []), {PRAIRIE.cik}).reason == "no CUSIP found in the filing"
    assert "subject is CIK 5" in match_filing(b"", target, extract(5, [CLASS_A]), {PRAIRIE.cik}).reason

    def broken(raw):
        raise RuntimeError("bad bytes")

    assert match_filing(b"", target, broken).reason.startswith("unreadable: RuntimeError")


def test_daily_discovery_dedupes_and_treats_a_missing_index_as_empty(demo_server):
    _, edgar = demo_server
    client = client_for(edgar)
    found = daily_candidates(client, edgar.url, dt.date(2025, 6, 16))
    assert [(c.accession, c.form) for c in found] == [("0000950170-25-000606", "SCHEDULE 13D/A")]
    assert sorted(found[0].ciks) == [1790001, 1790102, 1790103]  # listed under three CIKs, one candidate
    assert daily_candidates(client, edgar.url, dt.date(2025, 6, 14)) == []  # a Saturday: 403 AccessDenied
    edgar.inject("not_found", path="master.20250617", times=1)
    assert daily_candidates(client, edgar.url, dt.date(2025, 6, 17)) == []
    assert [r.status for r in edgar.requests()] == [200, 403, 404]  # missing indexes are not retried


def test_range_discovery_reads_quarterly_indexes(demo_server):
    _, edgar = demo_server
    found = range_candidates(client_for(edgar), edgar.url, dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert sorted(c.accession for c in found) == ["0000950170-25-000505", "0000950170-25-000606"]
    assert len(edgar.requests("/Archives/edgar/full-index/")) == 2


def test_fixture_filings_of_three_eras_load_and_are_found(fixtures_dir, tmp_path):
    fx = EdgarFixtures(recent_limit=1, page_size=1)
    assert fx.load_dir(fixtures_dir / "edgar") == 3
    with LocalEdgar(fx) as edgar:
        result = discover_by_cusip(client_for(edgar), "66987K103", extract=simple_extract,
                                   archive=RawArchive(tmp_path))
    assert result.accessions == ["0000912057-98-000111", "0001193125-09-000222", "0001104659-25-000333"]


# -- the pure parsers, on real EDGAR responses -------------------------------------------------------------
def test_master_index_parser_on_a_real_quarterly_excerpt(shared_dir):
    text = (shared_dir / "corpus/edgar-shapes/full-index-excerpt_master.1995QTR4.idx").read_text("latin-1")
    rows = [ln for ln in text.splitlines() if "|SC 13D" in ln]  # 6 SC 13D/A and 3 SC 13D lines
    found = parse_master_index(text, forms=form_types(["13D"]))
    assert len(found) == len({r.rsplit("/", 1)[-1] for r in rows}) == 9
    assert {c.form for c in found} == {"SC 13D", "SC 13D/A"}
    both = parse_master_index(text)  # by default every schedule's forms: the 13G lines too
    g_rows = {ln.rsplit("/", 1)[-1] for ln in text.splitlines() if "|SC 13G" in ln}
    assert len(both) == 9 + len(g_rows) and {c.form for c in both} - {"SC 13D", "SC 13D/A"} <= {"SC 13G", "SC 13G/A"}
    assert all(c.filed_date.year == 1995 for c in found)
    assert parse_master_index(text, forms=["SCHEDULE 13D"]) == []


def test_submissions_rows_on_real_json(shared_dir):
    shapes = shared_dir / "corpus/edgar-shapes"
    main = json.loads((shapes / "submissions_CIK0001324424.json").read_text())
    page = json.loads((shapes / "submissions_CIK0001324424-submissions-001.json").read_text())
    assert len(rows_to_candidates(main["filings"]["recent"], 1324424, ["SC 13D/A"])) == 12
    assert len(rows_to_candidates(page, 1324424, ["SC 13D/A"])) == 10
    assert next(iter_rows(page))["accessionNumber"]


def test_search_parser_survives_odd_shapes():
    assert parse_hits({}) == SearchPage()
    page = parse_hits({"hits": {"total": 3, "hits": [None, {"_id": "junk"}]}})
    assert (page.candidates, page.total, page.hits) == ([], 3, 2)
    hit = {"_id": "0001193125-16-000909:d1.htm", "_source": {"ciks": ["0001790201", "0001790103"],
                                                            "form": "SC 13D", "file_date": "2016-08-08",
                                                            "file_type": "EX-99.1", "sequence": "2"}}
    page = parse_hits({"hits": {"total": {"value": 10000, "relation": "gte"}, "hits": [hit]}})
    [c] = page.candidates
    assert (c.accession, c.cik, c.form, page.total, page.capped, page.hits) == (
        "0001193125-16-000909", 1790201, "SC 13D", 10000, True, 1)  # the form, not the exhibit's file_type


def test_search_only_reads_the_first_pages_then_the_submissions_list_everything(tmp_path):
    from extractors.cusip import cusip_check_digit
    from tests.local_edgar import Entity
    from tests.local_edgar.filings import make_13d

    issuer, holder = Entity(1234500, "BUSY ISSUER INC"), Entity(1234599, "BUSY HOLDER LP")
    cusip = "12345Q10" + cusip_check_digit("12345Q10")
    fx = EdgarFixtures()
    for k in range(230):  # 230 hits: three pages of full-text search per printed shape
        day = dt.date(2010, 1, 4) + dt.timedelta(days=7 * k)
        fx.add_raw(make_13d(f"0000950170-10-{k + 1:06d}", day, issuer, [holder], cusip, amendment=k > 0,
                            amendment_no=k))
    with LocalEdgar(fx) as edgar:
        found = discover_by_cusip(client_for(edgar), cusip, extract=simple_extract,
                                  archive=RawArchive(tmp_path), search_pages=1)
        searches = edgar.requests("/LATEST/search-index")
    assert len(found.accepted) == 230
    assert found.subject_ciks == [issuer.cik]
    assert len(searches) <= len(parse_cusip_query(cusip).search_phrases())  # one page per shape, not three
