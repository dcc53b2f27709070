"""The sentence filter: the parser runs only where an event or fact can be, and what it skips changes nothing."""
from __future__ import annotations

import pytest

from bilat.annotate import Annotator
from bilat.consolidate import consolidate
from bilat.events import EventCoder
from bilat.prefilter import SentenceFilter, word_forms


@pytest.fixture(scope="module")
def wanted(nlp):
    return SentenceFilter(nlp, Annotator(nlp).resolver)


def words(nlp, text: str) -> list[str]:
    return [t.text for t in nlp.make_doc(text)]


@pytest.mark.parametrize("text", [
    "Russia signed a gas deal with Pakistan on Monday.",
    "He met his counterpart in Islamabad.",                       # a pronoun stands for a party
    "Police arrested twelve protesters in Quetta.",               # roles
    "The two sides agreed to hold talks next month.",             # the pair
    "Russian foreign minister Sergey Lavrov said the visit went well.",
    "Pakistan's foreign minister, Khawaja Asif, arrived on Tuesday.",   # a person to learn
    "U.S. Secretary of State George Shultz arrived on Tuesday.",
    "The 1,100 km pipeline will cost $2.25 billion.",             # a fact
])
def test_sentences_that_can_give_an_event_or_a_fact_are_parsed(nlp, wanted, text):
    assert wanted(words(nlp, text), text)


@pytest.mark.parametrize("text", [
    "Shares closed higher on the Karachi exchange after a quiet session.",
    "The weather was mild for the season.",
    "Russia is a large country.",                                  # a party but no act
])
def test_sentences_without_an_act_and_a_party_are_not(nlp, wanted, text):
    assert not wanted(words(nlp, text), text)


@pytest.mark.parametrize("text", [
    "The group agreed to buy 50 pct of the company.",               # a company alone: no pair of parties
    "The new plant will be built by a local contractor.",           # a project word, but no figure and no name
    "The figure was agreed at the meeting.",                         # one word of "opposition figure" is no role
    "Finance Minister Gerhard Stoltenberg said the bank would not cut rates.",  # no known actor to teach by
    "The U.S. company's president said Acme Widget Corp would grow.",  # the name is not the role's
])
def test_sentences_that_cannot_give_a_pair_or_a_fact_are_not(nlp, wanted, text):
    assert not wanted(words(nlp, text), text)


def test_a_pronoun_is_a_party_only_after_an_actor_was_named(nlp, wanted):
    text = "They agreed to supply wheat to Pakistan."
    assert wanted(words(nlp, text), text, antecedent=True)      # "Russia ... They agreed": the pair
    assert not wanted(words(nlp, text), text, antecedent=False)  # nothing it could stand for


@pytest.mark.parametrize("text", [
    "It agreed to supply wheat to Pakistan.",        # "it" is only ever the speaker the sentence names
    "Its offer to supply wheat to Pakistan stands.",  # a possessive stands for no one
])
def test_pronouns_the_coder_cannot_resolve_are_no_party(nlp, wanted, text):
    assert not wanted(words(nlp, text), text, antecedent=True)
    # and the coder agrees: no event from the same sentence after a named actor
    from bilat.annotate import annotate_text
    article = annotate_text("Russia held talks on Monday. " + text, "2020-01-06")
    assert not [m for m in EventCoder().code(article) if m.sentence_index == 1]


@pytest.mark.parametrize("text, wanted_", [
    ("Locals protested at Jammu city", True),          # an act with its place only: parsed
    ("Wheat prices rise in Karachi", False),           # no act: the title is left unparsed
])
def test_a_title_is_parsed_for_an_act_without_parties(nlp, wanted, text, wanted_):
    assert wanted(words(nlp, text), text, title=True) is wanted_


def test_word_forms_cover_regular_and_irregular_inflection():
    assert word_forms("visit", {}) >= {"visits", "visited", "visiting"}
    assert word_forms("supply", {}) >= {"supplies", "supplied", "supplying"}
    assert word_forms("ship", {}) >= {"shipped", "shipping"}
    assert "met" in word_forms("meet", {"meet": {"met"}})


