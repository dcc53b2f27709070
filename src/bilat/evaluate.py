"""Score bilat's output against a hand-made gold file, so users can measure bilat on articles they annotated.

The gold format is the one of `data/sample/seeds.gold.json` (documented in docs/evaluation.md):
`articles` (title, published, outlet, 1-based `boilerplate_lines`, optional `summary_lines` and
`subheading_lines`) and `events` (sorted `actors` pair, accepted CAMEO root `classes`, `date` at the
precision the text supports, accepted `status` values, `evidence` lines, `required`).

Figures:
- articles: accuracy of title, publication date (a null gold date also accepts a low-confidence date) and
  outlet; the share of furniture lines absent from the body; the share of other lines present in it.
- events, loose: a predicted event matches a gold event with the same country pair, a CAMEO root in one of
  its classes, and a mention on one of its evidence lines; strict adds an accepted status and a date at least
  as precise as gold's that agrees with it. Each prediction matches at most one gold event, required events
  first; predictions that match an optional event count neither way; the others count against precision.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UsageError

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def normalise(text: str | None) -> str:
    """Compare texts loosely: NFKC, straight quotes, folded white space, lower case."""
    text = unicodedata.normalize("NFKC", text or "").translate(_QUOTES)
    return " ".join(text.split()).lower()


def file_key(source: str) -> str:
    """The gold's key for a source: its leading three-digit prefix ('001_x.txt', 'dir/001_x.txt',
    'batch.jsonl#001_x' -> '001'), else the base name."""
    base = str(source).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    m = re.match(r"(\d{3})_", base)
    return m.group(1) if m else base


@dataclass
class PRF:
    matched: int = 0
    required: int = 0
    optional_matched: int = 0
    predictions: int = 0
    missed: list[str] = field(default_factory=list)
    unmatched_events: list[dict] = field(default_factory=list)  # predictions that matched no gold event

    @property
    def unmatched(self) -> int:
        return self.predictions - self.matched - self.optional_matched

    @property
    def precision(self) -> float:
        denominator = self.matched + self.unmatched
        return self.matched / denominator if denominator else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.required if self.required else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    title: float
    published: float
    outlet: float
    boilerplate_removed: float
    content_kept: float
    missing: list[str]
    loose: PRF
    strict: PRF

    def as_dict(self) -> dict:
        def prf(x: PRF) -> dict:
            return {"precision": round(x.precision, 3), "recall": round(x.recall, 3), "f1": round(x.f1, 3),
                    "matched_required": x.matched, "required": x.required, "optional_matched": x.optional_matched,
                    "unmatched_predictions": x.unmatched, "predictions": x.predictions, "missed": x.missed}
        return {"title_accuracy": round(self.title, 3), "published_accuracy": round(self.published, 3),
                "outlet_accuracy": round(self.outlet, 3), "boilerplate_removed": round(self.boilerplate_removed, 3),
                "content_kept": round(self.content_kept, 3), "articles_missing": self.missing,
                "events": {"loose": prf(self.loose), "strict": prf(self.strict)}}

    def details(self) -> str:
        """The gold events missed and the predictions that matched nothing, at the strict level."""
        lines = [f"missed (strict): {' '.join(self.strict.missed) or 'none'}", "unmatched predictions (strict):"]
        for e in self.strict.unmatched_events:
            sentence = (e.get("mentions") or [{}])[0].get("sentence", "")
            lines.append(f"  {e.get('date') or 'undated':<10} {e.get('status'):<8} {e.get('source')} -> "
                         f"{e.get('target')} {e.get('cameo')}  | {sentence[:100]}")
        return "\n".join(lines)

    def report(self) -> str:
        lines = [f"articles: title {self.title:.0%}  published {self.published:.0%}  outlet {self.outlet:.0%}  "
                 f"boilerplate removed {self.boilerplate_removed:.0%}  content kept {self.content_kept:.0%}  "
                 f"missing {', '.join(self.missing) or 'none'}"]
        for name, x in (("loose", self.loose), ("strict", self.strict)):
            lines.append(f"events {name:6s}: P {x.precision:.2f}  R {x.recall:.2f}  F1 {x.f1:.2f}  "
                         f"({x.matched}/{x.required} required, {x.optional_matched} optional, "
                         f"{x.unmatched} of {x.predictions} predictions unmatched)  missed: {' '.join(x.missed)}")
        return "\n".join(lines)


def load_gold(path: str | Path) -> dict:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as err:
        raise UsageError(f"{path}: cannot read gold file: {err.strerror}") from None
    except json.JSONDecodeError as err:
        raise UsageError(f"{path}: gold file is not JSON: {err}") from None


def _corpus_lines(gold: dict, corpus: Path) -> dict[str, list[str]]:
    out = {}
    for g in gold["articles"]:
        path = corpus / g["file"]
        try:
            out[file_key(g["file"])] = path.read_text(encoding="utf-8").splitlines()
        except OSError as err:
            raise UsageError(f"{path}: cannot read corpus file named by the gold: {err.strerror}") from None
    return out


def score(gold: dict, corpus: str | Path, articles: list[dict], events: list[dict]) -> Scores:
    lines = _corpus_lines(gold, Path(corpus))
    by_key: dict[str, dict] = {}
    for a in articles:
        by_key.setdefault(file_key(a.get("source") or ""), a)
    n = len(gold["articles"])
    title = published = outlet = 0
    removed = furniture = kept = content = 0
    missing = []
    for g in gold["articles"]:
        key = file_key(g["file"])
        a = by_key.get(key)
        if a is None:
            missing.append(g["file"])
            continue
        title += normalise(a.get("title")) == normalise(g["title"])
        published += (a.get("published") or None) == g["published"] or (
            g["published"] is None and a.get("published_confidence") == "low")
        outlet += normalise(a.get("outlet")) == normalise(g.get("outlet"))
        body = normalise(a.get("text"))
        either = set(g.get("summary_lines", [])) | set(g.get("subheading_lines", []))
        gold_title = normalise(g["title"])
        for number, line in enumerate(lines[key], 1):
            text = normalise(line)
            if not text or number in either or text == gold_title:
                continue  # blank, free to keep or drop, or a title copy (judged by the title field)
            if number in g["boilerplate_lines"]:
                furniture += 1
                removed += text not in body
            else:
                content += 1
                kept += text in body
    loose, strict = _score_events(gold, lines, events)
    return Scores(title / n, published / n, outlet / n, removed / max(1, furniture), kept / max(1, content),
                  missing, loose, strict)


def _country(code: str | None, aliases: dict[str, str]) -> str | None:
    if not code:
        return None
    c = str(code).upper()[:3]
    return aliases.get(c, c)


def _date_strict(gold: str | None, pred: str | None) -> bool:
    if gold is None:
        return True
    return bool(pred) and len(str(pred)) >= len(gold) and str(pred).startswith(gold)


def _score_events(gold: dict, lines: dict[str, list[str]], events: list[dict]) -> tuple[PRF, PRF]:
    aliases = gold.get("actor_aliases", {})
    root_class = {root: name for name, roots in gold["classes"].items() for root in roots}
    norm_lines = {k: [normalise(x) for x in v] for k, v in lines.items()}
    preds = []
    for e in events:
        pair = sorted({c for c in (_country(e.get("source"), aliases), _country(e.get("target"), aliases)) if c})
        mentions = [(file_key(m.get("source") or ""), normalise(m.get("sentence"))) for m in e.get("mentions") or []]
        preds.append((e, pair, root_class.get(str(e.get("cameo") or "")[:2]), mentions))

    def on_evidence(mentions, g) -> bool:
        for key, sentence in mentions:
            for gkey, number in g["evidence"]:
                if key == gkey and sentence and 0 < number <= len(norm_lines.get(gkey, [])):
                    line = norm_lines[gkey][number - 1]
                    if sentence[:60] in line or line[:60] in sentence:
                        return True
        return False

    results = []
    for strict in (False, True):
        prf = PRF(required=sum(g["required"] for g in gold["events"]), predictions=len(preds))
        used: set[int] = set()
        for g in sorted(gold["events"], key=lambda g: not g["required"]):
            hit = None
            for i, (e, pair, cls, mentions) in enumerate(preds):
                if i in used or pair != sorted(g["actors"]) or cls not in g["classes"]:
                    continue
                if not on_evidence(mentions, g):
                    continue
                if strict and not (e.get("status") in g["status"] and _date_strict(g["date"], e.get("date"))):
                    continue
                hit = i
                break
            if hit is None:
                if g["required"]:
                    prf.missed.append(g["id"])
                continue
            used.add(hit)
            if g["required"]:
                prf.matched += 1
            else:
                prf.optional_matched += 1
        prf.unmatched_events = [preds[i][0] for i in range(len(preds)) if i not in used]
        results.append(prf)
    return results[0], results[1]
