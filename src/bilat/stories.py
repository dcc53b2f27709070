"""Stories: the articles that tell one story, and how each of them told it.

Two articles belong to one story when

- one is a copy of the other: the same text or nearly (dedupe.py), as when outlets print one wire story; or
- both lead with the same event and speak of the same things: a consolidated event with a date that each tells
  in its title or its first LEAD_SENTENCES sentences, the two published within STORY_WINDOW_DAYS of each other,
  and their leads alike (cosine of TF-IDF word vectors of the title and the first LEAD_CHARS characters, with
  document frequencies over the store's leads, at least LEAD_SIMILARITY). The event alone is not enough: the
  event coder gives a day's vague acts ("the United States consulted investors") one record across unrelated
  reports; the word test alone would join reports of different acts on one subject.

Stories are the connected groups of these links, so a story that develops over days (a visit announced, held,
then commented on) stays one story as long as each report leads with an event another report led with. An event
only mentioned further down (the background paragraph that recalls last year's agreement) links nothing, nor
does an undated event, nor an article without a publication date (except through its copies).

A story's id is the article_id of its first report (earliest published, then smallest id), so it stays put while
later reports join it.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict

from .store import Store

LEAD_SENTENCES = 3  # the title is sentence 0: the title and the first three sentences of the body
STORY_WINDOW_DAYS = 7  # reports of one story leading with one event are at most this far apart
LEAD_CHARS = 800  # the lead compared for likeness: the title and about the first three sentences
LEAD_SIMILARITY = 0.2  # on Reuters 1987 reports of one story score 0.23-1.0, unrelated ones sharing a vague
                       # event 0.03-0.12 (bench/stories.py prints the pairs)
_WORD = re.compile(r"[^\W\d_]{3,}")


class _Groups:
    """Union-find over article ids."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while self.parent.get(x, x) != root:  # shorten the path for the next look-up
            self.parent[x], x = root, self.parent[x]
        return root

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class _Leads:
    """TF-IDF vectors of the leads of some articles, with document frequencies over every lead of the store."""

    def __init__(self, store: Store, wanted: set[str]) -> None:
        df: Counter[str] = Counter()
        n = 0
        counts: dict[str, Counter[str]] = {}
        cur = store.db.execute("SELECT article_id, coalesce(title, '') || ' ' || substr(text, 1, ?) FROM articles",
                               [LEAD_CHARS])
        while batch := cur.fetchmany(2000):
            for article_id, lead in batch:
                words = Counter(_WORD.findall(lead.lower()))
                df.update(words.keys())
                n += 1
                if article_id in wanted:
                    counts[article_id] = words
        self.vectors = {}
        for article_id, words in counts.items():
            v = {w: (1 + math.log(c)) * (1 + math.log((n + 1) / (df[w] + 1))) for w, c in words.items()}
            norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
            self.vectors[article_id] = {w: x / norm for w, x in v.items()}

    def cosine(self, a: str, b: str) -> float:
        va, vb = self.vectors.get(a, {}), self.vectors.get(b, {})
        if len(va) > len(vb):
            va, vb = vb, va
        return sum(x * vb.get(w, 0.0) for w, x in va.items())


