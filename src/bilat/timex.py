"""Time expressions: find them in a sentence and pin each to a calendar date, month or year.

An article dates things relative to its own publication day ("on Tuesday", "last year", "in April"), so each
expression is normalised against an *anchor*, the article's publication date. Without an anchor, relative
expressions keep no value (we never guess); absolute ones ("7 April 2021", "in 1948") still resolve.

    >>> import datetime as dt
    >>> [(t.text, t.value, t.kind) for t in find_time_expressions(
    ...     "Lavrov arrived on Tuesday, the first visit in nine years.", dt.date(2021, 4, 7))]
    [('Tuesday', '2021-04-06', 'date'), ('nine years', None, 'duration')]

Conventions, where a reader could choose otherwise:

- Spans leave out a leading preposition ("In October 2018" -> `October 2018`, "on Tuesday" -> `Tuesday`,
  "over the weekend" -> `the weekend`) but keep the words that change the meaning ("last Monday",
  "early next year", "mid-2019", "since 2016").
- A value is never more precise than the text: "the end of 2019" is `2019`, "this week" is the month when the
  week lies in one month (else the year), "three years ago" is a year, "two days ago" a day.
  A value lies within the calendar, years 1 to 9999: "ten thousand years ago" keeps no value.
- A past reading is the default, as news reports what happened: "on Tuesday", "in December", "June 13" are the
  latest such day or month not after the anchor (the anchor itself counts). `prefer_future=True` (a sentence
  about plans) takes the next one instead. "last"/"next" are always strictly before/after the anchor.
- "over/at/this weekend" is the Saturday of the weekend just past (the coming one with `prefer_future`).
- Decades and centuries ("the 1990s"), quarters without a year ("first-quarter profits"), split years
  ("1987/88") and vague times ("recently", "in recent years", "previously") are expressions of kind `date` with
  value None: they are time, but no single day, month or year.
- An all-numeric date is read only when it is unambiguous: ISO `2021-04-07`; `13/6/2023` (13 is no month);
  `13.06.2023` (dots are day-first). `7/4/2021` keeps only its year, `2021`.
- Kinds: `date`; `since` ("since 2016", "since last year": the value is the start); `duration` ("nine years",
  "two-day", "many decades", "three-quarters of a century": value None); `set` ("annual", "every year").
- Words are data (`data/time_words.tsv`): month and weekday names and abbreviations, seasons, number words,
  relative words, modifiers, vague and recurring phrases. The grammar that combines them is below.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from email.utils import parsedate_to_datetime
from functools import cache, lru_cache

from .errors import DataFileError
from .knowledge import read_table, split
from .model import TimeExpression

DATE, SINCE, DURATION, SET = "date", "since", "duration", "set"
TIME_WORDS_FILE = "time_words.tsv"

# Which canonical units (time_words.tsv, kind unit) each rule accepts.
SHIFTABLE_UNITS = ("week", "month", "year", "weekend", "quarter", "decade", "century")  # "next month"
DURATION_UNITS = ("day", "week", "month", "year", "decade", "century", "hour", "minute", "weekend")
SATURDAY = 5


# ---------------------------------------------------------------------------------------------------------
# Vocabulary (data/time_words.tsv)
# ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TimeWord:
    phrase: str
    value: str
    flags: tuple[str, ...]


@cache
def time_words() -> dict[str, tuple[TimeWord, ...]]:
    """The rows of `time_words.tsv` grouped by kind."""
    out: dict[str, list[TimeWord]] = {}
    for row in read_table(TIME_WORDS_FILE):
        if not row.get("kind") or not row.get("phrase"):
            raise DataFileError(f"{TIME_WORDS_FILE}: a row needs a kind and a phrase: {row}")
        word = TimeWord(row["phrase"], row.get("value", ""), tuple(split(row.get("flags", ""))))
        out.setdefault(row["kind"], []).append(word)
    return {kind: tuple(rows) for kind, rows in out.items()}


def _words(kind: str, *, flag: str | None = None) -> list[TimeWord]:
    return [w for w in time_words().get(kind, ()) if flag is None or flag in w.flags]


def _key(phrase: str) -> str:
    """How a matched phrase is looked up: lower case, single spaces, no abbreviation dot."""
    return " ".join(phrase.lower().rstrip(".").split())


def _lookup(kind: str) -> dict[str, str]:
    return {_key(w.phrase): w.value for w in _words(kind)}


def _alternation(phrases: Iterable[str], *, ignore_case: bool = True) -> str:
    r"""A regex group matching any phrase, longest first; spaces match any white space.

    The phrases are written as a tree of their shared beginnings ("mid|middle of|mid-year" ->
    `mid(?:dle\s+of|\-year)?`), so that where no phrase starts, one test of the first character fails instead
    of one per phrase. It matches as the plain alternation "longest|...|shortest" would: the phrases that match
    at one place are each the beginning of the next, and both try them longest first.
    """
    parts = sorted(set(phrases), key=len, reverse=True)
    if (ignore_case and not all(p.isascii() for p in parts)) or any(re.search(r"[^\S ]|^ | $", p) for p in parts):
        body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)  # a tree could try them out of order
    else:
        body = _tree_regex(parts, ignore_case)
    body = body or "(?!)"
    return f"(?i:{body})" if ignore_case else f"(?:{body})"


def _tree_regex(phrases: Sequence[str], ignore_case: bool) -> str:
    """The regex of `_alternation` for phrases of ASCII characters and single spaces, as a tree."""
    root: dict = {}  # a character (lower case if ignore_case) -> (its regex, the subtree); "" ends a phrase
    for phrase in phrases:
        node = root
        for char in phrase:
            key = char.lower() if ignore_case else char
            node = node.setdefault(key, (r"\s+" if char == " " else re.escape(char), {}))[1]
        node[""] = None

    def write(node: dict) -> str:
        branches = [piece + write(child) for piece, child in (node[key] for key in node if key)]
        body = "|".join(branches)
        if "" in node and branches:
            return f"(?:{body})?"
        return f"(?:{body})" if len(branches) > 1 else body

    return write(root)


def number_words_pattern() -> str:
    """A regex (no groups) for a number written in words: "nine", "twenty-five", "two hundred", "a dozen"."""
    word = _alternation(w.phrase for kind in ("number", "multiplier") for w in _words(kind))
    return rf"(?:(?i:an?)\s+(?i:dozen|hundred|thousand)|{word}(?:[\s-]+{word})*)(?!\w)"


def parse_number_words(text: str) -> int | None:
    """The value of a number written in words, or None if it is not one.

    >>> parse_number_words("twenty-five"), parse_number_words("two hundred thousand"), parse_number_words("a dozen")
    (25, 200000, 12)
    """
    numbers = {k: int(v) for k, v in _lookup("number").items()}
    multipliers = {k: int(v) for k, v in _lookup("multiplier").items()}
    total, current, seen = 0, 0, False
    for i, word in enumerate(w for w in re.split(r"[\s-]+", text.lower()) if w):
        if word in ("a", "an") and i == 0:
            current = 1
        elif word in numbers:
            n = numbers[word]
            small = current % 100
            if seen and small and not (small % 10 == 0 and small >= 20 and n < 10):
                return None  # "five twenty", "two three"
            current += n
            seen = True
        elif word in multipliers:
            m = multipliers[word]
            if m >= 1000:
                total += (current or 1) * m
                current = 0
            else:
                current = (current or 1) * m
            seen = True
        else:
            return None
    return total + current if seen else None


# ---------------------------------------------------------------------------------------------------------
# Calendar arithmetic against the anchor
# ---------------------------------------------------------------------------------------------------------

def _day(d: dt.date) -> str:
    return d.isoformat()


def _month(year: int, month: int) -> str | None:
    return f"{year:04d}-{month:02d}" if dt.MINYEAR <= year <= dt.MAXYEAR else None


def _year(year: int) -> str | None:
    """The value of a year; None outside the calendar (years 1 to 9999: "ten thousand years ago")."""
    return f"{year:04d}" if dt.MINYEAR <= year <= dt.MAXYEAR else None


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + n
    return index // 12, index % 12 + 1


def _coarsest_common(first: dt.date, last: dt.date) -> str | None:
    """The most precise value that covers both days: their month, else their year, else None."""
    if (first.year, first.month) == (last.year, last.month):
        return _month(first.year, first.month)
    return _year(first.year) if first.year == last.year else None


def _valid_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def resolve_month_day(month: int, day: int, anchor: dt.date | None, prefer_future: bool = False) -> str | None:
    """A day of a month with no year: the latest one not after the anchor (the earliest not before it when
    `prefer_future`). "June 13" with anchor 2023-06-13 is 2023-06-13; "December 30" is 2022-12-30."""
    if anchor is None:
        return None
    days = [d for y in (anchor.year - 1, anchor.year, anchor.year + 1) if (d := _valid_date(y, month, day))]
    days = [d for d in days if (d >= anchor if prefer_future else d <= anchor)]
    if not days:
        return None
    return _day(min(days) if prefer_future else max(days))


def resolve_month(month: int, shift: int | None, anchor: dt.date | None, prefer_future: bool = False) -> str | None:
    """A month name without a year. `shift` None: the latest such month not after the anchor's month ("in
    December", anchor 2023-06-13 -> 2022-12), or the next one with `prefer_future`; -1 "last": strictly before;
    +1 "next": strictly after; 0 "this": the anchor's year."""
    if anchor is None:
        return None
    year = anchor.year
    if shift == 0:
        pass
    elif shift == -1 or (shift is None and not prefer_future):
        if month > anchor.month or (shift == -1 and month == anchor.month):
            year -= 1
    elif month < anchor.month or (shift == 1 and month == anchor.month):
        year += 1
    return _month(year, month)


