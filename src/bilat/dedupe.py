"""Find exact and near-duplicate articles.

An article whose body is the same as an earlier one (after normalising case, punctuation and white space), or
whose word shingles overlap an earlier one's by an estimated Jaccard similarity of at least `threshold`
(MinHash signatures, LSH index from datasketch), gets `duplicate_of` set to the earlier article. "Earlier"
means stored by an earlier run, then first in the run's input order, so the first copy seen stays the original.

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

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

from .model import Article

SHINGLE_WORDS = 3
NUM_PERM = 128
SCHEME = "affine32"  # datasketch's hashing scheme; stored signatures are its uint32 values
MIN_WORDS = 20  # below this a text has too few shingles for a meaningful similarity: exact match only
NUMBERS_AGREE = 0.5  # near-duplicates whose numbers agree less than this are two reports, not copies

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")

_WORD = re.compile(r"\w+", re.UNICODE)


def normalised_words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def signature(text: str, num_perm: int = NUM_PERM) -> MinHash | None:
    """MinHash of the text's word 3-shingles, or None for a text too short to compare."""
    words = normalised_words(text)
    if len(words) < MIN_WORDS:
        return None
    mh = MinHash(num_perm=num_perm, seed=1, scheme=SCHEME)
    mh.update_batch([" ".join(words[i:i + SHINGLE_WORDS]).encode() for i in range(len(words) - SHINGLE_WORDS + 1)])
    return mh


def numbers_in(text: str) -> frozenset[str]:
    """The numbers a text gives, as written: {"1.5", "6.73", "1987"}."""
    return frozenset(_NUMBER.findall(text))


def _numbers_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a or not b or len(a & b) / len(a | b) >= NUMBERS_AGREE


def _text_key(text: str) -> str:
    return hashlib.sha256(" ".join(normalised_words(text)).encode()).hexdigest()


class Deduplicator:
    """Remembers the articles seen so far and tells, for each new one, which earlier one it duplicates.

    Example:
        dedupe = Deduplicator()
        dedupe.check(first)    # -> (None, signature bytes)
        dedupe.check(copy)     # -> (first.article_id, ...)
    """

    def __init__(self, threshold: float = 0.7, num_perm: int = NUM_PERM):
        self.threshold = threshold
        self.num_perm = num_perm
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.signatures: dict[str, MinHash | LeanMinHash] = {}
        self.by_text: dict[str, str] = {}
        self.order: dict[str, int] = {}
        self.numbers: dict[str, frozenset[str]] = {}

    def remember(self, article_id: str, text_key: str | None, packed: bytes | None,
                 numbers: Iterable[str] = ()) -> None:
        """Add an article stored by an earlier run (its text key, packed signature and numbers)."""
        self.numbers[article_id] = frozenset(numbers)
        if text_key:
            self.by_text.setdefault(text_key, article_id)
        if packed:  # a lean signature: no hash permutations to make again for each stored article
            self._index(article_id, LeanMinHash(seed=1, hashvalues=np.frombuffer(packed, dtype=np.uint32),
                                                scheme=SCHEME))

    def check(self, article: Article) -> tuple[str | None, str | None, bytes | None]:
        """(the article_id this one duplicates or None, its text key, its packed signature).

        The article is remembered, so later copies of it are found too."""
        key = _text_key(article.text) if normalised_words(article.text) else None
        original = self.by_text.get(key) if key else None
        mh = signature(article.text, self.num_perm)
        numbers = self.numbers.setdefault(article.article_id, numbers_in(article.text))
        if original is None and mh is not None:
            scored = [(mh.jaccard(self.signatures[c]), self.order[c], c) for c in self.lsh.query(mh)]
            scored = [s for s in scored if s[0] >= self.threshold
                      and _numbers_agree(numbers, self.numbers.get(s[2], frozenset()))]
            if scored:  # the most similar; among equals, the one seen first
                original = max(scored, key=lambda s: (s[0], -s[1]))[2]
        if key:
            self.by_text.setdefault(key, article.article_id)
        if mh is not None and article.article_id not in self.signatures:
            self._index(article.article_id, mh)
        packed = mh.hashvalues.astype(np.uint32).tobytes() if mh is not None else None
        return (original if original != article.article_id else None), key, packed

    def _index(self, article_id: str, mh: MinHash | LeanMinHash) -> None:
        if article_id in self.signatures:
            return
        self.signatures[article_id] = mh
        self.order[article_id] = len(self.order)
        self.lsh.insert(article_id, mh)
