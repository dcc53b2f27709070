"""The plain data that passes between bilat's stages.

    paths -> Document (ingest) -> Article (clean) -> AnnotatedArticle (annotate)
          -> EventMention (events) -> Event (consolidate) -> store

Every class here is a dataclass of strings, numbers, lists and dicts, so that it pickles (worker processes,
Dask) and maps one to one onto the store's tables and the export contract (CONTRACT.md).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

# Status of an event as the text reports it (CONTRACT.md, events.status).
OCCURRED, PLANNED, POSSIBLE, NEGATED = "occurred", "planned", "possible", "negated"
STATUSES = (OCCURRED, PLANNED, POSSIBLE, NEGATED)

HIGH, LOW = "high", "low"


@dataclass
class Document:
    """One input item, before cleaning.

    `source` is the contract's `source`: a path relative to the folder that was ingested, a URL, or `FILE#ID`
    for a record of a JSON Lines, CSV or feed file. `content` is decoded text (HTML stays HTML; `media_type`
    says which). `metadata` carries what the container already knew: `title`, `date`, `url`, `outlet`,
    `byline` (records, feeds, WARC headers). `content_hash` is the SHA-256 of the item's raw bytes.
    """

    source: str
    content: str
    media_type: str  # "text/plain" or "text/html"
    content_hash: str
    path: str = ""  # the file on disk it came from
    metadata: dict[str, str] = field(default_factory=dict)
    encoding: str = "utf-8"


@dataclass
class Quarantined:
    """An input that could not be used, and why (one line, naming the file).

    The reason is made one line whatever a library's message held: runs of white space and control characters
    (warcio quotes the bad header line, NUL bytes included) become one space, and it is cut at `REASON_CHARS`.
    """

    path: str
    reason: str

    def __post_init__(self) -> None:
        reason = " ".join(_UNPRINTABLE.sub(" ", self.reason).split())
        self.reason = reason if len(reason) <= REASON_CHARS else reason[:REASON_CHARS - 1] + "\u2026"


REASON_CHARS = 200
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ufffd]")


@dataclass
class Article:
    """A cleaned article: the body without page furniture, and what the page says about itself."""

    article_id: str
    source: str
    content_hash: str
    title: str | None
    text: str
    published: str | None = None  # YYYY-MM-DD
    published_confidence: str | None = None  # "high" | "low" | None
    page_date: str | None = None  # a date the page shows, whether or not it is trusted
    outlet: str | None = None
    byline: str | None = None
    dateline: str | None = None
    url: str | None = None
    duplicate_of: str | None = None
    notes: list[str] = field(default_factory=list)  # why a field was set as it was (e.g. a contradicted date)


@dataclass
class Token:
    """One spaCy token, as plain data. `head` is the sentence-relative index of the syntactic head."""

    i: int
    text: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int
    idx: int  # character offset in the sentence
    ent: str = ""  # entity label ("GPE", "PERSON", ...) or ""
    ws: str = " "


@dataclass
class ActorMention:
    """A span of a sentence resolved to an actor code (`RUSGOV`: ISO alpha-3 country + CAMEO role)."""

    start: int  # first token index (sentence-relative)
    end: int  # one past the last token
    text: str
    country: str | None  # ISO alpha-3, or None for an international organisation
    role: str = ""  # GOV, MIL, BUS, MED, ... or ""
    name: str | None = None  # the most specific known name ("Sergey Lavrov", "Russia")
    code: str = ""  # the actor code as exported: country + role, or an organisation's CAMEO code
    kind: str = "country"  # country | person | organisation | capital | group


@dataclass
class TimeExpression:
    """A time expression of a sentence, normalised against the article's publication date.

    `value` is `YYYY-MM-DD`, `YYYY-MM`, `YYYY` or None (no anchor); `kind` is `date`, `since`, `duration`
    or `set` (a recurring time such as "every year").
    """

    start: int  # character offsets in the sentence
    end: int
    text: str
    value: str | None
    kind: str = "date"


@dataclass
class Quantity:
    text: str
    value: float | None
    unit: str | None


@dataclass
class Sentence:
    index: int  # 0 is the title when the article has one
    text: str
    tokens: list[Token] = field(default_factory=list)
    actors: list[ActorMention] = field(default_factory=list)
    times: list[TimeExpression] = field(default_factory=list)
    is_title: bool = False
    parsed: bool = True  # False: left unparsed by the sentence filter (prefilter.py); plain tokens, no events
    # set while the entity recogniser is put off on a parsed sentence whose labels only an event's place reads
    # (prefilter.py `entities_read`); the event coder calls it when the sentence gives an event: it labels the
    # tokens and resolves the actors again
    label_entities: Callable[[], None] | None = field(default=None, repr=False, compare=False)


@dataclass
class AnnotatedArticle:
    article: Article
    sentences: list[Sentence]
    focus: tuple[str, ...] = ()  # the country pair the article is mostly about, e.g. ("PAK", "RUS")
    # len(ActorResolver.changes) of the annotator's resolver before the actors were resolved: what was learned
    # since is what `Annotator.refresh` looks for; None: resolve every sentence again
    lexicon_mark: int | None = field(default=None, repr=False, compare=False)


@dataclass
class EventMention:
    """One sentence's report of an event."""

    mention_id: str
    article_id: str
    source: str  # the article's source (CONTRACT.md)
    sentence: str
    sentence_index: int
    published: str | None
    actor1: str  # actor code of the doer
    actor1_name: str | None
    actor2: str
    actor2_name: str | None
    cameo: str
    event_type: str
    quad_class: int
    goldstein: float
    status: str
    sector: str
    date: str | None
    # "text": a time expression of the sentence; "since": the start of an activity still going on ("since 2016");
    # "published": the report's date; "none"
    date_basis: str = "text"
    location: str | None = None
    quantities: list[Quantity] = field(default_factory=list)
    trigger: str = ""  # the words that fired the pattern
    pattern: str = ""  # the pattern's id in data/event_patterns.tsv
    status_cue: str = ""  # the words that set the status
    date_hint: str | None = None  # "--04": the text names a month but nothing gives its year ("In April")
    refers_back: bool = False  # a definite event noun ("the visit", "the agreement"): an event told before
    joint: bool = False  # an act the two did together ("Russia and Pakistan signed"): each is doer and target

    @property
    def country_pair(self) -> tuple[str, str]:
        return tuple(sorted((self.actor1[:3], self.actor2[:3])))  # type: ignore[return-value]


@dataclass
class Event:
    """A consolidated event: every mention of one real-world event (CONTRACT.md, events)."""

    event_id: str
    date: str | None
    source: str
    source_name: str | None
    target: str
    target_name: str | None
    cameo: str
    event_type: str
    quad_class: int
    goldstein: float
    status: str
    sector: str
    location: str | None
    quantities: list[dict]
    summary: str
    mentions: list[dict]
    n_sources: int
    conflicts: list[dict] = field(default_factory=list)
    joint: bool = False  # an act both did together; `source` and `target` are then an arbitrary order
    n_independent: int = 0  # distinct articles, the copies of one article (one wire story) counted once
