"""Property-based tests: the cleaner, the time normaliser, the quantity parser and the actor resolver take any
text without raising and give well-formed output.

Inputs are plausible but hostile: real vocabulary from the project's data files (countries, people, titles,
organisations, roles, time words, units, furniture examples from boilerplate.tsv) mixed with random words, odd
code points, control characters, markup fragments, repeated and very long lines. The `bilat` Hypothesis
profile (conftest.py) derandomizes the runs, so a failure is the same failure on every machine; a failing
input found once stays below as an `@example`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bilat.actors import ActorResolver
from bilat.annotate import Annotator
from bilat.clean import clean
from bilat.dating import check_published, period_of_text
from bilat.errors import InputError
from bilat.knowledge import read_table, split
from bilat.model import HIGH, LOW, Article, Document
from bilat.quantities import find_quantities
from bilat.timex import find_time_expressions, parse_date

# --- vocabulary from the data files ---------------------------------------------------------------------


def _column(name: str, *columns: str) -> list[str]:
    return sorted({value for row in read_table(name) for c in columns for value in split(row.get(c, ""))})


COUNTRY_CODES = frozenset(row["iso3"] for row in read_table("countries.tsv"))
ORGANISATION_CODES = frozenset(row["code"] for row in read_table("organisations.tsv") if row.get("code"))
# the roles the headers of roles.tsv and organisations.tsv document
ROLES = frozenset("GOV MIL COP JUD LEG OPP REB SPY BUS MED CVL EDU REF LAB HLH ELI AGR ENV UAF "
                  "IGO NGO IMG PTY".split())
PLACES = _column("countries.tsv", "name", "aliases", "demonyms", "capitals", "seats")
PEOPLE = _column("people.tsv", "name", "aliases")
TITLES = _column("people.tsv", "title") + _column("title_forms.tsv", "form")
ORGANISATIONS, ROLE_WORDS = _column("organisations.tsv", "name", "aliases"), _column("roles.tsv", "pattern")
ACTOR_WORDS = PLACES + PEOPLE + TITLES + ORGANISATIONS + ROLE_WORDS
TIME_WORDS = _column("time_words.tsv", "phrase")
AGENCIES = _column("agencies.tsv", "name", "aliases")
FURNITURE = sorted({e for row in read_table("boilerplate.tsv") for e in re.findall(r'"([^"]+)"', row["comment"])})
UNITS = frozenset(row["unit"] for row in read_table("units.tsv") if row["unit"]) \
    | {f"{m}/{r}" for m in _column("units.tsv", "unit") for r in _column("units.tsv", "unit")}

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
TIME_VALUE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")

# --- strategies -------------------------------------------------------------------------------------------

# any code point but surrogates, control characters included
odd_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
ascii_word = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7e), min_size=1, max_size=10)
number = st.one_of(st.integers(-10, 10**12).map(str), st.floats(allow_nan=False).map(str),
                   st.integers(0, 999_999_999).map("{:,}".format),
                   st.sampled_from(["1e400", "0.5", "1,100", "9/11"]))
punctuation = st.sampled_from(list(".,;:!?-–—|/•·()[]\"'“”’…$€£%&*<>#@") + ["...", " - ", " | ", "\t", "\u00a0",
                                                                             "\u200b", "\x00", "\x7f", "\x85"])
markup = st.sampled_from(["<p>", "</p>", "<div class='x'>", "</div>", "<br>", "<br/>", "&nbsp;", "&amp;", "<!--",
                          "-->", "<script>x=1</script>", "<a href='/'>", "</a>", "<h1>", "</h1>", "<", ">",
                          "<html>", "<body>", "]]>", "<![CDATA[", "&#0;", "&#1;", "&#x7f;", "&#x85;", "&#xd800;"])


def words(*vocabularies: list[str]) -> st.SearchStrategy[str]:
    """One word or phrase: real vocabulary most of the time, else random text, numbers and punctuation."""
    real = st.sampled_from([w for v in vocabularies for w in v])
    return st.one_of(real, real, real, ascii_word, number, punctuation, odd_text)


def by_kind(name: str, column: str, *only: str) -> st.SearchStrategy[str]:
    """A word of a data file of the given kinds (all by default), each kind (time_words.tsv: month, unit,
    number...) as likely as another, so that words that combine often stand side by side."""
    kinds: dict[str, list[str]] = {}
    for row in read_table(name):
        if not only or row["kind"] in only:
            kinds.setdefault(row["kind"], []).extend(split(row[column]))
    return st.one_of([st.sampled_from(sorted(set(v))) for _, v in sorted(kinds.items())])


def phrases(vocabulary: st.SearchStrategy[str], max_words: int = 25) -> st.SearchStrategy[str]:
    return st.lists(vocabulary, max_size=max_words).map(" ".join)


cleaner_word = words(ACTOR_WORDS, TIME_WORDS, AGENCIES, FURNITURE, ["By", "Published:", "Updated", "said", "the"])


@st.composite
def page_lines(draw) -> list[str]:
    """The lines of a scraped page: prose, menus, furniture, date and byline lines, repeats, teasers."""
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 14))):
        kind = draw(st.sampled_from(["prose", "prose", "short", "furniture", "meta", "repeat", "teaser", "blank",
                                     "markup", "long"]))
        if kind == "prose":
            line = draw(phrases(cleaner_word, 30)) + draw(st.sampled_from([".", "?", "!", ".\"", " (AFP)", ""]))
        elif kind == "short":
            line = draw(phrases(cleaner_word, 3))
        elif kind == "furniture":
            line = draw(st.sampled_from(FURNITURE))
        elif kind == "meta":
            line = draw(st.sampled_from(["By ", "Published: ", "Updated ", "", "Posted on "])) + draw(
                phrases(st.one_of(st.sampled_from(AGENCIES + TIME_WORDS + ["|", "/", "•", "11:57 AM", "IST"]),
                                  number), 6))
        elif kind == "repeat" and lines:
            line = draw(st.sampled_from(lines))
        elif kind == "teaser" and lines:
            line = draw(st.sampled_from(lines))[:draw(st.integers(0, 60))] + draw(st.sampled_from(["...", "…"]))
        elif kind == "markup":
            line = draw(phrases(st.one_of(markup, cleaner_word), 8))
        elif kind == "long":
            line = draw(phrases(cleaner_word, 6)) * draw(st.integers(50, 400))
        else:
            line = ""
        lines.append(draw(st.sampled_from(["", " ", "\t", "\u00a0", "\ufeff"])) + line)
    return lines


@st.composite
def documents(draw) -> Document:
    lines = draw(page_lines())
    text = draw(st.sampled_from(["\n", "\n\n", "\r\n", "\n \n"])).join(lines)
    if draw(st.booleans()):  # hard-wrapped: every line cut at a fixed width
        width = draw(st.integers(20, 90))
        text = "\n".join(text[i:i + width] for i in range(0, len(text), width))
    media_type = draw(st.sampled_from(["text/plain", "text/plain", "text/plain", "text/html"]))
    if media_type == "text/html" and draw(st.booleans()):
        text = "<html><head><title>" + draw(phrases(cleaner_word, 6)) + "</title></head><body><article>" \
            + "".join(f"<p>{line}</p>" for line in lines) + "</article></body></html>"
    metadata = draw(st.dictionaries(st.sampled_from(["title", "date", "url", "outlet", "byline", "dateline"]),
                                    st.one_of(phrases(cleaner_word, 6), number, odd_text), max_size=3))
    return page(text, media_type, **metadata)


def page(text: str, media_type: str = "text/plain", **metadata: str | None) -> Document:
    return Document("fuzz.txt", text, media_type, hashlib.sha256(text.encode()).hexdigest(), metadata=metadata)


# --- the cleaner ------------------------------------------------------------------------------------------


def without_controls(text: str) -> str:
    return "".join(c for c in text if c.isspace() or unicodedata.category(c) != "Cc")


def words_of(text: str) -> str:
    """The words of a text, single-spaced, zero-width characters at their ends aside (as lines are stripped)."""
    return " ".join(w for w in (w.strip("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff") for w in text.split()) if w)


def assert_well_formed(article: Article, document: Document) -> None:
    for name, value in vars(article).items():
        if isinstance(value, str):
            assert without_controls(value) == value, name
    assert re.fullmatch(r"[0-9a-f]{16}", article.article_id)
    assert article.title is None or (article.title and article.title == article.title.strip())
    for day in (article.published, article.page_date):
        assert day is None or (ISO_DAY.fullmatch(day) and dt.date.fromisoformat(day))
    assert article.published_confidence in (None, HIGH, LOW)
    assert article.published is None or article.published_confidence is not None
    if article.text:
        for paragraph in article.text.split("\n\n"):
            assert paragraph and paragraph == paragraph.strip() and "\n" not in paragraph, paragraph
            if document.media_type == "text/plain":  # a paragraph is a line of the input (or lines joined by unwrap)
                assert words_of(paragraph) in words_of(without_controls(document.content))


@settings(max_examples=300)
@given(documents())
@example(page("\n\nAbidjan Abidjan Abidjan.\n\x00."))  # a NUL byte stayed in the body
@example(page("<p>Talks &#1;began</p><p>in Moscow&#0;</p>", "text/html", title="Talks\x7f"))  # lxml refused "&#1;"
def test_cleaning_never_fails_and_is_idempotent(document):
    try:
        article = clean(document)
    except InputError:
        assert document.media_type == "text/html" or not document.content.strip()
        return
    assert_well_formed(article, document)
    if not article.text.strip():
        return
    again = clean(page(article.text, title=article.title))  # the article as a record: its text and title
    assert again.text == article.text
    assert again.title == article.title


# --- the time normaliser ------------------------------------------------------------------------------------

number_words = st.tuples(by_kind("time_words.tsv", "phrase", "number"),
                         st.lists(by_kind("time_words.tsv", "phrase", "multiplier"), max_size=3)).map(
    lambda n: " ".join([n[0], *n[1]]))  # "two", "nine hundred thousand"
# "nine hundred thousand weeks ago", "two thousand years from now": a count, a unit and a direction
offset = st.tuples(st.one_of(number_words, st.integers(0, 10**6).map(str)),
                   st.sampled_from(["days", "weeks", "months", "years", "decades", "hours", "centuries"]),
                   st.sampled_from(["ago", "from now", "earlier", "later"])).map(" ".join)
time_word = st.one_of(by_kind("time_words.tsv", "phrase"), by_kind("time_words.tsv", "phrase"), offset,
                      words(["ago", "from now", "later", "since", "in", "on", "of", "the", "Q1", "FY", "mid-"]),
                      st.integers(0, 3000).map(str), st.integers(0, 10**7).map("{:,}".format))
anchors = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))


def assert_time_value(value: str | None) -> None:
    if value is None:
        return
    assert TIME_VALUE.fullmatch(value), value
    year, month, day = (value.split("-") + ["01", "01"])[:3]
    dt.date(int(year), int(month), int(day))


@settings(max_examples=1000)
@given(phrases(time_word), st.one_of(st.none(), anchors), st.booleans())
@example("eight dozen dozen dozen years ago", dt.date(2000, 1, 1), False)  # was year -11824
@example("nine hundred thousand weeks ago", dt.date(1900, 1, 1), False)  # was an OverflowError
def test_time_expressions_are_well_formed_and_deterministic(text, anchor, prefer_future):
    found = find_time_expressions(text, anchor, prefer_future=prefer_future)
    end = 0
    for t in found:
        assert end <= t.start < t.end <= len(text) and text[t.start:t.end] == t.text
        end = t.end
        assert t.kind in ("date", "since", "duration", "set")
        assert_time_value(t.value)
        if t.kind in ("duration", "set"):
            assert t.value is None
    assert find_time_expressions(text, anchor, prefer_future=prefer_future) == found
    # what the text dates by itself ("7 April 2021", "in 1948") does not move with the publication date
    absolute = {(t.start, t.end): t.value for t in find_time_expressions(text, None, prefer_future=prefer_future)}
    for t in found:
        if absolute.get((t.start, t.end)):
            assert t.value == absolute[(t.start, t.end)], t


@settings(max_examples=300)
@given(phrases(time_word, 8))
def test_parse_date_gives_a_date_or_none(text):
    day = parse_date(text)
    assert day is None or isinstance(day, dt.date)


people_word = words(ACTOR_WORDS, TIME_WORDS, ["former", "then", "Prime Minister", "President", "said", "in"])


@settings(max_examples=300)
@given(phrases(people_word, 20), anchors, st.sampled_from([HIGH, LOW, None]))
def test_dating_check_never_fails(text, published, confidence):
    period = period_of_text(text)
    for start, end in period.spans:
        assert start is None or end is None or start <= end
    article = check_published(Article("id", "t.txt", "", None, text, published.isoformat(), confidence))
    assert article.published in (None, published.isoformat())


# --- the quantity parser ------------------------------------------------------------------------------------

quantity_word = st.one_of(by_kind("units.tsv", "form"), by_kind("units.tsv", "form"), number,
                          words(["helicopters", "troops", "of", "and", "dozens", "per", "day", "a", "1986"]))


@settings(max_examples=1000)
@given(phrases(quantity_word))
@example("a billion EUR 0")  # "EUR 0" overlapped "a billion EUR"
def test_quantities_are_well_formed(text):
    end = 0
    for start, stop, q in find_quantities(text):
        assert end <= start < stop <= len(text) and text[start:stop] == q.text
        end = stop
        assert q.value is None or (isinstance(q.value, float) and math.isfinite(q.value)), q
        # a unit of units.tsv, or a counted noun made singular ("4 attack helicopters" -> helicopter)
        assert q.unit is None or q.unit in UNITS or re.fullmatch(r"[a-z][a-z'’-]*", q.unit), q


# --- the actor resolver --------------------------------------------------------------------------------------

# each kind of actor word as likely as another: places, people, titles, roles, organisations, glue, noise
glue = ["said", "met", "the", "of", "'s", "and", "former", "visited", "in", "with", ",", ".", "from", "Mr", "his"]
actor_word = st.one_of([st.sampled_from(v) for v in (PLACES, PEOPLE, TITLES, ROLE_WORDS, ORGANISATIONS, glue)]
                       + [ascii_word, punctuation, odd_text])


@pytest.fixture(scope="module")
def resolver(nlp) -> ActorResolver:
    return ActorResolver(lambda t: [x.text for x in nlp.make_doc(t)])


@settings(max_examples=150)
@given(st.lists(phrases(actor_word, 25), min_size=1, max_size=3), st.one_of(st.none(), anchors), st.booleans())
@example([""], None, False)  # an article without text was not annotated at all
def test_actor_mentions_are_well_formed(nlp, resolver, sentences, published, select):
    article = Article("t", "t.txt", "", sentences[0], "\n\n".join(sentences[1:]),
                      published and published.isoformat(), HIGH if published else None)
    # a resolver of its own, so that what one example learns does not change the next; `select`: the sentence
    # filter leaves some sentences unparsed, and those are read by the lexicon alone
    annotator = Annotator(nlp, resolver.copy(), select=select)
    (annotated,) = annotator.annotate([article])
    annotator.refresh(annotated)
    for sentence in annotated.sentences:
        tokens, end = sentence.tokens, 0
        for a in sentence.actors:
            assert end <= a.start < a.end <= len(tokens), sentence.actors  # in text order, none overlapping
            end = a.end
            assert a.text == "".join(t.text + t.ws for t in tokens[a.start:a.end]).strip()
            assert a.country is None or a.country in COUNTRY_CODES, a
            assert a.role == "" or a.role in ROLES, a
            assert a.code in ORGANISATION_CODES or a.code == (a.country + a.role if a.country else ""), a
        for t in sentence.times:
            assert 0 <= t.start < t.end <= len(sentence.text) and sentence.text[t.start:t.end] == t.text
