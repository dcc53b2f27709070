"""Amounts in a sentence become numbers with units: money, measures, percentages and counts.

Sentences come from the seed articles (shared/seeds), the Reuters-21578 corpus (shared/corpus) and made-up text.
"""
from __future__ import annotations

import pytest

from bilat.model import Quantity
from bilat.quantities import find_quantities, singular


def quantities(text: str) -> list[tuple[str, float | None, str | None]]:
    return [(q.text, q.value, q.unit) for _, _, q in find_quantities(text)]


# -- money -----------------------------------------------------------------------------------------------

def test_money_from_the_seeds():
    assert quantities("The project will cost approximately $2.25 billion.") == [("$2.25 billion", 2250000000.0, "USD")]
    sentence = ("Russia and Pakistan have also been negotiating potential energy deals worth in excess of "
                "$10 billion, according to Pakistani energy officials.")
    assert quantities(sentence) == [("$10 billion", 1e10, "USD")]  # the qualifier stays out


@pytest.mark.parametrize("text, expected", [
    ("a budget of Rs 500 million", ("Rs 500 million", 500_000_000.0, "rupee")),
    ("a budget of Rs. 20 crore", ("Rs. 20 crore", 200_000_000.0, "rupee")),
    ("a loan of PKR 5bn", ("PKR 5bn", 5_000_000_000.0, "PKR")),
    ("a grant of €3m", ("€3m", 3_000_000.0, "EUR")),
    ("a fine of £2 million", ("£2 million", 2_000_000.0, "GBP")),
    ("investment of 1.5 trillion yuan", ("1.5 trillion yuan", 1.5e12, "CNY")),
    ("a deal worth $40 mln", ("$40 mln", 40_000_000.0, "USD")),
    ("a deal worth US$1.2bn", ("US$1.2bn", 1.2e9, "USD")),
    ("new USD 2 billion military aid for Kyiv", ("USD 2 billion", 2e9, "USD")),
    ("sales rose to 337 mln dlrs", ("337 mln dlrs", 337_000_000.0, "USD")),
    ("About seven billion dlrs of securities is affected.", ("seven billion dlrs", 7e9, "USD")),
    ("earnings of 15 cts a share", ("15 cts", 0.15, "USD")),
    ("They spent billions of dollars.", ("billions of dollars", None, "USD")),
])
def test_money(text, expected):
    assert quantities(text) == [expected]


def test_reuters_figures():
    sentence = ("Brown-Forman today reported a 37 pct increase in third quarter profits to 21.6 mln dlrs, or 1.00 dlr "
                "a share, on a seven pct increase in sales to a record 337 mln dlrs.")
    assert quantities(sentence) == [("37 pct", 37.0, "percent"), ("21.6 mln dlrs", 21_600_000.0, "USD"),
                                    ("1.00 dlr", 1.0, "USD"), ("seven pct", 7.0, "percent"),
                                    ("337 mln dlrs", 337_000_000.0, "USD")]


def test_pounds_are_money_only_in_millions():
    assert quantities("5 pounds of rice and 5 million pounds") == [("5 pounds", 5.0, "lb"),
                                                                   ("5 million pounds", 5e6, "GBP")]


# -- measures and percentages -----------------------------------------------------------------------------

def test_lengths_from_the_seeds():
    sentence = ("a gas pipeline due to be built by Russia and stretching 1,100 km (680 miles) from Lahore to the port "
                "city of Karachi.")
    assert quantities(sentence) == [("1,100 km", 1100.0, "km"), ("680 miles", 680.0, "mile")]
    assert quantities("a 1,100-km pipeline") == [("1,100-km", 1100.0, "km")]


def test_percentages():
    assert quantities("signed an amendment agreement that now transfers 74 percent of the pipeline to Pakistan") == [
        ("74 percent", 74.0, "percent")]
    assert quantities("Previously, 100% of Russian pipelines had to be built.") == [("100%", 100.0, "percent")]
    assert quantities("a stake of 74% in the line") == [("74%", 74.0, "percent")]
    assert quantities("up 7.5 percentage points") == [("7.5 percentage points", 7.5, "percentage point")]


def test_weights_volumes_and_rates():
    assert quantities("Thailand exported 50,000 tonnes of rice.") == [("50,000 tonnes", 50000.0, "tonne")]
    assert quantities("Qatar has an output ceiling of 285,000 barrels per day.") == [
        ("285,000 barrels per day", 285000.0, "barrel/day")]
    assert quantities("OPEC is producing above a ceiling of 15.8 mln bpd.") == [
        ("15.8 mln bpd", 15_800_000.0, "barrel/day")]
    assert quantities("a terminal of 5 mln tonnes a year") == [("5 mln tonnes a year", 5e6, "tonne/year")]
    assert quantities("exports of 10 bcm of gas") == [("10 bcm", 1e10, "cubic metre")]


# -- counts ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Russia gave Pakistan 4 cargo and combat helicopters, last year.",
     ("4 cargo and combat helicopters", 4.0, "helicopter")),
    ("They followed the sale of four Russian attack helicopters to Pakistan.",
     ("four Russian attack helicopters", 4.0, "helicopter")),
    ("Russia moved 10,000 troops to the border.", ("10,000 troops", 10000.0, "troop")),
    ("a dozen countries", ("a dozen countries", 12.0, "country")),
    ("two hundred thousand people fled", ("two hundred thousand people", 200000.0, "person")),
    ("Iraq said it had destroyed 45 enemy tanks.", ("45 enemy tanks", 45.0, "tank")),
    ("dozens of troops were killed", ("dozens of troops", None, "troop")),
    ("authorized capital stock rose to 25 mln shares", ("25 mln shares", 25e6, "share")),
])
def test_counts_take_the_counted_noun_as_unit(text, expected):
    assert quantities(text) == [expected]


def test_a_number_with_a_scale_and_no_unit_is_a_quantity_without_unit():
    assert quantities("Sales stand at 5.93 mln against 5.81 last year.") == [("5.93 mln", 5_930_000.0, None)]


def test_singular():
    assert [singular(w) for w in ("helicopters", "countries", "boxes", "troops", "missiles")] == [
        "helicopter", "country", "box", "troop", "missile"]


# -- what is not a quantity -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The agreement was originally signed in 2015.",
    "Pakistan developed diplomatic relations with the former Soviet Union in 1948.",
    "He congratulated his counterpart on the 70th anniversary of diplomatic relations.",
    "Talks were held on April 7, 2021 at 11:57 AM.",
    "The first by a Russian foreign minister in nine years, on a two-day visit.",
    "the 9/11 attacks",
    "interest at 1-1/8 pct over Eurodollar rates",
    "Pakistan wants the S-400 and engines for its JF-17 fighter jets.",
    "Pakistan's Foreign Minister (2L) holds talks.",
    "Henske, 53, has served as CEO since 1978.",
    "Pakistan, one of the world's fastest growing LNG import markets.",
    "One rumor suggests a merger.",
    "Exports rose 1986 levels.",
    "Putin may visit Pakistan soon.",
])
def test_not_quantities(text):
    assert quantities(text) == []


def test_offsets_point_into_the_sentence_in_text_order():
    sentence = "It costs $2.25 billion, runs 1,100 km and moves 74 percent of the gas."
    found = find_quantities(sentence)
    assert [sentence[start:end] for start, end, _ in found] == ["$2.25 billion", "1,100 km", "74 percent"]
    assert all(isinstance(q, Quantity) and sentence[s:e] == q.text for s, e, q in found)
