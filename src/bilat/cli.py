"""The `bilat` command: a thin layer over the library. Each command opens the store and calls one library
function; errors are printed as one line (a traceback only with --debug)."""
from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Annotated, Optional

import click
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from . import __version__
from .errors import BilatError, NothingIngested, UsageError
from .evaluate import load_gold, score
from .explain import explain_sentence
from .export import FORMATS, article_columns, check_export, directed, event_columns, write_records
from .gdelt import gdelt_rows, write_gdelt
from .ingest import IngestOptions, parse_field_map
from .knowledge import country_names, resolve_country
from .pipeline import INGEST_BATCH, RunReport, run
from .relations import list_conflicts, relations_index
from .report import write_report
from .store import Store
from .stories import stories
from .watch import source_health

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None,
                  help="bilat: news about two countries in, a sourced and dated record of events out.")
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DbOption = Annotated[str, typer.Option("--db", help="The DuckDB store file.")]


def _country(text: str) -> str:
    code = resolve_country(text)
    if not code:
        raise UsageError(f"unknown country {text!r}: give a name ('Pakistan'), a demonym or an ISO code ('PAK')")
    return code


STAGES = {"ingest": "reading and cleaning", "code": "coding events", "consolidate": "making events"}


@contextmanager
def _progress_display() -> Iterator[Callable[[str, int, "int | None"], None]]:
    """The pipeline's progress: bars on a terminal; elsewhere (a log file, a pipe) one plain line when a stage
    begins, then one per batch of documents stored (INGEST_BATCH) and per batch of articles coded."""
    if not err.is_terminal:
        begun: set[str] = set()

        def line(stage: str, done: int, total: int | None) -> None:
            if stage not in begun or total is not None or done % INGEST_BATCH == 0:
                begun.add(stage)
                err.print(f"{STAGES.get(stage, stage)}: {done}{'' if total is None else f'/{total}'}", markup=False)
        yield line
        return
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=False) as bar:
        tasks: dict[str, int] = {}

        def progress(stage: str, done: int, total: int | None) -> None:
            if stage not in tasks:
                for task in tasks.values():  # the earlier stage is over
                    bar.update(task, total=bar.tasks[task].completed)
                    bar.stop_task(task)
                tasks[stage] = bar.add_task(STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)
        yield progress


def _run_with_progress(paths: list[str], db: str, options: IngestOptions, workers: int = 1, engine: str = "local",
                       scheduler: str | None = None) -> RunReport:
    with Store(db) as store, _progress_display() as progress:
        report = run(paths, store, options, progress, workers, engine, scheduler)
    for q in report.quarantined:
        err.print(f"[yellow]skipped[/yellow] {q.path}: {q.reason}", markup=True)
    err.print(f"{report.articles_added} articles added ({report.duplicates} duplicates), {report.already_stored} "
              f"already stored, {len(report.quarantined)} set aside; {report.coded} articles coded, "
              f"{report.mentions} event mentions, {report.events} events in {db}")
    if report.articles_added == 0 and report.already_stored == 0:
        raise NothingIngested("nothing could be ingested: " + (
            "; ".join(f"{q.path}: {q.reason}" for q in report.quarantined[:3]) or "no input"))
    return report


@app.command("run")
def run_command(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursively) and globs.")],
    db: DbOption = "bilat.duckdb",
    field: Annotated[Optional[list[str]], typer.Option(
        "--field", help="Map a column of JSON Lines/CSV input to ours, e.g. --field text=body.")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Processes that code articles.")] = 1,
    engine: Annotated[str, typer.Option("--engine", help="local (processes of this machine) or dask "
                                                         "(dask.distributed).")] = "local",
    scheduler: Annotated[Optional[str], typer.Option(
        "--scheduler", help="With --engine dask: the address of a running Dask scheduler (tcp://host:8786); "
                            "without it, a local Dask cluster of --workers processes.")] = None,
) -> None:
    """Ingest articles and code their events into the store.

    \b
    Example:
        bilat run articles/ feeds/*.xml --db relations.duckdb
        bilat run export.csv --field text=body --field date=published_at --workers 4
        bilat run archive/ --engine dask --scheduler tcp://10.0.0.5:8786
    """
    if scheduler and engine != "dask":
        raise UsageError("--scheduler goes with --engine dask")
    _run_with_progress(paths, db, IngestOptions(field_map=parse_field_map(field or [])), workers, engine,
                       scheduler)


