"""Ingest: paths, folders and globs become Documents with the contract's `source`; every format the design names
is read; whatever cannot be used is set aside with a one-line reason and the run goes on."""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import threading
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bilat.errors import UsageError
from bilat.ingest import IngestOptions, iter_documents, parse_field_map
from bilat.model import Document, Quarantined


def ingest(*paths, **options) -> tuple[list[Document], list[Quarantined]]:
    items = list(iter_documents([str(p) for p in paths], IngestOptions(**options)))
    return ([i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, Quarantined)])


def reasons(quarantined: list[Quarantined]) -> dict[str, str]:
    return {q.path: q.reason for q in quarantined}


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


# --- paths, folders, globs -----------------------------------------------------------------------------------


def test_the_bundled_seeds_are_five_plain_text_documents_named_by_file(seeds_copy):
    docs, quarantined = ingest(seeds_copy)
    assert quarantined == []
    assert [d.source for d in docs] == sorted(p.name for p in seeds_copy.glob("*.txt"))
    first = docs[0]
    assert first.media_type == "text/plain" and first.encoding == "utf-8"
    assert first.content.startswith("Russia-Pakistan Relations: After Defence Relations")
    assert first.content_hash == hashlib.sha256((seeds_copy / first.source).read_bytes()).hexdigest()
    assert first.path == os.path.realpath(seeds_copy / first.source)


def test_a_folder_is_walked_recursively_in_sorted_order_with_relative_sources(tmp_path):
    corpus = tmp_path / "corpus"
    write(corpus / "z.txt", "Zed story.")
    write(corpus / "a.txt", "A story.")
    write(corpus / "sub" / "b.html", "<html><body><p>B story.</p></body></html>")
    write(corpus / "sub" / "deeper" / "c.txt", "C story.")
    write(corpus / ".hidden.txt", "not for us")
    write(corpus / ".git" / "x.txt", "not for us either")
    docs, quarantined = ingest(corpus)
    assert quarantined == []
    assert [d.source for d in docs] == ["a.txt", "sub/b.html", "sub/deeper/c.txt", "z.txt"]
    assert docs[1].media_type == "text/html" and "<p>B story.</p>" in docs[1].content


def test_a_file_given_directly_is_named_by_its_base_name(tmp_path):
    path = write(tmp_path / "deep" / "story.txt", "A story.")
    docs, _ = ingest(path)
    assert docs[0].source == "story.txt"


def test_a_glob_names_files_relative_to_its_base_folder(tmp_path, monkeypatch):
    write(tmp_path / "data" / "one.html", "<html><p>One</p></html>")
    write(tmp_path / "data" / "two.txt", "Two.")
    write(tmp_path / "data" / "sub" / "three.html", "<html><p>Three</p></html>")
    monkeypatch.chdir(tmp_path)
    docs, _ = ingest("data/*.html")
    assert [d.source for d in docs] == ["one.html"]
    docs, _ = ingest("data/**/*.html")
    assert [d.source for d in docs] == ["one.html", "sub/three.html"]
    docs, _ = ingest(tmp_path / "data" / "*")  # an absolute glob; a matching folder stands for its files
    assert [d.source for d in docs] == ["one.html", "sub/three.html", "two.txt"]


def test_a_missing_path_and_an_empty_glob_are_quarantined_and_the_rest_still_comes(tmp_path):
    good = write(tmp_path / "good.txt", "A story.")
    docs, quarantined = ingest(tmp_path / "nope.txt", tmp_path / "*.html", good)
    assert [d.source for d in docs] == ["good.txt"]
    assert reasons(quarantined) == {str(tmp_path / "nope.txt"): "no such file or folder",
                                    str(tmp_path / "*.html"): "no file matches"}


def test_symlink_loops_do_not_hang_a_folder_walk_or_a_glob(tmp_path):
    corpus = tmp_path / "corpus"
    write(corpus / "a.txt", "A story.")
    write(corpus / "sub" / "b.txt", "B story.")
    (corpus / "sub" / "up").symlink_to("..")
    (corpus / "self").symlink_to(".")
    results: dict[str, list[str]] = {}

    def run() -> None:
        results["folder"] = [d.source for d in ingest(corpus)[0]]
        results["glob"] = [d.source for d in ingest(corpus / "**" / "*.txt")[0]]

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), "the walk did not end"
    assert results == {"folder": ["a.txt", "sub/b.txt"], "glob": ["a.txt", "sub/b.txt"]}


def test_content_hashes_and_sources_are_the_same_on_every_run(tmp_path):
    write(tmp_path / "a.txt", "A story.")
    write(tmp_path / "r.jsonl", '{"id": "x", "text": "Record."}\n')
    first = [(d.source, d.content_hash) for d in ingest(tmp_path)[0]]
    second = [(d.source, d.content_hash) for d in ingest(tmp_path)[0]]
    assert first == second
    assert first[0] == ("a.txt", hashlib.sha256(b"A story.").hexdigest())


