"""The local web explorer (`bilat serve`): pages to search and read the store, and the same data as JSON.

Pages, plain HTML with no script (filters are a form sent with GET, so every view has its own address):

- `/`: the events of a pair or of all pairs, filtered by period, sector, status, quad class and words, with
  the timeline chart of what is shown;
- `/events/{event_id}`: one event, its fields and conflicts, and every sentence reporting it highlighted in its
  article;
- `/articles/{article_id}`: one article's cleaned text with the sentences of its events highlighted, and those
  events.

The JSON API under `/api/` mirrors the command line (events, one event, one article, pairs, index, facts,
conflicts, stories, report data); its OpenAPI description is `/api/openapi.json`. The explorer only reads the store
(it opens it read-only for each request) and answers on 127.0.0.1 unless told otherwise. Article text is data:
pages are autoescaped templates under a content security policy that forbids scripts.
"""
from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Annotated, Optional

import jinja2
from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from . import __version__
from .charts import QUAD_COLOURS, QUAD_NAMES, timeline_svg
from .errors import StoreError, UsageError
from .knowledge import country_names, resolve_country
from .relations import PERIODS, list_conflicts, relations_index
from .report import STATUSES, briefing
from .store import Store
from .stories import stories

PAGE_SIZE = 500  # events listed on one page at most; the API takes `limit`
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; base-uri 'none'"


# Query parameters shared by the API and the pages (module level: the annotations are resolved by name)
Pair = Annotated[Optional[str], Query(description="Two countries, 'PAK-RUS'; none for all pairs.")]
OnePair = Annotated[str, Query(description="Two countries, 'PAK-RUS'.")]
From = Annotated[Optional[str], Query(alias="from", description="First date: YYYY, YYYY-MM or YYYY-MM-DD.")]
To = Annotated[Optional[str], Query(alias="to", description="Last date, the same way.")]
Quad = Annotated[Optional[int], Query(ge=1, le=4, description="Quad class, 1 to 4.")]
Limit = Annotated[int, Query(ge=1, le=100000)]
Offset = Annotated[int, Query(ge=0)]
MinArticles = Annotated[int, Query(ge=1)]
By = Annotated[str, Query(description=f"One of {', '.join(PERIODS)}.")]


def _templates() -> jinja2.Environment:
    loader = jinja2.FunctionLoader(lambda name: resources.files("bilat").joinpath("templates", name)
                                   .read_text(encoding="utf-8"))
    return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True)


def _pair(pair: str | None) -> tuple[str, str] | None:
    """'PAK-RUS', 'Russia-Pakistan' or 'russia,pakistan' -> ('PAK', 'RUS'); None or '' for all pairs."""
    if not pair:
        return None
    parts = [p for p in re.split(r"[-,/ ]+", pair.strip()) if p]
    codes = [resolve_country(p) for p in parts]
    if len(parts) != 2 or None in codes:
        raise HTTPException(400, f"pair {pair!r}: name two countries, e.g. PAK-RUS")
    return tuple(sorted(codes))  # type: ignore[return-value]


def _segments(text: str, sentences: dict[str, str]) -> list[dict]:
    """The article text cut into pieces, each sentence of an event marked: [{"text", "event_id" or None}]."""
    spans = []
    for sentence, event_id in sentences.items():
        words = sentence.split()
        if not words:
            continue
        m = re.search(r"\s+".join(re.escape(w) for w in words), text)
        if m:
            spans.append((m.start(), m.end(), event_id))
    out, pos = [], 0
    for start, end, event_id in sorted(spans):
        if start < pos:
            continue  # overlapping sentences: the first one stays marked
        out.append({"text": text[pos:start], "event_id": None})
        out.append({"text": text[start:end], "event_id": event_id})
        pos = end
    out.append({"text": text[pos:], "event_id": None})
    return out


