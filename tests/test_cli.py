"""The real `bilat` command, end to end, as a user runs it."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest


def bilat(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "bilat", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"bilat {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, sample_dir):
    """The sample corpus run through the real command once, with both exports."""
    work = tmp_path_factory.mktemp("cli")
    seeds = work / "seeds"
    seeds.mkdir()
    for f in sorted(sample_dir.glob("*.txt")):
        (seeds / f.name).write_bytes(f.read_bytes())
    db = work / "b.duckdb"
    first = bilat("run", str(seeds), "--db", str(db))
    bilat("export", "articles", "--db", str(db), "--out", str(work / "a.jsonl"))
    bilat("export", "events", "--db", str(db), "--out", str(work / "e.jsonl"))
    return {"work": work, "seeds": seeds, "db": db, "run": first}


def test_run_reports_what_it_did(seeded):
    assert "5 articles added" in seeded["run"].stderr


def test_seed_figures_meet_the_bar(seeded, gold_path):
    figures = json.loads(bilat("eval", str(gold_path), str(seeded["seeds"]), "--db", str(seeded["db"]),
                               "--json").stdout)
    assert figures["title_accuracy"] == 1.0
    assert figures["published_accuracy"] == 1.0
    assert figures["outlet_accuracy"] == 1.0
    assert figures["boilerplate_removed"] >= 0.95
    assert figures["content_kept"] >= 0.98
    assert figures["events"]["loose"]["f1"] >= 0.6


def test_eval_agrees_with_the_reference_scorer(seeded, gold_path, shared):
    ours = json.loads(bilat("eval", str(gold_path), str(seeded["seeds"]), "--db", str(seeded["db"]),
                            "--json").stdout)
    ref = subprocess.run([sys.executable, str(shared / "gold" / "score.py"), str(shared / "gold" / "seeds.gold.json"),
                          str(shared / "seeds"), str(seeded["work"] / "a.jsonl"), str(seeded["work"] / "e.jsonl"),
                          "--json"], capture_output=True, text=True, check=True)
    assert ours == json.loads(ref.stdout)


def test_exports_follow_the_contract(seeded):
    articles = read_jsonl(seeded["work"] / "a.jsonl")
    events = read_jsonl(seeded["work"] / "e.jsonl")
    assert [a["source"] for a in articles] == sorted(p.name for p in seeded["seeds"].glob("*.txt"))
    assert set(articles[0]) >= {"article_id", "source", "title", "published", "published_confidence", "outlet",
                                "byline", "dateline", "text", "duplicate_of"}
    assert events
    for e in events:
        assert e["status"] in ("occurred", "planned", "possible", "negated")
        assert 1 <= e["quad_class"] <= 4 and -10 <= e["goldstein"] <= 10
        assert 2 <= len(e["cameo"]) <= 4 and e["cameo"].isdigit()
        assert e["n_sources"] == len({m["article_id"] for m in e["mentions"]}) >= 1
        texts = {a["article_id"]: " ".join(((a["title"] or "") + " " + a["text"]).split()) for a in articles}
        for m in e["mentions"]:
            assert " ".join(m["sentence"].split()) in texts[m["article_id"]]


def test_running_twice_adds_nothing_and_changes_no_export(seeded):
    before = (seeded["work"] / "e.jsonl").read_text(encoding="utf-8")
    again = bilat("run", str(seeded["seeds"]), "--db", str(seeded["db"]))
    assert "0 articles added" in again.stderr and "5 already stored" in again.stderr
    bilat("export", "events", "--db", str(seeded["db"]), "--out", str(seeded["work"] / "e2.jsonl"))
    assert (seeded["work"] / "e2.jsonl").read_text(encoding="utf-8") == before


def test_directed_export_writes_a_joint_act_from_each_side(seeded):
    events = read_jsonl(seeded["work"] / "e.jsonl")
    out = seeded["work"] / "directed.jsonl"
    bilat("export", "events", "--directed", "--db", str(seeded["db"]), "--out", str(out))
    rows = read_jsonl(out)
    joint = [e for e in events if e["joint"]]
    assert joint and len(rows) == len(events) + len(joint)
    for e in joint:
        sides = {(r["source"], r["target"]) for r in rows if r["event_id"] == e["event_id"]}
        assert sides == {(e["source"], e["target"]), (e["target"], e["source"])}


def test_csv_and_parquet_exports(seeded):
    import duckdb
    bilat("export", "events", "--format", "csv", "--db", str(seeded["db"]), "--out", str(seeded["work"] / "e.csv"))
    bilat("export", "events", "--format", "parquet", "--db", str(seeded["db"]), "--out",
          str(seeded["work"] / "e.parquet"))
    n = len(read_jsonl(seeded["work"] / "e.jsonl"))
    con = duckdb.connect()
    assert con.execute("SELECT count(*) FROM read_csv_auto(?)", [str(seeded["work"] / "e.csv")]).fetchone()[0] == n
    row = con.execute("SELECT mentions[1].sentence, n_sources FROM read_parquet(?)",
                      [str(seeded["work"] / "e.parquet")]).fetchone()
    assert row[0] and row[1] >= 1


def test_timeline_accepts_names_and_codes(seeded):
    by_name = bilat("timeline", "Russia", "Pakistan", "--db", str(seeded["db"])).stdout
    by_code = bilat("timeline", "PAK", "rus", "--db", str(seeded["db"])).stdout
    assert by_name.splitlines()[2:] == by_code.splitlines()[2:]  # the same events; the heading names A and B
    assert "2018-10" in by_name and "occurred" in by_name and "001_939baf877a38910c.txt" in by_name


def test_unknown_country_is_one_clear_line(seeded):
    proc = bilat("timeline", "Atlantis", "Pakistan", "--db", str(seeded["db"]), check=False)
    assert proc.returncode != 0
    assert proc.stderr.strip().count("\n") == 0 and "Atlantis" in proc.stderr and "Traceback" not in proc.stderr


def test_demo_prints_a_dated_timeline(tmp_path):
    proc = bilat("demo", cwd=tmp_path)
    assert (tmp_path / "bilat.duckdb").exists()
    assert "Russia - Pakistan" in proc.stdout
    lines = [ln for ln in proc.stdout.splitlines() if ln[:4].isdigit()]
    assert len(lines) >= 10 and any("planned" in ln for ln in proc.stdout.splitlines())
    assert "events loose" in proc.stdout


def _truncated_warc(path: Path) -> None:
    from warcio.warcwriter import WARCWriter
    from warcio.statusandheaders import StatusAndHeaders
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    html = b"<html><head><title>Talks held</title></head><body><p>" + b"Pakistan and Russia held talks. " * 40 + \
        b"</p></body></html>"
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.0")
    writer.write_record(writer.create_warc_record("http://example.org/a", "response", payload=io.BytesIO(html),
                                                  http_headers=headers))
    data = buf.getvalue()
    path.write_bytes(data[: len(data) // 2])


def test_bad_inputs_are_set_aside_and_the_run_goes_on(tmp_path, sample_dir):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "good.txt").write_bytes((sample_dir / "004_d41b808b5fb25158.txt").read_bytes())
    (inbox / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "legacy.txt").write_bytes(("Caf\u00e9 diplomacy in Islamabad\n\n"
                                        "Pakistan\u2019s talks with Russia \u201cwent well\u201d, officials said on Monday.\n\n"
                                        "The two sides will meet again in Moscow next month, the foreign office said.\n"
                                        ).encode("cp1252"))
    _truncated_warc(inbox / "broken.warc")
    (inbox / "rows.csv").write_text('id,text\n1,"Russia and Pakistan signed a deal."\n2,"unbalanced\n',
                                    encoding="utf-8")
    db = tmp_path / "b.duckdb"
    proc = bilat("run", str(inbox), str(tmp_path / "missing.txt"), "--db", str(db))
    assert "Traceback" not in proc.stderr
    for name in ("binary.txt", "empty.txt", "broken.warc", "rows.csv", "missing.txt"):
        assert any(name in line for line in proc.stderr.splitlines()), name
    status = bilat("status", "--db", str(db)).stdout
    for name in ("binary.txt", "empty.txt", "broken.warc", "missing.txt"):
        assert name in status
    bilat("export", "articles", "--db", str(db), "--out", str(tmp_path / "a.jsonl"))
    arts = {a["source"]: a for a in read_jsonl(tmp_path / "a.jsonl")}
    assert "good.txt" in arts
    assert arts["legacy.txt"]["title"] == "Caf\u00e9 diplomacy in Islamabad"
    assert "\u2019s talks with Russia \u201cwent well\u201d" in arts["legacy.txt"]["text"]


def test_nothing_ingested_is_an_error(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    proc = bilat("run", str(tmp_path / "empty.txt"), "--db", str(tmp_path / "b.duckdb"), check=False)
    assert proc.returncode != 0
    assert "nothing could be ingested" in proc.stderr and "Traceback" not in proc.stderr


def test_field_mapping_for_other_column_names(tmp_path):
    rows = [{"uid": "r1", "body": "Pakistan and Russia signed an agreement on energy on Monday.",
             "headline": "Deal signed", "when": "2021-04-07"}]
    src = tmp_path / "batch.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    db = tmp_path / "b.duckdb"
    bilat("run", str(src), "--field", "id=uid", "--field", "text=body", "--field", "title=headline",
          "--field", "date=when", "--db", str(db))
    bilat("export", "events", "--db", str(db), "--out", str(tmp_path / "e.jsonl"))
    events = read_jsonl(tmp_path / "e.jsonl")
    assert any(e["cameo"] == "057" and e["date"] == "2021-04-05" and e["mentions"][0]["source"] == "batch.jsonl#r1"
               for e in events)


def test_gdelt_export_writes_gdelt_event_rows(seeded):
    from bilat.gdelt import GDELT_COLUMNS
    out = seeded["work"] / "events.gdelt.tsv"
    bilat("export", "events", "--format", "gdelt", "--out", str(out), "--db", str(seeded["db"]))
    rows = [dict(zip(GDELT_COLUMNS, line.split("\t"))) for line in out.read_text(encoding="utf-8").splitlines()]
    events = [e for e in read_jsonl(seeded["work"] / "e.jsonl") if e["date"]]
    assert len(GDELT_COLUMNS) == 58
    assert all(len(line.split("\t")) == 58 for line in out.read_text(encoding="utf-8").splitlines())
    assert len(rows) == len(events) + sum(e["joint"] for e in events)  # a joint act from each side
    assert len({r["GLOBALEVENTID"] for r in rows}) == len(rows)
    visit = next(e for e in events if e["date"] == "2021-04-06" and e["cameo"] == "042")
    row = next(r for r in rows if r["SQLDATE"] == "20210406" and r["EventCode"] == "042")
    assert (row["Actor1Code"], row["Actor2Code"]) == (visit["source"], visit["target"])
    assert row["Actor1CountryCode"] == "RUS" and row["Actor1Type1Code"] == visit["source"][3:6]
    assert (row["EventRootCode"], row["QuadClass"], float(row["GoldsteinScale"])) == ("04", "1", visit["goldstein"])
    assert int(row["NumArticles"]) == visit["n_sources"] == 2 and row["IsRootEvent"] == "1"
    assert row["MonthYear"] == "202104" and row["Year"] == "2021" and row["SOURCEURL"]


def test_timeline_of_a_period(seeded):
    whole = bilat("timeline", "Russia", "Pakistan", "--db", str(seeded["db"])).stdout
    period = bilat("timeline", "Russia", "Pakistan", "--since", "2018-01", "--until", "2018-12", "--db",
                   str(seeded["db"])).stdout
    dated = [line.split()[0] for line in period.splitlines()[2:] if line.strip()]
    assert dated and all(d.startswith("2018") for d in dated)
    assert "2018-01 to 2018-12" in period.splitlines()[1]
    assert len(dated) < len([line for line in whole.splitlines()[2:] if line.strip()])
    proc = bilat("timeline", "Russia", "Pakistan", "--since", "June 2018", "--db", str(seeded["db"]), check=False)
    assert proc.returncode != 0 and proc.stderr.strip().count("\n") == 0 and "--since June 2018" in proc.stderr


def test_a_mistyped_option_is_a_usage_error_not_an_internal_error(tmp_path):
    proc = bilat("run", str(tmp_path), "--stor", "x.duckdb", check=False)
    assert proc.returncode == 2 and "No such option: --stor" in proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr
    missing = bilat("run", check=False)
    assert missing.returncode == 2 and "Missing argument" in missing.stderr


def test_help_shows_each_example_on_its_own_line():
    lines = [line.strip() for line in bilat("run", "--help").stdout.splitlines()]
    assert "bilat run articles/ feeds/*.xml --db relations.duckdb" in lines
    assert "bilat run archive/ --engine dask --scheduler tcp://10.0.0.5:8786" in lines


def test_export_tells_a_mistyped_kind_or_format_before_looking_for_the_store(tmp_path):
    kind = bilat("export", "evnts", "--db", str(tmp_path / "none.duckdb"), check=False)
    assert kind.returncode == 1 and "cannot export 'evnts': choose articles or events" in kind.stderr
    fmt = bilat("export", "events", "--format", "xml", "--db", str(tmp_path / "none.duckdb"), check=False)
    assert fmt.returncode == 1 and "unknown export format 'xml'" in fmt.stderr
    binary = bilat("export", "events", "--format", "parquet", "--db", str(tmp_path / "none.duckdb"), check=False)
    assert binary.returncode == 1 and "parquet is binary: name a file with --out" in binary.stderr
    assert not (tmp_path / "none.duckdb").exists()
