"""The clean stage: a `Document` in, an `Article` out (title, dates, outlet, byline, dateline, body text).

    clean(document) -> Article

Input is either text already extracted from a web page, page furniture included (the seeds), or HTML, which
trafilatura extracts first (its title, date, author, site name and URL are kept as page metadata); an HTML
fragment (a feed entry's summary) is only turned into lines of text. All then go through the same line rules. What a record's container said (`document.metadata`: `title`, `date`, `url`,
`outlet`, `byline`) wins over anything guessed from the page.

The markers of page furniture are data, not code: `data/boilerplate.tsv` (kinds of rule, their meaning and one
pattern a line; see its header) and `data/agencies.tsv` (wire agencies, to tell an agency from a person).
`BILAT_DATA_DIR` may hold replacements of both. The mechanisms, in the order they apply:

1. Lines. Hard-wrapped plain text (old wire copy, e-mail: short lines running into each other) is first
   joined into paragraphs (`unwrap`). The text is split into lines, each stripped of white space
   (non-breaking and zero-width spaces included) at its ends; nothing inside a line is ever changed. Control
   characters are first taken out of the text and the container's fields: those that break lines (form
   feed, `\x1c`) become line breaks, the others (NUL, escape, DEL) are removed. Kept lines become the body's
   paragraphs, joined by blank lines.
2. Title. The first substantial line (at least four words, or 25 characters) that is no date, byline or
   furniture line is the headline. Short lines above it (`City`, `Epaper`, `Home`) are navigation and dropped;
   a bare date line above it (`Saturday, December 2, 2023`) is the site's current-date widget (see 6). When
   that first substantial line is already running text, the last short line of three words or more above it is
   the headline (`Putin visits Pakistan`). A short `| Site name` suffix is cut off the headline. A title given
   by the container or the HTML wins; then the first line is the headline only if it says the same (otherwise
   the text is all body). A text that is a single paragraph of running text has no headline: it is all body.
   Every later copy of the title (normalised: case, quotes, spaces), alone or with a
   site suffix, is furniture.
3. Repeats and teasers. A line repeated verbatim is furniture after its first occurrence. A truncated teaser,
   a line ending in `...` or `…` whose start is the start of another line, is dropped.
4. Date and byline lines. A short line made of parts separated by `|`, `/`, `•` or `·`, each a labelled date
   (`Published: June 13, 2023 11:57 AM`, `Updated 07 April 2021`, `Posted on 3 March 2022 by Jane Doe`), a
   byline (`By IANS`, `By Jane Doe, Reuters`), a bare date, a time, an agency name or, beside one of those, a
   name (`Dawn.com | Reuters`), gives those facts and is dropped. A byline must look like names (capitalised
   words), so `By the end of 2023, ...` stays text. In the header zone (under the headline, before the second
   paragraph of prose) a names-only line next to a date line is the byline (`Jane Doe in Moscow`), and a bare
   date line is the publication date; further down, a bare date line is kept as text.
5. Marker lines (`boilerplate.tsv`), first match in file order: `drop` one line (a line whose `|`/`·` parts
   are each `drop` furniture counts too); `section`, the heading of a box of links, drops the headline-like
   lines after it until a line ending a sentence; `end` drops the rest of the page, but only when at least
   half of the page's prose lies above it (otherwise it acts as a `section`, so a marker high on the page never
   costs the article); `caption` drops a photo caption (a credit `(Photo: ...)`, `REUTERS/Name`, position
   markers `(2L)`, `(R)`); `credit_or_caption` is a line ending in a bare agency credit (`(AFP)`, `— AFP`): a
   caption, unless no prose follows it, in which case it is the story's own closing credit and is kept;
   `credit` drops a credit line (`— AFP`, `(With inputs from PTI)`, `Source: Al Jazeera`).
6. Publication date, in order of trust: the container's date; the HTML's date (trafilatura, from the markup,
   without its guessing from the visible text); a `published` label; an `updated` label; a dateline with a
   year; a bare date line in the header zone. All of these give `published_confidence` `high`. A bare date
   line above the headline is recorded as `page_date` only: unless a labelled date agrees with it,
   `published` stays None with confidence `low`, and `notes` says why. A dateline with month and day
   (`Moscow, June 13`) and dates in photo captions support a date when they agree. A dateline more than a day
   away from a labelled date makes it `low` (from metadata: a note only); when the label is only an update
   date, the dateline's earlier day is taken instead.
7. Outlet and byline. The outlet is the container's, else a wire agency named as the story's author or
   source: in the byline (`By IANS`), in the dateline (`MOSCOW (Reuters) -`), or in a credit line or closing
   credit (`— AFP`); else a `Source:` line; else the HTML's site name. An agency only cited in the text (`as
   reported by TASS`) or credited for a photo is never the outlet. The byline is the container's, else the
   byline line, else the HTML's author, else `Reporting by ...`, else a desk or agency credit.
8. Dateline. The first of the first three kept paragraphs that is running text (at least PROSE_MIN_WORDS
   words) and opens with a dateline (`ISLAMABAD: ...`, `MOSCOW (Reuters) - ...`, `Moscow, June 13 Russia has
   ...`, `WASHINGTON — ...`, `Islamabad: The ...`) gives `dateline`, the place as written. The paragraph itself
   is kept whole. A container's `dateline` (`TOKYO, March 3 -`) wins.

`explain(document)` lists every line with what was done to it and why: the tool to use when adding a rule.
"""
from __future__ import annotations

import email.utils
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache

try:  # the parser of the `re` module and its opcodes, to read patterns with (see "screening a rule"): private,
    from re import _constants as sre  # but the same in Python 3.11 to 3.13
    from re import _parser as sre_parser
except ImportError:  # a `re` without them: no rule is screened, every one is tried
    sre = sre_parser = None

from .errors import DataFileError, InputError
from .knowledge import read_table, split
from .model import HIGH, LOW, Article, Document

BOILERPLATE_FILE = "boilerplate.tsv"
AGENCIES_FILE = "agencies.tsv"

LINE_KINDS = ("drop", "section", "end", "caption", "credit_or_caption", "credit")
_LINE_KIND_SET = frozenset(LINE_KINDS)
_REMEMBERED_TEXTS = 4096  # `Rules.first` remembers what the line rules found in this many texts
META_KINDS = ("published", "updated", "byline")
RULE_KINDS = (*LINE_KINDS, *META_KINDS, "dateline", "tail")

TITLE_MIN_WORDS = 4
TITLE_MIN_CHARS = 25
SHORT_TITLE_WORDS = 3  # a shorter headline is taken only when running text follows it at once
PROSE_MIN_WORDS = 12  # a line this long that ends a sentence is article prose, not a headline in a list
META_MAX_WORDS = 30  # a date/byline line is short
END_MIN_PROSE_ABOVE = 0.5  # share of the page's prose an `end` marker must have above it
DATELINE_PARAGRAPHS = 3
HEADER_PROSE = 2  # a standfirst may come before the byline and date lines
WRAP_MIN_LINES, WRAP_MAX_WIDTH, WRAP_FULL_SHARE, WRAP_BROKEN_SHARE = 5, 100, 0.6, 0.25  # see `unwrap`

# --- dates ----------------------------------------------------------------------------------------------

MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
          "nov": 11, "dec": 12}
MONTH_RE = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
            r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)(?![a-z])\.?")
_WEEKDAY = (r"(?:(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)"
            r"(?![a-z])\.?,?\s+)?")
_DATE = (rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?[\s-]+(?:of\s+)?(?P<m1>{MONTH_RE})[\s,-]+(?P<y1>\d{{4}})"
         rf"|(?P<m2>{MONTH_RE})\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?[\s,]+(?P<y2>\d{{4}})"
         r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
         r"|(?P<y4>\d{4})[/.](?P<m4>\d{1,2})[/.](?P<d4>\d{1,2})"
         r"|(?P<a5>\d{1,2})[/.-](?P<b5>\d{1,2})[/.-](?P<y5>\d{4}))(?!\d)")
_TIME = (r"(?:\s*(?:,|:|\||at|-|–)?\s*\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?\s?m\.?(?![a-z]))?"
         r"(?:\s*\(?(?-i:[A-Z]{2,5})(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\)?(?![A-Za-z]))?)")
DATE_AT_START_RE = re.compile(rf"^\s*(?:{_TIME}\s*,?\s*)?{_WEEKDAY}{_DATE}{_TIME}?", re.I)
DATE_RE = re.compile(rf"(?<![\w/.-]){_DATE}", re.I)
_YEAR_RE = re.compile(r"\d\d\d\d")  # each form of _DATE has a four-digit year: a text without one holds no date
TIME_ONLY_RE = re.compile(rf"^{_TIME}\s*$", re.I)
_SEPARATORS = " \t,;|-–—·•."


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")[:3]]


def _date_from_match(m: re.Match[str]) -> date | None:
    """The date of a `_DATE` match, or None when it is no real calendar date or is ambiguous (03/04/2022)."""
    g = m.groupdict()
    try:
        if g["y1"]:
            y, mo, d = int(g["y1"]), _month(g["m1"]), int(g["d1"])
        elif g["y2"]:
            y, mo, d = int(g["y2"]), _month(g["m2"]), int(g["d2"])
        elif g["y3"]:
            y, mo, d = int(g["y3"]), int(g["m3"]), int(g["d3"])
        elif g["y4"]:
            y, mo, d = int(g["y4"]), int(g["m4"]), int(g["d4"])
        else:
            a, b, y = int(g["a5"]), int(g["b5"]), int(g["y5"])
            if a > 12 >= b or a == b:
                d, mo = a, b
            elif b > 12 >= a:
                mo, d = a, b
            else:
                return None
        if not 1900 <= y <= 2100:
            return None
        return date(y, mo, d)
    except ValueError:
        return None


def date_at_start(text: str) -> tuple[date, str] | None:
    """A date (optionally after a time or a weekday, before a time) opening `text`, and what follows it.

    >>> date_at_start("June 13, 2023 11:57 AM by Jane Doe")
    (datetime.date(2023, 6, 13), 'by Jane Doe')
    """
    m = DATE_AT_START_RE.match(text)
    if not m:
        return None
    found = _date_from_match(m)
    return (found, text[m.end():].strip(_SEPARATORS)) if found else None


def find_dates(text: str) -> list[date]:
    """Every full calendar date written in `text`, in order."""
    return [d for m in DATE_RE.finditer(text) if (d := _date_from_match(m))]


def parse_date(value: str | None) -> str | None:
    """A container's date in any common form (`2023-06-13T11:57:00Z`, RFC 822, `June 13, 2023`) -> YYYY-MM-DD."""
    if not value or not value.strip():
        return None
    value = value.strip()
    found = date_at_start(value)
    if found:
        return found[0].isoformat()
    try:
        return email.utils.parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        return None


# --- screening a rule before trying it ------------------------------------------------------------------
#
# Most lines match no rule, and trying the sixty-odd patterns of boilerplate.tsv on every line was most of the
# stage's time. So each pattern is read once (in the parsed form the `re` module compiles) for what a text needs
# for it to match, which is far cheaper to test than the pattern itself: for a pattern anchored at the start (^),
# the characters a text can open with (`Rules` tries it only on texts opening with one of them); for any other,
# literal text every match contains, one of a few choices ("cookies", "(", "/"). What the reading does not
# understand gives no screen, so a rule is skipped only where its pattern cannot match: the results are those of
# trying every pattern.

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) if sre else ()
_ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT) if sre else ()
_MAX_CHOICES = 8  # literal text in one of more choices than this (an agency's names) is not looked for


@dataclass(frozen=True)
class _Screen:
    """What a text needs for a pattern to match in it (see "screening a rule").

    `openings`: for a pattern anchored at the start, the lower-cased ASCII characters a text it matches can open
    with. `needles`: for any other pattern, literal texts of which every match contains one; when `folded`, their
    letters are lower-cased from a part of the pattern that ignores case, and they are looked for in the text in
    lower case (only an ASCII text: any other is let through). None or () when not known.
    """

    openings: frozenset[str] | None = None
    needles: tuple[str, ...] = ()
    folded: bool = False

    @classmethod
    def of(cls, pattern: re.Pattern[str]) -> _Screen:
        """The screen of a compiled pattern (an empty one when nothing is known, or the `re` module's parser is
        not the one this reads)."""
        try:
            return cls._read(pattern)
        except (AttributeError, IndexError, TypeError, ValueError, re.error):
            return cls()

    @classmethod
    def _read(cls, pattern: re.Pattern[str]) -> _Screen:
        if sre_parser is None:
            return cls()
        parsed = sre_parser.parse(pattern.pattern, pattern.flags)
        items, flags = parsed.data, parsed.state.flags
        openings = _openings(items, flags) if _anchored(items, flags) else None
        if openings is not None and "" not in openings:
            return cls(frozenset(openings))  # needles too would cost more time than they save
        need = _best_need(_needs(items, flags))
        if need is None:
            return cls()
        folded = any(fold for fold, _ in need)
        if folded and any(not fold and text.lower() != text.upper() for fold, text in need):
            return cls()  # choices ignoring case beside choices with letters in a set case: not worth it
        texts = {text for _, text in need}  # and no longer choice where a shorter one will do ("comment(s)")
        return cls(needles=tuple(sorted(t for t in texts if not any(o != t and o in t for o in texts))),
                   folded=folded)

    def lets_through(self, text: str, lowered: str | None) -> bool:
        """Whether `text` holds a needle (`lowered`: it in lower case when ASCII); openings are Rules' to test."""
        if not self.needles:
            return True
        if self.folded:
            if lowered is None:
                return True
            text = lowered
        for needle in self.needles:
            if needle in text:
                return True
        return False


def _group_flags(flags: int, group: tuple) -> int:
    """The flags inside a group (`(?-i:...)`): the parser's (group, flags added, flags removed, pattern)."""
    return (flags | group[1]) & ~group[2]


def _literal(code: int, flags: int) -> tuple[bool, str] | None:
    """How a pattern's literal character is found in a text: (False, it) when it matches only itself (case
    matters, or it has none), (True, it in lower case) for an ASCII letter ignoring case, None for another letter
    ignoring case (the Kelvin sign also matches a "k")."""
    char = chr(code)
    if not flags & re.IGNORECASE or char.lower() == char == char.upper():
        return False, char
    return (True, char.lower()) if char.isascii() else None


