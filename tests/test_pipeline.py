"""The pipeline as a library: stages wired together over a real store."""
from __future__ import annotations


from bilat.pipeline import code_articles, consolidate_events, ingest_articles, run, RunReport
from bilat.store import Store


def test_a_lightly_edited_copy_is_marked_and_still_counts_as_a_source(tmp_path, seeds_copy, store):
    text = (seeds_copy / "004_d41b808b5fb25158.txt").read_text(encoding="utf-8")
    copy = text.replace("Russia has sought", "Russia sought").replace("the media reported", "media said")
    (seeds_copy / "005_copy.txt").write_text(copy, encoding="utf-8")
    report = run([str(seeds_copy)], store)
    assert report.duplicates == 1
    arts = {a["source"]: a for a in store.article_records()}
    assert arts["005_copy.txt"]["duplicate_of"] == arts["004_d41b808b5fb25158.txt"]["article_id"]
    assert all(a["duplicate_of"] is None for s, a in arts.items() if s != "005_copy.txt")
    signed = [e for e in store.event_records(("PAK", "RUS")) if e["date"] == "2023-04" and e["cameo"] == "057"]
    assert signed and signed[0]["n_sources"] == 2
    assert signed[0]["n_independent"] == 1  # the copy says nothing the original did not
    assert {m["source"]: m["copy_of"] for m in signed[0]["mentions"]}["005_copy.txt"] == \
        arts["004_d41b808b5fb25158.txt"]["article_id"]


def _edited_copy(seeds_copy, folder):
    folder.mkdir()
    text = (seeds_copy / "004_d41b808b5fb25158.txt").read_text(encoding="utf-8")
    copy = text.replace("Russia has sought", "Russia sought").replace("the media reported", "media said")
    (folder / "copy.txt").write_text(copy, encoding="utf-8")
    return folder


def test_a_copy_of_an_article_stored_by_an_earlier_run_is_found_in_the_store(tmp_path, seeds_copy, store):
    run([str(seeds_copy)], store)
    report = run([str(_edited_copy(seeds_copy, tmp_path / "later"))], store)
    assert report.duplicates == 1
    arts = {a["source"]: a for a in store.article_records()}
    assert arts["copy.txt"]["duplicate_of"] == arts["004_d41b808b5fb25158.txt"]["article_id"]
    # each signature is kept as 14 LSH buckets, which is how the later run found the original without reading
    # every stored signature
    assert store.db.execute("SELECT count(*) FROM article_bands").fetchone()[0] == 14 * 6
    # the look-up names, of each stored article, only the asked buckets it is in
    original = arts["004_d41b808b5fb25158.txt"]["article_id"]
    mine = [b for (b,) in store.db.execute("SELECT bucket FROM article_bands WHERE article_id = ?",
                                           [original]).fetchall()]
    found = {aid: shared for aid, *_, shared in store.similar_articles([], [(mine[:3] + [12345], [])])}
    assert sorted(found[original]) == sorted(mine[:3])


def test_a_store_made_before_lsh_buckets_were_stored_gains_them_and_finds_copies(tmp_path, seeds_copy):
    path = tmp_path / "v5.duckdb"
    with Store(path) as store:
        run([str(seeds_copy)], store)
        store.db.execute("DROP TABLE article_bands")
        store.db.execute("ALTER TABLE articles DROP COLUMN numbers")
        store.db.execute("ALTER TABLE articles DROP COLUMN seq")
        store.db.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")
    with Store(path) as store:
        assert store.db.execute("SELECT count(*) FROM article_bands").fetchone()[0] == 14 * 5
        assert store.db.execute("SELECT count(*) FROM articles WHERE numbers IS NULL").fetchone()[0] == 0
        report = run([str(_edited_copy(seeds_copy, tmp_path / "later"))], store)
        assert report.duplicates == 1


def test_an_interrupted_run_resumes_with_what_was_not_coded(tmp_path, seeds_copy):
    db = tmp_path / "b.duckdb"
    with Store(db) as store:  # the run stops after storing the articles, before coding them
        ingest_articles([str(seeds_copy)], store, store.start_run([str(seeds_copy)]))
        assert len(store.uncoded_articles()) == 5
    with Store(db) as store:
        report = run([str(seeds_copy)], store)
        assert report.articles_added == 0 and report.already_stored == 5
        assert report.mentions > 0 and store.uncoded_articles() == []
        resumed = [(e["event_id"], e["date"]) for e in store.event_records()]
    with Store(tmp_path / "clean.duckdb") as store:
        run([str(seeds_copy)], store)
        assert [(e["event_id"], e["date"]) for e in store.event_records()] == resumed


