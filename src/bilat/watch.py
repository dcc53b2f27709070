"""Keep watching: poll feeds and pages, fetch the new articles they link to, and run them through the pipeline.

    watch(["https://example.org/rss", "https://example.org/statement.html"], "bilat.duckdb", WatchOptions())

Each poll goes over every source once:

1. the store is read (each source's validators, the article links already done or still pending) and closed;
2. each source is fetched with a conditional request (`If-None-Match` / `If-Modified-Since`; 304 = unchanged).
   A feed's entries whose links are not done yet are fetched (the page, read by the clean stage with
   trafilatura); an entry whose page cannot be had (down, refused by robots.txt) goes in with its own text. A
   page given as a source is itself a document;
3. the store is opened again: the sources' state, the new links (pending), the pipeline over the new documents
   (`pipeline.run`, incremental), the links done, the alerts (alerts.py), in that order; then closed.

The store is closed while the network is waited on, so `bilat status`, `alerts` or `export` can read it between
polls. A poll killed at any point loses nothing and repeats nothing done: a link is `done` only once its article
went through the pipeline, a pending link whose article the store already holds is not fetched again, and
validators are saved with the links they announced.

Manners: one User-Agent naming bilat and its contact; robots.txt read once per host per poll (RFC 9309: 4xx means
allowed, an unreachable one means nothing is fetched from that host this poll) and its Crawl-delay honoured; a
least delay between two requests to one host; redirects followed by hand, each hop checked against robots.txt,
at most `max_redirects`, a loop named as such; a 5xx answer, a timeout or a refused connection retried a bounded
number of times with exponential back-off; answers larger than `max_bytes` refused. A source that fails is one
log line, and the other sources go on.
"""
from __future__ import annotations

import json
import signal
import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from . import __version__
from .alerts import default_alerts_file, deliver, raise_alerts
from .clean import article_id_for
from .errors import FetchError, StoreError, UsageError
from .ingest import read_fetched
from .model import Document, Quarantined
from .pipeline import run
from .store import Store

Log = Callable[[str], None]
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RETRY_STATUSES = {500, 502, 503, 504}


def parse_every(text: str) -> float:
    """'30s', '15m', '1h', '1d' or plain seconds ('90') -> seconds.

    >>> parse_every("15m")
    900.0
    """
    text = text.strip().lower()
    number, unit = (text[:-1], text[-1]) if text[-1:] in _UNITS else (text, "s")
    try:
        seconds = float(number) * _UNITS[unit]
    except ValueError:
        seconds = 0
    if seconds <= 0:
        raise UsageError(f"--every {text!r}: give a duration such as 30s, 15m or 1h")
    return seconds


@dataclass
class WatchOptions:
    """Settings of `bilat watch`, from the command line to the fetcher."""

    every: float = 900.0  # seconds between the starts of two polls
    timeout: float = 10.0  # seconds to connect, and between two reads of an answer
    delay: float = 1.0  # least seconds between two requests to one host (a robots.txt Crawl-delay may raise it)
    retries: int = 2  # further tries after a 5xx answer, a timeout or a refused connection
    backoff: float = 1.0  # seconds before the first retry, doubled before each next one
    max_redirects: int = 5
    max_bytes: int = 10 * 1024 * 1024
    max_attempts: int = 3  # polls that try a linked page before it is given up
    contact: str | None = None  # a URL or e-mail address for the User-Agent

    @property
    def user_agent(self) -> str:
        return f"bilat/{__version__} (+{self.contact})" if self.contact else f"bilat/{__version__} (news monitor)"


@dataclass
class Fetched:
    url: str  # after redirects
    status: int
    headers: httpx.Headers
    content: bytes


