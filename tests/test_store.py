"""The store: idempotent writes, clear errors."""
from __future__ import annotations

import calendar
import datetime as dt

import pytest

from bilat.errors import StoreError
from bilat.model import Article, Quarantined
from bilat.store import Store, in_period


def test_a_missing_store_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no such store"):
        Store(tmp_path / "nothing.duckdb", read_only=True)


def test_articles_are_written_once(store):
    a = Article("id1", "a.txt", "h1", "Title", "Body text.")
    run_id = store.start_run(["a.txt"])
    store.add_articles([a], {}, run_id)
    store.add_articles([a], {}, run_id)
    assert store.counts()["articles"] == 1
    assert store.known_article_ids(["id1", "id2"]) == {"id1"}
    (rec,) = store.article_records()
    assert rec["title"] == "Title" and rec["duplicate_of"] is None


def test_stored_articles_come_back_whole_in_the_order_asked(store):
    """What coding reads: the asked articles in the asked order, an unknown id skipped, long texts unchanged."""
    long_text = " ".join(f"word{k % 997}" for k in range(200_000))
    stored = [Article(f"id{k}", f"{k}.txt", f"h{k}", f"Title {k}", long_text if k % 2 else f"Body {k}.",
                      published="2021-04-0" + str(k + 1), notes=[f"note {k}"]) for k in range(5)]
    store.add_articles(stored, {}, store.start_run(["x"]))
    asked = ["id3", "id0", "nothing", "id4", "id1"]
    assert store.articles(asked) == [stored[3], stored[0], stored[4], stored[1]]


def test_a_copy_of_a_copy_is_a_copy_of_the_first_article(store):
    articles = [Article(i, f"{i}.txt", i, "Title", "Body text.", duplicate_of=d)
                for i, d in (("a", None), ("b", "a"), ("c", "b"), ("d", None))]
    store.add_articles(articles, {}, store.start_run(["x"]))
    assert store.copy_of() == {"b": "a", "c": "a"}


def test_quarantine_keeps_one_line_per_input_and_reason(store):
    run_id = store.start_run(["x"])
    store.add_quarantine([Quarantined("x.bin", "binary file, not text")] * 2, run_id)
    assert store.quarantine() == [("x.bin", "binary file, not text", run_id)]


def test_a_store_of_the_previous_schema_gains_the_new_columns(tmp_path):
    import duckdb
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    con.execute("CREATE TABLE events (event_id VARCHAR PRIMARY KEY, date VARCHAR, source VARCHAR, "
                "source_name VARCHAR, target VARCHAR, target_name VARCHAR, pair VARCHAR, cameo VARCHAR, "
                "event_type VARCHAR, quad_class INTEGER, goldstein DOUBLE, status VARCHAR, sector VARCHAR, "
                "location VARCHAR, quantities VARCHAR, summary VARCHAR, n_sources INTEGER, conflicts VARCHAR)")
    con.close()
    with Store(path) as store:
        columns = [r[0] for r in store.db.execute("DESCRIBE events").fetchall()]
        assert "joint" in columns and "n_independent" in columns
        assert store.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "6"


def test_schema_version_is_recorded(store):
    assert store.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "6"


@pytest.fixture
def held(tmp_path):
    """A store held open for writing by another process: (its path, that process's PID)."""
    import subprocess
    import sys

    db = tmp_path / "s.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", f"from bilat.store import Store; s = Store({str(db)!r}); "
                               "print('ready', flush=True); import time; time.sleep(60)"],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        yield db, holder.pid
    finally:
        holder.kill()
        holder.wait()


def test_a_store_in_use_by_another_process_is_one_clear_line(held):
    import subprocess
    import sys

    db, pid = held
    result = subprocess.run([sys.executable, "-m", "bilat", "export", "events", "--db", str(db)],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1 and f"in use by another process (PID {pid})" in result.stderr
    assert "no other process can open a store while one writes it" in result.stderr  # why, not only who


def test_the_explorer_answers_503_with_the_reason_while_another_process_writes_the_store(held):
    from fastapi.testclient import TestClient

    from bilat.explorer import create_app

    db, pid = held
    client = TestClient(create_app(str(db)))
    api = client.get("/api/events")
    assert api.status_code == 503 and f"in use by another process (PID {pid})" in api.json()["detail"]
    page = client.get("/")
    assert page.status_code == 503 and f"PID {pid}" in page.text


def test_records_of_given_articles_and_events_only(tmp_path, seeds_copy):
    from bilat.pipeline import run

    with Store(tmp_path / "s.duckdb") as store:
        run([str(seeds_copy)], store)
        articles = list(store.article_records())
        events = list(store.event_records(("PAK", "RUS")))
        wanted = [events[-1]["event_id"], events[0]["event_id"]]
        assert list(store.event_records(event_ids=wanted)) == [events[0], events[-1]]  # in timeline order
        assert list(store.event_records(("IND", "PAK"), event_ids=wanted)) == []
        assert list(store.article_records([articles[2]["article_id"]])) == [articles[2]]
        assert list(store.article_records([])) == []


def _span(date: str) -> tuple[dt.date, dt.date]:
    """The first and last day a date of any precision (YYYY, YYYY-MM, YYYY-MM-DD) stands for."""
    parts = [int(p) for p in date.split("-")]
    year, month, day = (parts + [None, None])[:3]
    first = dt.date(year, month or 1, day or 1)
    if day:
        return first, first
    if month:
        return first, dt.date(year, month, calendar.monthrange(year, month)[1])
    return first, dt.date(year, 12, 31)


def test_a_timeline_of_a_period_holds_the_dated_events_that_overlap_it(tmp_path, seeds_copy):
    from bilat.pipeline import run

    with Store(tmp_path / "s.duckdb") as store:
        run([str(seeds_copy)], store)
        events = list(store.event_records(("PAK", "RUS")))
        dates = {e["date"] for e in events if e["date"]}
        assert {len(d) for d in dates} > {10}, "the seeds give events of a year or a month too"
        for since, until in (("2018", None), (None, "2017-12"), ("2018-10", "2018-10"), ("2015-06-01", "2019-03"),
                             ("2018-10-19", "2018-10-19")):
            lo = _span(since)[0] if since else dt.date.min
            hi = _span(until)[1] if until else dt.date.max
            expected = [e for e in events if e["date"] and _span(e["date"])[0] <= hi and _span(e["date"])[1] >= lo]
            assert list(store.event_records(("PAK", "RUS"), since=since, until=until)) == expected, (since, until)
        assert list(store.event_records(("PAK", "RUS"), since="2018")) != events


@pytest.mark.parametrize("date, since, until, inside", [
    ("2023-06-13", None, "2023-06", True), ("2023-06-13", None, "2023", True), ("2023-07-01", None, "2023-06", False),
    ("2023", "2023-03", None, True), ("2023-02", "2023-03", None, False), ("2023-03", "2023-03-15", "2023-03-15", True),
    ("2022-12-31", "2023", None, False), (None, None, None, True), (None, "2023", None, False),
])
def test_a_date_is_in_a_period_that_it_holds_part_of(store, date, since, until, inside):
    """The report's period test and the store's SQL agree."""
    assert in_period(date, since, until) is inside
    store.db.execute("INSERT INTO events (event_id, date, pair) VALUES ('e', ?, 'PAK-RUS')", [date])
    assert store.count_events(("PAK", "RUS"), since, until) == int(inside)
