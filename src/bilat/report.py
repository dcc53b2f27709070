"""The briefing: one file about the relations of two countries that a user can send to a colleague.

`briefing()` gathers what the briefing says from the store (also served as JSON by the explorer);
`render_html()` writes it as one self-contained HTML page (inline CSS and SVG charts, no script, nothing fetched)
and `render_markdown()` as Markdown with the charts as SVG files beside it. Every sentence of the summary and every
event, fact and conflict cites its sources by number; the sources list gives each number's outlet, date, title
and link. Article text is data: the HTML template escapes everything (Jinja2 autoescape), Markdown escapes HTML
characters, and only http(s) addresses become links.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path

import jinja2

from . import __version__
from .charts import QUAD_COLOURS, QUAD_NAMES, index_svg, timeline_svg
from .errors import UsageError
from .facts import fact_conflicts
from .knowledge import country_names
from .relations import list_conflicts, relations_index
from .store import Store, in_period

STATUSES = ("occurred", "planned", "possible", "negated")


def _check_date(text: str | None, name: str) -> str | None:
    if text is None:
        return None
    try:
        parts = [int(p) for p in text.split("-")]
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        raise UsageError(f"{name} {text!r}: use YYYY, YYYY-MM or YYYY-MM-DD") from None
    return text


def briefing(store: Store, a: str, b: str, date_from: str | None = None, date_to: str | None = None) -> dict:
    """Everything the briefing shows, as plain data."""
    date_from, date_to = _check_date(date_from, "--from"), _check_date(date_to, "--to")
    names = country_names()
    pair = tuple(sorted((a, b)))
    events = list(store.event_records(pair, since=date_from, until=date_to))
    facts = [f for f in store.fact_records(pair)]
    # sources: every article an event or fact of the briefing cites, numbered in order of publication
    cited = {m["article_id"] for e in events for m in e["mentions"]} | {f["article_id"] for f in facts}
    articles = {r["article_id"]: r for r in store.article_records(cited)}
    order = sorted(cited, key=lambda i: (articles[i]["published"] or "9999", articles[i]["source"]))
    number = {aid: k + 1 for k, aid in enumerate(order)}
    by_source = {articles[aid]["source"]: number[aid] for aid in order}
    urls = dict(store.db.execute("SELECT article_id, url FROM articles WHERE list_contains(?, article_id)",
                                 [sorted(cited)]).fetchall())
    sources = [{"n": number[aid], "article_id": aid, "source": articles[aid]["source"],
                "title": articles[aid]["title"], "outlet": articles[aid]["outlet"],
                "published": articles[aid]["published"], "copy_of": articles[aid]["duplicate_of"],
                "url": _safe_url(urls.get(aid))} for aid in order]
    for e in events:
        e["cites"] = sorted({number[m["article_id"]] for m in e["mentions"]})
    index = relations_index(store, a, b, by="month")
    index["rows"] = [r for r in index["rows"] if in_period(r["period"], date_from, date_to)]
    conflicts = []
    for c in list_conflicts(store, pair):
        if c["kind"] == "event" and not any(c["about"].endswith(f"[{e['event_id']}]") for e in events):
            continue
        conflicts.append({**c, "values": [{**v, "cite": by_source.get(v["source"])} for v in c["values"]]})
    fact_groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for f in facts:
        fact_groups[(f["subject"], f["attribute"])].append({**f, "cite": number[f["article_id"]]})
    disputed = {(c["subject"], c["attribute"]) for c in fact_conflicts(facts)}
    return {
        "pair": pair, "names": {c: names.get(c, c) for c in pair}, "from": date_from, "to": date_to,
        "generated_by": f"bilat {__version__}",
        "counts": {"events": len(events), "articles": len(sources),
                   **{s: sum(e["status"] == s for e in events) for s in STATUSES}},
        "summary": _summary(events, names, pair),
        "events": events,
        "timeline_svg": timeline_svg(events),
        "undated": [e for e in events if not e["date"]],
        "index": index,
        "index_svg": index_svg(index["rows"]),
        "sectors": _sectors(events),
        "actors": _actors(events, names),
        "facts": [{"subject": s, "attribute": at, "values": vals, "disputed": (s, at) in disputed}
                  for (s, at), vals in sorted(fact_groups.items(), key=lambda kv: (kv[0][0].lower(), kv[0][1]))],
        "conflicts": conflicts,
        "sources": sources,
        "quad_names": QUAD_NAMES, "quad_colours": QUAD_COLOURS,
    }


def _safe_url(url: str | None) -> str | None:
    """Only web addresses become links: never `javascript:` or `data:`."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def _summary(events: list[dict], names: dict[str, str], pair: tuple[str, str]) -> list[dict]:
    """Sentences about the relationship, each with the sources it rests on: {"text", "cites"}."""
    a, b = (names.get(c, c) for c in pair)
    if not events:
        return [{"text": f"The sources report no events between {a} and {b} in this period.", "cites": []}]
    out = []
    occurred = [e for e in events if e["status"] == "occurred"]
    dates = sorted(e["date"] for e in events if e["date"])
    span = f" from {dates[0]} to {dates[-1]}" if dates else ""
    counts = Counter(e["status"] for e in events)
    told = ", ".join(f"{counts[s]} {s}" for s in STATUSES if counts[s])
    out.append({"text": f"The sources report {len(events)} events between {a} and {b}{span}: {told}.",
                "cites": sorted({c for e in events for c in e["cites"]})})
    if occurred:
        coop = [e for e in occurred if e["quad_class"] <= 2]
        conflict = [e for e in occurred if e["quad_class"] >= 3]
        mean = sum(e["goldstein"] for e in occurred) / len(occurred)
        tone = "mostly cooperative" if len(coop) > 2 * len(conflict) else \
            "mostly conflictual" if len(conflict) > 2 * len(coop) else "mixed"
        out.append({"text": f"Of the events reported as done, {len(coop)} are cooperation and {len(conflict)} "
                            f"conflict (mean Goldstein value {mean:+.1f}): relations read as {tone}.",
                    "cites": sorted({c for e in occurred for c in e["cites"]})})
        kinds = Counter(e["event_type"] for e in occurred)
        for kind, n in kinds.most_common(3):
            latest = max((e for e in occurred if e["event_type"] == kind),
                         key=lambda e: (e["date"] or "", len(e["cites"])))
            when = f" on {latest['date']}" if latest["date"] else ""
            out.append({"text": f"{kind[0].upper() + kind[1:]}: {n} event{'s' if n != 1 else ''}; "
                                f"the latest, {latest['summary']}{when}.", "cites": latest["cites"]})
        last = max((e for e in occurred if e["date"]), key=lambda e: e["date"], default=None)
        if last is not None:
            out.append({"text": f"The latest event reported as done: {last['summary']} ({last['date']}).",
                        "cites": last["cites"]})
    for e in [e for e in events if e["status"] == "planned"][-3:]:
        out.append({"text": f"Planned: {e['summary'].removesuffix(' (planned)')}"
                            f"{' for ' + e['date'] if e['date'] else ''}.", "cites": e["cites"]})
    return out