# --- JSON Lines, JSON, CSV ---------------------------------------------------------------------------------


def test_json_lines_records_become_documents_and_a_broken_line_is_set_aside(tmp_path):
    path = write(tmp_path / "news.jsonl", "\n".join([
        json.dumps({"id": "r1", "text": "Lavrov met Dar.", "title": "Talks", "date": "2025-06-10",
                    "outlet": "Dawn", "url": "https://example.org/1", "byline": "Staff", "tags": ["x"]}),
        '{"id": "r2", "text": "unterminated',
        json.dumps({"text": "<p>No id here.</p>"}),
        json.dumps({"id": 7, "title": "Headline only"}),
    ]) + "\n")
    docs, quarantined = ingest(path)
    assert [d.source for d in docs] == ["news.jsonl#r1", "news.jsonl#3"]
    assert docs[0].content == "Lavrov met Dar." and docs[0].media_type == "text/plain"
    assert docs[0].metadata == {"id": "r1", "title": "Talks", "date": "2025-06-10", "outlet": "Dawn",
                                "url": "https://example.org/1", "byline": "Staff"}
    assert docs[1].media_type == "text/html"
    found = reasons(quarantined)
    assert found[f"{path}:2"].startswith("not valid JSON: unterminated string")
    assert found[f"{path}:4"] == "no text field (fields: id, title); --field text=FIELD maps one"


def test_field_mapping_reads_other_column_names():
    assert parse_field_map(["text=body", "date=published_at", " id = newid "]) == {
        "text": "body", "date": "published_at", "id": "newid"}
    for bad in (["text"], ["text="], ["=body"], ["colour=red"]):
        with pytest.raises(UsageError):
            parse_field_map(bad)


def test_a_field_map_applies_to_json_lines(tmp_path):
    path = write(tmp_path / "reuters.jsonl", json.dumps({"newid": 5, "body": "Grain deal.", "dateline": "MOSCOW"}))
    docs, quarantined = ingest(path, field_map=parse_field_map(["text=body", "id=newid"]))
    assert quarantined == []
    assert docs[0].source == "reuters.jsonl#5" and docs[0].content == "Grain deal."
    assert docs[0].metadata == {"id": "5", "dateline": "MOSCOW"}


def test_record_text_is_html_only_when_it_is_markup(tmp_path):
    path = write(tmp_path / "wire.jsonl", "\n".join(json.dumps({"text": text}) for text in [
        "First Interstate Bancorp <I> said it bid for <Strong Point Inc>.", "<p>A paragraph.</p>", "One<br/>two"]))
    assert [d.media_type for d in ingest(path)[0]] == ["text/plain", "text/html", "text/html"]


def test_a_json_array_is_a_list_of_records(tmp_path):
    path = write(tmp_path / "news.json", json.dumps([{"text": "One."}, {"id": "b", "text": "Two."}]))
    docs, _ = ingest(path)
    assert [(d.source, d.content) for d in docs] == [("news.json#1", "One."), ("news.json#b", "Two.")]


def test_csv_rows_become_documents_and_malformed_rows_are_set_aside(tmp_path):
    path = write(tmp_path / "news.csv", (
        'id;body;published_at\n'
        'a;"Talks in Moscow; a deal signed.";2025-06-10\n'
        'b;too;many;fields\n'
        ';No id, so the line number.;2025-06-11\n'
        'c;\n'
        'd;"never closed;2025-06-12\n'
    ))
    docs, quarantined = ingest(path, field_map={"text": "body", "date": "published_at"})
    assert [(d.source, d.content, d.metadata.get("date")) for d in docs] == [
        ("news.csv#a", "Talks in Moscow; a deal signed.", "2025-06-10"),
        ("news.csv#4", "No id, so the line number.", "2025-06-11")]
    assert reasons(quarantined) == {f"{path}:3": "expected 3 fields, found 4",
                                    f"{path}:5": "expected 3 fields, found 2",
                                    f"{path}:6": "malformed row: a quote is never closed (unexpected end of data)"}


def test_a_csv_without_a_text_column_says_which_columns_it_has(tmp_path):
    path = write(tmp_path / "news.tsv", "id\tsummary\n1\tA story.\n")
    docs, quarantined = ingest(path)
    assert docs == []
    assert reasons(quarantined) == {
        str(path): "no text column (columns: id, summary); --field text=COLUMN maps one"}


