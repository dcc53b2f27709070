"""Wire the stages together: ingest -> clean -> dedupe -> store articles; annotate -> code -> store mentions;
consolidate -> store events.

The two halves are separate on purpose. Articles are written first, a batch at a time, so an interrupted run
keeps what it ingested; coding works through the stored articles not yet coded, in the order they were read, a
batch at a time, each batch written in one transaction, so a re-run resumes where the last one stopped and does
nothing twice (a run killed at any point, even with SIGKILL, leaves a store that a re-run completes into the
store of an uninterrupted run). Input already in the store (same source, same bytes) costs only its hash.

Coding runs in one process or in several (`workers`): batches are coded independently (each starts from the names
learned by earlier runs and learns only within itself) and written in input order, so the store is the same
whatever the number of processes. With several, coding begins with the first batch stored while the run reads on.
"""
from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

from .actors import ActorResolver, model_words
from .annotate import Annotator, load_pipeline
from .clean import article_id_for, clean
from .consolidate import consolidate
from .dating import check_published
from .dedupe import Deduplicator, fingerprint
from .errors import BilatError, DataFileError, InputError, UsageError
from .events import EventCoder
from .facts import extract_facts
from .held import Held
from .ingest import IngestOptions, iter_documents
from .model import AnnotatedArticle, Article, Document, Quarantined
from .store import Store

Progress = Callable[[str, int, "int | None"], None]  # (stage, done, total)
INGEST_BATCH = 500  # documents cleaned and then stored in one transaction
# ... or fewer, when they hold this many characters: under the cap on DuckDB's memory while a run reads
# (READING_DB_MEMORY), 500 documents of a million characters each could not be stored in one statement
INGEST_BATCH_CHARS = 32_000_000
CODING_BATCH = 200  # articles coded together: a batch learns names only within itself
# Python collects garbage among young objects each time 700 more are made; parsing makes and drops millions (tokens,
# spans, matches), and collecting that often took 4% of a run. Coding a batch collects every 20,000, and so does
# making the events (0.59 s -> 0.50 s for the 18,669 mentions that 1,000 new articles make dirty in a store of
# 100,000). (Not the whole run: reading and storing 100,000 articles so held 340 MiB more at its peak.)
YOUNG_OBJECTS = 20_000


@dataclass
class RunReport:
    articles_added: int = 0
    already_stored: int = 0
    duplicates: int = 0
    coded: int = 0  # articles coded by this run (a resumed run codes only those the interrupted one had not)
    mentions: int = 0
    events: int = 0
    quarantined: list[Quarantined] = field(default_factory=list)


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


def ingest_articles(paths: Iterable[str], store: Store, run_id: int, options: IngestOptions | None = None,
                    progress: Progress = _no_progress, batch_size: int = INGEST_BATCH,
                    documents: Iterable[Document | Quarantined] | None = None,
                    stored: Callable[[list[str]], None] | None = None, report: RunReport | None = None) -> RunReport:
    """Ingest, clean and deduplicate; store the new articles a batch at a time (each batch in one transaction,
    stored before `progress` counts its last document, and given to `stored` in the order read), then the
    quarantine. `documents`, when given, are read already (pages fetched by `bilat watch`) and `paths` only names
    them in the run's record."""
    report = report or RunReport()
    pending: list[tuple[str, Document]] = []

    def flush() -> None:
        known = store.known_article_ids(aid for aid, _ in pending)
        articles: list[Article] = []
        taken = set(known)
        for aid, doc in pending:
            if aid in taken:
                report.already_stored += 1
                continue
            try:
                article = clean(doc)
                article = check_published(article)
            except DataFileError:
                raise  # a broken knowledge file is the installation's fault, not this page's
            except InputError as err:  # its reason is the whole story; the path is the source's
                report.quarantined.append(Quarantined(doc.source, err.reason))
                continue
            except BilatError as err:
                report.quarantined.append(Quarantined(doc.source, f"cannot clean: {err}"))
                continue
            except Exception as err:  # a page no rule foresaw must not stop the run
                report.quarantined.append(Quarantined(doc.source, f"cannot clean: {type(err).__name__}: {err}"))
                continue
            if not article.text.strip() and not article.title:
                report.quarantined.append(Quarantined(doc.source, "no article text left after cleaning"))
                continue
            articles.append(article)
            taken.add(aid)
        prints = {a.article_id: fingerprint(a.text) for a in articles}
        # the stored articles (of earlier runs and of this run's earlier batches) these can copy: the same text,
        # or a shared LSH bucket and numbers that agree; not every stored one, so memory stays flat
        dedupe = Deduplicator()
        for aid, key, packed, numbers, order, shared in store.similar_articles(
                (fp.text_key for fp in prints.values() if fp.text_key),
                [(fp.buckets, fp.numbers) for fp in prints.values() if fp.buckets]) if prints else ():
            dedupe.remember(aid, key, packed, numbers, order=order, in_buckets=shared)
        for article in articles:
            article.duplicate_of, _ = dedupe.check(article, prints[article.article_id])
            report.duplicates += article.duplicate_of is not None
        store.add_articles(articles, prints, run_id, first=report.articles_added)
        report.articles_added += len(articles)
        pending.clear()
        if stored is not None and articles:
            stored([a.article_id for a in articles])

    seen = held = 0  # documents read; characters of those pending
    for item in iter_documents(paths, options) if documents is None else documents:
        if isinstance(item, Quarantined):
            report.quarantined.append(item)
            continue
        seen += 1
        pending.append((article_id_for(item.source, item.content_hash), item))
        held += len(item.content)
        if len(pending) >= batch_size or held >= INGEST_BATCH_CHARS:
            flush()
            held = 0
        progress("ingest", seen, None)
    if pending:
        flush()
    store.add_quarantine(report.quarantined, run_id)
    return report


