"""Which sentences are worth the parser: a fast look at a sentence's words decides whether the full spaCy pipeline
(tagger, dependency parser, lemmatizer, entities) runs on it.

The parser is most of bilat's cost, and most sentences of news cannot give an event or a fact. A sentence is
parsed when it

- holds an event cue and a party: a word form of a trigger in data/event_patterns.tsv (with one of its `with`
  words, where the row has them), and a country, demonym, capital, known person or organisation, a role noun
  ("police", "minister"), a pronoun, "the two sides" and the like, or a known place; or
- names a known actor together with a role noun ("Russian foreign minister Sergey Lavrov"): the context in which
  people are learned; or
- holds a project word (pipeline, corridor, dam, ...): the subjects of facts; or
- is a title (sentence 0).

Why skipping the rest is safe: the event coder fires only on trigger words and needs a party for each side (a
role, pronoun or "the two countries" stands for one); facts need a project phrase; learning a person needs a
known actor and a role in the same sentence. A skipped sentence still counts for the article's focus pair (its
countries are looked up without the parse) and still passes the last person named to the next sentence. Word
forms come from simple English inflection plus spaCy's lemmatizer exception tables (met, held, sought), so no
form is missed for want of a lemma.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from spacy.language import Language

from .actors import ActorResolver, _key
from .facts import _PROJECT_HEADS
from .knowledge import read_table, split
from .places import places_in

_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "him", "her", "them", "us", "both", "it", "its", "their",
                       "his"})
_PAIR = re.compile(r"\b(?:two|both)\s+(?:countries|nations|sides|states|governments|neighbou?rs|leaders|"
                   r"ministers|capitals|rivals|allies|partners|powers)\b", re.I)
_DOUBLED = re.compile(r"[^aeiou][aeiou][bdgklmnprt]$")


def word_forms(lemma: str, irregular: dict[str, set[str]]) -> set[str]:
    """The forms of an English verb or noun lemma: 'visit' -> visit, visits, visited, visiting; 'meet' -> ...
    met; 'supply' -> supplies, supplied."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if _DOUBLED.search(lemma):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms | irregular.get(lemma, set())


@cache
def _word_lists(nlp: Language, role_patterns: tuple[tuple[str, ...], ...]):
    """(rules: [(trigger forms, `with` forms or None)], all trigger forms, role noun forms), once per pipeline."""
    irregular: dict[str, set[str]] = {}
    if "lemmatizer" in nlp.component_names:
        tables = dict(nlp.components)["lemmatizer"].lookups
        if tables.has_table("lemma_exc"):
            exceptions = tables.get_table("lemma_exc")
            for pos in ("verb", "noun"):
                for form, lemmas in (exceptions[pos].items() if pos in exceptions else ()):
                    for lemma in lemmas:
                        irregular.setdefault(lemma, set()).add(form)
    rules: list[tuple[frozenset[str], frozenset[str] | None]] = []
    for row in read_table("event_patterns.tsv"):
        trigger = frozenset().union(*(word_forms(w, irregular) for w in split(row["lemma"])))
        with_ = frozenset().union(*(word_forms(w, irregular) for w in split(row["with"]))) if row["with"] else None
        rules.append((trigger, with_))
    triggers = frozenset().union(*(t for t, _ in rules))
    roles = frozenset().union(*(word_forms(p[-1], irregular) for p in role_patterns if p))
    return rules, triggers, roles


class SentenceFilter:
    """Decides from a sentence's words alone whether to parse it.

    Example:
        wanted = SentenceFilter(nlp, resolver)
        wanted(["Russia", "signed", "a", "deal", "with", "Pakistan"], "Russia signed a deal with Pakistan")
    """

    def __init__(self, nlp: Language, resolver: ActorResolver):
        self.rules, self.triggers, self.roles = _word_lists(nlp, tuple(sorted(resolver.roles)))
        self.resolver = resolver
        self.projects = frozenset(_PROJECT_HEADS) | frozenset(p + "s" for p in _PROJECT_HEADS)

    def _cue(self, words: set[str]) -> bool:
        if not words & self.triggers:
            return False
        return any(words & t and (w is None or words & w) for t, w in self.rules)

    def _actors(self, texts: list[str]) -> bool:
        keys = [_key(t) for t in texts]
        for i, k in enumerate(keys):
            for n in self.resolver.lengths.get(k, ()):
                if tuple(keys[i:i + n]) in self.resolver.phrases:
                    return True
        return False

    def __call__(self, texts: Iterable[str], sentence: str) -> bool:
        texts = list(texts)
        words = {t.lower() for t in texts}
        if words & self.projects:
            return True
        actor = self._actors(texts)
        if actor and words & self.roles:
            return True
        if not self._cue(words):
            return False
        return actor or bool(words & (self.roles | _PRONOUNS)) or bool(_PAIR.search(sentence)) or \
            bool(places_in(sentence))
