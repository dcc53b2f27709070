"""Benchmark: the whole bilat pipeline against the parser it uses, on the same texts, in one process.

(a) baseline: spaCy's full `en_core_web_sm` pipeline (`nlp.pipe`) over the article bodies, as spaCy loads it;
    and again as bilat loads it (numpy's BLAS for matrix products, annotate.load_pipeline), to tell what of
    bilat's speed is that choice;
(b) bilat: from the raw JSON Lines file to consolidated events in a new store (`bilat run`'s pipeline), with 1
    and with 2 coding processes (--workers), to show the speed-up from more cores.

Both run on the real news corpus (../shared/corpus/reuters21578.jsonl, or --corpus), optionally cut to --limit
articles, and, with --scaled N, on a corpus of N articles built from it: each article replicated with other
country and person names, dates and figures, so deduplication does not discard the copies; then it adds --add
new articles to a copy of that store (timed against the same articles in an empty store, three times, taking
turns): the --add stories that follow the first --limit in the corpus, then --add more variants of the stored
stories; and runs the N again (input already stored: only hashing). For each it prints
documents per second, tokens per second (spaCy tokens of the bodies, the same count for both) and the peak
resident memory during the run (sampled from /proc), then the ratio of bilat's throughput to the baseline's.

    python bench/pipeline.py --limit 2000
    python bench/pipeline.py --limit 2000 --scaled 100000 --skip-baseline
    python bench/pipeline.py --limit 1000 --workers 1 --bound
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Iterable, Iterator

import spacy

from bilat import prefilter
from bilat.annotate import DEFAULT_MODELS, load_pipeline, one_blas_thread
from bilat.ingest import IngestOptions
from bilat.pipeline import run
from bilat.store import Store

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "reuters21578.jsonl"
_PAGE = os.sysconf("SC_PAGE_SIZE")
ADD_ROUNDS = 3  # --scaled: how many times the new articles are added to a copy of the store, and alone


class PeakRSS:
    """The peak resident set size of this process and all its descendants together while the block runs, and
    the peak of this process alone (`own`: the run, without its coding processes), sampled every 50 ms."""

    def __enter__(self) -> "PeakRSS":
        self.peak = self.own = 0
        self._sample()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def _watch(self) -> None:
        while not self._stop.wait(0.05):
            self._sample()

    def _sample(self) -> None:
        total = 0
        for pid in _tree(os.getpid()):
            try:
                with open(f"/proc/{pid}/statm") as fh:
                    rss = int(fh.read().split()[1]) * _PAGE
            except (OSError, ValueError):
                continue  # a worker that just ended
            total += rss
            if pid == os.getpid():
                self.own = max(self.own, rss)
        self.peak = max(self.peak, total)


def _tree(pid: int) -> list[int]:
    """`pid` and all its descendants (the pool's fork server and workers, DuckDB has none), from /proc."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except OSError:
            continue
    return out


def load(path: Path, limit: int | None) -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("body", "").strip():
                out.append(rec)
            if limit and len(out) >= limit:
                break
    return out


_NAMES = ["Pakistan", "India", "Russia", "China", "Iran", "Turkey", "Brazil", "Egypt", "Japan", "Germany"]
_NUMBER = re.compile(r"\b\d+(?:\.\d+)?\b")


def scaled(records: list[dict], n: int, seed: int = 1) -> Iterator[dict]:
    """n articles made from `records`, one at a time: each copy with other country names, another date and other
    figures."""
    rng = random.Random(seed)
    countries = re.compile(r"\b(" + "|".join(map(re.escape, _NAMES + ["U.S.", "United States", "Britain", "France"]))
                           + r")(?!\w)")
    for k in range(n):
        rec = records[k % len(records)]
        swap = {c: rng.choice(_NAMES) for c in _NAMES + ["U.S.", "United States", "Britain", "France"]}

        def vary(text: str) -> str:
            text = countries.sub(lambda m: swap[m.group(1)], text)
            return _NUMBER.sub(lambda m: str(round(float(m.group()) * rng.uniform(0.5, 1.5), 1)), text)

        day = f"{rng.randint(1995, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        yield {"id": f"s{k}", "title": vary(rec.get("title", "")), "body": vary(rec["body"]), "date": day}


def plain_pipeline():
    """The model bilat loads, loaded by spaCy with its own defaults (thinc's blis for matrix products)."""
    name = load_pipeline().meta
    for candidate in (os.environ.get("BILAT_SPACY_MODEL"), *DEFAULT_MODELS):
        if candidate:
            try:
                nlp = spacy.load(candidate)
            except OSError:
                continue
            if nlp.meta["name"] == name["name"] and nlp.meta["version"] == name["version"]:
                return nlp
    raise SystemExit("the model bilat loads is not installed as a package")


def baseline(records: list[dict], plain: bool = True) -> dict:
    """spaCy's full pipeline over the bodies: as spaCy loads it (`plain`), or as bilat does (numpy's BLAS,
    one thread)."""
    nlp = plain_pipeline() if plain else load_pipeline()
    with PeakRSS() as rss, one_blas_thread():
        start = time.perf_counter()
        tokens = sum(len(doc) for doc in nlp.pipe((r["body"] for r in records), batch_size=64))
        seconds = time.perf_counter() - start
    return {"docs": len(records), "tokens": tokens, "seconds": seconds, "peak_rss": rss.peak, "own_rss": rss.own}


def write_corpus(path: Path, records: list[dict], scale: int = 0, seed: int = 1, prefix: str = "") -> tuple[int, int]:
    """Write `records` (or `scale` articles made from them) to `path` as JSON Lines, one at a time, and return
    (articles, spaCy tokens of the bodies). Runs in a child process of its own, so the tokenizer's growing
    vocabulary is not counted in the memory of the runs measured here."""
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_write_corpus, (path, records, scale, seed, prefix))


