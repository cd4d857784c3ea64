"""The local EDGAR itself: standalone mode for CLI tests, and EDGAR's response shapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

from tests.local_edgar import EdgarFixtures, LocalEdgar, parse_header

REPO = Path(__file__).resolve().parents[1]


def _get(url: str, data: bytes | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=data, headers={"User-Agent": "t t@edgar13d.test"})
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()


def test_standalone_server_prints_its_url_and_serves_fixture_filings(fixtures_dir):
    proc = subprocess.Popen([sys.executable, "-m", "tests.local_edgar", "--port", "0",
                             "--fixtures", str(fixtures_dir / "edgar"), "--recent-limit", "1", "--page-size", "1"],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        line = proc.stdout.readline().strip()
        assert line.startswith("LOCAL_EDGAR_URL=http://127.0.0.1:")
        url = line.split("=", 1)[1]
        status, body = _get(f"{url}/submissions/CIK0001880001.json")
        main = json.loads(body)
        assert status == 200 and main["filings"]["recent"]["form"] == ["SCHEDULE 13D/A"]
        assert [f["name"] for f in main["filings"]["files"]] == [
            "CIK0001880001-submissions-001.json", "CIK0001880001-submissions-002.json"]
        status, body = _get(f"{url}/Archives/edgar/data/1880101/000091205798000111/0000912057-98-000111.txt")
        assert status == 200 and body.startswith(b"-----BEGIN PRIVACY-ENHANCED MESSAGE-----")
        assert _get(f"{url}/_local/faults", json.dumps({"kind": "status", "status": 503}).encode())[0] == 200
        assert _get(f"{url}/submissions/CIK0001880001.json")[0] == 503
        log = json.loads(_get(f"{url}/_local/requests")[1])
        assert [r["status"] for r in log] == [200, 200, 503]
        assert log[0]["headers"]["User-Agent"] == "t t@edgar13d.test"
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def test_shapes_match_edgar(fixtures_dir):
    fx = EdgarFixtures()
    fx.load_dir(fixtures_dir / "edgar")
    with LocalEdgar(fx) as edgar:
        status, body = _get(f"{edgar.url}/Archives/edgar/full-index/2099/QTR1/master.idx")
        assert status == 403 and b"<Code>AccessDenied</Code>" in body
        status, body = _get(f"{edgar.url}/Archives/edgar/daily-index/2009/QTR1/master.20090217.idx")
        lines = body.decode().splitlines()
        assert status == 200 and lines[lines.index("-" * 80) - 1] == "CIK|Company Name|Form Type|Date Filed|Filename"
        assert sum("0001193125-09-000222" in ln for ln in lines) == 3  # once per CIK on the filing
        status, body = _get(f"{edgar.url}/LATEST/search-index?q=%2266987K-10-3%22&forms=SC+13D,SC+13D/A")
        hits = json.loads(body)["hits"]
        assert hits["total"]["value"] == 1  # the 1998 filing prints it too, but search starts in 2001
        assert hits["hits"][0]["_id"] == "0001193125-09-000222:d000222dsc13da.htm"
        edgar.block(5)
        status, body = _get(f"{edgar.url}/submissions/CIK0001880001.json")
        assert status == 403 and b"Request Rate Threshold Exceeded" in body


def test_header_of_a_real_filing(shared_dir):
    h = parse_header((shared_dir / "corpus/txt_0000910079-94-000005.txt").read_bytes())
    assert (h["accession"], h["form"], h["subject"].cik, [f.cik for f in h["filers"]]) == (
        "0000910079-94-000005", "SC 13D", 6207, [910079])
    assert h["file_number"] == "005-12681"
