"""The DuckDB store: one file holds the articles, their event mentions, the consolidated events and the
quarantine. The schema is documented in docs/architecture.md; `SCHEMA` below is its source of truth.

Writes are idempotent: an article is keyed by its `article_id` (a hash of its source and bytes), so ingesting
the same input twice adds nothing. Events are recomputed from the mentions after each run (`replace_events`),
so they never hold a stale merge.

Every write that belongs together is one transaction: a batch of articles; a batch's mentions, facts, learned
names, quarantined articles and `coded` flags; the events made again. A run killed at any point leaves the store
as it was after its last whole write, and DuckDB's write-ahead log replays the committed writes when the file is
opened again.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, fields
from pathlib import Path

import duckdb

from .dedupe import NUMBER, NUMBERS_AGREE, Fingerprint, buckets
from .errors import StoreError
from .facts import Fact
from .model import Article, Event, EventMention, Quantity, Quarantined

SCHEMA_VERSION = "6"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS articles (
    article_id VARCHAR PRIMARY KEY,
    source VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    title VARCHAR,
    published VARCHAR,
    published_confidence VARCHAR,
    page_date VARCHAR,
    outlet VARCHAR,
    byline VARCHAR,
    dateline VARCHAR,
    url VARCHAR,
    text VARCHAR NOT NULL,
    duplicate_of VARCHAR,
    notes VARCHAR,            -- JSON list of strings
    text_key VARCHAR,         -- hash of the normalised body: equal keys are exact duplicates
    minhash BLOB,             -- MinHash signature, for near-duplicate search across runs
    coded BOOLEAN DEFAULT FALSE,  -- its event mentions are written
    run_id INTEGER,
    numbers VARCHAR[],        -- the numbers its text gives (dedupe: copies give the same figures; version 6)
    seq INTEGER               -- its place in the order its run read and stored articles (version 6)
);
CREATE TABLE IF NOT EXISTS article_bands (  -- dedupe's LSH buckets, one per band of an article's signature
    bucket BIGINT NOT NULL, article_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS event_mentions (
    mention_id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    source VARCHAR,
    sentence_index INTEGER,
    sentence VARCHAR,
    published VARCHAR,
    actor1 VARCHAR, actor1_name VARCHAR, actor2 VARCHAR, actor2_name VARCHAR,
    cameo VARCHAR, event_type VARCHAR, quad_class INTEGER, goldstein DOUBLE,
    status VARCHAR, sector VARCHAR, date VARCHAR, date_basis VARCHAR, location VARCHAR,
    quantities VARCHAR,       -- JSON list of {text, value, unit}
    trigger VARCHAR, pattern VARCHAR, status_cue VARCHAR,
    date_hint VARCHAR,        -- '--04': a month the text names without a year
    refers_back BOOLEAN,      -- a definite event noun ("the visit"): an event the article told before
    joint BOOLEAN             -- an act both parties did together ("Russia and Pakistan signed")
);
CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR PRIMARY KEY,
    date VARCHAR,
    source VARCHAR, source_name VARCHAR, target VARCHAR, target_name VARCHAR,
    pair VARCHAR,             -- the two country codes, sorted, joined by '-': 'PAK-RUS'
    cameo VARCHAR, event_type VARCHAR, quad_class INTEGER, goldstein DOUBLE,
    status VARCHAR, sector VARCHAR, location VARCHAR,
    quantities VARCHAR, summary VARCHAR, n_sources INTEGER, conflicts VARCHAR,
    joint BOOLEAN,            -- done together: written from both sides by `export --directed`
    n_independent INTEGER     -- distinct articles, the copies of one article counted once
);
CREATE TABLE IF NOT EXISTS event_links (event_id VARCHAR, mention_id VARCHAR);
CREATE TABLE IF NOT EXISTS dirty_blocks (  -- (pair, quad class, status) whose events must be made again
    pair VARCHAR, quad_class INTEGER, status VARCHAR
);
CREATE TABLE IF NOT EXISTS facts (
    fact_id VARCHAR PRIMARY KEY,
    article_id VARCHAR NOT NULL,
    source VARCHAR,
    pair VARCHAR,             -- the article's focus pair, 'PAK-RUS', or NULL
    sentence_index INTEGER,
    sentence VARCHAR,
    published VARCHAR,
    subject VARCHAR, attribute VARCHAR, value VARCHAR, number DOUBLE, unit VARCHAR
);
CREATE TABLE IF NOT EXISTS quarantine (path VARCHAR, reason VARCHAR, run_id INTEGER, PRIMARY KEY (path, reason));
CREATE TABLE IF NOT EXISTS learned_actors (
    alias VARCHAR PRIMARY KEY, name VARCHAR, country VARCHAR, role VARCHAR, article_id VARCHAR,
    coding_pass INTEGER       -- the coding pass that learned it (Store.begin_coding_pass)
);
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY, started TIMESTAMP DEFAULT current_timestamp, inputs VARCHAR,
    articles_added INTEGER, quarantined INTEGER, mentions INTEGER, events INTEGER
);
CREATE TABLE IF NOT EXISTS watch_sources (  -- bilat watch: each feed or page it polls (version 5)
    url VARCHAR PRIMARY KEY, kind VARCHAR,  -- 'feed' or 'page'
    etag VARCHAR, last_modified VARCHAR,    -- the validators of the last answer, for conditional requests
    last_polled TIMESTAMP, last_success TIMESTAMP, last_error VARCHAR, last_error_at TIMESTAMP,
    failures INTEGER DEFAULT 0,             -- failed polls since the last success
    articles_gained INTEGER DEFAULT 0
);
CREATE TABLE IF NOT EXISTS watch_articles (  -- article pages linked from watched feeds
    url VARCHAR PRIMARY KEY, feed VARCHAR,
    entry VARCHAR,            -- JSON: the feed entry's text and metadata, the fallback when the page fails
    state VARCHAR,            -- 'pending' until it went through the pipeline, then 'done'
    attempts INTEGER DEFAULT 0, first_seen TIMESTAMP, done_at TIMESTAMP, error VARCHAR
);
CREATE TABLE IF NOT EXISTS alert_rules (
    rule_id INTEGER PRIMARY KEY, pair VARCHAR, min_sources INTEGER, quads VARCHAR, statuses VARCHAR,
    goldstein_below DOUBLE, webhook VARCHAR, created TIMESTAMP DEFAULT current_timestamp,
    checked_run INTEGER       -- the runs up to this one are checked against the rule
);
CREATE TABLE IF NOT EXISTS alerts (
    alert_id VARCHAR PRIMARY KEY, rule_id INTEGER, event_id VARCHAR, reason VARCHAR,
    raised TIMESTAMP DEFAULT current_timestamp,
    record VARCHAR,           -- JSON: the alert line (the event's export fields, rule_id, reason)
    mention_keys VARCHAR,     -- JSON list: the event's mentions, so a re-made event is not alerted twice
    delivered BOOLEAN DEFAULT FALSE
);
"""

