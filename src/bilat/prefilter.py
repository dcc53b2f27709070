"""Which sentences are worth the parser: a fast look at a sentence's words decides whether the full spaCy pipeline
(tagger, dependency parser, lemmatizer, entities) runs on it.

The parser is most of bilat's cost, and most sentences of news cannot give an event or a fact. A sentence is
parsed when it

- holds an event cue and two parties: a word form of a trigger in data/event_patterns.tsv (with one of its
  `with` words, where the row has them), and two of: different names the lexicon knows (countries, demonyms,
  capitals, people, organisations), a role phrase of data/roles.tsv that is not a company's or an outlet's
  ("police", "security forces", "central bank"), a pronoun the coder can resolve once the article has named an
  actor it may stand for ("he", "she": the last person named; "they", "we": both sides; not "it", which the
  coder reads only as a speaker the sentence names, nor possessives); or one party and a known place; or "the
  two sides" and the like; or
- names a known actor together with a role noun followed by a name of two capitalised words ("Russian foreign
  minister Sergey Lavrov", "foreign minister, Khawaja Asif"): the context in which people are learned (a person
  is taken only from inside or beside a role phrase), and titles that date a text; or
- holds a project word (pipeline, corridor, dam, ...) with a figure, a "from X to Y" route, or a name before it
  ("the Pakistan Stream pipeline"): the subjects of facts; or
- is a title (sentence 0) with an event cue: a headline, or the first line of a text without one, often states
  its act with no party but its place ("On 3 May, locals protested at Jammu city"). A title without a cue gives
  no event (the coder fires only on cues) and is left unparsed, unless a reason above holds.

Why skipping the rest is safe: the event coder fires only on trigger words and needs a party for each side; a
sentence with one party gets its other side only from a place it names or from "the two sides". What is lost:
an act with one party, no place and no target ("the army launched an offensive"), which the coder would give the
article's own country as an implicit target; the price of parsing a third of the text. A company or outlet
alone takes the article's country, as would its partner, and one country is no pair; a pronoun with no actor before it resolves to nothing. Facts need
a figure or a route, and a named project for later sentences to refer back to. Learning a person needs a known
actor, a role and a name. A skipped sentence still counts for the article's focus pair (its countries are looked
up without the parse) and still passes the last person named to the next sentence. Word forms come from simple
English inflection plus spaCy's lemmatizer exception tables (met, held, sought), so no form is missed for want of
a lemma.

The entity recogniser is half the cost of the full pipeline, and its labels are read in three places only: a
PERSON beside the role phrase of a known name, a GPE, LOC or FAC after "in" or "at", a PERSON that runs into a
known name. `entities_read` tells from the parse whether a sentence has a proper noun in one of those places; on
the others it does not run. Where only the place after "in" or "at" can read the labels, the recogniser waits
until the sentence gives an event (`Sentence.label_entities`; about a quarter of the sentences it would run on,
of which one in eight then gives an event; the same events, facts and people on 4,000 Reuters articles). On
4,000 Reuters articles, against the full pipeline: the same facts; 5 of 1,180 events differ (4 of them lose a
place or an actor's role); three wrong people ("MAIZE IMPORTS", "Haj Omran", "Cartagena") are not learned.
tests/test_prefilter.py checks that the sample articles give the same events with and without the filter, and
the seed, ACLED and PETRARCH figures are the same with it.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache

from spacy.language import Language

from .actors import ActorResolver, _key, model_key
from .events import _GROUP_PRONOUNS, _PERSON_PRONOUNS, PAIR_PHRASE
from .facts import _PROJECT_HEADS
from .knowledge import read_table, split
from .places import places_in

# The pronouns the event coder can take a party from (events._pronoun): he/she stand for the last person named,
# they/we for the article's pair, "both" for the pair. "it" stands only for a speaker the same sentence names
# ("Russia said it would"), and possessives ("his visit") for no one: they add no party.
_PLURAL_PRONOUNS = frozenset(_GROUP_PRONOUNS | {"both"})
_PRONOUNS = frozenset(_PERSON_PRONOUNS | _PLURAL_PRONOUNS)
_PAIR = re.compile(rf"\b{PAIR_PHRASE}\b", re.I)  # "the two sides" (the coder reads them as the pair)
_DOUBLED = re.compile(r"[^aeiou][aeiou][bdgklmnprt]$")


_FIGURE = re.compile(r"\d|\b(?i:one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand|million|"
                     r"billion|trillion|half|quarter)\b|\b[Ff]rom\s+[A-Z]")  # a route names its places


def _named_before(texts: list[str], heads: frozenset[str]) -> bool:
    """A project word with a capitalised word before it ("the Pakistan Stream pipeline"): a named project,
    which later sentences may call "the pipeline"."""
    return any(k > 1 and t.lower() in heads and texts[k - 1][:1].isupper() for k, t in enumerate(texts))


def _titled_name(texts: list[str], roles: frozenset[str]) -> bool:
    """A role noun with a name of two capitalised words right after it, a comma or capitalised words ("of
    State") between them allowed: "minister Sergey Lavrov", "foreign minister, Khawaja Asif", "Prime Minister
    Imran Khan". The person a sentence may teach (actors.py takes the name that stands in or beside the role
    phrase), or a title before a known name that dates the text."""
    for k, t in enumerate(texts):
        if t.lower() not in roles:
            continue
        for j in range(k + 1, min(k + 4, len(texts) - 1)):
            if j > k + 1 and texts[j - 1] not in (",", "of") and not texts[j - 1][:1].isupper():
                break  # "the president said Acme Widget ...": no name of the role's
            a, b = texts[j], texts[j + 1]
            if a[:1].isupper() and b[:1].isupper() and a.isalpha() and b.isalpha():
                return True
    return False


def word_forms(lemma: str, irregular: dict[str, frozenset[str]]) -> set[str]:
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


_IRREGULAR: dict[str, dict[str, frozenset[str]]] = {}  # model key -> lemma -> irregular forms


def _word_lists(nlp: Language, role_patterns: tuple[tuple[tuple[str, ...], str], ...]):
    """(cues: trigger form -> the `with` forms one of which must be in the sentence too, or None, role noun
    forms, party phrases), once per model. Irregular forms come from the lemmatizer's exception tables."""
    key = model_key(nlp)
    if key not in _IRREGULAR:
        irregular: dict[str, set[str]] = {}
        if "lemmatizer" in nlp.component_names:
            tables = dict(nlp.components)["lemmatizer"].lookups
            if tables.has_table("lemma_exc"):
                exceptions = tables.get_table("lemma_exc")
                for pos in ("verb", "noun"):
                    for form, lemmas in (exceptions[pos].items() if pos in exceptions else ()):
                        for lemma in lemmas:
                            irregular.setdefault(lemma, set()).add(form)
        _IRREGULAR[key] = {lemma: frozenset(forms) for lemma, forms in irregular.items()}
    return _lists(key, role_patterns)