@app.command()
def demo(db: DbOption = "bilat.duckdb") -> None:
    """Run the whole pipeline on the bundled sample corpus (five articles on Russia-Pakistan relations) and
    print the timeline and the scores against the sample's hand-made gold."""
    sample = resources.files("bilat") / "data" / "sample"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "sample"
        folder.mkdir()
        for item in sample.iterdir():
            if item.name.endswith(".txt"):
                shutil.copyfile(str(item), folder / item.name)
        _run_with_progress([str(folder)], db, IngestOptions())
        _print_timeline(db, "RUS", "PAK")
        with Store(db, read_only=True) as store:
            scores = score(load_gold(str(sample / "seeds.gold.json")), folder, list(store.article_records()),
                           list(store.event_records()))
    out.print("\nScored against the sample's hand-made gold (bilat eval):")
    out.print(scores.report())


@app.command()
def export(
    what: Annotated[str, typer.Argument(help="articles or events")],
    fmt: Annotated[str, typer.Option("--format", help=f"One of {', '.join(FORMATS)}; for events also gdelt "
                                                       "(GDELT 1.0 event table, tab-separated, no header).")] = "jsonl",
    out_file: Annotated[Optional[str], typer.Option("--out", help="Output file (default: standard output).")] = None,
    db: DbOption = "bilat.duckdb",
    directed_rows: Annotated[bool, typer.Option(
        "--directed", help="Events: write a joint act of two parties once from each side, as GDELT counts dyads.")
    ] = False,
) -> None:
    """Write the store's articles or events in the public formats (CONTRACT.md).

    \b
    Example:
        bilat export events --format parquet --out events.parquet
        bilat export events --format gdelt --out events.gdelt.tsv
    """
    check_export(what, fmt, out_file)
    with Store(db, read_only=True) as store:
        if fmt == "gdelt":
            n = write_gdelt(gdelt_rows(store), out_file)
        elif what == "articles":
            n = write_records(store.article_records(), fmt, out_file, article_columns())
        else:
            records = store.event_records()
            n = write_records(directed(records) if directed_rows else records, fmt, out_file, event_columns())
    if out_file and out_file != "-":
        err.print(f"{n} {what} written to {out_file}")


def _copies(n: int) -> str:
    """", 2 of them copies of another": how many of an event's or story's articles copy another."""
    return f", {n} of them {'a copy' if n == 1 else 'copies'} of another" if n else ""


def _print_timeline(db: str, a: str, b: str, since: str | None = None, until: str | None = None) -> None:
    """The count, then each event as the store gives it: a pair of 100,000 events starts printing at once."""
    names = country_names()
    with Store(db, read_only=True) as store:
        total = store.count_events((a, b), since, until)
        period = f", {since or '...'} to {until or '...'}" if since or until else ""
        out.print(f"\n{names.get(a, a)} - {names.get(b, b)}{period}: {total} event{'s' if total != 1 else ''}",
                  style="bold")
        for e in store.event_records((a, b), since=since, until=until):
            date = e["date"] or "undated"
            sources = sorted({m["source"] for m in e["mentions"]})
            status = e["status"]
            colour = {"occurred": "green", "planned": "cyan", "possible": "yellow", "negated": "red"}[status]
            counted = (f"{e['n_sources']} source{'s' if e['n_sources'] != 1 else ''}"
                       f"{_copies(e['n_sources'] - e['n_independent'])}")
            out.print(f"{date:<10}  [{colour}]{status:<8}[/{colour}]  {e['summary']}"
                      f"{'  @ ' + e['location'] if e['location'] else ''}  [dim]({e['cameo']}, "
                      f"{counted}: {', '.join(sources)})[/dim]", markup=True)


@app.command()
def timeline(
    country_a: Annotated[str, typer.Argument(metavar="A", help="A country: name, demonym or ISO code.")],
    country_b: Annotated[str, typer.Argument(metavar="B")],
    since: Annotated[Optional[str], typer.Option("--since", help="Only events from this date on: YYYY, YYYY-MM "
                                                                  "or YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Only events up to this date, included.")] = None,
    db: DbOption = "bilat.duckdb",
) -> None:
    """Print the dated timeline of events between two countries; with --since or --until, only the dated events
    of that period (an event dated only "2023" is in a period that holds part of 2023).

    \b
    Example:
        bilat timeline Russia Pakistan
        bilat timeline Russia Pakistan --since 2023-01 --until 2023-06
    """
    _print_timeline(db, _country(country_a), _country(country_b), _date_option("--since", since),
                    _date_option("--until", until))


