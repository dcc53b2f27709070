"""Facts: the figures a text gives about a named project or deal (its length, cost, value, share, counts) and
the route it runs, each kept with its sentence; and the conflicts between sources that give different figures
for the same thing.

How a fact is found, sentence by sentence:
- the *subjects* of an article are the noun phrases headed by a project word (data: `_PROJECT_HEADS`: pipeline,
  project, corridor, deal, contract, ...); a phrase with modifiers ("Pakistan-Stream Gas Pipeline") names one,
  and a bare one ("the pipeline", "the project", "a gas pipeline") stands for the one the article named with the
  same head word, or for the only one it named;
- each quantity of the sentence (quantities.py) is a figure of the nearest subject of the sentence; its
  attribute follows from its unit: a length, money (`cost` where the sentence speaks of costing or investing,
  `value` otherwise), a `share` for a percentage, an `amount` for other measures; a count ("four Russian attack
  helicopters") is the `count` of the thing counted;
- "from Lahore to Karachi" in a sentence about a subject is its `route`, when both ends are places the
  gazetteer knows.

Two facts are about the same thing when their subjects have the same head word and their other words match,
allowing a letter's difference ("Pakistan Stream" / "Pakistan steam"). Figures of the same attribute disagree
when they differ by more than 5% once in one unit (680 miles is 1,094 km: the same length), routes when their
ends differ.
"""
from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from functools import cache

from .knowledge import read_table
from .model import AnnotatedArticle, Sentence
from .places import places_in
from .quantities import find_quantities, singular, unit_kind

# Nouns that head the name of a project or deal whose figures are worth keeping.
_PROJECT_HEADS = {"pipeline", "project", "corridor", "railway", "railroad", "highway", "motorway", "road", "dam",
                  "plant", "port", "terminal", "refinery", "deal", "contract", "agreement", "accord", "loan",
                  "package", "programme", "program", "scheme", "line", "mine", "field", "reactor", "bridge"}
# Words that say nothing of which project it is.
_GENERIC = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "project", "new", "planned",
            "proposed", "original", "gas", "oil", "energy"}
_COST_WORDS = {"cost", "costs", "costing", "invest", "invested", "investment", "worth", "price", "priced", "budget",
               "fund", "funded", "financing", "finance", "spend", "spent"}
_LENGTH_KM = {"km": 1.0, "mile": 1.609344, "m": 0.001, "nautical mile": 1.852}
_ROUTE = re.compile(r"\bfrom\s+(?:the\s+)?(?P<a>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3})\s+to\s+(?:the\s+)?"
                    r"(?:[a-z]+\s+){0,3}?(?:(?:city|town|port|province|region)\s+of\s+)?"
                    r"(?P<b>[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,3})")
TOLERANCE = 0.05
# Counted nouns that are parties or time, not figures of a deal ("the two sides", "two countries").
_NOT_COUNTED = {"side", "country", "nation", "leader", "party", "minister", "official", "state", "time", "way",
                "year", "month", "week", "day", "hour", "people", "person", "member", "delegation", "round"}


@dataclass
class Fact:
    fact_id: str
    article_id: str
    source: str
    sentence_index: int
    sentence: str
    published: str | None
    subject: str  # the subject as the article names it ("Pakistan-Stream Gas Pipeline")
    attribute: str  # length | cost | value | share | amount | count | route
    value: str  # as written ("1,100 km", "from Lahore to Karachi")
    number: float | None  # in `unit`
    unit: str | None


@dataclass
class _Subject:
    name: str  # as written
    head: str  # singular lower-case head word
    words: tuple[str, ...]  # the other words that tell which one it is, lower case
    start: int  # character offsets in the sentence
    end: int
    plural: bool = False


