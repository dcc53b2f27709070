"""Consolidation: one real event, one record with all its sources; different events stay apart."""
from __future__ import annotations

from dataclasses import replace

from bilat.consolidate import consolidate
from bilat.knowledge import cameo
from bilat.model import EventMention


def mention(n: int, article: str, code: str, date: str | None, *, status: str = "occurred", a1: str = "RUSGOV",
            a2: str = "PAK", location: str | None = None, basis: str = "text") -> EventMention:
    c = cameo(code)
    return EventMention(f"m{n}", article, f"{article}.txt", f"sentence {n}", n, None, a1, "Sergey Lavrov", a2,
                        "Pakistan", c.code, c.name, c.quad_class, c.goldstein, status, "diplomacy", date,
                        basis, location)


def test_one_visit_reported_by_two_articles_is_one_event_with_two_sources():
    events = consolidate([mention(1, "a", "042", "2021-04-06", location="Islamabad"),
                          mention(2, "b", "042", "2021-04", a2="PAKGOV")])
    assert len(events) == 1
    e = events[0]
    assert e.n_sources == 2 and len(e.mentions) == 2
    assert e.date == "2021-04-06"  # the most precise agreeing date
    assert e.location == "Islamabad"


def test_copies_of_one_wire_story_count_once_as_independent_sources():
    events = consolidate([mention(1, "a", "042", "2021-04-06"), mention(2, "b", "042", "2021-04-06"),
                          mention(3, "c", "042", "2021-04-06")], copy_of={"b": "a"})
    e, = events
    assert e.n_sources == 3 and e.n_independent == 2
    assert {m["article_id"]: m["copy_of"] for m in e.mentions} == {"a": None, "b": "a", "c": None}


def test_mention_order_does_not_change_the_result():
    ms = [mention(1, "a", "042", "2021-04-06"), mention(2, "b", "042", "2021-04"), mention(3, "c", "057", "2015")]
    assert [e.event_id for e in consolidate(ms)] == [e.event_id for e in consolidate(ms[::-1])]


def test_a_visit_and_the_talks_during_it_are_two_events():
    events = consolidate([mention(1, "a", "042", "2021-04-06"), mention(2, "a", "040", "2021-04-07")])
    assert sorted(e.cameo for e in events) == ["040", "042"]


def test_two_agreements_signed_years_apart_are_two_events():
    events = consolidate([mention(1, "a", "057", "2015"), mention(2, "a", "057", "2018-10")])
    assert sorted(e.date for e in events) == ["2015", "2018-10"]


def test_planned_and_occurred_never_merge():
    events = consolidate([mention(1, "a", "042", "2021-04-07"),
                          mention(2, "a", "042", "2021-04-07", status="planned")])
    assert sorted(e.status for e in events) == ["occurred", "planned"]


def test_undated_mentions_merge_only_with_undated_ones():
    events = consolidate([mention(1, "a", "057", None), mention(2, "b", "057", None), mention(3, "a", "057", "2015")])
    assert sorted((e.date or "-", e.n_sources) for e in events) == [("-", 2), ("2015", 1)]


def test_direction_does_not_split_a_joint_event():
    events = consolidate([mention(1, "a", "057", "2018-10", a1="PAK", a2="RUS"),
                          mention(2, "b", "057", "2018-10", a1="RUS", a2="PAK")])
    assert len(events) == 1 and events[0].n_sources == 2


def test_disagreeing_places_are_kept_as_a_conflict():
    events = consolidate([mention(1, "a", "042", "2021-04-06", location="Islamabad"),
                          mention(2, "b", "042", "2021-04-06", location="Rawalpindi")])
    (e,) = events
    assert e.conflicts == [{"field": "location", "values": [{"value": "Islamabad", "source": "a.txt"},
                                                             {"value": "Rawalpindi", "source": "b.txt"}]}]


def test_a_report_dated_only_by_its_publication_day_joins_the_event_its_text_dates():
    events = consolidate([mention(1, "a", "042", "2021-04-08", basis="published"),
                          mention(2, "b", "042", "2021-04-06")])
    (e,) = events
    assert e.date == "2021-04-06" and e.n_sources == 2


def test_a_publication_day_long_after_the_event_does_not_merge():
    events = consolidate([mention(1, "a", "042", "2021-09-01", basis="published"),
                          mention(2, "b", "042", "2021-04-06")])
    assert sorted(e.date for e in events) == ["2021-04-06", "2021-09-01"]


def test_an_article_coded_again_with_another_date_changes_its_event_and_leaves_the_others(tmp_path):
    # a re-coded article keeps its mention ids, so its event keeps its id: the event must still take the new
    # date, and the other events of the block stay as they were, with their links
    from bilat.store import Store

    def remake(store: Store, everything: bool = False) -> dict[str, dict]:
        store.replace_events(consolidate(store.mentions(dirty_only=not everything)), dirty_only=not everything)
        return {e["event_id"]: e for e in store.event_records()}

    with Store(tmp_path / "s.duckdb") as store:
        store.add_mentions(["a"], [mention(1, "a", "042", "2021-04-06")])
        store.add_mentions(["b"], [mention(2, "b", "042", "2019-03-01"), mention(3, "b", "036", None)])
        before = remake(store, everything=True)
        store.add_mentions(["a"], [mention(1, "a", "042", "2021-05-10")])  # coded again: another date
        after = remake(store)
        assert not store.events_stale() and after.keys() == before.keys()
        changed = {i for i in after if after[i] != before[i]}
        assert len(changed) == 1 and after[changed.pop()]["date"] == "2021-05-10"
        links = store.db.execute("SELECT mention_id, event_id FROM event_links ORDER BY mention_id").fetchall()
        assert [m for m, _ in links] == ["m1", "m2", "m3"] and {e for _, e in links} == after.keys()