def test_parsing_only_the_chosen_sentences_codes_the_same_events(nlp, sample_dir):
    from bilat.clean import clean
    from bilat.ingest import iter_documents

    articles = [clean(doc) for doc in iter_documents([str(p) for p in sorted(sample_dir.glob("*.txt"))])]
    results = []
    for select in (False, True):
        annotator = Annotator(nlp, select=select)
        annotated = list(annotator.annotate(articles))
        for a in annotated:
            annotator.refresh(a)
        coder = EventCoder()
        events = consolidate([m for a in annotated for m in coder.code(a)])
        results.append(sorted((e.date or "", e.cameo, e.source, e.target, e.status) for e in events))
        if select:
            assert any(not s.parsed for a in annotated for s in a.sentences)  # something was skipped
    assert results[0] == results[1]


def test_a_pipeline_loaded_again_lets_the_old_one_go():
    # a coding process loads its pipeline again now and then (spaCy's string store only grows); the filter's
    # word lists must not keep the old pipeline, and its vocabulary, alive
    import gc
    import weakref

    from bilat.annotate import load_pipeline

    nlp = load_pipeline()
    Annotator(nlp, select=True)
    gone = weakref.ref(nlp)
    del nlp
    gc.collect()
    assert gone() is None


@pytest.mark.parametrize("text, read", [
    ("Russian foreign minister Sergey Lavrov arrived on Monday.", "actors"),   # a person beside a role
    ("Troops clashed with rebels near the border in Kandahar.", "place"),      # a place after "in"
    ("Crowds cheered George Washington in the square.", "actors"),             # a country's name inside a person's
    ("Russia agreed to supply wheat to Pakistan.", None),                      # no label is read of these names
])
def test_the_entity_recogniser_runs_only_where_its_labels_are_read(nlp, wanted, text, read):
    assert wanted.entities_read(nlp(text)) is read


def test_paragraphs_are_split_as_the_sentence_recogniser_splits_them(nlp, sample_dir):
    """The recogniser is skipped on paragraphs with no sentence end inside; the sentences are still the ones it
    gives when run on every paragraph."""
    from bilat.clean import clean
    from bilat.ingest import iter_documents

    articles = [clean(doc) for doc in iter_documents([str(p) for p in sorted(sample_dir.glob("*.txt"))])]
    annotator = Annotator(nlp, select=True)
    senter = nlp.get_pipe("senter")
    expected = [s.text for text, _ in Annotator._paragraphs(articles) if text
                for s in senter(nlp.make_doc(text)).sents]
    got = [s.text for a in annotator.annotate(articles) for s in a.sentences]
    assert got == expected
    assert len(got) > len(articles) * 5


def test_a_paragraph_without_a_sentence_end_inside_is_one_sentence(nlp):
    from bilat.model import Article

    text = ("Daimler-Benz AG [DAIG.F] said its car sales rose\n\n"
            "Russia and Pakistan signed a deal on Monday. The deal covers gas supplies.")
    (annotated,) = Annotator(nlp, select=True).annotate([Article("a", "a.txt", "", None, text)])
    assert [s.text for s in annotated.sentences] == [
        "Daimler-Benz AG [DAIG.F] said its car sales rose",
        "Russia and Pakistan signed a deal on Monday.", "The deal covers gas supplies."]


def test_the_entity_recogniser_waits_for_an_event_where_only_its_place_reads_labels(nlp):
    from bilat.model import Article

    text = "Russia signed the deal with Pakistan in Kandahar on Monday."
    annotator = Annotator(nlp, select=True)
    (annotated,) = annotator.annotate([Article("a", "a.txt", "", None, text, "2021-03-01", "high")])
    annotator.refresh(annotated)
    waiting = [s for s in annotated.sentences if s.label_entities is not None]
    assert waiting and all(t.ent == "" for s in waiting for t in s.tokens)
    events = EventCoder().code(annotated)
    assert [e.location for e in events] == ["Kandahar"]
    assert annotated.sentences[0].label_entities is None and annotated.sentences[0].tokens[7].ent == "GPE"
    full = Annotator(nlp)  # every sentence parsed with every label: the same events and places
    (whole,) = full.annotate([Article("a", "a.txt", "", None, text, "2021-03-01", "high")])
    full.refresh(whole)
    assert {(e.cameo, e.location) for e in EventCoder().code(whole)} == {(e.cameo, e.location) for e in events}