@dataclass
class BatchResult:
    """What coding one batch of articles gives, to be written in one transaction."""

    article_ids: list[str]
    mentions: list = field(default_factory=list)
    facts: list = field(default_factory=list)
    learned: list = field(default_factory=list)
    failed: list[Quarantined] = field(default_factory=list)


class _Coder:
    """Annotator and event coder of one process. Every batch starts from the same lexicon (the names learned by
    earlier runs) and learns only within itself, so the result of a batch does not depend on which batches the
    process did before: one process and many give the same store."""

    def __init__(self, learned: list[tuple[str, str, str, str]]):
        self.nlp = load_pipeline()
        self.learned = learned
        self.coder = EventCoder()
        self.lexicon = ActorResolver(lambda text: [t.text for t in self.nlp.make_doc(text)], learned,
                                     model_words(self.nlp))
        self.batches = 0

    def code(self, batch: list[Article]) -> BatchResult:
        with _fewer_collections():
            return self._code(batch)

    def _code(self, batch: list[Article]) -> BatchResult:
        self.batches += 1
        if self.batches % RELOAD_EVERY == 0:  # spaCy's string store only grows: start afresh now and then
            self.nlp = load_pipeline()
            gc.collect()  # the old pipeline holds reference cycles: free it now, before the new one grows
        annotator = Annotator(self.nlp, self.lexicon.copy(), select=True)
        result = BatchResult([a.article_id for a in batch])
        for a in _annotate(annotator, batch, result.failed):
            try:
                annotator.refresh(a)  # names learned anywhere in the batch are known everywhere in it
                result.mentions += self.coder.code(a)
                pair = "-".join(sorted(a.focus)) if len(a.focus) == 2 else None
                result.facts += [(pair, f) for f in extract_facts(a)]
            except DataFileError:
                raise
            except Exception as err:  # noqa: BLE001 - one article must not stop the run
                result.failed.append(Quarantined(a.article.source,
                                                 f"cannot code events: {type(err).__name__}: {err}"))
        result.learned = annotator.learned_rows
        return result


_PROCESS_CODER: _Coder | None = None


def _code_here(batch: list[Article], learned: list[tuple[str, str, str, str]]) -> BatchResult:
    """Code one batch with this process's coder, made on its first batch (a pool or a Dask worker process)."""
    global _PROCESS_CODER
    if _PROCESS_CODER is None or _PROCESS_CODER.learned != learned:
        _PROCESS_CODER = _Coder(learned)
    return _PROCESS_CODER.code(batch)


class _Done:
    """A batch coded in this process: its result is there at once."""

    def __init__(self, result: BatchResult):
        self.result = result

    def ready(self) -> bool:
        return True

    def get(self) -> BatchResult:
        return self.result


class _OnDask:
    def __init__(self, future):
        self.future = future

    def ready(self) -> bool:
        return self.future.done()

    def get(self) -> BatchResult:
        try:
            return self.future.result()
        finally:
            self.future.release()


