"""The relations index: how relations between two countries move over time, from the consolidated events.

Per period (month, quarter or year of the event's date):

- `events`: every event of the pair dated in the period, whatever its status;
- `occurred`: those reported as done; only these carry weight below;
- `goldstein_sum`, `goldstein_mean`: the sum and mean Goldstein value of the occurred events (mean: null when
  none occurred). GDELT's daily average Goldstein is the same mean over its event rows; bilat averages over
  consolidated events, so an event reported by twenty outlets counts once (GDELT weights by mentions instead);
- `q1` .. `q4`: occurred events per quad class (verbal cooperation, material cooperation, verbal conflict,
  material conflict);
- `planned_share`, `possible_share`: the share of the period's events that are planned or only possible.
  Planned and possible events never count as occurred; negated ones count only in `events`.

An event's date may be less precise than the period (an event dated only "2016" has no month): it is left out of
month and quarter periods and counted in `undated` with the events that have no date at all. Rows come in period
order, and the same store always gives the same rows.
"""
from __future__ import annotations

from .errors import UsageError
from .facts import fact_conflicts
from .store import Store

PERIODS = ("month", "quarter", "year")
INDEX_COLUMNS = ["period", "events", "occurred", "goldstein_sum", "goldstein_mean", "q1", "q2", "q3", "q4",
                 "planned_share", "possible_share"]

# The period label of an event date, from the date's precision: YYYY-MM-DD, YYYY-MM or YYYY.
_PERIOD_SQL = {
    "year": "substr(date, 1, 4)",
    "month": "CASE WHEN length(date) >= 7 THEN substr(date, 1, 7) END",
    "quarter": "CASE WHEN length(date) >= 7 THEN substr(date, 1, 4) || '-Q' || "
               "CAST((CAST(substr(date, 6, 2) AS INTEGER) + 2) // 3 AS VARCHAR) END",
}


def relations_index(store: Store, a: str, b: str, by: str = "month", sector: str | None = None) -> dict:
    """{"pair", "by", "sector", "undated", "rows": [{INDEX_COLUMNS...}]} for the country pair a-b."""
    if by not in PERIODS:
        raise UsageError(f"unknown period {by!r}: use one of {', '.join(PERIODS)}")
    pair = "-".join(sorted((a, b)))
    where, params = "pair = ?", [pair]
    if sector:
        where += " AND sector = ?"
        params.append(sector.lower())
    rows = store.db.execute(f"""
        WITH e AS (SELECT {_PERIOD_SQL[by]} AS period, status, quad_class, goldstein
                   FROM events WHERE {where})
        SELECT period,
               count(*) AS events,
               count(*) FILTER (WHERE status = 'occurred') AS occurred,
               coalesce(sum(goldstein) FILTER (WHERE status = 'occurred'), 0) AS goldstein_sum,
               avg(goldstein) FILTER (WHERE status = 'occurred') AS goldstein_mean,
               count(*) FILTER (WHERE status = 'occurred' AND quad_class = 1) AS q1,
               count(*) FILTER (WHERE status = 'occurred' AND quad_class = 2) AS q2,
               count(*) FILTER (WHERE status = 'occurred' AND quad_class = 3) AS q3,
               count(*) FILTER (WHERE status = 'occurred' AND quad_class = 4) AS q4,
               count(*) FILTER (WHERE status = 'planned') / count(*) AS planned_share,
               count(*) FILTER (WHERE status = 'possible') / count(*) AS possible_share
        FROM e WHERE period IS NOT NULL GROUP BY period ORDER BY period""", params).fetchall()
    undated = store.db.execute(f"SELECT count(*) FROM (SELECT {_PERIOD_SQL[by]} AS period FROM events "
                               f"WHERE {where}) WHERE period IS NULL", params).fetchone()[0]
    out = []
    for row in rows:
        rec = dict(zip(INDEX_COLUMNS, row))
        for k in ("goldstein_sum", "goldstein_mean", "planned_share", "possible_share"):
            if rec[k] is not None:
                rec[k] = round(float(rec[k]), 3)
        out.append(rec)
    return {"pair": pair, "by": by, "sector": sector, "undated": undated, "rows": out}


def list_conflicts(store: Store, pair: tuple[str, str] | None = None) -> list[dict]:
    """Every disagreement between sources the store knows of, for one pair or all:
    [{"kind": "event" | "fact" | "article", "about", "field", "values": [{"value", "source"}]}].

    - event: the mentions of one consolidated event disagree on a field (CONTRACT.md `conflicts`);
    - fact: articles give different figures or routes for one project (facts.py);
    - article: a page date that the text contradicts or nothing supports, against what the text says."""
    out = []
    for e in store.event_records(pair, conflicted=True):
        for c in e["conflicts"]:
            out.append({"kind": "event", "about": f"{e['summary']} [{e['event_id']}]", "field": c["field"],
                        "values": c["values"]})
    for c in fact_conflicts(store.fact_records(pair)):
        out.append({"kind": "fact", "about": c["subject"], "field": c["attribute"],
                    "values": [{"value": v["value"], "source": v["source"]} for v in c["values"]]})
    sources = store.event_sources(pair) if pair else None
    for a in store.doubtful_dates():
        if sources is not None and a["source"] not in sources:
            continue
        out.append({"kind": "article", "about": a["source"], "field": "published",
                    "values": [{"value": a["page_date"] or "none", "source": "page date"}] +
                              [{"value": note, "source": "text"} for note in a["notes"]]})
    return out
