"""Time expressions are found and dated by when things happened, relative to the publication date.

Sentences come from the seed articles (shared/seeds), the Reuters-21578 corpus (shared/corpus) and made-up text.
"""
from __future__ import annotations

import datetime as dt
import re
import sys

import pytest

from bilat.timex import (_alternation, _folded, _grammar, find_time_expressions, parse_date, parse_number_words,
                         time_words)

WED_2021_04_07 = dt.date(2021, 4, 7)  # seed 001's publication date, a Wednesday
TUE_2023_06_13 = dt.date(2023, 6, 13)  # seed 004's publication date, a Tuesday
THU_1987_02_26 = dt.date(1987, 2, 26)  # the first Reuters-21578 stories


def times(text: str, anchor: dt.date | None = WED_2021_04_07, **options) -> list[tuple[str, str | None, str]]:
    return [(t.text, t.value, t.kind) for t in find_time_expressions(text, anchor, **options)]


def only(text: str, anchor: dt.date | None = WED_2021_04_07, **options) -> tuple[str | None, str]:
    """(value, kind) of the sentence's one time expression."""
    found = times(text, anchor, **options)
    assert len(found) == 1, found
    return found[0][1:]


# -- absolute dates --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Qureshi holds talks with Lavrov in Islamabad, Pakistan, on April 7, 2021. (AFP)",
     ("April 7, 2021", "2021-04-07")),
    ("Updated 07 April 2021", ("07 April 2021", "2021-04-07")),
    ("The talks were held on 7 April 2021.", ("7 April 2021", "2021-04-07")),
    ("The file is dated 2021-04-07.", ("2021-04-07", "2021-04-07")),
    ("Saturday, December 2, 2023", ("Saturday, December 2, 2023", "2023-12-02")),
    ("Columbia will call the sinking fund redemption on May 1, 1987.", ("May 1, 1987", "1987-05-01")),
    ("In October 2018, Pakistan and Russia signed an inter-governmental agreement on energy.",
     ("October 2018", "2018-10")),
    ("Pakistan developed diplomatic relations with the former Soviet Union in 1948.", ("1948", "1948")),
    ("The agreement was originally signed in 2015.", ("2015", "2015")),
    ("Growth should pick up by mid-2019.", ("mid-2019", "2019")),
    ("Output fell in spring 2020.", ("spring 2020", "2020")),
    ("Deliveries start in the first quarter of 2022.", ("the first quarter of 2022", "2022")),
    ("The line was to be finished by the end of 2019.", ("the end of 2019", "2019")),
    ("The stock has traded on the American Stock Exchange since November 1984.", ("since November 1984", "1984-11")),
    ("Earnings for the first quarter of fiscal 1987 rose.", ("the first quarter of fiscal 1987", "1987")),
])
def test_absolute_dates_resolve_without_an_anchor(text, expected):
    found = times(text, None)
    assert [(t, v) for t, v, _ in found] == [expected]


def test_a_date_that_does_not_exist_has_no_value():
    assert times("Payment is due February 30, 2021.", None) == [("February 30, 2021", None, "date")]


def test_numeric_dates_are_read_only_when_day_and_month_cannot_be_confused():
    assert only("Signed on 13/4/2021.", None) == ("2021-04-13", "date")
    assert only("Signed on 4/13/2021.", None) == ("2021-04-13", "date")
    assert only("Signed on 13.04.2021.", None) == ("2021-04-13", "date")
    assert only("Signed on 7/4/2021.", None) == ("2021", "date")  # July 4 or 7 April: only the year is sure
    assert times("the 9/11 attacks", WED_2021_04_07) == []


def test_decades_centuries_and_split_years_are_dates_without_a_value():
    assert times("Relations thawed in the 1990s and in the late 1960s.", None) == [
        ("the 1990s", None, "date"), ("the late 1960s", None, "date")]
    assert only("the 20th century", None) == (None, "date")
    assert only("Sales against the 1986/87 crop were 6.13 mln bags.", None) == (None, "date")


# -- a date without its year, and weekdays --------------------------------------------------------------

