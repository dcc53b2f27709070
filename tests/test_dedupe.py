"""Duplicates: exact copies and lightly edited copies are marked `duplicate_of` the first; others are not."""
from __future__ import annotations

import random
import re

import numpy as np
from datasketch import MinHash

from bilat.dedupe import SCHEME, Deduplicator, fingerprint, normalised_words, numbers_agree
from bilat.model import Article


def _article(article_id: str, text: str) -> Article:
    return Article(article_id, f"{article_id}.txt", article_id, None, text)


def _edit_lightly(text: str) -> str:
    """What a second outlet does to a wire story: a new first sentence, a few words changed, a line dropped."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    lines = ["Updated with comment from officials."] + lines[:-1]
    edited = "\n\n".join(lines)
    edited = edited.replace("Russia", "the Russian Federation", 2).replace("said", "stated", 3)
    return re.sub(r"\bten\b", "10", edited)


def test_exact_copy_is_a_duplicate(sample_dir):
    text = (sample_dir / "004_d41b808b5fb25158.txt").read_text(encoding="utf-8")
    d = Deduplicator()
    assert d.check(_article("a", text))[0] is None
    assert d.check(_article("b", text))[0] == "a"


def test_copy_differing_only_in_spacing_and_case_is_a_duplicate(sample_dir):
    text = (sample_dir / "003_337cd10feb08835e.txt").read_text(encoding="utf-8")
    d = Deduplicator()
    d.check(_article("a", text))
    assert d.check(_article("b", "  " + text.upper().replace("\n", "\n\n")))[0] == "a"


def test_lightly_edited_copy_of_a_seed_is_caught(sample_dir):
    text = (sample_dir / "001_939baf877a38910c.txt").read_text(encoding="utf-8")
    d = Deduplicator()
    d.check(_article("orig", text))
    assert d.check(_article("copy", _edit_lightly(text)))[0] == "orig"


def test_unrelated_articles_are_not_duplicates(sample_dir):
    d = Deduplicator()
    results = [d.check(_article(f.stem, f.read_text(encoding="utf-8")))[0] for f in sorted(sample_dir.glob("*.txt"))]
    assert results == [None] * 5


def test_signatures_survive_a_new_run(sample_dir):
    """A copy ingested by a later run is found through the signature the store kept."""
    text = (sample_dir / "002_56cdaf7f9a38c4f7.txt").read_text(encoding="utf-8")
    first = Deduplicator()
    _, fp = first.check(_article("orig", text))
    later = Deduplicator()
    later.remember("orig", fp.text_key, fp.packed, fp.numbers)
    assert later.check(_article("copy", _edit_lightly(text)))[0] == "orig"
    assert later.check(_article("same", text))[0] == "orig"


def test_signatures_are_datasketchs_own(sample_dir):
    """The permutations drawn once per process give the signature datasketch gives a new MinHash of the same
    shingles, so the signatures stored by earlier runs still match."""
    for path in sorted(sample_dir.glob("*.txt"))[:3]:
        text = path.read_text(encoding="utf-8")
        words = normalised_words(text)
        fresh = MinHash(num_perm=128, seed=1, scheme=SCHEME)
        fresh.update_batch([" ".join(words[i:i + 3]).encode() for i in range(len(words) - 2)])
        assert np.array_equal(fingerprint(text).minhash.hashvalues, fresh.hashvalues)


def test_short_texts_only_match_exactly():
    d = Deduplicator()
    d.check(_article("a", "Russia and Pakistan met."))
    assert d.check(_article("b", "Russia and Pakistan talked."))[0] is None
    assert d.check(_article("c", "Russia and Pakistan met."))[0] == "a"


TEMPLATE = ("The Federal Reserve entered the government securities market to supply {0} billion dlrs of temporary "
            "reserves indirectly via customer repurchase agreements, a spokesman for the New York Fed said. Dealers "
            "said federal funds were trading at {1} pct when the Fed began its temporary and indirect supply of "
            "reserves to the banking system, and that the move was expected by the market.")


def test_a_template_filled_with_other_figures_is_another_report(sample_dir):
    d = Deduplicator()
    d.check(_article("monday", TEMPLATE.format("1.5", "6-1/16")))
    assert d.check(_article("tuesday", TEMPLATE.format("2.25", "6-3/8")))[0] is None
    assert d.check(_article("copy", "Reuters - " + TEMPLATE.format("1.5", "6-1/16")))[0] == "monday"
    text = (sample_dir / "004_d41b808b5fb25158.txt").read_text(encoding="utf-8")
    d.check(_article("orig", text))
    assert d.check(_article("wire", _edit_lightly(text)))[0] == "orig"  # same figures: a copy


def test_the_store_reads_a_stored_near_copy_only_if_its_figures_agree(store):
    """A later run asks the store for the articles a new one can copy: the stored report of the same template
    with other figures shares its LSH buckets but is not read (it cannot be the original); the one with the
    same figures, and an exact copy, are."""
    texts = {"monday": TEMPLATE.format("1.5", "6-1/16"), "tuesday": TEMPLATE.format("2.25", "6-3/8")}
    prints = {aid: fingerprint(text) for aid, text in texts.items()}
    store.add_articles([_article(aid, text) for aid, text in texts.items()], prints, run_id=1)
    copy = fingerprint("Reuters - " + texts["monday"])
    assert set(copy.buckets) & set(prints["tuesday"].buckets)  # the other day's report is a candidate by text
    read = {row[0] for row in store.similar_articles([], [(copy.buckets, copy.numbers)])}
    assert read == {"monday"}
    other_day = {row[0] for row in store.similar_articles([], [(copy.buckets, prints["tuesday"].numbers)])}
    assert other_day == {"tuesday"}
    exact = {row[0] for row in store.similar_articles([prints["tuesday"].text_key], [])}
    assert exact == {"tuesday"}


def test_the_stores_test_of_figures_is_the_deduplicators(store):
    """Random sets of numbers: a stored article is read exactly when `numbers_agree` says the new one's figures
    and its own let them be copies (empty sets, equal ones, overlaps around the threshold)."""
    rng = random.Random(3)
    pool = [str(n) for n in range(8)]
    stored = [frozenset(rng.sample(pool, rng.randint(0, 5))) for _ in range(300)]
    asked = [frozenset(rng.sample(pool, rng.randint(0, 5))) for _ in range(300)]
    text = TEMPLATE.format("1", "2")
    ids = [f"a{k}" for k in range(len(stored))]
    store.add_articles([_article(aid, text) for aid in ids], {}, run_id=1)
    for k, (aid, numbers) in enumerate(zip(ids, stored)):
        store.db.execute("UPDATE articles SET numbers = ? WHERE article_id = ?", [sorted(numbers), aid])
        store.db.execute("INSERT INTO article_bands VALUES (?, ?)", [k, aid])
    read = {row[0] for row in store.similar_articles([], [([k], numbers) for k, numbers in enumerate(asked)])}
    assert read == {aid for aid, a, b in zip(ids, stored, asked) if numbers_agree(b, a)}
    assert 0 < len(read) < len(ids)