def _anchored(items: sre_parser.SubPattern, flags: int) -> bool:
    """Whether a parsed pattern matches only at the start of the text: ^ or \\A opens each alternative."""
    if not items or flags & re.MULTILINE:
        return False
    op, av = items[0]
    if op is sre.AT:
        return av in (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING)
    if op is sre.SUBPATTERN:
        return _anchored(av[3], _group_flags(flags, av))
    if op is sre.BRANCH:
        return all(_anchored(alternative, flags) for alternative in av[1])
    return False


def _openings(items: sre_parser.SubPattern, flags: int) -> set[str] | None:
    """The lower-cased ASCII characters a match of a parsed pattern can open with, "" among them when it can
    match an empty text; None when not known. (A text opening with another character tries every pattern.)"""
    found: set[str] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op is sre.LITERAL:
            here = _opening_keys([(op, av)], flags)
        elif op is sre.IN:
            here = _opening_keys(av, flags)
        elif op is sre.SUBPATTERN:
            here = _openings(av[3], _group_flags(flags, av))
        elif op is sre.ATOMIC_GROUP:
            here = _openings(av, flags)
        elif op is sre.BRANCH:
            keys = [_openings(alternative, flags) for alternative in av[1]]
            here = None if None in keys else set().union(*keys)
        elif op in _REPEATS:
            here = _openings(av[2], flags)
            if here is not None and av[0] == 0:
                here.add("")
        else:
            return None
        if here is None:
            return None
        found |= here - {""}
        if "" not in here:
            return found
    return found | {""}


def _opening_keys(items: list[tuple], flags: int) -> set[str] | None:
    """The lower-cased ASCII characters a set of literal characters and ranges (`[a-z—]`) matches; None when
    not known."""
    keys: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL and (literal := _literal(av, flags)):
            keys |= {literal[1].lower()} if literal[1].isascii() else set()
        elif op is sre.RANGE and (av[1] < 128 or not flags & re.IGNORECASE):
            keys |= {chr(code).lower() for code in range(av[0], min(av[1], 127) + 1)}
        else:
            return None
    return keys


def _needs(items: sre_parser.SubPattern, flags: int) -> list[tuple[tuple[bool, str], ...]]:
    """Literal text every match of a parsed pattern contains: needs, each a few choices (folded, text) of which
    a match holds one (`folded`: lower-cased, see `_literal`)."""
    needs: list[tuple[tuple[bool, str], ...]] = []
    run, run_folded = "", False  # consecutive literal characters
    for op, av in items:
        literal = _literal(av, flags) if op is sre.LITERAL else None
        if literal:
            run, run_folded = run + literal[1], run_folded or literal[0]
            continue
        if run:
            needs.append(((run_folded, run),))
            run, run_folded = "", False
        if op is sre.SUBPATTERN:
            needs += _needs(av[3], _group_flags(flags, av))
        elif op is sre.ATOMIC_GROUP:
            needs += _needs(av, flags)
        elif op in _REPEATS and av[0] >= 1:
            needs += _needs(av[2], flags)
        elif op is sre.BRANCH:
            choices = [_best_need(_needs(alternative, flags)) for alternative in av[1]]
            if None not in choices:
                needs.append(tuple(dict.fromkeys(choice for need in choices for choice in need)))
        elif op is sre.IN:
            choices = [_literal(a, flags) if item is sre.LITERAL else None for item, a in av]
            if None not in choices:
                needs.append(tuple(dict.fromkeys(choices)))
    if run:
        needs.append(((run_folded, run),))
    return needs


def _best_need(needs: list[tuple[tuple[bool, str], ...]]) -> tuple[tuple[bool, str], ...] | None:
    """The need likeliest to fail and cheapest to test: the longest shortest choice, then the fewest choices."""
    usable = [need for need in needs if len(need) <= _MAX_CHOICES]
    return min(usable, key=lambda need: (-min(len(text) for _, text in need), len(need)), default=None)


# --- rules ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One line of boilerplate.tsv."""

    kind: str
    pattern: re.Pattern[str]
    comment: str
    number: int  # its position among the file's rules, 1-based
    screen: _Screen = field(init=False, compare=False, repr=False)  # what a text needs for the pattern to match

    def __post_init__(self) -> None:
        object.__setattr__(self, "screen", _Screen.of(self.pattern))  # (the dataclass is frozen)


@dataclass(frozen=True)
class Rules:
    """The furniture markers and the agency list, compiled."""

    rules: tuple[Rule, ...]
    agencies: dict[str, str]  # every spelling (as written, and in capitals) -> the agency's name
    agency_re: re.Pattern[str]
    _by_kinds: dict[tuple[str, ...], tuple[Rule, ...]] = field(default_factory=dict, compare=False, repr=False)
    _by_opening: dict[tuple[tuple[str, ...], str], tuple[Rule, ...]] = field(default_factory=dict, compare=False,
                                                                             repr=False)
    # text -> the first rule of each line kind found in it, for the last texts looked at (see `first`)
    _line_kinds_found: dict[str, dict[str, tuple[Rule, re.Match[str]]]] = field(default_factory=dict,
                                                                                compare=False, repr=False)

    def of(self, *kinds: str) -> tuple[Rule, ...]:
        """The rules of the given kinds, in file order."""
        if kinds not in self._by_kinds:
            self._by_kinds[kinds] = tuple(r for r in self.rules if r.kind in kinds)
        return self._by_kinds[kinds]

    def first(self, text: str, *kinds: str) -> tuple[Rule, re.Match[str]] | None:
        """The first rule of the given kinds (file order) whose pattern is found in `text`.

        A line, its parts and its segments are asked about several of the line kinds in turn (`match_line`,
        `read_meta_line`), so for those kinds all their rules are tried at once and what they find remembered.
        """
        if _LINE_KIND_SET.issuperset(kinds):
            found = self._line_kinds_found.get(text)
            if found is None:
                if len(self._line_kinds_found) >= _REMEMBERED_TEXTS:
                    self._line_kinds_found.clear()
                found = self._line_kinds_found[text] = self._found(text, LINE_KINDS, every_kind=True)
        else:
            found = self._found(text, kinds, every_kind=False)
        return next((hit for kind, hit in found.items() if kind in kinds), None)

    def _found(self, text: str, kinds: tuple[str, ...], *, every_kind: bool) -> dict[str, tuple[Rule, re.Match[str]]]:
        """The first rule found in `text` (file order, with its match), or with `every_kind` that of each kind."""
        found: dict[str, tuple[Rule, re.Match[str]]] = {}
        lowered = text.lower() if text.isascii() else None
        for rule in self._may_open(text[:1], kinds):
            if rule.kind not in found and rule.screen.lets_through(text, lowered):
                m = rule.pattern.search(text)
                if m:
                    found[rule.kind] = (rule, m)
                    if not every_kind:
                        break
        return found

    def _may_open(self, opening: str, kinds: tuple[str, ...]) -> tuple[Rule, ...]:
        """The rules of the given kinds (file order) that can match in a text opening with `opening` (its first
        character): a pattern anchored at the start is left out when it cannot open with that character."""
        key = opening.lower() if opening.isascii() else ""
        if (kinds, key) not in self._by_opening:
            self._by_opening[kinds, key] = tuple(r for r in self.of(*kinds) if not key or r.screen.openings is None
                                                 or key in r.screen.openings)
        return self._by_opening[kinds, key]

    def agency_in(self, text: str) -> str | None:
        """The first agency of agencies.tsv named in `text` (as a whole word), by its canonical name."""
        m = self.agency_re.search(text)
        return self.agencies[m.group(0)] if m else None


