"""Benchmark: consolidation cost as the number of event mentions grows.

Builds synthetic event mentions shaped like a news collection (a few busy country pairs and many quiet ones,
twenty CAMEO codes, ten years of dates, some undated or dated only by their report, some with counted objects),
consolidates 10,000, 30,000 and 100,000 of them in one process, and prints the time, the time per mention and
the peak memory traced during each run. Blocking makes the cost grow with the number of mentions: the time per
mention should stay about flat from one size to the next.

    python bench/consolidate.py [--sizes 10000,30000,100000]
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import time
import tracemalloc

from bilat.consolidate import consolidate
from bilat.model import EventMention, Quantity

COUNTRIES = ["RUS", "PAK", "IND", "CHN", "USA", "AFG", "IRN", "TUR", "SAU", "GBR", "FRA", "DEU", "JPN", "KOR",
             "UKR", "ISR", "PSE", "EGY", "QAT", "ARE", "BGD", "LKA", "NPL", "KAZ", "UZB", "TKM", "AZE", "ARM"]
CODES = ["010", "020", "036", "040", "042", "043", "046", "057", "061", "062", "071", "112", "120", "130",
         "163", "172", "190", "193", "195", "050"]


def mentions(n: int, seed: int = 7) -> list[EventMention]:
    rng = random.Random(seed)
    pairs = [(a, b) for i, a in enumerate(COUNTRIES) for b in COUNTRIES[i + 1:]]
    weights = [1 / (k + 1) for k in range(len(pairs))]  # a few busy pairs, many quiet ones
    start = dt.date(2015, 1, 1)
    out = []
    for i in range(n):
        a, b = rng.choices(pairs, weights)[0]
        if rng.random() < 0.5:
            a, b = b, a
        code = rng.choice(CODES)
        day = start + dt.timedelta(days=rng.randrange(3650))
        r = rng.random()
        date, basis = (None, "none") if r < 0.1 else (day.isoformat()[:7], "text") if r < 0.2 else \
            (day.isoformat(), "published" if r < 0.3 else "text")
        qty = [Quantity(f"{rng.randint(2, 9)} helicopters", float(rng.randint(2, 9)), "helicopter")] \
            if rng.random() < 0.05 else []
        article = f"a{i // 8:07d}"
        out.append(EventMention(
            mention_id=f"m{i:08d}", article_id=article, source=f"{article}.txt", sentence=f"Sentence {i}.",
            sentence_index=i % 8, published=day.isoformat(), actor1=a, actor1_name=a, actor2=b, actor2_name=b,
            cameo=code, event_type=code, quad_class=1 + CODES.index(code) % 4, goldstein=1.0,
            status=rng.choices(["occurred", "planned", "possible", "negated"], [80, 12, 6, 2])[0],
            sector="diplomacy", date=date, date_basis=basis, quantities=qty, trigger=f"t{i % 3}"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,30000,100000")
    args = parser.parse_args()
    print(f"{'mentions':>9} {'events':>8} {'seconds':>8} {'us/mention':>11} {'peak MiB':>9}")
    for n in [int(x) for x in args.sizes.split(",")]:
        ms = mentions(n)
        tracemalloc.start()
        t0 = time.perf_counter()
        events = consolidate(ms)
        took = time.perf_counter() - t0
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        print(f"{n:>9} {len(events):>8} {took:>8.2f} {took / n * 1e6:>11.1f} {peak:>9.1f}")


if __name__ == "__main__":
    main()
