"""Benchmark: the timeline and index queries of one country pair on a store of a million events.

Builds a store with --events synthetic events (default 1,000,000) spread over 400 country pairs and 20 years,
each with one or two mentions, written straight into the store's tables with SQL, then times, in one process,
the queries behind `bilat timeline` (Store.event_records for one pair, whole and for one year), the explorer's
list (a page of the pair's events, filtered or not, and their number), an event's page in the explorer (one event
of the pair), `bilat conflicts` and `bilat index` (relations_index by month and by year) for a busy pair
and a quiet one.
Each query runs three times; the best time is printed.

    python bench/queries.py [--events 1000000]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bilat.relations import list_conflicts, relations_index
from bilat.store import Store

COUNTRIES = ["RUS", "PAK", "IND", "CHN", "USA", "AFG", "IRN", "TUR", "SAU", "GBR", "FRA", "DEU", "JPN", "KOR",
             "UKR", "ISR", "PSE", "EGY", "QAT", "ARE", "BGD", "LKA", "NPL", "KAZ", "UZB", "TKM", "AZE", "ARM"]


def build(store: Store, n: int) -> None:
    """n events and their mentions; pair k gets a share of events that falls with k (a few busy pairs)."""
    pairs = [(a, b) for i, a in enumerate(COUNTRIES) for b in COUNTRIES[i + 1:]][:400]
    store.db.execute("CREATE TEMP TABLE pairs (k INTEGER, a VARCHAR, b VARCHAR)")
    store.db.executemany("INSERT INTO pairs VALUES (?, ?, ?)", [(k, a, b) for k, (a, b) in enumerate(pairs)])
    store.db.execute(f"""
        CREATE TEMP TABLE gen AS
        SELECT i, CAST(floor(pow(random(), 3) * {len(pairs)}) AS INTEGER) AS k,
               DATE '2005-01-01' + CAST(floor(random() * 7300) AS INTEGER) AS day,
               (ARRAY['010','036','040','042','057','061','112','120','163','190'])[1 + (i % 10)] AS cameo
        FROM range({n}) t(i)""")
    store.db.execute("""
        INSERT INTO events
        SELECT printf('%016x', i), strftime(day, '%Y-%m-%d'), p.a, p.a, p.b, p.b, least(p.a, p.b) || '-' ||
               greatest(p.a, p.b), cameo,
               'event', CAST(substr(cameo, 1, 2) AS INTEGER) // 5 + 1, 1.0,
               CASE WHEN i % 7 = 0 THEN 'planned' ELSE 'occurred' END, 'diplomacy', NULL, '[]', 'summary', 1,
               '[]', FALSE, 1
        FROM gen JOIN pairs p USING (k)""")
    store.db.execute("""
        INSERT INTO event_mentions (mention_id, article_id, source, sentence_index, sentence, published)
        SELECT printf('m%016x', i), printf('a%08x', i // 3), printf('s%08x.txt', i // 3), 1,
               'A sentence that reports the event.', strftime(day, '%Y-%m-%d') FROM gen""")
    store.db.execute("INSERT INTO event_links SELECT printf('%016x', i), printf('m%016x', i) FROM gen")


def best_of(fn, times: int = 3) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(times):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "q.duckdb") as store:
        start = time.perf_counter()
        build(store, args.events)
        print(f"built {args.events} events in {time.perf_counter() - start:.1f} s")
        counts = store.db.execute("SELECT pair, count(*) FROM events GROUP BY pair ORDER BY 2 DESC").fetchall()
        for label, (pair, n) in (("busiest pair", counts[0]), ("a quiet pair", counts[len(counts) // 2])):
            a, b = pair.split("-")
            t, rows = best_of(lambda: list(store.event_records((a, b))))
            print(f"{label} {pair} ({n} events): timeline {t * 1000:.0f} ms ({len(rows)} events)")
            year = rows[len(rows) // 2]["date"][:4]
            t, period = best_of(lambda: list(store.event_records((a, b), since=year, until=year)))
            print(f"{label} {pair}: timeline of {year} {t * 1000:.0f} ms ({len(period)} events)")
            t, _ = best_of(lambda: (store.count_events((a, b)), list(store.event_records((a, b), limit=500))))
            print(f"{label} {pair}: the explorer's first page (500 events and how many there are) {t * 1000:.0f} ms")
            t, found = best_of(lambda: (store.count_events((a, b), status="planned", words=["reports"]),
                                        list(store.event_records((a, b), status="planned", words=["reports"],
                                                                 limit=500, offset=500))))
            print(f"{label} {pair}: the explorer's second page of planned events with a word in a sentence "
                  f"{t * 1000:.0f} ms ({found[0]} events)")
            one = rows[len(rows) // 2]["event_id"]
            t, _ = best_of(lambda: list(store.event_records((a, b), event_ids=[one])))
            print(f"{label} {pair}: one event with its mentions (an event's page) {t * 1000:.0f} ms")
            t, _ = best_of(lambda: list_conflicts(store, (a, b)))
            print(f"{label} {pair}: where its sources disagree (bilat conflicts) {t * 1000:.0f} ms")
            t, idx = best_of(lambda: relations_index(store, a, b, by="month"))
            print(f"{label} {pair}: index by month {t * 1000:.0f} ms ({len(idx['rows'])} months)")
            t, idx = best_of(lambda: relations_index(store, a, b, by="year"))
            print(f"{label} {pair}: index by year {t * 1000:.0f} ms ({len(idx['rows'])} years)")


if __name__ == "__main__":
    main()