@cache
def load_rules() -> Rules:
    """Read and compile boilerplate.tsv and agencies.tsv (once; `BILAT_DATA_DIR` may replace them)."""
    agencies: dict[str, str] = {}
    for row in read_table(AGENCIES_FILE):
        name = row.get("name", "")
        if not name:
            raise DataFileError(f"{AGENCIES_FILE}: a row has no name")
        for spelling in (name, *split(row.get("aliases", ""))):
            agencies.setdefault(spelling, name)
            agencies.setdefault(spelling.upper(), name)
    spellings = sorted(agencies, key=len, reverse=True)
    agency_alt = "(?-i:" + "|".join(re.escape(s) for s in spellings) + ")"
    agency_re = re.compile(rf"(?<![\w-]){agency_alt}(?![\w-])")
    rules = []
    for number, row in enumerate(read_table(BOILERPLATE_FILE), 1):
        kind, source = row.get("kind", ""), row.get("pattern", "")
        if kind not in RULE_KINDS:
            raise DataFileError(f"{BOILERPLATE_FILE}: rule {number}: unknown kind {kind!r} "
                                f"(one of {', '.join(RULE_KINDS)})")
        expanded = source.replace("{agency}", agency_alt).replace("{month}", MONTH_RE)
        try:
            pattern = re.compile(expanded, re.I)
        except re.error as err:
            raise DataFileError(f"{BOILERPLATE_FILE}: rule {number} ({kind}): bad pattern: {err}") from None
        if kind == "dateline" and "place" not in pattern.groupindex:
            raise DataFileError(f"{BOILERPLATE_FILE}: rule {number}: a dateline rule needs a group (?P<place>...)")
        rules.append(Rule(kind, pattern, row.get("comment", ""), number))
    return Rules(tuple(rules), agencies, agency_re)


# --- line tests -----------------------------------------------------------------------------------------

# stripped from the ends of a line: all white space ("\u2009", "\x1f" too), zero-width spaces and marks, BOM
_STRIP = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
_SENTENCE_CLOSERS = "\"'”’»)]"  # may follow the full stop (or ! or ?) that ends a sentence
_ELLIPSIS_RE = re.compile(r"(?:\.{3}|…)\s*$")
_CLOSING_CREDIT_RE = re.compile(r"\s*\([^()]{1,40}\)\s*\.?$")
_SUFFIX_RE = re.compile(r"^\s*[|\-–—:]\s*\S.{0,40}$")
_TITLE_SUFFIX_RE = re.compile(r"\s+\|\s+(?P<site>[^|]{2,40})$")
_SEGMENT_SPLIT_RE = re.compile(r"\s+[|•·/]\s+|\s*\|\s*")
_SEGMENT_MARK_RE = re.compile(r"[|•·/]")  # each separator _SEGMENT_SPLIT_RE splits at has one of these
_NOT_IN_NAMES_RE = re.compile(r"[;!?\d]")
_NAME_TOKEN_RE = re.compile(r"[^\s,&()/]+")
# control characters: the ones that break lines become line breaks, other white space a space, the rest goes
_CONTROLS = {c: "\n" if chr(c) in "\x0b\x0c\x1c\x1d\x1e\x85" else " " if chr(c).isspace() else None
             for c in range(0xa0) if unicodedata.category(chr(c)) == "Cc" and chr(c) not in "\t\n\r"}
_URL_RE = re.compile(r"https?://", re.I)
_WHOLE_PAGE_RE = re.compile(r"<(?:html|body|head)\b", re.I)
_BLOCK_TAGS = ("p", "div", "br", "hr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "blockquote", "pre",
               "section", "article", "header", "footer", "figcaption", "dd", "dt", "table", "ul", "ol")
_NAME_CONNECTORS = frozenset("and & de da del der den van von al el bin ibn in with for of the le la du y e".split())