def create_app(db: str) -> FastAPI:
    """The explorer over the store file `db`, read-only."""
    if not Path(db).exists():
        raise StoreError(f"{db}: no such store; run `bilat run PATH... --db {db}` first")
    app = FastAPI(title="bilat explorer", version=__version__, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Read-only JSON over a bilat store; the same records as `bilat export` (CONTRACT.md).")
    env = _templates()
    names = country_names()

    def store() -> Store:
        return Store(db, read_only=True)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(UsageError)
    async def usage_error(request: Request, err: UsageError):
        return JSONResponse({"detail": str(err)}, status_code=400)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, err: HTTPException):
        """JSON for the API, a page for a person."""
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": err.detail}, status_code=err.status_code)
        return page("error.html.j2", err.status_code, message=err.detail)

    @app.exception_handler(StoreError)
    async def store_unavailable(request: Request, err: StoreError):
        """The store cannot be opened now (a run is writing it): 503 with the reason in one line."""
        return await http_error(request, HTTPException(503, str(err)))

    def page(template: str, status_code: int = 200, **context) -> HTMLResponse:
        return HTMLResponse(env.get_template(template).render(version=__version__, **context),
                            status_code=status_code)

    def pairs(st: Store) -> list[dict]:
        rows = st.db.execute("SELECT pair, count(*) FROM events GROUP BY pair ORDER BY count(*) DESC, pair").fetchall()
        return [{"pair": p, "name": " – ".join(names.get(c, c) for c in p.split("-")), "events": n} for p, n in rows]

    def selected(pair, date_from, date_to, sector, status, quad, q, limit: int, offset: int = 0) -> tuple[int, list]:
        """How many events pass the filters, and the page of them from `offset` on (the store filters and
        pages: a busy pair's list reads only what it shows)."""
        filters = {"pair": _pair(pair), "since": date_from, "until": date_to, "sector": sector, "status": status,
                   "quad": quad, "words": (q or "").split()}
        with store() as st:
            return st.count_events(**filters), list(st.event_records(**filters, limit=limit, offset=offset))

    def event_of(event_id: str) -> dict:
        with store() as st:
            found = st.db.execute("SELECT pair FROM events WHERE event_id = ?", [event_id]).fetchone()
            if not found:
                raise HTTPException(404, f"no event {event_id!r}")
            pair = tuple(found[0].split("-"))
            event = next(st.event_records(pair, event_ids=[event_id]))  # type: ignore[arg-type]
            ids = st.db.execute("SELECT m.article_id FROM event_links l JOIN event_mentions m USING (mention_id) "
                                "WHERE l.event_id = ? ORDER BY m.source, m.sentence_index", [event_id]).fetchall()
        for m, (article_id,) in zip(event["mentions"], ids):
            m["article_id"] = article_id
        return event

    def article_of(article_id: str) -> dict:
        with store() as st:
            article = next(st.article_records([article_id]), None)
            if article is None:
                raise HTTPException(404, f"no article {article_id!r}")
            rows = st.db.execute(
                "SELECT DISTINCT l.event_id, m.sentence FROM event_links l JOIN event_mentions m USING (mention_id) "
                "WHERE m.article_id = ?", [article_id]).fetchall()
            ids = {r[0] for r in rows}
            events = list(st.event_records(event_ids=sorted(ids))) if ids else []
        article["events"] = events
        told: dict[str, list[str]] = {}  # a sentence may report several events
        for event_id, sentence in sorted(rows):
            told.setdefault(sentence, []).append(event_id)
        article["sentences"] = told
        return article

    # -- JSON API ---------------------------------------------------------------------------------------------
    @app.get("/api/pairs", tags=["events"], summary="Country pairs with their number of events")
    def api_pairs() -> list[dict]:
        with store() as st:
            return pairs(st)

    @app.get("/api/events", tags=["events"], summary="Events, filtered (bilat export events, bilat timeline)")
    def api_events(pair: Pair = None, date_from: From = None, date_to: To = None, sector: Optional[str] = None,
                   status: Optional[str] = None, quad: Quad = None, q: Optional[str] = None, limit: Limit = 1000,
                   offset: Offset = 0) -> dict:
        total, found = selected(pair, date_from, date_to, sector, status, quad, q, limit, offset)
        return {"total": total, "offset": offset, "events": found}

    @app.get("/api/events/{event_id}", tags=["events"], summary="One event with all its mentions")
    def api_event(event_id: str) -> dict:
        return event_of(event_id)

    @app.get("/api/articles/{article_id}", tags=["articles"], summary="One article, its cleaned text and events")
    def api_article(article_id: str) -> dict:
        article = article_of(article_id)
        article.pop("sentences")
        return article

    @app.get("/api/index", tags=["relations"], summary="The relations index (bilat index)")
    def api_index(pair: OnePair, by: By = "month", sector: Optional[str] = None) -> dict:
        a, b = _pair(pair)  # type: ignore[misc]
        with store() as st:
            return relations_index(st, a, b, by, sector)

    @app.get("/api/facts", tags=["relations"], summary="Facts of projects and deals (bilat facts)")
    def api_facts(pair: Pair = None) -> list[dict]:
        with store() as st:
            return st.fact_records(_pair(pair))

    @app.get("/api/conflicts", tags=["relations"], summary="Where sources disagree (bilat conflicts)")
    def api_conflicts(pair: Pair = None) -> list[dict]:
        with store() as st:
            return list_conflicts(st, _pair(pair))

    @app.get("/api/stories", tags=["articles"], summary="Stories and how each was covered (bilat stories)")
    def api_stories(pair: Pair = None, min_articles: MinArticles = 1) -> list[dict]:
        with store() as st:
            return stories(st, _pair(pair), min_articles)

    @app.get("/api/report", tags=["relations"], summary="The briefing's content (bilat report), without charts")
    def api_report(pair: OnePair, date_from: From = None, date_to: To = None) -> dict:
        a, b = _pair(pair)  # type: ignore[misc]
        with store() as st:
            data = briefing(st, a, b, date_from, date_to)
        for key in ("timeline_svg", "index_svg", "quad_names", "quad_colours"):
            data.pop(key)
        return data

    # -- pages ------------------------------------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(pair: Optional[str] = None, date_from: From = None, date_to: To = None, sector: Optional[str] = None,
             status: Optional[str] = None, quad: Optional[str] = None, q: Optional[str] = None) -> HTMLResponse:
        quad_n = int(quad) if quad and quad.isdigit() and 1 <= int(quad) <= 4 else None
        total, shown = selected(pair or None, date_from or None, date_to or None, sector or None, status or None,
                                quad_n, q, PAGE_SIZE)
        with store() as st:
            all_pairs = pairs(st)
            sectors = [r[0] for r in st.db.execute("SELECT DISTINCT sector FROM events WHERE sector IS NOT NULL "
                                                   "ORDER BY sector").fetchall()]
        return page("explorer.html.j2", events=shown, total=total, timeline=timeline_svg(shown),
                    pairs=all_pairs, sectors=sectors, statuses=STATUSES, quad_names=QUAD_NAMES,
                    quad_colours=QUAD_COLOURS,
                    f={"pair": pair or "", "from": date_from or "", "to": date_to or "", "sector": sector or "",
                       "status": status or "", "quad": str(quad_n or ""), "q": q or ""})

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_page(event_id: str) -> HTMLResponse:
        event = event_of(event_id)
        texts = {}
        for m in event["mentions"]:
            if m["article_id"] not in texts:
                article = article_of(m["article_id"])
                mine = {s: event_id for s, ids in article["sentences"].items() if event_id in ids}
                texts[m["article_id"]] = {"article": article, "segments": _segments(article["text"], mine),
                                          "title": _segments(article["title"] or "", mine)}
        return page("event.html.j2", e=event, texts=list(texts.values()), quad_names=QUAD_NAMES)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str) -> HTMLResponse:
        article = article_of(article_id)
        first = {s: ids[0] for s, ids in article["sentences"].items()}  # the mark links to the first of its events
        return page("article.html.j2", a=article, segments=_segments(article["text"], first),
                    title=_segments(article["title"] or "", first))

    return app


def serve(db: str, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the explorer until interrupted."""
    import uvicorn

    uvicorn.run(create_app(db), host=host, port=port, log_level="warning")
