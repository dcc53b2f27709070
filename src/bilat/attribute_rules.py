"""The pipeline's attribute rules (spaCy's `attribute_ruler`: a tag's part of speech and morphology, and the
exceptions "ai n't" -> be, "it" as a subject -> Case=Nom) applied by a plain look-up instead of spaCy's general
token Matcher, which was a tenth of the cost of parsing a sentence.

`speed_up(nlp)` compiles the component's own patterns: each token of a pattern is a conjunction of tests on LOWER,
TAG, DEP or IS_SPACE (equal to, IN, NOT_IN, REGEX), and a pattern is looked up by its first token's LOWER, TAG or DEP
where it tests one. The matches are applied as the component applies them (the rule added later wins, every
match tested on the attributes as they were before any rule ran), so the tokens get the same attributes; a
pattern of any other form leaves the component as it is. tests/test_attribute_rules.py compares both over the seeds.

`speed_up` also makes the lemmatizer remember its lemmas. Its rules give a word's lemma from the word, its part of
speech and its morphology alone, but spaCy's own cache skips the commonest case (a base form: "talks" as a singular
noun is worked out again at every occurrence); and each new word tests its candidate lemmas against the model's
word index, a list of 57,000 nouns, one by one. Together they made the lemmatizer cost as much as the dependency
parser. The index stays a list (the model still saves as it was) that answers "in" from a set.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

_FIELDS = {"LOWER": 0, "TAG": 1, "DEP": 2, "IS_SPACE": 3}


def _values(doc: Doc) -> list[tuple[str, str, str, bool]]:
    return [(t.lower_, t.tag_, t.dep_, t.is_space) for t in doc]


@dataclass(frozen=True)
class _Pattern:
    rule: int  # the attribute ruler's rule id: its attributes and target token index
    tests: tuple[tuple[tuple[int, str, object], ...], ...]  # per token: (field, how, value)

    def matches(self, values: list[tuple], start: int) -> bool:
        if start + len(self.tests) > len(values):
            return False
        for offset, tests in enumerate(self.tests):
            token = values[start + offset]
            for field, how, value in tests:
                got = token[field]
                if how == "=":
                    ok = got == value
                elif how == "in":
                    ok = got in value
                elif how == "not in":
                    ok = got not in value
                else:
                    ok = value.search(got) is not None
                if not ok:
                    return False
        return True


def _compile_token(spec: dict) -> tuple[tuple[int, str, object], ...] | None:
    tests = []
    for attr, want in spec.items():
        if attr not in _FIELDS:
            return None
        field = _FIELDS[attr]
        if not isinstance(want, dict):
            tests.append((field, "=", want))
        elif len(want) == 1 and "IN" in want:
            tests.append((field, "in", frozenset(want["IN"])))
        elif len(want) == 1 and "NOT_IN" in want:
            tests.append((field, "not in", frozenset(want["NOT_IN"])))
        elif len(want) == 1 and "REGEX" in want and field != 3:
            tests.append((field, "regex", re.compile(want["REGEX"])))
        else:
            return None
    return tuple(tests)


class _Rules:
    def __init__(self, ruler, patterns: list[_Pattern]):
        self.ruler = ruler
        self.by_field: tuple[dict[object, list[_Pattern]], ...] = (defaultdict(list), defaultdict(list),
                                                                   defaultdict(list))  # LOWER, TAG, DEP
        self.others: list[_Pattern] = []
        for p in patterns:
            key = next(((field, how, value) for field in (0, 1, 2) for f, how, value in p.tests[0]
                        if f == field and how in ("=", "in")), None)
            if key is None:
                self.others.append(p)
                continue
            field, how, value = key
            for v in ([value] if how == "=" else value):
                self.by_field[field][v].append(p)

    def match(self, doc: Doc) -> list[tuple[int, int, int]]:
        values = _values(doc)
        lower, tag, dep = self.by_field
        found = set()
        for i, (low, t, d, _) in enumerate(values):
            for p in chain(lower.get(low, ()), tag.get(t, ()), dep.get(d, ()), self.others):
                if p.matches(values, i):
                    found.add((p.rule, i, i + len(p.tests)))
        return sorted(found)

    def apply(self, doc: Doc, matches: list[tuple[int, int, int]]) -> None:
        attrs, indices = self.ruler.attrs, self.ruler.indices
        for rule, start, end in matches:
            index = indices[rule]
            set_token_attrs(doc[start + index] if index >= 0 else doc[end + index], attrs[rule])


def compile_rules(ruler) -> _Rules | None:
    """The ruler's patterns compiled, or None when one of them has a form this look-up does not handle."""
    patterns = []
    for rule, entry in enumerate(ruler.patterns):
        for alternative in entry["patterns"]:
            tests = [_compile_token(spec) for spec in alternative]
            if not tests or any(t is None for t in tests):
                return None
            patterns.append(_Pattern(rule, tuple(tests)))
    return _Rules(ruler, patterns)


class _WordIndex(list):
    """A lemmatizer's word list that answers `in` from a set."""

    def __init__(self, words):
        super().__init__(words)
        self.words = frozenset(self)

    def __contains__(self, word) -> bool:
        return word in self.words


def _remember_lemmas(nlp: Language) -> None:
    """The lemmatizer's lemma of each (word, part of speech, morphology) worked out once per process, in place.
    Only for the rule and look-up modes, whose lemma depends on nothing else."""
    if "lemmatizer" not in nlp.pipe_names:
        return
    lemmatizer = nlp.get_pipe("lemmatizer")
    if getattr(lemmatizer, "mode", None) not in ("rule", "lookup") or getattr(lemmatizer, "remembered", None):
        return
    if lemmatizer.lookups.has_table("lemma_index"):
        index = lemmatizer.lookups.get_table("lemma_index")
        for pos in list(index.keys()):
            index[pos] = _WordIndex(index[pos])
    work_out, known = lemmatizer.lemmatize, {}

    def lemmatize(token):
        key = (token.orth, token.pos, token.morph.key)
        lemmas = known.get(key)
        if lemmas is None:
            lemmas = known[key] = work_out(token)
        return lemmas

    lemmatizer.lemmatize = lemmatize  # what the component's __call__ uses
    lemmatizer.remembered = known


def speed_up(nlp: Language) -> bool:
    """Make the pipeline's attribute ruler use the compiled look-up, and its lemmatizer remember lemmas, in
    place; whether the ruler is compiled."""
    _remember_lemmas(nlp)
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    if getattr(ruler, "compiled", None) is not None:
        return True
    rules = compile_rules(ruler)
    if rules is None:
        return False
    ruler.compiled = rules
    ruler.match, ruler.set_annotations = rules.match, rules.apply  # what the component's __call__ uses
    return True
