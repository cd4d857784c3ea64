"""The stake chart and report page, on a fixture warehouse holding Schedule 13D and 13G rows, through
the real ``edgar13d chart`` and ``edgar13d report`` commands, checked as images and in a real browser."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import pytest
from PIL import Image

from reports.chart import PALETTE, axis_top, draw
from reports.links import edgar_index_url
from reports.page import render as render_page
from reports.stake import THRESHOLDS, build_series, load_stake, schedule_of
from tests.conftest import REPO
from tests.fixtures.warehouse.builders import CUSIP, filing, person
from tests.headless import page_requests, recording_proxy, rendered_dom, screenshot
from warehouse import Warehouse

D = dt.date
PASSIVE = dict(filer_ciks=["102909"], filer_names=["VANGUARD GROUP INC"])
ACTIVIST = dict(filer_ciks=["1001"], filer_names=["ALPHA FUND LP"])
G0, G1, G2 = "0000932471-19-000101", "0000932471-20-000202", "0000932471-25-000303"
A0, A1, A2 = "0001193125-21-000404", "0001193125-22-000505", "0001193125-23-000606"


def stakes() -> list:
    """A passive holder on Schedule 13G (both eras' form names) and an activist group on 13D that exits."""
    return [
        filing(G0, D(2019, 2, 11), [person("Vanguard Group Inc", 5_900_000, 5.8)], schedule="13G", **PASSIVE),
        filing(G1, D(2020, 2, 12), [person("Vanguard Group Inc", 7_200_000, 7.1)], amendment=1, schedule="13G",
               **PASSIVE),
        filing(G2, D(2025, 2, 10), [person("Vanguard Group Inc", 8_500_000, 8.4)], amendment=2, fmt="xml",
               schedule="13G", **PASSIVE),
        filing(A0, D(2021, 5, 3), [person("Alpha Fund L.P.", 5_000_000, 5.1),
                                   person("Alpha Capital Management LLC", 6_100_000, 6.2)], **ACTIVIST),
        filing(A1, D(2022, 8, 9), [person("Alpha Fund L.P.", 11_000_000, 11.2),
                                   person("Alpha Capital Management LLC", 12_100_000, 12.3)], amendment=1, **ACTIVIST),
        filing(A2, D(2023, 11, 20), [person("Alpha Fund L.P.", 0, 0.0),
                                     person("Alpha Capital Management LLC", 0, 0.0)], amendment=2, **ACTIVIST),
    ]


@pytest.fixture(scope="module")
def warehouse_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("reports")
    with Warehouse.open(folder / "data" / "edgar13d.duckdb") as wh:
        wh.load_parsed(stakes())
    (folder / "config.yaml").write_text("storage:\n  database: data/edgar13d.duckdb\n")
    return folder


def edgar13d(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EDGAR13D_", "PREFECT_"))}
    env["PYTHONPATH"] = str(REPO)
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


# --- the data under the chart -------------------------------------------------------------------


@pytest.mark.parametrize(("form", "schedule_column", "expected"), [
    ("SC 13D", None, "13D"), ("SC 13D/A", None, "13D"), ("SCHEDULE 13D/A", None, "13D"),
    ("SC 13G", None, "13G"), ("SC 13G/A", None, "13G"), ("SCHEDULE 13G", None, "13G"), ("schedule 13g/a", None, "13G"),
    ("SC 13D", "13G", "13G"), (None, "SCHEDULE 13G", "13G"), (None, None, "13D"),
])
def test_the_schedule_comes_from_a_schedule_column_or_else_the_form_type(form, schedule_column, expected):
    assert schedule_of(form, schedule_column) == expected


def test_the_chart_draws_the_thresholds_the_crossings_view_watches():
    sql = (REPO / "warehouse" / "views" / "50_threshold_crossings.sql").read_text()
    values = re.search(r"thresholds\(threshold\) AS \(VALUES (.*?)\),\n", sql).group(1)
    assert tuple(float(v) for v in re.findall(r"\((\d+(?:\.\d+)?)", values)) == THRESHOLDS


def test_lines_step_from_report_to_report_and_keep_the_last_printed_percent():
    rows = [
        {"k": "a", "n": "Kestrel Fund", "filing_id": "1", "filed_date": D(2020, 1, 1), "percent_of_class": 6.0,
         "form_type": "SC 13D", "is_amendment": False},
        {"k": "a", "n": "KESTREL FUND I LP", "filing_id": "2", "filed_date": D(2021, 1, 1), "percent_of_class": None,
         "form_type": "SC 13D/A", "is_amendment": True},
        {"k": "a", "n": "KESTREL FUND I LP", "filing_id": "3", "filed_date": D(2022, 1, 1), "percent_of_class": 0.0,
         "form_type": "SC 13D/A", "is_amendment": True},
        {"k": "b", "n": "KESTREL FUND I LP", "filing_id": "4", "filed_date": D(2023, 1, 1), "percent_of_class": 9.5,
         "form_type": "SC 13G", "is_amendment": False},
        {"k": "c", "n": "Osprey Partners LLC", "filing_id": "5", "filed_date": D(2024, 1, 1), "percent_of_class": 7.0,
         "form_type": "SC 13D", "is_amendment": False, "n_members": 3},
    ]
    first, second, third = build_series(rows, "k", "n")
    assert [(p.percent, p.level) for p in first.points] == [(6.0, 6.0), (None, 6.0), (0.0, 0.0)]
    assert first.exited and not second.exited
    assert first.label == "KESTREL FUND I LP (from 2020)"  # the latest name; told apart from the other line
    assert second.label == "KESTREL FUND I LP (from 2023)"
    assert third.label == "Osprey Partners LLC + 2 others"
    assert [p.schedule for p in second.points] == ["13G"]


def test_one_line_per_group_statement_or_per_holder(warehouse_dir):
    with Warehouse.open(warehouse_dir / "data" / "edgar13d.duckdb", read_only=True) as wh:
        by_group = load_stake(wh, CUSIP)
        by_holder = load_stake(wh, CUSIP, by="holder")
    assert [(s.label, [p.percent for p in s.points]) for s in by_group.series] == [
        ("Vanguard Group Inc", [5.8, 7.1, 8.4]),
        ("Alpha Capital Management LLC + 1 other", [6.2, 12.3, 0.0]),
    ]
    assert [[(p.schedule, p.is_amendment) for p in s.points] for s in by_group.series] == [
        [("13G", False), ("13G", True), ("13G", True)], [("13D", False), ("13D", True), ("13D", True)]]
    assert sorted(s.label for s in by_holder.series) == ["Alpha Capital Management LLC", "Alpha Fund L.P.",
                                                         "Vanguard Group Inc"]
    assert by_group.issuer_name == "APPLE INC" and by_group.title == "APPLE INC — CUSIP 037833100"
    fig = draw(by_group)
    assert fig.get_suptitle() == "APPLE INC — CUSIP 037833100"
    assert axis_top(by_group) == 15  # the first threshold above the 12.3% peak


def test_each_filing_links_to_its_edgar_index_page():
    assert edgar_index_url("0000320193", "0001193125-21-000404") == \
        "https://www.sec.gov/Archives/edgar/data/320193/000119312521000404/0001193125-21-000404-index.htm"
    assert edgar_index_url(None, "0001193125-21-000404") is None


# --- edgar13d chart ------------------------------------------------------------------------------


def _pixels_near(img: Image.Image, rgb: tuple[int, int, int], tol: int = 12) -> int:
    return sum(n for n, px in img.getcolors(img.width * img.height)
               if all(abs(a - b) <= tol for a, b in zip(px[:3], rgb, strict=True)))


def _rgb(color) -> tuple[int, int, int]:
    return tuple(round(c * 255) for c in color[:3])


def test_chart_png_shows_every_line(warehouse_dir, tmp_path):
    out = tmp_path / "stake.png"
    done = edgar13d("chart", "--cusip", CUSIP, "-o", str(out), cwd=warehouse_dir)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"{out}: 2 lines, 9 reports (APPLE INC — CUSIP {CUSIP})")
    img = Image.open(out).convert("RGB")
    assert img.size == (1650, 840)
    assert _pixels_near(img, (255, 255, 255), 0) < 0.97 * img.width * img.height  # not blank
    for color in PALETTE[:2]:  # each line drawn, in its colour
        assert _pixels_near(img, _rgb(color)) > 1500
    assert _pixels_near(img, _rgb(PALETTE[2])) < 50  # and no third line

    by_holder = edgar13d("chart", "--cusip", CUSIP, "--by", "holder", "-o", str(tmp_path / "h.png"), cwd=warehouse_dir)
    assert "3 lines" in by_holder.stdout
    assert _pixels_near(Image.open(tmp_path / "h.png").convert("RGB"), _rgb(PALETTE[2])) > 1500


def test_chart_svg_names_a_marker_per_filing_and_the_thresholds(warehouse_dir, tmp_path):
    out = tmp_path / "stake.svg"
    assert edgar13d("chart", "--cusip", CUSIP[:8], "-o", str(out), cwd=warehouse_dir).returncode == 0
    root = ET.parse(out).getroot()
    groups = {g.get("id"): g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("id")}

    def markers(prefix: str) -> int:
        return sum(len(list(g.iter("{http://www.w3.org/2000/svg}use"))) for gid, g in groups.items()
                   if gid.startswith(prefix))

    assert (markers("filings-13G-original"), markers("filings-13G-amendment")) == (1, 2)
    assert (markers("filings-13D-original"), markers("filings-13D-amendment")) == (1, 2)
    assert {gid for gid in groups if gid.startswith("threshold-")} == {"threshold-5", "threshold-10", "threshold-15"}
    assert {gid for gid in groups if gid.startswith("series-")} == {"series-0", "series-1"}


def test_chart_refuses_what_it_cannot_draw(warehouse_dir):
    prefix = edgar13d("chart", "--cusip", CUSIP[:6], cwd=warehouse_dir)
    assert prefix.returncode == 2 and f"stored classes are {CUSIP}" in prefix.stderr
    unknown = edgar13d("chart", "--cusip", "594918104", cwd=warehouse_dir)
    assert unknown.returncode == 1 and "edgar13d backfill --cusip 594918104" in unknown.stderr
    assert edgar13d("chart", "--cusip", CUSIP, "-o", "x.pdf", cwd=warehouse_dir).returncode == 2


# --- edgar13d report, in a browser ------------------------------------------------------------------


def test_report_page_in_a_real_browser_shows_the_chart_and_every_history_row(warehouse_dir, tmp_path):
    page = tmp_path / "report.html"
    done = edgar13d("report", "--cusip", CUSIP, "-o", str(page), cwd=warehouse_dir)
    assert done.returncode == 0, done.stderr
    html = page.read_text()
    assert not re.search(r"<(script|link|img|iframe)\b", html), "self-contained: no script, stylesheet or image"

    with recording_proxy() as (proxy, requests):
        shot = screenshot(page, tmp_path / "report.png", proxy)
        dom = lxml.html.fromstring(rendered_dom(page, proxy))
        assert page_requests(requests) == [], f"the page fetched something: {requests}"

    img = Image.open(shot).convert("RGB")
    assert img.size == (1280, 1800)
    assert _pixels_near(img, (255, 255, 255), 0) < 0.95 * img.width * img.height
    top = img.crop((0, 0, img.width, 700))  # the chart is drawn above the tables, both lines
    for color in PALETTE[:2]:
        assert _pixels_near(top, _rgb(color)) > 800

    assert dom.findtext(".//h1").strip() == "APPLE INC" and dom.findtext(".//*[@id='cusip']") == CUSIP
    assert dom.xpath("count(//section[@id='chart']//*[local-name()='svg'])") == 1
    rows = dom.xpath("//table[@id='history']/tbody/tr")
    assert len(rows) == 9  # one per holder per filing: 3 Vanguard, 3 x 2 Alpha
    assert sorted({r.get("data-accession") for r in rows}) == sorted([G0, G1, G2, A0, A1, A2])
    first_alpha = next(r for r in rows if r.get("data-accession") == A1 and "Management" in r.text_content())
    cells = [c.text_content() for c in first_alpha.xpath("td")]
    assert cells[:2] == ["2022-08-09", "SC 13D/A"] and cells[4:8] == ["12,100,000", "+6,000,000", "12.3%", "+6.1 pts"]
    links = {a.get("href") for a in dom.xpath("//table[@id='history']//a")}
    assert links == {edgar_index_url("320193", acc) for acc in (G0, G1, G2, A0, A1, A2)}
    assert len(dom.xpath("//table[@id='latest']/tbody/tr")) == 3
    crossings = [[c.text_content() for c in r.xpath("td")] for r in dom.xpath("//table[@id='crossings']/tbody/tr")]
    # Both members print 0 on the exit filing: the group is named by its first cover page then.
    assert ["2023-11-20", "Alpha Fund L.P.", "group", "10%", "▼ down", "12.3%", "0%"] in \
        [c[:7] for c in crossings]


def test_names_printed_in_filings_cannot_put_markup_in_the_page(tmp_path):
    hostile = '<img src="http://evil.example/x" onerror="alert(1)">Raider & Co'
    with Warehouse.open(tmp_path / "h.duckdb") as wh:
        wh.load_parsed([filing(A0, D(2021, 5, 3), [person(hostile, 5_000_000, 5.1)], **ACTIVIST)])
        html = render_page(load_stake(wh, CUSIP, by="holder"))
    assert "<img" not in html and "&lt;img src=&#34;http://evil.example/x&#34;" in html
    assert "Raider &amp; Co" in html


def test_the_browser_check_would_see_a_page_that_fetches(tmp_path):
    """The proxy is not decoration: a page with one remote image is caught."""
    page = tmp_path / "leaky.html"
    page.write_text('<html><body><img src="http://cdn.example.net/logo.png"></body></html>')
    with recording_proxy() as (proxy, requests):
        rendered_dom(page, proxy)
    assert any("cdn.example.net/logo.png" in r for r in page_requests(requests))