class Fetcher:
    """HTTP GETs with bilat's manners (see the module docstring). One per `watch`: the per-host clock lasts across
    polls; robots.txt is read again each poll (`new_poll`)."""

    def __init__(self, options: WatchOptions):
        self.options = options
        self.client = httpx.Client(timeout=options.timeout, follow_redirects=False,
                                   headers={"User-Agent": options.user_agent})
        self.last_request: dict[str, float] = {}
        self.robots: dict[str, tuple[urllib.robotparser.RobotFileParser, str | None]] = {}

    def close(self) -> None:
        self.client.close()

    def new_poll(self) -> None:
        self.robots.clear()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """The answer to a GET of `url`, redirects followed; 200 or 304. Raises FetchError with the reason
        otherwise (4xx/5xx, timeout, loop, robots.txt)."""
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        answer = self._follow(url, headers, check_robots=True)
        if answer.status not in (200, 304):
            raise FetchError(url, f"HTTP {answer.status}")
        return answer

    def post(self, url: str, payload: dict) -> None:
        """POST `payload` as JSON (a webhook); one try. Raises FetchError on a failure or a non-2xx answer."""
        try:
            answer = self.client.post(url, json=payload)
        except httpx.HTTPError as error:
            raise FetchError(url, _transport_reason(error, self.options.timeout)) from None
        if not answer.is_success:
            raise FetchError(url, f"HTTP {answer.status_code}")

    def _follow(self, url: str, headers: dict[str, str], check_robots: bool) -> Fetched:
        seen = [url]
        for _ in range(self.options.max_redirects + 1):
            if check_robots:
                self._check_robots(seen[-1])
            answer = self._request(seen[-1], headers)
            location = answer.headers.get("location")
            if answer.status not in (301, 302, 303, 307, 308) or not location:
                return answer
            target = urljoin(seen[-1], location)
            if target in seen:
                raise FetchError(url, f"redirect loop ({' -> '.join(_short(u) for u in seen + [target])})")
            seen.append(target)
        raise FetchError(url, f"more than {self.options.max_redirects} redirects")

    def _request(self, url: str, headers: dict[str, str]) -> Fetched:
        """One URL, retried on 5xx, timeouts and refused connections with exponential back-off."""
        for attempt in range(self.options.retries + 1):
            self._wait_turn(url)
            try:
                answer = self._read(url, headers)
                if answer.status not in RETRY_STATUSES or attempt == self.options.retries:
                    return answer
            except httpx.HTTPError as error:
                if attempt == self.options.retries:
                    raise FetchError(url, _transport_reason(error, self.options.timeout)) from None
            time.sleep(self.options.backoff * 2 ** attempt)
        raise AssertionError("unreachable")

    def _read(self, url: str, headers: dict[str, str]) -> Fetched:
        limit, started = self.options.max_bytes, time.monotonic()
        with self.client.stream("GET", url, headers=headers) as answer:
            chunks, size = [], 0
            for chunk in answer.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FetchError(url, f"answer larger than {limit:,} bytes")
                if time.monotonic() - started > 4 * self.options.timeout:  # a server that trickles
                    raise FetchError(url, f"answer still coming after {4 * self.options.timeout:g}s")
                chunks.append(chunk)
            return Fetched(str(answer.url), answer.status_code, answer.headers, b"".join(chunks))

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc
        robots = self.robots.get(_site(url))
        delay = max(self.options.delay, (robots[0].crawl_delay("bilat") or 0) if robots else 0)
        wait = self.last_request.get(host, float("-inf")) + delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self.last_request[host] = time.monotonic()

    def _check_robots(self, url: str) -> None:
        site = _site(url)
        if site not in self.robots:
            parser, problem = urllib.robotparser.RobotFileParser(site + "/robots.txt"), None
            try:
                answer = self._follow(site + "/robots.txt", {}, check_robots=False)
                if answer.status == 200:
                    parser.parse(answer.content.decode("utf-8", "replace").splitlines())
                elif answer.status in (401, 403) or answer.status >= 500:
                    parser.disallow_all, problem = True, f"robots.txt answers HTTP {answer.status}"
                else:  # 404 and the other 4xx: no rules
                    parser.allow_all = True
            except FetchError as error:
                parser.disallow_all, problem = True, f"robots.txt unreachable: {error.reason}"
            self.robots[site] = (parser, problem)
        parser, problem = self.robots[site]
        if not parser.can_fetch("bilat", url):
            raise FetchError(url, problem or "disallowed by robots.txt")