def norm(text: str | None) -> str:
    """Text for comparing lines: NFKC, straight quotes, single spaces, lower case (as the gold scorer does)."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " ".join(text.split()).lower()  # str.split() and the regex \s agree on what white space is


def _words(text: str) -> list[str]:
    return text.split()


def _ends_sentence(line: str) -> bool:
    """Whether the line ends a sentence (a closing credit such as "(AFP)" aside), not with an ellipsis."""
    if line.rstrip().rstrip(".").rstrip().endswith(")"):  # else there is no closing credit to take off
        line = _CLOSING_CREDIT_RE.sub("", line)
    # tested on the line's end, not by a search through it: a sentence ends in . ! or ? and maybe closing
    # quotes or brackets (before a last line break, as a regex's $ allows), not in an ellipsis (_ELLIPSIS_RE)
    ends_sentence = line.removesuffix("\n").rstrip(_SENTENCE_CLOSERS).endswith((".", "!", "?"))
    return ends_sentence and not line.rstrip().endswith(("...", "…"))


def is_prose(line: str) -> bool:
    """A line of running text: at least PROSE_MIN_WORDS words, ending a sentence (not with an ellipsis)."""
    return len(_words(line)) >= PROSE_MIN_WORDS and _ends_sentence(line)


def _segments(line: str) -> list[str]:
    """The parts of a line between separators (|, /, • or ·), not stripped; the line alone when it has none."""
    return _SEGMENT_SPLIT_RE.split(line) if _SEGMENT_MARK_RE.search(line) else [line]


def _substantial(line: str) -> bool:
    return len(_words(line)) >= TITLE_MIN_WORDS or len(line) >= TITLE_MIN_CHARS


def looks_like_names(text: str) -> bool:
    """Whether a byline candidate is names or an agency ("Jane Doe, Reuters", "IANS", "Staff Reporter"),
    not the start of a sentence ("the end of 2023, trade doubled")."""
    text = text.strip(_SEPARATORS)
    if not text or len(text) > 80 or not text[0].isupper() or _NOT_IN_NAMES_RE.search(text):
        return False
    tokens = _NAME_TOKEN_RE.findall(text)
    if not tokens or len(tokens) > 10 or tokens[-1].lower() in _NAME_CONNECTORS:
        return False
    if text.endswith(".") and len(tokens[-1].rstrip(".")) > 2:
        return False
    return all(t[0].isupper() or t[0] in "'’\"" or t.lower().split("-")[0] in _NAME_CONNECTORS for t in tokens)


def unwrap(text: str) -> str:
    """Join the lines of hard-wrapped text (old wire copy, e-mail, plain-text newsletters) into paragraphs.

    Text counts as hard-wrapped when it has at least WRAP_MIN_LINES lines, none longer than WRAP_MAX_WIDTH,
    most lines run straight into the next without a blank line, and often (WRAP_BROKEN_SHARE of the lines)
    a sentence breaks across lines, the next line going on in lower case. A line is then joined to the one before
    when that one is nearly as long as the longest line and does not end a sentence, and this one is not
    indented (an indent, like a blank line, starts a paragraph). Words are never changed; a space replaces the
    line break. Any other text is returned as it is.
    """
    lines = text.splitlines()
    filled = [line.rstrip() for line in lines if line.strip()]
    if len(filled) < WRAP_MIN_LINES or max(len(line) for line in filled) > WRAP_MAX_WIDTH:
        return text
    stripped = [line.strip(_STRIP) for line in lines]
    runs = [(a, b) for a, b in zip(stripped, stripped[1:]) if a and b]
    broken = sum(1 for a, b in runs if b[:1].islower() and not _ends_sentence(a))
    if len(runs) < len(filled) / 2 or broken < WRAP_BROKEN_SHARE * len(filled):
        return text
    width = max(len(line) for line in filled)
    out: list[str] = []
    joinable = False
    for line, bare in zip(lines, stripped):
        if joinable and bare and not line[:1].isspace():
            out[-1] = f"{out[-1]} {bare}"
        else:
            out.append(line.rstrip())
        joinable = (bool(bare) and len(line.rstrip()) >= WRAP_FULL_SHARE * width
                    and not _ends_sentence(out[-1].strip(_STRIP)))
    return "\n".join(out)


def match_line(line: str, rules: Rules) -> tuple[Rule, re.Match[str]] | None:
    """The first furniture rule (drop, section, end, caption, credit) that matches a line, if any.

    A line of several parts separated by `|`, `·` or `•` (`Advertisement · Scroll to continue`) matches when
    every part matches a `drop` rule; the rule of its first part is returned.
    """
    found = rules.first(line, *LINE_KINDS)
    if found:
        return found
    parts = [p for p in (p.strip(_STRIP) for p in _segments(line)) if p]
    if len(parts) > 1:
        matches = [rules.first(p, "drop") for p in parts]
        if all(matches):
            return matches[0]
    return None


# --- what the page says about itself --------------------------------------------------------------------


@dataclass
class MetaLine:
    """What a date/byline line says."""

    published: list[date] = field(default_factory=list)
    updated: list[date] = field(default_factory=list)
    bare: list[date] = field(default_factory=list)
    byline: str | None = None
    agency: str | None = None

    @property
    def labelled(self) -> bool:
        return bool(self.published or self.updated or self.byline or self.agency)


def _byline_of(text: str, rules: Rules) -> str | None:
    found = rules.first(text, "byline")
    if found and found[1].start() == 0:
        candidate = found[1].group("byline") if "byline" in found[1].re.groupindex else found[1].group(0)
        candidate = (candidate or "").strip(_SEPARATORS)
        if looks_like_names(candidate):
            return candidate
    return None


def read_meta_line(line: str, rules: Rules) -> MetaLine | None:
    """The dates, byline and agency of a date/byline line, or None when the line is anything else.

    The line's parts (between |, /, • or ·) must each be a labelled or bare date, a byline, a time, an agency,
    furniture, or a name; names and single words ("Devdiscourse News Desk | Islamabad | Updated: ...") are
    accepted beside a labelled date or a byline, only names of two words or a domain beside anything else.

    >>> read_meta_line("By IANS | Published: June 13, 2023 11:57 AM", load_rules())
    MetaLine(published=[datetime.date(2023, 6, 13)], updated=[], bare=[], byline='IANS', agency=None)
    """
    if len(_words(line)) > META_MAX_WORDS:
        return None
    meta = MetaLine()
    names: list[str] = []
    for segment in _segments(line):
        segment = segment.strip(_SEPARATORS.replace(".", ""))
        if not segment:
            continue
        if _read_dated_segment(segment, rules, meta):
            continue
        byline = _byline_of(segment, rules)
        if byline:
            meta.byline = meta.byline or byline
            continue
        if TIME_ONLY_RE.match(segment):
            continue
        credit = rules.first(segment, "credit")
        if credit and "agency" in credit[1].re.groupindex and credit[1].group("agency"):
            meta.agency = meta.agency or rules.agency_in(credit[1].group("agency"))
            continue
        if rules.first(segment, "drop"):
            continue
        if looks_like_names(segment):
            names.append(segment)
            continue
        return None
    if not (meta.labelled or meta.bare):
        return None
    if names and not (meta.published or meta.updated or meta.byline) and not all(map(_is_name_part, names)):
        return None  # beside only a bare date or an agency, a single word may be a section name: not sure enough
    # a byline says who wrote it; else the agency; else a name beside the date ("Dawn.com | June 5, 2024")
    meta.byline = meta.byline or meta.agency or next((n for n in names if _is_name_part(n)), None)
    return meta


def _is_name_part(text: str) -> bool:
    """A part of a date/byline line that can be a name: names-like, and two words or a domain (Dawn.com)."""
    return looks_like_names(text) and (len(_words(text)) >= 2 or "." in text.strip("."))


def _byline_before_furniture(text: str, rules: Rules) -> str | None:
    """'by Olena Kovalenko Leave a Comment' -> 'Olena Kovalenko': a byline whose remainder is furniture."""
    words = _words(text)
    for k in range(len(words) - 1, 1, -1):
        rest = " ".join(words[k:])
        if rules.first(rest, "drop", "end"):
            byline = _byline_of(" ".join(words[:k]), rules)
            if byline:
                return byline
    return None


def _read_dated_segment(segment: str, rules: Rules, meta: MetaLine) -> bool:
    """A labelled or bare date, optionally followed by 'by NAME'; records it in `meta`."""
    label = rules.first(segment, "published", "updated")
    kind, rest = None, segment
    if label and label[1].start() == 0 and label[1].end() > 0:
        kind, rest = label[0].kind, segment[label[1].end():]
    found = date_at_start(rest)
    names_before = None
    if not found and kind is None:  # "Jane Doe 13 June, 2023 11:57 am IST"
        m = DATE_RE.search(segment) if _YEAR_RE.search(segment) else None
        if m and m.start() > 0 and _is_name_part(segment[:m.start()]):
            names_before, found = segment[:m.start()].strip(_SEPARATORS), date_at_start(segment[m.start():])
    if not found:
        return False
    when, after = found
    byline = None
    if after:
        byline = _byline_of(after, rules) or _byline_before_furniture(after, rules)
        if not byline:
            return False
    {"published": meta.published, "updated": meta.updated, None: meta.bare}[kind].append(when)
    if byline or names_before:
        meta.byline = meta.byline or byline or names_before
    return True


# --- the line pass --------------------------------------------------------------------------------------


@dataclass
class LineDecision:
    """What the clean stage did with one line of the (extracted) text."""

    number: int  # 1-based
    text: str
    action: str  # "title", "keep", "drop" or "blank"
    reason: str = ""


@dataclass
class _Evidence:
    widget_dates: list[date] = field(default_factory=list)
    header_dates: list[date] = field(default_factory=list)
    published_dates: list[date] = field(default_factory=list)
    updated_dates: list[date] = field(default_factory=list)
    caption_dates: list[date] = field(default_factory=list)
    byline: str | None = None
    byline_agency: str | None = None
    reporting_byline: str | None = None
    credit_agency: str | None = None
    credit_byline: str | None = None
    credit_outlet: str | None = None
    dateline: str | None = None
    dateline_agency: str | None = None
    dateline_month_day: tuple[int, int] | None = None
    dateline_year: int | None = None

    def set_dateline(self, m: re.Match[str], rules: Rules) -> None:
        """Record a dateline rule's match: the place, and the agency, month, day and year when it gives them."""
        g = m.groupdict()
        self.dateline = g["place"].strip()
        self.dateline_agency = rules.agency_in(g["agency"]) if g.get("agency") else None
        if g.get("month") and g.get("day") and 1 <= int(g["day"]) <= 31:
            self.dateline_month_day = (_month(g["month"]), int(g["day"]))
            self.dateline_year = int(g["year"]) if g.get("year") else None

    def add_meta(self, meta: MetaLine, rules: Rules, *, before_title: bool, in_header: bool) -> None:
        self.published_dates += meta.published
        self.updated_dates += meta.updated
        if before_title:
            self.widget_dates += meta.bare
        elif in_header:
            self.header_dates += meta.bare
        if meta.byline and not self.byline:
            self.byline = meta.byline
            self.byline_agency = rules.agency_in(meta.byline)
        if meta.agency and not self.credit_agency:
            self.credit_agency = meta.agency