def test_new_articles_are_coded_without_recoding_old_ones(tmp_path, sample_dir, store):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    files = sorted(sample_dir.glob("*.txt"))
    for f in files[:3]:
        (first / f.name).write_bytes(f.read_bytes())
    for f in files[3:]:
        (second / f.name).write_bytes(f.read_bytes())
    run([str(first)], store)
    before = store.counts()["event_mentions"]
    report = RunReport()
    added = ingest_articles([str(second)], store, store.start_run([str(second)]))
    assert added.articles_added == 2
    code_articles(store, report)
    consolidate_events(store, report)
    assert store.counts()["event_mentions"] == before + report.mentions


def test_people_learned_in_one_run_are_known_in_the_next(tmp_path, store):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "one.txt").write_text("Talks in Ankara\n\nTurkish foreign minister Selim Ardakan arrived in Islamabad on "
                               "Tuesday for talks with Pakistani officials.\n", encoding="utf-8")
    (b / "two.txt").write_text("Ardakan in Kabul\n\nArdakan met Afghan officials in Kabul on Friday.\n",
                               encoding="utf-8")
    run([str(a)], store)
    assert ("Ardakan", "Selim Ardakan", "TUR", "GOV") in store.learned_actors()
    run([str(b)], store)
    events = [e for e in store.event_records() if e["mentions"][0]["source"] == "two.txt"]
    assert any(e["source"] == "TURGOV" and e["target"].startswith("AFG") for e in events)


def test_an_article_the_coder_cannot_handle_is_set_aside_and_the_run_goes_on(seeds_copy, store, monkeypatch):
    """A text no rule foresaw must not stop the run: it is quarantined with the reason, the others are coded."""
    from bilat import events

    original = events.EventCoder.code

    def fragile(self, annotated):
        if annotated.article.source.startswith("003_"):
            raise ValueError("a sentence no rule foresaw")
        return original(self, annotated)

    monkeypatch.setattr(events.EventCoder, "code", fragile)
    report = run([str(seeds_copy)], store)
    assert [q.path for q in report.quarantined] == ["003_337cd10feb08835e.txt"]
    assert "cannot code events: ValueError" in report.quarantined[0].reason
    assert store.quarantine()[0][0] == "003_337cd10feb08835e.txt"
    assert store.uncoded_articles() == [] and report.mentions > 0


def test_a_store_made_by_an_older_bilat_is_coded_again_by_the_next_run(tmp_path, seeds_copy):
    path = tmp_path / "old.duckdb"
    with Store(path) as store:
        run([str(seeds_copy)], store)
        facts = store.fact_records()
        # what a bilat of schema version 2 left: no facts, no joint acts, no count of independent sources
        store.db.execute("DELETE FROM facts")
        store.db.execute("ALTER TABLE events DROP COLUMN n_independent")
        store.db.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
    assert facts
    with Store(path) as store:
        report = run([str(seeds_copy)], store)
        assert report.articles_added == 0
        assert store.fact_records() == facts
        assert all(e["n_independent"] == e["n_sources"] for e in store.event_records())
        assert store.db.execute("SELECT count(*) FROM event_mentions").fetchone()[0] == report.mentions


def test_two_worker_processes_write_the_same_store_as_one(tmp_path, seeds_copy):
    exports = []
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.duckdb") as store:
            report = ingest_articles([str(seeds_copy)], store, store.start_run([str(seeds_copy)]))
            code_articles(store, report, batch_size=2, workers=workers)  # three batches
            consolidate_events(store, report)
            exports.append((list(store.event_records()), store.fact_records(), store.learned_actors(),
                            report.mentions))
    assert exports[0] == exports[1]
    assert exports[0][0] and exports[0][1]


def test_coding_while_reading_in_two_processes_writes_the_same_store_as_one(tmp_path, seeds_copy, monkeypatch):
    import functools

    import bilat.pipeline as pipeline

    # small batches, so that with two processes coding begins while the run is still reading
    monkeypatch.setattr(pipeline, "ingest_articles", functools.partial(pipeline.ingest_articles, batch_size=2))
    monkeypatch.setattr(pipeline, "CODING_BATCH", 2)
    started: list[int] = []  # batches under way each time the run had stored more articles
    real_add = pipeline._Coding.add

    def add(coding, ids):
        started.append(len(coding.under_way))
        real_add(coding, ids)
    monkeypatch.setattr(pipeline._Coding, "add", add)
    exports = []
    for workers in (1, 2):
        with Store(tmp_path / f"w{workers}.duckdb") as store:
            report = run([str(seeds_copy)], store, workers=workers)
            exports.append((list(store.event_records()), store.fact_records(), store.learned_actors(),
                            report.mentions, report.coded))
    assert exports[0] == exports[1] and exports[0][0] and exports[0][4] == 5
    assert any(started[3:])  # the second run had batches under way when more articles were stored