def test_the_names_other_tools_give_our_fields_are_read_without_a_mapping(tmp_path):
    # news-please writes maintext, title and date_publish; many exports write body, headline and published_at
    path = write(tmp_path / "news.jsonl", "\n".join([
        json.dumps({"title": "Talks", "maintext": "Lavrov met Dar.", "date_publish": "2025-06-10 08:00:00",
                    "source_domain": "dawn.com", "url": "https://dawn.com/1"}),
        json.dumps({"headline": "Visit", "body": "Lavrov arrived.", "published_at": "2025-06-11", "text": "",
                    "link": "https://example.org/2"}),
    ]) + "\n")
    docs, quarantined = ingest(path)
    assert [d.content for d in docs] == ["Lavrov met Dar."] and list(reasons(quarantined)) == [f"{path}:2"]
    assert docs[0].metadata == {"title": "Talks", "date": "2025-06-10 08:00:00", "outlet": "dawn.com",
                                "url": "https://dawn.com/1"}
    # our own name wins over another's, even empty; a mapping wins over both
    assert reasons(quarantined)[f"{path}:2"] == "no text in 'text'"
    docs, _ = ingest(path, field_map={"text": "body"})
    assert [d.content for d in docs] == ["Lavrov arrived."]
    # NewsAPI: content, publishedAt, and a source that is an object (not an outlet's name: left out)
    path = write(tmp_path / "newsapi.jsonl", json.dumps({
        "source": {"id": None, "name": "BBC News"}, "author": "Staff", "title": "Lavrov in Islamabad",
        "publishedAt": "2021-04-07T10:00:00Z", "content": "Lavrov arrived in Islamabad."}) + "\n")
    docs, quarantined = ingest(path)
    assert quarantined == [] and docs[0].content == "Lavrov arrived in Islamabad."
    assert docs[0].metadata["date"] == "2021-04-07T10:00:00Z" and "outlet" not in docs[0].metadata


# --- WARC ----------------------------------------------------------------------------------------------------


def make_warc(path: Path, records: list[tuple[str, str, bytes]], gz: bool = True) -> Path:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    for uri, content_type, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                      http_headers=headers))
    return write(path, buffer.getvalue())


PAGES = [
    ("https://example.org/talks", "text/html; charset=utf-8",
     "<html><body><p>Lavrov met Dar in Moscow \u2014 talks.</p></body></html>".encode() * 20),
    ("https://example.org/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(200)),
    ("https://example.org/wire.txt", "text/plain", b"Wire copy: a trade deal was signed. " * 40),
]


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_a_warc_gives_one_document_per_html_or_text_response(tmp_path, gz):
    path = make_warc(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"), PAGES, gz=gz)
    docs, quarantined = ingest(path)
    assert quarantined == []
    assert [(d.source, d.media_type) for d in docs] == [("https://example.org/talks", "text/html"),
                                                       ("https://example.org/wire.txt", "text/plain")]
    assert "Lavrov met Dar in Moscow \u2014 talks." in docs[0].content
    assert docs[0].metadata["url"] == "https://example.org/talks"
    assert docs[0].metadata["fetched"].startswith("20") and "date" not in docs[0].metadata
    assert docs[0].content_hash == hashlib.sha256(PAGES[0][2]).hexdigest()


@pytest.mark.parametrize("gz", [True, False], ids=["warc.gz", "warc"])
def test_a_truncated_warc_gives_the_records_before_the_damage_then_one_quarantine_line(tmp_path, gz):
    whole = make_warc(tmp_path / "whole", PAGES, gz=gz).read_bytes()
    path = write(tmp_path / ("cut.warc.gz" if gz else "cut.warc"), whole[: len(whole) - 300])
    docs, quarantined = ingest(path)
    assert [d.source for d in docs] == ["https://example.org/talks"]
    assert len(quarantined) == 1 and quarantined[0].path == str(path)
    assert quarantined[0].reason.startswith("truncated or corrupt WARC: ")


def test_a_warc_record_larger_than_the_limit_stops_the_archive(tmp_path):
    bomb = gzip.compress(b"<html>" + b" " * 2_000_000)  # a gzip-encoded HTTP body: 2 MB from 2 KB
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
                               protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://example.org/bomb", "response",
                                                  payload=io.BytesIO(bomb), http_headers=headers))
    path = write(tmp_path / "bomb.warc.gz", buffer.getvalue())
    docs, quarantined = ingest(path, max_bytes=100_000)
    assert docs == []
    assert reasons(quarantined) == {
        str(path): "record https://example.org/bomb larger than 100,000 bytes; stopped reading this WARC"}


# --- feeds ---------------------------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Dawn</title><link>https://dawn.example</link>
<item><title>Lavrov in Islamabad</title><link>https://dawn.example/1</link>
  <description>&lt;p&gt;Talks on energy.&lt;/p&gt;</description>
  <pubDate>Tue, 10 Jun 2025 01:00:00 +0500</pubDate><author>staff@dawn.example (Staff)</author></item>
