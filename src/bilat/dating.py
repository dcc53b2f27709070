"""The dating check: when could a text have been written, and does the page's date agree?

    period_of_text(text) -> TextPeriod
    check_published(article) -> Article

A text that calls someone by a title in the present sense ("Prime Minister Imran Khan", "Russian President
Vladimir Putin", "army chief General Qamar Javed Bajwa") was written while that person held that office. The
terms come from `data/people.tsv` (heads of state and government, foreign ministers, Pakistan's army chiefs).
Every such mention bounds the text; the text's period is the intersection of all of them. A page date that
falls outside it by more than a month (`SLACK`: news keeps an old title for a while after a handover) is not
the date the text was published: `check_published` drops it and says why in `notes`.

What counts as a mention, with plain regular expressions (one compiled alternation of every name and alias,
built once):

- a title, then optionally `of Pakistan` and a comma, then honorifics (`General`, `Gen.`, `Dr`, `Sheikh`...),
  then a name or alias from people.tsv, case-sensitive on the name: "PM Imran Khan", "Prime Minister of
  Pakistan, Imran Khan", "COAS Gen. Asim Munir". Aliases that carry their own title ("King Salman") count too.
- Titles are people.tsv's `title` column without `Acting`, `Caretaker`, `Interim` or `Soviet` (so "President
  Putin" also covers his months as acting president) plus the short forms of data/title_forms.tsv (PM, FM, COAS, army
  chief, Secretary of State, ...). Abbreviations match in capitals only ("5 pm Imran Khan" is a time).
- A person gives the union of their terms in the offices the title names ("President Trump": 2017-2021 and
  2025 on); a person who never held the office named ("Deputy Prime Minister Ishaq Dar") gives nothing.

What does NOT bound the text (it refers to the past, or not to the office):

- a past or future sense before the title: former, ex-, then, late, erstwhile, outgoing, incoming, would-be,
  future, ousted, deposed, three-time... ("then foreign minister, Khawaja Asif", "ex-PM Nawaz Sharif");
- another office ending in the title: Vice President, Deputy Prime Minister, shadow Foreign Secretary, a
  party's or an organisation's president ("PML-N President Shehbaz Sharif");
- a place or prize named after the person ("King Fahd Stadium");
- a mention in a sentence that names a year ("In 2015, Prime Minister Nawaz Sharif ..."): that sentence tells
  of its own time, which need not be the writer's.

Mentions that do not intersect (the text speaks of two periods) give no constraint, with evidence saying so.
"""
from __future__ import annotations

import bisect
import calendar
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cache, reduce

from .errors import DataFileError
from .knowledge import read_table, resolve_country, split
from .model import LOW, Article
from .timex import parse_date

PEOPLE_FILE = "people.tsv"
SLACK = datetime.timedelta(days=31)  # a date this close to a term still agrees with it

Span = tuple[datetime.date, datetime.date]  # inclusive; date.min and date.max stand for "open"

# Title words people.tsv's titles carry that do not change the office.
_TITLE_QUALIFIERS = ("Acting", "Caretaker", "Interim", "Soviet")

@cache
def title_forms() -> dict[str, tuple[str, ...]]:
    """How news writes a title -> the people.tsv offices it can name (data/title_forms.tsv)."""
    return {row["form"]: tuple(split(row["offices"])) for row in read_table("title_forms.tsv")}


# Words between a title and a name that do not change who is meant.
_HONORIFICS = (r"General|Gen\.?|Lt\.?\s+Gen\.?|Lieutenant\s+General|Field\s+Marshal|Marshal|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|"
               r"Sheikh|Shaikh|Mian|Makhdoom|Sardar|Syed|Prince|Mullah|Chaudhry|His\s+Excellency|"
               r"Her\s+Excellency|H\.\s?E\.")

# Before a title: the mention speaks of another time than the writer's (a few capitalised words, "the", or
# "three-time" may stand between: "former Pakistani Prime Minister", "the then Pakistani foreign minister").
_PAST_OR_FUTURE = re.compile(
    r"(?i:\b(?:former|ex|then|late|erstwhile|outgoing|incoming|would-be|future|previous|past|ousted|deposed|"
    r"toppled|disqualified|exiled|jailed|imprisoned|retired|slain|assassinated|deceased|\w+-(?:time|term)))"
    r"[\s-]+(?:(?:the|[A-Z][\w.'’&-]*|\w+-(?:time|term))\s+){0,3}$")