def test_a_day_without_a_year_is_the_latest_such_day_not_after_the_anchor():
    sentence = "Moscow, June 13 Russia has sought to expand ties."
    assert times(sentence, TUE_2023_06_13) == [("June 13", "2023-06-13", "date")]
    assert only("Arrivals for the week ended February 22 were 155,221 bags.", THU_1987_02_26) == ("1987-02-22", "date")
    assert only("The tender offer expires March 25.", THU_1987_02_26) == ("1986-03-25", "date")
    assert only("The tender offer expires March 25.", THU_1987_02_26, prefer_future=True) == ("1987-03-25", "date")


def test_a_day_without_a_year_has_no_value_without_an_anchor():
    assert times("They met on April 2.", None) == [("April 2", None, "date")]


@pytest.mark.parametrize("text, value", [
    ("Lavrov arrived in Islamabad on a two-day official visit on Tuesday.", "2021-04-06"),
    ("The Pakistani and Russian foreign ministers on Wednesday held delegation-level talks.", "2021-04-07"),
    ("A statement released by the Pakistani foreign office on Monday said so.", "2021-04-05"),
    ("He spoke on Thursday.", "2021-04-01"),
    ("He left last Monday.", "2021-04-05"),
    ("He left last Wednesday.", "2021-03-31"),
    ("He leaves next Monday.", "2021-04-12"),
    ("They met on Tuesday night.", "2021-04-06"),
])
def test_weekdays_are_the_latest_such_day_not_after_the_anchor(text, value):
    assert [v for _, v, _ in times(text) if v and len(v) == 10] == [value]


def test_weekdays_read_forward_when_the_sentence_is_about_plans():
    assert only("He will meet Khan on Friday.", prefer_future=True) == ("2021-04-09", "date")
    assert only("He will meet Khan on Wednesday.", prefer_future=True) == ("2021-04-07", "date")


# -- relative dates ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("On Wednesday, today, he held talks.", "2021-04-07"),
    ("He arrived yesterday.", "2021-04-06"),
    ("He leaves tomorrow.", "2021-04-08"),
    ("Russia gave Pakistan 4 cargo and combat helicopters, last year.", "2020"),
    ("Trade grew this year.", "2021"),
    ("The plant opens next year.", "2022"),
    ("The project could start later this year.", "2021"),
    ("The project could start early next year.", "2022"),
    ("Exports fell last month.", "2021-03"),
    ("Talks resume next month.", "2021-05"),
    ("A poll released earlier this week showed so.", "2021-04"),
    ("The deal was struck two days ago.", "2021-04-05"),
    ("The deal was struck a week ago.", "2021-03-31"),
    ("The deal was struck three years ago.", "2018"),
    ("Parliament must approve it by the end of the year.", "2021"),
])
def test_relative_dates_resolve_against_the_anchor(text, value):
    assert [v for _, v, k in times(text) if k == "date"][-1] == value


def test_this_week_spanning_two_months_is_only_a_year():
    assert only("Talks are held this week.", dt.date(2021, 3, 31)) == ("2021", "date")


def test_a_month_name_alone_is_the_latest_such_month_not_after_the_anchor():
    sentence = "In April, the two countries signed a landmark deal."
    assert times(sentence, TUE_2023_06_13) == [("April", "2023-04", "date")]
    assert only("The visit took place in December.", TUE_2023_06_13) == ("2022-12", "date")
    assert only("The visit takes place in December.", TUE_2023_06_13, prefer_future=True) == ("2023-12", "date")
    assert only("The crisis broke last November.", THU_1987_02_26) == ("1986-11", "date")


def test_the_weekend_is_the_saturday_just_past():
    sentence = "The first shipment carrying Russian oil reached Karachi Port over the weekend, the media reported."
    assert times(sentence, TUE_2023_06_13) == [("the weekend", "2023-06-10", "date")]
    sentence = "Pakistan received the first Russian oil shipment at the weekend."
    assert only(sentence, TUE_2023_06_13) == ("2023-06-10", "date")
    assert only("They will meet this weekend.", TUE_2023_06_13, prefer_future=True) == ("2023-06-17", "date")


def test_vague_times_are_time_expressions_without_a_value():
    sentence = "In recent years, however, Pakistan and Russia have strived to improve relations."
    assert times(sentence) == [("In recent years", None, "date")]
    assert only("Putin may visit Pakistan soon.") == (None, "date")
    assert only("It was something that it has avoided in the past.") == (None, "date")


