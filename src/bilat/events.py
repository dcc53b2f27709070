"""Code event mentions from annotated sentences: who did what to whom, in CAMEO, with status, date, place,
sector and quantities.

For each sentence:
1. Triggers: tokens whose lemma matches a row of `data/event_patterns.tsv` (a verb, or a noun such as
   "visit"); a row that names a required object or modifier (`with`) beats a general one, and a noun that is
   the required object of a verb trigger ("signed an agreement") is part of that verb's event.
2. Arguments, from the dependency parse: the doer is the verb's subject (or the agent of a passive, or the
   subject of the verb it depends on: "Russia has sought to expand ties"); the one acted upon is its object,
   indirect object or the object of a preposition (to, with, in, ...). A noun trigger takes its doer from a
   possessive, an adjective ("Russian"), "by X", "from X" ("a loan from China"), or the verb it is the object
   of ("Lavrov held talks"), not the verb it is the subject of ("Putin's visit took place"). A
   compound doer ("Pakistan and Russia signed") of a joint act gives the pair. Pronouns ("he") take the last
   person named; "the two countries" and "both sides" take the article's focus pair.
3. When the parse leaves a side open, the sentence's other country fills it, if there is exactly one (the giver,
   where the doer receives: a `reverse` row).
4. Status from cues (`data/status_cues.tsv`) on the verb's auxiliaries, negations, governing words and the
   noun's adjectives. Date from the time expression attached to the trigger in the parse (else the sentence's
   own date), resolved toward the future for planned events; with no time expression, an occurred event is
   dated by the report's publication date when that date is trusted, and marked `date_basis = "published"`.

Only events between two different countries (or a country and an international organisation) are kept.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cache, cached_property

from .actors import names_a_thing
from .annotate import anchor_date
from .knowledge import cameo, country_names, read_table, resolve_country, split
from .model import (NEGATED, Article, OCCURRED, PLANNED, POSSIBLE, ActorMention, AnnotatedArticle, EventMention, Quantity,
                    Sentence, TimeExpression, Token)
from .places import country_of_place, places_in
from .quantities import find_quantities
from .timex import find_time_expressions

# Dependency labels not followed when looking for the actors inside an argument: clauses of their own.
_CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "parataxis", "punct", "mark", "advmod"}
_SUBJECT_DEPS = {"nsubj", "csubj", "expl"}  # who does it: not a passive's subject
_STAND_IN_PRONOUNS = frozenset({"it", "he", "she", "they", "we", "i"})  # may stand for the governor's subject
_TARGET_PREPS = {"to", "with", "in", "into", "from", "against", "for", "on", "at", "between", "toward", "towards",
                 "upon", "among", "of", "by", "across", "over"}
# Prepositions that introduce a party to an event noun ("talks with", "deal between", "aid to"), as opposed
# to its circumstances ("in response to", "during", "after").
# Prepositions that put an event noun beside the clause's own act ("during a visit", "on a trip"): the clause's
# subject is the noun's doer.
_CIRCUMSTANCE_PREPS = {"during", "on", "after", "before", "ahead", "in", "at", "amid", "following"}
_PARTICIPANT_PREPS = {"with", "between", "to", "for", "of", "by", "against", "from", "among", "toward", "towards"}
# Words that stand for both parties of the article's pair: "the two countries", "both sides", "both".
PAIR_PHRASE = (r"(?:the|both)\s+(?:two\s+)?(?:countries|nations|sides|states|governments|neighbou?rs|leaders|ministers|"
               r"capitals|rivals|allies|partners|powers|foes|adversaries)")
_PAIR_WORDS = re.compile(rf"\b(?:{PAIR_PHRASE}|both)\b", re.I)
# Participles after a hyphen that make the actor before them a patron or the maker of the noun, not a party of
# the clause: "Iran-backed militias attacked" (the militias did), "an al-Qaeda-linked group claimed", "Iran fired
# a Chinese-made missile at a hulk" (China is no target). "-led" is not among them: a "Saudi-led coalition" acts
# as its leader does; nor "-based": "Pakistan-based militants" are the country's militants.
_PATRON_PARTICIPLES = {"backed", "linked", "affiliated", "allied", "aligned", "inspired", "funded", "sponsored",
                       "supported", "trained", "armed", "made", "built", "manufactured", "designed", "produced",
                       "developed", "supplied"}
# Documents that speak for whoever issued them: where the text names no issuer, the place it was issued from
# does ("a report released in Kigali alleged", "a statement from Moscow said").
_DOCUMENTS = {"report", "statement", "communique", "communiqué", "declaration", "document", "dossier", "letter",
              "memo", "memorandum", "cable", "bulletin", "editorial", "broadcast"}
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_GROUP_PRONOUNS = {"they", "them", "we"}
_STATUS_RANK = {OCCURRED: 0, PLANNED: 1, POSSIBLE: 2, NEGATED: 3}


@dataclass(frozen=True)
class Pattern:
    id: str
    cameo: str
    pos: str
    lemmas: frozenset[str]
    with_: frozenset[str]
    sector: str
    reciprocal: bool
    reverse: bool = False
    alone: str = ""  # the code of a joint act done alone on or near another country's ground (data file)
    target_in_with: bool = False  # the party acted upon is named inside the phrase that fired the row


# The code of a pattern row that blocks an idiom ("gave way", "engaged in talks"): the word fires no event
# there, as "---" does in TABARI's and PETRARCH's verb dictionaries.
NO_EVENT = "---"


@cache
def patterns() -> tuple[Pattern, ...]:
    out = []
    for row in read_table("event_patterns.tsv"):
        if row["cameo"] != NO_EVENT:
            cameo(row["cameo"])  # fail early on an unknown code
        out.append(Pattern(row["id"], row["cameo"], row["pos"].upper(), frozenset(split(row["lemma"])),
                           frozenset(split(row["with"])), row["sector"], row["reciprocal"].lower() == "yes",
                           row.get("reverse", "").lower() == "yes", row.get("alone", ""),
                           row.get("target", "").lower() == "with"))
        if row.get("alone"):
            cameo(row["alone"])
    return tuple(out)


@cache
def _patterns_by_lemma() -> dict[tuple[str, str], list[Pattern]]:
    index: dict[tuple[str, str], list[Pattern]] = {}
    for p in patterns():
        for lemma in p.lemmas:
            index.setdefault((p.pos, lemma), []).append(p)
    for rows in index.values():
        rows.sort(key=lambda p: not p.with_)  # specific rows first
    return index


@cache
def status_cues() -> dict[str, dict[str, str]]:
    """where -> {lemma: status}"""
    out: dict[str, dict[str, str]] = {}
    for row in read_table("status_cues.tsv"):
        out.setdefault(row["where"], {})[row["cue"].lower()] = row["status"]
    return out


@cache
def sector_words() -> dict[str, str]:
    out: dict[str, str] = {}
    for row in read_table("sectors.tsv"):
        out.setdefault(row["lemma"].lower(), row["sector"])
    return out


@dataclass
class Trigger:
    token: int  # the trigger word
    pattern: Pattern
    predicate: int  # the verb that carries tense, subject and status (the trigger itself for a verb)
    consumed: set[int] = field(default_factory=set)
    merged: set[int] = field(default_factory=set)  # event nouns of the same act ("arrived on a visit")
    topic: bool = False  # an act of cooperation an act of conflict is about ("sanctions on Iranian oil exports")


@dataclass
class Context:
    """What the coder knows beyond the sentence: the article, its focus pair, the last person named."""

    article_id: str
    source: str
    published: str | None
    anchor: dt.date | None
    focus: tuple[str, ...] = ()
    last_person: ActorMention | None = None
    article: Article | None = None

    @cached_property
    def home(self) -> str | None:
        """The country the report is from (its dateline, else the places it names most), looked for only when an
        event needs it."""
        return home_country(self.article) if self.article is not None else None


def repair_parse(tokens: list[Token]) -> list[Token]:
    """Mend a parser error that turns who did an act around: in "were killed in Israeli tank shelling" the small
    model makes "tank" the object of "in" and "shelling" a verb of its own, with no subject. A bare -ing verb
    right after the object of a preposition, with no subject or object of its own, is the head noun of that
    phrase ("Israeli tank shelling"), which then names the doer like any event noun."""
    out = list(tokens)
    for t in tokens:
        prev = out[t.i - 1] if t.i > 0 else None
        if (t.tag == "VBG" and t.dep in ("advcl", "acl") and prev is not None and prev.dep == "pobj"
                and prev.pos in ("NOUN", "PROPN") and prev.head != prev.i and tokens[prev.head].head != t.i
                and not any(c.head == t.i and c.dep in ("nsubj", "nsubjpass", "dobj", "aux") for c in tokens)):
            out[t.i] = replace(t, pos="NOUN", tag="NN", dep="pobj", head=prev.head, lemma=t.text.lower())
            out[prev.i] = replace(prev, dep="compound", head=t.i)
    return _tree(out)


def _tree(tokens: list[Token]) -> list[Token]:
    """The tokens with every head chain ending at a root: a token on a cycle (which a mended parse can make,
    when the preposition hangs from the -ing word itself) becomes a root, so no walk up the tree loops."""
    out = list(tokens)
    for t in tokens:
        seen, i = set(), t.i
        while out[i].head != i:
            if i in seen:
                out[i] = replace(out[i], head=i, dep="ROOT")
                break
            seen.add(i)
            i = out[i].head
    return out


class _Parse:
    """Tree helpers over one sentence's tokens."""

    def __init__(self, sentence: Sentence):
        self.tokens = sentence.tokens
        self.kids: list[list[Token]] = [[] for _ in self.tokens]
        for t in self.tokens:
            if t.head != t.i:
                self.kids[t.head].append(t)
        self.actor_at: dict[int, ActorMention] = {}
        for a in sentence.actors:
            if self.patron(a):
                continue
            for i in range(a.start, a.end):
                self.actor_at[i] = a

    def patron(self, a: ActorMention) -> bool:
        """'Iran' in "Iran-backed militias", 'Chinese' in "Chinese-made missiles": it names who stands behind the
        noun or made it, not who acts."""
        after = self.tokens[a.end:a.end + 2]
        return len(after) == 2 and after[0].text == "-" and after[1].text.lower() in _PATRON_PARTICIPLES

    def children(self, i: int, deps: set[str] | None = None) -> list[Token]:
        return [t for t in self.kids[i] if deps is None or t.dep in deps]

    def subtree(self, i: int, skip: set[str] = frozenset()) -> list[int]:
        out, stack = [], [i]
        while stack:
            j = stack.pop()
            out.append(j)
            stack += [t.i for t in self.kids[j] if t.dep not in skip]
        return sorted(out)

    def actors_in(self, i: int, through_preps: bool = False) -> list[ActorMention]:
        """Actors inside the phrase headed by token i, not entering clauses, nor prepositions other than 'of'
        unless `through_preps` ("talks for energy cooperation with the Foreign Minister of Pakistan")."""
        found: list[ActorMention] = []
        stack = [i]
        while stack:
            j = stack.pop(0)
            a = self.actor_at.get(j)
            if a is not None and a not in found:
                found.append(a)
            for t in self.kids[j]:
                if t.dep in _CLAUSE_DEPS:
                    continue
                if t.dep == "prep" and t.lemma not in ("of",) and not (
                        through_preps and t.lemma.lower() in _PARTICIPANT_PREPS):
                    continue
                stack.append(t.i)
        return found

    def is_passive(self, i: int) -> bool:
        """A passive verb, or a past participle describing a noun ("10 soldiers killed in Ukraine")."""
        return any(t.dep in ("auxpass", "nsubjpass") for t in self.kids[i]) or self.tokens[i].tag == "VBN" and \
            self.tokens[i].dep in ("acl", "xcomp")

    def clause_head(self, i: int) -> int:
        """The head of the clause token i stands in: from i up to the first verb that has a subject of its own
        (or the root). A clause without its own subject ("responding to a warning", "trying to avoid a meeting")
        shares its governor's, and so may one whose subject is a pronoun ("the United States said it would support
        a loan") or a passive ("India said talks were held with China"): the climb goes on through them. The
        speaker of a report ("Kuwait's oil minister said that ...") and a clause the act's clause hangs from ("a
        pact under which OPEC agreed") are outside the clause. A noun above i with a possessor bounds the clause as
        a subject would: "Beijing criticised Washington's decision to send a carrier" (not a pronoun: "its
        decision")."""
        seen, start = {i}, i
        while self.tokens[i].head != i:
            t = self.tokens[i]
            if t.pos in ("VERB", "AUX") and any(c.dep in _SUBJECT_DEPS and _lemma(c) not in _STAND_IN_PRONOUNS
                                                for c in self.kids[i]):
                break
            if t.pos == "NOUN" and i != start and any(c.dep == "poss" and c.pos != "PRON" for c in self.kids[i]):
                break  # "Washington's decision to send a carrier": the possessor is the clause's subject
            i = t.head
            if i in seen:
                break
            seen.add(i)
        return i

    def in_subject(self, i: int, verb: int) -> bool:
        """Whether token i stands in the subject of active `verb` (is its subject or inside that phrase); not a
        passive's subject, whose doer is the verb's agent."""
        path = [i, *self.ancestors(i)]
        return verb in path[1:] and self.tokens[path[path.index(verb) - 1]].dep in _SUBJECT_DEPS

    def ancestors(self, i: int) -> list[int]:
        out, seen = [], {i}
        while self.tokens[i].head != i and self.tokens[i].head not in seen:
            i = self.tokens[i].head
            seen.add(i)
            out.append(i)
        return out


