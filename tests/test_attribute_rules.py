"""The compiled attribute rules give every token the attributes spaCy's attribute ruler gives it, and the
remembered lemmas are the lemmatizer's own."""
from __future__ import annotations

import spacy

from bilat.annotate import load_pipeline
from bilat.attribute_rules import compile_rules, speed_up


def _attributes(nlp, texts):
    return [(t.text, t.pos_, str(t.morph), t.lemma_, t.tag_, t.dep_) for doc in nlp.pipe(texts) for t in doc]


def test_compiled_rules_give_the_same_attributes_as_the_attribute_ruler(sample_dir):
    texts = [p.read_text(encoding="utf-8") for p in sorted(sample_dir.glob("*.txt"))]
    texts.append("Y'all ain't gonna believe it: let's go, there's a gap in  the  text.\n\nI gave it to you.")
    stock = load_pipeline()
    compiled = load_pipeline()
    assert speed_up(compiled)
    assert compiled.get_pipe("attribute_ruler").compiled is not None
    assert _attributes(stock, texts) == _attributes(compiled, texts)
    assert compiled.get_pipe("lemmatizer").remembered  # the second pass reads its lemmas from memory
    assert _attributes(stock, texts) == _attributes(compiled, texts)


def test_a_rule_of_another_form_leaves_the_ruler_as_it_is():
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a", "OP": "+"}]], {"LEMMA": "x"})  # a quantifier: only spaCy's matcher does this
    assert compile_rules(ruler) is None
    assert not speed_up(nlp)
    assert [t.lemma_ for t in nlp("a a b")] == ["x", "x", ""]


def test_the_pipeline_as_bilat_loads_it_labels_as_spacy_loads_it(sample_dir, nlp):
    # bilat's pipeline multiplies matrices with numpy's BLAS, not thinc's default blis: the same labels
    from bilat.annotate import DEFAULT_MODELS, one_blas_thread

    texts = [p.read_text(encoding="utf-8") for p in sorted(sample_dir.glob("*.txt"))]
    plain = spacy.load(next(name for name in DEFAULT_MODELS if spacy.util.is_package(name)))
    assert plain.get_pipe("tok2vec").model.ops.use_blis and not nlp.get_pipe("tok2vec").model.ops.use_blis
    labels = [(t.text, t.tag_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_) for doc in plain.pipe(texts) for t in doc]
    with one_blas_thread():
        assert labels == [(t.text, t.tag_, t.dep_, t.head.i, t.ent_type_, t.ent_iob_)
                          for doc in nlp.pipe(texts) for t in doc]


def test_one_blas_thread_holds_only_inside_its_context():
    from threadpoolctl import threadpool_info

    from bilat.annotate import one_blas_thread

    def threads():
        return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}

    before = threads()
    with one_blas_thread():
        assert threads() <= {1}
    assert threads() == before
