"""The ingest stage: paths in, `Document`s out, and a `Quarantined(path, reason)` for whatever cannot be used.

    iter_documents(["corpus/", "feeds/*.xml", "crawl.warc.gz"]) -> Document | Quarantined, one at a time

A path is a file, a folder (walked recursively in sorted order, hidden files and folders skipped, each real
folder visited once so symlink loops end) or a glob (`data/*.html`, `data/**/*.txt`). Each file is read by the
reader its extension names in `READERS`; a plain-text or unknown file is sniffed first (`SNIFFERS`), so a
`.txt` holding HTML is read as HTML and a `.txt` holding RSS as a feed. One reader a format, one table entry a
reader: adding a format is one function and one line in `READERS`.

Nothing here raises for a bad input. A file, record or archive that cannot be used becomes a `Quarantined`
with a one-line, lower-case reason, and the next item comes. Why some choices were made:

- Files are read whole, up to `IngestOptions.max_bytes` (a larger file is quarantined unread), except WARC
  archives, which are streamed record by record: crawls are often gigabytes, so for them the limit bounds
  each record's decompressed payload instead (a gzip bomb stops the archive with a quarantine line).
- Text is decoded BOM first, then strict UTF-8, then mostly UTF-8, then the charset an HTML page or HTTP
  header declares, then charset_normalizer's guess. When that guess ties with windows-1252 (same decoded
  quality), windows-1252 wins: it is the web's default legacy encoding (WHATWG), and short English texts
  otherwise come out as some DOS code page.
- Mostly UTF-8 (a damaged byte, a cp1252 line pasted into a UTF-8 file) is read as UTF-8 with the stray bytes
  as windows-1252, so `café` stays `café` and `parl\xe9` becomes `parlé`; a character cut off at the very end
  is dropped. Guessers read such a file as Shift-JIS or Mac Roman, garbling every line.
- NUL padding at the end and a few stray NULs (at most 1 byte in 100) are dropped; more NULs make a binary file.
- A plain text with a line over `IngestOptions.max_line_chars` (100,000) characters, or over
  `max_text_chars` (1,000,000) in all, is no article (a dump, a book, a log): it is set aside
  (`one line of 52,428,800 characters: not article text (limit 100,000)`) before the cleaner and the parser
  spend minutes and gigabytes on it. HTML is not held to this: minified pages are one line.
- A CSV row that is malformed over several lines (an unbalanced quote swallows the rows below it) is set aside
  alone, and reading starts again on the next line. A feed that is not well-formed XML (cut off) gives its
  whole entries and one line saying so.
- A record's `content_hash` is the SHA-256 of its canonical JSON (sorted keys, no spaces), so the same record
  hashes the same in a JSON Lines file, a JSON array or after re-serialising.
- Feed dates keep the day in the feed's own time zone (`Tue, 10 Jun 2025 01:00 +0500` is 2025-06-10), not
  feedparser's UTC conversion, which can move a story to the previous day.
- Python's `glob` follows symlinked folders under `**` without end; globs are therefore expanded here, over
  the same loop-safe walk as folders.
"""
from __future__ import annotations

import codecs
import csv
import email.utils
import fnmatch
import hashlib
import io
import itertools
import json
import logging
import os
import re
import stat
import time
import xml.sax
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Any

import charset_normalizer
import feedparser
from warcio.archiveiterator import ArchiveIterator, WARCIterator
from warcio.exceptions import ArchiveLoadFailed

from .errors import InputError, UsageError
from .model import Document, Quarantined

logger = logging.getLogger(__name__)

TEXT, HTML = "text/plain", "text/html"

# Our names for what a record may carry; `parse_field_map` maps a file's own column names onto them.
FIELDS = ("id", "text", "title", "date", "url", "outlet", "byline", "dateline")

_CHUNK = 1 << 16


@dataclass
class IngestOptions:
    """Settings of the ingest stage, from the command line to the readers."""

    field_map: dict[str, str] = field(default_factory=dict)  # our name -> the file's column/key, e.g. {"text": "body"}
    max_bytes: int = 200 * 1024 * 1024  # a single file or decompressed member larger than this is quarantined
    max_text_chars: int = 1_000_000  # a plain text longer than this is no article (a book, a dump)
    max_line_chars: int = 100_000  # nor is a plain text with a line longer than this (a dump on one line)


