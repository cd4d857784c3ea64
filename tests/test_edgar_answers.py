"""The crawler's readers and the local EDGAR against what EDGAR's recorded answers show (issue 8):
full-text search semantics and paging, index names per era, folder listings, ticker and name files."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from crawler import lookup, search
from crawler.candidates import SCHEDULE_FORMS, root_forms
from crawler.client import EdgarClient
from crawler.indexes import (
    daily_index_listing,
    daily_index_name,
    daily_index_url,
    quarter_candidates,
    read_daily_index,
)
from crawler.ratelimit import RateLimiter
from crawler.search import SearchError, check_echo, error_of, search_candidates
from extractors.cusip import cusip_check_digit
from tests.local_edgar import EdgarFixtures, Entity, LocalEdgar
from tests.local_edgar import search as local_search
from tests.local_edgar.filings import make_13d
from tests.local_edgar.pytest_plugin import settings_for

ISSUER, HOLDER = Entity(1234500, "BUSY ISSUER INC"), Entity(1234599, "BUSY HOLDER LP")
CUSIP = "12345Q10" + cusip_check_digit("12345Q10")


def client_for(edgar: LocalEdgar) -> EdgarClient:
    return EdgarClient(settings_for(edgar, max_requests_per_second=200), limiter=RateLimiter())


def chain(n: int, first: dt.date = dt.date(2010, 1, 4)) -> EdgarFixtures:
    """An original 13D and ``n - 1`` amendments, a week apart."""
    fx = EdgarFixtures()
    for k in range(n):
        fx.add_raw(make_13d(f"0000950170-10-{k + 1:06d}", first + dt.timedelta(days=7 * k), ISSUER, [HOLDER], CUSIP,
                            amendment=k > 0, amendment_no=k))
    return fx


# -- full-text search: forms ---------------------------------------------------------------------------------

def test_root_forms_come_from_any_form_list():
    assert root_forms(SCHEDULE_FORMS) == ("SC 13D", "SCHEDULE 13D", "SC 13G", "SCHEDULE 13G")
    assert root_forms(["SC 13G/A", "sc 13g", "SCHEDULE 13G/A"]) == ("SC 13G", "SCHEDULE 13G")


def test_an_amendment_in_forms_makes_edgar_return_amendments_only():
    fx = chain(3)
    ask = {"q": [f'"{CUSIP}"'], "forms": ["SC 13D,SC 13D/A"]}
    answer = fx.search(ask)
    assert {h["_source"]["form"] for h in answer["hits"]["hits"]} == {"SC 13D/A"}
    assert answer["query"]["query"]["bool"]["filter"] == [{"terms": {"root_forms": ["SC 13D"]}},
                                                          {"terms": {"form": ["SC 13D/A"]}}]
    everything = fx.search({**ask, "forms": ["SC 13D"]})
    assert everything["hits"]["total"] == {"value": 3, "relation": "eq"}  # root_forms brings the amendments
    assert check_echo(answer, ["SC 13D"]) and check_echo(everything, ["SC 13D"]) is None


def test_search_sends_root_forms_and_keeps_only_the_forms_asked_for():
    with LocalEdgar(chain(3)) as edgar:
        client = client_for(edgar)
        originals = list(search_candidates(client, edgar.url, CUSIP, forms=["SC 13D"]))
        everything = list(search_candidates(client, edgar.url, CUSIP))
        [first, second] = [r.query for r in edgar.requests("/LATEST/")]
    assert [c.accession for c in originals] == ["0000950170-10-000001"]
    assert len(everything) == 3
    assert "forms=SC+13D&" in first and "forms=SC+13D%2CSCHEDULE+13D%2CSC+13G%2CSCHEDULE+13G&" in second


def test_phrases_are_anded_and_a_minus_excludes():
    fx = chain(2)
    other = Entity(1234501, "OTHER ISSUER INC")
    fx.add_raw(make_13d("0000950170-11-000009", dt.date(2011, 5, 2), other, [HOLDER], "55555510" + cusip_check_digit("55555510")))
    both = fx.search({"q": [f'"{CUSIP}" "{HOLDER.name}"']})
    assert {h["_source"]["adsh"] for h in both["hits"]["hits"]} == {"0000950170-10-000001", "0000950170-10-000002"}
    assert len(fx.search({"q": [f'"{HOLDER.name}"']})["hits"]["hits"]) == 3
    assert len(fx.search({"q": [f'"{HOLDER.name}" -{CUSIP}']})["hits"]["hits"]) == 1


# -- full-text search: paging, the cap, error bodies ---------------------------------------------------

def test_pages_hold_100_hits_and_search_reads_only_the_pages_it_is_allowed():
    with LocalEdgar(chain(230)) as edgar:
        client = client_for(edgar)
        assert len(list(search_candidates(client, edgar.url, CUSIP, max_pages=2))) == 200
        assert len(list(search_candidates(client, edgar.url, CUSIP))) == 230
        sizes = [r.query for r in edgar.requests("/LATEST/")]
    assert len(sizes) == 2 + 3 and all("size=100" in q for q in sizes)


def test_search_stops_at_the_cap_and_never_asks_past_it(monkeypatch):
    monkeypatch.setattr(local_search, "RESULT_WINDOW", 250)
    monkeypatch.setattr(search, "RESULT_WINDOW", 250)
    fx = chain(300)
    assert fx.search({"q": [f'"{CUSIP}"']})["hits"]["total"] == {"value": 250, "relation": "gte"}
    assert "Result window is too large" in fx.search({"q": [f'"{CUSIP}"'], "from": ["200"]})["error"]
    with LocalEdgar(fx) as edgar:
        found = list(search_candidates(client_for(edgar), edgar.url, CUSIP))
        asked = [r.query for r in edgar.requests("/LATEST/")]
    assert len(found) == 250
    assert asked[-1].endswith("from=200&size=50")  # the last page ends at the cap, never past it


def test_an_error_body_raises_instead_of_reading_as_no_hits():
    blank = EdgarFixtures().search({})
    assert error_of(blank).startswith("Blank search not valid") and blank["hits"]["hits"] == []
    fx = chain(1)
    fx.search_failure = "all shards failed"
    with LocalEdgar(fx) as edgar, pytest.raises(SearchError, match="all shards failed"):
        list(search_candidates(client_for(edgar), edgar.url, CUSIP))


def test_a_form_filter_edgar_ran_but_we_did_not_send_is_refused():
    echoed = {"query": {"query": {"bool": {"filter": [{"terms": {"root_forms": ["SC 13D"]}},
                                                      {"terms": {"form": ["SC 13D/A"]}}]}}}}
    assert "leaves out ['SC 13D']" in check_echo(echoed, ["SC 13D", "SC 13D/A"])
    assert check_echo(echoed, ["SC 13D/A"]) is None  # amendments only were asked for: nothing is lost
    eight_k = {"query": {"query": {"bool": {"filter": [{"terms": {"root_forms": ["8-K"]}}]}}}}
    assert "leaves out ['SC 13D']" in check_echo(eight_k, ["SC 13D"])
    wider = {"query": {"query": {"bool": {"filter": [{"terms": {"root_forms": ["SC 13D", "SC 13G"]}}]}}}}
    assert check_echo(wider, ["SC 13D", "SC 13D/A"]) is None
    assert check_echo({"hits": {}}, ["SC 13D"]) is None  # nothing echoed: nothing to check


def test_one_hit_per_document_with_its_own_type_and_an_int_or_string_sequence():
    fx = chain(1)
    raw = fx.filings["0000950170-10-000001"].raw.replace(
        b"</SEC-DOCUMENT>", b"<DOCUMENT>\n<TYPE>EX-99.1\n<SEQUENCE>2\n<FILENAME>ex991.htm\n<TEXT>\n"
                            b"Joint filing agreement for " + HOLDER.name.encode() + b"\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>")
    fx.add_raw(raw)
    hits = fx.search({"q": [f'"{HOLDER.name}"']})["hits"]["hits"]
    assert [(h["_id"].split(":")[1], h["_source"]["file_type"], h["_source"]["sequence"]) for h in hits] == [
        ("d000001dsc13d.htm", "SC 13D", 1), ("ex991.htm", "EX-99.1", "2")]
    page = search.parse_hits({"hits": {"total": {"value": 2}, "hits": hits}})
    assert {c.form for c in page.candidates} == {"SC 13D"}  # the filing's form, not the exhibit's type


# -- indexes ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("day", "name"), [
    (dt.date(1994, 1, 3), "master.010394.idx"), (dt.date(1994, 12, 30), "master.123094.idx"),
    (dt.date(1995, 1, 3), "master.950103.idx"), (dt.date(1998, 3, 30), "master.980330.idx"),
    (dt.date(1998, 3, 31), "master.19980331.idx"), (dt.date(2026, 3, 2), "master.20260302.idx"),
])
def test_daily_index_names_of_every_era(day, name):
    assert daily_index_name(day) == name
    assert daily_index_url("https://www.sec.gov", day).endswith(f"/daily-index/{day.year}/QTR{(day.month - 1) // 3 + 1}/{name}")


def test_no_daily_index_before_1994_and_no_quarterly_one_before_1993():
    with pytest.raises(ValueError, match="no daily index before 1994"):
        daily_index_url("https://www.sec.gov", dt.date(1993, 12, 31))
    fx = EdgarFixtures()
    fx.add_raw(make_13d("0000950123-93-000001", dt.date(1993, 2, 16), ISSUER, [HOLDER], CUSIP))
    with LocalEdgar(fx) as edgar:
        client = client_for(edgar)
        assert [c.accession for c in quarter_candidates(client, edgar.url, 1993, 1)] == ["0000950123-93-000001"]
        assert quarter_candidates(client, edgar.url, 1992, 4) is None
        assert edgar.requests()[0].path.endswith("/full-index/1993/QTR1/master.gz")


def test_a_late_index_is_missing_from_the_folder_listing_until_published():
    day = dt.date(2010, 3, 2)
    fx = chain(1, first=day)
    fx.late_days.add(day)
    with LocalEdgar(fx) as edgar:
        client = client_for(edgar)
        assert not read_daily_index(client, edgar.url, day).published
        assert "master.20100302.idx" not in daily_index_listing(client, edgar.url, 2010, 1)
        assert "master.20100301.idx" in daily_index_listing(client, edgar.url, 2010, 1)
        fx.publish(day)
        idx = read_daily_index(client, edgar.url, day)
        assert idx.published and [c.accession for c in idx.candidates] == ["0000950170-10-000001"]
        assert "master.20100302.idx" in daily_index_listing(client, edgar.url, 2010, 1)


def test_submissions_rows_carry_the_quirks_of_real_ones():
    fx = EdgarFixtures()
    fx.add_raw(make_13d("0000950123-96-000001", dt.date(1996, 3, 12), ISSUER, [HOLDER], CUSIP, file_number="005-1"))
    fx.add_raw(make_13d("0001193125-12-000002", dt.date(2012, 3, 12), ISSUER, [HOLDER], CUSIP, file_number="005-1"))
    issuer = fx.submissions(ISSUER.cik)[0]["filings"]["recent"]
    holder = fx.submissions(HOLDER.cik)[0]["filings"]["recent"]
    assert issuer["acceptanceDateTime"][1] == "1996-03-12T04:00:00.000Z" and issuer["primaryDocument"][1] == ""
    assert issuer["fileNumber"] == ["005-1", ""] and holder["fileNumber"] == ["", ""] and holder["act"] == ["", ""]


# -- ticker and name files -------------------------------------------------------------------------------

def test_both_ticker_file_shapes_are_read_and_tickers_normalized():
    fx = EdgarFixtures()
    fx.add_ticker(1067983, "BRK-B", "NYSE", name="BERKSHIRE HATHAWAY INC")
    fx.add_ticker(1067983, "BRK-A", "NYSE")
    fx.add_ticker(2007855, "VG", None, name="VENTURE GULF INC")
    plain = lookup.parse_company_tickers(json.loads(json.dumps(fx.company_tickers())))
    with_exchange = lookup.parse_company_tickers_exchange(fx.company_tickers_exchange())
    assert [x.ticker for x in plain] == [x.ticker for x in with_exchange] == ["BRK-B", "BRK-A", "VG"]
    assert with_exchange[2].exchange is None
    company = lookup.find_ticker(with_exchange, "brk.b")
    assert (company.cik, company.tickers) == (1067983, ["BRK-B", "BRK-A"])
    assert lookup.find_ticker(plain, "ZZZZ") is None


def test_names_match_word_prefixes_current_or_former_grouped_by_cik():
    listings = [lookup.Listing(1318605, "Tesla, Inc.", "TSLA", "Nasdaq")]
    names = list(lookup.parse_cik_lookup(["TESLA MOTORS INC:0001318605:", "TESLA EXPLORATION LTD:0001400001:",
                                          "A:B HOLDINGS: THE FUND:0000000042:", "STATESIDE NIKOLATESLA LLC:0001400002:"]))
    assert names[2] == ("A:B HOLDINGS: THE FUND", 42)  # a colon inside a name
    found = lookup.search_names("tesla", listings, names)
    assert [(c.cik, c.names) for c in found] == [(1318605, ["Tesla, Inc.", "TESLA MOTORS INC"]),
                                                 (1400001, ["TESLA EXPLORATION LTD"])]
    assert [c.cik for c in lookup.search_names("tesla mot", listings, names)] == [1318605]
    with pytest.raises(ValueError):
        lookup.search_names("--", listings, names)


def test_reference_files_are_cached_with_their_date(tmp_path):
    fx = EdgarFixtures()
    fx.add_ticker(1318605, "TSLA", "Nasdaq", name="Tesla, Inc.")
    with LocalEdgar(fx) as edgar:
        client = client_for(edgar)
        refs = lookup.ReferenceFiles(client, tmp_path, today=dt.date(2026, 3, 5))
        assert refs.listings()[1] == dt.date(2026, 3, 5)
        assert lookup.ReferenceFiles(client, tmp_path, today=dt.date(2026, 3, 9)).listings()[1] == dt.date(2026, 3, 5)
        assert len(edgar.requests("/files/")) == 1  # a four-day-old copy answers
        later = lookup.ReferenceFiles(client, tmp_path, today=dt.date(2026, 4, 1))
        assert later.listings()[1] == dt.date(2026, 4, 1) and len(edgar.requests("/files/")) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["company_tickers_exchange.2026-04-01.json"]


def test_real_submissions_name_tickers_and_leave_13d_file_numbers_empty(shared_dir):
    """What the local EDGAR copies from a real issuer's submissions: tickers, and 13D rows without
    ``fileNumber`` and ``act``."""
    main = json.loads((shared_dir / "corpus/edgar-shapes/submissions_CIK0001324424.json").read_text())
    assert (main["tickers"], main["exchanges"]) == (["EXPE"], ["Nasdaq"])
    rows = main["filings"]["recent"]
    thirteen_d = [i for i, f in enumerate(rows["form"]) if f.startswith("SC 13D")]
    assert any(rows["fileNumber"][i] == "" and rows["act"][i] == "" for i in thirteen_d)
