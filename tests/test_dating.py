"""Dating: a page date that the text contradicts (by the office holders it names) is rejected; one the text
supports is kept."""
from __future__ import annotations

import datetime

from bilat.clean import clean
from bilat.dating import check_published, period_of_text
from bilat.ingest import iter_documents
from bilat.model import Article
from bilat.pipeline import run


def cleaned(folder, name: str) -> Article:
    (document,) = list(iter_documents([str(folder / name)]))
    return clean(document)


def dated(text: str, published: str | None, confidence: str | None = "high") -> Article:
    return Article("id", "test.txt", "hash", None, text, published=published, published_confidence=confidence)


def test_a_page_dated_2023_that_speaks_of_prime_minister_imran_khan_is_from_2018_to_2022(sample_dir):
    text = (sample_dir / "002_56cdaf7f9a38c4f7.txt").read_text(encoding="utf-8")
    period = period_of_text(text)
    assert datetime.date(2018, 8, 1) <= period.start and period.end <= datetime.date(2022, 4, 30)
    assert any("Prime Minister Imran Khan" in e for e in period.evidence)

    labelled = dated(text, "2023-12-02", "high")
    checked = check_published(labelled)
    assert checked.published is None and checked.published_confidence == "low"
    assert checked.page_date == "2023-12-02"
    assert "2023-12-02" in checked.notes[-1] and "Imran Khan" in checked.notes[-1]
    assert labelled.published == "2023-12-02" and labelled.notes == []  # the input is not changed


def test_the_unlabelled_date_widget_of_seed_002_is_noted_as_contradicted(sample_dir):
    checked = check_published(cleaned(sample_dir, "002_56cdaf7f9a38c4f7.txt"))
    assert checked.published is None and checked.published_confidence == "low"
    assert checked.page_date == "2023-12-02"
    assert "page date 2023-12-02 rejected" in checked.notes[-1]


def test_a_date_the_text_supports_is_kept_as_it_was(sample_dir):
    article = cleaned(sample_dir, "001_939baf877a38910c.txt")
    assert article.published == "2021-04-07"
    assert check_published(article) == article


def test_former_and_then_office_holders_give_no_constraint():
    assert not period_of_text("Former Prime Minister Nawaz Sharif returned to Lahore on Tuesday.").bounded
    assert not period_of_text("The then foreign minister, Khawaja Asif, had warned of this.").bounded
    kept = check_published(dated("former Prime Minister Nawaz Sharif spoke to reporters.", "2024-05-01"))
    assert kept.published == "2024-05-01" and kept.notes == []


def test_other_offices_ending_in_a_title_give_no_constraint():
    assert not period_of_text("Vice President Joe Biden met Deputy Prime Minister Ishaq Dar.").bounded
    assert not period_of_text("PML-N President Shehbaz Sharif addressed the rally.").bounded
    assert not period_of_text("In 2015, Prime Minister Nawaz Sharif visited Moscow.").bounded


def test_a_person_back_in_office_gives_the_union_of_the_terms():
    text = "President Donald Trump said the talks went well."
    assert check_published(dated(text, "2019-05-01")).published == "2019-05-01"
    assert check_published(dated(text, "2022-05-01")).published is None
    assert check_published(dated(text, "2025-03-01")).published == "2025-03-01"


def test_a_month_of_slack_is_allowed_around_a_term():
    text = "Prime Minister Imran Khan chaired the meeting."  # in office until 2022-04-10
    assert check_published(dated(text, "2022-04-30")).published == "2022-04-30"
    assert check_published(dated(text, "2022-06-01")).published is None


def test_terms_that_do_not_overlap_give_no_constraint_and_say_so():
    period = period_of_text("Prime Minister Imran Khan met Prime Minister Shehbaz Sharif.")
    assert not period.bounded and "do not overlap" in period.evidence[-1]


def test_an_undated_article_gets_a_note_with_the_text_period():
    checked = check_published(dated("PM Imran Khan met Russian President Vladimir Putin.", None, None))
    assert checked.published is None
    assert checked.notes == [checked.notes[-1]] and checked.notes[-1].endswith("written 2018-08-18..2022-04-10")


def test_the_pipeline_drops_only_the_contradicted_date(seeds_copy, store):
    run([str(seeds_copy)], store)
    articles = {a["source"]: a for a in store.article_records()}
    assert articles["001_939baf877a38910c.txt"]["published"] == "2021-04-07"
    assert articles["004_d41b808b5fb25158.txt"]["published"] == "2023-06-13"
    assert articles["002_56cdaf7f9a38c4f7.txt"]["published"] is None
    assert articles["002_56cdaf7f9a38c4f7.txt"]["published_confidence"] == "low"