def extract_facts(annotated: AnnotatedArticle) -> list[Fact]:
    """The facts of one annotated article, in text order."""
    art = annotated.article
    named: list[_Subject] = []  # the article's named subjects so far
    out: list[Fact] = []
    for s in annotated.sentences:
        if not s.parsed:
            continue  # left unparsed by the sentence filter: no project, party or act to read
        subjects = []  # (the phrase here, the name it stands for)
        for subj in _subjects(s):
            if subj.words:
                if not subj.plural:  # "Russian pipelines" are pipelines in general, not one
                    named.append(subj)
                subjects.append((subj, subj.name))
            else:
                subjects.append((subj, (_antecedent(subj, named) or subj).name))
        for start, end, q in find_quantities(s.text):
            if q.value is None:
                continue
            kind = unit_kind(q.unit)
            if kind == "count":  # "four Russian attack helicopters": the count of helicopters
                if q.unit in _NOT_COUNTED or q.unit in _PROJECT_HEADS or q.unit in _role_nouns():
                    continue
                subject, attribute = q.unit or "", "count"
            elif subjects:
                subject = _owner(subjects, s.text, end) or _nearest(subjects, start, end)
                attribute = _attribute(kind, s.text)
            else:
                continue
            number, unit = _normalised(q.value, q.unit, kind)
            out.append(_fact(art, s, subject, attribute, q.text, number, unit))
        for m in _ROUTE.finditer(s.text) if subjects else ():
            ends = [_place(m.group("a")), _place(m.group("b"))]
            if all(ends):
                subject = _nearest(subjects, m.start(), m.end())
                out.append(_fact(art, s, subject, "route", f"{ends[0]} - {ends[1]}", None, None))
    return out


def _fact(art, s: Sentence, subject: str, attribute: str, value: str, number: float | None,
          unit: str | None) -> Fact:
    fid = hashlib.sha256(f"{art.article_id}|{s.index}|{subject}|{attribute}|{value}".encode()).hexdigest()[:16]
    return Fact(fid, art.article_id, art.source, s.index, s.text, art.published, subject, attribute, value, number,
                unit)


def _subjects(s: Sentence) -> list[_Subject]:
    """The project phrases of a sentence: each project word with the modifiers left of it."""
    toks = s.tokens
    out = []
    for t in toks:
        if not _is_head(t):
            continue
        if any(c.head == t.i and c.dep == "compound" and _is_head(c) for c in toks):
            continue  # "Gas Pipeline project", "pipeline agreement": the inner project word names the thing
        left = t.i
        while left > 0 and toks[left - 1].dep in ("compound", "amod", "nmod", "npadvmod", "punct", "poss") and \
                toks[left - 1].head >= left - 1 and toks[left - 1].text not in ("(", ",", '"', "“"):
            left -= 1
        words = [x for x in toks[left:t.i + 1]]
        name = "".join(x.text + x.ws for x in words).strip()
        head = t.lemma.lower() if t.lemma.lower() in _PROJECT_HEADS else singular(t.text)
        others = tuple(w for x in words[:-1] for w in re.split(r"[-\s]+", x.text.lower())
                       if w and w not in _GENERIC and w.isalpha())
        # inner project words count as the name's own ("Pipeline" in "Gas Pipeline project")
        out.append(_Subject(name, head, others, toks[left].idx, t.idx + len(t.text), t.tag in ("NNS", "NNPS")))
    return out


@cache
def _role_nouns() -> frozenset[str]:
    """Nouns of people and institutions (roles.tsv): counts of them are not figures of a deal."""
    return frozenset(row["pattern"].split()[-1].lower() for row in read_table("roles.tsv"))


def _is_head(t) -> bool:
    return t.pos in ("NOUN", "PROPN") and (t.lemma.lower() in _PROJECT_HEADS or singular(t.text) in _PROJECT_HEADS)


def _antecedent(bare: _Subject, named: list[_Subject]) -> _Subject | None:
    """The named subject a bare phrase stands for: the last one with its head word, else the only one."""
    same = [n for n in named if n.head == bare.head or bare.head in n.words]
    if same:
        return same[-1]
    names = {n.name for n in named}
    return named[-1] if len(names) == 1 and bare.head == "project" else None