def test_since_marks_the_start_of_a_state():
    sentence = "The two countries have been conducting joint military exercises regularly since 2016."
    assert times(sentence, None) == [("since 2016", "2016", "since")]
    assert only("Ties have improved since last year.") == ("2020", "since")
    assert times("Drills that began in 2016.", None) == [("2016", "2016", "date")]  # no "since": a plain date


def test_without_an_anchor_relative_expressions_keep_no_value():
    sentence = "Lavrov arrived on Tuesday, after talks last month and in April 2018, and leaves tomorrow."
    assert times(sentence, None) == [("Tuesday", None, "date"), ("last month", None, "date"),
                                     ("April 2018", "2018-04", "date"), ("tomorrow", None, "date")]


# -- durations and recurring times ------------------------------------------------------------------------

def test_durations_have_no_value():
    sentence = ("Russian foreign minister Sergey Lavrov arrived in Islamabad on a two-day official visit on Tuesday, "
                "the first by a Russian foreign minister in nine years.")
    assert times(sentence) == [("two-day", None, "duration"), ("Tuesday", "2021-04-06", "date"),
                               ("nine years", None, "duration")]
    assert only("The relationship was dead for many decades.") == (None, "duration")
    assert only("There had been different periods over the past three-quarters of a century.") == (None, "duration")
    assert only("He kept it secret for three months.") == (None, "duration")


def test_recurring_times_are_sets():
    sentence = "They also agreed to continue annual military training exercises that began in 2016."
    assert times(sentence, None) == [("annual", None, "set"), ("2016", "2016", "date")]
    assert only("The commission meets every year.") == (None, "set")


# -- what is not a time expression -----------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Pakistani FM congratulated his counterpart on the 70th anniversary of diplomatic relations.",
    "A gas pipeline stretching 1,100 km (680 miles) from Lahore to Karachi.",
    "The project will cost approximately $2.25 billion.",
    "Previously 100% of Russian pipelines had to be built, operated and transferred.",
    "President Putin may visit Pakistan.",
    "Troops march on the capital.",
    "Prime Minister Theresa May met the envoy.",
    "Russia sent 2000 troops and a 1500 km convoy.",
    "Pakistan wants to buy Russia's S-400 and JF-17 engines.",
])
def test_not_time_expressions(text):
    assert [(t, k) for t, _, k in times(text) if k != "date" or t.lower() != "previously"] == []


def test_may_and_march_are_months_with_a_day_a_year_or_a_cue():
    assert only("They met in May.", None) == (None, "date")
    assert only("They met on May 2, 2019.", None) == ("2019-05-02", "date")
    assert only("They met in March 2019.", None) == ("2019-03", "date")


# -- options and the shape of the result ------------------------------------------------------------------

def test_ignored_spans_are_skipped():
    sentence = "Moscow, June 13 Russia has sought to expand cooperation with Pakistan on Tuesday."
    found = find_time_expressions(sentence, TUE_2023_06_13, ignore=[(0, 16)])
    assert [(t.text, t.value) for t in found] == [("Tuesday", "2023-06-13")]


def test_expressions_are_in_text_order_without_overlaps_and_offsets_point_into_the_sentence():
    sentence = "Total sales were 5.93 mln in the week ended yesterday, against 5.81 at the same stage last year."
    found = find_time_expressions(sentence, THU_1987_02_26)
    assert [(t.text, t.value) for t in found] == [("yesterday", "1987-02-25"), ("last year", "1986")]
    for t in found:
        assert sentence[t.start:t.end] == t.text
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


def test_the_longest_match_wins():
    assert times("In October 2018 and early next year.") == [("October 2018", "2018-10", "date"),
                                                              ("early next year", "2022", "date")]