def parse_field_map(pairs: list[str]) -> dict[str, str]:
    """Turn `--field NAME=COLUMN` arguments into a field map.

    >>> parse_field_map(["text=body", "date=published_at"])
    {'text': 'body', 'date': 'published_at'}

    Raises UsageError on a pair without `=`, an empty side, or a NAME that is not one of `FIELDS`.
    """
    mapping: dict[str, str] = {}
    for pair in pairs:
        name, equals, column = pair.partition("=")
        name, column = name.strip().lower(), column.strip()
        if not equals or not name or not column:
            raise UsageError(f"--field {pair!r}: expected NAME=COLUMN, e.g. text=body")
        if name not in FIELDS:
            raise UsageError(f"--field {pair!r}: unknown field {name!r}; known fields: {', '.join(FIELDS)}")
        mapping[name] = column
    return mapping


def iter_documents(paths: Iterable[str], options: IngestOptions | None = None) -> Iterator[Document | Quarantined]:
    """Every Document in `paths` (files, folders, globs), in order, with a Quarantined for each unusable input.

    The same real file reached twice (given twice, or through a symlink) is read once.

    >>> [d.source for d in iter_documents(["corpus"])]          # corpus/a.txt, corpus/sub/b.html
    ['a.txt', 'sub/b.html']
    """
    options = options or IngestOptions()
    if isinstance(paths, (str, os.PathLike)):  # one path, not an iterable of characters
        paths = [paths]
    seen: set[str] = set()
    for argument in paths:
        for item in _expand(os.fspath(argument)):
            if isinstance(item, Quarantined):
                yield item
            elif item.real_path not in seen:
                seen.add(item.real_path)
                yield from _read(item, options)


def read_fetched(url: str, data: bytes,
                 options: IngestOptions | None = None) -> tuple[bool, list[Document | Quarantined]]:
    """What bytes fetched from `url` hold, read as a file of that name would be (its extension, else its look):
    (whether it is a feed, its Documents and Quarantined items). A page is one Document whose source is `url`;
    a feed gives one per entry, whose source is the entry's link.

    >>> read_fetched("https://example.org/rss", b"<rss version='2.0'><channel>...")[0]
    True
    """
    file = InputFile(path=url, source=url, real_path=url, _data=data)
    return _reader_for(file) is read_feed, list(_read(file, options or IngestOptions()))


# --- finding the files -------------------------------------------------------------------------------------


@dataclass
class InputFile:
    """One file to read: the path as the user would recognise it, its contract `source`, its real path."""

    path: str
    source: str
    real_path: str
    max_bytes: int = IngestOptions.max_bytes
    _data: bytes | None = field(default=None, repr=False)

    def read_bytes(self) -> bytes:
        """The whole file (read once). Raises InputError when it is too large or cannot be read."""
        if self._data is None:
            try:
                size = os.stat(self.path).st_size
                if size > self.max_bytes:
                    raise InputError(self.path, f"file too large: {size:,} bytes (limit {self.max_bytes:,})")
                with open(self.path, "rb") as handle:
                    data = handle.read(self.max_bytes + 1)
            except OSError as error:
                raise InputError(self.path, f"cannot read: {_os_reason(error)}") from None
            if len(data) > self.max_bytes:  # it grew since the stat
                raise InputError(self.path, f"file too large: over {self.max_bytes:,} bytes")
            self._data = data
        return self._data


_GLOB_MAGIC = re.compile(r"[*?[]")


def _expand(argument: str) -> Iterator[InputFile | Quarantined]:
    """The files one command-line path stands for, or a Quarantined saying why there are none."""
    if _GLOB_MAGIC.search(argument):
        yield from _expand_glob(argument)
    elif os.path.isdir(argument):
        yield from _files_under(argument, prefix="")
    elif os.path.exists(argument):
        yield _input_file(argument, os.path.basename(argument))
    else:
        yield Quarantined(argument, "no such file or folder")


def _input_file(path: str, source: str) -> InputFile | Quarantined:
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return Quarantined(path, f"cannot read: {_os_reason(error)}")
    if not stat.S_ISREG(mode):  # a FIFO or device would block or never end
        return Quarantined(path, "not a regular file")
    return InputFile(path=path, source=source, real_path=os.path.realpath(path))


def _files_under(folder: str, prefix: str) -> Iterator[InputFile | Quarantined]:
    """Every non-hidden file under `folder`, sorted by relative path; sources are `prefix` + that path.

    Each real folder is entered once, so a symlink loop (`a/up -> ..`) ends instead of recursing forever.
    """
    found: list[tuple[tuple[str, ...], str]] = []
    problems: list[Quarantined] = []
    visited: set[str] = set()
    stack: list[tuple[str, tuple[str, ...]]] = [(folder, ())]
    while stack:
        directory, parts = stack.pop()
        real = os.path.realpath(directory)
        if real in visited:
            continue
        visited.add(real)
        try:
            with os.scandir(directory) as entries:
                children = sorted((entry.name, entry.path, _is_dir(entry)) for entry in entries
                                  if not entry.name.startswith("."))
        except OSError as error:
            problems.append(Quarantined(directory, f"cannot read: {_os_reason(error)}"))
            continue
        for name, path, is_dir in reversed(children):  # popped in sorted order: the first spelling of a loop wins
            if is_dir:
                stack.append((path, parts + (name,)))
            else:
                found.append((parts + (name,), path))
    yield from problems
    for parts, path in sorted(found):
        yield _input_file(path, prefix + "/".join(parts))