# The word just before a title makes it another office: "Vice President", "party president".
_OTHER_OFFICE = frozenset("""vice deputy assistant associate junior under lieutenant shadow honorary opposition
    party club senate assembly league union federation association council committee board bank court university
    college company corporation chamber society foundation olympic""".split())

# After a name: a place, prize or fund named after the person.
_NAMED_AFTER = re.compile(
    r"\s+(?:Stadium|Hospital|Airport|Air\s*Base|Airbase|University|Causeway|Bridge|Road|Street|Avenue|Centre|"
    r"Center|Institute|Foundation|Prize|Award|Trust|Medal|Library|Park|Mosque|College|School|Hall|Highway|"
    r"Motorway|Square|Port|Dam|Cup|Trophy|Complex|City|District|Memorial|Museum|Tower|Palace|Building|Terminal)\b")

_YEAR = re.compile(r"\b(?:1[89]|20)\d\d(?:s|’s|'s)?\b")
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s+(?=[\"“‘(]?[A-Z])|\n")


@dataclass
class TextPeriod:
    """When a text can have been written, from the office holders it names.

    `start` and `end` are the earliest and latest dates the text is consistent with (None: not bounded on that
    side); `spans` are the disjoint periods within them (one, unless a person came back to office: "President
    Donald Trump" gives 2017-01-20..2021-01-20 and 2025-01-20..). No spans: the text gives no constraint.
    `evidence` says which mentions gave the period, or why they gave none.
    """

    start: datetime.date | None
    end: datetime.date | None
    evidence: list[str]
    spans: list[tuple[datetime.date | None, datetime.date | None]] = field(default_factory=list)

    @property
    def bounded(self) -> bool:
        return bool(self.spans)

    def admits(self, day: datetime.date, slack: datetime.timedelta = SLACK) -> bool:
        """True if `day` lies in one of the spans, give or take `slack`, or if there is no constraint."""
        if not self.spans:
            return True
        return any((start is None or day >= start - slack) and (end is None or day <= end + slack)
                   for start, end in self.spans)

    def describe(self) -> str:
        """The spans as text: '2018-08-18..2022-04-10', '2017-01-20..2021-01-20 or 2025-01-20..'."""
        return " or ".join(_format_span(s) for s in self.spans)


@dataclass(frozen=True)
class _Term:
    name: str
    country: str
    title: str  # as in people.tsv ("Acting President")
    office: str  # without qualifiers ("President")
    span: Span


@dataclass(frozen=True)
class _Lexicon:
    pattern: re.Pattern
    people: dict[str, frozenset[str]]  # name or alias -> full names
    titled: dict[str, tuple[str, str]]  # alias that starts with a title ("King Salman") -> (title, alias)
    terms: dict[str, tuple[_Term, ...]]  # full name -> terms
    forms: dict[str, tuple[str, ...]]  # normalised title as written -> offices


def _key(title: str) -> str:
    return " ".join(title.split()).lower()


def _office(title: str) -> str:
    words = title.split()
    while words and words[0] in _TITLE_QUALIFIERS:
        words = words[1:]
    return " ".join(words)


def _day(cell: str, last: bool) -> datetime.date:
    """A people.tsv date: YYYY-MM-DD, or YYYY-MM (its first or last day, whichever bounds the term widest)."""
    try:
        if len(cell) == 7:
            year, month = int(cell[:4]), int(cell[5:])
            return datetime.date(year, month, calendar.monthrange(year, month)[1] if last else 1)
        return datetime.date.fromisoformat(cell)
    except ValueError:
        raise DataFileError(f"{PEOPLE_FILE}: {cell!r} is not a date (YYYY-MM-DD or YYYY-MM)") from None


def _words(phrase: str) -> str:
    return r"\s+".join(re.escape(w) for w in phrase.split())


@cache
def _lexicon() -> _Lexicon:
    """people.tsv as one compiled pattern plus the lookups it needs (built once)."""
    people: dict[str, set[str]] = {}
    terms: dict[str, list[_Term]] = {}
    forms = {_key(form): offices for form, offices in title_forms().items()}
    for row in read_table(PEOPLE_FILE):
        if not row["start"] or not row["title"]:
            continue
        start = _day(row["start"], last=False)
        end = _day(row["end"], last=True) if row["end"] else datetime.date.max
        office = _office(row["title"])
        terms.setdefault(row["name"], []).append(_Term(row["name"], row["country"], row["title"], office,
                                                       (start, end)))
        forms.setdefault(_key(office), (office,))
        for alias in [row["name"], *split(row["aliases"])]:
            people.setdefault(alias, set()).add(row["name"])
    long_forms = sorted((f for f in {*title_forms(), *(t.office for ts in terms.values() for t in ts)}
                         if not f.isupper() and f != "Pres."), key=len, reverse=True)
    short_forms = sorted((f for f in title_forms() if f.isupper() or f == "Pres."), key=len, reverse=True)
    titled = {}
    for alias in people:
        for form in long_forms:
            if alias.lower().startswith(form.lower() + " "):
                titled[alias] = (form, alias)
                break
    names = "|".join(_words(a) for a in sorted(people, key=len, reverse=True))
    titles = "(?i:" + "|".join(_words(f) for f in long_forms) + ")|" + "|".join(re.escape(f) for f in short_forms)
    pattern = re.compile(
        r"(?<![\w-])(?:"
        rf"(?P<title>{titles})"
        r"(?:\s+of\s+(?:the\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})?,?\s+"
        rf"(?:(?:{_HONORIFICS})\s+)*"
        rf"(?P<name>{names})"
        rf"|(?P<titled>{'|'.join(_words(a) for a in sorted(titled, key=len, reverse=True)) or '(?!)'})"
        r")(?!\w)")
    return _Lexicon(pattern, {a: frozenset(n) for a, n in people.items()}, titled,
                    {n: tuple(t) for n, t in terms.items()}, forms)


def _merge(spans: Iterable[Span]) -> list[Span]:
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and (out[-1][1] == datetime.date.max or start <= out[-1][1] + datetime.timedelta(days=1)):
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _intersect(a: list[Span], b: list[Span]) -> list[Span]:
    return _merge((max(s1, s2), min(e1, e2)) for s1, e1 in a for s2, e2 in b if max(s1, s2) <= min(e1, e2))


def _open(day: datetime.date, bound: datetime.date) -> datetime.date | None:
    return None if day == bound else day


def _format_span(span: tuple[datetime.date | None, datetime.date | None]) -> str:
    start, end = span
    return f"{start.isoformat() if start else ''}..{end.isoformat() if end else ''}"


def _public(spans: list[Span]) -> list[tuple[datetime.date | None, datetime.date | None]]:
    return [(_open(s, datetime.date.min), _open(e, datetime.date.max)) for s, e in spans]


class _Sentences:
    """The sentence around a span of a text, from sentence ends found once (lazily: most texts need none)."""

    def __init__(self, text: str):
        self.text = text
        self.bounds: list[tuple[int, int]] | None = None

    def around(self, start: int, end: int) -> str:
        if self.bounds is None:
            self.bounds = [m.span() for m in _SENTENCE_END.finditer(self.text)]
        i = bisect.bisect_right(self.bounds, (start, start))
        left = self.bounds[i - 1][1] if i and self.bounds[i - 1][1] <= start else 0
        j = bisect.bisect_left(self.bounds, (end, end))
        right = self.bounds[j][0] if j < len(self.bounds) else len(self.text)
        return self.text[left:right]


def _refers_to_present(text: str, start: int) -> bool:
    """False when the words before a title at `start` put it in the past or future, or make it another office."""
    before = text[max(0, start - 80):start]
    before = before[before.rfind("\n") + 1:]
    if _PAST_OR_FUTURE.search(before):
        return False
    words = before.split()
    if not words:
        return True
    last = re.sub(r"(?:'s|’s)$", "", words[-1])
    if any(part.lower() in _OTHER_OFFICE for part in last.strip("()\"“”").split("-")):
        return False
    # an organisation's acronym, not a country's, makes it the organisation's title ("PML-N President");
    # a dateline in capitals ("KARACHI:") does not
    acronym = last.replace(".", "")
    return not (2 <= len(acronym) <= 7 and re.fullmatch(r"[A-Z][A-Z0-9&-]*", acronym)
                and not resolve_country(acronym))


def period_of_text(text: str) -> TextPeriod:
    """The period a text was written in, from the office holders it names with their present title.

    >>> p = period_of_text("Prime Minister Imran Khan has officially invited President Putin.")
    >>> p.start, p.end
    (datetime.date(2018, 8, 18), datetime.date(2022, 4, 10))
    >>> period_of_text("Former Prime Minister Nawaz Sharif returned to Lahore.").bounded
    False
    """
    lexicon = _lexicon()
    found: dict[tuple[str, frozenset[str]], tuple[str, list[Span]]] = {}
    sentences = _Sentences(text)
    for match in lexicon.pattern.finditer(text):
        if match["titled"]:
            title, alias = lexicon.titled[" ".join(match["titled"].split())]
        else:
            title, alias = match["title"], " ".join(match["name"].split())
        offices = lexicon.forms.get(_key(title), ())
        persons = lexicon.people.get(alias, frozenset())
        if (not _refers_to_present(text, match.start()) or _NAMED_AFTER.match(text, match.end())
                or _YEAR.search(sentences.around(match.start(), match.end()))):
            continue
        held = [t for p in sorted(persons) for t in lexicon.terms.get(p, ()) if t.office in offices]
        if not held:
            continue
        key = (_key(title), frozenset(t.name for t in held))
        if key in found:
            continue
        spans = _merge(t.span for t in held)
        titles = " / ".join(dict.fromkeys(t.title for t in held))
        countries = "/".join(dict.fromkeys(t.country for t in held))
        surface = " ".join(match.group(0).split())
        found[key] = (f"'{surface}' ({titles} of {countries} {', '.join(_format_span(s) for s in _public(spans))})",
                      spans)
    if not found:
        return TextPeriod(None, None, [])
    evidence = [e for e, _ in found.values()]
    spans = reduce(_intersect, (s for _, s in found.values()))
    if not spans:
        return TextPeriod(None, None, [*evidence, "these terms do not overlap (the text speaks of more than one "
                                                  "period): no constraint"])
    public = _public(spans)
    return TextPeriod(public[0][0], public[-1][1], evidence, public)


def check_published(article: Article) -> Article:
    """The article with its publication date checked against the period its text speaks of.

    A `published` date (of any confidence), or else a `page_date`, that lies more than `SLACK` outside the
    text's period is rejected: `published` becomes None with confidence `low`, `page_date` keeps the rejected
    date, and `notes` says why. A consistent date is left as it is (its confidence is not raised). An article
    without a publication date gets a note with the text's period, when there is one. The article passed in
    is never changed; a changed copy is returned.

    >>> a = Article("id", "002.txt", "hash", None, "Prime Minister Imran Khan invited President Putin.",
    ...             published="2023-12-02", published_confidence="high")
    >>> b = check_published(a)
    >>> b.published, b.published_confidence, b.page_date
    (None, 'low', '2023-12-02')
    """
    period = period_of_text("\n".join(filter(None, [article.title, article.text])))
    if not period.bounded:
        return article
    said = "the text speaks of " + ", ".join(period.evidence) + f": written {period.describe()}"
    claimed = article.published or article.page_date
    day = parse_date(claimed) if claimed else None
    if day is None:
        return replace(article, notes=[*article.notes, said])
    if period.admits(day):
        return article
    kind = (f"published date {claimed} ({article.published_confidence or 'no'} confidence)" if article.published
            else f"page date {claimed}")
    note = f"{kind} rejected, more than {SLACK.days} days outside the text's period: {said}"
    return replace(article, published=None, published_confidence=LOW, page_date=article.page_date or claimed,
                   notes=[*article.notes, note])
