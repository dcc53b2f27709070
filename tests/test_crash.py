"""Crash-safe runs and one writer, on a corpus of a few hundred small articles made from the seeds.

`bilat run` killed with SIGKILL while it reads, codes or makes events leaves a store that opens, holds no
half-written article and no duplicate row, and that the next run completes, without coding again what was coded,
into the store an uninterrupted run makes. The kills come when the run's progress lines say it reached a stage (on
a pipe, `bilat run` prints one line per stored batch of documents and per coded batch of articles).

A second run, or an export, on a store that a run is writing stops at once with one line naming that run; the run
goes on and makes the clean run's store."""
from __future__ import annotations

import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from bilat.cli import app
from bilat.pipeline import INGEST_BATCH
from bilat.store import Store

from conftest import SAMPLE

ARTICLES = 550  # more than one batch of documents stored (INGEST_BATCH) and three coding batches of 200
LINE_TIMEOUT = 120  # seconds to wait for the next progress line on a machine shared with others


def write_corpus(folder: Path) -> Path:
    """ARTICLES small articles: every other one a paragraph of the seeds (many are copies of one another),
    the rest market notes with no event; one teaches a name (Selim Ardakan) in the first coding batch that an
    article of the last batch uses, which a batch must not know (batches learn only within themselves)."""
    folder.mkdir()
    seeds = [f.read_text(encoding="utf-8") for f in sorted(SAMPLE.glob("*.txt"))]
    paragraphs = [p for s in seeds for p in s.split("\n\n")[1:] if len(p) > 80]
    for i in range(ARTICLES):
        if i % 2:
            text = (f"Markets close {i}\n\nShares in the regional index closed {i % 7} points higher on light "
                    f"trading on day {i}. Dealers expect quiet sessions this week.\n")
        else:
            text = f"Relations report {i}\n\n{paragraphs[i // 2 % len(paragraphs)]}\n"
        (folder / f"{i:04d}.txt").write_text(text, encoding="utf-8")
    (folder / "0003.txt").write_text("Talks in Islamabad\n\nTurkish foreign minister Selim Ardakan arrived in "
                                     "Islamabad on Tuesday for talks with Pakistani officials.\n", encoding="utf-8")
    (folder / f"{ARTICLES - 3:04d}.txt").write_text("Ardakan in Kabul\n\nArdakan met Afghan officials in Kabul "
                                                    "on Friday.\n", encoding="utf-8")
    return folder


class Run:
    """`bilat run CORPUS --db DB` in a process of its own, whose progress lines (standard error) are read as
    they come."""

    def __init__(self, corpus: Path, db: Path, workers: int = 1):
        self.proc = bilat("run", corpus, "--db", db, "--workers", workers)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def wait_for(self, prefix: str) -> str:
        """The first progress line from now on that starts with `prefix`."""
        while True:
            line = self.lines.get(timeout=LINE_TIMEOUT)
            if line is None:
                raise AssertionError(f"the run ended ({self.proc.wait()}) before {prefix!r}:\n" + "\n".join(self.seen))
            self.seen.append(line)
            if line.startswith(prefix):
                return line

    def kill(self) -> None:
        """SIGKILL the run, then check that the processes it started (coding workers) end too."""
        helpers = psutil.Process(self.proc.pid).children(recursive=True)
        self.proc.send_signal(signal.SIGKILL)
        assert self.proc.wait(timeout=30) == -signal.SIGKILL
        gone, alive = psutil.wait_procs(helpers, timeout=15)
        assert not alive, f"processes of the killed run still running: {alive}"

    def finish(self) -> str:
        """Wait for the run to end well; its summary line."""
        while (line := self.lines.get(timeout=LINE_TIMEOUT * 2)) is not None:
            self.seen.append(line)
        assert self.proc.wait() == 0, "\n".join(self.seen)
        return self.seen[-1]