def _expand_glob(pattern: str) -> Iterator[InputFile | Quarantined]:
    """Files matching a glob; sources are relative to its non-magic base folder (`data/**/*.txt` -> `data`).

    A matching folder stands for every file under it, as when a shell expands `data/*` into folders.
    """
    parts = PurePath(pattern).parts
    first_magic = next(i for i, part in enumerate(parts) if _GLOB_MAGIC.search(part))
    base = str(PurePath(*parts[:first_magic])) if first_magic else ""
    matches = _glob_segments(base, list(parts[first_magic:])) if os.path.isdir(base or ".") else []
    if not matches:
        yield Quarantined(pattern, "no file matches")
        return
    for path in sorted(set(matches), key=lambda p: PurePath(os.path.relpath(p, base or ".")).parts):
        source = PurePath(os.path.relpath(path, base or ".")).as_posix()
        if os.path.isdir(path):
            yield from _files_under(path, prefix="" if source == "." else source + "/")
        else:
            yield _input_file(path, source)


def _glob_segments(base: str, segments: list[str]) -> list[str]:
    """Paths under `base` matching the glob `segments` (`**` = any number of folders), hidden names skipped."""
    current = [base]
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        following: list[str] = []
        for directory in current:
            if segment == "**":  # last, it stands for everything below: the folder itself is walked
                following.extend([directory] if last else _folders_under(directory))
                continue
            try:
                names = sorted(os.listdir(directory or "."))
            except OSError:
                continue
            for name in names:
                path = os.path.join(directory, name)
                if not name.startswith(".") and fnmatch.fnmatch(name, segment) and (last or os.path.isdir(path)):
                    following.append(path)
        current = following
    return current


def _folders_under(folder: str) -> list[str]:
    """`folder` and every non-hidden folder below it, each real folder once (what `**` stands for)."""
    result: list[str] = []
    visited: set[str] = set()
    stack = [folder]
    while stack:
        directory = stack.pop()
        real = os.path.realpath(directory or ".")
        if real in visited:
            continue
        visited.add(real)
        result.append(directory)
        try:
            with os.scandir(directory or ".") as entries:
                stack.extend(os.path.join(directory, e.name) for e in entries
                             if not e.name.startswith(".") and _is_dir(e))
        except OSError:
            continue
    return result


def _is_dir(entry: os.DirEntry) -> bool:
    try:
        return entry.is_dir()  # follows symlinks; a broken link is not a folder
    except OSError:
        return False


def _os_reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


# --- reading one file --------------------------------------------------------------------------------------

Reader = Callable[[InputFile, IngestOptions], Iterator[Document | Quarantined]]


def _read(file: InputFile, options: IngestOptions) -> Iterator[Document | Quarantined]:
    """Run the right reader over one file, turning every failure into a one-line Quarantined."""
    file.max_bytes = options.max_bytes
    try:
        for item in _reader_for(file)(file, options):
            problem = _not_article_text(item, options) if isinstance(item, Document) else None
            yield Quarantined(_where(file, item), problem) if problem else item
    except InputError as error:
        yield Quarantined(error.path, error.reason)
    except Exception as error:  # a parser choking on a hostile file must not stop the run
        logger.debug("cannot parse %s", file.path, exc_info=True)
        yield Quarantined(file.path, f"cannot parse: {type(error).__name__}: {error}")


def _not_article_text(document: Document, options: IngestOptions) -> str | None:
    """Why a plain-text document is no article (a line or a whole text longer than any article), or None.

    Such a text would cost the cleaner and the parser minutes and gigabytes for nothing (spaCy refuses texts
    over a million characters), so it is set aside here, before anything else reads it.

    >>> _not_article_text(Document("a.txt", "lorem " * 50_000, TEXT, ""), IngestOptions())
    'one line of 300,000 characters: not article text (limit 100,000)'
    """
    if document.media_type != TEXT:
        return None
    text = document.content
    longest, start = 0, 0
    while start <= len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        longest, start = max(longest, end - start), end + 1
    if longest > options.max_line_chars:
        return f"one line of {longest:,} characters: not article text (limit {options.max_line_chars:,})"
    if len(text) > options.max_text_chars:
        return f"text of {len(text):,} characters: longer than any article (limit {options.max_text_chars:,})"
    return None


