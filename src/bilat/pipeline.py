"""Wire the stages together: ingest -> clean -> dedupe -> store articles; annotate -> code -> store mentions;
consolidate -> store events.

The two halves are separate on purpose. Articles are written first, so an interrupted run keeps what it
ingested; coding then works through the articles not yet coded, a batch at a time, each batch written in one
transaction, so a re-run resumes where the last one stopped and does nothing twice. Input already in the store
(same source, same bytes) costs only its hash.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .actors import ActorResolver
from .annotate import Annotator, load_pipeline
from .clean import article_id_for, clean
from .consolidate import consolidate
from .dating import check_published
from .dedupe import Deduplicator
from .errors import BilatError, DataFileError
from .events import EventCoder
from .facts import extract_facts
from .ingest import IngestOptions, iter_documents
from .model import AnnotatedArticle, Article, Document, Quarantined
from .store import Store

Progress = Callable[[str, int, "int | None"], None]  # (stage, done, total)


@dataclass
class RunReport:
    articles_added: int = 0
    already_stored: int = 0
    duplicates: int = 0
    mentions: int = 0
    events: int = 0
    quarantined: list[Quarantined] = field(default_factory=list)


def _no_progress(stage: str, done: int, total: int | None) -> None:
    return None


def ingest_articles(paths: Iterable[str], store: Store, run_id: int, options: IngestOptions | None = None,
                    progress: Progress = _no_progress, batch_size: int = 500) -> RunReport:
    """Ingest, clean and deduplicate; store the new articles and the quarantine."""
    report = RunReport()
    dedupe = Deduplicator()
    for article_id, key, packed, numbers in store.fingerprints():
        dedupe.remember(article_id, key, packed, numbers)
    pending: list[tuple[str, Document]] = []

    def flush() -> None:
        known = store.known_article_ids(aid for aid, _ in pending)
        articles, prints = [], {}
        for aid, doc in pending:
            if aid in known or aid in prints:
                report.already_stored += 1
                continue
            try:
                article = clean(doc)
                article = check_published(article)
            except DataFileError:
                raise  # a broken knowledge file is the installation's fault, not this page's
            except BilatError as err:
                report.quarantined.append(Quarantined(doc.source, f"cannot clean: {err}"))
                continue
            except Exception as err:  # a page no rule foresaw must not stop the run
                report.quarantined.append(Quarantined(doc.source, f"cannot clean: {type(err).__name__}: {err}"))
                continue
            if not article.text.strip() and not article.title:
                report.quarantined.append(Quarantined(doc.source, "no article text left after cleaning"))
                continue
            article.duplicate_of, key, packed = dedupe.check(article)
            report.duplicates += article.duplicate_of is not None
            prints[aid] = (key, packed)
            articles.append(article)
        store.add_articles(articles, prints, run_id)
        report.articles_added += len(articles)
        pending.clear()

    seen = 0
    for item in iter_documents(paths, options):
        if isinstance(item, Quarantined):
            report.quarantined.append(item)
            continue
        seen += 1
        pending.append((article_id_for(item.source, item.content_hash), item))
        if len(pending) >= batch_size:
            flush()
        progress("ingest", seen, None)
    if pending:
        flush()
    store.add_quarantine(report.quarantined, run_id)
    return report


def code_articles(store: Store, report: RunReport, progress: Progress = _no_progress, batch_size: int = 200,
                  annotator: Annotator | None = None, run_id: int = 0) -> None:
    """Annotate and code every stored article not coded yet, a batch at a time. An article that cannot be
    annotated or coded (a text no rule foresaw) is set aside in the quarantine with the reason; the rest go on."""
    todo = store.uncoded_articles()
    if not todo:
        return
    if annotator is None:
        nlp = load_pipeline()
        resolver = ActorResolver(lambda text: [t.text for t in nlp.make_doc(text)], store.learned_actors())
        annotator = Annotator(nlp, resolver, select=True)
    coder = EventCoder()
    done = 0
    for start in range(0, len(todo), batch_size):
        batch = todo[start:start + batch_size]
        failed: list[Quarantined] = []
        annotated = _annotate(annotator, batch, failed)
        mentions, facts = [], []
        for a in annotated:
            try:
                annotator.refresh(a)  # names learned anywhere in the batch are known everywhere in it
                mentions += coder.code(a)
                pair = "-".join(sorted(a.focus)) if len(a.focus) == 2 else None
                facts += [(pair, f) for f in extract_facts(a)]
            except DataFileError:
                raise
            except Exception as err:  # noqa: BLE001 - one article must not stop the run
                failed.append(Quarantined(a.article.source, f"cannot code events: {type(err).__name__}: {err}"))
        store.add_learned_actors(annotator.learned_rows)
        annotator.learned_rows.clear()
        store.add_mentions([a.article_id for a in batch], mentions, facts)
        store.add_quarantine(failed, run_id)
        report.quarantined += failed
        report.mentions += len(mentions)
        done += len(batch)
        progress("code", done, len(todo))


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


def consolidate_events(store: Store, report: RunReport) -> None:
    events = consolidate(store.mentions(), store.copy_of())
    store.replace_events(events)
    report.events = len(events)


def run(paths: list[str], store: Store, options: IngestOptions | None = None,
        progress: Progress = _no_progress) -> RunReport:
    """The whole pipeline over `paths` into `store`."""
    run_id = store.start_run(paths)
    report = ingest_articles(paths, store, run_id, options, progress)
    code_articles(store, report, progress, run_id=run_id)
    consolidate_events(store, report)
    store.finish_run(run_id, articles_added=report.articles_added, quarantined=len(report.quarantined),
                     mentions=report.mentions, events=report.events)
    return report
