"""Stories: reports of one story grouped, copies of one wire story counted once, background mentions kept apart;
through the real pipeline and command."""
from __future__ import annotations

import json

import pytest

from test_cli import bilat, read_jsonl, seeded  # noqa: F401 - the shared store of the sample corpus

VISIT = ("Russian Foreign Minister Sergey Lavrov arrived in Islamabad on Tuesday on a two-day visit to Pakistan, "
         "the first by a Russian foreign minister in nine years. He held talks with Foreign Minister Shah Mahmood "
         "Qureshi on energy, trade and the Afghan peace process. Officials said a gas pipeline deal was discussed.")
OTHER_VISIT = ("Sergey Lavrov visited Pakistan on Tuesday, the first Russian foreign minister in Islamabad for nine "
               "years. Moscow's top diplomat said Russia was ready to supply military equipment to Islamabad, and "
               "the two sides agreed to hold more joint exercises. Analysts in both capitals called the trip a "
               "turning point after decades of mistrust.")
PIPELINE = ("Pakistan and Russia signed an agreement on the Pakistan Stream gas pipeline in 2015. The project has "
            "been delayed for years by sanctions and disputes over the tariff. Engineers say the route still has "
            "to be surveyed. Financing remains the main obstacle, officials said. Work may start next year. "
            "The Russian foreign minister Sergey Lavrov visited Islamabad on Tuesday.")


@pytest.fixture(scope="module")
def storied(tmp_path_factory):
    work = tmp_path_factory.mktemp("stories")
    records = [
        {"id": "a", "title": "Lavrov arrives in Islamabad", "text": VISIT, "date": "2021-04-07",
         "outlet": "Dawn"},
        {"id": "b", "title": "Russia offers arms to Pakistan", "text": OTHER_VISIT, "date": "2021-04-08",
         "outlet": "Tribune"},
        {"id": "c", "title": "Lavrov in Islamabad", "text": VISIT.replace("Officials said", "Officials told reporters"),
         "date": "2021-04-08", "outlet": "Daily Times"},
        {"id": "d", "title": "Pipeline deal stalls", "text": PIPELINE, "date": "2021-04-09", "outlet": "Dawn"},
    ]
    path = work / "news.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = work / "s.duckdb"
    bilat("run", str(path), "--db", str(db))
    found = [json.loads(line) for line in
             bilat("stories", "Russia", "Pakistan", "--json", "--db", str(db)).stdout.splitlines()]
    bilat("export", "events", "--out", str(work / "e.jsonl"), "--db", str(db))
    return {"db": db, "stories": found, "events": read_jsonl(work / "e.jsonl")}


def titles(story: dict) -> set[str]:
    return {a["title"] for a in story["articles"]}


def test_reports_leading_with_one_event_are_one_story_with_its_copies(storied):
    visit = next(s for s in storied["stories"] if "Lavrov arrives in Islamabad" in titles(s))
    assert titles(visit) == {"Lavrov arrives in Islamabad", "Russia offers arms to Pakistan", "Lavrov in Islamabad"}
    assert visit["n_articles"] == 3 and visit["n_independent"] == 2  # the copy counts once
    assert visit["outlets"] == ["Daily Times", "Dawn", "Tribune"]
    assert visit["first_published"] == "2021-04-07" and visit["last_published"] == "2021-04-08"
    copy = next(a for a in visit["articles"] if a["title"] == "Lavrov in Islamabad")
    original = next(a for a in visit["articles"] if a["title"] == "Lavrov arrives in Islamabad")
    assert copy["copy_of"] == original["article_id"] and visit["story_id"] == original["article_id"]
    told = [e for e in visit["events"] if len(e["told_by"]) == 3]
    assert told and all(e["date"] == "2021-04-06" for e in told)


def test_an_event_recalled_further_down_does_not_join_stories(storied):
    pipeline = next(s for s in storied["stories"] if "Pipeline deal stalls" in titles(s))
    assert pipeline["n_articles"] == 1


def test_an_event_carried_by_copies_says_so(storied):
    visit = next(e for e in storied["events"] if e["cameo"].startswith("042") and e["date"] == "2021-04-06")
    assert visit["n_sources"] == 4 and visit["n_independent"] == 3
    assert sum(m["copy_of"] is not None for m in visit["mentions"]) == 1


def test_min_articles_leaves_out_stories_told_once(storied):
    out = bilat("stories", "--min-articles", "2", "--db", str(storied["db"])).stdout
    assert "1 story\n" in out and "Lavrov arrives in Islamabad" in out and "Pipeline deal stalls" not in out
    assert "3 articles, 1 of them a copy of another" in out


def test_every_article_is_in_exactly_one_story(seeded):  # noqa: F811
    found = [json.loads(line) for line in
             bilat("stories", "--json", "--db", str(seeded["db"])).stdout.splitlines()]
    ids = [a["article_id"] for s in found for a in s["articles"]]
    assert len(ids) == len(set(ids))
    assert set(ids) == {a["article_id"] for a in read_jsonl(seeded["work"] / "a.jsonl")}