def _site(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _short(url: str) -> str:
    return urlsplit(url).path or "/"


def _transport_reason(error: httpx.HTTPError, timeout: float) -> str:
    if isinstance(error, httpx.TimeoutException):
        return f"timed out after {timeout:g}s"
    if isinstance(error, httpx.ConnectError):
        return f"cannot connect: {error}" if str(error) else "cannot connect"
    return f"{type(error).__name__}: {error}"


# --- one poll ------------------------------------------------------------------------------------------------


@dataclass
class SourceResult:
    """What one poll got from one source."""

    url: str
    kind: str | None = None  # 'feed' or 'page', once known
    status: str = "unchanged"  # 'unchanged', 'new' or 'failed'
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    documents: list[Document] = field(default_factory=list)
    new_links: dict[str, dict | None] = field(default_factory=dict)  # link -> its entry (the fallback), pending
    done_links: list[str] = field(default_factory=list)  # links to mark done once the pipeline ran
    failed_links: dict[str, str] = field(default_factory=dict)  # link -> why it could not be fetched
    set_aside: list[Quarantined] = field(default_factory=list)
    added: int = 0


@dataclass
class PollReport:
    number: int
    sources: list[SourceResult]
    articles_added: int = 0
    events: int = 0
    alerts: list[dict] = field(default_factory=list)


@dataclass
class WatchState:
    """What the store knows before a poll: validators per source, links done, links pending (with entries)."""

    validators: dict[str, tuple[str | None, str | None]]
    done: set[str]
    pending: dict[str, tuple[str, dict | None, int]]  # link -> (feed, entry, attempts)


def load_state(store: Store) -> WatchState:
    """Read the state; a pending link whose article the store already holds (a poll killed after the pipeline
    stored it) is marked done here, so it is not fetched again."""
    db = store.db
    db.execute("UPDATE watch_articles SET state = 'done', done_at = now() WHERE state = 'pending' AND "
               "(url IN (SELECT source FROM articles) OR url IN (SELECT path FROM quarantine))")
    return WatchState(
        validators={u: (e, m) for u, e, m in db.execute("SELECT url, etag, last_modified FROM watch_sources")
                    .fetchall()},
        done={r[0] for r in db.execute("SELECT url FROM watch_articles WHERE state <> 'pending'").fetchall()},
        pending={u: (f, json.loads(e) if e else None, a) for u, f, e, a in db.execute(
            "SELECT url, feed, entry, attempts FROM watch_articles WHERE state = 'pending'").fetchall()})


def fetch_source(url: str, state: WatchState, fetcher: Fetcher) -> SourceResult:
    """Fetch one source (conditionally) and, for a feed, the pages of its entries not done yet."""
    result = SourceResult(url)
    etag, last_modified = state.validators.get(url, (None, None))
    try:
        answer = fetcher.get(url, etag, last_modified)
    except FetchError as error:
        result.status, result.error = "failed", error.reason
        return result
    result.etag, result.last_modified = etag, last_modified
    if answer.status == 304:
        result.kind = None
    else:
        result.etag, result.last_modified = answer.headers.get("etag"), answer.headers.get("last-modified")
        is_feed, items = read_fetched(url, answer.content)
        result.kind = "feed" if is_feed else "page"
        documents = [i for i in items if isinstance(i, Document)]
        result.set_aside += [i for i in items if isinstance(i, Quarantined)]
        if is_feed and not documents and result.set_aside:  # not a feed one can read at all
            result.status, result.error = "failed", result.set_aside[0].reason
            return result
        if is_feed:
            for entry in documents:
                if entry.source not in state.done and entry.source not in state.pending:
                    result.new_links[entry.source] = _entry_record(entry)
        else:
            result.documents += documents
    links = {**{u: e for u, (f, e, _) in state.pending.items() if f == url}, **result.new_links}
    for link, entry in links.items():
        _fetch_article(link, entry, fetcher, result)
    return result


def _entry_record(entry: Document) -> dict | None:
    """A feed entry as kept in the store, to stand in for its page; None when its link is its only content."""
    return asdict(entry) if entry.content.strip() else None


def _fetch_article(link: str, entry: dict | None, fetcher: Fetcher, result: SourceResult) -> None:
    """The page of a feed entry as a Document, with the entry's metadata; else the entry's own text; else the
    reason it is still missing (`failed_links`)."""
    fallback = Document(**entry) if entry else None
    metadata = dict(fallback.metadata) if fallback else {}
    if not link.startswith(("http://", "https://")):  # an entry without a link: its text is all there is
        if fallback:
            result.documents.append(fallback)
        return
    try:
        answer = fetcher.get(link)
        is_feed, items = read_fetched(link, answer.content)
        page = next((i for i in items if isinstance(i, Document)), None)
        if is_feed or page is None:
            raise FetchError(link, items[0].reason if items and isinstance(items[0], Quarantined)
                             else "not an article page")
        page.metadata = {**metadata, "url": link}
        result.documents.append(page)
    except FetchError as error:
        if fallback:
            result.documents.append(fallback)
        else:
            result.failed_links[link] = error.reason


def poll(sources: list[str], db: str, options: WatchOptions, fetcher: Fetcher, log: Log, number: int = 1,
         alerts_file: str | None = None) -> PollReport:
    """One poll of every source (see the module docstring); logs one line per source and one for the poll."""
    fetcher.new_poll()
    with Store(db) as store:
        state = load_state(store)
    report = PollReport(number, [fetch_source(url, state, fetcher) for url in sources])
    with Store(db) as store:
        _save_sources_and_links(store, report.sources)
        documents = [d for r in report.sources for d in r.documents]
        if documents:
            ids = [article_id_for(d.source, d.content_hash) for d in documents]
            known = store.known_article_ids(ids)
            outcome = run([f"watch poll {number}"], store, documents=documents)
            added = store.known_article_ids(ids) - known
            report.articles_added, report.events = len(added), outcome.events
            for r in report.sources:
                r.added = sum(article_id_for(d.source, d.content_hash) in added for d in r.documents)
                r.set_aside += [q for q in outcome.quarantined if q.path in {d.source for d in r.documents}]
        _finish_links(store, report.sources, options.max_attempts)
        for r in report.sources:
            if r.status != "failed" and (r.added or r.set_aside or r.failed_links):
                r.status = "new"
        report.alerts = raise_alerts(store)
        deliver(store, alerts_file or default_alerts_file(db), fetcher.post, log)
    for r in report.sources:
        log(_source_line(r))
    log(f"poll {number} done: {report.articles_added} new articles, {len(report.alerts)} alerts")
    return report


def _source_line(r: SourceResult) -> str:
    if r.status == "failed":
        return f"{r.url}: failed: {r.error}"
    if r.status == "unchanged":
        return f"{r.url}: unchanged"
    line = f"{r.url}: new {r.added}"
    if r.set_aside:
        line += f", {len(r.set_aside)} set aside ({r.set_aside[0].path}: {r.set_aside[0].reason})"
    if r.failed_links:
        link, reason = next(iter(r.failed_links.items()))
        line += f", {len(r.failed_links)} links not fetched ({link}: {reason})"
    return line


def _save_sources_and_links(store: Store, results: list[SourceResult]) -> None:
    """The sources' validators and health, and the links they announced (pending), in one transaction."""
    with store.transaction():
        for r in results:
            store.db.execute("INSERT OR IGNORE INTO watch_sources (url) VALUES (?)", [r.url])
            if r.status == "failed":
                store.db.execute("UPDATE watch_sources SET last_polled = now(), last_error = ?, "
                                 "last_error_at = now(), failures = coalesce(failures, 0) + 1 WHERE url = ?",
                                 [r.error, r.url])
            else:
                store.db.execute("UPDATE watch_sources SET last_polled = now(), last_success = now(), failures = 0, "
                                 "etag = ?, last_modified = ?, kind = coalesce(?, kind) WHERE url = ?",
                                 [r.etag, r.last_modified, r.kind, r.url])
            for link, entry in r.new_links.items():
                store.db.execute("INSERT OR IGNORE INTO watch_articles (url, feed, entry, state, first_seen) "
                                 "VALUES (?, ?, ?, 'pending', now())", [link, r.url, json.dumps(entry)])


def _finish_links(store: Store, results: list[SourceResult], max_attempts: int) -> None:
    """After the pipeline: the links whose documents went through it are done; the others count one more try,
    and are given up after `max_attempts`; each source is credited with the articles it gained."""
    with store.transaction():
        for r in results:
            done = [d.source for d in r.documents]
            if done:
                store.db.execute("UPDATE watch_articles SET state = 'done', done_at = now() WHERE url IN "
                                 f"({', '.join('?' * len(done))})", done)
            for link, reason in r.failed_links.items():
                store.db.execute("UPDATE watch_articles SET attempts = attempts + 1, error = ?, state = CASE WHEN "
                                 "attempts + 1 >= ? THEN 'failed' ELSE state END WHERE url = ?",
                                 [reason, max_attempts, link])
            store.db.execute("UPDATE watch_sources SET articles_gained = coalesce(articles_gained, 0) + ? "
                             "WHERE url = ?", [r.added, r.url])


# --- the loop, and health ------------------------------------------------------------------------------------


def watch(sources: list[str], db: str, options: WatchOptions, log: Log, once: bool = False,
          alerts_file: str | None = None, stop: threading.Event | None = None) -> int:
    """Poll every `options.every` seconds (a poll starts that long after the previous one started) until `stop`
    is set; `once`: one poll. A stop asked for during a poll lets it finish. Returns the number of polls."""
    if not sources:
        raise UsageError("give at least one feed or page URL to watch")
    bad = [s for s in sources if urlsplit(s).scheme not in ("http", "https") or not urlsplit(s).netloc]
    if bad:
        raise UsageError(f"{bad[0]}: not an http(s) URL")
    stop = stop or threading.Event()
    fetcher = Fetcher(options)
    number = 0
    try:
        while True:
            number += 1
            started = time.monotonic()
            try:
                poll(sources, db, options, fetcher, log, number, alerts_file)
            except StoreError as error:  # held by another process for a while: the next poll tries again
                if once:
                    raise
                log(f"poll {number} failed: {error}")
            if once or _wait(stop, options.every - (time.monotonic() - started)):
                break
    finally:
        fetcher.close()
    if not once:
        log(f"stopped after {number} polls")
    return number


def _wait(stop: threading.Event, seconds: float) -> bool:
    """Wait until `stop` is set or `seconds` have passed; whether it was set. In slices of a second: a signal the
    kernel hands to another thread of the process (DuckDB's, BLAS's) does not wake the main thread from a wait,
    and its handler runs only when the main thread runs Python again, so one long wait could miss a SIGTERM for
    the whole interval."""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if stop.wait(min(left, 1.0)):
            return True
    return stop.is_set()


def stop_on_signals(stop: threading.Event) -> None:
    """SIGINT and SIGTERM ask the watch to stop once the poll under way is finished."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())


def source_health(store: Store) -> list[dict]:
    """Per watched source: kind, last poll, last success, last error (and when), failures since the last
    success, articles gained; empty for a store never watched."""
    if not store.db.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'watch_sources'"
                            ).fetchone()[0]:
        return []
    columns = ["url", "kind", "last_polled", "last_success", "last_error", "last_error_at", "failures",
               "articles_gained"]
    rows = store.db.execute(f"SELECT {', '.join(columns)} FROM watch_sources ORDER BY url").fetchall()
    return [dict(zip(columns, row)) for row in rows]
