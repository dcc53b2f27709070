"""Write the store's articles and events in the public formats of CONTRACT.md: JSON Lines (the reference),
CSV (nested lists as JSON text in their cells) and Parquet (nested lists as lists of structs, via DuckDB).
"""
from __future__ import annotations

import csv
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import duckdb

from .errors import UsageError
from .store import ARTICLE_COLUMNS, EVENT_COLUMNS

FORMATS = ("jsonl", "csv", "parquet")


def check_export(what: str, fmt: str, out: str | None) -> None:
    """A UsageError unless `what` (articles or events) can be written in `fmt` to `out` (None or '-': standard
    output); `bilat export` asks before it opens the store, so a mistyped word is told as such."""
    if what not in ("articles", "events"):
        raise UsageError(f"cannot export {what!r}: choose articles or events")
    if fmt == "gdelt" and what != "events":
        raise UsageError("the gdelt format is for events only")
    if fmt != "gdelt":
        _check_format(fmt, out)


def _check_format(fmt: str, out: str | None) -> None:
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)} (gdelt for events)")
    if fmt == "parquet" and (not out or out == "-"):
        raise UsageError("parquet is binary: name a file with --out")


def write_records(records: Iterable[dict], fmt: str, out: str | None, columns: list[str]) -> int:
    """Write records to `out` (a path; None or '-' for standard output). Returns how many were written."""
    _check_format(fmt, out)
    if fmt == "parquet":
        return _write_parquet(records, out, columns)
    if out and out != "-":
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        with open(out, "w", encoding="utf-8", newline="") as fh:
            return _write_text(records, fmt, fh, columns)
    return _write_text(records, fmt, sys.stdout, columns)


def _write_text(records: Iterable[dict], fmt: str, fh: IO[str], columns: list[str]) -> int:
    n = 0
    if fmt == "jsonl":
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
        return n
    writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for rec in records:
        writer.writerow({k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                         for k, v in rec.items()})
        n += 1
    return n


def _write_parquet(records: Iterable[dict], out: str, columns: list[str]) -> int:
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".jsonl")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            n = _write_text(records, "jsonl", fh, columns)
        con = duckdb.connect()
        if n:
            con.execute(f"COPY (SELECT {', '.join(columns)} FROM read_json(?, format='newline_delimited')) "
                        f"TO '{_quote(out)}' (FORMAT parquet)", [tmp])
        else:
            con.execute(f"COPY (SELECT {', '.join(f'NULL::VARCHAR AS {c}' for c in columns)} LIMIT 0) "
                        f"TO '{_quote(out)}' (FORMAT parquet)")
        con.close()
        return n
    finally:
        os.unlink(tmp)


def _quote(path: str) -> str:
    return path.replace("'", "''")


def article_columns() -> list[str]:
    return list(ARTICLE_COLUMNS)


def event_columns() -> list[str]:
    return list(EVENT_COLUMNS)


def directed(events: Iterable[dict]) -> Iterator[dict]:
    """One record per directed dyad, as GDELT and PETRARCH count events: a joint act ("Russia and Pakistan
    signed an agreement") is written once from each side, with the same `event_id`; every other event once."""
    for e in events:
        yield e
        if e.get("joint"):
            yield {**e, "source": e["target"], "source_name": e["target_name"],
                   "target": e["source"], "target_name": e["source_name"]}