def resolve_weekday(weekday: int, shift: int | None, anchor: dt.date | None, prefer_future: bool = False) -> str | None:
    """A weekday: plain ("on Tuesday") is the latest such day not after the anchor, or the next one not before it
    with `prefer_future`; "last" strictly before; "next"/"coming" strictly after; "this" in the anchor's week
    (Monday to Sunday)."""
    if anchor is None:
        return None
    back = (anchor.weekday() - weekday) % 7  # days since the latest such weekday, 0 if today
    ahead = (weekday - anchor.weekday()) % 7
    if shift == 0:
        return _day(anchor + dt.timedelta(days=weekday - anchor.weekday()))
    if shift == -1:
        return _day(anchor - dt.timedelta(days=back or 7))
    if shift == 1:
        return _day(anchor + dt.timedelta(days=ahead or 7))
    return _day(anchor + dt.timedelta(days=ahead) if prefer_future else anchor - dt.timedelta(days=back))


def resolve_weekend(shift: int | None, anchor: dt.date | None, prefer_future: bool = False) -> str | None:
    """The Saturday of a weekend: "over the weekend"/"this weekend" the one just past (or under way), the coming
    one with `prefer_future`; "last weekend" the one before the latest; "next weekend" the one after the coming."""
    if anchor is None:
        return None
    latest = anchor - dt.timedelta(days=(anchor.weekday() - SATURDAY) % 7)
    in_weekend = anchor.weekday() >= SATURDAY
    if shift == -1:
        return _day(latest - dt.timedelta(days=7) if in_weekend else latest)
    if shift == 1:
        return _day(latest + dt.timedelta(days=7))
    if prefer_future and not in_weekend:
        return _day(latest + dt.timedelta(days=7))
    return _day(latest)