class _Page:
    """One pass over the lines of a page, deciding each line and collecting what the page says."""

    def __init__(self, text: str, rules: Rules, known_title: str | None):
        self.rules = rules
        self.lines = [line.strip(_STRIP) for line in text.splitlines()]
        self.norms = [norm(line) for line in self.lines]
        self.decisions = [LineDecision(i + 1, line, "blank" if not line else "") for i, line in
                          enumerate(self.lines)]
        self.matches = [match_line(line, rules) if line else None for line in self.lines]
        self._metas: dict[int, MetaLine | None] = {}  # line index -> what `read_meta_line` says of it
        self.evidence = _Evidence()
        self.title: str | None = known_title.strip() if known_title and known_title.strip() else None
        self.title_norms: set[str] = {norm(self.title)} if self.title else set()
        self.kept: list[str] = []
        self._run()

    def _meta(self, i: int) -> MetaLine | None:
        """`read_meta_line` of line i (read once: the title search, the body and its neighbours all ask)."""
        if i not in self._metas:
            self._metas[i] = read_meta_line(self.lines[i], self.rules)
        return self._metas[i]

    # a decision for line i
    def _drop(self, i: int, reason: str) -> None:
        self.decisions[i].action, self.decisions[i].reason = "drop", reason

    def _keep(self, i: int, reason: str = "") -> None:
        self.decisions[i].action, self.decisions[i].reason = "keep", reason
        self.kept.append(self.lines[i])

    def _run(self) -> None:
        start = self._find_title()
        self._prose = [len(line) if line and is_prose(line) and (not self.matches[i] or
                                                                 self.matches[i][0].kind == "credit_or_caption")
                       else 0 for i, line in enumerate(self.lines)]
        self._prose_total = sum(self._prose[start:])
        self._body(start)
        self._find_dateline()
        self._find_tail_credit()

    def _find_title(self) -> int:
        """Find the headline and decide the lines above it; return the index where the body starts."""
        nonblank = [i for i, line in enumerate(self.lines) if line]
        if self.title is None and len(nonblank) == 1 and is_prose(self.lines[nonblank[0]]):
            return nonblank[0]  # one paragraph of running text (a record's text, a note) is all body
        above: list[tuple[int, MetaLine | None]] = []  # the non-blank lines above the first substantial one
        candidate = None
        for i, line in enumerate(self.lines):
            if not line:
                continue
            meta = self._meta(i)
            if meta is None and not self.matches[i] and _substantial(line):
                candidate = i
                break
            above.append((i, meta))
        shorts = [i for i, meta in above if meta is None and not self.matches[i]]
        if self.title is not None and (candidate is None or not self._says_title(candidate)):
            # the container's title is not in the text: all of it is body, from the first line
            start = title_at = nonblank[0] if nonblank else len(self.lines)
        elif candidate is None:  # only short lines: the first long enough heads
            title_at = next((j for j in shorts if len(_words(self.lines[j])) >= SHORT_TITLE_WORDS), len(self.lines))
            start = title_at + 1
        elif self.title is None:
            title_at = candidate
            if is_prose(self.lines[candidate]):  # running text at once: a short line above may be the headline
                title_at = next((j for j in reversed(shorts) if len(_words(self.lines[j])) >= SHORT_TITLE_WORDS),
                                candidate)
            start = title_at + 1
        else:
            start = (title_at := candidate) + 1
        for i, meta in above:
            if i >= title_at:
                break
            self._decide_above_title(i, meta)
        if title_at < len(self.lines) and start == title_at + 1:
            self.decisions[title_at].action = "title"
            if self.title is None:
                self.title = _strip_site_suffix(self.lines[title_at])
                self.title_norms.add(norm(self.title))
            self.title_norms.add(self.norms[title_at])
        return start

    def _says_title(self, i: int) -> bool:
        """Whether line i is the known title, a site suffix aside."""
        return self.norms[i] in self.title_norms or norm(_strip_site_suffix(self.lines[i])) in self.title_norms

    def _decide_above_title(self, i: int, meta: MetaLine | None) -> None:
        line = self.lines[i]
        if meta:
            self.evidence.add_meta(meta, self.rules, before_title=True, in_header=False)
            self._drop(i, "date widget above the headline" if not meta.labelled else "date/byline line")
        elif self.matches[i]:
            rule, m = self.matches[i]
            self._harvest_credit(rule, m)
            if rule.kind in ("caption", "credit_or_caption"):
                self.evidence.caption_dates += find_dates(line)
            self._drop(i, f"{rule.kind} rule {rule.number}: {rule.comment}")
        else:
            self._drop(i, "navigation above the headline")

    def _is_title_copy(self, i: int) -> bool:
        n = self.norms[i]
        return n in self.title_norms or any(n.startswith(t) and _SUFFIX_RE.match(n[len(t):])
                                            for t in self.title_norms if t)

    def _is_teaser(self, i: int) -> bool:
        if not _ELLIPSIS_RE.search(self.lines[i]):
            return False
        stem = norm(_ELLIPSIS_RE.sub("", self.lines[i]))
        return len(stem) >= 15 and any(j != i and len(n) > len(stem) and n.startswith(stem)
                                       for j, n in enumerate(self.norms))

    def _prose_share_above(self, i: int, start: int) -> float:
        if not self._prose_total:
            return 1.0
        return sum(self._prose[start:i]) / self._prose_total

    def _prose_follows(self, i: int) -> bool:
        """Whether article prose (another line than line i's text) comes after line i, before any `end` marker."""
        for j in range(i + 1, len(self.lines)):
            if self.matches[j] and self.matches[j][0].kind == "end":
                return False
            if self._prose[j] and self.norms[j] != self.norms[i]:
                return True
        return False

    def _is_byline_beside_date(self, i: int) -> bool:
        """A names-only line ("Jane Doe in Moscow") right above or below a dated line is the byline."""
        if not _is_name_part(self.lines[i]):
            return False
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(self.lines) and not self.lines[j]:
                j += step
            if 0 <= j < len(self.lines):
                meta = self._meta(j)
                if meta and (meta.published or meta.updated or meta.bare):
                    return True
        return False

    def _body(self, start: int) -> None:
        seen: set[str] = set()
        ended_by = ""
        in_section = ""
        prose_kept = 0  # the header zone (standfirst, byline, date) ends after HEADER_PROSE prose paragraphs
        for i in range(start, len(self.lines)):
            line = self.lines[i]
            if not line:
                continue
            if ended_by:
                self._drop(i, f"after the end of the article ({ended_by})")
                continue
            if self._is_title_copy(i):
                self._drop(i, "copy of the title")
                continue
            if self.norms[i] in seen:
                self._drop(i, "repeat of an earlier line")
                continue
            seen.add(self.norms[i])
            if self._is_teaser(i):
                self._drop(i, "truncated teaser of a later line")
                continue
            meta = self._meta(i)
            in_header = prose_kept < HEADER_PROSE
            if meta and (meta.labelled or in_header):
                self.evidence.add_meta(meta, self.rules, before_title=False, in_header=in_header)
                self._drop(i, "date/byline line")
                continue
            match = self.matches[i]
            if in_header and match is None and self._is_byline_beside_date(i):
                self.evidence.byline = self.evidence.byline or line
                self.evidence.byline_agency = self.evidence.byline_agency or self.rules.agency_in(line)
                self._drop(i, "names beside the date line under the headline: byline")
                continue
            if in_section:
                if match is None and not (_ends_sentence(line) and len(_words(line)) >= TITLE_MIN_WORDS):
                    self._drop(i, f"list under {in_section!r}")
                    continue
                in_section = ""
            if match is None:
                self._keep(i)
                prose_kept += self._prose[i] > 0  # is_prose(line), as _run found (for a line matching no rule)
                continue
            rule, m = match
            why = f"{rule.kind} rule {rule.number}: {rule.comment}"
            if rule.kind == "end":
                self._harvest_credit(rule, m)
                if self._prose_share_above(i, start) >= END_MIN_PROSE_ABOVE:
                    ended_by = line[:40]
                else:
                    in_section = line[:40]
                self._drop(i, why)
            elif rule.kind == "section":
                in_section = line[:40]
                self._drop(i, why)
            elif rule.kind == "credit_or_caption" and not self._prose_follows(i):
                self.evidence.credit_agency = self.evidence.credit_agency or self.rules.agency_in(m.group(0))
                self._keep(i, "closing credit of the story")
            elif rule.kind in ("caption", "credit_or_caption"):
                self.evidence.caption_dates += find_dates(line)
                self._drop(i, why)
            else:  # drop, credit
                self._harvest_credit(rule, m)
                self._drop(i, why)

    def _harvest_credit(self, rule: Rule, m: re.Match[str]) -> None:
        groups = m.groupdict()
        ev = self.evidence
        if rule.kind == "credit":
            agency = groups.get("agency") or self.rules.agency_in(m.string)
            ev.credit_agency = ev.credit_agency or (self.rules.agency_in(agency) if agency else None)
            if groups.get("byline") and not ev.credit_byline:
                ev.credit_byline = groups["byline"].strip()
            named = (groups.get("outlet") or "").strip(_SEPARATORS)
            if named and not ev.credit_outlet and (self.rules.agency_in(named) or looks_like_names(named)):
                ev.credit_outlet = self.rules.agency_in(named) or named
        elif rule.kind == "end" and groups.get("byline") and looks_like_names(groups["byline"]):
            ev.reporting_byline = ev.reporting_byline or groups["byline"].strip(_SEPARATORS)

    def _find_dateline(self) -> None:
        for line in self.kept[:DATELINE_PARAGRAPHS]:
            if len(_words(line)) < PROSE_MIN_WORDS:
                continue  # a dateline opens running text, not a subheading ("Pakistan: Two killed in ...")
            found = self.rules.first(line, "dateline")
            if found and found[1].start() == 0:
                self.evidence.set_dateline(found[1], self.rules)
                return

    def _find_tail_credit(self) -> None:
        if self.kept and not self.evidence.credit_agency:
            found = self.rules.first(self.kept[-1], "tail")
            if found:
                self.evidence.credit_agency = self.rules.agency_in(found[1].group("agency"))