def _owner(subjects: list[tuple[_Subject, str]], text: str, end: int) -> str | None:
    """"74 percent of the pipeline": the subject an "of" right after the figure names."""
    m = re.match(r"\s+of\s+(?:the\s+|its\s+|this\s+|that\s+)?", text[end:])
    return next((name for x, name in subjects if m and x.start == end + m.end()), None)


def _nearest(subjects: list[tuple[_Subject, str]], start: int, end: int) -> str:
    return min(subjects, key=lambda xn: min(abs(xn[0].start - end), abs(start - xn[0].end)))[1]


def _attribute(kind: str, sentence: str) -> str:
    if kind == "money":
        words = set(re.findall(r"[a-z]+", sentence.lower()))
        return "cost" if words & _COST_WORDS - {"worth"} else "value"
    return {"length": "length", "percent": "share"}.get(kind, "amount")


def _normalised(value: float, unit: str | None, kind: str) -> tuple[float, str | None]:
    if kind == "length" and unit in _LENGTH_KM:
        return round(value * _LENGTH_KM[unit], 3), "km"
    return value, unit


def _place(text: str) -> str | None:
    found = places_in(text)
    return found[0][2] if found and found[0][0] == 0 else None


# -- the same thing, and where sources disagree --------------------------------------------------------------

def same_subject(a: str, b: str) -> bool:
    """Whether two subject names name one thing: the same head word, and every telling word of the shorter name
    matches a word of the other (a letter's difference allowed)."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb or wa[-1] != wb[-1]:
        return False
    short, long_ = sorted((wa[:-1], wb[:-1]), key=len)
    if not short:
        return not long_
    return all(any(_alike(x, y) for y in long_) for x in short)


def _words(name: str) -> list[str]:
    ws = [w for w in re.split(r"[-\s]+", name.lower()) if w.isalpha()]
    heads = [i for i, w in enumerate(ws) if singular(w) in _PROJECT_HEADS or w in _PROJECT_HEADS]
    if not heads:
        return [singular(w) if w.endswith("s") else w for w in ws if w not in _GENERIC]
    head = heads[0]  # "Gas Pipeline project": the first project word is the thing
    head_word = ws[head] if ws[head] in _PROJECT_HEADS else singular(ws[head])
    return [w for w in ws[:head] if w not in _GENERIC] + [head_word]


def _alike(x: str, y: str) -> bool:
    return x == y or (min(len(x), len(y)) >= 4 and difflib.SequenceMatcher(None, x, y).ratio() >= 0.8)


def fact_conflicts(facts: list[dict]) -> list[dict]:
    """Groups of facts about one subject and attribute whose values disagree, from different articles:
    [{"subject", "attribute", "values": [{"value", "source", "sentence", "article_id"}]}]."""
    groups: list[list[dict]] = []
    for f in facts:
        for g in groups:
            if g[0]["attribute"] == f["attribute"] and g[0].get("pair") == f.get("pair") and \
                    same_subject(g[0]["subject"], f["subject"]):
                g.append(f)
                break
        else:
            groups.append([f])
    out = []
    for g in groups:
        if len({f["article_id"] for f in g}) < 2 or not _disagree(g):
            continue
        out.append({"subject": g[0]["subject"], "attribute": g[0]["attribute"],
                    "values": [{"value": f["value"], "source": f["source"], "sentence": f["sentence"],
                                "article_id": f["article_id"]} for f in g]})
    return out


def _disagree(group: list[dict]) -> bool:
    if group[0]["attribute"] == "route":
        return len({frozenset(f["value"].split(" - ")) for f in group}) > 1
    numbers = [(f["number"], f["unit"]) for f in group if f["number"] is not None]
    if len({u for _, u in numbers}) > 1:
        return True
    values = [n for n, _ in numbers]
    return bool(values) and max(values) - min(values) > TOLERANCE * max(abs(v) for v in values)