# Columns added since a schema version: a store made by an older bilat gains them when opened for writing.
MIGRATIONS = [
    "ALTER TABLE event_mentions ADD COLUMN IF NOT EXISTS joint BOOLEAN DEFAULT FALSE",
    "ALTER TABLE events ADD COLUMN IF NOT EXISTS joint BOOLEAN DEFAULT FALSE",
    "ALTER TABLE events ADD COLUMN IF NOT EXISTS n_independent INTEGER",  # version 4
    "ALTER TABLE learned_actors ADD COLUMN IF NOT EXISTS coding_pass INTEGER",
    "ALTER TABLE articles ADD COLUMN IF NOT EXISTS numbers VARCHAR[]",  # version 6, with article_bands
    "ALTER TABLE articles ADD COLUMN IF NOT EXISTS seq INTEGER",  # version 6
]

# A store of a schema version below this was coded by a bilat that did not write everything this one writes (the
# facts, joint acts): its articles are coded again by the next run.
RECODE_BELOW = 3

ARTICLE_COLUMNS = ["article_id", "source", "title", "published", "published_confidence", "outlet", "byline",
                   "dateline", "text", "duplicate_of"]
EVENT_COLUMNS = ["event_id", "date", "source", "source_name", "target", "target_name", "cameo", "event_type",
                 "quad_class", "goldstein", "status", "sector", "location", "quantities", "summary", "mentions",
                 "n_sources", "conflicts", "joint", "n_independent"]

# A mention's consolidation block (consolidate.py merges only within one): its pair, quad class and status
_MENTION_PAIR_SQL = ("least(substr(m.actor1, 1, 3), substr(m.actor2, 1, 3)) || '-' || "
                     "greatest(substr(m.actor1, 1, 3), substr(m.actor2, 1, 3))")

# (article_id, original) for every copy: duplicate_of links followed to the article that copies nothing
def in_period(date: str | None, since: str | None, until: str | None) -> bool:
    """Whether a date (YYYY, YYYY-MM or YYYY-MM-DD) falls in the period from `since` to `until` (the same forms,
    both included) or holds part of it: "2023" is in the period from 2023-03 on, 2023-06-13 in the period until
    2023-06. An undated event is in no period. "~" sorts after the digits and "-": "2023~" is the end of 2023,
    and "2023-06~" ends June. `Store.event_records` filters with the same test in SQL."""
    if not date:
        return not (since or until)
    return (not since or date + "~" >= since) and (not until or date <= until + "~")