# -- parse_date ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("June 13, 2023 11:57 AM", dt.date(2023, 6, 13)),
    ("By IANS | Published: June 13, 2023 11:57 AM", dt.date(2023, 6, 13)),
    ("Saturday, December 2, 2023", dt.date(2023, 12, 2)),
    ("07 April 2021", dt.date(2021, 4, 7)),
    ("2021-04-07T10:00:00Z", dt.date(2021, 4, 7)),
    ("2021-04-07", dt.date(2021, 4, 7)),
    ("Wed, 07 Apr 2021 10:00:00 +0000", dt.date(2021, 4, 7)),
    ("Wed, 07 Apr 21 10:00:00 GMT", dt.date(2021, 4, 7)),
    ("26-FEB-1987 15:01:01.79", None),  # capitalised month abbreviations only
    ("April 2021", None),
    ("no date here", None),
    ("", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


def test_number_words():
    assert parse_number_words("nine") == 9
    assert parse_number_words("twenty-five") == 25
    assert parse_number_words("two hundred thousand") == 200000
    assert parse_number_words("a dozen") == 12
    assert parse_number_words("five twenty") is None
    assert parse_number_words("helicopters") is None


# -- speed: the quick test and the phrase trees must not change what is found ---------------------------------

ODD_CASES = [  # every rule, in capitals where case is ignored, with odd letters (ſ = s, ı = i, K = Kelvin sign k)
    "ON 1987-03-01 AND 1/13/1987, Monday, March 2, 1987 OR THE 2nd OF March 1987; MID-March 1987.",
    "In March, FISCAL 1987, 1986/87, Q1 1987, THE FIRST QUARTER, THE 1980s, THE NINETEENTH CENTURY.",
    "LAST ſPRING, THIS MORNING, NEXT WEEK, THIS YEAR, OVER THE WEEKEND, LAST Tuesday NIGHT, THE END OF THE YEAR.",
    "THREE WEEKS AGO, THE FOLLOWING YEAR, TWO YEARS, HALF A CENTURY, FOR DECADES, RECENTLY, EVERY YEAR.",
    "laſt ſummer, thıs year, two weeKs ago, anNUAL, the\npast\nyear, ſince laſt month, yeſterday.",
]


def test_the_quick_test_keeps_every_rule_that_matches(sample_dir):
    """A rule is skipped on a text only when the text holds none of its `needs`; every match holds one."""
    grammar = _grammar()
    texts = ODD_CASES + [line for f in sorted(sample_dir.glob("*.txt"))
                         for line in f.read_text(encoding="utf-8").splitlines()]
    matched = set()
    for text in texts:
        to_try = grammar.rules_to_try(text)
        for order, rule in enumerate(grammar.rules):
            if rule.pattern.search(text):
                matched.add(rule.name)
                assert order in to_try, (rule.name, text)
    assert matched == {rule.name for rule in grammar.rules}


def test_only_four_characters_besides_latin_letters_and_digits_match_them_when_case_is_ignored():
    """The quick test looks for its words in `_folded` text, which must turn every such character into the letter."""
    others = "".join(chr(c) for c in range(0x80, sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    found = re.findall(r"(?i)[a-z0-9]", others)
    assert sorted(found) == sorted("\u0130\u0131\u017f\u212a")
    for char in found:
        assert re.fullmatch(f"(?i){_folded(char)}", char)


@pytest.mark.parametrize("kind", sorted(time_words()))
def test_a_phrase_tree_matches_as_the_plain_alternation_longest_first(kind):
    phrases = [w.phrase for w in time_words()[kind]] + ["end", "end of", "mid", "mid-year", "middle of"]
    plain = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in sorted(set(phrases), key=len, reverse=True))
    text = " ".join(f"{p} {p.upper()} {p}x {p.replace(' ', chr(10) + '  ')} ({p[:-1]})" for p in phrases)
    for ignore_case in (True, False):
        for after in ("", r"(?!\w)", r"(?:\s+of)?(?!\w)", r"\s+\w+"):
            tree = re.compile(_alternation(phrases, ignore_case=ignore_case) + after)
            flat = re.compile(f"(?{'i' if ignore_case else ''}:{plain}){after}")
            assert [m.span() for m in tree.finditer(text)] == [m.span() for m in flat.finditer(text)]


@pytest.mark.parametrize("title, expected", [
    ("SWISS CONSUMER PRICES ROSE ONE PCT IN MARCH", [("MARCH", "1986-03")]),
    ("PAKISTAN ARMY CHIEF VISITED MOSCOW ON FEBRUARY 3", [("FEBRUARY 3", "1987-02-03")]),
    ("SHULTZ, SHEVARDNADZE SAID TO MEET IN APRIL", [("APRIL", "1986-04")]),
    # the month names that are also words still need a cue in capitals
    ("TALKS MAY RESUME", []),
    ("FARMERS MARCH ON PARLIAMENT", []),
])
def test_a_title_in_capitals_is_read_for_its_dates(title, expected):
    found = find_time_expressions(title, THU_1987_02_26)
    assert [(t.text, t.value) for t in found] == expected
    assert all(title[t.start:t.end] == t.text for t in found)
