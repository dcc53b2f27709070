"""`bilat watch` and `bilat alert`: feeds and pages served from 127.0.0.1, changed between polls, run through the
real command. No network beyond this machine."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from email.utils import format_datetime
from datetime import datetime, timezone
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bilat.alerts import CORROBORATED, NEW, Rule, alert_reason, parse_pair
from bilat.errors import UsageError
from bilat.watch import parse_every

# --- a small web site on 127.0.0.1 ----------------------------------------------------------------------------


@dataclass
class Route:
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    sleep: float = 0.0
    location: str | None = None


@dataclass
class Site:
    """A web server whose routes a test changes between polls; it records every request (path, headers)."""

    routes: dict[str, Route] = field(default_factory=dict)
    requests: list[tuple[str, dict]] = field(default_factory=list)
    posts: list[dict] = field(default_factory=list)
    port: int = 0

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]

    def answers(self, path: str) -> list[int]:
        return [h["_status"] for p, h in self.requests if p == path]


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:
            return None

        def do_GET(self) -> None:
            headers = dict(self.headers)
            route = site.routes.get(self.path)
            site.requests.append((self.path, headers))
            if route is None:
                headers["_status"] = 404
                self.send_error(404)
                return
            time.sleep(route.sleep)
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                headers["_status"] = 304
                self.send_response(304)
                self.end_headers()
                return
            headers["_status"] = route.status
            self.send_response(route.status)
            if route.location:
                self.send_header("Location", route.location)
            if route.etag:
                self.send_header("ETag", route.etag)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            try:
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting (the slow source)
                pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            site.posts.append(json.loads(body))
            self.send_response(204)
            self.end_headers()

    return Handler


def serve() -> tuple[Site, ThreadingHTTPServer]:
    s = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(s))
    server.daemon_threads = True
    s.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return s, server


@pytest.fixture
def site():
    s, server = serve()
    yield s
    server.shutdown()
    server.server_close()


# --- pages and feeds made from the seeds -------------------------------------------------------------------


def page(title: str, paragraphs: list[str], outlet: str = "Daily Example") -> bytes:
    """A news page: navigation, the article, a footer."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f"<!DOCTYPE html><html><head><title>{escape(title)} | {outlet}</title>"
            f"<meta property='og:site_name' content='{outlet}'></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
            f"<article><h1>{escape(title)}</h1>{body}</article>"
            f"<footer>Copyright {outlet}. All rights reserved.</footer></body></html>").encode()


def seed_page(sample_dir: Path, name: str, title: str) -> bytes:
    text = (sample_dir / name).read_text(encoding="utf-8")
    paragraphs = [p.strip() for p in text.split("\n\n") if len(p.strip()) > 80]
    return page(title, paragraphs)


def rss(site: Site, entries: list[tuple[str, str, str, str]], title: str = "Daily Example: World") -> Route:
    """An RSS 2.0 feed of (path, title, date YYYY-MM-DD, summary) entries, with an ETag of its content."""
    items = "".join(
        f"<item><title>{escape(t)}</title><link>{site.url(p)}</link><description>{escape(s)}</description>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(d).replace(hour=9, tzinfo=timezone.utc))}</pubDate>"
        f"</item>" for p, t, d, s in entries)
    body = (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}</title>"
            f"<link>{site.url('/')}</link>{items}</channel></rss>").encode()
    return Route(body, "application/rss+xml", etag=f'"{abs(hash(body))}"')


OIL = ("/world/russia-oil.html", "Russia seeks expansion in ties with Pakistan", "2023-06-13",
       "Russia has sought to expand cooperation with Pakistan.")
TIES = ("/world/lavrov-visit.html", "Pakistan, Russia discuss Afghan peace, economic and energy cooperation",
        "2021-04-07", "Russian foreign minister Sergey Lavrov is in Islamabad.")
PRIVATE = ("/private/briefing.html", "Members only", "2023-06-14",
           "Pakistan and Russia agreed to hold talks on oil prices next month.")
SECOND = ("/b/oil-deal.html", "Karachi receives Russian crude", "2023-06-14",
          "The first cargo of Russian oil arrived at Karachi.")
SECOND_TEXT = [
    "KARACHI: Pakistan and Russia signed a deal in April that allowed Pakistan to buy discounted Russian crude, "
    "officials in Islamabad said on Wednesday.",
    "The first cargo of Russian oil was unloaded at Karachi Port over the weekend, and refiners said they would "
    "process it in the coming weeks.",
    "Officials said further shipments were expected before the end of the year.",
]