def _date_option(name: str, value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?", value):
        raise UsageError(f"{name} {value}: expected a date as YYYY, YYYY-MM or YYYY-MM-DD")
    return value


@app.command("index")
def index_command(
    country_a: Annotated[str, typer.Argument(metavar="A", help="A country: name, demonym or ISO code.")],
    country_b: Annotated[str, typer.Argument(metavar="B")],
    by: Annotated[str, typer.Option("--by", help="month, quarter or year.")] = "month",
    sector: Annotated[Optional[str], typer.Option("--sector", help="Only events of this sector.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the index as JSON.")] = False,
    db: DbOption = "bilat.duckdb",
) -> None:
    """The relations index of two countries per period: events, Goldstein sum and mean of occurred events,
    occurred events per quad class, share of planned and possible events (docs/relations-index.md).

    \b
    Example:
        bilat index Russia Pakistan --by year --sector energy
    """
    a, b = _country(country_a), _country(country_b)
    with Store(db, read_only=True) as store:
        index = relations_index(store, a, b, by, sector)
    if as_json:
        out.print(json.dumps(index, ensure_ascii=False), markup=False)
        return
    names = country_names()
    out.print(f"\n{names.get(a, a)} - {names.get(b, b)}, by {by}{', sector ' + sector if sector else ''}",
              style="bold")
    out.print(f"{'period':<10} {'events':>6} {'occurred':>8} {'gs sum':>7} {'gs mean':>7} "
              f"{'q1':>3} {'q2':>3} {'q3':>3} {'q4':>3} {'planned':>7} {'possible':>8}")
    for r in index["rows"]:
        mean = "-" if r["goldstein_mean"] is None else f"{r['goldstein_mean']:.2f}"
        out.print(f"{r['period']:<10} {r['events']:>6} {r['occurred']:>8} {r['goldstein_sum']:>7.1f} {mean:>7} "
                  f"{r['q1']:>3} {r['q2']:>3} {r['q3']:>3} {r['q4']:>3} {r['planned_share']:>7.0%} "
                  f"{r['possible_share']:>8.0%}")
    if index["undated"]:
        out.print(f"({index['undated']} events without a date at {by} precision are not in the index)", style="dim")


def _pair(countries: list[str]) -> tuple[str, str] | None:
    if not countries:
        return None
    if len(countries) != 2:
        raise UsageError("name two countries, or none for all")
    return _country(countries[0]), _country(countries[1])


PairArgument = Annotated[Optional[list[str]], typer.Argument(
    metavar="[A B]", help="Two countries (names, demonyms or ISO codes); none for all.", show_default=False)]


@app.command()
def facts(countries: PairArgument = None, as_json: Annotated[bool, typer.Option("--json")] = False,
          db: DbOption = "bilat.duckdb") -> None:
    """Figures the articles give about projects and deals (length, cost, value, share, count, route), each with
    its sentence and source.

    \b
    Example:
        bilat facts Russia Pakistan
    """
    pair = _pair(countries or [])
    with Store(db, read_only=True) as store:
        records = store.fact_records(pair)
    if as_json:
        _print_json_lines(records)
        return
    for (subject, attribute), group in _grouped(records):
        out.print(f"{subject} - {attribute}", style="bold")
        for r in group:
            out.print(f"  {r['value']:<32} {r['source']}: {r['sentence']}", markup=False)


def _print_json_lines(records: list[dict]) -> None:
    for record in records:
        out.print(json.dumps(record, ensure_ascii=False), markup=False)


def _grouped(records: list[dict]) -> list[tuple[tuple[str, str], list[dict]]]:
    groups: dict[tuple[str, str], list[dict]] = {}
    for r in records:
        groups.setdefault((r["subject"], r["attribute"]), []).append(r)
    return sorted(groups.items(), key=lambda kv: (kv[0][0].lower(), kv[0][1]))


@app.command()
def conflicts(countries: PairArgument = None, as_json: Annotated[bool, typer.Option("--json")] = False,
              db: DbOption = "bilat.duckdb") -> None:
    """Where sources disagree: an event's figures, place, date or nature; the figures or route of a project;
    an article's page date that its text contradicts. Each value with its source.

    \b
    Example:
        bilat conflicts Russia Pakistan
    """
    pair = _pair(countries or [])
    with Store(db, read_only=True) as store:
        found = list_conflicts(store, pair)
    if as_json:
        _print_json_lines(found)
        return
    out.print(f"{len(found)} conflicts", style="bold")
    for c in found:
        out.print(f"\n{c['kind']}: {c['about']} - {c['field']}", style="bold", markup=False)
        for v in c["values"]:
            out.print(f"  {v['value']:<40} {v['source']}", markup=False)


@app.command()
def report(
    country_a: Annotated[str, typer.Argument(metavar="A", help="A country: name, demonym or ISO code.")],
    country_b: Annotated[str, typer.Argument(metavar="B")],
    out_file: Annotated[str, typer.Option("--out", help="report.html (one self-contained page) or report.md "
                                                        "(charts as SVG files beside it).")] = "report.html",
    date_from: Annotated[Optional[str], typer.Option("--from", help="First date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    date_to: Annotated[Optional[str], typer.Option("--to", help="Last date, the same way.")] = None,
    db: DbOption = "bilat.duckdb",
) -> None:
    """Write a briefing on two countries: summary, timeline, relations index, sectors, people, facts, conflicts
    and sources, every claim citing its sources. Opens offline.

    \b
    Example:
        bilat report Russia Pakistan --out russia-pakistan.html --from 2015
    """
    with Store(db, read_only=True) as store:
        data = write_report(store, _country(country_a), _country(country_b), out_file, date_from, date_to)
    err.print(f"briefing of {data['counts']['events']} events from {data['counts']['articles']} sources "
              f"written to {out_file}")


@app.command()
def serve(
    db: DbOption = "bilat.duckdb",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; another than 127.0.0.1 opens the "
                                                     "explorer to the network.")] = "127.0.0.1",
) -> None:
    """Browse the store in a web browser: events with filters, each event's sentences in their articles, and the
    same data as JSON under /api/ (OpenAPI at /api/openapi.json). Read-only.

    \b
    Example:
        bilat serve --db relations.duckdb --port 8000
    """
    from .explorer import serve as run_server

    err.print(f"bilat explorer on http://{host}:{port}/ (Ctrl-C to stop)")
    run_server(db, host, port)


@app.command("stories")
def stories_command(countries: PairArgument = None, as_json: Annotated[bool, typer.Option("--json")] = False,
                    min_articles: Annotated[int, typer.Option("--min-articles", min=1,
                                                              help="Only stories told by this many articles.")] = 1,
                    db: DbOption = "bilat.duckdb") -> None:
    """The stories: articles that copy one another or lead with the same event, with the events each told.

    \b
    Example:
        bilat stories Russia Pakistan --min-articles 2
    """
    pair = _pair(countries or [])
    with Store(db, read_only=True) as store:
        found = stories(store, pair, min_articles)
    if as_json:
        _print_json_lines(found)
        return
    out.print(f"{len(found)} stor{'y' if len(found) == 1 else 'ies'}", style="bold")
    for s in found:
        copies = s["n_articles"] - s["n_independent"]
        span = s["first_published"] or "undated"
        if s["last_published"] and s["last_published"] != s["first_published"]:
            span += f" .. {s['last_published']}"
        out.print(f"\n{span}  {s['title'] or '(no title)'}", style="bold", markup=False)
        out.print(f"  {s['n_articles']} article{'s' if s['n_articles'] != 1 else ''}"
                  f"{_copies(copies)}"
                  f"{', outlets: ' + ', '.join(s['outlets']) if s['outlets'] else ''}", markup=False)
        for a in s["articles"]:
            copy = "  copy" if a["copy_of"] else ""
            out.print(f"  {a['published'] or 'undated':<10}  {a['source']}  {a['events']} events{copy}", markup=False)
        for e in s["events"]:
            out.print(f"    {e['date'] or 'undated':<10}  {e['summary']}  (told by {len(e['told_by'])})",
                      markup=False)


@app.command()
def status(db: DbOption = "bilat.duckdb") -> None:
    """Show what the store holds, the health of the sources `bilat watch` polls, and the inputs that were set
    aside with their reasons."""
    with Store(db, read_only=True) as store:
        counts = store.counts()
        quarantine = store.quarantine()
        sources = source_health(store)
    out.print(f"{db}: " + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))
    if sources:
        out.print(f"\nwatched sources ({len(sources)}):", style="bold")
        for s in sources:
            health = f"failing ({s['failures']} polls)" if s["failures"] else "ok"
            out.print(f"  {s['url']}  {s['kind'] or '?'}, {health}, last success {_when(s['last_success'])}, "
                      f"{s['articles_gained']} articles gained"
                      + (f"; last error {_when(s['last_error_at'])}: {s['last_error']}" if s["last_error"] else ""),
                      markup=False)
    if quarantine:
        out.print(f"\nquarantine ({len(quarantine)}):", style="bold")
        for path, reason, run_id in quarantine:
            out.print(f"  run {run_id}  {path}: {reason}", markup=False)


