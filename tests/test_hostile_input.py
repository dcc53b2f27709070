"""Hostile and broken input, end to end: a folder where good articles sit beside every kind of bad file runs
through the real `bilat run`. Each bad input gives exactly one quarantine line, naming it (FILE, or FILE:LINE
for a record) with a one-line human reason; every good article is stored; a second run adds nothing and says the
same; and the run's memory stays bounded with 50 MB of text on one line and a gzip bomb in the folder.

The corpus is made by code, once per module. The reasons themselves are unit-tested in test_ingest.py; here
they meet each other and the rest of the pipeline.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

STORY = ("Russian Foreign Minister Sergey Lavrov met Pakistani Foreign Minister Ishaq Dar in Moscow on {day}. "
         "The two ministers signed an agreement on energy cooperation and discussed a gas pipeline.")
ACCENTED = STORY.replace("Moscow", "Moscow\u2019s caf\u00e9")  # multi-byte characters, so UTF-8 is evident
ONE_LINE_BYTES = 50 * 1024 * 1024
PEAK_RSS_LIMIT_MB = 1024  # measured about 360 MB: the spaCy pipeline and one 50 MB text at a time
CAN_CHMOD = os.name == "posix" and os.geteuid() != 0  # root reads any file

# What a run must say about each bad input: its name under the corpus folder (FILE:LINE for a record) -> reason.
# A name ending in "*" matches a reason that starts with the rest.
BAD = {
    "zero.txt": "empty file",
    "png-named.txt": "binary file, not text",
    "control-bytes.txt": "binary file, not text",
    "one-line.txt": f"one line of {ONE_LINE_BYTES:,} characters: not article text (limit 100,000)",
    "nested.html": "no article text found in the HTML",
    "scripts-only.html": "no article text found in the HTML",
    "bomb.warc.gz": "truncated or corrupt WARC: no WARC record at byte 0",
    "cut.warc.gz": "truncated or corrupt WARC: *",
    "cut.rss": "truncated or malformed feed: no element found; 1 whole entry before it kept",
    "quotes.csv:3": "malformed row: unbalanced quote (',' expected after '\"')",
    "broken.jsonl:2": "not valid JSON: unterminated string starting at (line 1, column 21)",
    "dangling.txt": "cannot read: no such file or directory",
    "self-link.txt": "cannot read: too many levels of symbolic links",
    "pipe.txt": "not a regular file",
    **({"unreadable.txt": "cannot read: permission denied"} if CAN_CHMOD else {}),
}

# Every good article the folder holds, by its source, with a piece of text it must keep (decoded right).
GOOD = {
    "invalid-utf8-start.txt": "Moscow\u2019s caf\u00e9",
    "invalid-utf8-middle.txt": "Moscow\u2019s caf\u00e9",
    "invalid-utf8-end.txt": "Moscow\u2019s caf\u00e9",
    "mixed-encodings.txt": "Le ministre a parl\u00e9 de coop\u00e9ration",
    "nul-padded.txt": "Moscow\u2019s caf\u00e9",
    "nul-inside.txt": "Moscow\u2019s caf\u00e9",
    "page.html": "on Friday",
    "good.csv#1": "on Monday", "good.csv#2": "on Tuesday",
    "quotes.csv#1": "on Wednesday", "quotes.csv#3": "on Thursday", "quotes.csv#4": "on Friday",
    "good.jsonl#x": "on Saturday", "good.jsonl#y": "on Sunday",
    "broken.jsonl#a": "on Monday", "broken.jsonl#c": "on Tuesday",
    "https://good.example/1": "on Monday", "https://good.example/2": "on Tuesday",
    "https://dawn.example/1": "on Wednesday",
    "https://example.org/0": "on Monday", "https://example.org/1": "on Tuesday",
}


def story(day: str, text: str = STORY) -> str:
    return text.format(day=day)


def rss(host: str, days: list[str]) -> str:
    items = "".join(f"<item><title>Talks {n}</title><link>https://{host}/{n}</link>"
                    f"<description>{story(day)}</description></item>\n" for n, day in enumerate(days, 1))
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{host}</title>\n{items}' \
           f"</channel></rss>"


def warc(days: list[str]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for n, day in enumerate(days):
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        page = f"<html><body><h1>Energy talks in Moscow {n}</h1><p>{story(day)}</p><p>{story(day)}</p></body></html>"
        writer.write_record(writer.create_warc_record(f"https://example.org/{n}", "response",
                                                      payload=io.BytesIO(page.encode()), http_headers=headers))
    return buffer.getvalue()


def make_corpus(folder: Path, seeds: Path) -> None:
    """The good files (the seeds and one of each format) and the bad ones, side by side."""
    files: dict[str, str | bytes] = {f.name: f.read_bytes() for f in sorted(seeds.glob("*.txt"))}
    accented = story("Tuesday", ACCENTED).encode()
    files.update({
        # good, or damaged in a way that leaves the article readable
        "invalid-utf8-start.txt": b"\xff" + accented,
        "invalid-utf8-middle.txt": accented.replace(b" met ", b" met \xc3\x28 "),
        "invalid-utf8-end.txt": accented + "\u201c".encode()[:2],  # cut in the middle of a character
        "mixed-encodings.txt": accented + b"\n\n" + "Le ministre a parl\u00e9 de coop\u00e9ration.".encode("cp1252"),
        "nul-padded.txt": accented + b"\n" + bytes(64),
        "nul-inside.txt": accented.replace(b"Pakistani", b"Paki\x00stani"),
        "page.html": f"<html><head><title>Energy talks</title></head><body><article><h1>Energy talks in Moscow</h1>"
                     f"<p>{story('Friday')}</p><p>{story('Friday')}</p></article></body></html>",
        "good.csv": f'id,title,text\n1,Talks,"{story("Monday")}"\n2,Talks,"{story("Tuesday")}"\n',
        "good.jsonl": "".join(json.dumps({"id": i, "text": story(day)}) + "\n"
                              for i, day in [("x", "Saturday"), ("y", "Sunday")]),
        "good.rss": rss("good.example", ["Monday", "Tuesday"]),
        # bad
        "zero.txt": b"",
        "png-named.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 16,
        "control-bytes.txt": bytes(range(1, 32)) * 200,  # binary without a NUL byte
        "nested.html": "<html><body>" + "<div>" * 100_000 + f"<p>{story('Monday')}</p>" + "</div>" * 100_000
                       + "</body></html>",
        "scripts-only.html": "<!DOCTYPE html><html><head><script>var a = 1;</script></head><body>"
                             "<script>document.write('<p>' + 'x'.repeat(100) + '</p>')</script>"
                             "<script src='app.js'></script></body></html>",
        # a gzip bomb: 128 gzip members of 8 MiB of zeros each, 1 GiB from 1 MB
        "bomb.warc.gz": gzip.compress(bytes(8 << 20), 9) * 128,
        "cut.warc.gz": warc(["Monday", "Tuesday", "Wednesday"])[:-200],
        "cut.rss": (lambda whole: whole[:whole.index("Thursday")])(rss("dawn.example", ["Wednesday", "Thursday"])),
        "quotes.csv": (f'id,title,text\n1,Talks,"{story("Wednesday")}"\n2,Talks,"{story("Monday")}\n'
                       f'3,Talks,"{story("Thursday")}"\n4,Talks,"{story("Friday")}"\n'),
        "broken.jsonl": (json.dumps({"id": "a", "text": story("Monday")}) + '\n{"id": "b", "text": "cut off\n'
                         + json.dumps({"id": "c", "text": story("Tuesday")}) + "\n"),
    })
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with open(folder / "one-line.txt", "wb") as handle:  # 50 MiB of words and no line break
        handle.write(b"word " * (ONE_LINE_BYTES // 5))
    os.symlink(".", folder / "loop")  # a symlink loop: the walk must end, and read nothing twice
    os.symlink("nowhere.txt", folder / "dangling.txt")
    os.symlink("self-link.txt", folder / "self-link.txt")
    os.mkfifo(folder / "pipe.txt")  # reading it would block forever
    if CAN_CHMOD:
        (folder / "unreadable.txt").write_text(story("Monday"))
        (folder / "unreadable.txt").chmod(0)


def bilat(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bilat", *args], capture_output=True, text=True, timeout=300)


# Runs `bilat` as its only child, so the peak resident memory of the children it reports is bilat's alone.
MEASURE = """
import resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=300)
sys.stdout.write(f"{proc.returncode}\\n{resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\\n" + proc.stderr)
"""


@pytest.fixture(scope="module")
def runs(tmp_path_factory, sample_dir):
    """The corpus, run twice through the real command (the first run's peak memory measured), and exported."""
    work = tmp_path_factory.mktemp("hostile")
    folder = work / "corpus"
    folder.mkdir()
    make_corpus(folder, sample_dir)
    db = str(work / "store.duckdb")
    try:
        measured = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "bilat", "run", str(folder),
                                   "--db", db], capture_output=True, text=True, timeout=300, check=True).stdout
        second = bilat("run", str(folder), "--db", db)
    finally:
        if CAN_CHMOD:
            (folder / "unreadable.txt").chmod(0o644)
    returncode, peak_kb, stderr = measured.split("\n", 2)
    exported = bilat("export", "articles", "--db", db)
    return {"folder": folder, "first": (int(returncode), stderr), "second": (second.returncode, second.stderr),
            "peak_mb": int(peak_kb) / 1024,
            "articles": [json.loads(line) for line in exported.stdout.splitlines() if line.strip()]}


