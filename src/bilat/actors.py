"""Recognise actors in parsed sentences and resolve them to codes: ISO alpha-3 country plus a CAMEO-style role
(`RUSGOV`, `PAKMIL`, `RUSBUS`), or an international organisation's code (`IGOUNO`).

What is recognised, all from the data files (knowledge.py):
- country names and aliases, demonyms ("Russian"), capitals and seats of government used for the government
  ("Moscow said" -> RUSGOV), organisations and companies (Gazprom -> RUSBUS), known people (people.tsv);
- the role of a country mention from the noun phrase it modifies: "Russian foreign minister" -> RUSGOV,
  "Pakistan Air Force" -> PAKMIL, "FM of Russia" -> RUSGOV (roles.tsv, longest phrase wins);
- people learned in context: "Russian foreign minister Sergey Lavrov" teaches that "Sergey Lavrov" and
  "Lavrov" are RUSGOV; what is learned is used for the rest of the article and, through the store's
  `learned_actors` table, for the rest of the corpus. A surname learned with two different countries is
  dropped as ambiguous.

Matching is on token text, case-sensitive (so "US" is not "us"), with all-capital words of more than three
letters compared in title case ("ISLAMABAD" is "Islamabad").
"""
from __future__ import annotations

import copy

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

from .knowledge import read_table, split
from .model import ActorMention, Sentence, Token

# Tokens a person's name cannot end with (titles and function words the parser sometimes folds into a name).
_NOT_NAME = {"minister", "president", "he", "she", "his", "her", "the"}
# Dependency labels of a noun that can be an event's party (subject, object, prepositional object...).
_ARGUMENT_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos", "attr", "dative", "agent", "ROOT"}
# Dependency labels that tie a modifier to the noun it describes.
_MODIFIER_DEPS = {"amod", "compound", "poss", "nmod", "npadvmod"}


@dataclass(frozen=True)
class ActorEntry:
    kind: str  # country | demonym | capital | seat | organisation | person
    country: str | None
    role: str
    name: str
    code: str = ""

    def actor_code(self, role: str | None = None) -> str:
        if self.code:
            return self.code
        return (self.country or "") + (self.role if role is None else role)


_GENERATIONS = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"}


def _surname(name: str) -> list[str]:
    """The surname a person's full name can be shortened to, if any: "Sergey Lavrov" -> Lavrov, "James Baker
    III" -> Baker; a one-word name or a regnal one ("Elizabeth II") has none."""
    parts = name.split()
    while parts and parts[-1].lower() in _GENERATIONS:
        parts = parts[:-1] if len(parts) > 2 else []
    return parts[-1:] if len(parts) > 1 else []


def model_key(nlp) -> str:
    """Which model a pipeline is: caches are keyed by this, never by the pipeline object, so a process that
    loads its pipeline again does not keep the old one alive."""
    meta = nlp.meta
    return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}:{'lemmatizer' in nlp.component_names}"


_WORDS: dict[str, frozenset[str]] = {}  # model key -> its English words


def model_words(nlp) -> frozenset[str]:
    """The English words the model's lemmatizer knows (its index of nouns, verbs, adjectives and adverbs, lower
    case), once per model; empty for a model without one. A resolver never learns one of them as a name alone."""
    key = model_key(nlp)
    if key not in _WORDS:
        words: set[str] = set()
        if "lemmatizer" in nlp.component_names:
            tables = dict(nlp.components)["lemmatizer"].lookups
            if tables.has_table("lemma_index"):
                index = tables.get_table("lemma_index")
                for pos in ("noun", "verb", "adj", "adv"):
                    words.update(w.lower() for w in (index[pos] if pos in index else ()))
        _WORDS[key] = frozenset(words)
    return _WORDS[key]


def _looks_like_a_name(name: str) -> bool:
    """Whether text the entity recogniser took for a person can be learned as one: not set in capitals (a
    headline's capitals hide which words are names: "JAPAN DISTRIBUTOR MAY IMPORT"), and ending in a word of two
    letters or more with a capital and lower-case letters ("Lavrov", "DiBona", "O'Neill"; not an initial like
    "Rudolph W." nor a fragment like "AMO > BREAKS")."""
    last = name.split()[-1] if name.split() else ""
    return (not name.isupper() and len(last) >= 2 and last[:1].isupper() and any(c.islower() for c in last)
            and last.replace("-", "").replace("'", "").isalpha())


