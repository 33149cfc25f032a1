"""``GET /``: the web page for people, and the HTML layer the vocabulary and query routes share.

Server-rendered with Jinja2 (autoescaped), one stylesheet and one small script served from the
package (no CDN). Everything works without scripts except the SPARQL box's in-page table, whose
form falls back to a plain POST to ``/sparql``. The page language is ``?ui=fi|sv|en``, else the
first of them in ``Accept-Language``, else English; labels are shown in all three languages.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from servicenet_api.deps import VocabularyDep, get_vocabulary
from servicenet_api.errors import error_responses
from servicenet_api.texts import TEXTS
from servicenet_vocab import namespaces as ns
from servicenet_vocab.errors import NotFoundError
from servicenet_vocab.queries import list_queries
from servicenet_vocab.vocabulary.index import LANGUAGES

__all__ = ["VocabularyDep", "display_language", "get_vocabulary", "link_for", "render"]

router = APIRouter(tags=["web page"])

PACKAGE = Path(__file__).resolve().parent.parent
STATIC = {
    "style.css": "text/css",
    "app.js": "text/javascript",
    "map.css": "text/css",  # the maps and charts (routes/maps.py)
    "map.js": "text/javascript",
    "chart.js": "text/javascript",
}
_environment = Environment(
    loader=FileSystemLoader(PACKAGE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def display_language(request: Request) -> str:
    """fi, sv or en from ``?ui=``, else the first of them in Accept-Language, else en."""
    asked = request.query_params.get("ui") or request.headers.get("accept-language", "")
    for part in asked.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return "en"


def link_for(iri: str) -> str | None:
    """Where a project IRI is served by this facade (None for other IRIs)."""
    if iri == ns.ONTOLOGY_IRI:
        return "/ontology"
    if iri.startswith(ns.SN):
        return "/vocab/term/" + iri[len(ns.SN) :]
    if iri.startswith(ns.CODE):
        return "/code/" + iri[len(ns.CODE) :]
    return None


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    ui = display_language(request)
    switch = {lang: _same_page(request, ui=lang) for lang in LANGUAGES}
    page = _environment.get_template(template).render(
        ui=ui,
        t=TEXTS[ui],
        languages=LANGUAGES,
        switch=switch,
        link_for=link_for,
        **context,
    )
    return HTMLResponse(page, status_code=status, headers={"Vary": "Accept, Accept-Language"})


def _same_page(request: Request, **params: str) -> str:
    """This page's path and query with ``params`` replaced (relative, so proxies keep working)."""
    url = request.url.include_query_params(**params)
    return f"{url.path}?{url.query}"


@router.get(
    "/", response_class=HTMLResponse, summary="The web page: browse, search, query, validate"
)
async def home(request: Request, vocabulary: VocabularyDep) -> HTMLResponse:
    return render(
        request,
        "home.html",
        classes=vocabulary.classes(),
        schemes=[(s, len(vocabulary.concepts(s.name))) for s in vocabulary.schemes()],
        queries=list_queries(),
        term_types=["class", "property", "scheme", "concept"],
        search_languages=vocabulary.languages,
    )


@router.get("/static/{name}", include_in_schema=False, responses=error_responses(NotFoundError))
def static(name: str) -> Response:
    if name not in STATIC:
        raise NotFoundError(f"no static file {name!r}")
    return Response(
        (PACKAGE / "static" / name).read_bytes(),
        media_type=STATIC[name],
        headers={"Cache-Control": "public, max-age=3600"},
    )