def _dateline_from_metadata(value: str, ev: _Evidence, rules: Rules) -> None:
    """A container's dateline ("TOKYO, March 3 -") read with the dateline rules; it wins over the text's."""
    found = rules.first(value.strip() + " x", "dateline")
    if found and found[1].start() == 0:
        ev.set_dateline(found[1], rules)
    else:
        ev.dateline = value.strip(_SEPARATORS) or None


def _strip_site_suffix(line: str) -> str:
    """'Headline words here | Site Name' -> 'Headline words here' (a short last part after ' | ')."""
    m = _TITLE_SUFFIX_RE.search(line)
    if m and len(_words(m.group("site"))) <= 4 and len(_words(line[:m.start()])) >= TITLE_MIN_WORDS:
        return line[:m.start()].strip()
    return line


# --- dates and sources ----------------------------------------------------------------------------------


@dataclass
class _Dating:
    published: str | None = None
    confidence: str | None = None
    page_date: str | None = None
    notes: list[str] = field(default_factory=list)


def _resolve_dates(ev: _Evidence, container_date: str | None, html_date: str | None) -> _Dating:
    """Choose the publication date and its confidence from what the page shows (see the module docstring, 6)."""
    out = _Dating()
    shown = ev.widget_dates + ev.header_dates + ev.published_dates + ev.updated_dates
    out.page_date = shown[0].isoformat() if shown else None
    candidates = [
        (container_date, "the container's metadata"),
        (html_date, "the page's HTML metadata"),
        (_first_iso(ev.published_dates), "a labelled publication date"),
        (_first_iso(ev.updated_dates), "an 'updated' date (no publication date given)"),
        (_dateline_iso(ev), "the dateline"),
        (_first_iso(ev.header_dates), "the date line under the headline"),
    ]
    out.published, source = next(((d, why) for d, why in candidates if d), (None, ""))
    if out.published:
        out.confidence = HIGH
        out.notes.append(f"published {out.published} from {source}")
        _check_dateline(ev, out, from_update=source.startswith("an 'updated'"),
                        from_metadata=source.endswith("metadata"))
    if ev.widget_dates:
        widget = ev.widget_dates[0].isoformat()
        if out.published is None:
            out.confidence = LOW
            out.notes.append(f"page date {widget} is a bare date line above the headline (the site's current-date "
                             "widget), and no labelled date agrees with it: publication date unknown")
        elif widget == out.published:
            out.notes.append(f"the date line above the headline ({widget}) agrees")
        else:
            out.notes.append(f"the date line above the headline ({widget}) is the site's current-date widget, "
                             "not the publication date")
    if out.published and out.published in {d.isoformat() for d in ev.caption_dates}:
        out.notes.append("a photo caption gives the same date")
    return out


def _first_iso(dates: list[date]) -> str | None:
    return dates[0].isoformat() if dates else None


def _dateline_iso(ev: _Evidence) -> str | None:
    """The dateline's full date, when it gives a year ("NEW DELHI, June 13, 2023 (PTI) -")."""
    if not (ev.dateline_month_day and ev.dateline_year):
        return None
    try:
        return date(ev.dateline_year, *ev.dateline_month_day).isoformat()
    except ValueError:
        return None