def skipped(stderr: str, folder: Path) -> list[tuple[str, str]]:
    """(name under the corpus folder, reason) of each `skipped` line a run printed."""
    lines = []
    for line in stderr.splitlines():
        if line.startswith("skipped "):
            path, _, reason = line.removeprefix("skipped ").partition(": ")
            lines.append((path.removeprefix(f"{folder}/"), reason))
    return lines


def test_the_run_succeeds_without_a_traceback(runs):
    for returncode, stderr in (runs["first"], runs["second"]):
        assert returncode == 0, stderr  # README: 0 when anything was ingested
        assert "Traceback" not in stderr and "internal error" not in stderr


def test_each_bad_input_gives_exactly_one_line_naming_it_with_its_reason(runs):
    lines = skipped(runs["first"][1], runs["folder"])
    assert sorted(name for name, _ in lines) == sorted(BAD), lines
    for name, reason in lines:
        expected = BAD[name]
        assert reason.startswith(expected[:-1]) if expected.endswith("*") else reason == expected, (name, reason)


def test_every_good_article_is_stored_once_and_decoded_right(runs):
    articles = {a["source"]: a for a in runs["articles"]}
    assert sorted(articles) == sorted([*GOOD, *(p.name for p in Path(runs["folder"]).glob("0*.txt"))])
    for source, piece in GOOD.items():
        text = (articles[source]["title"] or "") + " " + articles[source]["text"]
        assert piece in text, source
        assert "\x00" not in text and "\ufffd" not in text, source


def test_a_second_run_adds_nothing_and_says_the_same(runs):
    stderr = runs["second"][1]
    assert f"0 articles added (0 duplicates), {len(runs['articles'])} already stored" in stderr
    assert skipped(stderr, runs["folder"]) == skipped(runs["first"][1], runs["folder"])


def test_memory_stays_bounded(runs):
    assert runs["peak_mb"] < PEAK_RSS_LIMIT_MB, f"peak resident memory {runs['peak_mb']:.0f} MB"
