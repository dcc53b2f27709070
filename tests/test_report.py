"""The briefing (`bilat report`): self-contained, every claim cited, the same content in HTML and Markdown, and
article text that stays text."""
from __future__ import annotations

import json
import re

import pytest

from test_cli import bilat, read_jsonl, seeded  # noqa: F401 - the shared store of the sample corpus

HOSTILE = {
    "id": "x1",
    "title": "<script>alert('title')</script> Russia and Pakistan sign an energy deal",
    "text": ("Russia and Pakistan signed an energy agreement in Islamabad on Monday, officials said. "
             "<img src=x onerror=\"alert('img')\"> Read more: <a href=\"javascript:alert('link')\">here</a>. "
             "The deal covers the Pakistan Stream gas pipeline, which is to run 1,100 km from Karachi to Lahore. "
             "<svg onload=\"alert('svg')\"></svg> Officials said work would start next year."),
    "date": "2023-06-13",
    "url": "javascript:alert('url')",
    "outlet": "<b onmouseover=alert('outlet')>Daily</b>",
}


def pair_events(work) -> list[dict]:
    return [e for e in read_jsonl(work / "e.jsonl") if sorted((e["source"][:3], e["target"][:3])) == ["PAK", "RUS"]]


@pytest.fixture(scope="module")
def html_report(seeded):  # noqa: F811
    out = seeded["work"] / "report.html"
    bilat("report", "Russia", "Pakistan", "--out", str(out), "--db", str(seeded["db"]))
    return out.read_text(encoding="utf-8")


def test_the_report_is_self_contained(html_report):
    assert "<script" not in html_report.lower()
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html_report)  # nothing fetched from anywhere
    assert "Content-Security-Policy" in html_report


def test_the_timeline_has_a_mark_per_dated_event(seeded, html_report):  # noqa: F811
    dated = [e for e in pair_events(seeded["work"]) if e["date"]]
    marks = re.findall(r'<g class="mark status-(\w+)" data-event-id="(\w+)"', html_report)
    assert sorted(m[1] for m in marks) == sorted(e["event_id"] for e in dated)
    assert {m[0] for m in marks} <= {"occurred", "planned", "possible", "negated"}


def test_every_summary_sentence_and_event_cites_listed_sources(seeded, html_report):  # noqa: F811
    summary = html_report.split('<ul class="summary">')[1].split("</ul>")[0]
    items = re.findall(r"<li>(.*?)</li>", summary, re.S)
    assert items and all('class="cite" href="#src-' in item for item in items)
    listed = set(re.findall(r'<li id="src-(\d+)"', html_report))
    cited = set(re.findall(r'href="#src-(\d+)"', html_report))
    assert cited <= listed and len(listed) == 5
    rows = re.findall(r'<tr id="event-(\w+)">', html_report)
    assert sorted(rows) == sorted(e["event_id"] for e in pair_events(seeded["work"]))


def test_the_report_shows_facts_conflicts_and_people(html_report):
    assert "1,100 km" in html_report and "$2.25 billion" in html_report
    assert "Lahore" in html_report and "Kasur" in html_report  # the disputed route, both sides
    assert "Sergey Lavrov" in html_report


def test_a_period_keeps_only_its_events(seeded):  # noqa: F811
    out = seeded["work"] / "report-2021.html"
    bilat("report", "Russia", "Pakistan", "--from", "2021-01", "--to", "2021-12-31", "--out", str(out),
          "--db", str(seeded["db"]))
    rows = re.findall(r'<tr id="event-\w+"><td>([^<]*)</td>', out.read_text(encoding="utf-8"))
    assert rows and all(r.startswith("2021") for r in rows)


def test_a_period_given_by_month_or_year_holds_its_days(seeded):  # noqa: F811
    """--to 2021-04 ends with April 30th, and --to 2021 with the year: a day's event and the months of the index
    in that period are in it."""
    days = sorted({e["date"] for e in read_jsonl(seeded["work"] / "e.jsonl") if (e["date"] or "").startswith("2021-04-")})
    assert days
    for to in ("2021-04", "2021"):
        out = seeded["work"] / f"report-to-{to}.html"
        bilat("report", "Russia", "Pakistan", "--from", "2021-04", "--to", to, "--out", str(out), "--db",
              str(seeded["db"]))
        rows = re.findall(r'<tr id="event-\w+"><td>([^<]*)</td>', out.read_text(encoding="utf-8"))
        assert set(days) <= set(rows) and all(r[:7] >= "2021-04" and r[:4] == "2021" for r in rows)


def test_markdown_carries_the_same_content_with_charts_as_images(seeded, html_report):  # noqa: F811
    out = seeded["work"] / "report.md"
    bilat("report", "Russia", "Pakistan", "--out", str(out), "--db", str(seeded["db"]))
    md = out.read_text(encoding="utf-8")
    charts = seeded["work"] / "report_files"
    assert "](report_files/timeline.svg)" in md and (charts / "timeline.svg").read_text().startswith("<svg")
    assert "](report_files/index.svg)" in md
    events = pair_events(seeded["work"])
    table = md.split("## Events")[1].split("## Sources")[0]
    assert len([line for line in table.splitlines() if line.startswith("| ") and "CAMEO" not in line]) == len(events)
    assert "1,100 km" in md


def test_a_bad_period_or_file_type_is_one_clear_line(seeded):  # noqa: F811
    result = bilat("report", "Russia", "Pakistan", "--from", "April", "--db", str(seeded["db"]), check=False)
    assert result.returncode != 0 and "--from 'April'" in result.stderr and len(result.stderr.splitlines()) == 1
    result = bilat("report", "Russia", "Pakistan", "--out", "r.pdf", "--db", str(seeded["db"]), check=False)
    assert result.returncode != 0 and ".html or .md" in result.stderr


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    work = tmp_path_factory.mktemp("hostile")
    (work / "news.jsonl").write_text(json.dumps(HOSTILE) + "\n", encoding="utf-8")
    db = work / "h.duckdb"
    bilat("run", str(work / "news.jsonl"), "--db", str(db))
    bilat("report", "Russia", "Pakistan", "--out", str(work / "h.html"), "--db", str(db))
    bilat("report", "Russia", "Pakistan", "--out", str(work / "h.md"), "--db", str(db))
    return work


def test_hostile_article_text_stays_text_in_the_report(hostile):
    html = (hostile / "h.html").read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert not re.search(r"<[a-z]+[^>]*\son(error|load|mouseover)=", html, re.I)  # no live handler attributes
    assert "javascript:" not in re.sub(r"&[a-z]+;|&#\d+;", "", " ".join(re.findall(r'href="([^"]*)"', html)))
    assert "Russia" in html and "energy" in html  # the event is still reported
    md = (hostile / "h.md").read_text(encoding="utf-8")
    assert "<script" not in md.lower() and "<img" not in md.lower() and "](javascript:" not in md
