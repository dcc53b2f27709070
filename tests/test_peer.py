"""Other event coders' public test sets (../shared/peer): PETRARCH's validation records with real countries
and an ACLED sample. The figures must not slip below the bar; the test skips without ../shared."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


from bilat.export import directed, event_columns, write_records
from bilat.ingest import IngestOptions
from bilat.pipeline import run
from bilat.store import Store


def _score(shared: Path, which: str, tmp_path: Path) -> dict:
    scorer = shared / "peer" / "score_peer.py"
    inputs = tmp_path / f"{which}.jsonl"
    subprocess.run([sys.executable, str(scorer), "inputs", which, str(inputs)], check=True, capture_output=True)
    with Store(tmp_path / f"{which}.duckdb") as store:
        run([str(inputs)], store, IngestOptions())
        records = store.event_records()
        # PETRARCH, like GDELT, codes a joint act of two parties once from each side: score it that way
        write_records(directed(records) if which == "petrarch" else records, "jsonl",
                      str(tmp_path / "events.jsonl"), event_columns())
    out = subprocess.run([sys.executable, str(scorer), "score", which, str(tmp_path / "events.jsonl"), "--json"],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


# The bar for PETRARCH's records with real countries (F1 over source country, target country, CAMEO root)
PETRARCH_F1_FLOOR = 0.50


def test_petrarch_records_with_real_countries(shared, tmp_path):
    figures = _score(shared, "petrarch", tmp_path)
    print(figures)
    assert figures["f1"] >= PETRARCH_F1_FLOOR


def test_acled_sample(shared, tmp_path):
    figures = _score(shared, "acled", tmp_path)
    print(figures)
    assert figures["with_event"] >= 0.90
    assert figures["date_right"] >= 0.95
    assert figures["conflict_coded"] >= 0.90