@cache
def _lists(model: str, role_patterns: tuple[tuple[tuple[str, ...], str], ...]):
    irregular = _IRREGULAR[model]
    # a form is a cue by itself if one of its rules has no `with` words, else with any of its rules' `with` words
    alone: set[str] = set()
    needs: dict[str, set[str]] = {}
    for row in read_table("event_patterns.tsv"):
        forms = set().union(*(word_forms(w, irregular) for w in split(row["lemma"])))
        if not row["with"]:
            alone |= forms
            continue
        with_ = set().union(*(word_forms(w, irregular) for w in split(row["with"])))
        for form in forms:
            needs.setdefault(form, set()).update(with_)
    cues = {form: None if form in alone else frozenset(needs[form]) for form in alone | set(needs)}
    roles = frozenset().union(*(word_forms(p[-1], irregular) for p, _ in role_patterns if p))
    # Role phrases that make a party where the sentence names no actor: head form -> the other words of each
    # phrase ("central bank" needs "central"; "hyphens" are no words). A company or an outlet alone ("the
    # group said it agreed to buy") is left out: it takes its country from the article, as its partner would.
    parties: dict[str, list[tuple[frozenset[str], ...]]] = {}
    for phrase, role in role_patterns:
        words = [w for w in phrase if w.isalpha()]
        if not words or role in ("BUS", "MED"):
            continue
        others = tuple(frozenset(word_forms(w, irregular)) for w in words[:-1])
        for form in word_forms(words[-1], irregular):
            parties.setdefault(form, []).append(others)
    return cues, roles, parties


