"""The pipeline's attribute rules (spaCy's `attribute_ruler`: a tag's part of speech and morphology, and the
exceptions "ai n't" -> be, "it" as a subject -> Case=Nom) applied by a plain look-up instead of spaCy's general
token Matcher, which was a tenth of the cost of parsing a sentence.

`speed_up(nlp)` compiles the component's own patterns: each token of a pattern is a conjunction of tests on LOWER,
TAG, DEP or IS_SPACE (equal to, IN, NOT_IN, REGEX), and a pattern is looked up by a value of its first token's
(`_Rules`). The matches are applied as the component applies them (the rule added later wins, every
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


def _passes(tests: tuple[tuple[int, str, object], ...], token: tuple) -> bool:
    """Whether a token's (LOWER, TAG, DEP, IS_SPACE) values pass one pattern token's tests."""
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


@dataclass(frozen=True)
class _Pattern:
    rule: int  # the attribute ruler's rule id: its attributes and target token index
    tests: tuple[tuple[tuple[int, str, object], ...], ...]  # per token: (field, how, value)

    def matches(self, values: list[tuple], start: int) -> bool:
        if start + len(self.tests) > len(values):
            return False
        return all(_passes(tests, values[start + offset]) for offset, tests in enumerate(self.tests))


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
    """A pattern is looked up by a value its first token must have: its LOWER, TAG or DEP (equal to or IN), or
    IS_SPACE; a one-token pattern with that one test matches wherever it is looked up so (the tag map: a
    token's TAG gives its POS). A pattern whose first token tests only LOWER, by other means (REGEX, NOT_IN),
    is looked up by the word, which remembers the result (as spaCy's vocabulary remembers the word).
    Seeds and 1,658 Reuters sentences get the same attributes as from spaCy's ruler; the rules take 0.10 s
    of 1,000 articles instead of 0.18."""

    def __init__(self, ruler, patterns: list[_Pattern]):
        self.ruler = ruler
        # LOWER, TAG, DEP, IS_SPACE value -> (pattern, whether finding it so is a match)
        self.by_field: tuple[dict[object, list[tuple[_Pattern, bool]]], ...] = tuple(defaultdict(list)
                                                                                    for _ in range(4))
        self.by_word: list[_Pattern] = []
        self.others: list[tuple[_Pattern, bool]] = []
        self._words: dict[str, tuple[tuple[_Pattern, bool], ...]] = {}
        for p in patterns:
            first = p.tests[0]
            key = next(((field, how, value) for field in (0, 1, 2, 3) for f, how, value in first
                        if f == field and how in ("=", "in")), None)
            if key is None:
                if all(f == 0 for f, _, _ in first):
                    self.by_word.append(p)
                else:
                    self.others.append((p, False))
                continue
            field, how, value = key
            for v in ([value] if how == "=" else value):
                self.by_field[field][v].append((p, len(p.tests) == 1 and len(first) == 1))

    def _word(self, low: str) -> tuple[tuple[_Pattern, bool], ...]:
        """The by_word patterns whose first token this word passes."""
        found = self._words.get(low)
        if found is None:
            token = (low, None, None, None)
            found = self._words[low] = tuple((p, len(p.tests) == 1) for p in self.by_word
                                             if _passes(p.tests[0], token))
        return found

    def match(self, doc: Doc) -> list[tuple[int, int, int]]:
        values = _values(doc)
        lower, tag, dep, space = self.by_field
        found = set()
        for i, (low, t, d, s) in enumerate(values):
            for p, sure in chain(lower.get(low, ()), tag.get(t, ()), dep.get(d, ()), space.get(s, ()),
                                 self._word(low), self.others):
                if sure or p.matches(values, i):
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