@contextmanager
def _batch_coder(engine: str, workers: int, scheduler: str | None, learned: list) -> Iterator[Callable]:
    """A function that starts coding one batch and returns its pending result (`ready()`, `get()`): in this
    process, in a pool of `workers` processes, or on Dask (the cluster at `scheduler`, else a local one of
    `workers` processes)."""
    if engine == "dask":
        from dask.distributed import Client, LocalCluster

        cluster = None if scheduler else LocalCluster(n_workers=max(workers, 1), threads_per_worker=1,
                                                      processes=True, dashboard_address=None)
        try:
            with Client(scheduler or cluster) as client:
                yield lambda batch: _OnDask(client.submit(_code_here, batch, learned=learned, pure=False))
        finally:
            if cluster is not None:
                cluster.close()
    elif workers > 1:
        with multiprocessing.get_context(_START_METHOD).Pool(workers, initializer=_end_with_parent) as pool:
            yield lambda batch: pool.apply_async(_code_here, (batch, learned))
    else:
        coder = _Coder(learned)
        yield lambda batch: _Done(coder.code(batch))


class _Coding:
    """Codes stored articles a batch at a time, in the order they were stored (`Store.uncoded_article_ids`: those
    an earlier run left uncoded first, then each run's in the order it read them), the batches written in that
    order, each in one transaction.

    `add` gives it articles as they are stored: with more than one process (or on Dask) coding goes on while the
    run reads the rest, two batches per process under way; `finish` codes what is left and waits for all. The
    batches are the same however the articles came, so one process, many, and a run resumed after a kill write
    the same store."""

    def __init__(self, store: Store, report: RunReport, progress: Progress, batch_size: int, run_id: int,
                 workers: int, engine: str, scheduler: str | None):
        if engine not in ENGINES:
            raise UsageError(f"unknown engine {engine!r}: use one of {', '.join(ENGINES)}")
        self.store, self.report, self.progress = store, report, progress
        self.batch_size, self.run_id = batch_size, run_id
        self.workers, self.engine, self.scheduler = workers, engine, scheduler
        self.waiting: deque[str] = deque(store.uncoded_article_ids())
        self.under_way: deque = deque()
        self.exits = ExitStack()
        self.start: Callable | None = None
        self.coding_pass = 0
        self.reading = True  # articles may still come (`add`)
        self.parallel = workers > 1 or engine == "dask"

    def __enter__(self) -> "_Coding":
        return self

    def __exit__(self, *exc) -> None:
        self.exits.close()

    def add(self, article_ids: list[str]) -> None:
        """Articles just stored: code them while more are read, when other processes do the coding."""
        self.waiting.extend(article_ids)
        if self.parallel:
            self._write(wait=False)
            self._start_batches()

    def finish(self) -> None:
        """Code what is left, the last batch as it is, and write every batch."""
        self.reading = False
        self._start_batches()
        while self.under_way:
            self._write(wait=True, one=True)
        if self.start is not None:
            self.store.end_coding_pass()

    def _start_batches(self) -> None:
        while len(self.under_way) < (2 * self.workers if self.parallel else 1) and \
                (len(self.waiting) >= self.batch_size or (not self.reading and self.waiting)):
            if self.start is None:
                self._open(only_one=not self.reading and len(self.waiting) <= self.batch_size)
            ids = [self.waiting.popleft() for _ in range(min(self.batch_size, len(self.waiting)))]
            self.under_way.append((len(ids), self.start(self.store.articles(ids, uncoded=True))))

    def _open(self, only_one: bool) -> None:
        """The coding processes, at the first batch; a run with one batch in all codes it here."""
        self.coding_pass = self.store.begin_coding_pass()  # a pass a killed run left open goes on with its names
        learned = self.store.learned_actors(before_pass=self.coding_pass)
        workers = 1 if only_one and self.engine != "dask" else self.workers
        self.start = self.exits.enter_context(_batch_coder(self.engine, workers, self.scheduler, learned))

    def _write(self, wait: bool, one: bool = False) -> None:
        """Write the finished batches at the head of the line, in order (`wait` for the first; `one`: only it).
        With other processes the next batch starts before a result is written, so they are not kept waiting."""
        while self.under_way and (wait or self.under_way[0][1].ready()):
            result = self.under_way.popleft()[1].get()
            if self.parallel:
                self._start_batches()
            self.store.add_mentions(result.article_ids, result.mentions, result.facts, result.learned,
                                    result.failed, self.run_id, self.coding_pass)
            self.report.quarantined += result.failed
            self.report.mentions += len(result.mentions)
            self.report.coded += len(result.article_ids)
            total = None if self.reading else \
                self.report.coded + len(self.waiting) + sum(n for n, _ in self.under_way)  # known once all is read
            self.progress("code", self.report.coded, total)
            self._start_batches()
            if one:
                return


