"""Why a sentence is coded as it is: the parse, the actors, the time expressions, the triggers and, for each
event mention, every field with what set it. `bilat explain` prints these lines.

    explain_sentence("Russian foreign minister Sergey Lavrov arrived in Islamabad on Tuesday.", "2021-04-07")

gives, among others, `actors: ... 'Sergey Lavrov' [3-4] -> RUSGOV (person); 'Islamabad' [7-7] -> PAKGOV
(capital: Pakistan)`, `times: 'Tuesday' -> 2021-04-06 (date)`, `triggers: arrived -> arrive -> 042 (Make a visit)
[status occurred]` and the event `RUSGOV (Sergey Lavrov) -> PAKGOV (Pakistan): 042 Make a visit` with its status,
date, location and `pattern arrive, actors by parse`. A sentence without an event says which step failed: no
actors, no country (only role words), one country, no trigger, or no two parties in the parse.
"""
from __future__ import annotations

import datetime as dt
import re

from .annotate import Annotator, annotate_text
from .errors import UsageError
from .events import EventCoder, Trigger, _Parse, _status, find_triggers
from .knowledge import cameo
from .model import ActorMention, EventMention, Sentence

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_date(published: str | None) -> str | None:
    """`published` if it is a real YYYY-MM-DD date (or None); else a UsageError."""
    if published is None:
        return None
    try:
        if not _ISO_DATE.fullmatch(published):
            raise ValueError
        dt.date.fromisoformat(published)
    except ValueError:
        raise UsageError(f"publication date {published!r}: not a date, give YYYY-MM-DD (e.g. 2021-04-07)") from None
    return published


def explain_sentence(text: str, published: str | None = None, annotator: Annotator | None = None) -> list[str]:
    """Plain text lines explaining how `text` (one sentence or a few) is coded when published on `published`
    (YYYY-MM-DD, the anchor of relative dates). Raises UsageError for a date that is not YYYY-MM-DD."""
    published = check_date(published)
    if not text.strip():
        raise UsageError("nothing to explain: the sentence is empty")
    annotated = annotate_text(text, published, annotator)
    mentions = EventCoder().code(annotated)
    lines = [f"published: {published or 'unknown (relative dates stay unresolved)'}"]
    if annotated.focus:
        lines.append(f"focus pair: {'-'.join(annotated.focus)}")
    for sentence in annotated.sentences:
        if sentence.text.strip():
            lines += _explain(sentence, [m for m in mentions if m.sentence_index == sentence.index])
    return lines


def _explain(sentence: Sentence, mentions: list[EventMention]) -> list[str]:
    parse = _Parse(sentence)
    triggers = find_triggers(sentence, parse)
    lines = ["", f"sentence {sentence.index}: {sentence.text}"]
    lines.append("  tokens: " + " ".join(f"{t.i}:{t.text}/{t.dep}>{t.head}" for t in sentence.tokens))
    lines.append("  actors: " + ("; ".join(_actor(a) for a in sentence.actors) or "none"))
    lines.append("  times: " + ("; ".join(f"{te.text!r} -> {te.value or 'unresolved'} ({te.kind})"
                                          for te in sentence.times) or "none"))
    lines.append("  triggers: " + ("; ".join(_trigger(tr, parse) for tr in triggers) or "none"))
    if mentions:
        lines.append(f"  events ({len(mentions)}):")
        for m in mentions:
            lines += _mention(m)
    else:
        lines.append("  no event: " + _why_not(sentence, triggers))
    return lines


def _actor(a: ActorMention) -> str:
    named = f": {a.name}" if a.name and a.name != a.text else ""
    return f"{a.text!r} [{a.start}-{a.end - 1}] -> {a.code or '?'} ({a.kind}{named})"


def _trigger(tr: Trigger, parse: _Parse) -> str:
    word = parse.tokens[tr.token]
    code = cameo(tr.pattern.cameo)
    extra = []
    if tr.predicate != tr.token:
        extra.append(f"carried by {parse.tokens[tr.predicate].text!r}")
    if tr.consumed:
        extra.append("with " + ", ".join(repr(parse.tokens[i].text) for i in sorted(tr.consumed)))
    status, cue, intent = _status(tr, parse)
    turns = {True: " (an expression of intent)", "refusal": " (a refusal: coded as a rejection)",
             "announced": " (announced: an intent when its doer announces it)"}.get(intent, "")
    extra.append(f"status {status}" + (f" by {cue!r}" if cue else "") + turns)
    return f"{word.text} -> {tr.pattern.id} -> {code.code} ({code.name}) [{', '.join(extra)}]"


def _mention(m: EventMention) -> list[str]:
    pattern, _, how = m.pattern.partition(" (")
    quantities = ", ".join(f"{q.text} = {q.value:g}{' ' + q.unit if q.unit else ''}" if q.value is not None
                           else q.text for q in m.quantities) or "none"
    return [f"    {m.actor1} ({m.actor1_name}) -> {m.actor2} ({m.actor2_name}): {m.cameo} {m.event_type}",
            f"      quad class {m.quad_class}, Goldstein {m.goldstein:g}, sector {m.sector}",
            f"      status {m.status}" + (f" (cue: {m.status_cue!r})" if m.status_cue else " (no cue)"),
            f"      date {m.date or 'none'} (basis: {m.date_basis}), location {m.location or 'none'}",
            f"      quantities: {quantities}",
            f"      trigger {m.trigger!r}, pattern {pattern}, actors by {how.rstrip(')') or '?'}"]


def _why_not(sentence: Sentence, triggers: list[Trigger]) -> str:
    """Which step of the coder left the sentence without an event."""
    if not sentence.actors:
        return "no actors: no country, organisation or known person is named"
    parties = {a.country or a.code for a in sentence.actors} - {"", None}
    if not parties:
        roles = ", ".join(repr(a.text) for a in sentence.actors)
        return f"no country or organisation named ({roles}: without a country)"
    if len(parties) < 2:
        return f"all actors are of one country ({', '.join(sorted(parties))}): an event needs two"
    if not triggers:
        return "no trigger (no word of data/event_patterns.tsv in an event role)"
    words = ", ".join(repr(tr.pattern.id) for tr in triggers)
    return (f"the parse gives no doer and target of two different countries for {words} (see the subjects and "
            "objects in the tokens above)")