def resolve_unit(unit: str, shift: int, anchor: dt.date | None, prefer_future: bool = False) -> str | None:
    """"last/this/next" + a unit: a year, a month, the month or year of a week, the year of a quarter; decades and
    centuries have no value."""
    if anchor is None:
        return None
    if unit == "year":
        return _year(anchor.year + shift)
    if unit == "month":
        return _month(*_add_months(anchor.year, anchor.month, shift))
    if unit == "week":
        monday = anchor - dt.timedelta(days=anchor.weekday()) + dt.timedelta(weeks=shift)
        return _coarsest_common(monday, monday + dt.timedelta(days=6))
    if unit == "weekend":
        return resolve_weekend(shift or None, anchor, prefer_future)
    if unit == "quarter":
        return _year(anchor.year + ((anchor.month - 1) // 3 + shift) // 4)
    return None


def resolve_offset(n: int, unit: str, anchor: dt.date | None) -> str | None:
    """`n` units from the anchor ("two days ago" is n = -2): a day for days and weeks, a month for months, a year
    for years, the anchor's day for hours and minutes; decades and centuries have no value."""
    if anchor is None:
        return None
    if unit in ("day", "week"):
        try:
            return _day(anchor + dt.timedelta(days=n * (7 if unit == "week" else 1)))
        except OverflowError:  # "nine hundred thousand weeks ago": before the calendar's first day
            return None
    if unit == "month":
        return _month(*_add_months(anchor.year, anchor.month, n))
    if unit == "year":
        return _year(anchor.year + n)
    if unit in ("hour", "minute"):
        return _day(anchor)
    return None


# ---------------------------------------------------------------------------------------------------------
# Grammar
# ---------------------------------------------------------------------------------------------------------

@dataclass
class _Context:
    text: str
    anchor: dt.date | None
    prefer_future: bool


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    value: str | None
    kind: str = DATE


Handler = Callable[[re.Match, _Context], "tuple[str | None, str] | None"]


@dataclass(frozen=True)
class _Rule:
    name: str
    pattern: re.Pattern
    handle: Handler  # (value, kind), or None when the match is not a time expression after all
    needs: tuple[str, ...]  # the quick test: every match holds one of these words; () when there is none


# The quick test. Most rules cannot match most sentences: every match of "ago" holds "ago", "from", "earlier" or
# "later", every year a 1 or a 2. So a rule lists such words (`needs`), and runs only on a text that holds one.
# The words are lower-case ASCII letters and digits, looked for in the text's `_folded` form, so they are found
# however a case-insensitive pattern matched them.
_ALPHANUMERIC = re.compile(r"[a-z0-9]+")
# The characters besides A-Z that re's IGNORECASE takes for a Latin letter: İ and ı for i, ſ for s, the Kelvin
# sign for k (tests/test_timex.py checks that there are no others).
_FOLD = str.maketrans("\u0130\u0131\u017f\u212a", "iisk")


def _folded(text: str) -> str:
    """`text` in lower case, with every character that a pattern can read as a Latin letter made that letter."""
    return (text if text.isascii() else text.translate(_FOLD)).lower()


def _needs(phrases: Iterable[str]) -> tuple[str, ...]:
    """The quick test of a rule each of whose matches holds one of `phrases` (in any case; a space stands for
    any white space): the longest run of letters and digits of each phrase, in lower case, without the runs that
    hold a shorter one ("today" goes when "day" is there). () (the rule always runs) if a phrase has no such run
    or is not ASCII."""
    words = set()
    for phrase in phrases:
        runs = _ALPHANUMERIC.findall(phrase.lower()) if phrase.isascii() else []
        if not runs:
            return ()
        words.add(max(runs, key=len))
    return tuple(sorted(w for w in words if not any(other in w for other in words if other != w)))


class _Grammar:
    """The compiled rules. Built once from the vocabulary."""

    def __init__(self) -> None:
        months = _words("month")
        weekdays = _words("weekday")
        self.months = {w.phrase: int(w.value) for w in months}
        self.context_months = {w.phrase for w in months if "context" in w.flags}
        self.weekdays = {w.phrase: int(w.value) for w in weekdays}
        self.seasons = {_key(w.phrase): int(w.value) for w in _words("season")}
        self.context_seasons = {_key(w.phrase) for w in _words("season", flag="context")}
        self.relative_days = {k: int(v) for k, v in _lookup("relative_day").items()}
        self.shifts = {k: int(v) for k, v in _lookup("shift").items()}
        self.units = _lookup("unit")
        self.not_after_year = set(_lookup("not_after_year"))

        def month_name(abbreviations: bool) -> str:
            names = _alternation((w.phrase for w in months if "abbr" not in w.flags), ignore_case=False)
            if abbreviations:  # "Sept." takes a full stop, "December." does not (it ends the sentence)
                short = _alternation((w.phrase for w in months if "abbr" in w.flags), ignore_case=False)
                names = rf"{names}(?![A-Za-z])|{short}(?![A-Za-z])\.?"
            return rf"(?<![A-Za-z])(?P<month>{names})(?![A-Za-z])"

        month_any = month_name(True)
        month_names = [w.phrase for w in months]
        full_month_names = [w.phrase for w in months if "abbr" not in w.flags]
        weekday_names = [w.phrase for w in weekdays if "abbr" not in w.flags]
        weekday_full = _alternation(weekday_names, ignore_case=False)
        weekday_any = _alternation((w.phrase for w in weekdays), ignore_case=False)
        day = r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\w:]|[.,]\d)"
        year = r"(?P<year>[12]\d{3})(?![\w]|[.,/-]\d)"
        wd_prefix = rf"(?:(?P<wd>{weekday_any})\.?,?\s+)?"
        modifier = _alternation(w.phrase for w in _words("modifier"))
        period_of = _alternation(w.phrase for w in _words("period_of"))
        mod = rf"(?:(?P<mod>(?i:the\s+)?{period_of}\s+|(?i:the\s+)?{modifier}(?:\s+|-)))?"
        shift = rf"(?P<shift>{_alternation(w.phrase for w in _words('shift'))})"
        unit_names = [w.phrase for w in _words("unit") if w.value in DURATION_UNITS]
        units_any = _alternation(unit_names)
        shiftable_unit_names = [w.phrase for w in _words("unit")
                                if w.value in SHIFTABLE_UNITS and _key(w.phrase) == w.value]
        units_shiftable = _alternation(shiftable_unit_names)
        # at most three digits without a thousands comma: "1986 year" is a year, not a count of years
        number = rf"(?:(?<![\d,.])(?:\d{{1,3}},\d{{3}}|\d{{1,3}}(?:\.\d+)?)(?![\d,])|{number_words_pattern()})"
        quantifier = _alternation(w.phrase for w in _words("quantifier"))
        count = rf"(?P<num>{number}|{quantifier}|(?i:an?))"
        pod = rf"(?:\s+(?P<pod>{_alternation(w.phrase for w in _words('part_of_day'))}))?"
        ordinal = _alternation(w.phrase for w in _words("ordinal"))
        season_names = [w.phrase for w in _words("season")]
        season = _alternation(season_names)
        anaphoric = _alternation(w.phrase for w in _words("anaphoric"))
        vague_phrases = [w.phrase for w in _words("vague")]
        set_phrases = [w.phrase for w in _words("set")]
        year_digits = ("1", "2")  # a year's first digit: [12]\d{3}
        cues = [w.phrase for w in _words("cue")]
        strong = [w.phrase for w in _words("cue", flag="strong")]
        self.cue_before = self._cue_regex(cues)
        self.strong_cue_before = self._cue_regex(strong)

        def rule(name: str, pattern: str, handle: Handler, needs: Iterable[str]) -> _Rule:
            """`needs`: phrases one of which every match of `pattern` contains (see `_needs`)."""
            return _Rule(name, re.compile(pattern), handle, _needs(needs))

        self.rules = [
            rule("iso", r"(?<![\w.-])(?P<year>[12]\d{3})(?P<sep>[-/.])(?P<month>0?[1-9]|1[0-2])(?P=sep)"
                        r"(?P<day>3[01]|[12]\d|0?[1-9])(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
                        r"(?![\w]|[/.-]\d)", self._full_date, year_digits),
            rule("numeric", r"(?<![\w/.-])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)" + year, self._numeric,
                 year_digits),
            rule("month_day", rf"(?<!\w){wd_prefix}{month_any}\s+{day}(?:,?\s+{year})?", self._full_date,
                 month_names),
            rule("day_month", rf"(?<![\w.,/$€£-]){wd_prefix}(?:the\s+)?{day}(?:\s+of)?\s+{month_any}"
                              rf"(?:,?\s+{year})?",
                 self._full_date, month_names),
            rule("month_year", rf"(?<!\w){mod}{month_any}(?:,?\s+|\s+of\s+){year}", self._full_date, month_names),
            rule("month", rf"(?<!\w){mod}(?:{shift}\s+)?{month_name(False)}", self._month, full_month_names),
            rule("year", rf"(?<![\w$€£¥.,/])(?<!\d-){mod}(?:(?i:fiscal(?:\s+year)?|FY)\s*)?{year}(?!%)",
                 self._year, year_digits),
            rule("year_span", r"(?<![\w$€£.,/-])[12]\d{3}\s*[-/–]\s*(?:[12]\d{3}|\d{2})(?![\w%]|[.,/-]\d)",
                 self._no_value, year_digits),
            rule("quarter_year", rf"(?<!\w)[QH][1-4]\s+{year}", self._full_date, year_digits),
            rule("quarter", rf"(?<!\w)(?i:the\s+)?{ordinal}[\s-]+(?i:quarter|half)(?!\w)", self._no_value,
                 ("quarter", "half")),
            rule("decade", rf"(?<!\w){mod}(?i:the\s+)?(?:(?:1\d|20)\d0s|['’]\d0s|(?<=the )\d0s)(?!\w)",
                 self._no_value, ("0s",)),
            rule("century", rf"(?<!\w){mod}(?i:the\s+)(?:\d{{1,2}}(?:st|nd|rd|th)|{ordinal})[\s-]+(?i:century)(?!\w)",
                 self._no_value, ("century",)),
            rule("season", rf"(?<!\w){mod}(?:{shift}\s+)?(?i:the\s+)?(?P<season>{season})"
                           rf"(?:(?:\s+of)?,?\s+{year})?(?!\w)", self._season, season_names),
            rule("relative_day", rf"(?<!\w){mod}(?P<rel>{_alternation(self.relative_days)}){pod}(?!\w)",
                 self._relative_day, self.relative_days),
            rule("shift_unit", rf"(?<!\w){mod}{shift}\s+(?P<unit>{units_shiftable})(?!\w)", self._shift_unit,
                 shiftable_unit_names),
            rule("period_of_unit", rf"(?<!\w){mod}(?i:the)\s+(?P<unit>(?i:year|month|week))(?!\w)",
                 self._period_of_unit, ("year", "month", "week")),
            rule("weekend", r"(?<!\w)(?i:the\s+weekend)(?!\w)", self._weekend, ("weekend",)),
            rule("weekday", rf"(?<!\w){mod}(?:{shift}\s+)?(?P<wd>{weekday_full}){pod}(?!\w)", self._weekday,
                 weekday_names),
            rule("ago", rf"(?<!\w){count}[\s-]+(?P<unit>{units_any})\s+"
                        rf"(?P<dir>(?i:ago|from\s+now|earlier|later))(?!\w)",
                 self._ago, ("ago", "from now", "earlier", "later")),
            rule("anaphoric", rf"(?<!\w)(?i:the\s+)(?P<which>{anaphoric}|(?i:past|last))\s+(?P<unit>{units_any})(?!\w)",
                 self._anaphoric, unit_names),
            rule("duration", rf"(?<!\w)(?i:the\s+(?:past|last|next|coming|first|final|previous|following)\s+)?"
                             rf"{count}[\s-]+(?P<unit>{units_any})(?i:[\s-]+long|-old)?(?!\w)", self._duration,
                 unit_names),
            rule("fraction", r"(?<!\w)(?i:the\s+(?:past|last|next|coming)\s+)?(?i:(?:(?:three|one|a)[\s-])?quarters?\s+"
                             r"of\s+an?\s+|half\s+an?\s+|an?\s+(?:quarter|half)[\s-]+)"
                             r"(?P<unit>(?i:century|decade|year|month|hour|day))(?!\w)", self._duration,
                 ("quarter", "half")),
            rule("bare_duration", r"(?<!\w)(?i:for|over)\s+"
                                  r"(?P<x>(?i:years|decades|months|weeks|days|centuries|hours))(?!\w)",
                 self._duration, ("years", "decades", "months", "weeks", "days", "centuries", "hours")),
            rule("vague", rf"(?<!\w){_alternation(vague_phrases)}(?!\w)", self._no_value, vague_phrases),
            rule("set", rf"(?<!\w)(?:{_alternation(set_phrases)}|(?i:every|each)\s+"
                        rf"(?i:other\s+|single\s+)?(?:{number}\s+)?(?:{units_any}))(?!\w)", self._set,
                 [*set_phrases, "every", "each"]),
        ]

        self.always = frozenset(i for i, rule in enumerate(self.rules) if not rule.needs)
        self.rules_for_word = lru_cache(maxsize=1 << 14)(self._rules_for_word)
        self._rule_sets: dict[frozenset[int], frozenset[int]] = {}  # one copy of each, as the cache keeps many

    def _rules_for_word(self, word: str) -> frozenset[int]:
        """The rules (their indexes) with one of their `needs` in `word`."""
        rules = frozenset(i for i, rule in enumerate(self.rules) if any(need in word for need in rule.needs))
        return self._rule_sets.setdefault(rules, rules)

    def rules_to_try(self, text: str) -> frozenset[int]:
        """The rules (their indexes) that can match in `text`: those with one of their `needs` in it, and those
        without needs. A need is letters and digits, so it lies within one of the text's runs of letters and
        digits; each distinct run is looked up once (cached, as sentences share most of their words)."""
        return self.always.union(*map(self.rules_for_word, set(_ALPHANUMERIC.findall(_folded(text)))))

    @staticmethod
    def _cue_regex(cues: Sequence[str]) -> re.Pattern:
        words = [c for c in cues if c[:1].isalpha()]
        marks = [c for c in cues if not c[:1].isalpha()]
        alternatives = [rf"(?<!\w){_alternation(words)}"] + ([_alternation(marks)] if marks else [])
        return re.compile(rf"(?:{'|'.join(alternatives)})[\s-]+$")

    # -- context ------------------------------------------------------------------------------------------

    def has_cue(self, text: str, start: int, *, strong: bool = False) -> bool:
        before = text[max(0, start - 20):start]
        return bool((self.strong_cue_before if strong else self.cue_before).search(before))

    # -- handlers: (value, kind) or None ------------------------------------------------------------------

    def _month_number(self, m: re.Match) -> int:
        name = m.group("month")
        return int(name) if name.isdigit() else self.months[name.rstrip(".")]

    def _full_date(self, m: re.Match, ctx: _Context) -> tuple[str | None, str] | None:
        groups = m.groupdict()
        year = int(groups["year"]) if groups.get("year") else None
        month = self._month_number(m) if groups.get("month") else None
        day = int(groups["day"]) if groups.get("day") else None
        if month is None:  # quarter_year: Q1 2022
            return _year(year), DATE  # type: ignore[arg-type]
        if day is None:
            return _month(year, month), DATE  # type: ignore[arg-type]
        if year is None:
            return resolve_month_day(month, day, ctx.anchor, ctx.prefer_future), DATE
        date = _valid_date(year, month, day)
        return (_day(date) if date else None), DATE  # "February 30, 2021": a date, but not one we can pin

    def _numeric(self, m: re.Match, ctx: _Context) -> tuple[str | None, str] | None:
        a, b, year = int(m.group("a")), int(m.group("b")), int(m.group("year"))
        if m.group("sep") == "." or (a > 12 >= b) or a == b:
            day, month = a, b
        elif b > 12 >= a:
            day, month = b, a
        else:
            return _year(year), DATE  # 7/4/2021: day and month cannot be told apart
        date = _valid_date(year, month, day)
        return (_day(date), DATE) if date else None

    def _month(self, m: re.Match, ctx: _Context) -> tuple[str | None, str] | None:
        name = m.group("month").rstrip(".")
        shift = self.shifts[_key(m.group("shift"))] if m.group("shift") else None
        cued = m.group("mod") or m.group("shift") or self.has_cue(ctx.text, m.start())
        if name in self.context_months and not cued:
            return None  # "President Putin May", "Long March"
        return resolve_month(self.months[name], shift, ctx.anchor, ctx.prefer_future), DATE

    def _year(self, m: re.Match, ctx: _Context) -> tuple[str | None, str] | None:
        year = int(m.group("year"))
        if m.group("mod") or m.group(0)[:1].isalpha() or self.has_cue(ctx.text, m.start(), strong=True):
            return (_year(year), DATE) if 1000 <= year <= 2199 else None
        if not 1900 <= year <= 2099:
            return None  # a bare "1805" or "2130" in a table is more likely a count or a time
        following = re.match(r"\s*(%|[a-z]+)", ctx.text[m.end():])
        if following:
            word = following.group(1)
            if word == "%" or word in self.not_after_year or (word.endswith("s") and not word.endswith("ss")):
                return None  # "2000 troops", "1500 km"
        return _year(year), DATE

    def _no_value(self, m: re.Match, ctx: _Context) -> tuple[str | None, str]:
        return None, DATE

    def _season(self, m: re.Match, ctx: _Context) -> tuple[str | None, str] | None:
        season = _key(m.group("season"))
        first_month = self.seasons[season]
        if m.group("year"):
            return _year(int(m.group("year"))), DATE
        if season in self.context_seasons or not m.group("shift"):
            return None  # "fall", "spring" alone are not dated seasons
        shift = self.shifts[_key(m.group("shift"))]
        if ctx.anchor is None or first_month == 12:
            return None, DATE  # winter straddles two years
        last_month = first_month + 2
        year = ctx.anchor.year
        if shift == -1 and ctx.anchor.month <= last_month:
            year -= 1
        elif shift == 1 and ctx.anchor.month >= first_month:
            year += 1
        return _year(year), DATE

    def _relative_day(self, m: re.Match, ctx: _Context) -> tuple[str | None, str]:
        offset = self.relative_days[_key(m.group("rel"))]
        return (_day(ctx.anchor + dt.timedelta(days=offset)) if ctx.anchor else None), DATE

    def _shift_unit(self, m: re.Match, ctx: _Context) -> tuple[str | None, str]:
        unit = self.units[_key(m.group("unit"))]
        return resolve_unit(unit, self.shifts[_key(m.group("shift"))], ctx.anchor, ctx.prefer_future), DATE

    def _period_of_unit(self, m: re.Match, ctx: _Context) -> tuple[str | None, str] | None:
        if not m.group("mod"):
            return None  # "the year" alone refers to the story, not to the anchor
        return resolve_unit(self.units[_key(m.group("unit"))], 0, ctx.anchor, ctx.prefer_future), DATE

    def _weekend(self, m: re.Match, ctx: _Context) -> tuple[str | None, str]:
        return resolve_weekend(None, ctx.anchor, ctx.prefer_future), DATE

    def _weekday(self, m: re.Match, ctx: _Context) -> tuple[str | None, str]:
        shift = self.shifts[_key(m.group("shift"))] if m.group("shift") else None
        return resolve_weekday(self.weekdays[m.group("wd")], shift, ctx.anchor, ctx.prefer_future), DATE

    def _count(self, text: str) -> int | None:
        text = text.strip().lower()
        if text in ("a", "an"):
            return 1
        if re.fullmatch(r"\d+", text):
            return int(text)
        return parse_number_words(text)

    def _ago(self, m: re.Match, ctx: _Context) -> tuple[str | None, str]:
        direction = _key(m.group("dir"))
        n = self._count(m.group("num"))
        if direction in ("earlier", "later") or n is None:
            return None, DATE  # "two days later": relative to the story; "several years ago": not pinned
        unit = self.units[_key(m.group("unit"))]
        return resolve_offset(-n if direction == "ago" else n, unit, ctx.anchor), DATE

    def _anaphoric(self, m: re.Match, ctx: _Context) -> tuple[str | None, str]:
        """"the following year" (a date of the story) or "the past year" (a stretch up to the anchor)."""
        return None, DURATION if _key(m.group("which")) in ("past", "last") else DATE

    def _duration(self, m: re.Match, ctx: _Context) -> tuple[str | None, str]:
        return None, DURATION

    def _set(self, m: re.Match, ctx: _Context) -> tuple[str | None, str]:
        return None, SET