_ORIGINALS_SQL = """
    WITH RECURSIVE up(article_id, original, depth) AS (
        SELECT article_id, duplicate_of, 1 FROM articles WHERE duplicate_of IS NOT NULL
        UNION ALL
        SELECT up.article_id, a.duplicate_of, up.depth + 1 FROM up JOIN articles a ON a.article_id = up.original
        WHERE a.duplicate_of IS NOT NULL AND up.depth < 100)
    SELECT article_id, arg_max(original, depth) AS original FROM up GROUP BY article_id"""


def _insert(db: duckdb.DuckDBPyConnection, head: str, rows: list) -> None:
    """`head` ("INSERT INTO t") with the rows, in one statement that unnests one list per column: DuckDB reads a
    Python list in one go, where a multi-row VALUES binds each value on its own (a batch's LSH buckets, 14,000
    rows, went in 13 times faster). For INSERT OR REPLACE / OR IGNORE, rows with the same key (the first column)
    keep the last / the first, as one statement per row would."""
    if not rows:
        return
    if " OR REPLACE " in head:
        rows = list({row[0]: row for row in rows}.values())
    elif " OR IGNORE " in head:
        rows = list({row[0]: row for row in reversed(rows)}.values())[::-1]
    columns = [list(column) for column in zip(*rows)]
    db.execute(f"{head} SELECT {', '.join(['unnest(?)'] * len(columns))}", columns)


# The columns `add_articles` writes, by name: a store upgraded from an older version has its columns in the order
# they were added
_ARTICLE_ROW = ["article_id", "source", "content_hash", "title", "published", "published_confidence", "page_date",
                "outlet", "byline", "dateline", "url", "text", "duplicate_of", "notes", "text_key", "minhash", "coded",
                "run_id", "numbers", "seq"]


# The columns of `event_mentions` in the order of EventMention's fields
_MENTION_FIELDS = [f.name for f in fields(EventMention)]

# The columns of `events` in the order `replace_events` writes and compares them
_EVENT_ROW = ["event_id", "date", "source", "source_name", "target", "target_name", "pair", "cameo", "event_type",
              "quad_class", "goldstein", "status", "sector", "location", "quantities", "summary", "n_sources",
              "conflicts", "joint", "n_independent"]


def _json_list(text: str | None) -> list:
    """A JSON list column as a list; most events have none, and "[]" is not worth the parser (timeline of a
    busy pair: a third of its time went to parsing empty lists)."""
    return json.loads(text) if text and text != "[]" else []