def _when(moment) -> str:
    return moment.isoformat(sep=" ", timespec="seconds") if moment else "never"


@app.command()
def watch(
    sources: Annotated[list[str], typer.Argument(help="RSS/Atom feed and page URLs; @FILE reads them from a file, "
                                                      "one a line.")],
    every: Annotated[str, typer.Option("--every", help="Time between polls: 30s, 15m, 1h.")] = "15m",
    db: DbOption = "bilat.duckdb",
    once: Annotated[bool, typer.Option("--once", help="Poll every source once and exit (tests, cron).")] = False,
    alerts_file: Annotated[Optional[str], typer.Option(
        "--alerts", help="JSON Lines file the alerts are appended to (default: <db>.alerts.jsonl).")] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a server.")] = 10.0,
    delay: Annotated[float, typer.Option("--delay", min=0, help="Least seconds between two requests to one "
                                                                "host.")] = 1.0,
    retries: Annotated[int, typer.Option("--retries", min=0, max=10, help="Retries after a 5xx answer or a "
                                                                          "timeout, with back-off.")] = 2,
    contact: Annotated[Optional[str], typer.Option(
        "--contact", help="A URL or e-mail address put in the User-Agent, for site owners.")] = None,
) -> None:
    """Poll feeds and pages, bring their new articles into the store, raise the alerts (`bilat alert add`).
    One line per source per poll; stops after the poll under way on Ctrl-C or SIGTERM.

    \b
    Example:
        bilat watch https://www.dawn.com/feeds/home https://tass.com/rss/v2.xml --every 15m --db pk.duckdb
        bilat watch @feeds.txt --once --contact ops@example.org
    """
    from .watch import WatchOptions, parse_every, stop_on_signals, watch as run_watch

    urls = [u for s in sources for u in (_lines_of(s[1:]) if s.startswith("@") else [s])]
    options = WatchOptions(every=parse_every(every), timeout=timeout, delay=delay, retries=retries,
                           backoff=min(1.0, timeout), contact=contact)
    stop = threading.Event()
    stop_on_signals(stop)
    run_watch(urls, db, options, lambda line: err.print(line, markup=False), once, alerts_file, stop)