def _undated(n: int, article: str, code: str = "042", **fields) -> EventMention:
    return replace(mention(n, article, code, None, basis="none"), **fields)


def test_an_undated_mention_joins_the_event_its_own_article_reports_as_news():
    news = replace(mention(1, "a", "042", "2021-04-06"), published="2021-04-08")
    events = consolidate([news, _undated(2, "a", published="2021-04-08")])
    assert [len(e.mentions) for e in events] == [2]
    # an event years before the report is history, not news: "visited" may be another visit
    old = replace(mention(1, "a", "042", "2015-04-06"), published="2021-04-08")
    assert len(consolidate([old, _undated(2, "a", published="2021-04-08")])) == 2


def test_an_undated_mention_naming_a_month_joins_the_one_event_of_that_month():
    april = mention(1, "a", "042", "2021-04-06")
    hinted = _undated(2, "b", date_hint="--04")
    events = consolidate([april, hinted, mention(3, "c", "042", "2021-06-01")])
    assert sorted(len(e.mentions) for e in events) == [1, 2]
    assert next(e for e in events if len(e.mentions) == 2).date == "2021-04-06"
    # two April events: which one is meant cannot be told
    assert len(consolidate([april, hinted, mention(3, "c", "042", "2019-04-20")])) == 3


def test_a_mention_referring_back_joins_the_event_its_article_dates():
    told = replace(mention(1, "a", "042", "2015-04-06"), published="2021-04-08")  # history, not news
    back = _undated(2, "a", published="2021-04-08", refers_back=True)
    assert [len(e.mentions) for e in consolidate([told, back])] == [2]
    assert len(consolidate([told, replace(back, refers_back=False)])) == 2


def test_undated_mentions_of_an_ongoing_activity_join_it_when_it_is_the_only_one():
    since = mention(1, "a", "042", "2016", basis="since")
    assert [len(e.mentions) for e in consolidate([since, _undated(2, "b"), _undated(3, "c")])] == [3]
    other = mention(4, "d", "042", "2019", basis="since")
    assert len(consolidate([since, other, _undated(2, "b")])) == 3


def test_force_or_protests_at_two_towns_of_one_day_are_two_events():
    shelling = [mention(1, "a", "190", "2020-05-01", a1="PAKMIL", a2="IND", location="Kupwara"),
                mention(2, "b", "190", "2020-05-01", a1="PAKMIL", a2="IND", location="the Kupwara district"),
                mention(3, "c", "190", "2020-05-01", a1="PAKMIL", a2="IND", location="Srinagar")]
    assert sorted(len(e.mentions) for e in consolidate(shelling)) == [1, 2]
    protests = [mention(1, "a", "141", "2020-04-30", a1="PAKCVL", a2="IND", location="Lahore"),
                mention(2, "b", "141", "2020-04-30", a1="PAKCVL", a2="IND", location="Peshawar")]
    assert len(consolidate(protests)) == 2


def test_a_town_and_a_region_or_an_unknown_place_may_be_one_event():
    # Kupwara is in Jammu and Kashmir; "the LoC" is no place the gazetteer knows
    ms = [mention(1, "a", "190", "2020-05-01", a1="PAKMIL", a2="IND", location="Kupwara"),
          mention(2, "b", "190", "2020-05-01", a1="PAKMIL", a2="IND", location="Jammu and Kashmir"),
          mention(3, "c", "190", "2020-05-01", a1="PAKMIL", a2="IND", location="the LoC")]
    assert len(consolidate(ms)) == 1
    # a visit is one event wherever its reports place it
    visits = [mention(1, "a", "042", "2021-04-06", location="Islamabad"),
              mention(2, "b", "042", "2021-04-06", location="Rawalpindi")]
    assert len(consolidate(visits)) == 1


def test_acts_of_conflict_each_way_are_two_events_but_cooperation_is_one():
    accusations = [mention(1, "a", "112", "2020-05-01", a1="IND", a2="PAK"),
                   mention(2, "b", "112", "2020-05-01", a1="PAK", a2="IND")]
    assert sorted((e.source, e.target) for e in consolidate(accusations)) == [("IND", "PAK"), ("PAK", "IND")]
    # "Russia supplied oil", "Pakistan received Russian oil": one delivery, told from either side
    supplies = [mention(1, "a", "061", "2023-06-10", a1="RUS", a2="PAK"),
                mention(2, "b", "061", "2023-06-10", a1="PAK", a2="RUS")]
    assert len(consolidate(supplies)) == 1