def _where(file: InputFile, document: Document) -> str:
    """How a quarantine line names a document: the file, or `FILE#ID` for a record, entry or archived page."""
    if document.source == file.source:
        return file.path
    return f"{file.path}#{document.source.removeprefix(file.source + '#')}"


def _reader_for(file: InputFile) -> Reader:
    """The reader the extension names; for plain text or an unknown extension, what the content looks like."""
    name = os.path.basename(file.path).lower()
    reader = next((reader for extension, reader in _BY_LONGEST_EXTENSION if name.endswith(extension)), None)
    if reader is None or reader is read_text:
        head = _head(file.read_bytes())
        reader = next((sniffed for looks_like, sniffed in SNIFFERS if looks_like(head)), read_text)
    return reader


def read_text(file: InputFile, options: IngestOptions) -> Iterator[Document]:
    """A plain-text file: one Document, `text/plain`."""
    data = file.read_bytes()
    text, encoding = _decode(data, file.path)
    yield Document(source=file.source, content=text, media_type=TEXT, content_hash=_sha256(data),
                   path=file.real_path, encoding=encoding)


def read_html(file: InputFile, options: IngestOptions) -> Iterator[Document]:
    """An HTML page: one Document, `text/html`, the markup kept for the clean stage (trafilatura)."""
    data = file.read_bytes()
    declared = _META_CHARSET.search(data[:4096])
    text, encoding = _decode(data, file.path, declared.group(1).decode("ascii") if declared else None)
    yield Document(source=file.source, content=text, media_type=HTML, content_hash=_sha256(data),
                   path=file.real_path, encoding=encoding)


def read_json(file: InputFile, options: IngestOptions) -> Iterator[Document | Quarantined]:
    """JSON Lines (one object a line), or a JSON array of objects, or one object: one Document per record.

    A broken line is quarantined as `FILE:LINE` and the next lines still come. Records of an array are
    numbered by position (`FILE#3`), lines by line number.
    """
    text, encoding = _decode(file.read_bytes(), file.path)
    try:
        whole: Any = json.loads(text)
    except json.JSONDecodeError as error:
        if text.lstrip().startswith("["):
            raise InputError(file.path, f"not valid JSON: {_json_reason(error)}") from None
        whole = None  # JSON Lines (a second value after the first is "extra data")
    if isinstance(whole, list):
        for number, record in enumerate(whole, 1):
            yield _record_document(file, record, number, f"{file.path}#{number}", encoding, options)
    elif whole is not None:
        yield _record_document(file, whole, 1, file.path, encoding, options)
    else:
        for number, line in enumerate(text.split("\n"), 1):  # not splitlines: U+2028 may sit inside a string
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                yield Quarantined(f"{file.path}:{number}", f"not valid JSON: {_json_reason(error)}")
                continue
            yield _record_document(file, record, number, f"{file.path}:{number}", encoding, options)


def read_csv(file: InputFile, options: IngestOptions) -> Iterator[Document | Quarantined]:
    """A CSV or TSV file with a header row: one Document per row.

    Rows are numbered by the file line they start on (the header is line 1, so the first row is `FILE#2`,
    as a spreadsheet shows it). A malformed row is quarantined as `FILE:LINE`; the good rows still come. A
    malformed row that ran over several lines (an unbalanced quote swallows the lines after it) is set aside
    alone: reading starts again on the line after its first.
    """
    text, encoding = _decode(file.read_bytes(), file.path)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    if file.path.lower().endswith(".tsv"):
        delimiter = "\t"
    else:
        try:
            delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t|").delimiter
        except csv.Error:  # a single column
            delimiter = ","
    # Article bodies exceed the csv module's 128 KiB default; one field can be at most the whole file.
    csv.field_size_limit(max(csv.field_size_limit(), min(options.max_bytes, 2**31 - 1)))
    lines = io.StringIO(text, newline="").readlines()
    rows = csv.DictReader(lines, delimiter=delimiter, strict=True)
    try:
        header = [name for name in (rows.fieldnames or []) if name is not None]
    except csv.Error as error:
        raise InputError(file.path, f"malformed header row: {str(error).lower()}") from None
    columns = _columns(header, options.field_map)
    if "text" not in columns:
        raise InputError(file.path, f"no text column (columns: {', '.join(header)}); "
                                    f"--field text=COLUMN maps one")
    any_row = False  # a row was there, good or bad
    read_before = 0  # lines before the ones `rows` reads (it starts again after a malformed row)
    while True:
        start = read_before + rows.line_num + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as error:
            problem, row = f"malformed row: {_csv_reason(error)}", None
        else:
            extra, missing = row.pop(None, None), sum(value is None for value in row.values())
            found = len(header) + len(extra or ()) - missing
            problem = f"expected {len(header)} fields, found {found}" if extra or missing else None
        any_row = True
        while lines[start - 1] in ("\n", "\r\n", "\r"):  # the reader skipped blank lines before the row
            start += 1
        if problem is None:
            yield _record_document(file, row, start, f"{file.path}:{start}", encoding, options)
            continue
        yield Quarantined(f"{file.path}:{start}", problem)
        if read_before + rows.line_num != start:  # it ran over other lines, or consumed none: go on after its first
            read_before = start
            rows = csv.DictReader(itertools.islice(lines, start, None), fieldnames=header, delimiter=delimiter,
                                  strict=True)
    if not any_row:
        yield Quarantined(file.path, "no rows under the header")


