"""Find exact and near-duplicate articles.

An article whose body is the same as an earlier one (after normalising case, punctuation and white space), or
whose word shingles overlap an earlier one's by an estimated Jaccard similarity of at least `threshold`
(datasketch's MinHash signatures, compared only where they share an LSH bucket: all the values of one band),
gets `duplicate_of` set to the earlier article. "Earlier" means stored by an earlier run, then first in the
run's input order, so the first copy seen stays the original.

A text that says the same in the same words but with other figures is not a copy: the daily report that fills a
template ("the Fed added 1.5 billion dlrs of reserves"), or a story updated with new numbers. Two near-duplicates
are copies only when the sets of numbers they contain agree (Jaccard at least NUMBERS_AGREE; a text without
numbers agrees with any).

Duplicates stay in the store and their sentences still count as sources of the events they report: a wire
story printed by five outlets is five sources of one story. They are only marked.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property

import numpy as np
from datasketch import MinHash

from .model import Article

SHINGLE_WORDS = 3
NUM_PERM = 128
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures are its uint32 values
MIN_WORDS = 20  # below this a text has too few shingles for a meaningful similarity: exact match only
NUMBERS_AGREE = 0.5  # near-duplicates whose numbers agree less than this are two reports, not copies
# LSH banding of a signature: 14 bands of 9 values, what datasketch chooses for a 0.7 threshold and 128
# permutations. Fixed here because the store keeps each article's band buckets (`article_bands`) and a later run
# must cut its signatures the same way to find them.
BANDS, ROWS = 14, 9

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")  # also read by the store's SQL (RE2 reads it alike)

_WORD = re.compile(r"\w+", re.UNICODE)


def normalised_words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


@cache
def _permutations(num_perm: int) -> tuple:
    """datasketch's permutations for seed 1, drawn once per process rather than for each signature."""
    return MinHash(num_perm=num_perm, seed=1, scheme=SCHEME).permutations