def build(site: Site, sample_dir: Path) -> None:
    """Poll one's site: a feed of two seed articles and a members-only page, a statement page, and four broken
    sources (down, malformed, slow, redirecting in a loop)."""
    site.routes.update({
        "/robots.txt": Route(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/feed.xml": rss(site, [OIL, TIES, PRIVATE]),
        OIL[0]: Route(seed_page(sample_dir, "004_d41b808b5fb25158.txt", OIL[1]), etag='"oil"'),
        TIES[0]: Route(seed_page(sample_dir, "001_939baf877a38910c.txt", TIES[1]), etag='"ties"'),
        PRIVATE[0]: Route(page(PRIVATE[1], ["Not for robots."])),
        "/statement.html": Route(seed_page(sample_dir, "000_7b05e7787d89dcd1.txt",
                                           "Pakistan, Russia to set up military cooperation commission"),
                                 etag='"statement"'),
        "/down.xml": Route(b"oops", "text/plain", status=500),
        "/broken.xml": Route(b"<?xml version='1.0'?><rss version='2.0'><channel><title>Broken</ti",
                             "application/rss+xml"),
        "/slow.xml": Route(b"<rss/>", "application/rss+xml", sleep=1.5),
        "/loop/a": Route(status=302, location="/loop/b"),
        "/loop/b": Route(status=301, location="/loop/a"),
    })


# --- the command, end to end ---------------------------------------------------------------------------------

FAST = ["--timeout", "0.3", "--delay", "0", "--retries", "1"]  # the slow source sleeps 1.5 s


def bilat(*args: str | Path) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "bilat", *map(str, args)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, f"bilat {' '.join(map(str, args))}:\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def watched(tmp_path_factory, sample_dir):
    """Two alert rules (one with a webhook), then three polls with `bilat watch --once`: the site as built; the
    feed with one more entry, another outlet's report of the oil deal; nothing changed. For each poll: its log
    lines and the requests it made."""
    site, server = serve()
    build(site, sample_dir)
    db = tmp_path_factory.mktemp("watch") / "w.duckdb"
    sources = [site.url(p) for p in ("/feed.xml", "/statement.html", "/down.xml", "/broken.xml", "/slow.xml",
                                     "/loop/a")]
    bilat("alert", "add", "Russia-Pakistan", "--webhook", site.url("/hook"), "--db", db)
    bilat("alert", "add", "RUS-PAK", "--min-sources", "2", "--status", "occurred", "--db", db)
    polls = []
    for number in range(3):
        if number == 1:
            site.routes["/feed.xml"] = rss(site, [SECOND, OIL, TIES, PRIVATE])
            site.routes[SECOND[0]] = Route(page(SECOND[1], SECOND_TEXT, outlet="Karachi Herald"))
        before = len(site.requests)
        log = bilat("watch", *sources, "--once", "--db", db, *FAST).stderr.splitlines()
        polls.append({"log": log, "requests": site.requests[before:]})
    yield {"site": site, "db": db, "polls": polls, "sources": sources}
    server.shutdown()
    server.server_close()


def articles(db: Path) -> list[dict]:
    return [json.loads(line) for line in bilat("export", "articles", "--db", db).stdout.splitlines()]


def test_each_poll_logs_one_line_per_source_and_one_for_the_poll(watched):
    for poll in watched["polls"]:
        assert len(poll["log"]) == len(watched["sources"]) + 1, poll["log"]
        for source, line in zip(watched["sources"], poll["log"]):
            assert line.startswith(source + ": ")
        assert poll["log"][-1].startswith("poll 1 done: ")
    first, second, third = (p["log"] for p in watched["polls"])
    assert first[0].endswith(": new 3") and first[1].endswith(": new 1")
    assert second[0].endswith(": new 1") and second[1].endswith(": unchanged")
    assert third[0].endswith(": unchanged") and third[1].endswith(": unchanged")


def test_a_source_that_is_down_malformed_slow_or_looping_is_one_line_and_the_others_go_on(watched):
    for poll in watched["polls"]:
        down, broken, slow, loop = poll["log"][2:6]
        assert down.endswith("/down.xml: failed: HTTP 500")
        assert "/broken.xml: failed: not a readable feed" in broken
        assert slow.endswith("/slow.xml: failed: timed out after 0.3s")
        assert loop.endswith("/loop/a: failed: redirect loop (/loop/a -> /loop/b -> /loop/a)")
    requests = [p for p, _ in watched["polls"][0]["requests"]]
    assert requests.count("/down.xml") == 2 and requests.count("/slow.xml") == 2  # one retry each, bounded


def test_exactly_the_new_articles_come_in_and_nothing_is_fetched_twice(watched):
    first, second, third = ([p for p, _ in poll["requests"]] for poll in watched["polls"])
    assert {OIL[0], TIES[0], "/statement.html"} <= set(first)
    assert SECOND[0] not in first
    pages = [p for p in second + third if p.startswith(("/world/", "/b/", "/private/"))]
    assert pages == [SECOND[0]]  # the one new entry's page, once
    by_source = {a["source"]: a for a in articles(watched["db"])}
    assert set(by_source) == {watched["site"].url(p) for p in (OIL[0], TIES[0], PRIVATE[0], SECOND[0],
                                                             "/statement.html")}
    assert by_source[watched["site"].url(SECOND[0])]["title"] == SECOND[1]
    assert "Copyright" not in by_source[watched["site"].url(OIL[0])]["text"]  # the page was cleaned


def test_conditional_requests_give_304_and_the_user_agent_names_bilat(watched):
    third = watched["polls"][2]["requests"]
    answers = {path: headers["_status"] for path, headers in third}
    assert answers["/feed.xml"] == 304 and answers["/statement.html"] == 304
    feed_request = next(h for p, h in third if p == "/feed.xml")
    assert feed_request["If-None-Match"]
    assert all(h["User-Agent"].startswith("bilat/") for _, h in third)


def test_robots_txt_is_read_once_a_poll_and_obeyed(watched):
    for poll in watched["polls"]:
        paths = [p for p, _ in poll["requests"]]
        assert paths.count("/robots.txt") == 1
        assert not any(p.startswith("/private/") for p in paths)
    # the entry's own text stands in for the page robots.txt keeps bilat from
    text = {a["source"]: a["text"] for a in articles(watched["db"])}[watched["site"].url(PRIVATE[0])]
    assert "talks on oil prices" in text


def test_alerts_fire_once_new_and_again_when_a_second_outlet_corroborates(watched):
    raised = [json.loads(line) for line in bilat("alerts", "--json", "--db", watched["db"]).stdout.splitlines()]
    alerts_file = Path(f"{watched['db']}.alerts.jsonl")
    assert [json.loads(line)["alert_id"] for line in alerts_file.read_text().splitlines()] == \
        [a["alert_id"] for a in raised]
    keys = [(a["rule_id"], a["event_id"], a["reason"]) for a in raised]
    assert len(keys) == len(set(keys))
    first_rule = [a for a in raised if a["rule_id"] == 1]
    assert {a["reason"] for a in first_rule} == {NEW, CORROBORATED}
    corroborated = [a for a in raised if a["reason"] == CORROBORATED]
    assert {a["rule_id"] for a in corroborated} == {1, 2}
    for a in corroborated:
        assert a["n_independent"] == 2 and a["cameo"].startswith("057") and a["date"] == "2023-04"
        assert {m["source"] for m in a["mentions"]} == {watched["site"].url(OIL[0]), watched["site"].url(SECOND[0])}
    for a in raised:  # the contract's event fields, and why
        assert {"event_id", "date", "source", "target", "cameo", "quad_class", "goldstein", "status", "mentions",
                "n_sources", "rule_id", "reason"} <= set(a)
        assert a["rule_id"] == 1 or (a["n_independent"] >= 2 and a["status"] == "occurred")
    # the third poll brought nothing, and raised nothing
    assert watched["polls"][2]["log"][-1].endswith("0 new articles, 0 alerts")
    # the webhook of rule 1 received each of its alerts, once
    assert sorted(p["alert_id"] for p in watched["site"].posts) == sorted(a["alert_id"] for a in first_rule)


def test_status_shows_each_sources_health(watched):
    lines = bilat("status", "--db", watched["db"]).stdout.splitlines()
    feed = next(line for line in lines if "/feed.xml" in line)
    down = next(line for line in lines if "/down.xml" in line)
    assert "feed, ok" in feed and "4 articles gained" in feed
    assert "failing (3 polls)" in down and "last success never" in down and "HTTP 500" in down


def test_a_watch_killed_after_a_poll_fetches_nothing_done_when_started_again(site, sample_dir, tmp_path):
    site.routes.update({
        "/robots.txt": Route(b"", "text/plain"),
        "/feed.xml": rss(site, [OIL, TIES]),
        OIL[0]: Route(seed_page(sample_dir, "004_d41b808b5fb25158.txt", OIL[1])),
        TIES[0]: Route(seed_page(sample_dir, "001_939baf877a38910c.txt", TIES[1])),
    })
    db = tmp_path / "k.duckdb"
    watcher = subprocess.Popen([sys.executable, "-m", "bilat", "watch", site.url("/feed.xml"), "--every", "1s",
                                "--db", str(db), "--delay", "0"], stderr=subprocess.PIPE, text=True)
    try:
        for line in watcher.stderr:
            if line.startswith("poll 1 done"):
                break
        watcher.send_signal(signal.SIGKILL)
    finally:
        watcher.wait(timeout=30)
    assert watcher.returncode == -signal.SIGKILL
    assert sorted(p for p in site.paths() if p.startswith("/world/")) == sorted([OIL[0], TIES[0]])
    before = len(site.requests)
    log = bilat("watch", site.url("/feed.xml"), "--once", "--db", db, "--delay", "0").stderr
    again = site.requests[before:]
    assert [p for p, _ in again if p.startswith("/world/")] == []
    assert ("/feed.xml", 304) in [(p, h["_status"]) for p, h in again]
    assert log.splitlines()[0].endswith("/feed.xml: unchanged")
    assert len(articles(db)) == 2


def test_sigterm_stops_the_watch_after_the_poll(site, tmp_path):
    site.routes["/robots.txt"] = Route(b"", "text/plain")
    site.routes["/feed.xml"] = rss(site, [])
    watcher = subprocess.Popen([sys.executable, "-m", "bilat", "watch", site.url("/feed.xml"), "--every", "1h",
                                "--db", str(tmp_path / "t.duckdb")], stderr=subprocess.PIPE, text=True)
    for line in watcher.stderr:
        if line.startswith("poll 1 done"):
            break
    watcher.send_signal(signal.SIGTERM)
    assert watcher.wait(timeout=30) == 0
    assert watcher.stderr.read().strip() == "stopped after 1 polls"


def test_a_signal_another_thread_takes_still_ends_the_wait_between_polls():
    # the kernel may hand SIGTERM to any thread (DuckDB's, BLAS's); the main thread, waiting for the next poll,
    # must still see it soon, not when the interval is over
    from bilat.watch import _wait

    stop = threading.Event()
    before = signal.signal(signal.SIGUSR1, lambda *_: stop.set())
    other = threading.Thread(target=time.sleep, args=(2,))
    other.start()
    threading.Timer(0.2, lambda: signal.pthread_kill(other.ident, signal.SIGUSR1)).start()
    try:
        started = time.monotonic()
        assert _wait(stop, 120)
        assert time.monotonic() - started < 60  # a second or so; not the 120 asked for
    finally:
        signal.signal(signal.SIGUSR1, before)
        other.join()


# --- the parts ---------------------------------------------------------------------------------------------


def test_durations_and_pairs_are_read_or_refused_in_one_line():
    assert [parse_every(t) for t in ("30s", "15m", "1h", "90")] == [30, 900, 3600, 90]
    assert parse_pair("Russia-Pakistan") == parse_pair("PAK,RUS") == "PAK-RUS"
    assert parse_pair("Guinea-Bissau-Senegal") == "GNB-SEN"
    for bad in ("soon", "-5m"):
        with pytest.raises(UsageError):
            parse_every(bad)
    with pytest.raises(UsageError):
        parse_pair("Atlantis-Pakistan")


def test_an_event_is_new_once_and_corroborated_when_its_independent_sources_reach_two():
    def event(*articles: tuple[str, str | None]) -> dict:
        mentions = [{"article_id": a, "copy_of": c, "sentence": "s"} for a, c in articles]
        independent = len({c or a for a, c in articles})
        return {"mentions": mentions, "n_sources": len(articles), "n_independent": independent, "quad_class": 1,
                "status": "occurred", "goldstein": 3.5}
    rule = Rule("PAK-RUS")
    assert alert_reason(rule, event(("a", None)), fresh={"a"}) == NEW
    assert alert_reason(rule, event(("a", None), ("b", None)), fresh={"b"}) == CORROBORATED
    assert alert_reason(rule, event(("a", None), ("b", "a")), fresh={"b"}) is None  # a copy is no second source
    assert alert_reason(rule, event(("a", None), ("b", None), ("c", None)), fresh={"c"}) is None  # was already
    assert alert_reason(rule, event(("a", None)), fresh={"z"}) is None  # untouched by the poll
    assert alert_reason(Rule("PAK-RUS", quads=(3, 4)), event(("a", None)), fresh={"a"}) is None
    assert alert_reason(Rule("PAK-RUS", goldstein_below=0), event(("a", None)), fresh={"a"}) is None