def _csv_reason(error: csv.Error) -> str:
    """The csv module's message, saying what it means when it is about quotes."""
    message = str(error).lower()
    if "expected after '\"'" in message:
        return f"unbalanced quote ({message})"
    if message.startswith("unexpected end of data"):
        return "a quote is never closed (unexpected end of data)"
    return message


def read_warc(file: InputFile, options: IngestOptions) -> Iterator[Document | Quarantined]:
    """A WARC or ARC archive, gzipped or not: one Document per `response` (or `resource`) record whose
    payload is HTML or plain text with a 2xx status. The source is the record's WARC-Target-URI; the
    WARC-Date goes into metadata as `fetched` (it is when the page was crawled, not published).

    Records before any damage still come; then one `truncated or corrupt WARC: ...` line ends the file.
    """
    try:
        size = os.stat(file.path).st_size
        handle = open(file.path, "rb")
    except OSError as error:
        raise InputError(file.path, f"cannot read: {_os_reason(error)}") from None
    with handle:
        is_arc = file.path.lower().endswith((".arc", ".arc.gz"))  # ARC headers are lenient: only where named
        records = ArchiveIterator(handle, arc2warc=True) if is_arc else WARCIterator(handle)
        try:
            for number, record in enumerate(records, 1):
                item = _warc_item(file, record, number, options)
                if item is not None:
                    yield item
        except InputError:
            raise
        except ArchiveLoadFailed:  # its message quotes the bad "header" line: bytes of the damage, or a bomb's
            raise InputError(file.path, f"truncated or corrupt WARC: no WARC record at byte {records.offset:,}") \
                from None
        except Exception as error:  # warcio raises many kinds of error on damaged input
            raise InputError(file.path, f"truncated or corrupt WARC: {error or type(error).__name__}") from None
        if records.offset < size:  # warcio stops silently at a cut-off gzip member
            raise InputError(file.path, f"truncated or corrupt WARC: {size - records.offset:,} bytes at the end "
                                        f"are no complete record")


_WARC_MEDIA_TYPES = {"text/html": HTML, "application/xhtml+xml": HTML, "text/plain": TEXT}


def _warc_item(file: InputFile, record: Any, number: int, options: IngestOptions) -> Document | Quarantined | None:
    """One WARC record as a Document, a Quarantined, or None when it is no page (a request, an image...)."""
    uri = record.rec_headers.get_header("WARC-Target-URI") or f"{file.source}#{number}"
    where = f"{file.path}#{uri}"
    media_type, charset, payload = None, None, None
    if record.rec_type in ("response", "resource"):
        http = record.http_headers
        content_type = (http.get_header("Content-Type") if http else record.rec_headers.get_header("Content-Type"))
        status = http.get_statuscode() if http else "200"
        media_type = _WARC_MEDIA_TYPES.get((content_type or "").split(";")[0].strip().lower())
        if media_type and str(status).startswith("2"):
            payload = _read_at_most(record.content_stream(), options.max_bytes)
            if payload is None:
                raise InputError(file.path, f"record {uri} larger than {options.max_bytes:,} bytes; "
                                            f"stopped reading this WARC")
            declared = re.search(r"charset=[\"']?([\w.:-]+)", content_type or "", re.I)
            charset = declared.group(1) if declared else None
    while record.raw_stream.read(_CHUNK):  # the rest of the record, to see whether it is whole
        pass
    if record.raw_stream.limit > 0:
        raise InputError(file.path, f"truncated or corrupt WARC: record {uri} ends "
                                    f"{record.raw_stream.limit:,} bytes early")
    if not payload or not payload.strip():
        return None
    try:
        text, encoding = _decode(payload, where, charset)
    except InputError as error:
        return Quarantined(error.path, error.reason)
    metadata = {"url": uri}
    if fetched := record.rec_headers.get_header("WARC-Date"):
        metadata["fetched"] = fetched
    return Document(source=uri, content=text, media_type=media_type, content_hash=_sha256(payload),
                    path=file.real_path, metadata=metadata, encoding=encoding)


