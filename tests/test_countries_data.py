"""Checks on the bundled country table (src/bilat/data/countries.tsv): its shape, its coverage (every UN member
plus five others) and that no string the actor stage matches points to two countries."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

PATH = Path(__file__).resolve().parents[1] / "src" / "bilat" / "data" / "countries.tsv"
HEADER = ["iso3", "name", "aliases", "demonyms", "capitals", "seats"]
LIST_COLUMNS = ["aliases", "demonyms", "capitals", "seats"]

UN_MEMBERS = set("""
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN BOL BIH BWA BRA BRN BGR BFA BDI
CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI CIV HRV CUB CYP CZE PRK COD DNK DJI DMA DOM ECU EGY SLV GNQ ERI
EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA
JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM
MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR
MDA ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE
SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
""".split())
OTHERS = {"TWN", "XKX", "PSE", "HKG", "VAT"}
# Countries whose capital has the country's own name, so the capitals cell is empty (see the file's header).
# BEL is left without "Brussels", which news mostly uses for the European Union.
NO_CAPITAL = {"SGP", "MCO", "SMR", "DJI", "HKG", "VAT", "BEL"}


def _load() -> tuple[list[str], list[dict[str, str]]]:
    lines = [ln for ln in PATH.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    rows = []
    for cells in reader:
        assert len(cells) <= len(header), f"too many cells: {cells}"
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)))
    return header, rows


HEADER_READ, ROWS = _load()
BY_ISO = {row["iso3"]: row for row in ROWS}


def _values(row: dict[str, str], column: str) -> list[str]:
    return row[column].split("|") if row[column] else []


def _strings(row: dict[str, str]) -> list[tuple[str, str]]:
    """(column, string) for every string of a row the actor stage matches."""
    out = [("name", row["name"])]
    for column in LIST_COLUMNS:
        out += [(column, value) for value in _values(row, column)]
    return out


def _index() -> dict[str, set[str]]:
    where: dict[str, set[str]] = {}
    for row in ROWS:
        for _, value in _strings(row):
            where.setdefault(value, set()).add(row["iso3"])
    return where


INDEX = _index()


def test_header():
    assert HEADER_READ == HEADER


def test_iso3_codes_well_formed_unique_and_sorted():
    codes = [row["iso3"] for row in ROWS]
    bad = [c for c in codes if not re.fullmatch(r"[A-Z]{3}", c)]
    assert not bad
    assert len(codes) == len(set(codes)), sorted({c for c in codes if codes.count(c) > 1})
    assert codes == sorted(codes)


def test_row_count_and_coverage():
    assert len(ROWS) >= 195
    codes = set(BY_ISO)
    assert len(UN_MEMBERS) == 193
    assert not (UN_MEMBERS | OTHERS) - codes, sorted((UN_MEMBERS | OTHERS) - codes)
    assert not codes - (UN_MEMBERS | OTHERS), sorted(codes - (UN_MEMBERS | OTHERS))


def test_cells_are_clean():
    for row in ROWS:
        assert row["name"], row["iso3"]
        for column, value in _strings(row):
            assert value and value == value.strip(), (row["iso3"], column, row[column])
            assert '"' not in value and "\t" not in value, (row["iso3"], column, value)


def test_no_string_listed_twice():
    # within a row: a value appears in one column, once
    for row in ROWS:
        values = [v for _, v in _strings(row)]
        assert len(values) == len(set(values)), (row["iso3"], sorted({v for v in values if values.count(v) > 1}))


def test_no_string_maps_to_two_countries():
    clashes = {value: sorted(isos) for value, isos in INDEX.items() if len(isos) > 1}
    assert not clashes


def test_no_clash_after_all_caps_folding():
    # the actor stage compares all-capital words of more than three letters in title case
    def key(text: str) -> str:
        return " ".join(t.title() if t.isupper() and len(t) > 3 and t.isalpha() else t for t in text.split())

    folded: dict[str, set[str]] = {}
    for value, isos in INDEX.items():
        folded.setdefault(key(value), set()).update(isos)
    assert not {k: sorted(v) for k, v in folded.items() if len(v) > 1}


def test_every_country_has_a_capital():
    missing = sorted(iso for iso, row in BY_ISO.items() if not row["capitals"] and iso not in NO_CAPITAL)
    assert not missing


@pytest.mark.parametrize("iso3,capital,demonym", [
    ("RUS", "Moscow", "Russian"),
    ("PAK", "Islamabad", "Pakistani"),
    ("USA", "Washington", "American"),
    ("GBR", "London", "British"),
    ("CHN", "Beijing", "Chinese"),
    ("IND", "New Delhi", "Indian"),
])
def test_major_countries_have_capital_and_demonym(iso3, capital, demonym):
    row = BY_ISO[iso3]
    assert capital in _values(row, "capitals")
    assert demonym in _values(row, "demonyms")


@pytest.mark.parametrize("string,iso3", [
    ("Moscow", "RUS"), ("Islamabad", "PAK"), ("Pakistani", "PAK"), ("Soviet Union", "RUS"), ("Kremlin", "RUS"),
    ("U.S.", "USA"), ("Pak", "PAK"), ("Russia", "RUS"), ("Pakistan", "PAK"), ("UK", "GBR"), ("Burma", "MMR"),
    ("Ivory Coast", "CIV"), ("Côte d'Ivoire", "CIV"), ("Zaire", "COD"), ("Congo-Brazzaville", "COG"),
    ("Nigerien", "NER"), ("Nigerian", "NGA"), ("Dominican", "DOM"), ("Tel Aviv", "ISR"), ("Jerusalem", "ISR"),
    ("Gaza", "PSE"), ("Taipei", "TWN"), ("Kyiv", "UKR"), ("Kiev", "UKR"), ("White House", "USA"),
    ("Downing Street", "GBR"), ("Zhongnanhai", "CHN"), ("South Block", "IND"), ("Blue House", "KOR"),
])
def test_spot_checks(string, iso3):
    assert INDEX.get(string) == {iso3}


@pytest.mark.parametrize("string", ["Korea", "Korean", "Congo", "Congolese", "Guinean", "IN", "GHQ", "Yangon"])
def test_ambiguous_or_excluded_strings_are_absent(string):
    assert string not in INDEX
