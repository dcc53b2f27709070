"""Places: the country of a place named without its country ("in Jaghuri district in Ghazni", "Karachi Port"),
from the bundled data/places.tsv (built by tools/make_places.py)."""
from __future__ import annotations

import pytest

from bilat import knowledge, places
from bilat.errors import DataFileError
from bilat.places import country_of_place, places_in


def _clear_caches() -> None:
    knowledge.read_table.cache_clear()
    places._gazetteer.cache_clear()
    places.place_of.cache_clear()
    places._capitals_place_countries.cache_clear()


@pytest.mark.parametrize("name, iso", [
    ("Karachi", "PAK"), ("Quetta", "PAK"), ("Lahore", "PAK"), ("Khyber Pakhtunkhwa", "PAK"),
    ("Ghazni", "AFG"), ("Kandahar", "AFG"), ("Kupwara", "IND"), ("Jammu and Kashmir", "IND"),
    ("Mumbai", "IND"), ("Bombay", "IND"),
])
def test_places_named_in_incident_reports(name, iso):
    assert country_of_place(name) == iso


def test_a_name_of_places_in_two_countries_gives_none():
    assert country_of_place("Punjab") is None  # a province of Pakistan and a state of India
    assert country_of_place("the Punjab") is None


def test_diacritics_are_folded_both_ways():
    assert country_of_place("Ghaznī") == "AFG"
    assert country_of_place("Jammu and Kashmīr") == "IND"
    assert country_of_place("Kandahār") == "AFG"


def test_place_words_and_a_leading_the_are_dropped():
    assert country_of_place("Karachi Port") == "PAK"
    assert country_of_place("Ghazni province") == "AFG"
    assert country_of_place("the Ghazni province") == "AFG"
    assert country_of_place("Quetta city") == "PAK"
    assert country_of_place("the Hague") == "NLD"
    assert country_of_place("Zhari district") is None  # Zhari is not in the file


def test_case_sensitive_on_the_first_letter_but_capitals_match():
    assert country_of_place("karachi") is None
    assert country_of_place("KARACHI") == "PAK"  # a dateline


def test_common_words_and_countries_are_not_places():
    for word in ("Police", "Reading", "Nice", "Mobile", "Split", "Bath", "Union", "Independence", "More", "Most"):
        assert country_of_place(word) is None, word
    assert country_of_place("Pakistan") is None  # countries are countries.tsv's business


def test_finds_the_place_in_an_acled_like_sentence():
    text = "On 27 April 2020, dozens held a demonstration in Jaghuri district in Ghazni"
    assert places_in(text) == [(69, 75, "Ghazni", "AFG")]


def test_longest_name_wins_and_commas_end_a_name():
    text = "Troops searched houses in Kupwara, Jammu and Kashmir, and in Khyber Pakhtunkhwa."
    assert [(name, iso) for _, _, name, iso in places_in(text)] == [
        ("Kupwara", "IND"), ("Jammu and Kashmir", "IND"), ("Khyber Pakhtunkhwa", "PAK")]
    start, end, name, _ = places_in(text)[1]
    assert text[start:end] == name


def test_no_false_hits_on_capitalised_words():
    assert places_in("Police said the road was closed.") == []
    assert places_in("Reading the statement, the minister said talks would resume.") == []
    assert places_in("Police Say More Than 20 Killed In Attack Near Border Town") == []
    assert places_in("the karachi port was shut") == []


def test_diacritics_and_datelines_in_text():
    found = places_in("KARACHI, Pakistan — Shelling hit Ghaznī province and Karachi Port.")
    assert [(name, iso) for _, _, name, iso in found] == [("KARACHI", "PAK"), ("Ghaznī", "AFG"), ("Karachi", "PAK")]


def test_the_bundled_gazetteer_is_read_whole():
    _clear_caches()
    assert len(places.place_countries()) > 50_000


@pytest.mark.parametrize("text, fault", [
    ("name\tkind\nZhari\tcity\n", "has no column 'country'"),
    ("name\tcountry\nZhari\tAFG\n", "has no column 'kind'"),
    ("name\tcountry\tkind\nZhari\tAFG\tcity\t9\n", "data line 2 has 4 columns, the header has 3"),
    ("# only a comment\n", "has no header line"),
])
def test_a_broken_places_file_is_named_with_its_fault(tmp_path, monkeypatch, text, fault):
    (tmp_path / "places.tsv").write_text(text, encoding="utf-8")
    monkeypatch.setenv("BILAT_DATA_DIR", str(tmp_path))
    _clear_caches()
    try:
        with pytest.raises(DataFileError, match=fault) as err:
            places.place_countries()
        assert str(err.value).startswith(str(tmp_path / "places.tsv") + ": ")
    finally:
        monkeypatch.delenv("BILAT_DATA_DIR")
        _clear_caches()


def test_a_users_places_file_replaces_the_bundled_one(tmp_path, monkeypatch):
    (tmp_path / "places.tsv").write_text("# mine\nname\tcountry\tkind\tpopulation\nZhari\tAFG\tcity\t\n",
                                         encoding="utf-8")
    monkeypatch.setenv("BILAT_DATA_DIR", str(tmp_path))
    _clear_caches()
    try:
        assert country_of_place("Zhari district") == "AFG"
        assert country_of_place("Karachi") is None
    finally:
        monkeypatch.delenv("BILAT_DATA_DIR")
        _clear_caches()
    assert country_of_place("Karachi") == "PAK"
