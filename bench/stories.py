"""Benchmark and check of story grouping on a coded store.

Prints how long grouping the store's articles into stories takes, how many stories of each size it finds, every
pair of reports that lead with one event within the story window with the likeness of their leads (the number
LEAD_SIMILARITY is set against: reports of one story score high, unrelated reports that share a vague event low),
and the largest stories with their titles.

    bilat run ../shared/corpus/reuters21578.jsonl --field text=body --db /tmp/reuters.duckdb   # once
    python bench/stories.py --db /tmp/reuters.duckdb
"""
from __future__ import annotations

import argparse
import time
import tracemalloc
from collections import Counter

from bilat.store import Store
from bilat.stories import LEAD_SENTENCES, LEAD_SIMILARITY, _Leads, stories


def lead_pairs(store: Store) -> list[tuple[float, str, str, str]]:
    """(likeness, title, title, event) for every two reports leading with one dated event."""
    titles = dict(store.db.execute("SELECT article_id, title FROM articles").fetchall())
    rows = store.db.execute(
        "SELECT e.summary, list(DISTINCT m.article_id) FROM events e JOIN event_links l USING (event_id) "
        "JOIN event_mentions m USING (mention_id) WHERE e.date IS NOT NULL AND m.sentence_index <= ? "
        "GROUP BY e.event_id, e.summary HAVING count(DISTINCT m.article_id) > 1", [LEAD_SENTENCES]).fetchall()
    leads = _Leads(store, {a for _, ids in rows for a in ids})
    out = set()
    for summary, ids in rows:
        for i, a in enumerate(sorted(ids)):
            for b in sorted(ids)[i + 1:]:
                out.add((round(leads.cosine(a, b), 2), titles[a] or "", titles[b] or "", summary))
    return sorted(out, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a store made by `bilat run`")
    parser.add_argument("--largest", type=int, default=5)
    args = parser.parse_args()
    with Store(args.db, read_only=True) as store:
        tracemalloc.start()
        start = time.perf_counter()
        found = stories(store)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        articles = sum(s["n_articles"] for s in found)
        print(f"{articles} articles in {len(found)} stories: {seconds:.2f} s, peak traced memory "
              f"{peak / 2**20:.0f} MiB")
        print("stories by size:", dict(sorted(Counter(s["n_articles"] for s in found).items())))
        print(f"\nreports leading with one event (joined at likeness >= {LEAD_SIMILARITY}):")
        for score, a, b, event in lead_pairs(store):
            print(f"  {score:4.2f}  {a[:45]:<45}  {b[:45]:<45}  {event[:50]}")
        print("\nlargest stories:")
        for s in sorted(found, key=lambda s: -s["n_articles"])[:args.largest]:
            print(f"  {s['n_articles']} articles ({s['n_articles'] - s['n_independent']} copies), "
                  f"{s['first_published']} .. {s['last_published']}")
            for a in s["articles"]:
                print(f"      {a['published']}  {(a['title'] or '')[:70]}{'  (copy)' if a['copy_of'] else ''}")


if __name__ == "__main__":
    main()