def signature(text: str, num_perm: int = NUM_PERM, words: list[str] | None = None) -> MinHash | None:
    """MinHash of the text's word 3-shingles (`words`: its normalised words, if known), or None for a text too
    short to compare."""
    words = normalised_words(text) if words is None else words
    if len(words) < MIN_WORDS:
        return None
    mh = MinHash(num_perm=num_perm, seed=1, scheme=SCHEME, permutations=_permutations(num_perm))
    mh.update_batch([" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)])
    return mh


def numbers_in(text: str) -> frozenset[str]:
    """The numbers a text gives, as written: {"1.5", "6.73", "1987"}."""
    return frozenset(NUMBER.findall(text))


def buckets(packed: bytes) -> list[int]:
    """The LSH buckets of a packed signature, one per band, as signed 64-bit integers (the store's BIGINT): two
    articles that share a bucket agree on all the values of one band, and are compared."""
    values = np.frombuffer(packed, dtype=np.uint32)
    return [int.from_bytes(hashlib.blake2b(bytes([b]) + values[b * ROWS:(b + 1) * ROWS].tobytes(),
                                           digest_size=8).digest(), "big", signed=True) for b in range(BANDS)]


def numbers_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    """Whether two near-duplicates' numbers let them be copies (`Store.similar_articles` tests the same in SQL)."""
    return not a or not b or len(a & b) / len(a | b) >= NUMBERS_AGREE


def _text_key(words: list[str]) -> str:
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


@dataclass
class Fingerprint:
    """What the store keeps of an article's text to find its copies in later runs."""

    text_key: str | None  # hash of the normalised words: equal keys are exact copies
    minhash: MinHash | None  # None for a text too short to compare
    numbers: frozenset[str]

    @cached_property
    def packed(self) -> bytes | None:
        return self.minhash.hashvalues.astype(np.uint32).tobytes() if self.minhash is not None else None

    @cached_property
    def buckets(self) -> list[int]:  # read by the look-up of similar stored articles and by the store's write
        return buckets(self.packed) if self.minhash is not None else []


def fingerprint(text: str) -> Fingerprint:
    words = normalised_words(text)
    return Fingerprint(_text_key(words) if words else None, signature(text, words=words), numbers_in(text))


class Deduplicator:
    """Remembers the articles seen so far and tells, for each new one, which earlier one it duplicates.

    Stored articles are not all loaded: for each batch of new articles a run asks the store for those that share a
    text key with them, or an LSH bucket and numbers that agree (`Store.similar_articles`, which holds the run's
    earlier batches too), and remembers only them, before the new ones; so memory does not grow with the store or
    the run.

    Example:
        dedupe = Deduplicator()
        dedupe.check(first)    # -> (None, its fingerprint)
        dedupe.check(copy)     # -> (first.article_id, its fingerprint)
    """

    def __init__(self, threshold: float = 0.7):
        self.threshold = threshold  # of the estimated Jaccard similarity; the banding (BANDS, ROWS) is fixed
        self.by_bucket: dict[int, list[str]] = {}  # LSH bucket -> the articles whose signature falls in it
        self.signatures: dict[str, np.ndarray] = {}  # the signature's values
        self.by_text: dict[str, str] = {}
        self.order: dict[str, tuple] = {}  # stored articles first (by run and reading order), then the new in turn
        self.numbers: dict[str, frozenset[str]] = {}

    def remember(self, article_id: str, text_key: str | None, packed: bytes | None,
                 numbers: Iterable[str] = (), order: tuple = (), in_buckets: Iterable[int] | None = None) -> None:
        """Add a stored article (its text key, packed signature and numbers); `order` ranks it among the stored
        ones (run, place in the run's reading order): the first copy stored stays the original. `in_buckets`:
        the only buckets of its signature the articles to check can share (`Store.similar_articles` tells
        them), else all of them."""
        if article_id in self.numbers:
            return
        self.numbers[article_id] = frozenset(numbers)
        self.order[article_id] = (0, *order)
        if text_key:
            self.by_text.setdefault(text_key, article_id)
        if packed:
            self._index(article_id, np.frombuffer(packed, dtype=np.uint32),
                        buckets(packed) if in_buckets is None else in_buckets)

    def check(self, article: Article, fp: Fingerprint | None = None) -> tuple[str | None, Fingerprint]:
        """(the article_id this one duplicates or None, its fingerprint, made here unless given).

        The article is remembered, so later copies of it are found too."""
        fp = fp or fingerprint(article.text)
        original = self.by_text.get(fp.text_key) if fp.text_key else None
        numbers = self.numbers.setdefault(article.article_id, fp.numbers)
        self.order.setdefault(article.article_id, (1, len(self.order)))
        if original is None and fp.minhash is not None:
            values = fp.minhash.hashvalues
            near = dict.fromkeys(c for b in fp.buckets for c in self.by_bucket.get(b, ()))
            # the estimated Jaccard similarity: the share of equal values (what MinHash.jaccard computes)
            scored = [(np.count_nonzero(values == self.signatures[c]) / len(values), self.order[c], c) for c in near]
            scored = [s for s in scored if s[0] >= self.threshold
                      and numbers_agree(numbers, self.numbers.get(s[2], frozenset()))]
            if scored:  # the most similar; among equals, the one seen first
                original = min(scored, key=lambda s: (-s[0], s[1]))[2]
        if fp.text_key:
            self.by_text.setdefault(fp.text_key, article.article_id)
        if fp.minhash is not None:
            self._index(article.article_id, fp.minhash.hashvalues, fp.buckets)
        return (original if original != article.article_id else None), fp

    def _index(self, article_id: str, values: np.ndarray, in_buckets: Iterable[int]) -> None:
        if article_id in self.signatures:
            return
        self.signatures[article_id] = values
        for bucket in in_buckets:
            self.by_bucket.setdefault(bucket, []).append(article_id)