def bilat(*args: str | Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bilat", *map(str, args)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)


def counted(line: str) -> tuple[int, int]:
    """(done, total) of a progress line such as 'coding events: 200/550'."""
    done, total = line.rsplit(" ", 1)[1].split("/")
    return int(done), int(total)


def state(db: Path) -> dict:
    """What the store holds, opened read-only: articles, the mentions and facts of each, events and their
    links, and the rows that would be duplicates."""
    with Store(db, read_only=True) as store:
        q = store.db.execute
        return {
            "articles": {r[0]: r[1:] for r in q("SELECT article_id, source, title, published, text, duplicate_of, "
                                               "text_key FROM articles").fetchall()},
            "coded": {r[0] for r in q("SELECT article_id FROM articles WHERE coded").fetchall()},
            "mentions": {r[0]: sorted(r[1]) for r in q("SELECT article_id, list(mention_id) FROM event_mentions "
                                                       "GROUP BY article_id").fetchall()},
            "facts": {r[0]: sorted(r[1]) for r in q("SELECT article_id, list(fact_id) FROM facts "
                                                    "GROUP BY article_id").fetchall()},
            "events": sorted(r[0] for r in q("SELECT event_id FROM events").fetchall()),
            "learned": store.learned_actors(),
            "stale": store.events_stale(),
            "duplicate rows": q("""SELECT (SELECT count(*) - count(DISTINCT article_id) FROM articles)
                                        + (SELECT count(*) - count(DISTINCT mention_id) FROM event_mentions)
                                        + (SELECT count(*) - count(DISTINCT fact_id) FROM facts)
                                        + (SELECT count(*) - count(DISTINCT event_id) FROM events)
                                        + (SELECT count(*) - count(DISTINCT (event_id, mention_id)) FROM event_links)
                                 """).fetchone()[0],
            "broken links": q("""SELECT count(*) FROM event_links l
                                 WHERE l.mention_id NOT IN (SELECT mention_id FROM event_mentions)
                                    OR l.event_id NOT IN (SELECT event_id FROM events)""").fetchone()[0]
                            + q("SELECT count(*) FROM events WHERE event_id NOT IN (SELECT event_id FROM event_links)"
                                ).fetchone()[0],
        }


def assert_whole(db: Path, clean: dict) -> dict:
    """The store a killed run left opens read-only and for writing, and what it holds is whole: each stored
    article as the clean run stored it; a coded article with all the mentions and facts the clean run gave it, an
    article not coded yet with none; no duplicate row; events that link only to stored mentions."""
    found = state(db)
    with Store(db):  # for writing too (what the write-ahead log holds is replayed)
        pass
    assert found["duplicate rows"] == 0 and found["broken links"] == 0
    for article_id, row in found["articles"].items():
        assert row == clean["articles"][article_id]
    for part in ("mentions", "facts"):
        assert set(found[part]) <= found["coded"], f"{part} of articles not marked coded"
        for article_id in found["coded"]:
            assert found[part].get(article_id) == clean[part].get(article_id), f"partial {part} of {article_id}"
    if not found["stale"] and found["coded"] == set(clean["articles"]):
        assert found["events"] == clean["events"]
    return found


def assert_same_as_clean(db: Path, clean: dict) -> None:
    assert state(db) == {k: v for k, v in clean.items() if k != "exports"}
    assert exports(db) == clean["exports"]


def exports(db: Path) -> list[str]:
    runner = CliRunner()
    outputs = []
    for args in (["export", "articles"], ["export", "events"], ["export", "events", "--format", "gdelt"],
                 ["facts", "--json"], ["conflicts", "--json"]):
        result = runner.invoke(app, [*args, "--db", str(db)])
        assert result.exit_code == 0, result.output
        outputs.append(result.stdout)
    return outputs


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("crash") / "corpus")


@pytest.fixture(scope="module")
def clean(corpus: Path, tmp_path_factory) -> dict:
    """The store of an uninterrupted run: its state and its exports."""
    db = tmp_path_factory.mktemp("clean") / "clean.duckdb"
    Run(corpus, db).finish()
    found = state(db)
    assert found["coded"] == set(found["articles"]) and not found["stale"]
    assert len(found["articles"]) == ARTICLES and found["events"] and found["learned"]
    return {**found, "exports": exports(db)}


def test_a_run_killed_in_every_stage_is_completed_by_the_next_into_the_clean_runs_store(corpus, clean, tmp_path):
    db = tmp_path / "killed.duckdb"

    # reading: killed once the first batch of documents is stored, before any article is coded
    run = Run(corpus, db)
    run.wait_for(f"reading and cleaning: {INGEST_BATCH}")
    run.kill()
    found = assert_whole(db, clean)
    assert len(found["articles"]) >= INGEST_BATCH and not found["coded"]

    # coding in two processes: killed after the first batch is written; the coding processes end with the run
    run = Run(corpus, db, workers=2)
    run.wait_for("coding events:")
    run.kill()
    found = assert_whole(db, clean)
    assert len(found["articles"]) == ARTICLES and 0 < len(found["coded"]) < ARTICLES and found["stale"]

    # coding resumes with the articles not coded yet; killed once the events are being made
    coded_before = len(found["coded"])
    run = Run(corpus, db)
    done, total = counted(run.wait_for("coding events:"))
    assert total == ARTICLES - coded_before  # what was coded is not coded again
    run.wait_for("making events:")
    run.kill()
    found = assert_whole(db, clean)
    assert found["coded"] == set(clean["articles"])

    # the last run has nothing left to read or code; it makes the events if the killed run had not
    summary = Run(corpus, db).finish()
    assert f"0 articles added (0 duplicates), {ARTICLES} already stored" in summary
    assert "0 articles coded" in summary
    assert_same_as_clean(db, clean)


def test_a_second_run_or_a_reader_on_a_store_being_written_stops_with_one_line(corpus, clean, tmp_path):
    db = tmp_path / "busy.duckdb"
    first = Run(corpus, db)
    first.wait_for("reading and cleaning:")  # it holds the store
    others = [bilat("run", corpus, "--db", db), bilat("export", "events", "--db", db)]
    for other in others:
        _, stderr = other.communicate(timeout=LINE_TIMEOUT)
        assert other.returncode == 1
        assert stderr.count("\n") == 1 and f"in use by another process (PID {first.proc.pid})" in stderr
        assert "wait for it to finish" in stderr
    assert first.proc.poll() is None, "the first run ended before the others tried: nothing was shown"
    first.finish()
    assert_same_as_clean(db, clean)
