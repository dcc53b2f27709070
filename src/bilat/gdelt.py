"""The events as rows of GDELT 1.0's event table, so tools built for GDELT can load bilat's output.

GDELT 1.0 daily files are tab-separated, without a header, 58 columns in the order of GDELT_COLUMNS. bilat fills
the columns that apply and leaves the others empty:

- GLOBALEVENTID: a number from the event's id (its first 15 hex digits), the mirrored row of a joint act (GDELT
  codes "Russia and Pakistan signed" once from each side) from the id and the word "mirror";
- SQLDATE, MonthYear, Year, FractionDate: the event's date; a date known only to the month or the year is put on
  its first day (GDELT has only days). Events without a date are left out, as GDELT has none;
- Actor1/2Code, Name (upper case, as GDELT writes names), CountryCode, KnownGroupCode, Religion1Code, Type1-3Code:
  from the actor code ("RUSGOV": country RUS, type GOV; "IGOUNO": type IGO, group UNO);
- IsRootEvent: 1 when a source tells the event in its title or first three sentences;
- EventCode, EventBaseCode, EventRootCode, QuadClass, GoldsteinScale: the CAMEO code and its values;
- NumMentions: sentences; NumSources: distinct outlets (an article without a named outlet counts as its own);
  NumArticles: distinct articles;
- AvgTone: empty (bilat measures no tone); ActionGeo_FullName: the event's location; other geography is empty
  (GDELT's geography uses FIPS codes and coordinates bilat does not keep);
- DATEADDED: the day the first source was published (the day the event entered the news, so the same store
  always writes the same file); SOURCEURL: the first source's URL, else its file name.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from .knowledge import country_names
from .store import Store

GDELT_COLUMNS = [
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    *(f"Actor{n}{c}" for n in (1, 2) for c in (
        "Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
        "Type1Code", "Type2Code", "Type3Code")),
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    *(f"{g}_{c}" for g in ("Actor1Geo", "Actor2Geo", "ActionGeo") for c in (
        "Type", "FullName", "CountryCode", "ADM1Code", "Lat", "Long", "FeatureID")),
    "DATEADDED", "SOURCEURL",
]

_ORGANISATION_TYPES = {"IGO", "IMG", "NGO", "NGM", "MNC", "INT", "UIS"}
_RELIGIONS = {"MUS", "CHR", "JEW", "HIN", "BUD", "SIK", "BAH", "JAN", "SHN", "TAO", "CON", "ZRO", "ATH", "ADR"}
LEAD_SENTENCES = 3  # title (sentence 0) and the first three sentences: GDELT's "lead paragraph"


def _actor(code: str, name: str | None, countries: set[str]) -> dict[str, str]:
    """GDELT's actor columns from a CAMEO actor code."""
    parts = [code[i:i + 3] for i in range(0, len(code), 3)]
    out = {"Code": code, "Name": (name or "").upper(), "CountryCode": "", "KnownGroupCode": "", "EthnicCode": "",
           "Religion1Code": "", "Religion2Code": ""}
    types: list[str] = []
    if parts and parts[0] in countries:
        out["CountryCode"] = parts.pop(0)
    if parts and parts[0] in _ORGANISATION_TYPES:
        types.append(parts.pop(0))
        if parts and parts[-1] not in _RELIGIONS:
            out["KnownGroupCode"] = parts.pop()
    for p in parts:
        if p in _RELIGIONS and not out["Religion1Code"]:
            out["Religion1Code"] = p
        else:
            types.append(p)
    for k in range(3):
        out[f"Type{k + 1}Code"] = types[k] if k < len(types) else ""
    return out


def _day(date: str) -> dt.date:
    """The first day of a date known to the day, the month or the year."""
    parts = [int(p) for p in date.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _numeric_id(event_id: str, mirrored: bool) -> int:
    key = event_id if not mirrored else hashlib.sha256(f"{event_id} mirror".encode()).hexdigest()
    return int(key[:15], 16)


def gdelt_rows(store: Store) -> Iterator[list]:
    """One GDELT row per directed event with a date, in the store's event order."""
    countries = set(country_names())
    extras = {r[0]: r[1:] for r in store.db.execute(f"""
        SELECT l.event_id,
               bool_or(m.sentence_index <= {LEAD_SENTENCES}) AS lead,
               count(*) AS mentions,
               count(DISTINCT coalesce(a.outlet, a.article_id)) AS outlets,
               count(DISTINCT m.article_id) AS articles,
               min(m.published) AS first_day,
               arg_min(coalesce(a.url, a.source), coalesce(m.published, '9999') || m.source) AS url
        FROM event_links l JOIN event_mentions m USING (mention_id) JOIN articles a USING (article_id)
        GROUP BY l.event_id""").fetchall()}
    for e in store.event_records():
        if not e["date"]:
            continue
        lead, mentions, outlets, articles, first_day, url = extras[e["event_id"]]
        sides = [(e["source"], e["source_name"], e["target"], e["target_name"], False)]
        if e["joint"]:
            sides.append((e["target"], e["target_name"], e["source"], e["source_name"], True))
        day = _day(e["date"])
        for a1, n1, a2, n2, mirrored in sides:
            row = {"GLOBALEVENTID": _numeric_id(e["event_id"], mirrored), "SQLDATE": day.strftime("%Y%m%d"),
                   "MonthYear": day.strftime("%Y%m"), "Year": day.strftime("%Y"),
                   "FractionDate": f"{day.year + (day.timetuple().tm_yday - 1) / 365:.4f}",
                   "IsRootEvent": int(bool(lead)), "EventCode": e["cameo"], "EventBaseCode": e["cameo"][:3],
                   "EventRootCode": e["cameo"][:2], "QuadClass": e["quad_class"],
                   "GoldsteinScale": e["goldstein"], "NumMentions": mentions, "NumSources": outlets,
                   "NumArticles": articles, "ActionGeo_FullName": e["location"] or "",
                   "DATEADDED": (first_day or e["date"]).replace("-", "")[:8], "SOURCEURL": url or ""}
            row.update({f"Actor1{k}": v for k, v in _actor(a1, n1, countries).items()})
            row.update({f"Actor2{k}": v for k, v in _actor(a2, n2, countries).items()})
            yield [row.get(c, "") for c in GDELT_COLUMNS]


def write_gdelt(rows: Iterable[list], out: str | None) -> int:
    """Write GDELT rows, tab-separated without a header, to `out` (None or '-': standard output)."""
    def write(fh) -> int:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_NONE, escapechar="\\")
        n = 0
        for row in rows:
            writer.writerow([str(v).replace("\t", " ").replace("\n", " ") for v in row])
            n += 1
        return n

    if out and out != "-":
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        with open(out, "w", encoding="utf-8", newline="") as fh:
            return write(fh)
    return write(sys.stdout)