def _sectors(events: list[dict]) -> list[dict]:
    rows: dict[str, Counter] = defaultdict(Counter)
    for e in events:
        rows[e["sector"] or "other"][e["status"]] += 1
    return [{"sector": s, **{st: c[st] for st in STATUSES}, "total": sum(c.values())}
            for s, c in sorted(rows.items(), key=lambda kv: -sum(kv[1].values()))]


def _actors(events: list[dict], names: dict[str, str]) -> list[dict]:
    """People and organisations the events name (not bare countries), with their code and role."""
    seen: dict[tuple[str, str], dict] = {}
    for e in events:
        for side in ("source", "target"):
            code, name = e[side], e[f"{side}_name"]
            if not name or name == names.get(code) or name == names.get(code[:3]):
                continue
            rec = seen.setdefault((name, code), {"name": name, "code": code, "country": names.get(code[:3], ""),
                                                 "role": code[3:] or "", "events": 0, "cites": set()})
            rec["events"] += 1
            rec["cites"] |= set(e["cites"])
    return [{**r, "cites": sorted(r["cites"])} for r in sorted(seen.values(), key=lambda r: (-r["events"], r["name"]))]


def _environment() -> jinja2.Environment:
    loader = jinja2.FunctionLoader(lambda name: resources.files("bilat").joinpath("templates", name)
                                   .read_text(encoding="utf-8"))
    env = jinja2.Environment(loader=loader, autoescape=lambda name: (name or "").endswith(".html.j2"),
                             undefined=jinja2.StrictUndefined,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = _md
    return env


def render_html(data: dict) -> str:
    return _environment().get_template("report.html.j2").render(**data)


def _md(text: object) -> str:
    """Text safe in Markdown: HTML characters as entities (a viewer that renders HTML shows them as text), and
    the characters that would start emphasis, links or tables escaped."""
    out = str(text if text is not None else "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_[]|":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


def render_markdown(data: dict, charts_dir: str) -> str:
    """Markdown of the briefing; the charts are `charts_dir`/timeline.svg and index.svg."""
    return _environment().get_template("report.md.j2").render(**data, charts_dir=charts_dir)


def write_report(store: Store, a: str, b: str, out: str, date_from: str | None = None,
                 date_to: str | None = None) -> dict:
    """Write the briefing to `out` (.html or .md); returns its data."""
    path = Path(out)
    if path.suffix.lower() not in (".html", ".htm", ".md"):
        raise UsageError(f"{out}: the report is written as .html or .md")
    data = briefing(store, a, b, date_from, date_to)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".md":
        charts = path.with_name(path.stem + "_files")
        charts.mkdir(exist_ok=True)
        (charts / "timeline.svg").write_text(data["timeline_svg"], encoding="utf-8")
        (charts / "index.svg").write_text(data["index_svg"], encoding="utf-8")
        path.write_text(render_markdown(data, charts.name), encoding="utf-8")
    else:
        path.write_text(render_html(data), encoding="utf-8")
    return data