def _lines_of(path: str) -> list[str]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise UsageError(f"{path}: cannot read: {(error.strerror or str(error)).lower()}") from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


alert_app = typer.Typer(no_args_is_help=True, help="Watch rules: what `bilat watch` alerts on.")
app.add_typer(alert_app, name="alert")


@alert_app.command("add")
def alert_add(
    pair: Annotated[str, typer.Argument(help="Two countries: Russia-Pakistan, RUS-PAK.")],
    min_sources: Annotated[int, typer.Option("--min-sources", min=1, help="Least independent sources.")] = 1,
    quad: Annotated[Optional[str], typer.Option("--quad", help="Quad classes, e.g. 3,4 (conflict).")] = None,
    status_: Annotated[Optional[str], typer.Option("--status", help="Statuses, e.g. occurred,planned.")] = None,
    goldstein_below: Annotated[Optional[float], typer.Option("--goldstein-below",
                                                             help="Only events below this Goldstein value.")] = None,
    webhook: Annotated[Optional[str], typer.Option("--webhook", help="URL to POST each alert to as JSON.")] = None,
    db: DbOption = "bilat.duckdb",
) -> None:
    """Add a watch rule: after each poll of `bilat watch`, each new or newly corroborated event of the pair that
    matches raises an alert.

    \b
    Example:
        bilat alert add Russia-Pakistan --quad 3,4 --status occurred --webhook https://hooks.example.org/bilat
        bilat alert add IND-PAK --min-sources 2 --goldstein-below -5
    """
    from .alerts import Rule, add_rule, parse_pair, parse_quads, parse_statuses

    rule = Rule(parse_pair(pair), min_sources, parse_quads(quad), parse_statuses(status_), goldstein_below,
                webhook)
    if webhook and not webhook.startswith(("http://", "https://")):
        raise UsageError(f"--webhook {webhook!r}: not an http(s) URL")
    with Store(db) as store:
        rule.rule_id = add_rule(store, rule)
    err.print(f"rule {rule.rule_id}: {rule.describe()}", markup=False)