def _write_corpus(path: Path, records: list[dict], scale: int, seed: int, prefix: str) -> tuple[int, int]:
    nlp = load_pipeline()
    docs = tokens = 0
    items = scaled(records, scale, seed) if scale else iter(records)
    with open(path, "w", encoding="utf-8") as fh:
        for r in items:
            rid = f"{prefix}{docs}" if prefix else r.get("id", r.get("newid"))
            fh.write(json.dumps({"id": rid, "title": r.get("title", ""), "body": r["body"],
                                 "date": r.get("date")}) + "\n")
            docs += 1
            tokens += len(nlp.make_doc(r["body"]))
    return docs, tokens


def bilat(path: Path, docs: int, tokens: int, workers: int = 1, store: Path | None = None) -> dict:
    """Run the pipeline on the JSON Lines file `path` into `store`, or a new one."""
    with tempfile.TemporaryDirectory() as tmp:
        with PeakRSS() as rss, Store(store or Path(tmp) / "bench.duckdb") as db:
            start = time.perf_counter()
            report = run([str(path)], db, IngestOptions(field_map={"text": "body"}), workers=workers)
            seconds = time.perf_counter() - start
    return {"docs": docs, "tokens": tokens, "seconds": seconds, "peak_rss": rss.peak, "own_rss": rss.own,
            "articles": report.articles_added, "events": report.events}


