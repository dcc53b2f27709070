"""Checks of the actor knowledge files: organisations.tsv and roles.tsv (and, when present, their agreement
with countries.tsv)."""
from __future__ import annotations

import csv
import re
from importlib import resources
from pathlib import Path

import pytest

DATA = Path(str(resources.files("bilat") / "data"))
KINDS = {"igo", "company", "media", "armed_group", "party", "ngo"}


def load(name: str) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a data file, read the plain csv way: tab-separated, no quoting, # lines skipped."""
    text = (DATA / name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    rows = []
    for n, cells in enumerate(reader, 2):
        assert len(cells) <= len(header), f"{name}: data line {n} has too many columns: {cells}"
        cells += [""] * (len(header) - len(cells))
        rows.append(dict(zip(header, cells)))
    return header, rows


def aliases(row: dict[str, str]) -> list[str]:
    return [row["name"], *[a for a in row["aliases"].split("|") if a]]


@pytest.fixture(scope="module")
def orgs() -> list[dict[str, str]]:
    header, rows = load("organisations.tsv")
    assert header == ["code", "name", "aliases", "country", "role", "kind"]
    return rows


@pytest.fixture(scope="module")
def roles() -> list[dict[str, str]]:
    header, rows = load("roles.tsv")
    assert header == ["pattern", "role", "note"]
    return rows


def by_name(orgs: list[dict[str, str]], name: str) -> dict[str, str]:
    found = [r for r in orgs if name in aliases(r)]
    assert len(found) == 1, f"{name!r} is in {len(found)} rows"
    return found[0]


def test_organisation_rows_are_well_formed(orgs):
    assert 150 <= len(orgs) <= 250
    for row in orgs:
        where = f"organisations.tsv row {row['name']!r}"
        assert row["name"].strip() == row["name"] and row["name"], where
        assert row["kind"] in KINDS, where
        assert re.fullmatch(r"[A-Z]{3}|", row["country"]), where
        assert re.fullmatch(r"[A-Z]{3}", row["role"]), where
        assert all(a.strip() == a for a in row["aliases"].split("|") if a), where
        if row["code"] or row["kind"] in {"igo", "ngo"} or not row["country"]:
            # rows without a country are coded by their own CAMEO-style code
            assert re.fullmatch(r"(?:[A-Z]{3}){2,5}", row["code"]), where
        if row["kind"] == "igo":
            assert row["code"].startswith("IGO") and row["role"] == "IGO" and not row["country"], where
        if row["kind"] == "ngo":
            assert row["code"].startswith("NGO") and row["role"] == "NGO", where
        if row["kind"] == "company":
            assert row["role"] == "BUS" and row["country"], where
        if row["kind"] == "media":
            assert row["role"] == "MED" and row["country"], where
        if row["kind"] == "party":
            assert row["role"] == "PTY" and row["country"], where


def _key(text: str) -> str:
    # the resolver compares all-capital words of four or more letters in title case ("NATO" = "Nato")
    return " ".join(w.title() if w.isupper() and len(w) > 3 and w.isalpha() else w for w in text.split())


def test_no_alias_names_two_organisations(orgs):
    seen: dict[str, str] = {}
    folded: dict[str, str] = {}
    for row in orgs:
        for alias in set(aliases(row)):
            assert alias not in seen, f"{alias!r} is in {seen.get(alias)!r} and {row['name']!r}"
            seen[alias] = row["name"]
            key = _key(alias)
            assert folded.get(key, row["name"]) == row["name"], f"{alias!r} clashes with {folded[key]!r}"
            folded[key] = row["name"]


def test_risky_abbreviations_are_left_out(orgs):
    names = {a for row in orgs for a in aliases(row)}
    assert not {"IS", "ICC", "Total", "Congress", "CCTV"} & names
    # PTI is Press Trust of India; the Pakistani party only by its long name
    assert by_name(orgs, "PTI")["kind"] == "media"
    assert by_name(orgs, "Pakistan Tehreek-e-Insaf")["kind"] == "party"


def test_organisation_spot_checks(orgs):
    def country_role(name):
        row = by_name(orgs, name)
        return row["country"], row["role"]

    assert country_role("Gazprom") == ("RUS", "BUS")
    assert country_role("TASS") == ("RUS", "MED")
    assert country_role("ITAR-TASS") == ("RUS", "MED")
    assert country_role("PIA") == ("PAK", "BUS")
    assert country_role("Xinhua") == ("CHN", "MED")
    assert country_role("Reuters") == ("GBR", "MED")
    assert country_role("TTP") == ("PAK", "REB")
    assert country_role("BJP") == ("IND", "PTY")
    un = by_name(orgs, "United Nations")
    assert un["kind"] == "igo" and un["code"] == "IGOUNO"
    assert by_name(orgs, "U.N.")["code"] == "IGOUNO"
    assert by_name(orgs, "NATO")["code"].startswith("IGO")
    isis = by_name(orgs, "Daesh")
    assert isis["code"].startswith("IMG") and not isis["country"]
    assert by_name(orgs, "Red Cross")["kind"] == "ngo"


def test_role_rows_are_well_formed(roles):
    seen = set()
    for row in roles:
        pattern = row["pattern"]
        assert re.fullmatch(r"[A-Z]{3}", row["role"]), f"roles.tsv {pattern!r}: role {row['role']!r}"
        assert pattern == pattern.lower() and pattern, f"roles.tsv {pattern!r} is not lower case"
        assert pattern == " ".join(pattern.split()), f"roles.tsv {pattern!r}: words need single spaces"
        assert pattern not in seen, f"roles.tsv {pattern!r} twice"
        seen.add(pattern)


def test_role_spot_checks(roles):
    role = {r["pattern"]: r["role"] for r in roles}
    assert role["foreign minister"] == "GOV"
    assert role["official"] == "GOV"
    assert role["troop"] == "MIL"
    assert role["air force"] == "MIL"
    assert role["fm"] == "GOV"
    assert role["company"] == "BUS"
    assert role["medium"] == "MED"
    assert role["security force"] == "COP" and role["force"] == "MIL"
    assert role["parliament"] == "LEG"
    assert "state" not in role


def test_organisation_countries_are_known(orgs):
    path = DATA / "countries.tsv"
    if not path.exists():
        pytest.skip("countries.tsv not written yet")
    header, countries = load("countries.tsv")
    assert "iso3" in header
    known = {r["iso3"] for r in countries}
    unknown = sorted({r["country"] for r in orgs if r["country"]} - known)
    assert not unknown, f"organisation countries not in countries.tsv: {unknown}"


def test_organisation_aliases_do_not_shadow_countries(orgs):
    """Organisations are looked up before countries, so an alias equal to a country's name, alias, demonym or
    capital would hide the country."""
    path = DATA / "countries.tsv"
    if not path.exists():
        pytest.skip("countries.tsv not written yet")
    _, countries = load("countries.tsv")
    words = {w for r in countries for col in ("name", "aliases", "demonyms", "capitals", "seats")
             for w in r.get(col, "").split("|") if w}
    clashes = sorted({a for r in orgs for a in aliases(r)} & words)
    assert not clashes, f"organisation aliases that are also country words: {clashes}"
