"""The server-side SVG chart: well-formed, titled and described, each series told apart by pattern
and marker shape as well as colour and named at its end; and on the compliance page the chart says
what the table beneath it says."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import date

from lnd.reports import compliance_summary
from lnd.reports.charts import Series, line_chart
from lnd.extensions import db
from tests.core.visitors import Visitor
from tests.reports._summary_support import CS_INDUCTION, TODAY, complete_window, world  # noqa: F401

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = ["Sep 26", "Oct 26", "Nov 26"]


def _chart(series=None):
    series = series or [Series("4-week induction", [50, 60, 75]), Series("6-month induction", [80, None, 90]),
                        Series("Core offer", [100, 100, 100]), Series("Fourth", [None, None, 10])]
    return ET.fromstring(str(line_chart("trend", "Per cent compliant", "What the chart shows.", MONTHS, series)))


def test_the_chart_is_titled_and_described_for_assistive_technology():
    svg = _chart()
    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "trend-title trend-desc"
    assert svg.find(f"{SVG}title").text == "Per cent compliant" and svg.find(f"{SVG}title").get("id") == "trend-title"
    assert svg.find(f"{SVG}desc").text == "What the chart shows."


def test_each_series_has_its_own_pattern_marker_and_labels():
    svg = _chart()
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    for label in ("4-week induction", "6-month induction", "Core offer", "Fourth"):
        assert label in texts                      # the legend
    assert "4-week induction: 75%" in texts          # labelled at the end of the line
    assert "6-month induction: 90%" in texts
    assert "Core offer: 100%" in texts and "Fourth: 10%" in texts
    assert set(MONTHS) <= set(texts) and {"0%", "50%", "100%"} <= set(texts)
    series = list(svg.iter(f"{SVG}g"))
    lines = [g for g in series if g.get("class") == "app-chart__series"]
    assert len(lines) == 4
    dashes = [g.find(f"{SVG}path").get("stroke-dasharray") for g in lines]
    assert len(set(dashes)) == 4                      # solid, dashed, dotted, dash-dot
    shapes = [(g[1].tag, g[1].get("points", "").count(" ")) for g in lines]
    assert len(set(shapes)) == 4                      # circle, square, triangle, diamond
    tips = [t.text for t in svg.iter(f"{SVG}title")]
    assert "6-month induction, Nov 26: 90%" in tips


def test_a_missing_value_leaves_a_gap_and_nothing_is_styled_inline():
    markup = str(line_chart("c", "T", "D", MONTHS, [Series("A", [10, None, 30])]))
    path = re.search(r'<path d="([^"]+)"', markup).group(1)
    assert path.count("M") == 2 and "L" not in path
    assert "style=" not in markup and "<script" not in markup


def test_end_labels_never_overlap():
    svg = _chart([Series("A", [50]), Series("B", [50]), Series("C", [51])])
    ends = [float(t.get("y")) for t in svg.iter(f"{SVG}text") if t.get("class") == "app-chart__end-label"]
    ends.sort()
    assert all(b - a >= 16 for a, b in zip(ends, ends[1:]))


def test_the_compliance_page_chart_and_table_show_the_same_figures(app, world):
    compliance_summary.backfill(TODAY, 11, TODAY)
    db.session.commit()
    db.session.rollback()
    complete_window(world.dan, CS_INDUCTION, date(2026, 11, 2))
    od = Visitor(app, "od", world.od).sign_in()
    page = od.get("/reports/compliance").get_data(as_text=True)
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", page, re.S).group(0))
    tips = {t.text for t in svg.iter(f"{SVG}title")}
    table = re.search(r'<table[^>]*id="trend".*?</table>', page, re.S).group(0)
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        if cells and re.match(r"\w+ \d{4}", cells[0]):
            rows[cells[0]] = cells[1:]
    assert len(rows) == 12
    assert rows["November 2026 (so far)"][0] == "75% (3 of 4)"     # Dan has caught up this month
    assert rows["October 2026"][0] == "33% (1 of 3)"
    title = svg.find(f"{SVG}title").text
    assert title == "Per cent compliant by window, December 2025 to November 2026"
    window = "Children’s Services – Induction"
    assert f"{window}, Nov 26: 75%" in tips and f"{window}, Oct 26: 33%" in tips
    assert f"{window}: 75%" in [t.text for t in svg.iter(f"{SVG}text")]
    assert f"This month: {window} 75%" in svg.find(f"{SVG}desc").text
    for month, cells in rows.items():
        short = date.fromisoformat("2000-01-01").replace(
            year=int(month.split()[1]), month=["January", "February", "March", "April", "May", "June", "July",
                                               "August", "September", "October", "November",
                                               "December"].index(month.split()[0]) + 1)
        percent = cells[0].split("%")[0]
        assert f"{window}, {short:%b %y}: {percent}%" in tips, month