def show(name: str, r: dict) -> None:
    print(f"{name:<10} {r['docs']:>8} docs  {r['seconds']:8.1f} s  {r['docs'] / r['seconds']:8.1f} docs/s  "
          f"{r['tokens'] / r['seconds']:10.0f} tokens/s  peak RSS {r['peak_rss'] / 2**20:7.0f} MiB "
          f"(this process {r['own_rss'] / 2**20:.0f})"
          + (f"  ({r['articles']} articles, {r['events']} events)" if "events" in r else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="use the first N articles of the corpus")
    parser.add_argument("--scaled", type=int, default=0, help="also run bilat on N articles built from them")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--workers", default="1,2", help="coding processes to compare, e.g. 1,2")
    parser.add_argument("--add", type=int, default=1000, help="with --scaled: new articles added to its store")
    parser.add_argument("--bound", action="store_true",
                        help="also time bilat with a perfect sentence filter and with no parsing (one process)")
    args = parser.parse_args()
    records = load(args.corpus, args.limit)
    with tempfile.TemporaryDirectory() as tmp:
        news = Path(tmp) / "news.jsonl"
        docs, tokens = write_corpus(news, records)
        print(f"corpus: {args.corpus.name}, {docs} articles, {tokens} tokens; {os.cpu_count()} cores")
        if not args.skip_baseline:
            base = baseline(records)
            show("spaCy", base)
            same_blas = baseline(records, plain=False)
            show("spaCy*", same_blas)
            print("  spaCy* is the same pipeline loaded as bilat loads it (numpy's BLAS, one thread): "
                  f"{base['seconds'] / same_blas['seconds']:.2f}x spaCy")
        counts = [int(w) for w in args.workers.split(",")]
        runs = {}
        for w in counts:
            runs[w] = bilat(news, docs, tokens, w)
            show(f"bilat w={w}", runs[w])
            if not args.skip_baseline:
                print(f"  bilat ({w} worker{'s' if w > 1 else ''}) / spaCy throughput: "
                      f"{base['seconds'] / runs[w]['seconds']:.2f}x (/ spaCy*: "
                      f"{same_blas['seconds'] / runs[w]['seconds']:.2f}x)")
        if len(counts) > 1:
            print(f"speed-up from {counts[0]} to {counts[-1]} workers: "
                  f"{runs[counts[0]]['seconds'] / runs[counts[-1]]['seconds']:.2f}x")
        if args.bound:
            bound(news, docs, tokens, None if args.skip_baseline else base["seconds"], Path(tmp))
        if args.scaled:
            scaled_up(records, args, counts[-1], Path(tmp))


def bound(news: Path, docs: int, tokens: int, spacy_seconds: float | None, tmp: Path) -> None:
    """How fast bilat could be with its stages as they are and a better sentence filter, in one process: with a
    filter that passes exactly the sentences that gave an event or a fact in bilat's own run (no filter can
    know them before parsing, so no real one does better), and with one that passes none (what the rest of
    the run costs). The three runs follow one another in this process, after the runs above, so each finds
    the caches of the process (patterns compiled, the vocabulary's words) as warm as the others do."""
    store = tmp / "bound.duckdb"
    again = bilat(news, docs, tokens, 1, store)  # timed too: the process's caches are warm now, as for the two below
    show("bilat w=1", again)
    if spacy_seconds:
        print(f"  bilat again, as the two below run / spaCy throughput: {spacy_seconds / again['seconds']:.2f}x")
    with Store(store) as db:
        gave = {row[0] for row in db.db.execute(
            "SELECT sentence FROM event_mentions UNION SELECT sentence FROM facts").fetchall()}
    store.unlink()
    real = prefilter.SentenceFilter

    class Perfect(real):
        def __call__(self, texts, sentence: str, antecedent: bool = True, title: bool = False) -> bool:
            return sentence in gave

    class Nothing(real):
        def __call__(self, texts, sentence: str, antecedent: bool = True, title: bool = False) -> bool:
            return False

    try:
        for name, chosen in (("perfect filter", Perfect), ("no parsing", Nothing)):
            prefilter.SentenceFilter = chosen
            r = bilat(news, docs, tokens, 1)
            show(name[:10], r)
            if spacy_seconds:
                parsed = f" ({len(gave)} sentences parsed)" if chosen is Perfect else ""
                print(f"  bilat with {name}{parsed} / spaCy throughput: {spacy_seconds / r['seconds']:.2f}x")
    finally:
        prefilter.SentenceFilter = real


def scaled_up(records: list[dict], args, workers: int, tmp: Path) -> None:
    """The scaled corpus into a new store, then --add new articles into it and alone, then the same input again.
    The new articles are of two kinds: the stories that follow the first --limit in the corpus (new stories, as
    a collection grows), and variants of the stored stories (each with a hundred near copies in the store: the
    most work for deduplication and for remaking events). The corpora are written to files one article at a time,
    so this process never holds them."""
    big = tmp / "big.jsonl"
    big_docs, big_tokens = write_corpus(big, records, args.scaled)
    store = tmp / "big.duckdb"
    show(f"bilat x w={workers}", bilat(big, big_docs, big_tokens, workers, store))
    following = load(args.corpus, len(records) + args.add)[len(records):]
    if len(following) == args.add:
        fresh = tmp / "following.jsonl"
        added_to(store, fresh, write_corpus(fresh, following), f"{args.add} new stories", args, workers, tmp)
    else:
        print(f"(the corpus has no {args.add} stories after the first {len(records)}: no run with new stories)")
    fresh = tmp / "variants.jsonl"
    added_to(store, fresh, write_corpus(fresh, records, args.add, seed=2, prefix="n"),
             f"{args.add} variants of stored stories", args, workers, tmp)
    again = bilat(big, big_docs, big_tokens, workers, store)
    print(f"re-run on the {args.scaled} articles already stored: {again['seconds']:.1f} s "
          f"({again['articles']} added)")


def added_to(store: Path, fresh: Path, counts: tuple[int, int], what: str, args, workers: int, tmp: Path) -> None:
    """The articles of `fresh` into a copy of `store` and into an empty store, taking turns (ADD_ROUNDS times, as one
    run of a few seconds varies by 10% or more on a shared machine), and the ratio of the times."""
    grown = tmp / "grown.duckdb"
    ratios = []
    for _ in range(ADD_ROUNDS):
        shutil.copyfile(store, grown)
        added = bilat(fresh, *counts, workers, grown)
        show(f"+{args.add} big", added)
        alone = bilat(fresh, *counts, workers)
        show(f"{args.add} alone", alone)
        ratios.append(added["seconds"] / alone["seconds"])
    grown.unlink(missing_ok=True)
    print(f"adding {what} to a store of {args.scaled}: {', '.join(f'{r:.2f}x' for r in ratios)} the time of the "
          f"same articles alone (median {statistics.median(ratios):.2f}x)")


if __name__ == "__main__":
    main()
