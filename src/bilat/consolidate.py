"""Merge event mentions that report the same real-world event into one `Event`.

Two mentions are one event when they name the same country pair (in the same direction, for an act of
conflict), the same CAMEO event (3-digit code), the same status, and compatible dates: equal, or one more
precise than the other and agreeing with it ("2021-04" and "2021-04-06"); a date that is only the report's
publication day agrees with an event dated by the text up to a week before it. Mentions without a date merge
only with each other. A use of force or a protest at one town (or region) and one at another are two events,
though of one day. Mentions are grouped by (pair, code, status) first, and compared only within one year
(blocking), so the work grows with the number of mentions, not with its square (bench/consolidate.py measures
it).

An event's date is the most precise of its mentions' dates that come from the text (a date taken from a
report's publication day yields to one the text states); its doer and target are those most mentions give;
its `n_sources` counts distinct articles, and `n_independent` counts them again with the copies of one article
(a wire story printed by several outlets, found by dedupe.py) counted once; each mention says which article it is
a copy of (`copy_of`). Where mentions disagree (the place, a date that came only from
publication days), the event keeps every value with its source in `conflicts` instead of picking silently.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Mapping
from functools import cache

from .events import patterns
from .model import Event, EventMention
from .places import place_of


REPORT_WINDOW_DAYS = 7  # a report dated by its publication day may speak of an event this much earlier


def _same_at_precision(a: str, b: str) -> bool:
    """"2021-04" and "2021-04-06" agree; "2021-04" and "2021-05" do not."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _compatible(cluster_date: str | None, m: EventMention) -> bool:
    """Whether a mention's date agrees with a cluster's: equal or one more precise than the other; a date that
    is only the report's publication day agrees with any event up to REPORT_WINDOW_DAYS before it."""
    a, b = cluster_date, m.date
    if a is None or b is None:
        return a is None and b is None
    if _same_at_precision(a, b):
        return True
    if m.date_basis == "published" and len(a) == 10 and len(b) == 10:
        gap = (dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days
        return 0 <= gap <= REPORT_WINDOW_DAYS
    return False


@cache
def _joint_patterns() -> frozenset[str]:
    """The ids of the event patterns of joint acts (`reciprocal` in data/event_patterns.tsv)."""
    return frozenset(p.id for p in patterns() if p.reciprocal)


def _group_key(m: EventMention) -> tuple:
    """An act of conflict (quad classes 3 and 4) has a direction: "India accuses Pakistan" and "Pakistan accuses
    India" on one day are two events, and so are the shelling each side reports from the other. A joint act (a
    meeting, an agreement) is one whichever side a report names first, and so is an act of cooperation, whose
    reports often tell the two sides the other way round ("Russia supplies", "Pakistan receives")."""
    joint = m.quad_class in (1, 2) or m.joint or (m.pattern or "").split(" (")[0] in _joint_patterns()
    return (m.country_pair if joint else (m.actor1[:3], m.actor2[:3]), m.cameo[:3], m.status)


def consolidate(mentions: list[EventMention], copy_of: Mapping[str, str] | None = None) -> list[Event]:
    """Events from mentions; deterministic for a given set of mentions (order does not matter).

    `copy_of` maps the article_id of a copy (an exact or near duplicate) to the original it copies."""
    copy_of = copy_of or {}
    groups: dict[tuple, list[EventMention]] = defaultdict(list)
    for m in sorted(mentions, key=lambda m: (m.source, m.sentence_index, m.mention_id)):
        groups[_group_key(m)].append(m)
    all_clusters: list[list[EventMention]] = []
    for key in sorted(groups, key=str):
        clusters: list[list[EventMention]] = []
        by_year: dict[str | None, list[int]] = defaultdict(list)  # blocks: only dates of one year can agree
        # most precise dates first, so a vaguer date joins the precise cluster it agrees with
        for m in sorted(groups[key], key=lambda m: (m.date_basis != "text", -(len(m.date) if m.date else 0),
                                                    m.date or "", m.source, m.sentence_index)):
            years = [m.date[:4] if m.date else None]
            if m.date and m.date_basis == "published" and m.date[:4].isdigit():  # a report of 2 January
                years.append(f"{int(m.date[:4]) - 1:04d}")  # may tell of 30 December
            for k in sorted(k for y in years for k in by_year[y]):
                cluster = clusters[k]
                if _compatible(_cluster_date(cluster), m) and not _same_sentence(cluster, m) \
                        and not _elsewhere(cluster, m):
                    cluster.append(m)
                    break
            else:
                by_year[years[0]].append(len(clusters))
                clusters.append([m])
        all_clusters += _attach_undated(clusters)
    events = [_event(c, copy_of) for c in _merge_same_object(all_clusters)]
    return sorted(events, key=lambda e: (e.date or "9999", e.event_id))


def _same_sentence(cluster: list[EventMention], m: EventMention) -> bool:
    """Whether the cluster already holds another act of m's sentence: the coder found two acts there ("the
    sale of helicopters, as well as the purchase of engines"), so they are two events."""
    return any(x.article_id == m.article_id and x.sentence_index == m.sentence_index and x.trigger != m.trigger
               for x in cluster)


def _elsewhere(cluster: list[EventMention], m: EventMention) -> bool:
    """Whether a use of force (quad class 4) or a protest (14) happened at another place than the cluster's: two
    towns, or two regions, of different names ("shelling in Kupwara" and "shelling in Uri" on one day are two
    events, and so are protests in Lahore and in Karachi). A town and a region may be one inside the other, and
    an unknown place may be either: they do not part events."""
    if (m.quad_class != 4 and m.cameo[:2] != "14") or not m.location:
        return False
    here = place_of(m.location)
    if here is None:
        return False
    there = {place_of(x.location) for x in cluster if x.location}
    return any(p is not None and p[0] == here[0] for p in there) and here not in there


def _counted_things(cluster: list[EventMention]) -> set[tuple[float, str]]:
    """The counted objects a cluster's mentions name: {(4.0, "helicopter")}."""
    return {(q.value, q.unit) for m in cluster for q in m.quantities
            if q.value is not None and q.unit and q.unit.isalpha() and q.unit.islower() and q.unit not in _NOT_THINGS}


_NOT_THINGS = {"percent", "km", "mile", "tonne", "barrel", "year", "day", "month", "week"}


def _merge_same_object(clusters: list[list[EventMention]]) -> list[list[EventMention]]:
    """Reports that tell one act in different words ("the sale of four attack helicopters", "Russia gave Pakistan
    4 helicopters") are one event: same pair, same kind of act (quad class), same status, compatible dates, and the
    same counted object. The event keeps each wording in `conflicts` (field `event_type`)."""
    out: list[list[EventMention]] = []
    # blocks: only clusters of one pair, kind of act and status that count objects can merge
    block: dict[tuple, list[list[EventMention]]] = defaultdict(list)
    for cluster in clusters:
        first = cluster[0]
        things = _counted_things(cluster)
        home = None
        key = (_group_key(first)[0], first.quad_class, first.status)
        if things:
            for other in block[key]:
                if (other[0].cameo[:3] != first.cameo[:3]
                        and _dates_agree(_cluster_date(other), _cluster_date(cluster))
                        and things & _counted_things(other)):
                    home = other
                    break
        if home is None:
            out.append(list(cluster))
            if things:
                block[key].append(out[-1])
        else:
            home.extend(cluster)
    return out


def _dates_agree(a: str | None, b: str | None) -> bool:
    """Dates that do not tell two reports apart: either is unknown, or they agree at the coarser precision."""
    return a is None or b is None or _same_at_precision(a, b)


def _attach_undated(clusters: list[list[EventMention]]) -> list[list[EventMention]]:
    """An undated mention joins the event of the same kind that its own article reports as news: dated by the
    text within REPORT_WINDOW_DAYS before the article's publication, and the only such event of the article
    ("arrived on Tuesday ... during the visit ..."). A historical event (an agreement of 2015 in a 2021 story)
    takes no undated mentions: "signed an amendment agreement" may be another signing. A mention whose text names
    only a month ("In April", in a story with no trusted date) joins the one event of its kind dated in that month.
    A definite event noun ("during the visit") joins the one event of its kind its article tells with a date.
    An activity going on since a
    date ("joint exercises since 2016") takes the undated mentions of the same act, when it is the only one."""
    dated = [c for c in clusters if _cluster_date(c) is not None]
    out = list(dated)
    if len(dated) == len(clusters):
        return out
    # look-ups instead of a scan of every dated cluster for each undated mention: the dated clusters' dates (an
    # undated mention joining one leaves its date as it was), by month, and by the articles they hold (which
    # grow as undated mentions join)
    dates = [_cluster_date(c) or "" for c in dated]
    by_month: dict[str, list[int]] = defaultdict(list)
    by_article: dict[str, set[int]] = defaultdict(set)
    for k, c in enumerate(dated):
        by_month[dates[k][4:7]].append(k)
        for x in c:
            by_article[x.article_id].add(k)

    def join(k: int, m: EventMention) -> None:
        dated[k].append(m)
        by_article[m.article_id].add(k)

    for cluster in clusters:
        if _cluster_date(cluster) is not None:
            continue
        rest = []
        for m in cluster:
            homes = [k for k in by_article.get(m.article_id, ()) if _is_news(dates[k], m.published)]
            if not homes and m.date_hint:  # "In April" in an undated story: the April event another source dates
                homes = by_month.get(m.date_hint[1:], [])
            if len(homes) == 1:
                join(homes[0], m)
            else:
                rest.append(m)
        for m in [m for m in rest if m.refers_back]:  # "during the visit": the visit the article told before
            homes = list(by_article.get(m.article_id, ()))
            if len(homes) == 1:
                join(homes[0], m)
                rest.remove(m)
        ongoing = [k for k, c in enumerate(dated) if any(x.date_basis == "since" for x in c)]
        if rest and len(ongoing) == 1 and rest[0].status == "occurred":
            for m in rest:  # "joint drills" told without a date: the exercises held since 2016
                join(ongoing[0], m)
        elif rest:
            out.append(rest)
    return out


def _is_news(date: str, published: str | None) -> bool:
    """Whether an event of this date is news in a report published then: up to REPORT_WINDOW_DAYS before."""
    if not published or len(date) < 10:
        return False
    gap = (dt.date.fromisoformat(published[:10]) - dt.date.fromisoformat(date)).days
    return 0 <= gap <= REPORT_WINDOW_DAYS


def _cluster_date(cluster: list[EventMention]) -> str | None:
    """The first most precise of the dates the text gives, else of the others (publication days)."""
    told = other = None
    for m in cluster:
        if not m.date:
            continue
        if m.date_basis in ("text", "since"):
            if told is None or len(m.date) > len(told):
                told = m.date
        elif other is None or len(m.date) > len(other):
            other = m.date
    return told or other


def _majority(values: list) -> object:
    """The most frequent value, the first of them on a tie (as Counter.most_common, without its cost for the
    one or two values most events have)."""
    if len(values) <= 2:
        return values[0] if values else None
    counts: dict = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return max(counts, key=counts.__getitem__)


def _event(cluster: list[EventMention], copy_of: Mapping[str, str]) -> Event:
    first = cluster[0]
    ids = sorted(m.mention_id for m in cluster)
    event_id = hashlib.sha256("|".join(ids).encode()).hexdigest()[:16]
    source = _majority([m.actor1 for m in cluster])
    target = _majority([m.actor2 for m in cluster if m.actor1 == source] or [m.actor2 for m in cluster])
    source_name = _majority([m.actor1_name for m in cluster if m.actor1 == source])
    target_name = _majority([m.actor2_name for m in cluster if m.actor2 == target])
    conflicts = []
    locations = {}
    for m in cluster:
        if m.location:
            locations.setdefault(m.location, m.source)
    if len(locations) > 1:
        conflicts.append({"field": "location", "values": [{"value": v, "source": s} for v, s in locations.items()]})
    kinds: dict[str, str] = {}
    for m in cluster:
        kinds.setdefault(f"{m.cameo} {m.event_type}", m.source)
    if len(kinds) > 1:
        conflicts.append({"field": "event_type", "values": [{"value": v, "source": s} for v, s in kinds.items()]})
    quantities, seen_q = [], set()
    for m in cluster:
        for q in m.quantities:
            if q.text not in seen_q:
                seen_q.add(q.text)
                quantities.append({"text": q.text, "value": q.value, "unit": q.unit})
    date = _cluster_date(cluster)
    sector = _majority([m.sector for m in cluster])
    location = next((m.location for m in cluster if m.location), None)
    summary = f"{source_name or source} -> {target_name or target}: {first.event_type.lower()}"
    if first.status != "occurred":
        summary += f" ({first.status})"
    mentions = [{"mention_id": m.mention_id, "article_id": m.article_id, "source": m.source,
                 "sentence": m.sentence, "published": m.published, "copy_of": copy_of.get(m.article_id)}
                for m in sorted(cluster, key=lambda m: (m.source, m.sentence_index))]
    return Event(event_id=event_id, date=date, source=source, source_name=source_name, target=target,
                 target_name=target_name, cameo=first.cameo, event_type=first.event_type,
                 quad_class=first.quad_class, goldstein=first.goldstein, status=first.status, sector=sector,
                 location=location, quantities=quantities, summary=summary, mentions=mentions,
                 n_sources=len({m.article_id for m in cluster}), conflicts=conflicts,
                 joint=any(m.joint for m in cluster),
                 n_independent=len({copy_of.get(m.article_id, m.article_id) for m in cluster}))
