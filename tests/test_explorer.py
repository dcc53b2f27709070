"""The explorer's HTTP API and pages (`bilat serve`), through the real application over the sample corpus."""
from __future__ import annotations

import hashlib
import re

import pytest
from fastapi.testclient import TestClient

from bilat.errors import StoreError
from bilat.explorer import create_app
from test_cli import read_jsonl, seeded  # noqa: F401 - the shared store of the sample corpus


@pytest.fixture(scope="module")
def client(seeded):  # noqa: F811
    return TestClient(create_app(str(seeded["db"])))


def pair_events(seeded) -> list[dict]:  # noqa: F811
    return [e for e in read_jsonl(seeded["work"] / "e.jsonl") if sorted((e["source"][:3], e["target"][:3])) == ["PAK", "RUS"]]


def test_the_api_gives_the_exported_events(client, seeded):  # noqa: F811
    got = client.get("/api/events", params={"pair": "Russia-Pakistan"}).json()
    exported = pair_events(seeded)
    assert got["total"] == len(exported)
    assert [e["event_id"] for e in got["events"]] == [e["event_id"] for e in exported]
    assert {k for e in got["events"] for k in e} >= {"date", "cameo", "status", "mentions", "n_sources", "conflicts"}


@pytest.mark.parametrize("params, check", [
    ({"status": "planned"}, lambda e: e["status"] == "planned"),
    ({"quad": 2}, lambda e: e["quad_class"] == 2),
    ({"sector": "energy"}, lambda e: e["sector"] == "energy"),
    ({"from": "2021", "to": "2021-12"}, lambda e: e["date"] and e["date"].startswith("2021")),
    ({"from": "2021-04", "to": "2021-04"}, lambda e: e["date"] and e["date"].startswith("2021-04")),
    ({"q": "helicopters"}, lambda e: any("helicopters" in m["sentence"] for m in e["mentions"])),
])
def test_filters_keep_only_what_they_name(client, seeded, params, check):  # noqa: F811
    got = client.get("/api/events", params={"pair": "PAK-RUS", **params}).json()
    expected = [e for e in pair_events(seeded) if check(e)]
    assert got["total"] == len(expected) > 0
    assert all(check(e) for e in got["events"])


def test_a_page_of_events_and_how_many_there_are(client, seeded):  # noqa: F811
    exported = pair_events(seeded)
    got = client.get("/api/events", params={"pair": "PAK-RUS", "limit": 3, "offset": 2}).json()
    assert got["total"] == len(exported) > 5 and got["offset"] == 2
    assert [e["event_id"] for e in got["events"]] == [e["event_id"] for e in exported[2:5]]
    words = client.get("/api/events", params={"pair": "PAK-RUS", "q": "GAS pipeline"}).json()
    expected = [e for e in exported if all(w in " ".join([e["summary"], *(m["sentence"] for m in e["mentions"])]).lower()
                                           for w in ("gas", "pipeline"))]
    assert words["total"] == len(expected) > 0


def test_an_event_and_an_article_by_id(client, seeded):  # noqa: F811
    visit = next(e for e in pair_events(seeded) if e["date"] == "2021-04-06" and e["cameo"] == "042")
    event = client.get(f"/api/events/{visit['event_id']}").json()
    assert [m["sentence"] for m in event["mentions"]] == [m["sentence"] for m in visit["mentions"]]
    article = client.get(f"/api/articles/{event['mentions'][0]['article_id']}").json()
    assert visit["event_id"] in {e["event_id"] for e in article["events"]}
    assert event["mentions"][0]["sentence"].split()[0] in article["text"]
    missing = client.get("/api/events/0000000000000000")
    assert missing.status_code == 404 and "no event" in missing.json()["detail"]