@alert_app.command("list")
def alert_list(db: DbOption = "bilat.duckdb") -> None:
    """List the watch rules."""
    from .alerts import rules

    with Store(db, read_only=True) as store:
        found = rules(store)
    for rule, _ in found:
        out.print(f"{rule.rule_id}  {rule.describe()}", markup=False)


@alert_app.command("remove")
def alert_remove(rule_id: Annotated[int, typer.Argument(help="The rule's number (bilat alert list).")],
                 db: DbOption = "bilat.duckdb") -> None:
    """Remove a watch rule; the alerts it raised stay."""
    from .alerts import remove_rule

    with Store(db) as store:
        remove_rule(store, rule_id)


@app.command("alerts")
def alerts_command(db: DbOption = "bilat.duckdb", as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List the alerts raised, oldest first.

    \b
    Example:
        bilat alerts --db pk.duckdb --json
    """
    from .alerts import alert_records

    with Store(db, read_only=True) as store:
        records = alert_records(store)
    if as_json:
        _print_json_lines(records)
        return
    for a in records:
        out.print(f"{a['raised']}  rule {a['rule_id']}  {a['reason']:<16}  {a['date'] or 'undated':<10}  "
                  f"{a['summary']}  ({a['n_independent']} independent source{'s' if a['n_independent'] != 1 else ''})",
                  markup=False)


@app.command("eval")
def eval_command(
    gold: Annotated[str, typer.Argument(help="The gold file (JSON, see docs/evaluation.md).")],
    corpus: Annotated[str, typer.Argument(help="The folder of the articles the gold describes.")],
    db: DbOption = "bilat.duckdb",
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object.")] = False,
    details: Annotated[bool, typer.Option("--details", help="Also list missed gold events and unmatched "
                                                             "predictions.")] = False,
) -> None:
    """Score the store against a hand-made gold file (articles and events).

    \b
    Example:
        bilat run my_articles/ && bilat eval my_gold.json my_articles/
    """
    with Store(db, read_only=True) as store:
        scores = score(load_gold(gold), corpus, list(store.article_records()), list(store.event_records()))
    out.print(json.dumps(scores.as_dict()) if as_json else scores.report(), markup=False)
    if details and not as_json:
        out.print(scores.details(), markup=False)


@app.command()
def explain(
    sentence: Annotated[str, typer.Argument(help="The sentence (or a few) to code.")],
    date: Annotated[Optional[str], typer.Option("--date", help="The publication date (YYYY-MM-DD) that anchors "
                                                               "relative dates.")] = None,
) -> None:
    """Show why a sentence is coded as it is: parse, actors, dates, triggers, and what set each event's fields.

    \b
    Example:
        bilat explain "Russian foreign minister Sergey Lavrov arrived in Islamabad on Tuesday." --date 2021-04-07
    """
    for line in explain_sentence(sentence, date):
        out.print(line, markup=False)


@app.command()
def version() -> None:
    """Print bilat's version."""
    out.print(__version__)


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]
    command = typer.main.get_command(app)
    try:
        code = command.main(args=argv, prog_name="bilat", standalone_mode=False)
    except (click.exceptions.Abort, typer.Abort):
        err.print("bilat: aborted")
        sys.exit(130)
    except (click.ClickException, typer.TyperException) as e:  # typer raises its own click's: a usage error
        e.show()
        sys.exit(e.exit_code)
    except BilatError as e:
        if debug:
            raise
        err.print(f"bilat: {e}", markup=False)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 - the promise is one line, never a traceback, unless --debug
        if debug:
            raise
        err.print(f"bilat: internal error: {type(e).__name__}: {e} (run again with --debug for the traceback)",
                  markup=False)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