@cache
def _grammar() -> _Grammar:
    return _Grammar()


_SINCE_BEFORE = re.compile(r"(?i:(?<!\w)(?:ever\s+)?since\s+)$")


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def find_time_expressions(text: str, anchor: dt.date | None, *, prefer_future: bool = False,
                          ignore: Sequence[tuple[int, int]] = ()) -> list[TimeExpression]:
    """The time expressions of one sentence (`_find_time_expressions`). A sentence in capitals (a wire title)
    is read in title case, since the grammar knows month and weekday names by their capital letter; the names
    that are also words ("MAY", "MARCH") still need a cue there, as everywhere (data/time_words.tsv).

    >>> import datetime as dt
    >>> [t.text for t in find_time_expressions("PRICES ROSE ONE PCT IN MARCH, TALKS MAY RESUME", dt.date(1987, 4, 7))]
    ['MARCH']
    """
    if not any(c.islower() for c in text) and any(c.isupper() for c in text):
        cased = text.title()
        if len(cased) == len(text):
            return [replace(t, text=text[t.start:t.end])
                    for t in _find_time_expressions(cased, anchor, prefer_future=prefer_future, ignore=ignore)]
    return _find_time_expressions(text, anchor, prefer_future=prefer_future, ignore=ignore)


def _find_time_expressions(text: str, anchor: dt.date | None, *, prefer_future: bool = False,
                           ignore: Sequence[tuple[int, int]] = ()) -> list[TimeExpression]:
    """The time expressions of one sentence, in text order, without overlaps (the longest match wins), each
    normalised against `anchor` (the publication date; None when it is unknown or not trusted).

    `prefer_future` reads bare weekdays, months and days forward (a sentence about plans); `ignore` lists
    character spans to skip (a dateline: "Moscow, June 13").

    >>> import datetime as dt
    >>> [(t.text, t.value, t.kind) for t in find_time_expressions(
    ...     "Drills have been held every year since 2016, and in December.", dt.date(2023, 6, 13))]
    [('every year', None, 'set'), ('since 2016', '2016', 'since'), ('December', '2022-12', 'date')]
    """
    if isinstance(anchor, dt.datetime):
        anchor = anchor.date()
    grammar = _grammar()
    ctx = _Context(text, anchor, prefer_future)
    found: list[tuple[int, int, int, _Found]] = []
    to_try = grammar.rules_to_try(text)
    for order, rule in enumerate(grammar.rules):
        if order not in to_try:
            continue
        for m in rule.pattern.finditer(text):
            start, end = m.span("x") if "x" in rule.pattern.groupindex else m.span()
            if start == end or any(_overlaps((start, end), span) for span in ignore):
                continue
            result = rule.handle(m, ctx)
            if result is not None:
                found.append((-(end - start), start, order, _Found(start, end, *result)))
    chosen: list[_Found] = []
    for *_, candidate in sorted(found, key=lambda f: f[:3]):
        if not any(_overlaps((candidate.start, candidate.end), (c.start, c.end)) for c in chosen):
            chosen.append(candidate)
    out = []
    for c in sorted(chosen, key=lambda c: c.start):
        start, kind = c.start, c.kind
        since = _SINCE_BEFORE.search(text, 0, c.start)
        if kind == DATE and since and not any(_overlaps((since.start(), c.start), span) for span in ignore):
            start, kind = since.start(), SINCE
        out.append(TimeExpression(start, c.end, text[start:c.end], c.value, kind))
    return out


def parse_date(text: str) -> dt.date | None:
    """The date of a string that gives one full date (a page's date line), or None.

    Takes ISO 8601 (`2021-04-07T10:00:00Z`), written dates with or without a weekday or a time
    (`June 13, 2023 11:57 AM`, `Saturday, December 2, 2023`, `07 April 2021`, `Updated 07 April 2021`) and
    RFC 822 feed dates (`Wed, 07 Apr 2021 10:00:00 +0000`). The first full date in the string wins; a string
    with only a month or a year gives None.

    >>> parse_date("Published: June 13, 2023 11:57 AM")
    datetime.date(2023, 6, 13)
    """
    text = text.strip()
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    for expression in find_time_expressions(text, None):
        if expression.kind == DATE and expression.value and len(expression.value) == 10:
            return dt.date.fromisoformat(expression.value)
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None
