"""Quantities: the amounts a sentence gives (money, lengths, volumes, percentages, counts), as numbers with units.

    >>> sentence = "The 1,100 km pipeline costs $2.25 billion; Russia sold 4 cargo and combat helicopters."
    >>> [(q.text, q.value, q.unit) for _, _, q in find_quantities(sentence)]  # doctest: +NORMALIZE_WHITESPACE
    [('1,100 km', 1100.0, 'km'), ('$2.25 billion', 2250000000.0, 'USD'),
     ('4 cargo and combat helicopters', 4.0, 'helicopter')]

What is read, and how:

- Money: a currency before (`$`, `Rs`, `PKR`, `€`) or after the number (`dlrs`, `yuan`, `USD`), with an optional
  scale (`million`, `mln`, `bn`, `crore`; `m` and `k` only next to a currency: `€3m`). The unit is the ISO 4217
  code, or a lower-case name where the form does not say which country's currency it is (`Rs` -> `rupee`).
- Measures and percentages (`1,100 km`, `680 miles`, `74 percent`, `100%`, `50,000 tonnes`), a measure with a
  rate (`100,000 barrels per day` -> `barrel/day`; `bpd` alike).
- Counts: a number followed within four words by a plural noun, before any punctuation or function word:
  `4 cargo and combat helicopters` and `four Russian attack helicopters` are both 4 `helicopter` (the noun made
  singular; irregular plurals are data). `dozens of troops` is a count with value None.
- A number with a scale and nothing else (`5.93 mln`) is a quantity without a unit.
- Qualifiers stay out of the span and the value: "in excess of $10 billion" gives `$10 billion`, 1e10; the
  caller has the sentence if it needs "more than" or "about".
- Not quantities: numbers inside time expressions (years, dates, "nine years": timex.py finds those), ordinals
  (`70th`), times (`11:57`), fractions and dates with slashes (`9/11`, `1-1/8`), ranges (`15-20`), model names
  (`S-400`, `JF-17`), a bare number with nothing after it, and a singular count ("one helicopter" is not read).

Forms, scales, currencies, irregular plurals and stop words are data (`data/units.tsv`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from .errors import DataFileError
from .knowledge import read_table, split
from .model import Quantity
from .timex import find_time_expressions, number_words_pattern, parse_number_words

UNITS_FILE = "units.tsv"
COUNT_WINDOW = 4  # words after the number in which a counted noun is looked for


@dataclass(frozen=True)
class Form:
    kind: str
    form: str
    unit: str
    factor: Decimal
    flags: tuple[str, ...]


def _key(text: str) -> str:
    return " ".join(text.split())


def _form_pattern(form: str) -> str:
    pattern = re.escape(form).replace(r"\ ", r"\s+")
    return f"(?i:{pattern})" if form.islower() else pattern


class _Vocabulary:
    """The forms of `units.tsv`, indexed and compiled into regexes once."""

    def __init__(self) -> None:
        self.forms: dict[str, list[Form]] = {}
        for row in read_table(UNITS_FILE):
            if not row.get("kind") or not row.get("form"):
                raise DataFileError(f"{UNITS_FILE}: a row needs a kind and a form: {row}")
            try:
                factor = Decimal(row.get("factor") or "1")
            except ArithmeticError:
                raise DataFileError(f"{UNITS_FILE}: factor {row['factor']!r} of {row['form']!r} is not a number") \
                    from None
            form = Form(row["kind"], row["form"], row.get("unit", ""), factor, tuple(split(row.get("flags", ""))))
            self.forms.setdefault(form.kind, []).append(form)
        self.irregular = {_key(f.form).lower(): f.unit for f in self.forms.get("irregular", [])}
        self.not_count = {f.form.lower() for f in self.forms.get("not_count", [])}
        self.not_plural = {f.form.lower() for f in self.forms.get("not_plural", [])}
        self.count_stop = {f.form.lower() for f in self.forms.get("count_stop", [])}

        currencies = self.forms.get("currency", [])
        before = [f for f in currencies if "before" in f.flags]
        after = [f for f in currencies if "after" in f.flags]
        scales = self.forms.get("scale", [])
        self.currency_before = self._regex(before, r"(?:{})\s?$", word_start=True)
        self.currency_after = self._regex(after, r"(?:\s+|-)?(?P<form>{})(?![\w$])")
        self.scale = self._regex(scales, r"(?:\s+|-)?(?P<form>{})(?![\w$])")
        self.measure = self._regex(self.forms.get("measure", []), r"(?:\s*|-)(?P<form>{})(?![\w$])")
        self.rate = self._regex(self.forms.get("rate", []), r"\s+(?P<form>{})(?!\w)")
        self.lookup = {kind: self._index(self.forms.get(kind, [])) for kind in ("currency", "scale", "measure", "rate")}
        scale_words = "|".join(_form_pattern(f.form) for f in scales if "currency" not in f.flags)
        self.number = re.compile(
            r"(?<![\w.,/:-])(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d/:]|,\d|-\d)"
            r"|(?<![\w-])(?P<vague>(?i:(?:(?:tens|hundreds)\s+of\s+(?:thousands|millions)"
            r"|dozens|hundreds|thousands|millions|billions)\s+of))(?!\w)"
            rf"|(?<![\w-])(?P<words>{number_words_pattern()}|(?i:an?)(?=\s+(?:{scale_words})\b))")

    @staticmethod
    def _regex(forms: list[Form], template: str, word_start: bool = False) -> re.Pattern:
        ordered = sorted({f.form for f in forms}, key=len, reverse=True)
        parts = [(r"(?<!\w)" if word_start and f[:1].isalpha() else "") + _form_pattern(f) for f in ordered]
        return re.compile(template.format("|".join(parts) or "(?!)"))

    @staticmethod
    def _index(forms: list[Form]) -> dict[str, Form]:
        """Exact forms first, then lower-cased forms for the case-blind ones."""
        index: dict[str, Form] = {}
        for f in forms:
            index.setdefault(_key(f.form), f)
            if f.form.islower():
                index.setdefault(_key(f.form).lower(), f)
        return index

    def find(self, kind: str, text: str) -> Form:
        table = self.lookup[kind]
        return table.get(_key(text)) or table[_key(text).lower()]


@cache
def _vocabulary() -> _Vocabulary:
    return _Vocabulary()


def singular(noun: str) -> str:
    """A plural noun made singular by the English rules ("countries" -> "country", "boxes" -> "box")."""
    lower = noun.lower()
    if lower.endswith("ies") and len(lower) > 4:
        return lower[:-3] + "y"
    if re.search(r"(ss|x|z|ch|sh)es$", lower):
        return lower[:-2]
    return lower[:-1]


def _counted_noun(text: str, pos: int) -> tuple[int, str] | None:
    """The plural noun a number counts, looked for from `pos`: (end offset, unit) or None."""
    vocabulary = _vocabulary()
    words = 0
    for m in re.compile(r"(?:\s+|-)?([A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]|\S)").finditer(text, pos):
        if m.start() != pos:
            break  # finditer skipped something: not adjacent
        pos = m.end()
        word = m.group(1)
        lower = word.lower()
        if not word[0].isalpha() or lower in vocabulary.count_stop or lower in vocabulary.not_count \
                or (words == 0 and lower in ("and", "or")) or (len(word) > 1 and word.isupper()):
            return None  # "362,500 and exports", table headings in capitals
        if lower in vocabulary.irregular:
            return m.end(), vocabulary.irregular[lower]
        plural = (lower.endswith("s") and len(lower) > 2 and lower not in vocabulary.not_plural
                  and not lower.endswith(("ss", "us", "is", "'s", "’s")))
        if plural:
            # the counted noun is in lower case ("4 attack helicopters"); "four McDonnell Douglas" is a name
            return (m.end(), singular(word)) if word[0].islower() else None
        words += 1
        if words >= COUNT_WINDOW:
            return None
    return None


def _looks_like_year(digits: str | None, scale: Form | None) -> bool:
    return bool(digits and not scale and re.fullmatch(r"(19|20)\d\d", digits))


def _scaled(number: Decimal | None, *factors: Decimal) -> float | None:
    if number is None:
        return None
    for factor in factors:
        number *= factor
    return float(number)


def find_quantities(text: str) -> list[tuple[int, int, Quantity]]:
    """The quantities of a sentence, as (start, end, Quantity) in text order.

    >>> find_quantities("Output rose to 3.5 mln barrels per day, up 74 pct.")  # doctest: +NORMALIZE_WHITESPACE
    [(15, 38, Quantity(text='3.5 mln barrels per day', value=3500000.0, unit='barrel/day')),
     (43, 49, Quantity(text='74 pct', value=74.0, unit='percent'))]
    """
    vocabulary = _vocabulary()
    times = [(t.start, t.end) for t in find_time_expressions(text, None)]
    found: list[tuple[int, int, Quantity]] = []
    for m in vocabulary.number.finditer(text):
        start, pos = m.span()
        if any(a < pos and start < b for a, b in times) or (found and start < found[-1][1]):
            continue
        if m.group("digits"):
            number: Decimal | None = Decimal(m.group("digits").replace(",", ""))
        elif m.group("words"):
            words = m.group("words")
            value = 1 if words.lower() in ("a", "an") else parse_number_words(words)
            if not value:
                continue
            number = Decimal(value)
        else:
            number = None  # "dozens of"

        currency = None
        previous_end = found[-1][1] if found else 0  # a currency before the number is not the last quantity's
        before = vocabulary.currency_before.search(text, max(previous_end, start - 8), start) \
            if m.group("digits") else None
        if before:
            currency = vocabulary.find("currency", before.group(0).strip())
            start = before.start()

        scale = None
        if number is not None and (s := vocabulary.scale.match(text, pos)):
            form = vocabulary.find("scale", s.group("form"))
            if currency or "currency" not in form.flags:
                scale, pos = form, s.end()
        factors = [scale.factor] if scale else []

        if m.group("digits") and not scale and re.match(r"[A-Za-z]", text[pos:pos + 1]) \
                and not vocabulary.measure.match(text, pos):
            continue  # "70th", "2L", "4x4"

        after = vocabulary.currency_after.match(text, pos)
        if after:
            form = vocabulary.find("currency", after.group("form"))
            if (currency is None or currency.unit == form.unit) and (scale or "scaled" not in form.flags):
                found.append((start, after.end(), Quantity(text[start:after.end()],
                                                           _scaled(number, *factors, form.factor), form.unit)))
                continue
        if currency:
            value = _scaled(number, *factors, currency.factor)
            found.append((start, pos, Quantity(text[start:pos], value, currency.unit)))
            continue
        if measure := vocabulary.measure.match(text, pos):
            form = vocabulary.find("measure", measure.group("form"))
            end, unit = measure.end(), form.unit
            if unit not in ("percent", "percentage point", "basis point") and "/" not in unit \
                    and (rate := vocabulary.rate.match(text, end)):
                end, unit = rate.end(), f"{unit}/{vocabulary.find('rate', rate.group('form')).unit}"
            found.append((start, end, Quantity(text[start:end], _scaled(number, *factors, form.factor), unit)))
            continue
        if _looks_like_year(m.group("digits"), scale):
            continue  # "1986 profits": timex.py leaves a year before a plural noun, and so do we
        if (counted := _counted_noun(text, pos)) and number != 1:  # "one rumor suggests": a verb
            end, unit = counted
            found.append((start, end, Quantity(text[start:end], _scaled(number, *factors), unit)))
            continue
        if scale:
            found.append((start, pos, Quantity(text[start:pos], _scaled(number, *factors), None)))
    return found


_LENGTHS = {"km", "m", "mile", "ft"}


def unit_kind(unit: str | None) -> str:
    """What a quantity's unit measures: money, percent, length, measure (another unit of units.tsv) or count
    (a counted noun: "helicopter")."""
    if not unit:
        return "count"
    vocab = _vocabulary()
    if any(f.unit == unit for f in vocab.forms.get("currency", [])):
        return "money"
    if unit in ("percent", "percentage point"):
        return "percent"
    if unit in _LENGTHS:
        return "length"
    base = unit.split("/")[0]
    if any(f.unit == base for f in vocab.forms.get("measure", [])):
        return "measure"
    return "count"