def test_the_api_mirrors_the_commands(client):
    assert client.get("/api/pairs").json()[0]["pair"] == "PAK-RUS"
    index = client.get("/api/index", params={"pair": "PAK-RUS", "by": "year"}).json()
    assert index["by"] == "year" and index["rows"]
    assert any(f["value"] == "1,100 km" for f in client.get("/api/facts", params={"pair": "PAK-RUS"}).json())
    assert client.get("/api/conflicts", params={"pair": "PAK-RUS"}).json()
    assert client.get("/api/stories", params={"pair": "PAK-RUS"}).json()
    report = client.get("/api/report", params={"pair": "PAK-RUS"}).json()
    assert report["summary"] and report["sources"]
    bad = client.get("/api/events", params={"pair": "Atlantis-Russia"})
    assert bad.status_code == 400 and "pair" in bad.json()["detail"]


def test_the_openapi_description_lists_every_endpoint(client):
    spec = client.get("/api/openapi.json").json()
    assert set(spec["paths"]) >= {"/api/pairs", "/api/events", "/api/events/{event_id}", "/api/articles/{article_id}",
                                  "/api/index", "/api/facts", "/api/conflicts", "/api/stories", "/api/report"}
    assert client.get("/docs").status_code == 404  # its viewer would load assets from the network


def test_pages_show_events_sentences_and_articles(client, seeded):  # noqa: F811
    home = client.get("/", params={"pair": "PAK-RUS", "status": "planned"})
    assert home.status_code == 200 and "script-src" not in home.headers["content-security-policy"]
    planned = [e for e in pair_events(seeded) if e["status"] == "planned"]
    assert len(re.findall(r'<tr class="event">', home.text)) == len(planned)
    visit = next(e for e in pair_events(seeded) if e["date"] == "2021-04-06" and e["cameo"] == "042")
    page = client.get(f"/events/{visit['event_id']}").text
    assert len(re.findall(r"<mark>", page)) == len(visit["mentions"])
    assert client.get("/events/nope").status_code == 404


def test_the_explorer_never_writes_the_store(client, seeded):  # noqa: F811
    before = hashlib.sha256(seeded["db"].read_bytes()).hexdigest()
    for path in ("/", "/api/events", "/api/pairs", "/api/stories"):
        client.get(path)
    assert hashlib.sha256(seeded["db"].read_bytes()).hexdigest() == before


def test_a_missing_store_is_one_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no such store"):
        create_app(str(tmp_path / "none.duckdb"))


@pytest.mark.parametrize("path", ["/events/..%2F..%2F..%2Fetc%2Fpasswd", "/articles/../../etc/passwd",
                                  "/api/articles/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/static/../../etc/passwd"])
def test_no_route_reaches_a_file(client, path):
    response = client.get(path)
    assert response.status_code == 404 and "root:" not in response.text


def test_queries_are_data_not_sql(client):
    for hostile in ("' OR 1=1 --", "x'); DROP TABLE events; --", "%' UNION SELECT * FROM articles --"):
        got = client.get("/api/events", params={"q": hostile, "sector": hostile})
        assert got.status_code == 200 and got.json()["total"] == 0
    assert client.get("/api/pairs").json()  # the events are all still there


def test_results_and_methods_are_limited(client):
    assert client.get("/api/events", params={"limit": 0}).status_code == 422
    assert client.get("/api/events", params={"limit": 10**9}).status_code == 422
    assert client.post("/api/events").status_code == 405
    assert client.delete("/api/events/x").status_code == 405


def test_the_explorer_listens_on_this_machine_only_by_default():
    import inspect

    from bilat.explorer import serve
    from test_cli import bilat

    assert inspect.signature(serve).parameters["host"].default == "127.0.0.1"
    assert "[default: 127.0.0.1]" in " ".join(bilat("serve", "--help").stdout.split())


def test_a_sentence_that_reports_two_events_is_marked_on_both_pages(client, seeded):  # noqa: F811
    by_sentence: dict[str, list[dict]] = {}
    for e in pair_events(seeded):
        for m in e["mentions"]:
            by_sentence.setdefault(m["sentence"], []).append(e)
    shared = [events for events in by_sentence.values() if len({e["event_id"] for e in events}) > 1]
    assert shared  # the sample has sentences that report two acts
    for e in shared[0]:
        page = client.get(f"/events/{e['event_id']}").text
        assert len(re.findall(r"<mark>", page)) == len(e["mentions"])
