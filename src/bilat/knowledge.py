"""Loading the knowledge files under `bilat/data/` (countries, organisations, roles, people, CAMEO codes,
event patterns, status cues, sectors). Each is a tab-separated file with a header line; lines starting with
`#` are comments and multi-values are separated by `|`. Each file's own header comment says what its columns
mean. `BILAT_DATA_DIR` names a folder whose files replace the bundled ones of the same name, so a user can
extend the knowledge without touching code.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from .errors import DataFileError


def data_path(name: str) -> Path:
    override = os.environ.get("BILAT_DATA_DIR")
    if override and (Path(override) / name).exists():
        return Path(override) / name
    return Path(str(resources.files("bilat") / "data" / name))


def _lines(name: str) -> tuple[Path, list[str], Iterator[list[str]]]:
    """A data file's path, header and rows of cells (comment and empty lines skipped), each row checked
    against the header and padded to its length."""
    path = data_path(name)
    try:
        lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]
    except OSError as err:
        raise DataFileError(f"{path}: cannot read data file: {err.strerror}") from None
    if not lines:
        raise DataFileError(f"{path}: data file has no header line")
    header = [h.strip() for h in lines[0].split("\t")]  # tab-separated, no quoting

    def rows() -> Iterator[list[str]]:
        for n, cells in enumerate((line.split("\t") for line in lines[1:]), 2):
            if len(cells) > len(header):
                raise DataFileError(f"{path}: data line {n} has {len(cells)} columns, the header has {len(header)}")
            yield cells + [""] * (len(header) - len(cells))
    return path, header, rows()


@cache
def read_table(name: str) -> tuple[dict[str, str], ...]:
    """The rows of a data file as dicts keyed by its header; empty cells are ''."""
    _, header, rows = _lines(name)
    return tuple({h: c.strip() for h, c in zip(header, cells)} for cells in rows)


def read_columns(name: str, *columns: str) -> Iterator[tuple[str, ...]]:
    """The named columns of each row of a data file, read afresh and not kept: for a large table (places.tsv,
    77,000 rows) whose rows as dicts would cost several times the time and memory of the columns used."""
    path, header, rows = _lines(name)
    missing = [c for c in columns if c not in header]
    if missing:
        raise DataFileError(f"{path}: data file has no column {missing[0]!r}")
    at = [header.index(c) for c in columns]
    for cells in rows:
        yield tuple(cells[k].strip() for k in at)


def split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split("|") if x.strip()]


@dataclass(frozen=True)
class CameoCode:
    code: str
    name: str
    goldstein: float

    @property
    def root(self) -> str:
        return self.code[:2]

    @property
    def quad_class(self) -> int:
        """1 verbal cooperation (01-05), 2 material cooperation (06-08), 3 verbal conflict (09-13),
        4 material conflict (14-20): GDELT's QuadClass."""
        r = int(self.root)
        return 1 if r <= 5 else 2 if r <= 8 else 3 if r <= 13 else 4


@cache
def cameo_codes() -> dict[str, CameoCode]:
    out = {}
    for row in read_table("cameo.tsv"):
        out[row["code"]] = CameoCode(row["code"], row["name"][:1].upper() + row["name"][1:].lower()
                                     if row["name"].isupper() else row["name"], float(row["goldstein"]))
    return out


def cameo(code: str) -> CameoCode:
    try:
        return cameo_codes()[code]
    except KeyError:
        raise DataFileError(f"cameo.tsv: unknown CAMEO code {code!r}") from None


@cache
def country_names() -> dict[str, str]:
    """iso3 -> the country's name."""
    return {row["iso3"]: row["name"] for row in read_table("countries.tsv")}


@cache
def country_lookup() -> dict[str, str]:
    """Every name, alias, demonym and capital (lower case) and every iso3 code -> iso3."""
    out: dict[str, str] = {}
    for row in read_table("countries.tsv"):
        iso = row["iso3"]
        out[iso.lower()] = iso
        for cell in ("name", "aliases", "demonyms", "capitals"):
            for word in split(row.get(cell, "")):
                out.setdefault(word.lower(), iso)
    for row in read_table("organisations.tsv"):
        if row.get("kind") == "igo":
            out.setdefault(row["code"].lower(), row["code"])
    return out


def resolve_country(text: str) -> str | None:
    """'Pakistan', 'pak', 'Russian', 'Moscow' -> ISO alpha-3 (or an organisation's code); None if unknown."""
    return country_lookup().get(text.strip().lower())