def _lemma(t: Token) -> str:
    return t.lemma.lower()


def _verb_forms(t: Token) -> list[str]:
    """The tagger's lemma, then base forms read off the word, for the verbs it lemmatises oddly ("staged" ->
    "stag", "slated" -> "slat"): "staged" -> stage, stag; "shelling" -> shell."""
    word = t.text.lower()
    forms = [_lemma(t)]
    for suffix, repl in (("ied", "y"), ("ed", "e"), ("ed", ""), ("d", ""), ("ing", "e"), ("ing", ""), ("es", ""),
                         ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.append(word[: -len(suffix)] + repl)
    return list(dict.fromkeys(forms))


def find_triggers(sentence: Sentence, parse: _Parse) -> list[Trigger]:
    """The sentence's event triggers. A noun that only modifies another ("cargo helicopters") is no trigger;
    a noun that is the object of a verb trigger ("negotiating deals", "signed an agreement") is part of the
    verb's event."""
    index = _patterns_by_lemma()
    found: list[Trigger] = []
    in_times = {t.i for te in sentence.times for t in sentence.tokens if te.start <= t.idx < te.end}
    for t in sentence.tokens:
        if t.tag == "VBG" and t.dep in ("pobj", "dobj", "nsubj", "nsubjpass") and (  # "killed in shelling"
                ("NOUN", t.text.lower()) in index):
            pos = "NOUN"
        elif (t.pos in ("VERB", "AUX") or t.tag.startswith("VB")) and t.dep != "amod":  # not "a planned visit"
            pos = "VERB"
        elif (t.pos == "NOUN" or t.pos == "PROPN" and t.text.isupper()) and t.dep not in ("compound", "amod", "nmod") \
                and t.i not in in_times:  # event nouns are common nouns, not names nor dates ("March 14")
            pos = "NOUN"
        else:
            continue
        forms = _verb_forms(t) if pos == "VERB" else [_lemma(t), t.text.lower()]
        rows = next((index[(pos, f)] for f in forms if (pos, f) in index), [])
        for p in rows:
            hit = _with_match(t, p, parse) if p.with_ else None
            if p.with_ and hit is None:
                continue
            if p.cameo == NO_EVENT:
                break  # an idiom: no act here
            predicate = t.i if pos == "VERB" else _predicate(t, parse)
            # the words that fired the row are this act's; an infinitive asked of another is its own act
            eaten = {hit} if pos == "VERB" and hit is not None and "to" not in p.with_ else set()
            found.append(Trigger(t.i, p, predicate, eaten))
            break
    verbs = {tr.token: tr for tr in found if tr.pattern.pos == "VERB"}
    consumed = {c for tr in found for c in tr.consumed}
    for tr in found:
        if tr.pattern.pos != "NOUN":
            continue
        tok = parse.tokens[tr.token]
        if tok.head in verbs and tok.dep in ("dobj", "nsubjpass"):
            consumed.add(tr.token)  # "negotiating energy deals"
            continue
        prep = parse.tokens[tok.head]
        verb = verbs.get(prep.head) if tok.dep == "pobj" and prep.dep == "prep" else None
        if verb is not None and verb.pattern.cameo[:2] == tr.pattern.cameo[:2]:
            consumed.add(tr.token)  # "arrived on a visit": one event, the noun's words are the verb's
            verb.consumed.add(tr.token)
            verb.merged.add(tr.token)
            continue
        # "an airstrike killed ten militants", "an airstrike ... killing ...": one act of force, named best
        # by the noun; the verb lends it its objects
        for v in [verbs.get(tok.head)] if tok.dep in ("nsubj", "nsubjpass") else []:
            if v is not None and _quad(v.pattern) == _quad(tr.pattern) == 4:
                consumed.add(v.token)
                tr.consumed.add(v.token)
        for c in parse.kids[tr.token]:
            v = verbs.get(c.i) if c.dep in ("acl", "relcl") else None
            if v is not None and _quad(v.pattern) == _quad(tr.pattern) == 4:
                consumed.add(v.token)
                tr.consumed.add(v.token)
    # "threatened to impose sanctions", "threatened sanctions", "threatened Seoul with a nuclear strike": the
    # threat is the event, coded by what it threatens (1312, 1384); the act threatened has not happened
    threatened: set[int] = set()
    acts_at = {tr.token: tr for tr in found}
    for tr in found:
        if tr.pattern.pos != "VERB" or tr.pattern.cameo[:2] != "13":
            continue
        for c in parse.kids[tr.token]:
            objects = [c] if c.dep in ("xcomp", "dobj") else \
                parse.children(c.i, {"pobj"}) if c.dep == "prep" and c.lemma.lower() == "with" else []
            # "threatened a resumption of air raids", "the use of force": the act the object is of
            objects += [o for obj in objects for p in parse.children(obj.i, {"prep"}) if p.lemma.lower() == "of"
                        for o in parse.children(p.i, {"pobj"})]
            for act in (acts_at[o.i] for o in objects if o.i in acts_at):
                threatened.add(act.token)
                code = _threat_code(act.pattern.cameo)
                if tr.pattern.cameo == "130" and code:
                    tr.pattern = replace(tr.pattern, cameo=code)
    kept = [tr for tr in found if tr.token not in consumed and tr.token not in threatened]
    # "sanctions on Iranian oil exports", "imposed a ban on grain imports": the trade an act of conflict is about
    act_of = {c: tr for tr in found for c in tr.consumed} | acts_at
    for tr in kept:
        tok = parse.tokens[tr.token]
        prep = parse.tokens[tok.head].lemma.lower()  # "on", "against", "over"; not "in talks last week"
        outer = act_of.get(parse.tokens[tok.head].head) if tok.dep == "pobj" and (
            prep == "on" or prep not in _CIRCUMSTANCE_PREPS) else None
        tr.topic = tr.pattern.pos == "NOUN" and outer is not None and _quad(outer.pattern) >= 3 \
            and _quad(tr.pattern) <= 2
    # "offered to help", "considering a visit": the governed act is the event; the governor gives its status
    acts = {i for tr in kept for i in (tr.token, tr.predicate)}
    governors = status_cues().get("governor", {})
    return [tr for tr in kept if not (
        tr.pattern.pos == "VERB" and tr.pattern.cameo[:2] not in ("02", "10")  # an appeal or demand is its own act
        and governors.get(_lemma(parse.tokens[tr.token])) in (POSSIBLE, "intent")  # "agreed to" stays: it happened
        and any(c.dep == "xcomp" and c.i in acts for c in parse.kids[tr.token]))]


# The threat of an act, by the act's code (CAMEO 131-138): the longest matching prefix wins.
_THREATS = (("191", "1381"), ("192", "1382"), ("204", "1385"), ("19", "1384"), ("20", "138"), ("18", "1383"),
            ("172", "132"), ("17", "137"), ("160", "1313"), ("161", "1313"), ("162", "1311"), ("163", "1312"),
            ("16", "131"), ("14", "133"))


def _threat_code(act: str) -> str | None:
    """The code of a threat to do `act`: "threatened to impose sanctions" (163) is 1312."""
    return next((threat for prefix, threat in _THREATS if act.startswith(prefix)), None)


def _quad(p: Pattern) -> int:
    return cameo(p.cameo).quad_class


def _with_match(t: Token, p: Pattern, parse: _Parse) -> int | None:
    """The token satisfying a pattern's `with` list. For a noun: a modifier, a modifier of a modifier
    ("military cooperation commission") or the object of "on/of/for" ("commission on military cooperation").
    For a verb: an object, a prepositional object, an xcomp, or the noun a passive participle describes
    ("a pipeline due to be built")."""
    def hit(tok: Token) -> bool:
        return _lemma(tok) in p.with_ or tok.text.lower() in p.with_

    if p.pos == "NOUN":
        for c in parse.kids[t.i]:
            if c.dep in ("amod", "compound", "nmod", "npadvmod"):
                if hit(c):
                    return c.i
                for g in parse.children(c.i, {"amod", "compound"}):
                    if hit(g):
                        return g.i
            if c.dep == "prep" and c.lemma.lower() in ("on", "of", "for"):
                for pobj in parse.children(c.i, {"pobj"}):
                    if hit(pobj) or any(hit(g) for g in parse.children(pobj.i, {"amod", "compound"})):
                        return pobj.i
        return None
    if "to" in p.with_ and (asked := _asked_to(t.i, parse)) is not None:
        return asked
    if "that" in p.with_:  # a clause of what is said: "charged that India had violated the ceasefire"
        for c in parse.kids[t.i]:  # its subject is the one the clause is about; its verb stays a trigger
            if c.dep == "ccomp":
                return next((s.i for s in parse.children(c.i, {"nsubj", "nsubjpass"})), t.i)
            if c.dep in ("dobj", "mark") and c.text.lower() == "that":
                return c.i
    for c in parse.kids[t.i]:
        if c.dep in ("dobj", "attr", "nsubjpass", "dative", "oprd", "xcomp", "npadvmod") and hit(c):
            return c.i  # npadvmod: "test-fired"
        if c.dep in ("prep", "prt", "agent"):
            if hit(c):
                return c.i
            for g in parse.kids[c.i]:
                if g.dep == "pobj" and hit(g):
                    return g.i
        if c.dep == "xcomp" and p.cameo.startswith("03"):  # "seeking to deepen a partnership": what is sought
            for g in parse.children(c.i, {"dobj"}):
                if hit(g):
                    return g.i
        if c.dep in ("dobj", "nsubjpass"):  # "expand energy cooperation": the object's own compound
            for g in parse.kids[c.i]:
                if g.dep in ("compound", "amod") and hit(g):
                    return c.i
                if g.dep == "prep" and g.lemma.lower() == "of" and _lemma(c) in _AMOUNTS:
                    # "captured large amounts of munitions": what the amount is of
                    for pobj in parse.children(g.i, {"pobj"}):
                        if hit(pobj):
                            return pobj.i
    if parse.is_passive(t.i) or t.tag == "VBN":
        # "a gas pipeline due to be built by Russia": the noun the participle describes, found up the tree or,
        # where the parser attached the participle elsewhere, among the few words before it
        cur = t
        for _ in range(3):
            if cur.head == cur.i:
                break
            cur = parse.tokens[cur.head]
            if cur.pos in ("NOUN", "PROPN"):
                return cur.i if hit(cur) else None
        for tok in parse.tokens[max(0, t.i - 5):t.i]:
            if tok.pos == "NOUN" and hit(tok):
                return tok.i
    return None


@cache
def support_verbs() -> frozenset[str]:
    return frozenset(row["lemma"].lower() for row in read_table("support_verbs.tsv"))


def _supports(v: int, parse: _Parse) -> bool:
    """Whether verb v is a support verb, whose subject does the act of its object noun ("held talks", "paid a
    visit"), rather than a governor that only weighs it ("is considering an offer")."""
    return any(f in support_verbs() for f in _verb_forms(parse.tokens[v]))


def _predicate(t: Token, parse: _Parse) -> int:
    """The verb that carries a noun trigger: the verb it is the subject of ("the shipment reached Karachi"),
    or a support verb it is the object of ("held talks", "working on the visit"); else the noun itself."""
    if t.head == t.i:
        return t.i
    head = parse.tokens[t.head]
    if t.dep in ("nsubj", "nsubjpass") and head.pos in ("VERB", "AUX"):
        return head.i
    if t.dep == "pobj" and head.dep in ("prep", "agent") and head.head != head.i:
        verb = parse.tokens[head.head]
        if verb.pos in ("VERB", "AUX") and head.lemma.lower() in ("on", "in", "into", "to") and \
                _supports(verb.i, parse):
            return verb.i  # "working on the visit", "engaged in talks"
        return t.i
    if t.dep in ("dobj", "attr", "oprd", "xcomp") and head.pos in ("VERB", "AUX") and (
            _supports(head.i, parse) or status_cues().get("governor", {}).get(_lemma(head)) == POSSIBLE):
        return head.i  # "held talks", "is exploring energy deals"
    return t.i


ALONE = "alone on another's ground"
_LOCATIVE_PREPS = ("in", "at", "near", "inside", "off", "around", "over")
_JOINT_WORDS = frozenset({"joint", "bilateral", "combined", "trilateral"})


def _places(sentence: Sentence, parse: _Parse) -> list[str]:
    """Where the sentence's acts happen: places the gazetteer knows, and countries named as locations ("killed
    in Ukraine", "drills near Taiwan")."""
    media = _media(sentence)
    located = {a.country for a in sentence.actors if a.country and a.kind in ("country", "capital")
               and _located(a, parse) and media.isdisjoint(parse.ancestors(a.start))}
    named = {iso for start, end, _, iso in places_in(sentence.text)  # not "the Paris Club"
             if not names_a_thing(parse.tokens, _token_at(end - 1, parse.tokens),
                                  first=_token_at(start, parse.tokens))
             and media.isdisjoint(parse.ancestors(_token_at(start, parse.tokens)))}
    return sorted(named | located)


def _media(sentence: Sentence) -> set[int]:
    """The head tokens of the media a sentence names ("IRNA", "the BBC"): what hangs from them ("monitored by
    the BBC in London") is where the report came from, not a party or the place of an act."""
    return {a.end - 1 for a in sentence.actors if a.role == "MED"}


def _located(actor: ActorMention, parse: _Parse) -> bool:
    """Whether a country is named as the place of something ("in Ukraine", "near Taiwan", "in the east of the
    Gaza Strip")."""
    head = parse.tokens[actor.end - 1]
    for _ in range(2):
        if head.dep != "pobj":
            return False
        prep = parse.tokens[head.head]
        if prep.lemma.lower() in _LOCATIVE_PREPS:
            return True
        if prep.lemma.lower() != "of" or prep.head == prep.i:
            return False
        head = parse.tokens[prep.head]  # "the east of ...": where the east is
    return False


def _alone(tr: Trigger, parse: _Parse, sentence: Sentence, doers: list[ActorMention]) -> list:
    """A joint act's doer acting alone where another country is ("held naval drills near Taiwan"): (doer, that
    country, ALONE) pairs when the pattern has a code for it, nothing marks the act joint and one foreign place
    is named."""
    if not tr.pattern.alone or any(_lemma(c) in _JOINT_WORDS for c in parse.kids[tr.token]):
        return []
    where = [p for p in _places(sentence, parse) if p not in {d.country for d in doers}]
    return [(d, _focus_actor(where[0]), ALONE) for d in doers] if len(where) == 1 else []


def _named_subject(predicate: int, parse: Parse) -> bool:
    """Whether the predicate's subject is a proper name ("The Hermit Kingdom fired")."""
    return any(parse.tokens[c.i].pos == "PROPN" for c in parse.children(predicate, {"nsubj"}))


def _subject_actors(v: int, parse: _Parse, ctx: Context) -> tuple[list[ActorMention], str]:
    """The doers of verb v and how they were found."""
    seen = set()
    start = v
    while True:
        seen.add(v)
        tok = parse.tokens[v]
        passive = parse.is_passive(v)
        if passive:
            # "were kidnapped and killed by militants": coordinated passives share their agent
            shared = [c.i for c in parse.kids[v] if c.dep == "conj" and c.pos in ("VERB", "AUX")]
            for agent in [a for i in [v, *shared] for a in parse.children(i, {"agent"})]:
                for pobj in parse.children(agent.i, {"pobj"}):
                    actors = parse.actors_in(pobj.i)
                    if actors:
                        return actors, "agent"
            if v != start:  # "Russia and Pakistan are slated to establish": the raised subject
                for subj in parse.children(v, {"nsubjpass"}):
                    actors = parse.actors_in(subj.i) or _pronoun(subj, parse, ctx)
                    if actors:
                        return actors, "subject"
            elif any(c.dep in ("nsubjpass", "auxpass") for c in parse.kids[v]):
                return [], ""  # "20 soldiers were killed": a passive's doer is its agent, not another clause's
        else:
            for subj in parse.children(v, {"nsubj", "csubj", "expl"}):
                # "journalists along with workers", "an operation by Afghan forces killed..."
                actors = parse.actors_in(subj.i, through_preps=True)
                if actors and all(a.kind == "role" and not a.country for a in actors):  # "protesters in Pakistan"
                    home = [p for prep in parse.children(subj.i, {"prep"}) if prep.lemma.lower() == "in"
                            for pobj in parse.children(prep.i, {"pobj"}) for p in parse.actors_in(pobj.i) if p.country]
                    home = home or _possessor(subj, parse, ctx)  # "Iran said its forces attacked"
                    if home:
                        actors = [_with_country(a, home[0].country) for a in actors]
                    elif {parse.tokens[i].text.lower() for i in parse.subtree(subj.i)} & {"two", "both"} and \
                            (pair := _pronoun(subj, parse, ctx)):  # "the two leaders signed": the article's pair
                        return pair, "pronoun"
                if actors:
                    return actors, "subject"
                if _lemma(subj) in _DOCUMENTS and (origin := _origin(subj.i, parse)):
                    return origin, "origin of " + subj.text
                resolved = _pronoun(subj, parse, ctx)
                if resolved:
                    return resolved, "pronoun"
                return [], "subject:" + subj.text  # a subject without an actor: do not look further up
        if tok.dep in ("xcomp", "conj", "advcl", "ccomp", "acomp") and tok.head != v and tok.head not in seen:
            if tok.dep == "ccomp" and any(c.dep in ("nsubj", "nsubjpass") for c in parse.kids[v]):
                return [], ""
            if tok.dep == "xcomp":  # "urged India to resume talks", "called on Russia to stop": the one asked
                asked = [*parse.children(tok.head, {"dobj"}),
                         *(p for prep in parse.children(tok.head, {"prep"}) if prep.lemma.lower() in ("on", "upon")
                           and _lemma(parse.tokens[tok.head]) == "call" for p in parse.children(prep.i, {"pobj"}))]
                for obj in asked:
                    return parse.actors_in(obj.i), "object of " + parse.tokens[tok.head].text
            v = tok.head
            continue
        prep = parse.tokens[tok.head]
        if tok.dep == "pcomp" and prep.lemma.lower() in ("of", "for") and prep.head != prep.i:
            # "accused Pakistan of violating the ceasefire", "blamed India for attacking": the one accused
            for obj in parse.children(prep.head, {"dobj"}):
                return parse.actors_in(obj.i), "object of " + parse.tokens[prep.head].text
        if tok.dep in ("relcl", "acl") and tok.head not in seen:
            noun = tok.head
            actors = parse.actors_in(noun)
            if not actors and tok.dep == "acl" and _infinitive(tok, parse):  # "an offer from China to build a port"
                actors = _noun_actors(noun, parse)[0]
            if actors and not passive:
                return actors, "modified noun"
            return [], ""
        return [], ""


def _origin(n: int, parse: _Parse) -> list[ActorMention]:
    """The country a document comes from, when its text names only where: "a report released in the Rwandan
    capital", "a statement from Moscow"."""
    heads = [n, *(c.i for c in parse.kids[n] if c.dep == "acl")]
    places = [a for h in heads for prep in parse.children(h, {"prep"})
              if prep.lemma.lower() in ("in", "from") and (h != n or prep.lemma.lower() == "from")
              for pobj in parse.children(prep.i, {"pobj"}) for a in parse.actors_in(pobj.i) if a.country]
    # the country, not its government: a report published in London need not be the British government's
    return [replace(_focus_actor(a.country), start=a.start, end=a.end, text=a.text) for a in places[:1]]


def _pronoun(t: Token, parse: _Parse, ctx: Context) -> list[ActorMention]:
    """Who a pronoun or "the two countries" stands for: in reported speech, the speaker ("Russia said it will
    sign"); else the last person named for he/she, the article's focus pair for they/both/the two sides."""
    text = t.text.lower()
    if text in _PERSON_PRONOUNS | _GROUP_PRONOUNS | {"it"}:
        clause = parse.tokens[t.head]
        if clause.dep == "ccomp" and clause.head != clause.i:
            for subj in parse.children(clause.head, {"nsubj"}):
                speaker = parse.actors_in(subj.i) or (
                    _pronoun(subj, parse, ctx) if subj.i != t.i and subj.text.lower() in _PERSON_PRONOUNS else [])
                if speaker and (text != "it" or speaker[0].kind != "person"):
                    return speaker
    if text in _PERSON_PRONOUNS and ctx.last_person is not None:
        return [ctx.last_person]
    phrase = " ".join(parse.tokens[i].text for i in parse.subtree(t.i))
    if (text in _GROUP_PRONOUNS or _PAIR_WORDS.fullmatch(phrase.strip()) or _PAIR_WORDS.search(phrase)) and \
            len(ctx.focus) == 2:
        return [_focus_actor(c) for c in ctx.focus]
    return []


# a possessive pronoun read as the pronoun it is the possessive of
_POSSESSIVES = {"its": "it", "their": "they", "our": "we", "his": "he", "her": "she"}


def _possessor(noun: Token, parse: _Parse, ctx: Context) -> list[ActorMention]:
    """The country a possessive pronoun on a noun stands for in reported speech, the speaker's: "Iran said its
    forces attacked" -> Iran. Elsewhere nothing: "our" and "their" are no guide to a country by themselves."""
    clause = parse.tokens[noun.head]
    if noun.dep not in ("nsubj", "nsubjpass") or clause.dep != "ccomp":
        return []
    for c in parse.children(noun.i, {"poss"}):
        if _lemma(c) in _POSSESSIVES or c.text.lower() in _POSSESSIVES:
            stand_in = replace(c, text=_POSSESSIVES[c.text.lower()], head=noun.head)
            return [a for a in _pronoun(stand_in, parse, ctx) if a.country]
    return []


def _own_speaker(clause: int, doers: list[ActorMention], parse: _Parse) -> set[int]:
    """The tokens of the speaker of reported speech (the clause headed by `clause`) when the speaker is of a doer's
    country: an envoy's phrase names the country it is sent to. Else none: another country's speaker is no party."""
    head = parse.tokens[clause]
    if head.dep != "ccomp" or head.head == head.i:
        return set()
    for subj in parse.children(head.head, {"nsubj"}):
        speakers = parse.actors_in(subj.i)
        if any(s.country and s.country in {d.country for d in doers} for s in speakers):
            return set(parse.subtree(subj.i))
    return set()


def _official(a: ActorMention) -> bool:
    """A state speaking as such: a country or its capital named for it, or its government."""
    return a.role == "GOV" or (a.kind in ("country", "capital") and not a.role)


def _focus_actor(country: str) -> ActorMention:
    return ActorMention(0, 0, country, country, "", country_names().get(country, country), country, "focus")


# Roles of the state: two of them in one country are one party ("Pakistan" and "Pakistani officials").
_STATE_ROLES = {"", "GOV", "MIL", "COP", "JUD", "LEG", "SPY"}


def _key(a: ActorMention) -> str:
    """The party an actor stands for: its country for the state's organs, country and role for the others
    (so "Taliban" AFGREB and "police" AFGCOP are two parties), an organisation's code. '?' marks a country
    not known yet."""
    if a.country is None and a.code:
        return a.code
    return (a.country or "?") + ("" if a.role in _STATE_ROLES else a.role)


def _weak(a: ActorMention) -> bool:
    """A bare demonym on a thing ("Afghan peace", "Russian oil"): it says where the thing is from, not who acts."""
    return a.kind == "demonym" and not a.role


def _verbal(p: Pattern) -> bool:
    """Acts of words (statements, appeals, intents, consultations, diplomatic moves, verbal conflict)."""
    return cameo(p.cameo).quad_class in (1, 3)


def _material(p: Pattern) -> bool:
    """Material cooperation and aid (CAMEO 06, 07), where the origin of the goods is the partner."""
    return p.cameo[:2] in ("06", "07")


def _asked_to(v: int, parse: _Parse) -> int | None:
    """The infinitive of an act verb v asks another party to do: "asked Russia to supply" (an object, then
    the infinitive), "wants Putin to attack" (the infinitive with its own subject)."""
    has_object = any(c.dep == "dobj" for c in parse.kids[v])
    for c in parse.kids[v]:
        if c.dep in ("xcomp", "ccomp") and _infinitive(c, parse) and (
                has_object if c.dep == "xcomp" else any(g.dep == "nsubj" for g in parse.kids[c.i])):
            return c.i
    return None


def _object_actors(v: int, parse: _Parse, exclude: set[int]) -> list[ActorMention]:
    """Actors that verb (or noun) v acts upon: object, indirect object, prepositional objects; the subject of
    an infinitive it governs ("wants Putin to attack")."""
    out: list[ActorMention] = []
    for c in parse.kids[v]:
        if c.dep == "ccomp" and _infinitive(c, parse):
            for subj in parse.children(c.i, {"nsubj"}):
                out += parse.actors_in(subj.i)
        if c.i in exclude:
            continue
        if c.dep in ("dobj", "dative", "attr", "oprd", "nsubjpass"):
            out += parse.actors_in(c.i, through_preps=True)  # "endorsed an agreement with the EU"
        elif c.dep in ("prep", "agent") and c.lemma.lower() in _TARGET_PREPS and c.dep != "agent":
            for pobj in parse.children(c.i, {"pobj", "pcomp"}):
                out += parse.actors_in(pobj.i)
        elif c.dep in ("dobj",):
            out += parse.actors_in(c.i)
    return out


def _noun_actors(n: int, parse: _Parse, material: bool = False, against: bool = False) \
        -> tuple[list[ActorMention], list[ActorMention]]:
    """(doers, others) named inside a noun trigger's phrase: "Pakistan's offer", "Russian oil shipment",
    "visit of the Russian President to Pakistan", "talks between Moscow and Islamabad". Where nothing else
    names the doer, the object of "from" does, as the source of the act ("a loan from China", "a visit from
    Putin", "the extradition of Ahmed from Britain"), else the object of "of" ("the visit of the President");
    otherwise both are the other side ("India's imports from Russia", "the Soviet invasion of Afghanistan").
    For an act `against` another (conflict), "on" leads to the one it is aimed at ("sanctions on Moscow", "an
    attack on India"); elsewhere it leads to a topic ("talks on trade")."""
    doers: list[ActorMention] = []
    others: list[ActorMention] = []
    of_actors: list[ActorMention] = []
    from_actors: list[ActorMention] = []
    for c in parse.kids[n]:
        if c.dep in ("poss", "amod", "compound", "nmod"):
            doers += [a for a in parse.actors_in(c.i) if a not in doers]
        elif c.dep == "prep":
            prep = c.lemma.lower()
            for pobj in parse.children(c.i, {"pobj"}):
                actors = parse.actors_in(pobj.i, through_preps=prep not in ("by", "of"))
                if prep == "by":
                    doers += actors
                elif prep == "of":
                    of_actors += actors
                elif prep == "from":
                    from_actors += actors
                elif prep in _PARTICIPANT_PREPS or (against and prep in ("on", "upon")):
                    others += actors
        elif c.dep == "acl":  # "the shipment carrying Russian oil": the goods' origin; "an airstrike killing
            for g in parse.kids[c.i]:  # militants": the victims
                if g.dep in ("dobj", "agent"):
                    (doers if material else others).extend(parse.actors_in(g.i))
    a = parse.actor_at.get(n)
    if a is not None and a not in doers:
        doers.append(a)
    if doers:
        others = of_actors + from_actors + others
    elif from_actors:
        doers, others = from_actors, of_actors + others
    else:
        doers = of_actors
    return doers, others


def _conditioned(v: int, parse: _Parse) -> list[ActorMention]:
    """The subjects of the conditions a threat sets ("threatened to retaliate if Finland joins NATO", "warned it
    would respond unless Kyiv withdrew"): the ones it is aimed at. Looks at verb v and the verbs of its
    infinitives ("to retaliate")."""
    verbs = [v]
    for i in verbs:
        verbs += [c.i for c in parse.kids[i] if c.dep in ("xcomp", "ccomp")]
    return [a for i in verbs for c in parse.kids[i] if c.dep == "advcl" and _left_open(c.i, parse)
            for subj in parse.children(c.i, _SUBJECT_DEPS) for a in parse.actors_in(subj.i)]


def _left_open(i: int, parse: _Parse) -> bool:
    """Whether the clause headed by token i opens with a word that leaves it open: "if", "unless", "whether"
    (the possible governors of data/status_cues.tsv that mark a clause)."""
    governors = status_cues().get("governor", {})
    return any(c.dep == "mark" and governors.get(_lemma(c)) == POSSIBLE for c in parse.kids[i])


def _between(n: int, parse: _Parse) -> list[ActorMention]:
    """The parties of "a clash between police and protesters"."""
    return [a for c in parse.kids[n] if c.dep == "prep" and c.lemma.lower() == "between"
            for p in parse.children(c.i, {"pobj"}) for a in parse.actors_in(p.i, through_preps=True)]


def _countries(actors: list[ActorMention]) -> list[ActorMention]:
    """One actor per party (the first, most specific), in order."""
    out: dict[str, ActorMention] = {}
    for a in actors:
        out.setdefault(_key(a), a)
    return list(out.values())


def _with_country(a: ActorMention, country: str) -> ActorMention:
    return replace(a, country=country, code=country + a.role)


_CLIMB_DEPS = {"xcomp", "pobj", "prep", "dobj", "acomp", "ccomp", "conj", "nsubj", "nsubjpass", "pcomp", "acl",
               "attr"}
_CLIMB_PREPS = {"of", "on", "in", "for", "about", "into", "to", "toward", "towards"}  # not "during", "after"...
# Conflict acts that, with no target named, are aimed at the authorities (protest, demand, reject, threaten).
_AGAINST_AUTHORITIES = {"10", "11", "12", "13", "14"}
_REPORTING = {"report", "say", "tell", "add", "claim", "confirm", "quote", "cite", "announce", "state"}
_REFUSALS = {"refuse", "refused", "refuses", "refusing", "reject", "rejected", "rejects", "decline", "declined",
             "declines", "wo", "unwilling", "reluctant"}
# The CAMEO code of refusing an act of cooperation (CAMEO 12): "will not provide aid" is 122.
_REJECT_CODE = {"02": "120", "03": "120", "04": "125", "05": "120", "06": "121", "07": "122", "08": "124"}
_AMOUNTS = frozenset({"amount", "quantity", "number", "lot", "stock", "cache", "consignment", "batch", "load", "supply",
                      "shipment", "volume", "ton", "tonne"})  # nouns that stand for what they are of
_REFLEXIVES = {"itself", "themselves", "himself", "herself", "ourselves", "myself", "yourself", "yourselves"}
_CLAIMS = {"say", "claim", "allege", "charge", "insist", "assert", "maintain", "accuse"}
_ANNOUNCE = {"say", "announce", "state", "declare", "pledge", "promise", "vow", "tell", "indicate", "confirm"}
# The CAMEO code of the intent to do an act of a root: cooperation becomes 03x (express intent), force and
# coercion become 13x (threaten): "wants to attack" is a threat.
_INTENT_CODE = {"04": "036", "05": "032", "06": "031", "07": "033", "08": "035", "14": "133", "15": "138",
                "16": "131", "17": "137", "18": "138", "19": "138", "20": "138"}


def _status(trigger: Trigger, parse: _Parse) -> tuple[str, str, bool | str]:
    """(status, the cue that set it, what the act becomes: True for an expression of intent ("wants to visit"),
    "refusal" for a refusal ("will not sign", "refused to meet"), False for the act itself)."""
    cues = status_cues()
    intent_act = trigger.pattern.cameo.startswith("03")
    found: list[tuple[str, str]] = []
    chain = [trigger.token]
    if trigger.predicate != trigger.token:
        chain.append(trigger.predicate)
    objects = [c for c in sorted(trigger.consumed) if parse.tokens[c].pos in ("NOUN", "PROPN")]  # "signed no deal"
    # climb through the words that govern this one: "plans to visit", "is expected to sign", "chances of a visit"
    cur = trigger.predicate
    someone_else = False  # "Obama wants Putin to attack": a wish for another's act
    for _ in range(4):
        tok = parse.tokens[cur]
        if _left_open(cur, parse):
            break  # "has not decided whether to buy": an open question, whatever is said of the deciding
        purpose = tok.dep == "advcl" and _infinitive(tok, parse)  # "will meet to discuss": as planned as the meeting
        if tok.head == cur or (tok.dep not in _CLIMB_DEPS and not purpose):
            break
        if tok.dep == "acl" and tok.tag == "VBN" and not any(c.dep in ("aux", "nsubj") for c in parse.kids[cur]):
            break  # "agreed to resume talks suspended since 2018": the suspension is a fact about the talks
        if tok.dep == "ccomp" and _infinitive(tok, parse) and any(c.dep == "nsubj" for c in parse.kids[cur]):
            someone_else = True  # "wants Putin to attack", "urged India to resume": not reported speech
        elif tok.dep == "ccomp" or (tok.dep == "conj" and any(c.dep in ("nsubj", "nsubjpass")
                                                               for c in parse.kids[cur])):
            break  # reported speech and coordinated clauses with their own subject keep their own status
        if tok.dep == "prep" and tok.lemma.lower() not in _CLIMB_PREPS:
            break
        cur = tok.head
        chain.append(cur)
    intent = False
    modals: set[str] = set()  # the auxiliaries among the cues ("will", "would")
    for c in objects:
        if any(k.dep == "det" and _lemma(k) == "no" or k.dep == "neg" for k in parse.kids[c]):
            found.append((NEGATED, "no"))
    # a noun that is its verb's subject is not governed by it: "exports declined", "the talks failed"
    subject_noun = trigger.predicate != trigger.token and parse.tokens[trigger.token].dep == "nsubj"
    for i in chain:
        tok = parse.tokens[i]
        if i != trigger.token and not (subject_noun and i == trigger.predicate):
            particles = [c.lemma.lower() for c in parse.kids[i] if c.dep == "prt"]
            keys = [f"{_lemma(tok)} {p}" for p in particles] + [_lemma(tok), tok.text.lower()]
            cue = next((cues.get("governor", {})[k] for k in keys if k in cues.get("governor", {})), None)
            if cue == "intent" and someone_else:
                found.append((POSSIBLE, tok.text))
            elif cue == "intent":
                intent = intent or not intent_act
            elif cue and not (intent_act and cue != NEGATED):
                found.append((cue, tok.text))
        for c in parse.kids[i]:
            lem = _lemma(c)
            if c.dep in ("aux", "auxpass") and lem in cues.get("aux", {}):
                found.append((cues["aux"][lem], c.text))
                modals.add(c.text)
            elif c.dep == "neg" or (c.dep == "det" and lem == "no"):
                found.append((NEGATED, c.text))
            elif c.dep in ("amod", "advmod") and lem in cues.get("modifier", {}):
                found.append((cues["modifier"][lem], c.text))
            elif c.dep == "mark" and cues.get("governor", {}).get(lem) == POSSIBLE:  # "if", "whether"
                found.append((POSSIBLE, c.text))
            elif c.dep == "acomp" and cues.get("governor", {}).get(lem) not in (None, "intent") and not intent_act:
                found.append((cues["governor"][lem], c.text))  # "is likely to visit"
        head = parse.tokens[tok.head]
        if head.dep == "acomp" and head.lemma.lower() == "about":  # "is about to restore"
            head = parse.tokens[head.head]
        if tok.dep == "xcomp" and head.lemma == "be" and _infinitive(tok, parse):
            found.append((PLANNED, "is to"))  # "Lavrov is to meet"
    if intent:
        found = [f for f in found if f[0] == NEGATED]
        return (NEGATED if found else OCCURRED), "intent", True
    if not found:
        return OCCURRED, "", False
    status, cue = max(found, key=lambda f: _STATUS_RANK[f[0]])
    if status == NEGATED and (any(f[0] in (PLANNED, POSSIBLE) and f[1] in modals for f in found)
                              or cue.lower() in _REFUSALS):
        # "would not provide support", "refused to meet": a rejection; not "denied reports that it bought"
        return NEGATED, cue, "refusal"
    # "Israel announced it would free prisoners": an announced future act is an expression of intent (CAMEO 03)
    pred = parse.tokens[trigger.predicate]
    announced = pred.dep == "ccomp" and _lemma(parse.tokens[pred.head]) in _ANNOUNCE
    if announced and status == POSSIBLE and cue.lower() == "would":
        status = PLANNED  # "announced it would free": a future in the past, not a conjecture
    return status, cue, "announced" if announced and status == PLANNED and not intent_act else False


def _infinitive(tok: Token, parse: _Parse) -> bool:
    """A 'to' infinitive: "to meet"."""
    return any(c.dep == "aux" and c.lemma.lower() == "to" for c in parse.kids[tok.i])


def _time_owner(time_tok: int, owners: set[int], parse: _Parse) -> int | None:
    """The trigger or predicate a time expression's token hangs from, climbing the tree."""
    for i in [time_tok, *parse.ancestors(time_tok)]:
        if i in owners:
            return i
        if parse.tokens[i].pos in ("VERB", "AUX") and i != time_tok:
            return i
    return None


_SOME_DECEMBER = dt.date(2000, 12, 31)  # resolves a bare month name to itself, to read which month it is


def _month_hint(tr: Trigger, time_of: dict, owners: set[int]) -> str | None:
    """'--04' when the event's own time is a month named without a year in an article with no trusted date
    ("In April, the minister visited Islamabad"): not a date, but enough to recognise the event another
    source dates."""
    mine = [te for i in (tr.token, tr.predicate, *tr.consumed) for te in time_of.get(i, [])]
    mine = mine or [te for owner, tes in time_of.items() if owner is None for te in tes]
    for te in mine:
        if te.value is None and te.kind == "date" and not any(ch.isdigit() for ch in te.text):
            resolved = find_time_expressions(te.text, _SOME_DECEMBER)
            if len(resolved) == 1 and resolved[0].value and len(resolved[0].value) == 7:
                return "--" + resolved[0].value[5:]
    return None


def _plain_ancestors(i: int, parse: _Parse) -> list[int]:
    """The words above i up to the first clause boundary (reported speech, relative and adverbial clauses,
    coordinated clauses): a time expression on them is a time of i too ("On 5 May, women gathered to
    protest")."""
    out = []
    while parse.tokens[i].head != i and parse.tokens[i].dep not in ("ccomp", "relcl", "advcl", "conj", "parataxis",
                                                                     "csubj"):
        i = parse.tokens[i].head
        out.append(i)
    return out


def _token_at(char: int, tokens: list[Token]) -> int:
    for t in tokens:
        if t.idx <= char < t.idx + len(t.text):
            return t.i
    return max((t.i for t in tokens if t.idx <= char), default=0)


def _sector(pattern: Pattern, sentence: Sentence) -> str:
    if pattern.sector:
        return pattern.sector
    words = sector_words()
    for t in sentence.tokens:
        for key in (_lemma(t), t.text.lower()):
            if key in words:
                return words[key]
    return "diplomacy"


# Before a place name, what makes it where something happened: "in Kupwara", "near Basra", or the district it
# is in before a comma ("in Gulran district center, Herat").
_AT_PLACE = re.compile(r"(?:\b(?:in|at|near|outside)|\b(?:district|province|city|area|village|town|center|centre|"
                       r"region|sector),)\s+$", re.I)


def _location(v: int, parse: _Parse, actors: list[ActorMention], text: str) -> str | None:
    """Where the act of the verb v happened: a place named after "in" or "at" in the verb's own phrase, else the
    first gazetteer place of the sentence named as a place ("killed ... in Nad Ali district, Helmand"), not an
    actor's name."""
    used = {i for a in actors if _named_here(a, parse) for i in range(a.start, a.end)}
    for c in parse.kids[v]:
        if c.dep == "prep" and c.lemma.lower() in ("in", "at"):
            for pobj in parse.children(c.i, {"pobj"}):
                span = [i for i in parse.subtree(pobj.i) if parse.tokens[i].ent in ("GPE", "LOC", "FAC")]
                if span and not set(span) & used:
                    return " ".join(parse.tokens[i].text for i in span)
                a = parse.actor_at.get(pobj.i)
                if a is not None and a.kind == "capital":
                    return a.text
    taken = {parse.tokens[i].idx for i in used}
    for start, end, name, _ in places_in(text):
        if _AT_PLACE.search(text, 0, start) and not any(start <= k < end for k in taken):
            return name
    return None


def _named_here(a: ActorMention, parse: _Parse) -> bool:
    """Whether an actor is named in this sentence at its span: not one a pronoun stands for ("he" for the last
    person named, whose span is in an earlier sentence), nor one the coder supplied (the focus pair)."""
    words = parse.tokens[a.start:a.end]
    return a.end > a.start and a.end <= len(parse.tokens) and \
        "".join(t.text for t in words) == "".join(a.text.split())


def _mention_id(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]


def home_country(article: Article) -> str | None:
    """The country a report is from: its dateline's ("ISLAMABAD" -> PAK, "Quetta" -> PAK), else the country
    whose places it names most, if one does clearly."""
    if article.dateline:
        country = resolve_country(article.dateline.title()) or country_of_place(article.dateline.title())
        if country:
            return country
    counts = Counter(iso for *_, iso in places_in((article.title or "") + "\n" + article.text))
    ranked = counts.most_common(2)
    if ranked and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
        return ranked[0][0]
    return None


class EventCoder:
    """Codes event mentions from annotated articles (see the module docstring)."""

    def code(self, annotated: AnnotatedArticle) -> list[EventMention]:
        art = annotated.article
        ctx = Context(art.article_id, art.source, art.published, anchor_date(art), annotated.focus, article=art)
        out: list[EventMention] = []
        for sentence in annotated.sentences:
            out += self.code_sentence(sentence, ctx)
            persons = [a for a in sentence.actors if a.kind == "person"]
            if persons:
                ctx.last_person = persons[-1]
        return out

    def code_sentence(self, sentence: Sentence, ctx: Context) -> list[EventMention]:
        if not sentence.parsed:
            return []  # left to plain tokens by the sentence filter: no act can be read from it
        found = self._code_sentence(sentence, ctx)
        if found and sentence.label_entities is not None:
            # the entity recogniser was put off until the sentence gave an event, whose place reads its labels
            sentence.label_entities()
            found = self._code_sentence(sentence, ctx)
        return found

    def _code_sentence(self, sentence: Sentence, ctx: Context) -> list[EventMention]:
        sentence = replace(sentence, tokens=repair_parse(sentence.tokens))
        parse = _Parse(sentence)
        triggers = find_triggers(sentence, parse)
        owners = {i for tr in triggers for i in (tr.token, tr.predicate, *tr.consumed)}
        time_of: dict[int | None, list[TimeExpression]] = {}
        for te in sentence.times:
            time_of.setdefault(_time_owner(_token_at(te.start, sentence.tokens), owners, parse), []).append(te)
        # parties a sentence can lend to an event: named ones, not the media that report it ("told Reuters") nor
        # where they are ("IRNA, monitored by the BBC in London, said")
        media = _media(sentence)
        sentence_countries = _countries([a for a in sentence.actors if a.role != "MED" and a.kind != "role"
                                         and not parse.patron(a) and media.isdisjoint(parse.ancestors(a.start))])
        places = _places(sentence, parse)
        results: list[EventMention] = []
        seen: set[tuple] = set()
        for tr in triggers:
            for src, tgt, how in self._arguments(tr, parse, sentence_countries, ctx, sentence):
                src, tgt = self._place_actors(src, tgt, places, ctx, tr.pattern.cameo[:2] in _AGAINST_AUTHORITIES)
                if src is None or tgt is None or _key(src) == _key(tgt):
                    continue
                status, cue, intent = _status(tr, parse)
                date, basis = self._date(tr, time_of, owners, status, sentence, ctx, parse)
                hint = _month_hint(tr, time_of, owners) if date is None else None
                if how == ALONE:
                    code = cameo(tr.pattern.alone)
                elif intent == "refusal" and tr.pattern.cameo[:2] in _REJECT_CODE:
                    code, status = cameo(_REJECT_CODE[tr.pattern.cameo[:2]]), OCCURRED  # the refusal happened
                elif intent is True or (intent == "announced" and self._speaker_is(src, tr, parse, ctx)):
                    code = cameo(_INTENT_CODE.get(tr.pattern.cameo[:2], tr.pattern.cameo))
                else:
                    code = cameo(tr.pattern.cameo)
                if code.code[:2] == "14" and tr.pattern.pos == "VERB" and _official(src):
                    code = cameo("114")  # "Pakistan protested against the strikes": a state complains officially
                key = (code.code, src.code, tgt.code, status, date)
                if key in seen:
                    continue
                seen.add(key)
                trig_tok = sentence.tokens[tr.token]
                qty = self._quantities(tr, parse, sentence)
                results.append(EventMention(
                    mention_id=_mention_id(ctx.article_id, sentence.index, tr.token, tr.pattern.id, src.code, tgt.code),
                    article_id=ctx.article_id, source=ctx.source, sentence=sentence.text,
                    sentence_index=sentence.index, published=ctx.published,
                    actor1=src.code, actor1_name=src.name or src.text, actor2=tgt.code, actor2_name=tgt.name or tgt.text,
                    cameo=code.code, event_type=code.name, quad_class=code.quad_class, goldstein=code.goldstein,
                    status=status, sector=_sector(tr.pattern, sentence), date=date, date_basis=basis,
                    location=_location(tr.predicate, parse, [src, tgt], sentence.text), quantities=qty,
                    trigger=trig_tok.text, pattern=f"{tr.pattern.id} ({how})", status_cue=cue, date_hint=hint,
                    joint=tr.pattern.reciprocal and how in ("joint doers", "focus pair"),
                    refers_back=tr.pattern.pos == "NOUN" and any(
                        c.dep in ("det", "poss") and _lemma(c) in ("the", "this", "that", "his", "her", "its", "their")
                        for c in parse.kids[tr.token])))
                if code.quad_class == 4:
                    for claim in self._accusation(results[-1], tr, src, parse, ctx):
                        key = (claim.cameo, claim.actor1, claim.actor2, claim.status, claim.date)
                        if key not in seen:  # once, though "charged that" is an accusation by itself
                            seen.add(key)
                            results.append(claim)
        return results

    @staticmethod
    def _speaker_is(doer: ActorMention, tr: Trigger, parse: _Parse, ctx: Context) -> bool:
        """Whether the one who announces a future act is its doer ("Israel announced it would free prisoners"),
        not a third party reporting it ("X will meet Y, officials said")."""
        verb = parse.tokens[parse.tokens[tr.predicate].head]
        speakers = [a for s in parse.children(verb.i, {"nsubj"}) for a in (parse.actors_in(s.i) or _pronoun(s, parse, ctx))]
        return any(_key(a) == _key(doer) for a in speakers)

    @staticmethod
    def _accusation(act: EventMention, tr: Trigger, doer: ActorMention, parse: _Parse,
                    ctx: Context) -> list[EventMention]:
        """A party that says another used force ("Pakistan said Indian troops fired across the border") accuses
        it: CAMEO 112, speaker -> doer, besides the act itself."""
        clause = parse.tokens[tr.predicate]
        while clause.dep in ("xcomp", "conj") and clause.head != clause.i:  # not out of relative clauses
            clause = parse.tokens[clause.head]
        if clause.dep != "ccomp" or _lemma(parse.tokens[clause.head]) not in _CLAIMS:
            return []
        speakers = [a for subj in parse.children(clause.head, {"nsubj"}) for a in parse.actors_in(subj.i)]
        speakers = [a for a in _countries(speakers) if (a.country or a.code) and _key(a) != _key(doer)]
        if not speakers or (speakers[0].country and speakers[0].country == doer.country):
            return []
        speaker, code = speakers[0], cameo("112")
        return [replace(act, mention_id=_mention_id(act.mention_id, "accuses"), actor1=speaker.code,
                        actor1_name=speaker.name or speaker.text, actor2=doer.code,
                        actor2_name=doer.name or doer.text, cameo=code.code, event_type=code.name,
                        quad_class=code.quad_class, goldstein=code.goldstein, status=OCCURRED,
                        trigger=parse.tokens[clause.head].text, pattern="claim_of_force (speaker)", status_cue="")]

    @staticmethod
    def _place_actors(src: ActorMention | None, tgt: ActorMention | None, places: list[str], ctx: Context,
                      protest: bool) -> tuple[ActorMention | None, ActorMention | None]:
        """Give actors named only by their role a country: the one place of the sentence names ("in Ghazni"),
        else the article's home country (its dateline), else the other party's country. A protest with no
        target is aimed at the authorities of its country, and an act of force with none at the civilians of the
        place's country, else of the doer's own when the report is from there (none when it is from elsewhere).
        An unnamed author of force is of the place's country, else of the country of those it struck."""
        sides = [src, tgt]
        for k, a in enumerate(sides):
            if a is None or a.country or a.code:
                continue
            other = sides[1 - k]
            country = places[0] if len(places) == 1 else ctx.home or (other.country if other is not None else None)
            sides[k] = _with_country(a, country) if country else None
        src, tgt = sides
        if src is None and tgt is not None and tgt.country:  # an act of force whose author nobody names
            # where it happened, else the country of those attacked: not the report's home country ("a U.S.
            # warship was attacked in the Gulf", datelined Luxembourg, was not attacked by Luxembourgers)
            country = places[0] if len(places) == 1 else tgt.country
            src = ActorMention(0, 0, "", country, "UAF", "unidentified armed group", country + "UAF", "implicit")
        if src is not None and tgt is None and src.country:
            # the unnamed target of a conflict act: the authorities for a protest or demand, else the civilians,
            # of the country where it happened; the report's home country only for an act of its own people (a
            # wire story datelined London tells of Iranian forces in the Gulf war, not of an act in Britain)
            country = places[0] if len(places) == 1 else src.country
            if len(places) != 1 and ctx.home and ctx.home != src.country:
                return src, None
            role = "GOV" if protest else "CVL"
            tgt = ActorMention(0, 0, "", country, role, country_names().get(country, country), country + role,
                               "implicit")
        return src, tgt

    def _arguments(self, tr: Trigger, parse: _Parse, sentence_countries: list[ActorMention], ctx: Context,
                   sentence: Sentence) -> list[tuple[ActorMention | None, ActorMention | None, str]]:
        """(doer, target, how they were found) pairs for a trigger."""
        pat = tr.pattern
        subject_note = ""
        if pat.pos == "NOUN":
            doers, targets = _noun_actors(tr.token, parse, _material(pat), against=_quad(pat) >= 3)
            if pat.reciprocal and not doers and len(_countries(_between(tr.token, parse))) >= 2:
                doers, targets = _between(tr.token, parse), []
            tok = parse.tokens[tr.token]
            if not doers and tr.predicate == tr.token and tok.dep == "pobj":
                prep = parse.tokens[tok.head]  # "X held talks during a visit to Beirut": X made the visit
                if prep.dep == "prep" and prep.lemma.lower() in _CIRCUMSTANCE_PREPS and \
                        parse.tokens[prep.head].pos in ("VERB", "AUX"):
                    doers, subject_note = _subject_actors(prep.head, parse, ctx)
            for v in tr.consumed:  # "an airstrike killed ten militants": the verb's objects
                targets += _object_actors(v, parse, {tr.token})
            if tr.predicate != tr.token:
                # the verb's subject, unless the noun stands in it: "Putin's visit to Pakistan took place in
                # April" names its own sides, which the whole subject would merge; and its doer, if it names
                # none, is no one else's ("Western sanctions are tightening Russia's position")
                subj, subject_note = ([], "subject:" + tok.text) if parse.in_subject(tr.token, tr.predicate) \
                    else _subject_actors(tr.predicate, parse, ctx)
                pred_targets = _object_actors(tr.predicate, parse, {tr.token})
                if subj and doers and not _supports(tr.predicate, parse):
                    targets += subj  # "Iran is considering an offer from China": the offer is China's, made to Iran
                elif subj:
                    targets = doers + targets
                    doers = subj
                targets += pred_targets
        else:
            doers, subject_note = _subject_actors(tr.predicate, parse, ctx)
            # a preposition that fired the pattern ("rallied against") still leads to the target
            things = {c for c in tr.consumed if parse.tokens[c].dep not in ("prep", "prt", "agent")}
            targets = _object_actors(tr.predicate, parse, things)
            if _material(pat):  # "will buy 42 fighter jets from France": the goods bought, not a party
                targets = [a for a in targets if not (a.kind == "role" and not a.country and
                                                      parse.tokens[a.end - 1].dep == "dobj")]
            pred = parse.tokens[tr.predicate]
            if pred.dep == "acl" and parse.is_passive(pred.i):  # "10 Russian soldiers killed in Ukraine"
                targets = parse.actors_in(pred.head) + targets
            inside: list[ActorMention] = []
            for c in tr.consumed:  # "signed an agreement with Russia": actors inside the object phrase
                n_doers, n_others = _noun_actors(c, parse, against=_quad(pat) >= 3)
                if c in tr.merged and not doers:  # "were killed in Israeli shelling": the noun names the doer
                    doers, n_doers = n_doers, []
                # the object that fired the pattern is a thing, not a party ("mobilised troops"), unless its name
                # is a party's, which comes first ("captured the Gaza Strip, occupied by Egypt")
                named = [a for a in n_doers if a.start <= c < a.end and a.kind != "role"]
                inside += named + [a for a in n_others + n_doers
                                   if a not in named and not (a.kind == "role" and a.start <= c < a.end)]
            # "advised its citizens against travel to Tunisia": Tunisia, not the citizens advised
            targets = inside + targets if pat.target_in_with else targets + inside
            if not doers and _quad(pat) == 4 and parse.is_passive(tr.predicate):
                # "a mortar was fired at Israel from the Gaza Strip": where it came from names the side that did it
                doers = [a for c in parse.kids[tr.predicate] if c.dep == "prep" and c.lemma.lower() == "from"
                         for p in parse.children(c.i, {"pobj"}) for a in parse.actors_in(p.i)]
            if pat.reverse:  # "Pakistan received helicopters from Russia"
                givers = [a for c in parse.kids[tr.predicate] if c.dep == "prep" and c.lemma.lower() == "from"
                          for p in parse.children(c.i, {"pobj"}) for a in parse.actors_in(p.i)]
                # else the country the thing received comes from: "received the first Russian oil cargo"
                givers = givers or [a for c in parse.kids[tr.predicate] if c.dep == "dobj"
                                    for a in parse.actors_in(c.i) if a.kind in ("country", "demonym")]
                if givers:
                    doers, targets = givers, doers
        if not targets and pat.cameo.startswith("13"):  # "threatened to retaliate if Finland joins NATO"
            targets = _conditioned(tr.predicate, parse)
        if _verbal(pat):  # "discussed Afghan peace": a topic, not a party
            targets = [t for t in targets if not _weak(t)]
        if not targets and pat.cameo.startswith("04"):  # "attend a summit in Switzerland": the host
            heads = [tr.token, tr.predicate, *tr.consumed,
                     *(c.i for c in parse.kids[tr.predicate] if c.dep in ("dobj", "nsubjpass"))]
            targets = [a for i in heads for c in parse.kids[i]
                       if c.dep == "prep" and c.lemma.lower() in ("in", "at")
                       for p in parse.children(c.i, {"pobj"}) for a in parse.actors_in(p.i)
                       if a.kind in ("country", "capital")]
        if not doers and pat.cameo.startswith("14") and not subject_note.startswith("pronoun"):
            # "employees staged a protest", "protests were held in Erode": people whom the text does not name
            doers = [ActorMention(tr.token, tr.token + 1, "protesters", None, "CVL", "protesters", "", "role")]
        doers, targets = _countries(doers), _countries(targets)
        targets = [t for t in targets if _key(t) not in {_key(d) for d in doers}]
        if len(doers) >= 2 and not targets and pat.reciprocal:  # every pair of the joint doers
            return [(a, b, "joint doers") for k, a in enumerate(doers) for b in doers[k + 1:]]
        if doers and targets:
            if _located(targets[0], parse) and (alone := _alone(tr, parse, sentence, doers)):
                return alone  # "Russia held exercises in Crimea": where, not with whom
            return [(d, targets[0], "parse") for d in doers]
        if doers and any(_lemma(c) in _REFLEXIVES for c in parse.children(tr.predicate, {"dobj", "pobj"})):
            return []  # "attacked themselves": the doer is its own target
        # leave the parse: fill one open side from the sentence, if it names exactly one other country. For an act
        # of cooperation, only from the act's own clause: not the speaker of a report ("Kuwait's oil minister said
        # there were no plans for an OPEC meeting"), nor a country of the clause the act's hangs from ("China is the
        # main supplier, while the U.S. provides the rest"). An act of conflict keeps the whole sentence: its
        # speaker is often the side struck ("Iran said Iraqi jets bombed two towns").
        in_clause = sentence_countries
        if _quad(pat) <= 2:
            head = parse.clause_head(tr.predicate)
            # with a speaker who speaks for the doer: "Russia's ambassador to Pakistan said Moscow was ready to ..."
            reach = set(parse.subtree(head)) | (_own_speaker(head, doers, parse) if doers else set())
            in_clause = [a for a in sentence_countries if a.start in reach]
        # the trade an act of conflict is about names its sides in its own phrase, or none ("sanctions on Iranian
        # oil exports" were imposed by the United States; it did not buy the oil)
        others = [] if tr.topic else [a for a in in_clause if _key(a) not in {_key(x) for x in doers + targets}]
        if doers and not targets:
            if alone := _alone(tr, parse, sentence, doers):
                return alone
            if len(others) == 1:  # the giver, if the doer receives ("Bangladesh will receive a grant ...")
                return [(others[0], d, "sentence") if pat.reverse else (d, others[0], "sentence") for d in doers]
            if _quad(pat) >= 3 and pat.cameo[:2] not in ("15", "16") and not others:
                # "traders held a protest in Quetta", "forces shelled a village"; not "cut ties", "mobilised"
                return [(d, None, "implicit target") for d in doers]
            if pat.reciprocal and len(ctx.focus) == 2 and doers[0].country in ctx.focus and \
                    _PAIR_WORDS.search(sentence.text):
                partner = [c for c in ctx.focus if c != doers[0].country][0]
                return [(doers[0], _focus_actor(partner), "focus pair")]
            return []
        if targets and not doers:
            if len(others) == 1 and not subject_note.startswith("subject:"):
                return [(others[0], targets[0], "sentence")]
            if pat.cameo[:2] in ("18", "19", "20") and not others and not _named_subject(tr.predicate, parse):
                # "3 civilians were killed by a roadside bomb"; not "the Hermit Kingdom fired": a name
                # the lexicon does not know is someone, not nobody
                return [(None, targets[0], "unidentified doer")]
            return []
        # nothing in the parse: only a verb with no subject at all (a passive, a headline) may take both sides
        if pat.pos != "VERB" or subject_note:
            return []
        if len(in_clause) == 2:
            return [(in_clause[0], in_clause[1], "sentence")]
        if not sentence_countries and pat.reciprocal and len(ctx.focus) == 2 and \
                (_PAIR_WORDS.search(sentence.text) or (parse.is_passive(tr.predicate) and tr.consumed)):
            # "the two sides signed", "the agreement was signed in 2015": the article's pair
            return [(_focus_actor(ctx.focus[0]), _focus_actor(ctx.focus[1]), "focus pair")]
        return []

    def _date(self, tr: Trigger, time_of: dict, owners: set[int], status: str, sentence: Sentence, ctx: Context,
              parse: _Parse) -> tuple[str | None, str]:
        own = [te for i in dict.fromkeys([tr.token, tr.predicate, *sorted(tr.consumed)]) for te in time_of.get(i, [])]
        if not own:  # "exercises that began in 2016", "the deal, signed in 2015": the noun's own clause
            own = [te for c in parse.kids[tr.token] if c.dep in ("relcl", "acl") for te in time_of.get(c.i, [])]
        pred = parse.tokens[tr.predicate]
        if not own and pred.dep == "conj" and tr.pattern.pos == "VERB":  # "held talks on Wednesday and will meet ..."
            own = time_of.get(pred.head, [])
        if not own:  # "relations deteriorated after the Soviet invasion in 1979": the governing verb's time
            for i in _plain_ancestors(tr.predicate, parse):
                own = [te for te in time_of.get(i, []) if te.kind in ("date", "since")]
                if own:
                    break
        # the sentence's own dates: unattached, or on a verb that reports no event ("As reported on 2 May, ...")
        loose = [te for owner, tes in time_of.items()
                 if owner is None or (owner not in owners and _lemma(parse.tokens[owner]) in _REPORTING) for te in tes]
        # "On 30 April, a clash took place ... the groups attacked each other": a date higher up the sentence, for an
        # act of its own (not for a noun that is only some other verb's object: "followed the sale of helicopters")
        carried = tr.pattern.pos == "VERB" or tr.predicate != tr.token or pred.dep in ("nsubj", "nsubjpass", "ROOT")
        if not own and status == OCCURRED and carried:
            for i in parse.ancestors(tr.predicate):
                own = [te for te in time_of.get(i, []) if te.kind in ("date", "since") and te.value]
                if own:
                    break
        candidates = own or loose
        candidates = [t for t in candidates if t.kind in ("date", "since")]
        if candidates:
            te = candidates[0]
            if status in (PLANNED, POSSIBLE) and te.value is not None and ctx.anchor is not None:
                ahead = find_time_expressions(sentence.text, ctx.anchor, prefer_future=True)
                same = [t for t in ahead if t.start == te.start and t.value]
                if same:
                    return same[0].value, "text"
            if te.kind == "since" and te.value:
                return te.value, "since"  # an activity going on since then ("exercises since 2016")
            return te.value, "text" if te.value else "none"
        # a duration or a frequency dates nothing ("agreed to raise trade within five years"); a date elsewhere in
        # the sentence may be this act's, so the publication date is not guessed over it
        if status == OCCURRED and ctx.anchor is not None and not any(t.kind in ("date", "since")
                                                                     for t in sentence.times):
            return ctx.anchor.isoformat(), "published"
        return None, "none"

    @staticmethod
    def _quantities(tr: Trigger, parse: _Parse, sentence: Sentence) -> list[Quantity]:
        span = set(parse.subtree(tr.predicate))
        parties = {i for a in sentence.actors for i in range(a.start, a.end)}
        out = []
        for start, end, q in find_quantities(sentence.text):
            first, last = _token_at(start, sentence.tokens), _token_at(max(end - 1, start), sentence.tokens)
            # "the two nations" are the parties, not a figure of what they did
            if first in span and last not in parties and not _PAIR_WORDS.search(sentence.text[max(start - 5, 0):end]):
                out.append(q)
        return out