def code_articles(store: Store, report: RunReport, progress: Progress = _no_progress, batch_size: int = CODING_BATCH,
                  run_id: int = 0, workers: int = 1, engine: str = "local", scheduler: str | None = None) -> None:
    """Annotate and code every stored article not coded yet, a batch at a time, in `workers` processes (engine
    "local") or on a Dask cluster (engine "dask": the one at `scheduler`, else a local one of `workers`
    processes); the batches are written in order, each in one transaction. Articles are read from the store a
    few batches at a time (two per process), so memory does not grow with the collection. An article that
    cannot be annotated or coded (a text no rule foresaw) is set aside in the quarantine with the reason; the
    rest go on."""
    with _Coding(store, report, progress, batch_size, run_id, workers, engine, scheduler) as coding:
        coding.finish()


ENGINES = ("local", "dask")
# While articles are read, deduplicated and coded, the store's file is scanned batch after batch: DuckDB would
# cache it up to 80% of the machine's memory, and the run process would grow with the store (1,033 MiB after
# 100,000 articles; 867 MiB so capped, no slower). Making the events afterwards, and exports, keep DuckDB's own cap.
READING_DB_MEMORY = "512MB"
RELOAD_EVERY = 25  # batches (5,000 articles) a process codes with one spaCy pipeline before loading it again

# Workers start from a clean process, never by forking this one: it runs DuckDB's threads, and a fork taken while
# one of them holds a lock leaves the child waiting on that lock forever (a hang seen at 100,000 articles).
_START_METHOD = "forkserver" if sys.platform.startswith("linux") else "spawn"


def _collect_young_less_often():
    """Collect young objects every YOUNG_OBJECTS, not every 700; returns what restores the old threshold."""
    old = gc.get_threshold()
    gc.set_threshold(max(old[0], YOUNG_OBJECTS), *old[1:])
    return lambda: gc.set_threshold(*old)


_fewer_collections = Held(_collect_young_less_often)


def _end_with_parent() -> None:
    """In a pool process: end it when the process that started the pool ends, however that one ends. A run killed
    with SIGKILL has no time to stop its pool, and its workers would go on coding batches that nobody will write."""
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=lambda: multiprocessing.connection.wait([parent.sentinel]) and os._exit(1),
                         daemon=True).start()


def _annotate(annotator: Annotator, batch: list[Article], failed: list[Quarantined]) -> list[AnnotatedArticle]:
    """Annotate a batch; if that fails, article by article, setting aside the ones that fail."""
    try:
        return list(annotator.annotate(batch))
    except DataFileError:
        raise
    except Exception:  # noqa: BLE001
        out = []
        for article in batch:
            try:
                out += list(annotator.annotate([article]))
            except Exception as err:  # noqa: BLE001
                failed.append(Quarantined(article.source, f"cannot annotate: {type(err).__name__}: {err}"))
        return out


def consolidate_events(store: Store, report: RunReport, progress: Progress = _no_progress) -> None:
    """Make the events again where mentions changed: only the blocks (pair, quad class, status) that new or
    re-coded articles touched, since consolidation never merges across blocks; all of them the first time. The
    events are replaced in one transaction."""
    progress("consolidate", 0, None)
    everything = store.needs_all_events()
    with _fewer_collections():  # it makes an object or more for each mention and event, and drops few
        events = consolidate(store.mentions(dirty_only=not everything), store.copy_of())
        store.replace_events(events, dirty_only=not everything)
    report.events = store.counts()["events"]
    progress("consolidate", len(events), len(events))


def run(paths: list[str], store: Store, options: IngestOptions | None = None,
        progress: Progress = _no_progress, workers: int = 1, engine: str = "local",
        scheduler: str | None = None, documents: Iterable[Document | Quarantined] | None = None) -> RunReport:
    """The whole pipeline over `paths` (or over `documents` already read, see `ingest_articles`) into `store`;
    coding in `workers` processes, or on Dask."""
    run_id = store.start_run(paths)
    report = RunReport()
    # with other processes to code, coding begins with the first articles stored, while the rest are read
    with store.memory_capped(READING_DB_MEMORY), \
            _Coding(store, report, progress, CODING_BATCH, run_id, workers, engine, scheduler) as coding:
        ingest_articles(paths, store, run_id, options, progress, documents=documents, stored=coding.add,
                        report=report)
        coding.finish()
    if store.events_stale():
        consolidate_events(store, report, progress)
    else:  # nothing was coded since the events were made: they stand
        report.events = store.counts()["events"]
    store.finish_run(run_id, articles_added=report.articles_added, quarantined=len(report.quarantined),
                     mentions=report.mentions, events=report.events)
    return report