def test_a_dask_cluster_writes_the_same_store_as_one_process(tmp_path, seeds_copy):
    from dask.distributed import LocalCluster

    exports = []
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        for engine, scheduler in (("local", None), ("dask", cluster.scheduler_address)):
            with Store(tmp_path / f"{engine}.duckdb") as store:
                report = ingest_articles([str(seeds_copy)], store, store.start_run([str(seeds_copy)]))
                code_articles(store, report, batch_size=2, engine=engine, scheduler=scheduler)
                consolidate_events(store, report)
                exports.append((list(store.event_records()), store.fact_records(), store.learned_actors()))
    assert exports[0] == exports[1] and exports[0][0]


def test_a_re_run_on_stored_input_does_no_work_beyond_hashing(tmp_path, seeds_copy, monkeypatch):
    import bilat.pipeline as pipeline

    with Store(tmp_path / "s.duckdb") as store:
        first = run([str(seeds_copy)], store)
        assert not store.events_stale()
        calls = []
        monkeypatch.setattr(pipeline, "consolidate_events", lambda *a: calls.append("consolidate"))
        monkeypatch.setattr(pipeline.Store, "similar_articles", lambda self, *a: calls.append("fingerprints") or [])
        again = run([str(seeds_copy)], store)
        assert calls == [] and again.articles_added == 0 and again.events == first.events


def test_adding_articles_makes_only_their_blocks_again_and_gives_the_full_runs_events(tmp_path, seeds_copy):
    later = tmp_path / "later"
    later.mkdir()
    for name in ("002_56cdaf7f9a38c4f7.txt", "004_d41b808b5fb25158.txt"):
        (seeds_copy / name).rename(later / name)
    with Store(tmp_path / "grown.duckdb") as store:
        run([str(seeds_copy)], store)
        ingest = run([str(later)], store)  # only the blocks the two new articles touch are made again
        grown = list(store.event_records())
        assert not store.events_stale() and ingest.articles_added == 2
    for name in ("002_56cdaf7f9a38c4f7.txt", "004_d41b808b5fb25158.txt"):
        (later / name).rename(seeds_copy / name)
    with Store(tmp_path / "whole.duckdb") as store:
        run([str(seeds_copy)], store)
        whole = list(store.event_records())
    strip = lambda events: sorted((e["event_id"], e["n_sources"], e["date"]) for e in events)  # noqa: E731
    assert strip(grown) == strip(whole)


def test_loading_the_parser_again_between_batches_changes_nothing(tmp_path, seeds_copy, monkeypatch):
    import bilat.pipeline as pipeline

    exports = []
    for every in (1000, 2):
        monkeypatch.setattr(pipeline, "RELOAD_EVERY", every)
        with Store(tmp_path / f"r{every}.duckdb") as store:
            report = ingest_articles([str(seeds_copy)], store, store.start_run([str(seeds_copy)]))
            code_articles(store, report, batch_size=1)
            consolidate_events(store, report)
            exports.append(list(store.event_records()))
    assert exports[0] == exports[1] and exports[0]


def test_a_run_caps_duckdb_while_it_reads_and_codes_and_lifts_the_cap_after(sample_dir, store):
    # the store's file is scanned batch after batch while articles are read: capped, its cache cannot grow with it
    def limit() -> str:
        return store.db.execute("SELECT current_setting('memory_limit')").fetchone()[0]

    default, seen = limit(), {}  # stage -> the cap when it first reported
    run([str(sample_dir)], store, progress=lambda stage, done, total: seen.setdefault(stage, limit()))
    assert seen["code"] == seen["ingest"] != default
    assert seen["consolidate"] == limit() == default  # making events and exports keep DuckDB's own cap


def test_long_documents_are_stored_in_smaller_batches_with_the_same_result(tmp_path, seeds_copy, monkeypatch):
    # a batch of 500 documents of a million characters each could not be written under the cap on DuckDB's memory
    import bilat.pipeline as pipeline

    sizes = {f.name: len(f.read_text(encoding="utf-8")) for f in seeds_copy.glob("*.txt")}
    limit = min(sizes.values())  # each seed fills a batch
    records = []
    for chars in (None, limit):
        if chars:
            monkeypatch.setattr(pipeline, "INGEST_BATCH_CHARS", chars)
        batches = []
        with Store(tmp_path / f"s{chars}.duckdb") as store:
            ingest_articles([str(seeds_copy)], store, store.start_run([str(seeds_copy)]), stored=batches.append)
            records.append(sorted((r["article_id"], r["duplicate_of"], r["text"]) for r in store.article_records()))
        assert sum(map(len, batches)) == len(sizes)
    assert len(batches) == len(sizes) and records[0] == records[1]