def _key(text: str) -> str:
    return text.title() if text.isupper() and len(text) > 3 and text.isalpha() else text


@cache
def _named_after() -> tuple[frozenset[str], frozenset[str]]:
    """(the words a place's name makes the name of, "the Paris Agreement"; the features of the earth that take a
    country's name after "of", "the Sea of Japan"), from `data/named_after.tsv`."""
    rows = read_table("named_after.tsv")
    return (frozenset(r["lemma"].lower() for r in rows if r.get("of") != "yes"),
            frozenset(r["lemma"].lower() for r in rows if r.get("of") == "yes"))


def names_a_thing(tokens: list[Token], last: int, proper: bool = True, first: int | None = None) -> bool:
    """Whether the place name ending at tokens[last] names a treaty, a meeting or a forum rather than the place
    (`data/named_after.tsv`): "the Paris Agreement", "the Doha Round", "PARIS CLUB". The word is the next one,
    if capitalised, or the noun the name is a compound of. With `proper` (a country's name), only a word in
    title case: "the Moscow talks" were held in Moscow, but "the Russia talks" are with Russia, and in an
    all-capitals title ("RUSSIA PAKISTAN TALKS") the countries are the parties. A capitalised feature of the
    earth (the file's rows marked `of`) takes the name before it ("the Taiwan Strait", "the South China Sea"), or
    after "of" for a name starting at `first` ("the Sea of Japan"): it is part of a place's name."""
    heads, features = _named_after()
    if first is not None and first >= 2 and tokens[first - 1].text.lower() == "of":
        feature = tokens[first - 2]
        if feature.text[:1].isupper() and {feature.lemma.lower(), feature.text.lower()} & features:
            return True
    after = [tokens[last + 1]] if last + 1 < len(tokens) and tokens[last + 1].text[:1].isupper() else []
    if tokens[last].dep == "compound" and tokens[last].head > last:
        after.append(tokens[tokens[last].head])
    return any({t.lemma.lower(), t.text.lower()} & (heads | features)
               and not (proper and (not t.text[:1].isupper() or t.text.isupper())) for t in after)