def _check_dateline(ev: _Evidence, out: _Dating, *, from_update: bool, from_metadata: bool) -> None:
    """Compare the dateline's month and day with the chosen date.

    A day apart is no contradiction (time zones, a story filed before midnight); metadata keeps its date and
    its confidence, with a note; an update date gives way to the dateline's earlier day; any other labelled
    date that the dateline contradicts gets confidence `low`.
    """
    if not ev.dateline_month_day or not out.published:
        return
    chosen = date.fromisoformat(out.published)
    month, day = ev.dateline_month_day
    if (chosen.month, chosen.day) == (month, day):
        out.notes.append(f"the dateline ({ev.dateline}, {month}/{day}) agrees")
        return
    year = ev.dateline_year or (chosen.year if (month, day) <= (chosen.month, chosen.day) else chosen.year - 1)
    try:
        dateline_date = date(year, month, day)
    except ValueError:
        return
    if from_update and dateline_date <= chosen:
        out.published = dateline_date.isoformat()
        out.notes.append(f"the dateline's day ({dateline_date}) is earlier than the update date: taken instead")
    elif abs((chosen - dateline_date).days) <= 1:
        out.notes.append(f"the dateline ({ev.dateline}, {month}/{day}) is within a day of {out.published}")
    elif from_metadata:
        out.notes.append(f"the dateline ({ev.dateline}, {month}/{day}) disagrees with the metadata's date")
    else:
        out.confidence = LOW
        out.notes.append(f"the dateline ({ev.dateline}, {month}/{day}) contradicts {out.published}")


def _outlet_and_byline(ev: _Evidence, meta: dict[str, str | None], page: dict[str, str | None]
                       ) -> tuple[str | None, str | None]:
    outlet = (meta.get("outlet") or ev.byline_agency or ev.dateline_agency or ev.credit_agency
              or ev.credit_outlet or page.get("outlet") or None)
    byline = (meta.get("byline") or ev.byline or page.get("byline") or ev.reporting_byline or ev.credit_byline
              or ev.credit_agency or ev.dateline_agency or None)
    return outlet, byline


# --- the stage ------------------------------------------------------------------------------------------


def article_id_for(source: str, content_hash: str) -> str:
    """The stable id of an article: sha256(source + NUL + content hash), first 16 hex digits."""
    return hashlib.sha256(f"{source}\0{content_hash}".encode()).hexdigest()[:16]


def _url_of(document: Document) -> str | None:
    """The container's URL, or the source when it is one."""
    url = _fields(document.metadata or {}).get("url")
    return url or (document.source if _URL_RE.match(document.source) else None)


def _is_html(document: Document) -> bool:
    return "html" in (document.media_type or "").lower()


def extract_html(document: Document) -> tuple[str, dict[str, str | None]]:
    """The main text of an HTML page (trafilatura) and what its markup says: title, date, byline, outlet, url.

    Dates come from the markup only (meta tags, JSON-LD, <time>): trafilatura's guessing from the visible text
    is switched off, because a guessed date is as likely the site's date widget as the article's.
    """
    import trafilatura  # imported here: plain-text runs need not pay for it

    try:
        extracted = trafilatura.bare_extraction(
            document.content, url=_url_of(document), with_metadata=True,
            include_comments=False, include_tables=True,
            date_extraction_params={"extensive_search": False, "original_date": True})
    except ValueError as err:
        raise InputError(document.path or document.source, f"cannot extract text from the HTML: {err}") from None
    if extracted is None or not (extracted.text or "").strip():
        raise InputError(document.path or document.source, "no article text found in the HTML")
    page = {"title": extracted.title, "date": extracted.date, "byline": extracted.author,
            "outlet": extracted.sitename, "url": extracted.url}
    return extracted.text, _fields(page)


def fragment_text(html: str) -> str:
    """The text of an HTML fragment (a feed entry's summary, a record's HTML field), one line per block.

    A fragment is all content, so it is not run through trafilatura's main-text extraction, which is made for
    whole pages and may find nothing in a few paragraphs.
    """
    from lxml import html as lxml_html

    try:
        root = lxml_html.fragment_fromstring(html, create_parent="div")
    except (ValueError, lxml_html.etree.ParserError):
        return ""
    for element in list(root.iter("script", "style", "noscript")):
        element.drop_tree()
    for element in root.iter(*_BLOCK_TAGS):  # lxml takes no control characters ("&#1;") in text it is given
        element.tail = "\n" + (element.tail or "").translate(_CONTROLS)
        if element.tag in ("br", "hr"):
            continue
        element.text = "\n" + (element.text or "").translate(_CONTROLS)
    return root.text_content()


def _fields(values: dict) -> dict[str, str | None]:
    """A container's or a page's fields as stripped text without control characters; empty ones None."""
    return {k: (str(v).translate(_CONTROLS).strip() or None) if v is not None else None for k, v in values.items()}


def _page(document: Document) -> tuple[_Page, dict[str, str | None], dict[str, str | None]]:
    meta = _fields(document.metadata or {})
    content = (document.content or "").translate(_CONTROLS)
    if _is_html(document) and not _WHOLE_PAGE_RE.search(content):
        text, page_meta = fragment_text(content), {}
    elif _is_html(document):
        text, page_meta = extract_html(replace(document, content=content))
    else:
        text, page_meta = unwrap(content), {}
    text = (text or "").translate(_CONTROLS)  # from character references in HTML ("&#1;")
    if not text.strip():
        raise InputError(document.path or document.source, "empty document")
    known_title = meta.get("title") or page_meta.get("title")
    return _Page(text, load_rules(), known_title), meta, page_meta


def clean(document: Document) -> Article:
    """Turn a Document into an Article: headline, dates, outlet, byline, dateline and the body without page
    furniture, paragraphs separated by blank lines (see the module docstring for the rules).

    Raises InputError when there is no text to clean, or a whole HTML page holds no article text.
    """
    page, meta, page_meta = _page(document)
    if _is_html(document) and _WHOLE_PAGE_RE.search(document.content or "") and not page.kept:
        raise InputError(document.path or document.source, "no article text in the HTML page, only page furniture")
    ev = page.evidence
    if meta.get("dateline"):
        _dateline_from_metadata(meta["dateline"], ev, load_rules())
    container_date = parse_date(meta.get("date"))
    dating = _resolve_dates(ev, container_date, parse_date(page_meta.get("date")))
    if meta.get("date") and not container_date:
        dating.notes.append(f"the container's date {meta['date']!r} is not a date bilat can read")
    outlet, byline = _outlet_and_byline(ev, meta, page_meta)
    url = meta.get("url") or page_meta.get("url") or _url_of(document)
    return Article(
        article_id=article_id_for(document.source, document.content_hash),
        source=document.source,
        content_hash=document.content_hash,
        title=page.title,
        text="\n\n".join(page.kept),
        published=dating.published,
        published_confidence=dating.confidence,
        page_date=dating.page_date,
        outlet=outlet,
        byline=byline,
        dateline=ev.dateline,
        url=url,
        notes=dating.notes,
    )


def explain(document: Document) -> list[LineDecision]:
    """Every line of the document's (extracted) text with what clean() does with it and why.

    Example:
        for d in explain(doc): print(d.number, d.action, d.reason, d.text[:60])
    """
    return _page(document)[0].decisions
