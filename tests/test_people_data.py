"""Checks on the office-holder table src/bilat/data/people.tsv: format, dates, aliases and a few known terms."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

PEOPLE = Path(__file__).resolve().parents[1] / "src" / "bilat" / "data" / "people.tsv"
HEADER = ["name", "aliases", "country", "role", "title", "start", "end"]
COMMON_SURNAMES = {
    "Khan", "Sharif", "Singh", "Kim", "Li", "Wang", "Zhang", "Ali", "Ahmed", "Shah", "Gandhi", "Bush",
    "Lee", "Park", "Chen",
}
DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def _load() -> tuple[list[str], list[dict[str, str]]]:
    lines = [ln for ln in PEOPLE.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    rows = []
    for n, cells in enumerate(reader, 2):
        assert len(cells) == len(header), f"data line {n} has {len(cells)} cells: {cells}"
        rows.append(dict(zip(header, cells)))
    return header, rows


HEADER_READ, ROWS = _load()


def _date(text: str) -> dt.date:
    """A YYYY-MM or YYYY-MM-DD date; a month alone stands for its first day."""
    assert DATE.match(text), f"bad date {text!r}"
    parts = [int(x) for x in text.split("-")]
    return dt.date(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)


def _aliases(row: dict[str, str]) -> list[str]:
    return [a.strip() for a in row["aliases"].split("|") if a.strip()]


def _terms(name: str) -> list[dict[str, str]]:
    return [r for r in ROWS if r["name"] == name]


def test_header():
    assert HEADER_READ == HEADER


def test_enough_rows():
    assert len(ROWS) >= 300


def test_cells_are_trimmed_and_name_given():
    for r in ROWS:
        assert r["name"], r
        for key, value in r.items():
            assert value == value.strip(), (key, r)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r['name']}|{r['title']}|{r['start']}")
def test_dates_parse_and_are_ordered(row):
    start = _date(row["start"])
    assert dt.date(1950, 1, 1) <= start <= dt.date(2026, 12, 31)
    if row["end"]:
        end = _date(row["end"])
        assert start <= end, row
        assert end <= dt.date(2026, 12, 31)


def test_country_and_role():
    for r in ROWS:
        assert re.fullmatch(r"[A-Z]{3}", r["country"]), r
        assert r["role"] in {"GOV", "MIL"}, r
        assert r["title"], r


def test_no_common_surname_is_an_alias():
    for r in ROWS:
        bad = COMMON_SURNAMES.intersection(_aliases(r))
        assert not bad, (r["name"], bad)


def test_aliases_are_not_empty_or_repeated():
    for r in ROWS:
        aliases = _aliases(r)
        assert len(aliases) == len(set(aliases)), r["name"]
        assert r["name"] not in aliases, r["name"]
        assert all("\t" not in a for a in aliases)


def test_an_alias_never_names_people_of_two_countries():
    owners: dict[str, set[tuple[str, str]]] = {}
    for r in ROWS:
        for alias in [r["name"], *_aliases(r)]:
            owners.setdefault(alias, set()).add((r["name"], r["country"]))
    clashes = {
        alias: sorted(who)
        for alias, who in owners.items()
        if len({country for _, country in who}) > 1
    }
    assert not clashes, clashes


def test_same_person_same_aliases_on_every_row():
    by_person: dict[tuple[str, str], set[str]] = {}
    for r in ROWS:
        by_person.setdefault((r["name"], r["country"]), set()).add(r["aliases"])
    uneven = {k: v for k, v in by_person.items() if len(v) > 1}
    assert not uneven, uneven


def test_terms_in_one_office_do_not_overlap():
    """Two holders of the same title in the same country overlap by at most a day (handover day)."""
    offices: dict[tuple[str, str], list[tuple[dt.date, dt.date, str]]] = {}
    for r in ROWS:
        if r["title"].startswith(("Acting", "Caretaker")) or r["title"] in {"Crown Prince"}:
            continue
        start = _date(r["start"])
        end = _date(r["end"]) if r["end"] else dt.date(2100, 1, 1)
        offices.setdefault((r["country"], r["title"]), []).append((start, end, r["name"]))
    for key, terms in offices.items():
        terms.sort()
        for (s1, e1, n1), (s2, e2, n2) in zip(terms, terms[1:]):
            assert s2 >= e1 - dt.timedelta(days=1), (key, n1, e1, n2, s2)


def test_imran_khan():
    (row,) = [r for r in _terms("Imran Khan") if r["title"] == "Prime Minister"]
    assert row["country"] == "PAK" and row["role"] == "GOV"
    assert row["start"].startswith("2018-08") and row["end"].startswith("2022-04")
    assert "Khan" not in _aliases(row)


def test_lavrov():
    (row,) = _terms("Sergey Lavrov")
    assert (row["country"], row["role"], row["title"]) == ("RUS", "GOV", "Foreign Minister")
    assert row["start"] == "2004-03-09" and row["end"] == ""
    assert "Lavrov" in _aliases(row) and "Sergei Lavrov" in _aliases(row)


def test_putin_terms():
    terms = sorted((r["start"], r["title"]) for r in _terms("Vladimir Putin"))
    titles = [t for _, t in terms]
    assert titles.count("President") == 2 and titles.count("Prime Minister") == 2
    assert ("2012-05-07", "President") in terms
    (current,) = [r for r in _terms("Vladimir Putin") if not r["end"]]
    assert current["title"] == "President"


def test_pakistan_examples():
    qureshi = sorted(r["start"][:7] for r in _terms("Shah Mahmood Qureshi"))
    assert qureshi == ["2008-03", "2018-08"]
    (asif,) = _terms("Khawaja Asif")
    assert asif["start"] == "2017-08-04" and asif["end"] == "2018-05-31"
    nawaz = sorted(r["start"][:7] for r in _terms("Nawaz Sharif") if r["title"] == "Prime Minister")
    assert {"1990-11", "1997-02", "2013-06"} <= set(nawaz)
    shehbaz = sorted((r["start"], r["end"]) for r in _terms("Shehbaz Sharif"))
    assert shehbaz[0] == ("2022-04-11", "2023-08-14") and shehbaz[-1][0] == "2024-03-04" and shehbaz[-1][1] == ""
    bajwa = [r for r in _terms("Qamar Javed Bajwa")]
    assert [(r["role"], r["start"], r["end"]) for r in bajwa] == [("MIL", "2016-11-29", "2022-11-29")]
    munir = [r for r in _terms("Asim Munir") if r["title"] == "Chief of Army Staff"]
    assert munir[0]["start"] == "2022-11-29" and munir[0]["role"] == "MIL"
    (bilawal,) = _terms("Bilawal Bhutto Zardari")
    assert (bilawal["start"], bilawal["end"]) == ("2022-04-27", "2023-08-10")
    (dar,) = _terms("Ishaq Dar")
    assert dar["start"].startswith("2024-03") and dar["end"] == ""


def test_other_examples():
    (modi,) = _terms("Narendra Modi")
    assert (modi["start"], modi["end"], modi["country"]) == ("2014-05-26", "", "IND")
    (jaishankar,) = _terms("S. Jaishankar")
    assert {"Subrahmanyam Jaishankar", "Jaishankar"} <= set(_aliases(jaishankar))
    assert jaishankar["start"] == "2019-05-30"
    xi = [r for r in _terms("Xi Jinping") if r["title"] == "President"]
    assert xi[0]["start"] == "2013-03-14"
    wang = sorted((r["start"][:7], r["end"][:7]) for r in _terms("Wang Yi"))
    assert wang == [("2013-03", "2022-12"), ("2023-07", "")]
    assert all(r["aliases"] == "" for r in _terms("Wang Yi"))
    erdogan = _terms("Recep Tayyip Erdoğan")
    assert erdogan and {"Erdogan", "Erdoğan"} <= set(_aliases(erdogan[0]))
    zelensky = _terms("Volodymyr Zelensky")
    assert zelensky and {"Zelenskyy", "Zelenskiy"} <= set(_aliases(zelensky[0]))