class ActorResolver:
    """Finds actor mentions in a parsed sentence.

    `tokenize` splits a phrase into token texts the way the parser does (so that "U.S." or "Côte d'Ivoire"
    match); `learned` holds (alias, name, country, role) rows learned earlier in the corpus.
    """

    def __init__(self, tokenize: Callable[[str], list[str]], learned: Iterable[tuple[str, str, str, str]] = (),
                 common_words: frozenset[str] = frozenset()):
        self.tokenize = tokenize
        self.common_words = common_words  # lower-case English words: never a learned name on their own
        self.phrases: dict[tuple[str, ...], ActorEntry] = {}
        self.max_len = 1
        self.lengths: dict[str, tuple[int, ...]] = {}  # first word of a phrase -> the phrases' lengths, longest first
        self.roles: dict[tuple[str, ...], str] = {}
        self.name_words: dict[str, set[str]] = {}  # an organisation -> the lower-case words of all its names
        self.country_name: dict[str, str] = {}
        self.learned: dict[str, tuple[str, str, str]] = {}  # alias -> (name, country, role)
        self._ambiguous: set[str] = set()
        # the first word of each learned phrase added or dropped, in order (`changed_since`)
        self.changes: list[str] = []
        # (surname, title in lower case) -> the terms of the office holders of that name: "President Bush"
        self.titled: dict[tuple[str, tuple[str, ...]], list[tuple[ActorEntry, str, str]]] = {}
        self.max_title = 1
        self._load()
        for alias, name, country, role in learned:
            self._add_learned(alias, name, country, role)

    def copy(self) -> "ActorResolver":
        """A resolver that knows what this one knows now and learns on its own from here (one per batch of
        articles, without reading the data files again)."""
        other = copy.copy(self)
        other.phrases, other.lengths = dict(self.phrases), dict(self.lengths)
        other.learned, other._ambiguous = dict(self.learned), set(self._ambiguous)
        other.changes = []
        return other

    def changed_since(self, mark: int) -> set[str]:
        """The first words of the phrases learned or dropped since `len(self.changes)` was `mark`. A sentence
        holding none of them (as `_key`s) resolves as it did then: every look-up starts at a first word."""
        return set(self.changes[mark:])

    # -- building the lexicon ---------------------------------------------------------------------------------
    def _keys(self, phrase: str) -> tuple[str, ...]:
        return tuple(_key(t) for t in self.tokenize(phrase))

    def _add(self, phrase: str | tuple[str, ...], entry: ActorEntry) -> bool:
        """Add a phrase (or its word keys) to the lexicon unless it is there; whether it was added."""
        toks = self._keys(phrase) if isinstance(phrase, str) else phrase
        if not toks or toks in self.phrases:
            return False
        self.phrases[toks] = entry
        self.max_len = max(self.max_len, len(toks))
        if len(toks) not in self.lengths.get(toks[0], ()):
            self.lengths[toks[0]] = tuple(sorted({*self.lengths.get(toks[0], ()), len(toks)}, reverse=True))
        return True

    def _load(self) -> None:
        for row in read_table("people.tsv"):
            entry = ActorEntry("person", row["country"] or None, row["role"], row["name"])
            for alias in [row["name"], *split(row["aliases"])]:
                self._add(alias, entry)
            title = tuple(row["title"].lower().split())
            if title:
                self.titled.setdefault((row["name"].split()[-1], title), []).append(
                    (entry, row.get("start", ""), row.get("end", "")))
                self.max_title = max(self.max_title, len(title))
        for row in read_table("organisations.tsv"):
            country = row.get("country") or None
            code = row["code"] if row.get("kind") == "igo" or not country else ""
            entry = ActorEntry("organisation", country, row.get("role", ""), row["name"], code)
            for alias in [row["name"], *split(row.get("aliases", ""))]:
                self._add(alias, entry)
                self.name_words.setdefault(row["name"], set()).update(alias.lower().split())
        for row in read_table("countries.tsv"):
            iso, name = row["iso3"], row["name"]
            self.country_name[iso] = name
            for alias in [name, *split(row.get("aliases", ""))]:
                self._add(alias, ActorEntry("country", iso, "", name))
            for alias in split(row.get("demonyms", "")):
                self._add(alias, ActorEntry("demonym", iso, "", name))
            for alias in split(row.get("capitals", "")):
                self._add(alias, ActorEntry("capital", iso, "GOV", name))
            for alias in split(row.get("seats", "")):
                self._add(alias, ActorEntry("seat", iso, "GOV", name))
        for row in read_table("roles.tsv"):
            self.roles[tuple(row["pattern"].lower().split())] = row["role"]

    def _add_learned(self, alias: str, name: str, country: str, role: str) -> bool:
        """Learn one alias of a person (or take it from the store); not a name that does not read as one, nor a
        one-word alias that is also an English word (also of what older versions stored)."""
        if alias in self._ambiguous or not _looks_like_a_name(name) or self._common(alias):
            return False
        toks = self._keys(alias)
        known = self.learned.get(alias)
        if known and known[1] != country:
            self._ambiguous.add(alias)
            if self.phrases.pop(toks, None) is not None:
                self.changes.append(toks[0])
            del self.learned[alias]
            return False
        existing = self.phrases.get(toks)
        if existing is not None and existing.kind != "person":
            return False  # never let a learned name shadow a country, capital or organisation
        self.learned[alias] = (name, country, role)
        if self._add(toks, ActorEntry("person", country, role, name)):
            self.changes.append(toks[0])
        return True

    # -- resolving --------------------------------------------------------------------------------------------
    def role_of(self, tokens: list[Token], start: int, end: int) -> tuple[str, list[int]]:
        """The role given by the noun phrase around tokens[start:end], and the phrase's token indexes. The
        name's own words give none: "Soviet Union" is the state, not a labour union."""
        phrase = self.noun_phrase(tokens, start, end)
        lemmas = [tokens[i].lemma.lower() for i in phrase]
        best, best_len = "", 0
        for n in range(len(lemmas), 0, -1):
            for i in range(len(lemmas) - n + 1):
                if all(start <= j < end for j in phrase[i:i + n]):
                    continue
                role = self.roles.get(tuple(lemmas[i:i + n]))
                if role and n > best_len:
                    best, best_len = role, n
            if best:
                break
        return best, phrase

    @staticmethod
    def noun_phrase(tokens: list[Token], start: int, end: int) -> list[int]:
        """Indexes of the noun phrase a mention modifies: "Russian foreign minister" for "Russian",
        "FM of Russia" for "Russia". The mention's own tokens are included."""
        head = tokens[end - 1]
        while head.head != head.i and (head.dep in _MODIFIER_DEPS or head.dep == "case"):
            head = tokens[head.head]
        if head.dep == "pobj" and head.head != head.i and tokens[head.head].lemma == "of":
            owner = tokens[tokens[head.head].head]
            if owner.pos in ("NOUN", "PROPN"):
                head = owner
        left = [t.i for t in tokens if t.head == head.i and t.i < head.i and t.dep in _MODIFIER_DEPS | {"det"}]
        first = min([head.i, start, *left])
        span = [i for i in range(first, max(head.i, end - 1) + 1)]
        if head.i > end - 1 or head.i < start:
            of = [t.i for t in tokens if t.head == head.i and t.i > head.i and t.lemma == "of"]
            if of:
                span += [i for i in range(head.i + 1, end)]
        return sorted(set(span))

    def named(self, sentence: Sentence) -> list[ActorMention]:
        """The actors a sentence that was not parsed names by their lexicon names alone (no roles, no titles):
        enough to count the countries an article is about and to know the last person it named."""
        keys = [_key(t.text) for t in sentence.tokens]
        out: list[ActorMention] = []
        i = 0
        while i < len(keys):
            entry = n = None
            for n in self.lengths.get(keys[i], ()):
                entry = self.phrases.get(tuple(keys[i:i + n])) if n <= len(keys) - i else None
                if entry is not None:
                    break
            if entry is None or n is None:
                i += 1
                continue
            if self._names_a_thing(sentence.tokens, i, i + n - 1, entry):
                i += n
                continue
            text = "".join(t.text + t.ws for t in sentence.tokens[i:i + n]).strip()
            role = entry.role or ("GOV" if entry.kind in ("capital", "seat") else "")
            code = entry.code or (entry.country or "") + role
            out.append(ActorMention(i, i + n, text, entry.country, role, entry.name, code, entry.kind))
            i += n
        return out

    def resolve(self, sentence: Sentence, when: str | None = None) -> list[ActorMention]:
        """Actor mentions of a parsed sentence, in text order. `when` (YYYY-MM-DD), the trusted date of the
        text, lets a title and a surname name the one who held that office then ("President Bush" in 2008)."""
        tokens = sentence.tokens
        keys = [_key(t.text) for t in tokens]
        out: list[ActorMention] = []
        i = 0
        while i < len(tokens):
            match = None
            for n in self.lengths.get(keys[i], ()):  # only the lengths of phrases that start with this word
                if n > len(tokens) - i:
                    continue
                entry = self.phrases.get(tuple(keys[i:i + n]))
                if entry is not None and self._plausible(entry, tokens[i:i + n]):
                    match = (n, entry)
                    break
            if match is None:
                i += 1
                continue
            n, entry = match
            if not (self._inside_other_name(tokens, i, entry, out) or self._names_a_thing(tokens, i, i + n - 1, entry)
                    or self._not_the_body(tokens, i, i + n, entry)):
                out.append(self._mention(tokens, i, i + n, entry))
            i += n
        out += self._titled_people(tokens, out, when)
        return sorted(out + self._role_mentions(tokens, out), key=lambda a: a.start)

    def _titled_people(self, tokens: list[Token], named: list[ActorMention], when: str | None) -> list[ActorMention]:
        """"President Bush", "Prime Minister Sharif": a title and a surname that many office holders share
        (so never an alias of one) name the one of them who held the office on `when`; without a date, only a
        surname that one person ever held the office with."""
        covered = {i for a in named for i in range(a.start, a.end)}
        out = []
        for t in tokens:
            if t.i in covered or t.pos != "PROPN" or not t.text[:1].isupper():
                continue
            if t.i + 1 < len(tokens) and tokens[t.i + 1].pos == "PROPN":
                continue  # "President George Bush Sr.": only a title right before the surname
            for n in range(min(self.max_title, t.i), 0, -1):
                title = tuple(x.text.lower() for x in tokens[t.i - n:t.i])
                terms = self.titled.get((t.text, title))
                if not terms:
                    continue
                if when:
                    terms = [x for x in terms if (x[1] or "0000") <= when and (not x[2] or when <= x[2])]
                if len({e.name for e, *_ in terms}) == 1:
                    e = terms[0][0]
                    out.append(ActorMention(t.i, t.i + 1, t.text, e.country, e.role, e.name, e.actor_code(), "person"))
                break
        return out

    def _role_mentions(self, tokens: list[Token], named: list[ActorMention]) -> list[ActorMention]:
        """Actors named only by their role: "police", "Taliban militants"' "militants", "protesters",
        "civilians", "officials". Their country is unknown here (None); the coder infers it from the places
        and the other party of the event. A role noun whose phrase already holds a named actor ("Afghan
        policemen", "Pakistan's foreign minister") is part of that actor's mention instead."""
        covered = {i for a in named for i in range(a.start, a.end)}
        for a in named:  # the phrase a named actor modifies belongs to it
            covered.update(self.noun_phrase(tokens, a.start, a.end))
        out = []
        for t in tokens:
            if t.i in covered or t.pos != "NOUN" or t.dep not in _ARGUMENT_DEPS:
                continue
            left = [c.i for c in tokens if c.head == t.i and c.i < t.i and c.dep in ("compound", "amod")]
            if any(i in covered for i in left) or any(
                    c.head == t.i and c.dep in ("poss", "nmod") and c.i in covered for c in tokens):
                continue  # "UN troops", "Pakistan's soldiers": the named actor stands for them
            lemmas = [tokens[i].lemma.lower() for i in range(min(left + [t.i]), t.i + 1)]
            role = ""
            for k in range(len(lemmas)):  # the longest role phrase that ends with the noun
                role = self.roles.get(tuple(lemmas[k:]), "")
                if role:
                    break
            if role:
                start = min(left + [t.i])
                text = "".join(x.text + x.ws for x in tokens[start:t.i + 1]).strip()
                # "dissidents from Myanmar", "officials from Pakistan": the country they come from
                home = [a.country for a in named for p in tokens if p.head == t.i and p.dep == "prep"
                        and p.lemma.lower() == "from" and a.country and tokens[a.end - 1].head == p.i
                        and tokens[a.end - 1].dep == "pobj" and a.kind in ("country", "demonym")]
                country = home[0] if home else None
                out.append(ActorMention(start, t.i + 1, text, country, role, text, (country or "") + role if country
                                        else "", "role"))
        return out

    def _names_a_thing(self, tokens: list[Token], first: int, last: int, entry: ActorEntry) -> bool:
        """A capital or country that names a treaty, a meeting, a forum or a part of a place (`names_a_thing`)."""
        return entry.kind in ("country", "capital") and names_a_thing(tokens, last, proper=entry.kind != "capital",
                                                                      first=first)

    def _not_the_body(self, tokens: list[Token], start: int, end: int, entry: ActorEntry) -> bool:
        """An international body's name that stands for something else here: the head of a company's name
        ("Commonwealth Aluminium Corp", "Commonwealth Bank": capitalised words up to one whose role is BUS in
        `data/roles.tsv`), or an abbreviation the text defines as another name ("Composite Information Service
        (CIS)": the initials of the words before the bracket)."""
        if entry.kind != "organisation" or entry.country:
            return False
        for t in tokens[end:end + 3]:
            if not t.text[:1].isupper():
                break
            if self.roles.get((t.lemma.lower(),)) == "BUS" or self.roles.get((t.text.lower(),)) == "BUS":
                return True
        letters = tokens[start].text
        if end - start != 1 or not letters.isupper() or start < 2 or tokens[start - 1].text != "(":
            return False
        before = tokens[max(0, start - 3 - len(letters)):start - 1]
        words = [t.text for t in before if t.text[:1].isupper() and t.text.isalpha()][-len(letters):]
        own = self.name_words.get(entry.name, set())
        return "".join(w[0] for w in words) == letters and not own & {w.lower() for w in words}

    @staticmethod
    def _inside_other_name(tokens: list[Token], i: int, entry: ActorEntry, found: list[ActorMention]) -> bool:
        """A place name that is the tail of a longer proper name the lexicon does not know: "Latin America",
        "New Mexico", "Northern Ireland" are not the United States, Mexico or Ireland."""
        if entry.kind not in ("country", "capital") or i == 0:
            return False
        prev = tokens[i - 1]
        if found and found[-1].end == i:
            return False
        return prev.pos == "PROPN" and prev.text[:1].isupper() and prev.dep in ("compound", "amod", "nmod") \
            and prev.head >= i and prev.ent not in ("PERSON",)

    @staticmethod
    def _plausible(entry: ActorEntry, span: list[Token]) -> bool:
        if entry.kind in ("country", "capital", "demonym", "seat") and span[0].ent == "PERSON":
            return False  # "George Washington", "Michael Jordan"
        if entry.kind == "demonym" and span[-1].pos not in ("ADJ", "PROPN", "NOUN"):
            return False
        return True

    def _mention(self, tokens: list[Token], start: int, end: int, entry: ActorEntry) -> ActorMention:
        text = "".join(t.text + t.ws for t in tokens[start:end]).strip()
        if entry.kind == "person" or (entry.kind == "organisation" and entry.code):
            return ActorMention(start, end, text, entry.country, entry.role, entry.name, entry.actor_code(), entry.kind)
        if entry.kind == "organisation":
            return ActorMention(start, end, text, entry.country, entry.role, entry.name, entry.actor_code(), entry.kind)
        role, phrase = self.role_of(tokens, start, end)
        if not role and entry.kind in ("capital", "seat"):
            role = "GOV"
        name = entry.name
        person = self._person_in(tokens, phrase, start, end)
        if person:
            name = person
        return ActorMention(start, end, text, entry.country, role, name, (entry.country or "") + role,
                            "person" if person else entry.kind)

    @staticmethod
    def _person_in(tokens: list[Token], phrase: list[int], start: int, end: int) -> str | None:
        """A person's name that heads the phrase or stands beside it: "Russian foreign minister Sergey Lavrov",
        "Pakistan's then foreign minister, Khawaja Asif"."""
        candidates = [i for i in phrase if tokens[i].ent == "PERSON" and not start <= i < end]
        head = max(phrase) if phrase else None
        if head is not None:
            appos = [t.i for t in tokens if t.head == head and t.dep == "appos" and t.ent == "PERSON"]
            for a in appos:
                candidates += [t.i for t in tokens if t.ent == "PERSON" and
                               (t.i == a or (t.head == a and t.dep == "compound"))]
        if not candidates:
            return None
        lo, hi = min(candidates), max(candidates)
        words = [tokens[i] for i in range(lo, hi + 1) if tokens[i].ent == "PERSON"]
        name = " ".join(t.text for t in words).strip()
        if not name or words[-1].text.lower() in _NOT_NAME or not words[-1].text[:1].isupper():
            return None
        return name

    def _common(self, alias: str) -> bool:
        """Whether a one-word alias is also an English word ("Co", "Power", "Fields", "Baker"): alone it would
        name this person wherever the word is written (the same rule people.tsv follows for surnames)."""
        word = alias.lower()
        return " " not in word and (word in self.common_words or
                                    (word.endswith("s") and word[:-1] in self.common_words))

    def learn(self, mentions: list[ActorMention], article_id: str) -> list[tuple[str, str, str, str, str]]:
        """Remember the people named with a country and a title in these mentions: the full name and the
        surname. Returns the new (alias, name, country, role, article_id) rows for the store."""
        rows = []
        for m in mentions:
            if m.kind != "person" or not m.country or m.name is None or m.name == m.text:
                continue
            if m.name in self.learned:
                continue
            for alias in {m.name, *_surname(m.name)}:
                known = self.phrases.get(self._keys(alias))
                if known is not None and known.name == m.name:
                    continue  # in the lexicon already ("Raab" of Dominic Raab, people.tsv)
                if self._add_learned(alias, m.name, m.country, m.role or "GOV"):
                    rows.append((alias, m.name, m.country, m.role or "GOV", article_id))
        return rows