class Store:
    """A bilat store in one DuckDB file. Use as a context manager.

    Example:
        with Store("bilat.duckdb") as store:
            store.add_articles([article])
    """

    def __init__(self, path: str | Path = "bilat.duckdb", *, read_only: bool = False):
        self.path = str(path)
        if read_only and self.path != ":memory:" and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such store; run `bilat run PATH... --db {self.path}` first")
        try:
            self.db = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as err:
            holder = re.search(r"Conflicting lock is held in .*?\(PID (\d+)\)", str(err))
            if holder:  # DuckDB: one process writes a file and none other opens it meanwhile, even to read
                why = ("no other process can open a store while one writes it" if read_only else
                       "a process can write a store only while no other has it open")
                raise StoreError(f"{self.path}: the store is in use by another process (PID {holder.group(1)}); "
                                 f"wait for it to finish: {why}") from None
            raise StoreError(f"{self.path}: cannot open the store: {str(err).splitlines()[0]}") from None
        if not read_only:
            self.db.execute(SCHEMA)
            older = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            for statement in MIGRATIONS:
                self.db.execute(statement)
            if older and int(older[0]) < RECODE_BELOW:  # made by a coder that wrote less than this one does
                self.db.execute("UPDATE articles SET coded = FALSE")
            if older and int(older[0]) < 6:
                self._index_fingerprints()
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])

    @contextmanager
    def memory_capped(self, limit: str) -> Iterator[None]:
        """DuckDB holds at most `limit` ("512MB") while this lasts: what it caches of the file included. Sorts and
        joins larger than that spill to a folder beside the file; some operators (a Parquet export of a million
        events) cannot, so the cap is lifted again after."""
        self.db.execute(f"SET memory_limit = '{limit}'")
        try:
            yield
        finally:
            self.db.execute("RESET memory_limit")

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """The writes of the block in one transaction: all of them are stored, or none."""
        self.db.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- runs -------------------------------------------------------------------------------------------------
    def start_run(self, inputs: list[str]) -> int:
        run_id = self.db.execute("SELECT coalesce(max(run_id), 0) + 1 FROM runs").fetchone()[0]
        self.db.execute("INSERT INTO runs (run_id, inputs) VALUES (?, ?)", [run_id, json.dumps(inputs)])
        return run_id

    def finish_run(self, run_id: int, **counts: int) -> None:
        sets = ", ".join(f"{k} = ?" for k in counts)
        self.db.execute(f"UPDATE runs SET {sets} WHERE run_id = ?", [*counts.values(), run_id])

    # -- articles ---------------------------------------------------------------------------------------------
    def known_article_ids(self, ids: Iterable[str]) -> set[str]:
        ids = list(ids)
        if not ids:
            return set()
        rows = self.db.execute("SELECT article_id FROM articles WHERE list_contains(?, article_id)", [ids])
        return {r[0] for r in rows.fetchall()}

    def add_articles(self, articles: list[Article], fingerprints: dict[str, Fingerprint], run_id: int,
                     first: int = 0) -> None:
        """Store cleaned articles with their fingerprints from the dedupe stage (text key, MinHash signature,
        numbers, and the signature's LSH buckets in `article_bands`); `first` is the place of the first of them
        in the run's reading order (`seq`)."""
        rows, bands = [], []
        for seq, a in enumerate(articles, first):
            fp = fingerprints.get(a.article_id)
            rows.append([a.article_id, a.source, a.content_hash, a.title, a.published, a.published_confidence,
                         a.page_date, a.outlet, a.byline, a.dateline, a.url, a.text, a.duplicate_of,
                         json.dumps(a.notes), fp and fp.text_key, fp and fp.packed, False, run_id,
                         sorted(fp.numbers) if fp else None, seq])
            bands += [(bucket, a.article_id) for bucket in (fp.buckets if fp else ())]
        if rows:
            with self.transaction():
                _insert(self.db, f"INSERT OR IGNORE INTO articles ({', '.join(_ARTICLE_ROW)})", rows)
                if bands:
                    _insert(self.db, "INSERT INTO article_bands", bands)

    def similar_articles(self, text_keys: Iterable[str], asking: Iterable[tuple[Iterable[int], Iterable[str]]]) \
            -> list[tuple[str, str | None, bytes | None, list[str], tuple, list[int]]]:
        """(article_id, text key, signature, numbers, order, which of the asked buckets it is in) of the stored
        articles new ones can copy, read instead of every stored fingerprint: those whose text key is one of
        `text_keys`, and those that share an LSH bucket with a new article of `asking` ((its buckets, its
        numbers) each) and whose numbers agree with that one's (`dedupe.numbers_agree`, here in SQL). A stored
        text in the same words with other figures (the daily report of a template, a story updated with new
        numbers) shares buckets with the new one but cannot be its original, so its signature is not read.
        Oldest first, `order` saying how old: (run, place in the run's reading order, source), so of two stored
        copies the first stored stays the original."""
        asked, askers, asked_numbers = [], [], []
        for k, (its_buckets, numbers) in enumerate(asking):
            its_buckets = list(its_buckets)
            asked += its_buckets
            askers += [k] * len(its_buckets)
            asked_numbers.append(sorted(numbers))
        # joins with the asked lists (hash joins), not a test of every stored row against them; the numbers of
        # each new article are looked up by its place in the list (`asker`). Numbers whose Jaccard is at least
        # `agree` need the shorter list to be at least `agree` times the longer: that test of the sizes comes
        # first (a CASE, which DuckDB evaluates branch by branch, where AND computed both sides), so that a new
        # article with a table of figures is not intersected with every text it shares a bucket with (500 new
        # articles of 200 figures each: 0.06 s instead of 1.2 s).
        rows = self.db.execute(
            "WITH asked AS (SELECT unnest($asked::BIGINT[]) AS bucket, unnest($askers::INTEGER[]) AS asker), "
            "shared AS (SELECT article_id, list(DISTINCT bucket) AS buckets, list(DISTINCT asker) AS askers "
            "FROM article_bands JOIN asked USING (bucket) GROUP BY article_id), "
            "keyed AS (SELECT article_id, true AS same_text FROM articles "
            "WHERE text_key IN (SELECT unnest($keys::VARCHAR[]))), "
            "found AS (SELECT article_id, text_key, minhash, coalesce(numbers, []) AS numbers, "
            "coalesce(run_id, 0) AS run, coalesce(seq, -1) AS seq, source, coalesce(buckets, []) AS buckets, "
            "coalesce(askers, []) AS askers, coalesce(same_text, false) AS same_text "
            "FROM shared FULL JOIN keyed USING (article_id) JOIN articles USING (article_id)) "
            "SELECT article_id, text_key, minhash, numbers, run, seq, source, buckets FROM found "
            "WHERE same_text OR len(numbers) = 0 OR list_bool_or([CASE WHEN $sizes[k + 1] = 0 THEN true "
            "WHEN least(len(numbers), $sizes[k + 1]) < $agree * greatest(len(numbers), $sizes[k + 1]) THEN false "
            "ELSE len(list_intersect(numbers, $numbers[k + 1])) "
            "/ len(list_distinct(list_concat(numbers, $numbers[k + 1]))) >= $agree END FOR k IN askers]) "
            "ORDER BY run, seq, source",
            {"asked": asked, "askers": askers, "keys": list(dict.fromkeys(text_keys)), "agree": NUMBERS_AGREE,
             "numbers": asked_numbers, "sizes": [len(n) for n in asked_numbers]}).fetchall()
        return [(aid, key, packed, numbers, tuple(order), shared) for aid, key, packed, numbers, *order, shared in rows]

    def _index_fingerprints(self) -> None:
        """A store made before version 6 gains its articles' numbers and LSH buckets (once, when opened for
        writing)."""
        with self.transaction():
            self.db.execute("UPDATE articles SET numbers = list_distinct(regexp_extract_all(text, ?)) "
                            "WHERE numbers IS NULL", [NUMBER.pattern])
            self.db.execute("DELETE FROM article_bands")
            last = ""
            while batch := self.db.execute("SELECT article_id, minhash FROM articles WHERE minhash IS NOT NULL "
                                           "AND article_id > ? ORDER BY article_id LIMIT 10000", [last]).fetchall():
                _insert(self.db, "INSERT INTO article_bands",
                        [(bucket, aid) for aid, packed in batch for bucket in buckets(packed)])
                last = batch[-1][0]

    def uncoded_article_ids(self) -> list[str]:
        """The ids of the articles whose events are not written yet, in the order they are coded: the order in
        which the runs read them (articles of an older store, which has no order, by source)."""
        return [r[0] for r in self.db.execute("SELECT article_id FROM articles WHERE NOT coded "
                                              "ORDER BY run_id, seq, source, article_id").fetchall()]

    def articles(self, ids: list[str], uncoded: bool = False) -> list[Article]:
        """These articles, in this order (`uncoded`: those of them not coded yet). The stored rows are joined with
        the asked ids: DuckDB compresses long texts in blocks, and a test of each row with `list_contains` read a
        coding batch of 200 texts of a million characters each in 22 s, the join in 0.45 s (the same for texts of
        news length). Asking for uncoded ones lets DuckDB skip the stored blocks whose articles are all coded (it
        keeps each column's least and greatest value per block of rows): the coding of new articles then does
        not read through a large store's ids (1,000 articles in a store of 100,000: 0.03 s, not 0.15)."""
        cur = self.db.execute(
            "SELECT article_id, source, content_hash, title, text, published, published_confidence, page_date, "
            "outlet, byline, dateline, url, duplicate_of, notes FROM articles "
            f"WHERE {'NOT coded AND ' if uncoded else ''}article_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
        found = {row[0]: Article(*row[:13], notes=json.loads(row[13] or "[]")) for row in cur.fetchall()}
        return [found[i] for i in ids if i in found]

    def uncoded_articles(self) -> list[Article]:
        return self.articles(self.uncoded_article_ids(), uncoded=True)

    def add_mentions(self, article_ids: list[str], mentions: list[EventMention],
                     facts: list[tuple[str | None, Fact]] = (), learned: list[tuple[str, str, str, str, str]] = (),
                     failed: list[Quarantined] = (), run_id: int = 0, coding_pass: int | None = None) -> None:
        """Write what coding these articles gave, in one transaction: their mentions and facts ((pair, fact)) in
        place of any they had, the names they taught (`learned`, in the coding pass `coding_pass`), the articles
        that could not be coded (`failed`, quarantined by `run_id`); and mark them all coded."""
        with self.transaction():
            self.add_learned_actors(learned, coding_pass)
            self.add_quarantine(failed, run_id)
            self.db.execute(f"""INSERT INTO dirty_blocks SELECT DISTINCT {_MENTION_PAIR_SQL}, m.quad_class, m.status
                                FROM event_mentions m WHERE list_contains(?, m.article_id)""", [article_ids])
            self.db.execute("DELETE FROM event_mentions WHERE list_contains(?, article_id)", [article_ids])
            self.db.execute("DELETE FROM facts WHERE list_contains(?, article_id)", [article_ids])
            if facts:
                _insert(
                    self.db, "INSERT OR REPLACE INTO facts",
                    [[f.fact_id, f.article_id, f.source, pair, f.sentence_index, f.sentence, f.published, f.subject,
                      f.attribute, f.value, f.number, f.unit] for pair, f in facts])
            if mentions:
                _insert(
                    self.db, "INSERT OR REPLACE INTO event_mentions",
                    [[m.mention_id, m.article_id, m.source, m.sentence_index, m.sentence, m.published,
                      m.actor1, m.actor1_name, m.actor2, m.actor2_name, m.cameo, m.event_type, m.quad_class,
                      m.goldstein, m.status, m.sector, m.date, m.date_basis, m.location,
                      json.dumps([asdict(q) for q in m.quantities]), m.trigger, m.pattern, m.status_cue, m.date_hint,
                      m.refers_back, m.joint]
                     for m in mentions])
            self.db.execute("UPDATE articles SET coded = TRUE WHERE NOT coded AND list_contains(?, article_id)",
                            [article_ids])  # blocks of coded articles are skipped (`articles`)
            self.db.execute(f"""INSERT INTO dirty_blocks SELECT DISTINCT {_MENTION_PAIR_SQL}, m.quad_class, m.status
                                FROM event_mentions m WHERE list_contains(?, m.article_id)""", [article_ids])

    def mentions(self, dirty_only: bool = False) -> list[EventMention]:
        """Every event mention, or those of the blocks marked dirty, in a stable order."""
        join = (f"JOIN (SELECT DISTINCT * FROM dirty_blocks) d ON d.pair = {_MENTION_PAIR_SQL} "
                "AND d.quad_class = m.quad_class AND d.status = m.status") if dirty_only else ""
        at = _MENTION_FIELDS.index("quantities")
        rows = self.db.execute(f"SELECT {', '.join('m.' + f for f in _MENTION_FIELDS)} FROM event_mentions m {join} "
                               "ORDER BY m.source, m.sentence_index, m.mention_id").fetchall()
        return [EventMention(*row[:at], [Quantity(**q) for q in _json_list(row[at])], *row[at + 1:]) for row in rows]

    def count_events(self, pair: tuple[str, str] | None = None, since: str | None = None, until: str | None = None,
                     *, sector: str | None = None, status: str | None = None, quad: int | None = None,
                     words: Iterable[str] = ()) -> int:
        """How many events `event_records` gives with these filters, without its limit."""
        where, params = self._event_filter(pair=pair, since=since, until=until, sector=sector, status=status,
                                           quad=quad, words=words)
        return self.db.execute(f"SELECT count(*) FROM events {where}", params).fetchone()[0]

    @staticmethod
    def _event_filter(*, pair: tuple[str, str] | None = None, event_ids: Iterable[str] | None = None,
                      since: str | None = None, until: str | None = None, sector: str | None = None,
                      status: str | None = None, quad: int | None = None, words: Iterable[str] = (),
                      conflicted: bool = False) -> tuple[str, list]:
        """The WHERE clause on `events` of `event_records` and `count_events`, and its parameters."""
        conditions, params = [], []
        if pair:
            conditions.append("pair = ?")
            params.append("-".join(sorted(pair)))
        if event_ids is not None:
            conditions.append("list_contains(?, event_id)")
            params.append(list(event_ids))
        if since:  # the test of in_period
            conditions.append("date || '~' >= ?")
            params.append(since)
        if until:
            conditions.append("date <= ? || '~'")
            params.append(until)
        for column, value in (("sector", sector), ("status", status), ("quad_class", quad)):
            if value is not None:
                conditions.append(f"{column} = ?")
                params.append(value)
        for word in words:
            conditions.append("(contains(lower(summary), ?) OR EXISTS (SELECT 1 FROM event_links l "
                              "JOIN event_mentions m USING (mention_id) "
                              "WHERE l.event_id = events.event_id AND contains(lower(m.sentence), ?)))")
            params += [word.lower(), word.lower()]
        if conflicted:
            conditions.append("coalesce(conflicts, '[]') <> '[]'")
        return ("WHERE " + " AND ".join(conditions) if conditions else ""), params

    def fact_records(self, pair: tuple[str, str] | None = None) -> list[dict]:
        """Facts of non-duplicate articles, in text order; `pair` limits them to articles about that pair."""
        where, params = "WHERE a.duplicate_of IS NULL", []
        if pair:
            where += " AND f.pair = ?"
            params.append("-".join(sorted(pair)))
        cur = self.db.execute(f"""
            SELECT f.* EXCLUDE (fact_id), f.fact_id FROM facts f JOIN articles a USING (article_id) {where}
            ORDER BY f.source, f.sentence_index, f.fact_id""", params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    def copy_of(self) -> dict[str, str]:
        """{article_id of a copy: article_id of the original it copies}, following chains of copies to the first
        article (a copy of a copy is a copy of the original)."""
        return dict(self.db.execute(_ORIGINALS_SQL).fetchall())

    def event_sources(self, pair: tuple[str, str]) -> set[str]:
        """The sources of the mentions of a pair's events."""
        return {s for (s,) in self.db.execute(
            "SELECT DISTINCT m.source FROM events e JOIN event_links l USING (event_id) "
            "JOIN event_mentions m USING (mention_id) WHERE e.pair = ?", ["-".join(sorted(pair))]).fetchall()}

    def doubtful_dates(self) -> list[dict]:
        """Articles whose page date the text contradicts or nothing supports: source, page date, reasons."""
        cur = self.db.execute("SELECT source, page_date, notes FROM articles WHERE published_confidence = 'low' "
                              "AND duplicate_of IS NULL ORDER BY source")
        return [{"source": s, "page_date": d, "notes": json.loads(n or "[]")} for s, d, n in cur.fetchall()]

    def events_stale(self) -> bool:
        """Whether mentions were written since the events were last made from them (or events never were)."""
        return self.needs_all_events() or self.db.execute("SELECT count(*) FROM dirty_blocks").fetchone()[0] > 0

    def needs_all_events(self) -> bool:
        """Whether the events must be made from all the mentions: never made by this version of the store."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'events_made'").fetchone()
        return row is None or row[0] != SCHEMA_VERSION

    def replace_events(self, events: list[Event], dirty_only: bool = False) -> None:
        """Write the events made from all mentions in place of all events, or (`dirty_only`) those made from the
        mentions of the dirty blocks in place of those blocks' events; the blocks are clean after. Of the dirty
        blocks, an event stored already with the same fields stays as it is: only the events that changed are
        deleted and written (an event's id names its mentions, so its links are the same too)."""
        rows = {e.event_id: (e.event_id, e.date, e.source, e.source_name, e.target, e.target_name,
                             "-".join(sorted((e.source[:3], e.target[:3]))), e.cameo, e.event_type, e.quad_class,
                             e.goldstein, e.status, e.sector, e.location, json.dumps(e.quantities), e.summary,
                             e.n_sources, json.dumps(e.conflicts), e.joint, e.n_independent) for e in events}
        with self.transaction():
            if dirty_only:
                stored = self.db.execute(
                    f"SELECT {', '.join('e.' + c for c in _EVENT_ROW)} FROM events e "
                    "JOIN (SELECT DISTINCT * FROM dirty_blocks) d "
                    "ON d.pair = e.pair AND d.quad_class = e.quad_class AND d.status = e.status").fetchall()
                gone = [row[0] for row in stored if rows.get(row[0]) != row]
                kept = {row[0] for row in stored} - set(gone)
                self.db.execute("DELETE FROM event_links WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [gone])
                self.db.execute("DELETE FROM events WHERE event_id IN (SELECT unnest(?::VARCHAR[]))", [gone])
                events = [e for e in events if e.event_id not in kept]
            else:
                self.db.execute("DELETE FROM events")
                self.db.execute("DELETE FROM event_links")
            if events:
                _insert(self.db, f"INSERT INTO events ({', '.join(_EVENT_ROW)})", [rows[e.event_id] for e in events])
                _insert(self.db, "INSERT INTO event_links",
                        [[e.event_id, m["mention_id"]] for e in events for m in e.mentions])
            self.db.execute("DELETE FROM dirty_blocks")
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('events_made', ?)", [SCHEMA_VERSION])

    # -- quarantine and learned actors ------------------------------------------------------------------------
    def add_quarantine(self, items: list[Quarantined], run_id: int) -> None:
        if items:
            self.db.executemany("INSERT OR REPLACE INTO quarantine VALUES (?, ?, ?)",
                                [[q.path, q.reason, run_id] for q in items])

    def quarantine(self) -> list[tuple[str, str, int]]:
        return self.db.execute("SELECT path, reason, run_id FROM quarantine ORDER BY run_id, path").fetchall()

    def learned_actors(self, before_pass: int | None = None) -> list[tuple[str, str, str, str]]:
        """(alias, name, country, role) of the people learned in context; `before_pass`: only those learned by the
        coding passes before that one."""
        where, params = "", []
        if before_pass is not None:
            where, params = "WHERE coalesce(coding_pass, 0) < ?", [before_pass]
        return self.db.execute(f"SELECT alias, name, country, role FROM learned_actors {where} ORDER BY alias",
                               params).fetchall()

    def add_learned_actors(self, rows: list[tuple[str, str, str, str, str]], coding_pass: int | None = None) -> None:
        """Rows of (alias, name, country, role, article_id); an alias already known keeps what it had."""
        _insert(self.db, "INSERT OR IGNORE INTO learned_actors", [[*row, coding_pass] for row in rows])

    def begin_coding_pass(self) -> int:
        """The number of the coding pass under way: the one a killed run left open, else a new one. A pass codes
        with the names learned by the passes before it only, so a pass resumed by another run codes the rest of
        its articles as the uninterrupted pass would have (`learned_actors(before_pass=...)`)."""
        row = self.db.execute("SELECT value FROM meta WHERE key = 'coding_pass'").fetchone()
        if row:
            return int(row[0])
        number = self.db.execute("SELECT coalesce(max(coding_pass), 0) + 1 FROM learned_actors").fetchone()[0]
        self.db.execute("INSERT INTO meta VALUES ('coding_pass', ?)", [str(number)])
        return number

    def end_coding_pass(self) -> None:
        """Every article is coded: the next coding pass is a new one."""
        self.db.execute("DELETE FROM meta WHERE key = 'coding_pass'")

    # -- reading for exports and views ------------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        q = {"articles": "SELECT count(*) FROM articles",
             "duplicates": "SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL",
             "event_mentions": "SELECT count(*) FROM event_mentions",
             "events": "SELECT count(*) FROM events",
             "quarantined": "SELECT count(*) FROM quarantine",
             "runs": "SELECT count(*) FROM runs"}
        return {k: self.db.execute(v).fetchone()[0] for k, v in q.items()}

    def article_records(self, ids: Iterable[str] | None = None) -> Iterator[dict]:
        """Articles in the export contract's layout, ordered by source; `ids` limits them to those articles."""
        where, params = ("WHERE list_contains(?, article_id)", [list(ids)]) if ids is not None else ("", [])
        cur = self.db.execute(f"SELECT {', '.join(ARTICLE_COLUMNS)} FROM articles {where} ORDER BY source, article_id",
                              params)
        while batch := cur.fetchmany(1000):
            for row in batch:
                yield dict(zip(ARTICLE_COLUMNS, row))

    def event_records(self, pair: tuple[str, str] | None = None, event_ids: Iterable[str] | None = None,
                      since: str | None = None, until: str | None = None, *, sector: str | None = None,
                      status: str | None = None, quad: int | None = None, words: Iterable[str] = (),
                      conflicted: bool = False, limit: int | None = None, offset: int = 0) -> Iterator[dict]:
        """Events in the export contract's layout, ordered by date (undated last), then id.

        `pair` limits them to one country pair, e.g. ("PAK", "RUS"); `event_ids` to those events (an event's or
        an article's page reads only its own, not the whole pair's); `since` and `until` (YYYY, YYYY-MM or
        YYYY-MM-DD, both included) to the dated events whose date falls in that period or holds part of it: an
        event of "2023" is in the period from 2023-03 on, one of 2023-06-13 in the period until 2023-06 (the
        same test as `in_period`); `sector`, `status` and `quad` (class 1-4) to those values; `words` to the
        events whose summary or one of whose sentences holds each word (any case); `conflicted` to those whose
        sources disagree on a field. `limit` and `offset` give one
        page of them, in that order: the explorer's list of a busy pair reads only the page it shows
        (`count_events` tells how many there are).
        """
        where, params = self._event_filter(pair=pair, event_ids=event_ids, since=since, until=until, sector=sector,
                                           status=status, quad=quad, words=words, conflicted=conflicted)
        page = f"ORDER BY date NULLS LAST, event_id LIMIT {int(limit)} OFFSET {int(offset)}" if limit is not None \
            else ""
        # the events first, then their mentions grouped by event id alone: grouping the joined rows by every
        # event column costs several times more on a large store (bench/queries.py)
        cur = self.db.execute(f"""
            WITH e AS (SELECT * FROM events {where} {page}),
                 mm AS (SELECT l.event_id,
                               to_json(list({{'article_id': m.article_id, 'source': m.source,
                                              'sentence': m.sentence, 'published': m.published,
                                              'copy_of': r.original}}
                                            ORDER BY m.source, m.sentence_index)) AS mentions
                        FROM event_links l JOIN event_mentions m USING (mention_id)
                             LEFT JOIN ({_ORIGINALS_SQL}) r USING (article_id)
                        WHERE l.event_id IN (SELECT event_id FROM e)
                        GROUP BY l.event_id)
            SELECT e.event_id, e.date, e.source, e.source_name, e.target, e.target_name, e.cameo, e.event_type,
                   e.quad_class, e.goldstein, e.status, e.sector, e.location, e.quantities, e.summary,
                   mm.mentions, e.n_sources, e.conflicts, coalesce(e.joint, FALSE),
                   coalesce(e.n_independent, e.n_sources)
            FROM e JOIN mm USING (event_id)
            ORDER BY e.date NULLS LAST, e.event_id""", params)
        while batch := cur.fetchmany(1000):
            for row in batch:
                rec = dict(zip(EVENT_COLUMNS, row))
                rec["quantities"] = _json_list(rec["quantities"])
                rec["conflicts"] = _json_list(rec["conflicts"])
                rec["mentions"] = json.loads(rec["mentions"])  # JSON text: faster to bring over than structs
                yield rec