def read_feed(file: InputFile, options: IngestOptions) -> Iterator[Document | Quarantined]:
    """An RSS or Atom feed (feedparser): one Document per entry, its content or else its summary.

    Metadata: `title`, `date` (published, else updated; YYYY-MM-DD), `url` (link), `byline` (author),
    `outlet` (the feed's title). The source is the entry's link, else `FILE#N`. A feed that is not well-formed
    XML (cut off, broken) gives its whole entries, then one line saying so; an entry it cuts off is left out.
    """
    data = file.read_bytes()
    _decode(data, file.path)  # the empty and binary checks; feedparser decodes by the XML declaration itself
    feed = feedparser.parse(io.BytesIO(data), resolve_relative_uris=False)
    if not feed.entries:
        if feed.bozo:
            raise InputError(file.path, f"not a readable feed: {_parser_reason(feed.get('bozo_exception'))}")
        raise InputError(file.path, "feed has no entries" if feed.get("version") else "not an RSS or Atom feed")
    entries, damage = feed.entries, None
    if feed.bozo and isinstance(feed.get("bozo_exception"), xml.sax.SAXException):  # not XML: cut or broken
        entries = entries[:len(_ENTRY_END.findall(data))]  # the entry the damage cuts off is no whole text
        damage = (f"truncated or malformed feed: {_parser_reason(feed.bozo_exception)}; "
                  f"{len(entries)} whole entr{'y' if len(entries) == 1 else 'ies'} before it kept")
    outlet = feed.feed.get("title")
    for number, entry in enumerate(entries, 1):
        content = next((part.get("value") for part in entry.get("content", []) if (part.get("value") or "").strip()),
                       None) or entry.get("summary")
        if not (content or "").strip():
            yield Quarantined(f"{file.path}#{number}", "feed entry has no text")
            continue
        metadata = _clean_metadata({"title": entry.get("title"), "date": _feed_date(entry),
                                    "url": entry.get("link"), "byline": entry.get("author"), "outlet": outlet})
        source = metadata.get("url") or f"{file.source}#{number}"
        yield Document(source=source, content=content, media_type=HTML if _looks_like_html(content) else TEXT,
                       content_hash=_sha256(_canonical_json({"content": content, **metadata})),
                       path=file.real_path, metadata=metadata, encoding=feed.get("encoding") or "utf-8")
    if damage:
        yield Quarantined(file.path, damage)


_ENTRY_END = re.compile(rb"</(?:[\w-]+:)?(?:item|entry)\s*>", re.I)


def _parser_reason(error: Any) -> str:
    """`no element found` from an XML parser's exception (its line numbers count a declaration feedparser
    may add, so they are left out), else the exception's text."""
    if hasattr(error, "getMessage"):
        return str(error.getMessage())
    return str(error or "unknown error")


def _feed_date(entry: Any) -> str | None:
    """YYYY-MM-DD of an entry's published (else updated) date, in the feed's own time zone."""
    for key in ("published", "updated", "created"):
        raw = (entry.get(key) or "").strip()
        if raw:
            for parse in (email.utils.parsedate_to_datetime, datetime.fromisoformat):
                try:
                    return parse(raw).date().isoformat()
                except (TypeError, ValueError, IndexError):
                    pass
        if entry.get(f"{key}_parsed"):
            return time.strftime("%Y-%m-%d", entry[f"{key}_parsed"])
    return None


# --- the format table ----------------------------------------------------------------------------------------

READERS: dict[str, Reader] = {
    ".txt": read_text, ".text": read_text, ".md": read_text,
    ".html": read_html, ".htm": read_html, ".xhtml": read_html,
    ".jsonl": read_json, ".ndjson": read_json, ".json": read_json,
    ".csv": read_csv, ".tsv": read_csv,
    ".warc": read_warc, ".warc.gz": read_warc, ".arc": read_warc, ".arc.gz": read_warc,
    ".rss": read_feed, ".atom": read_feed, ".xml": read_feed,
}
_BY_LONGEST_EXTENSION = sorted(READERS.items(), key=lambda item: -len(item[0]))  # `.warc.gz` before `.gz`

_HTML_START = re.compile(r"\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html)[\s>]", re.I | re.S)
_FEED_START = re.compile(r"<(rss|feed|rdf:rdf)[\s>]", re.I)

# What a plain-text or unknown file may turn out to be, looked at in its first 4 KiB (decoded leniently).
SNIFFERS: list[tuple[Callable[[str], bool], Reader]] = [
    (lambda head: bool(_HTML_START.match(head)), read_html),
    (lambda head: bool(_FEED_START.search(head)), read_feed),
]


# --- records -------------------------------------------------------------------------------------------------


