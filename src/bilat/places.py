"""Which country a place is in, for places news names without their country ("in Jaghuri district in
Ghazni", "in Kupwara, Jammu and Kashmir", "Karachi Port").

The knowledge is `data/places.tsv` (first-level subdivisions from ISO 3166-2 and cities from GeoNames, built
by `tools/make_places.py`; its header says what was kept and what was left out). A name that belongs to
places in two countries of similar size is not in the file, so it gives no country ("Punjab").

Matching is case-sensitive on the first letter ("Reading" may be a place, "reading" never is), tolerant of
diacritics ("Ghaznī" is "Ghazni"), and an all-capital name of more than three letters also matches
("KARACHI", as in datelines).
"""
from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

from .knowledge import read_columns, read_table

# Letters that Unicode does not decompose into an ASCII letter and a mark, and the quote marks that
# transliterations use for an apostrophe, ayin or hamza.
_FOLD = str.maketrans({
    "ı": "i", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ħ": "h", "Ħ": "H", "ß": "ss",
    "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
    "‘": "'", "’": "'", "ʼ": "'", "ʻ": "'", "ʿ": "'", "ʾ": "'", "`": "'", "´": "'",
})
# The words news puts after a place's name: "Karachi Port", "Ghazni province", "Zhari district".
PLACE_SUFFIXES = ("district", "province", "city", "port", "region", "state", "division", "area")
_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
MAX_WORDS = 4


def fold(text: str) -> str:
    """`text` with diacritics dropped and apostrophe-like marks made `'`: 'Jammu and Kashmīr' ->
    'Jammu and Kashmir', 'Ṣan‘ā’' -> "San'a'"."""
    if text.isascii() and "`" not in text:
        return text  # nothing to fold: most words of English news
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_FOLD)


@cache
def _gazetteer() -> tuple[dict[str, str], dict[str, str]]:
    """places.tsv read once: folded name -> ISO alpha-3 (with the hand-made aliases, which win), and folded
    name -> its one kind (city or admin1; names of both kinds are left out)."""
    countries: dict[str, str] = {}
    kinds: dict[str, set[str]] = {}
    for name, country, kind in read_columns("places.tsv", "name", "country", "kind"):
        folded = fold(name)
        countries[folded] = country
        kinds.setdefault(folded, set()).add(kind)
    countries.update({fold(row["name"]): row["country"] for row in read_table("place_aliases.tsv")})
    return countries, {name: next(iter(found)) for name, found in kinds.items() if len(found) == 1}


def place_countries() -> dict[str, str]:
    """Every place name of places.tsv, folded -> ISO alpha-3."""
    return _gazetteer()[0]


@cache
def _capitals_place_countries() -> dict[str, str]:
    """The same names in capitals, for names written all in capitals ('KARACHI')."""
    return {name.upper(): iso for name, iso in place_countries().items()}


@cache
def _first_words() -> frozenset[str]:
    """The first word of every known name, as written and in capitals: a word not among them starts none."""
    return frozenset(name.split(" ")[0] for table in (place_countries(), _capitals_place_countries())
                     for name in table)


def _lookup(name: str) -> str | None:
    """The country of a name exactly as known (after folding), or of an all-capital name of more than
    three letters."""
    name = fold(name)
    if not name[:1].isupper():
        return None
    found = place_countries().get(name)
    if found is None and len(name) > 3 and name.isupper():
        found = _capitals_place_countries().get(name)
    return found


def _readings(name: str) -> list[str]:
    """The ways to look a place's text up: as written, without a leading "the", without a trailing place word."""
    text = " ".join(name.split())
    tries = [text]
    if text[:4].lower() == "the ":
        tries += ["The " + text[4:], text[4:]]  # "the Hague" is "The Hague"; "the Punjab" is "Punjab"
    for candidate in list(tries):
        head, _, last = candidate.rpartition(" ")
        if head and last.lower() in PLACE_SUFFIXES:
            tries.append(head)
    return tries


def country_of_place(name: str) -> str | None:
    """The ISO alpha-3 code of the country a place is in, or None when unknown or ambiguous.

    A leading "the" and a trailing place word (district, province, city, port, region, state, division,
    area) are dropped when the full text is not known: 'Karachi Port' -> 'PAK', 'the Ghazni province' ->
    'AFG', 'Punjab' -> None (in Pakistan and in India), 'karachi' -> None (not capitalised).
    """
    for candidate in _readings(name):
        found = _lookup(candidate)
        if found:
            return found
    return None


@lru_cache(maxsize=4096)
def place_of(name: str) -> tuple[str, str] | None:
    """(kind, name) of the town or region a place's text names, the name as the gazetteer spells it (folded);
    None for a country, a name of both kinds or one it does not know. 'the Kupwara district' -> ('city',
    'Kupwara'), 'Helmand province' -> ('admin1', 'Helmand'). Two towns of different names are two places,
    and so are two regions; a town and a region may be one inside the other."""
    for candidate in _readings(name):
        kind = _gazetteer()[1].get(fold(candidate))
        if kind and _lookup(candidate):
            return kind, fold(candidate)
    return None


def places_in(text: str) -> list[tuple[int, int, str, str]]:
    """The known place names in `text`, as (start, end, name as written, ISO alpha-3), in order.

    A name starts with a capitalised word and runs over at most four words separated by spaces only (a
    comma or full stop ends it); at each word the longest known name wins.
    'in Kupwara, Jammu and Kashmir' -> [(3, 10, 'Kupwara', 'IND'), (12, 29, 'Jammu and Kashmir', 'IND')]
    """
    words = list(_WORD.finditer(text))
    found = []
    i = 0
    while i < len(words):
        if not words[i].group()[0].isupper() or fold(words[i].group()) not in _first_words():
            i += 1
            continue
        run = 1  # how many words from i on are separated by spaces only
        while run < MAX_WORDS and i + run < len(words) and \
                text[words[i + run - 1].end():words[i + run].start()].isspace():
            run += 1
        for n in range(run, 0, -1):
            name = " ".join(w.group() for w in words[i:i + n])
            iso = _lookup(name)
            if iso:
                start, end = words[i].start(), words[i + n - 1].end()
                found.append((start, end, text[start:end], iso))
                i += n
                break
        else:
            i += 1
    return found
