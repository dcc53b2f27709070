"""The record an analyst reads: the relations index, the facts with their sources, the conflicts between
sources, on the sample corpus run through the real command."""
from __future__ import annotations

import json

import pytest

from bilat.facts import same_subject
from test_cli import bilat, read_jsonl, seeded  # noqa: F401 - the shared store of the sample corpus


def index(seeded, *args: str) -> dict:  # noqa: F811
    return json.loads(bilat("index", "Russia", "Pakistan", "--json", "--db", str(seeded["db"]), *args).stdout)


@pytest.mark.parametrize("by", ["month", "quarter", "year"])
def test_the_index_accounts_for_every_event_of_the_pair(seeded, by):  # noqa: F811
    events = [e for e in read_jsonl(seeded["work"] / "e.jsonl")
              if sorted((e["source"][:3], e["target"][:3])) == ["PAK", "RUS"]]
    idx = index(seeded, "--by", by)
    assert sum(r["events"] for r in idx["rows"]) + idx["undated"] == len(events)
    periods = [r["period"] for r in idx["rows"]]
    assert periods == sorted(periods)
    for r in idx["rows"]:
        assert r["q1"] + r["q2"] + r["q3"] + r["q4"] == r["occurred"] <= r["events"]
        assert r["planned_share"] + r["possible_share"] <= 1


def test_planned_and_possible_events_never_count_as_occurred(seeded):  # noqa: F811
    events = read_jsonl(seeded["work"] / "e.jsonl")
    by_year: dict[str, list[dict]] = {}
    for e in events:
        if sorted((e["source"][:3], e["target"][:3])) == ["PAK", "RUS"] and e["date"]:
            by_year.setdefault(e["date"][:4], []).append(e)
    for r in index(seeded, "--by", "year")["rows"]:
        got = by_year[r["period"]]
        occurred = [e for e in got if e["status"] == "occurred"]
        assert r["occurred"] == len(occurred)
        assert r["goldstein_sum"] == pytest.approx(sum(e["goldstein"] for e in occurred), abs=1e-3)
        assert r["planned_share"] == pytest.approx(sum(e["status"] == "planned" for e in got) / len(got), abs=1e-3)


def test_the_index_is_stable_and_filters_by_sector(seeded):  # noqa: F811
    assert index(seeded, "--by", "year") == index(seeded, "--by", "year")
    energy = index(seeded, "--by", "year", "--sector", "energy")
    everything = index(seeded, "--by", "year")
    assert 0 < sum(r["events"] for r in energy["rows"]) < sum(r["events"] for r in everything["rows"])


def test_an_unknown_period_is_one_clear_line(seeded):  # noqa: F811
    r = bilat("index", "Russia", "Pakistan", "--by", "week", "--db", str(seeded["db"]), check=False)
    assert r.returncode != 0 and "unknown period 'week'" in r.stderr


def test_facts_keep_the_pipeline_figures_with_their_sentences(seeded):  # noqa: F811
    lines = bilat("facts", "Russia", "Pakistan", "--json", "--db", str(seeded["db"])).stdout.splitlines()
    facts = [json.loads(x) for x in lines]
    got = {(f["attribute"], f["value"]) for f in facts}
    assert {("length", "1,100 km"), ("length", "680 miles"), ("cost", "$2.25 billion"), ("share", "74 percent"),
            ("value", "$10 billion"), ("count", "four Russian attack helicopters")} <= got
    for f in facts:
        assert f["value"] in f["sentence"] or f["attribute"] == "route"
    lengths = [f for f in facts if f["attribute"] == "length"]
    assert {f["unit"] for f in lengths} == {"km"} and all(1090 < f["number"] < 1110 for f in lengths)


def test_conflicts_show_each_claim_with_its_source(seeded):  # noqa: F811
    lines = bilat("conflicts", "Russia", "Pakistan", "--json", "--db", str(seeded["db"])).stdout.splitlines()
    found = [json.loads(x) for x in lines]
    route = [c for c in found if c["kind"] == "fact" and c["field"] == "route"]
    assert route and {v["value"] for v in route[0]["values"]} == {"Lahore - Karachi", "Karachi - Kasur"}
    assert len({v["source"] for v in route[0]["values"]}) == 2
    helicopters = [c for c in found if c["kind"] == "event" and c["field"] == "event_type"]
    assert helicopters and {v["value"][:3] for v in helicopters[0]["values"]} == {"061", "072"}  # sale vs gift
    dates = [c for c in found if c["kind"] == "article"]
    assert [c["about"][:3] for c in dates] == ["002"]
    assert any("Imran Khan" in v["value"] for v in dates[0]["values"])


@pytest.mark.parametrize("a, b, same", [
    ("Pakistan-Stream Gas Pipeline", "Pakistan steam pipeline", True),
    ("Pakistan Stream gas pipeline project", "Pakistan-Stream Gas Pipeline", True),
    ("Nord Stream pipeline", "TurkStream pipeline", False),
    ("North-South Pipeline", "Pakistan Pipeline", False),
    ("gas pipeline", "amendment agreement", False),
])
def test_same_subject(a, b, same):
    assert same_subject(a, b) is same