# The names other tools and data sets give our fields (news-please's maintext and date_publish, NewsAPI's
# publishedAt and content, feeds' link and author, CMS exports' body and headline), tried in this order when a
# record has neither the mapped name nor ours.
FIELD_SYNONYMS = {
    "id": ("article_id", "doc_id", "guid", "uuid"),
    "text": ("body", "content", "maintext", "article", "full_text", "article_text", "story"),
    "title": ("headline", "heading"),
    "date": ("published", "published_at", "publishedAt", "publish_date", "date_publish", "pubdate", "pub_date"),
    "url": ("link", "source_url"),
    "outlet": ("publisher", "source_domain", "site_name", "source_name", "source"),
    "byline": ("author", "authors"),
}


def _columns(keys: Iterable[Any], field_map: dict[str, str]) -> dict[str, str]:
    """Our field name -> the key holding it: the mapped name, else ours, else a common other name
    (FIELD_SYNONYMS), each exactly or else ignoring case. A field mapped with --field takes only its mapping.

    >>> _columns(["Body", "id"], {"text": "body"})
    {'id': 'id', 'text': 'Body'}
    >>> _columns(["headline", "maintext", "date_publish"], {})
    {'text': 'maintext', 'title': 'headline', 'date': 'date_publish'}
    """
    names = [key for key in keys if isinstance(key, str)]
    by_lower: dict[str, str] = {}
    for name in names:
        by_lower.setdefault(name.strip().lower(), name)
    found = {}
    for ours in FIELDS:
        tries = [field_map[ours]] if ours in field_map else [ours, *FIELD_SYNONYMS.get(ours, ())]
        for wanted in tries:
            key = wanted if wanted in names else by_lower.get(wanted.strip().lower())
            if key is not None:
                found[ours] = key
                break
    return found


def _record_document(file: InputFile, record: Any, number: int, where: str, encoding: str,
                     options: IngestOptions) -> Document | Quarantined:
    """One record (a dict) as a Document: `text` is the content, the other known fields go into metadata."""
    if not isinstance(record, dict):
        return Quarantined(where, "not a JSON object")
    columns = _columns(record, options.field_map)
    if "text" not in columns:
        keys = ", ".join(str(key) for key in record)
        return Quarantined(where, f"no text field (fields: {keys}); --field text=FIELD maps one")
    text = record[columns["text"]]
    if not isinstance(text, str) or not text.strip():
        return Quarantined(where, f"no text in {columns['text']!r}")
    metadata = _clean_metadata({ours: record.get(key) for ours, key in columns.items() if ours != "text"})
    record_id = metadata.get("id")
    return Document(source=f"{file.source}#{record_id or number}", content=text,
                    media_type=HTML if _looks_like_html(text) else TEXT,
                    content_hash=_sha256(_canonical_json(record)), path=file.real_path,
                    metadata=metadata, encoding=encoding)


def _clean_metadata(values: dict[str, Any]) -> dict[str, str]:
    """Strings (and numbers) that say something, stripped; None, blanks, lists and objects dropped."""
    cleaned = {}
    for name, value in values.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and value.strip():
            cleaned[name] = value.strip()
    return cleaned


# Markup, not prose with angle brackets: a closing tag, a line break or an image. Wire copy writes company
# tickers as `<I>` or `<Strong Point Inc>`, so an opening tag alone proves nothing.
_HTML_TAG = re.compile(r"</(p|div|span|a|b|i|em|strong|h[1-6]|ul|ol|li|table|tr|td|article|section|html|body|"
                       r"blockquote|figure)\s*>|<br\s*/?>|<img\s[^>]*>", re.I)


def _looks_like_html(text: str) -> bool:
    """Whether a record's text is markup: `<p>Hello</p>` yes, `Bancorp <I> said` no."""
    return bool(_HTML_TAG.search(text[:_CHUNK]))


def _canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _json_reason(error: json.JSONDecodeError) -> str:
    return f"{error.msg.lower()} (line {error.lineno}, column {error.colno})"


# --- bytes to text -----------------------------------------------------------------------------------------

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# Without a BOM, these only fit text full of NUL bytes, which is taken as binary before they are tried.
_WIDE_ENCODINGS = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le"]
# As browsers do (WHATWG): a page declaring Latin-1 or ASCII is read as windows-1252.
_DECLARED_AS_CP1252 = {"iso8859-1", "ascii"}
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")