class SentenceFilter:
    """Decides from a sentence's words alone whether to parse it.

    Example:
        wanted = SentenceFilter(nlp, resolver)
        wanted(["Russia", "signed", "a", "deal", "with", "Pakistan"], "Russia signed a deal with Pakistan")
    """

    def __init__(self, nlp: Language, resolver: ActorResolver):
        self.cues, self.roles, self.parties = _word_lists(nlp, tuple(sorted(resolver.roles.items())))
        self.triggers = frozenset(self.cues)
        self.resolver = resolver
        self.projects = frozenset(_PROJECT_HEADS) | frozenset(p + "s" for p in _PROJECT_HEADS)

    def _cue(self, words: set[str]) -> bool:
        return any(self.cues[form] is None or words & self.cues[form] for form in words & self.triggers)

    def _party(self, words: set[str]) -> bool:
        """A role phrase that stands for a party ("police", "security forces", "the central bank")."""
        return any(all(words & w for w in others) for head in words for others in self.parties.get(head, ()))

    def _names(self, keys: list[str], most: int | None = None) -> Iterator[tuple[int, int]]:
        """(start, end) of the names the lexicon knows in the word keys, longest name first, left to right; at
        most `most` different names."""
        found: set[tuple[str, ...]] = set()
        i = 0
        while i < len(keys) and (most is None or len(found) < most):
            step = 1
            for n in self.resolver.lengths.get(keys[i], ()):  # longest first
                if tuple(keys[i:i + n]) in self.resolver.phrases:
                    found.add(tuple(keys[i:i + n]))
                    yield i, i + n
                    step = n
                    break
            i += step

    def count_actors(self, texts: list[str], most: int = 2) -> int:
        """How many different names the lexicon knows in the words, up to `most` (longest name first)."""
        keys = [_key(t) for t in texts]
        return len({tuple(keys[a:b]) for a, b in self._names(keys, most)})

    def entities_read(self, doc) -> str | None:
        """Where the entity recogniser's labels can change what is read from this parsed sentence: they are read
        only of proper nouns. "actors" when actors.py reads them: a PERSON beside a role phrase of a name the
        lexicon knows (it learns a person only there), a PERSON that a known name is the head or tail of ("George
        Washington", "Jordan Peterson"). "place" when only an event's place can read them: a GPE, LOC or FAC
        after "in" or "at" (events.py), which matters only if the sentence gives an event, so the recogniser can
        wait until then (`Sentence.label_entities`). None for a sentence with none of these: it keeps no entity
        labels, and the recogniser, the costliest part of the pipeline, does not run on it. A known name of
        several words ("Saudi Arabia", "United States") is no reason by itself: a person's name that takes it in
        has a proper noun outside it."""
        tokens = list(doc)
        pos = [t.pos_ for t in tokens]
        names = list(self._names([_key(t.text) for t in tokens]))
        place = False
        for t in tokens:
            if pos[t.i] == "PROPN":
                before = {x.lower_ for x in tokens[max(0, t.i - 4):t.i]}
                if names and before & self.roles:
                    return "actors"
                place = place or bool(before & {"in", "at"})
        for start, end in names:
            if (start > 0 and pos[start - 1] == "PROPN") or (end < len(tokens) and pos[end] == "PROPN"):
                return "actors"
        return "place" if place else None

    def __call__(self, texts: Iterable[str], sentence: str, antecedent: bool = True, title: bool = False) -> bool:
        """`antecedent`: whether an earlier sentence of the article names an actor a pronoun may stand for.
        `title`: the sentence is the article's title, which needs an event cue but no party."""
        texts = list(texts)
        words = {t.lower() for t in texts}
        if words & self.projects and (_FIGURE.search(sentence) or _named_before(texts, self.projects)):
            return True
        if words & self.roles and _titled_name(texts, self.roles) and self.count_actors(texts, most=1):
            return True
        if not self._cue(words):
            return False
        if title or _PAIR.search(sentence):  # "the two sides": both parties at once
            return True
        parties = self.count_actors(texts)
        if antecedent and words & _PRONOUNS:  # "they", "we" may stand for both ("Russia and Pakistan ... They")
            parties += 2 if words & _PLURAL_PRONOUNS else 1
        parties += self._party(words)
        return parties >= 2 or (parties == 1 and bool(places_in(sentence)))