<item><title>No link here</title><description>Plain summary.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>TASS</title><id>urn:tass</id><updated>2025-06-11T00:00:00Z</updated>
<entry><title>Gas pipeline</title><link href="https://tass.example/2"/><id>urn:2</id>
  <updated>2025-06-11T09:00:00+03:00</updated><author><name>Ivan Petrov</name></author>
  <content type="html">&lt;p&gt;The pipeline deal was signed.&lt;/p&gt;</content></entry>
</feed>"""


def test_an_rss_feed_gives_one_document_per_item(tmp_path):
    path = write(tmp_path / "dawn.rss", RSS)
    docs, quarantined = ingest(path)
    assert quarantined == []
    assert [d.source for d in docs] == ["https://dawn.example/1", "dawn.rss#2"]
    first = docs[0]
    assert first.media_type == "text/html" and "Talks on energy." in first.content
    assert first.metadata["title"] == "Lavrov in Islamabad"
    assert first.metadata["date"] == "2025-06-10"  # the feed's own day, not UTC's 9 June
    assert first.metadata["outlet"] == "Dawn" and "Staff" in first.metadata["byline"]
    assert docs[1].media_type == "text/plain" and docs[1].content == "Plain summary."


def test_an_atom_feed_in_an_xml_file_gives_its_entries(tmp_path):
    docs, quarantined = ingest(write(tmp_path / "tass.xml", ATOM))
    assert quarantined == []
    assert len(docs) == 1
    assert docs[0].source == "https://tass.example/2"
    assert docs[0].metadata == {"title": "Gas pipeline", "date": "2025-06-11", "url": "https://tass.example/2",
                                "byline": "Ivan Petrov", "outlet": "TASS"}
    assert "The pipeline deal was signed." in docs[0].content


def test_a_broken_feed_and_an_xml_file_that_is_no_feed_are_quarantined_with_the_reason(tmp_path):
    broken = write(tmp_path / "broken.rss", "<rss><channel><title>cut off")
    sitemap = write(tmp_path / "sitemap.xml", '<?xml version="1.0"?><urlset><url><loc>x</loc></url></urlset>')
    _, quarantined = ingest(broken, sitemap)
    assert reasons(quarantined) == {str(broken): "not a readable feed: no element found",
                                    str(sitemap): "not an RSS or Atom feed"}


def test_content_decides_when_the_extension_says_text(tmp_path):
    write(tmp_path / "page.txt", "<!DOCTYPE html><html><body><p>Hi</p></body></html>")
    write(tmp_path / "feed.txt", RSS)
    docs, _ = ingest(tmp_path)
    assert [(d.source, d.media_type) for d in docs] == [
        ("https://dawn.example/1", "text/html"), ("feed.txt#2", "text/plain"), ("page.txt", "text/html")]


# --- decoding and unusable files -----------------------------------------------------------------------------


def test_a_cp1252_file_decodes_to_the_right_characters(tmp_path):
    text = "The minister said: \u201cWe will cooperate.\u201d Caf\u00e9 talks resumed \u2013 again."
    docs, _ = ingest(write(tmp_path / "legacy.txt", text.encode("cp1252")))
    assert docs[0].content == text and docs[0].encoding == "cp1252"


def test_byte_order_marks_are_honoured(tmp_path):
    write(tmp_path / "a.txt", "\ufeffCaf\u00e9".encode("utf-8"))
    write(tmp_path / "b.txt", "Caf\u00e9 talks".encode("utf-16"))
    docs, _ = ingest(tmp_path)
    assert [(d.content, d.encoding) for d in docs] == [("Caf\u00e9", "utf-8-sig"), ("Caf\u00e9 talks", "utf-16")]


def test_binary_empty_and_oversized_files_are_quarantined(tmp_path):
    write(tmp_path / "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "blank.txt", " \n\t\n")
    write(tmp_path / "big.txt", "x" * 2_000)
    write(tmp_path / "ok.txt", "A story.")
    docs, quarantined = ingest(tmp_path, max_bytes=1_000)
    assert [d.source for d in docs] == ["ok.txt"]
    assert reasons(quarantined) == {
        str(tmp_path / "big.txt"): "file too large: 2,000 bytes (limit 1,000)",
        str(tmp_path / "blank.txt"): "empty file",
        str(tmp_path / "empty.txt"): "empty file",
        str(tmp_path / "image.txt"): "binary file, not text",
    }


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_quarantined_with_the_system_reason(tmp_path):
    path = write(tmp_path / "secret.txt", "A story.")
    path.chmod(0)
    try:
        _, quarantined = ingest(path)
    finally:
        path.chmod(0o644)
    assert reasons(quarantined) == {str(path): "cannot read: permission denied"}