def _decode(data: bytes, path: str, declared: str | None = None) -> tuple[str, str]:
    """Text and encoding of `data`: BOM, else UTF-8 (strict, else mostly: `_damaged_utf8`), else `declared`,
    else charset_normalizer's guess. NUL padding and a few stray NULs are dropped (`_without_stray_nuls`).

    Raises InputError `empty file` (nothing but white space) or `binary file, not text` (many NUL bytes, no
    plausible encoding, or mostly control characters once decoded).

    >>> _decode("Caf\\u00e9 \\u201cdeal\\u201d".encode("cp1252"), "a.txt")
    ('Café “deal”', 'cp1252')
    """
    if not data.strip():
        raise InputError(path, "empty file")
    bom_codec = next((codec for bom, codec in _BOMS if data.startswith(bom)), None)
    if bom_codec:
        try:
            text, encoding = data.decode(bom_codec), bom_codec
        except UnicodeDecodeError:
            raise InputError(path, "binary file, not text") from None
    else:
        data = _without_stray_nuls(data, path)
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as error:
            text, encoding = _damaged_utf8(data, error) or _guess_encoding(data, path, declared)
    if not text.strip():
        raise InputError(path, "empty file")
    sample = text[:_CHUNK]
    if len(_CONTROL.findall(sample)) > 0.05 * len(sample):
        raise InputError(path, "binary file, not text")
    return text, encoding


def _without_stray_nuls(data: bytes, path: str) -> bytes:
    """`data` without NUL padding at its end and without a few stray NULs (at most one byte in a hundred);
    more NULs than that are a binary file (or UTF-16 without a BOM, which is no better guessed).

    >>> _without_stray_nuls(b"Talks resumed.\\n\\0\\0\\0", "a.txt")
    b'Talks resumed.\\n'
    """
    if b"\x00" not in data:
        return data
    data = data.rstrip(b"\x00")
    if data.count(b"\x00") * 100 > len(data):
        raise InputError(path, "binary file, not text")
    return data.replace(b"\x00", b"")


def _damaged_utf8(data: bytes, error: UnicodeDecodeError) -> tuple[str, str] | None:
    """UTF-8 text with a few bytes that are not UTF-8, or None when `data` is not mostly UTF-8.

    A character cut off at the very end (a file truncated mid-character) is dropped. Otherwise, when the
    valid multi-byte characters are at least as many as the stray bytes, the stray bytes are read as
    windows-1252: that is what a UTF-8 file with a legacy line pasted in (mixed encodings) or a damaged byte
    holds, and valid multi-byte UTF-8 sequences almost never occur by chance in legacy text.

    >>> _damaged_utf8(b"Caf\\xc3\\xa9 talks; Le ministre a parl\\xe9.", UnicodeDecodeError("utf-8", b"", 0, 1, ""))
    ('Café talks; Le ministre a parlé.', 'utf-8+cp1252')
    """
    if error.end == len(data) and error.reason == "unexpected end of data":
        try:
            return data[:error.start].decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    valid = data.decode("utf-8", errors="ignore")
    stray_bytes = len(data) - len(valid.encode("utf-8"))
    multibyte_characters = len(valid) - len(valid.encode("ascii", errors="ignore"))
    if multibyte_characters < stray_bytes:
        return None
    return data.decode("utf-8", errors=_STRAY_AS_CP1252), "utf-8+cp1252"


def _stray_as_cp1252(error: UnicodeDecodeError) -> tuple[str, int]:
    """Codec error handler: the bytes that are not UTF-8 read as windows-1252 (its five holes as Latin-1)."""
    stray = error.object[error.start:error.end]
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in stray), error.end


_STRAY_AS_CP1252 = "bilat-stray-as-cp1252"
codecs.register_error(_STRAY_AS_CP1252, _stray_as_cp1252)


def _guess_encoding(data: bytes, path: str, declared: str | None) -> tuple[str, str]:
    """Decode non-UTF-8 bytes: by the declared charset when it fits, else by charset_normalizer."""
    if declared:
        try:
            name = codecs.lookup(declared).name
            name = "cp1252" if name in _DECLARED_AS_CP1252 else name
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    matches = charset_normalizer.from_bytes(data, cp_exclusion=_WIDE_ENCODINGS)
    best = matches.best()
    if best is None:
        raise InputError(path, "binary file, not text")
    ties = [match for match in matches if (match.chaos, match.coherence) == (best.chaos, best.coherence)]
    if any("cp1252" in match.could_be_from_charset for match in ties):
        return data.decode("cp1252"), "cp1252"
    return str(best), best.encoding


def _head(data: bytes) -> str:
    """The first 4 KiB as text, good enough to sniff markup (BOM honoured, anything else read as Latin-1)."""
    bom_codec = next((codec for bom, codec in _BOMS if data.startswith(bom)), None)
    return data[:4096].decode(bom_codec or "latin-1", errors="ignore")


def _read_at_most(stream: Any, limit: int) -> bytes | None:
    """All of `stream`, or None as soon as it exceeds `limit` bytes (memory stays bounded)."""
    chunks, total = [], 0
    while chunk := stream.read(_CHUNK):
        total += len(chunk)
        if total > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