def _day(published: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(published[:10]) if published else None
    except ValueError:
        return None


def stories(store: Store, pair: tuple[str, str] | None = None, min_articles: int = 1) -> list[dict]:
    """The stories of the store, or those reporting an event of one pair, in order of first publication:
    [{"story_id", "title", "first_published", "last_published", "n_articles", "n_independent", "outlets",
      "articles": [{"article_id", "source", "title", "outlet", "published", "copy_of", "events"}],
      "events": [{"event_id", "date", "summary", "status", "told_by"}]}].

    `articles[].events` counts the story's events the article tells; `events[].told_by` lists the story's
    articles that tell it (anywhere in their text), so a user sees how each report covered the story."""
    articles = {r[0]: {"article_id": r[0], "source": r[1], "title": r[2], "outlet": r[3], "published": r[4],
                       "copy_of": r[5]}
                for r in store.db.execute("SELECT article_id, source, title, outlet, published, duplicate_of "
                                          "FROM articles").fetchall()}
    groups = _Groups()
    for a in articles.values():
        if a["copy_of"] in articles:
            groups.join(a["article_id"], a["copy_of"])
    events = {r[0]: {"event_id": r[0], "date": r[1], "summary": r[2], "status": r[3], "pair": r[4]}
              for r in store.db.execute("SELECT event_id, date, summary, status, pair FROM events").fetchall()}
    told: dict[str, dict[str, int]] = defaultdict(dict)  # event -> {article: first sentence telling it}
    for event_id, article_id, first in store.db.execute(
            "SELECT l.event_id, m.article_id, min(m.sentence_index) FROM event_links l "
            "JOIN event_mentions m USING (mention_id) GROUP BY ALL").fetchall():
        if article_id in articles:
            told[event_id][article_id] = first
    candidates = []
    for event_id, tellers in told.items():
        if not events.get(event_id, {}).get("date"):
            continue
        leads = sorted((day, a) for a, first in tellers.items()
                       if first <= LEAD_SENTENCES and (day := _day(articles[a]["published"])) is not None)
        for i, (day1, a1) in enumerate(leads):
            for day2, a2 in leads[i + 1:]:
                if (day2 - day1).days > STORY_WINDOW_DAYS:
                    break
                candidates.append((a1, a2))
    if candidates:
        likeness = _Leads(store, {a for pair in candidates for a in pair})
        for a1, a2 in candidates:
            if groups.find(a1) != groups.find(a2) and likeness.cosine(a1, a2) >= LEAD_SIMILARITY:
                groups.join(a1, a2)
    members: dict[str, list[str]] = defaultdict(list)
    for a in articles:
        members[groups.find(a)].append(a)
    by_article: dict[str, list[str]] = defaultdict(list)
    for event_id, tellers in told.items():
        for a in tellers:
            by_article[a].append(event_id)
    wanted = "-".join(sorted(pair)) if pair else None
    out = []
    for ids in members.values():
        if len(ids) < min_articles:
            continue
        story_events = sorted({e for a in ids for e in by_article[a]
                               if (wanted is None or events[e]["pair"] == wanted)
                               and (len(ids) == 1 or told[e][a] <= LEAD_SENTENCES or _shared(ids, told[e]))},
                              key=lambda e: (events[e]["date"] or "9999", e))
        if wanted and not story_events:
            continue
        out.append(_story(ids, articles, events, told, story_events))
    return sorted(out, key=lambda s: (s["first_published"] or "9999", s["story_id"]))


def _shared(ids: list[str], tellers: dict[str, int]) -> bool:
    """Whether more than one of the story's articles tells an event: it belongs to the story even when no
    report leads with it."""
    return sum(a in tellers for a in ids) > 1


def _story(ids: list[str], articles: dict, events: dict, told: dict, story_events: list[str]) -> dict:
    reports = sorted((articles[a] for a in ids), key=lambda a: (a["published"] or "9999", a["article_id"]))
    members = set(ids)
    first = next((a for a in reports if not a["copy_of"]), reports[0])
    days = [a["published"] for a in reports if a["published"]]
    return {
        "story_id": first["article_id"],
        "title": first["title"],
        "first_published": min(days) if days else None,
        "last_published": max(days) if days else None,
        "n_articles": len(reports),
        "n_independent": sum(1 for a in reports if not a["copy_of"]),  # a copy is in its original's story
        "outlets": sorted({a["outlet"] for a in reports if a["outlet"]}),
        "articles": [{**a, "events": sum(1 for e in story_events if a["article_id"] in told[e])} for a in reports],
        "events": [{k: events[e][k] for k in ("event_id", "date", "summary", "status")} |
                   {"told_by": sorted(a for a in told[e] if a in members)} for e in story_events],
    }
