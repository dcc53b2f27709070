"""Alerts: watch rules over the consolidated events, and the alerts they raise.

    add_rule(store, Rule(pair="PAK-RUS", quads=(3, 4))) -> rule id
    raise_alerts(store) -> the new alert records, kept in the store until `deliver` writes and posts them

A rule names a country pair and, optionally, a least number of independent sources (`n_independent`: the copies
of one wire story count once), quad classes, statuses and a Goldstein ceiling. After each poll of `bilat watch`,
every event that articles stored since the rule was last checked took part in is matched against it:

- **new**: all the event's mentions come from those articles;
- **now corroborated**: it had mentions before, and those gave fewer independent sources than the rule's threshold
  (two, or `min_sources` if higher), while the event now has that many.

Events are made again whenever their blocks change (consolidate.py), and an event's id changes with its mentions.
An alert is therefore remembered with the event's mentions: a (rule, reason) never fires again for an event that
shares a mention with one it fired for. A poll killed before its alerts were raised loses none: a rule is checked
against every run after its `checked_run`.

Delivery is at least once: an alert is written to the alerts file (JSON Lines) and POSTed to the rule's webhook,
then marked delivered; a process killed in between writes that line again on the next poll.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import BilatError, UsageError
from .knowledge import resolve_country
from .model import STATUSES
from .store import Store

NEW, CORROBORATED = "new", "now corroborated"


@dataclass
class Rule:
    """What events to alert on. `pair` is two country codes, sorted, joined by '-' ('PAK-RUS')."""

    pair: str
    min_sources: int = 1
    quads: tuple[int, ...] = ()  # empty: every quad class
    statuses: tuple[str, ...] = ()  # empty: every status
    goldstein_below: float | None = None
    webhook: str | None = None
    rule_id: int | None = None

    def describe(self) -> str:
        parts = [self.pair]
        if self.min_sources > 1:
            parts.append(f"sources >= {self.min_sources}")
        if self.quads:
            parts.append("quad " + ",".join(map(str, self.quads)))
        if self.statuses:
            parts.append("status " + ",".join(self.statuses))
        if self.goldstein_below is not None:
            parts.append(f"goldstein < {self.goldstein_below:g}")
        if self.webhook:
            parts.append(f"webhook {self.webhook}")
        return ", ".join(parts)


def parse_pair(text: str) -> str:
    """'Russia-Pakistan', 'RUS-PAK', 'Russia,Pakistan' or 'Russia:Pakistan' -> 'PAK-RUS'. A hyphen inside a
    country's name ('Guinea-Bissau-Senegal') is tried at each place.

    Raises UsageError when no split gives two known countries.
    """
    for separator in (",", ":", "-"):
        pieces = text.split(separator)
        for cut in range(1, len(pieces)):
            a, b = (resolve_country(separator.join(p).strip()) for p in (pieces[:cut], pieces[cut:]))
            if a and b:
                return "-".join(sorted((a, b)))
    raise UsageError(f"pair {text!r}: give two countries as A-B, e.g. Russia-Pakistan or RUS-PAK")


def parse_quads(text: str | None) -> tuple[int, ...]:
    """'3,4' -> (3, 4). Raises UsageError on anything but quad classes 1 to 4."""
    if not text:
        return ()
    try:
        quads = tuple(sorted({int(q) for q in text.split(",") if q.strip()}))
    except ValueError:
        quads = (0,)
    if not quads or any(q not in (1, 2, 3, 4) for q in quads):
        raise UsageError(f"--quad {text!r}: give quad classes 1 to 4, e.g. 3,4")
    return quads


def parse_statuses(text: str | None) -> tuple[str, ...]:
    """'occurred,planned' -> ('occurred', 'planned'). Raises UsageError on an unknown status."""
    if not text:
        return ()
    statuses = tuple(s.strip().lower() for s in text.split(",") if s.strip())
    unknown = [s for s in statuses if s not in STATUSES]
    if unknown or not statuses:
        raise UsageError(f"--status {text!r}: use {', '.join(STATUSES)}")
    return statuses


# --- rules in the store ------------------------------------------------------------------------------------


def add_rule(store: Store, rule: Rule) -> int:
    """Store `rule`; it looks at the runs that come after this moment. Returns its id."""
    rule_id = store.db.execute("SELECT coalesce(max(rule_id), 0) + 1 FROM alert_rules").fetchone()[0]
    last_run = store.db.execute("SELECT coalesce(max(run_id), 0) FROM runs").fetchone()[0]
    store.db.execute("INSERT INTO alert_rules (rule_id, pair, min_sources, quads, statuses, goldstein_below, "
                     "webhook, checked_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     [rule_id, rule.pair, rule.min_sources, json.dumps(list(rule.quads)),
                      json.dumps(list(rule.statuses)), rule.goldstein_below, rule.webhook, last_run])
    return rule_id


def remove_rule(store: Store, rule_id: int) -> None:
    """Forget a rule (the alerts it raised stay). Raises UsageError when there is no such rule."""
    if not store.db.execute("SELECT 1 FROM alert_rules WHERE rule_id = ?", [rule_id]).fetchone():
        raise UsageError(f"no alert rule {rule_id} in {store.path}; `bilat alert list` shows the rules")
    store.db.execute("DELETE FROM alert_rules WHERE rule_id = ?", [rule_id])


def rules(store: Store) -> list[tuple[Rule, int]]:
    """Every rule with the last run it was checked against."""
    if not _has_alert_tables(store):
        return []
    rows = store.db.execute("SELECT rule_id, pair, min_sources, quads, statuses, goldstein_below, webhook, "
                            "checked_run FROM alert_rules ORDER BY rule_id").fetchall()
    return [(Rule(pair, min_sources or 1, tuple(json.loads(quads or "[]")), tuple(json.loads(statuses or "[]")),
                  goldstein_below, webhook, rule_id), checked or 0)
            for rule_id, pair, min_sources, quads, statuses, goldstein_below, webhook, checked in rows]


def _has_alert_tables(store: Store) -> bool:
    """A store opened read-only may be older than the alert tables."""
    return bool(store.db.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'alerts'"
                                 ).fetchone()[0])


# --- matching ----------------------------------------------------------------------------------------------


def matches(rule: Rule, event: dict) -> bool:
    """Whether an event record (store.event_records) is one the rule asks for."""
    return ((event.get("n_independent") or event["n_sources"]) >= rule.min_sources
            and (not rule.quads or event["quad_class"] in rule.quads)
            and (not rule.statuses or event["status"] in rule.statuses)
            and (rule.goldstein_below is None or event["goldstein"] < rule.goldstein_below))


def alert_reason(rule: Rule, event: dict, fresh: set[str]) -> str | None:
    """'new', 'now corroborated' or None for an event and the ids of the articles stored since the rule was
    last checked (see the module docstring)."""
    articles = {m["article_id"] for m in event["mentions"]}
    if not articles & fresh or not matches(rule, event):
        return None
    old = articles - fresh
    if not old:
        return NEW
    independent_before = len({m.get("copy_of") or m["article_id"] for m in event["mentions"]
                              if m["article_id"] in old})
    threshold = max(2, rule.min_sources)
    return CORROBORATED if independent_before < threshold <= event["n_independent"] else None


def _mention_keys(event: dict) -> set[str]:
    return {hashlib.sha256(f"{m['article_id']}|{m['sentence']}".encode()).hexdigest()[:16]
            for m in event["mentions"]}


def raise_alerts(store: Store) -> list[dict]:
    """Check every rule against the runs since it was last checked; store the alerts that fire (undelivered) and
    move the rules on, in one transaction. Returns the new alert records: the event's export fields, `rule_id`,
    `reason`, `alert_id`."""
    last_run = store.db.execute("SELECT coalesce(max(run_id), 0) FROM runs").fetchone()[0]
    raised: list[dict] = []
    with store.transaction():
        for rule, checked_run in rules(store):
            if checked_run >= last_run:
                continue
            fresh = {r[0] for r in store.db.execute("SELECT article_id FROM articles WHERE run_id > ?",
                                                    [checked_run]).fetchall()}
            fired = _fired(store, rule.rule_id)
            pair = tuple(rule.pair.split("-"))
            # only an event a fresh article reports can fire: read those, not the pair's every event (and read
            # them before writing)
            touched = [r[0] for r in store.db.execute(
                "SELECT DISTINCT l.event_id FROM events e JOIN event_links l USING (event_id) JOIN event_mentions m "
                "USING (mention_id) JOIN articles a USING (article_id) WHERE e.pair = ? AND a.run_id > ?",
                ["-".join(sorted(pair)), checked_run]).fetchall()] if fresh else []
            events = list(store.event_records(pair, event_ids=touched)) if touched else []
            for event in events:
                reason = alert_reason(rule, event, fresh)
                keys = _mention_keys(event)
                if reason is None or keys & fired.get(reason, set()):
                    continue
                fired.setdefault(reason, set()).update(keys)
                record = {**event, "rule_id": rule.rule_id, "reason": reason}
                record["alert_id"] = hashlib.sha256(
                    f"{rule.rule_id}|{reason}|{event['event_id']}".encode()).hexdigest()[:16]
                store.db.execute("INSERT OR IGNORE INTO alerts (alert_id, rule_id, event_id, reason, record, "
                                 "mention_keys) VALUES (?, ?, ?, ?, ?, ?)",
                                 [record["alert_id"], rule.rule_id, event["event_id"], reason,
                                  json.dumps(record, ensure_ascii=False), json.dumps(sorted(keys))])
                raised.append(record)
            store.db.execute("UPDATE alert_rules SET checked_run = ? WHERE rule_id = ?", [last_run, rule.rule_id])
    return raised


def _fired(store: Store, rule_id: int) -> dict[str, set[str]]:
    """reason -> the mention keys of every event the rule has fired for with that reason."""
    fired: dict[str, set[str]] = {}
    for reason, keys in store.db.execute("SELECT reason, mention_keys FROM alerts WHERE rule_id = ?",
                                         [rule_id]).fetchall():
        fired.setdefault(reason, set()).update(json.loads(keys))
    return fired


# --- delivery and listing ----------------------------------------------------------------------------------


def default_alerts_file(db: str) -> str:
    """Where alerts are written unless told: beside the store, `<db>.alerts.jsonl`."""
    return f"{db}.alerts.jsonl"


def deliver(store: Store, alerts_file: str, post: Callable[[str, dict], None],
            log: Callable[[str], None]) -> int:
    """Append every undelivered alert to `alerts_file` as one JSON line and POST it to its rule's webhook, then
    mark it delivered. A webhook that fails is logged in one line and not tried again; a file that cannot be
    written stops delivery (the alerts stay undelivered for the next poll). Returns how many were delivered."""
    rows = store.db.execute("SELECT a.alert_id, a.record, r.webhook FROM alerts a LEFT JOIN alert_rules r "
                            "USING (rule_id) WHERE NOT a.delivered ORDER BY a.raised, a.alert_id").fetchall()
    for alert_id, record, webhook in rows:
        try:
            Path(alerts_file).parent.mkdir(parents=True, exist_ok=True)
            with open(alerts_file, "a", encoding="utf-8") as handle:
                handle.write(record + "\n")
        except OSError as error:
            log(f"alerts: cannot write {alerts_file}: {error.strerror or error}")
            return 0
        if webhook:
            try:
                post(webhook, json.loads(record))
            except BilatError as error:
                log(f"alert {alert_id}: webhook failed: {error}")
        store.db.execute("UPDATE alerts SET delivered = TRUE WHERE alert_id = ?", [alert_id])
    return len(rows)


def alert_records(store: Store) -> list[dict]:
    """The alerts raised, oldest first, each with when it was raised (`raised`, ISO time)."""
    if not _has_alert_tables(store):
        return []
    rows = store.db.execute("SELECT record, raised FROM alerts ORDER BY raised, alert_id").fetchall()
    return [{**json.loads(record), "raised": raised.isoformat(timespec="seconds")} for record, raised in rows]
