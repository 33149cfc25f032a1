"""``GET /``: the web page for people, and the HTML layer the vocabulary and query routes share.

Server-rendered with Jinja2 (autoescaped), one stylesheet and one small script served from the
package (no CDN). Everything works without scripts except the SPARQL box's in-page table, whose
form falls back to a plain POST to ``/sparql``. The page language is ``?ui=fi|sv|en``, else the
first of them in ``Accept-Language``, else English; labels are shown in all three languages.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from servicenet_vocab import namespaces as ns
from servicenet_vocab.errors import NotFoundError
from servicenet_vocab.queries import list_queries
from servicenet_vocab.vocabulary.index import LANGUAGES, Vocabulary

router = APIRouter(tags=["web page"])

PACKAGE = Path(__file__).resolve().parent.parent
STATIC = {"style.css": "text/css", "app.js": "text/javascript"}
_environment = Environment(
    loader=FileSystemLoader(PACKAGE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_build_lock = threading.Lock()

TEXTS: dict[str, dict[str, str]] = {
    "fi": {
        "title": "Palveluverkkosanastot",
        "skip": "Siirry sisältöön",
        "language": "Kieli",
        "search": "Hae termejä",
        "search_button": "Hae",
        "search_text": "Hakusana",
        "any_language": "kaikki kielet",
        "any_type": "kaikki tyypit",
        "classes": "Luokat",
        "codelists": "Koodistot",
        "queries": "Suunnittelukyselyt",
        "run": "Suorita",
        "sparql": "SPARQL-kysely",
        "validate": "Tarkista tiedosto",
        "validate_help": "Turtle-, JSON-LD-, N-Triples- tai RDF/XML-tiedosto; mitään ei tallenneta.",
        "file": "Tiedosto",
        "name": "Nimi",
        "concepts": "Käsitteitä",
        "results": "Tulokset",
        "rows": "riviä",
        "no_results": "Ei tuloksia.",
        "definition": "Määritelmä",
        "formats": "Muut muodot",
        "home": "Etusivu",
        "broader": "Laajempi",
        "narrower": "Suppeammat",
        "properties": "Ominaisuudet",
        "domain": "Määrittelyjoukko",
        "range": "Arvojoukko",
        "scheme": "Koodisto",
        "all_triples": "Kaikki tiedot",
        "type": "Tyyppi",
        "parameters": "Parametrit",
        "shown": "näytetään ensimmäiset",
    },
    "sv": {
        "title": "Servicenätsvokabulärer",
        "skip": "Hoppa till innehållet",
        "language": "Språk",
        "search": "Sök termer",
        "search_button": "Sök",
        "search_text": "Sökord",
        "any_language": "alla språk",
        "any_type": "alla typer",
        "classes": "Klasser",
        "codelists": "Kodlistor",
        "queries": "Planeringsfrågor",
        "run": "Kör",
        "sparql": "SPARQL-fråga",
        "validate": "Validera en fil",
        "validate_help": "En Turtle-, JSON-LD-, N-Triples- eller RDF/XML-fil; inget sparas.",
        "file": "Fil",
        "name": "Namn",
        "concepts": "Begrepp",
        "results": "Resultat",
        "rows": "rader",
        "no_results": "Inga resultat.",
        "definition": "Definition",
        "formats": "Andra format",
        "home": "Startsida",
        "broader": "Bredare",
        "narrower": "Smalare",
        "properties": "Egenskaper",
        "domain": "Domän",
        "range": "Värdemängd",
        "scheme": "Kodlista",
        "all_triples": "Alla uppgifter",
        "type": "Typ",
        "parameters": "Parametrar",
        "shown": "de första visas",
    },
    "en": {
        "title": "Service-network vocabularies",
        "skip": "Skip to content",
        "language": "Language",
        "search": "Search terms",
        "search_button": "Search",
        "search_text": "Search text",
        "any_language": "any language",
        "any_type": "any type",
        "classes": "Classes",
        "codelists": "Code lists",
        "queries": "Planning queries",
        "run": "Run",
        "sparql": "SPARQL query",
        "validate": "Validate a file",
        "validate_help": "A Turtle, JSON-LD, N-Triples or RDF/XML file; nothing is stored.",
        "file": "File",
        "name": "Name",
        "concepts": "Concepts",
        "results": "Results",
        "rows": "rows",
        "no_results": "No results.",
        "definition": "Definition",
        "formats": "Other formats",
        "home": "Home",
        "broader": "Broader",
        "narrower": "Narrower",
        "properties": "Properties",
        "domain": "Domain",
        "range": "Range",
        "scheme": "Code list",
        "all_triples": "All statements",
        "type": "Type",
        "parameters": "Parameters",
        "shown": "showing the first",
    },
}


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


def _vocabulary_of(app: FastAPI) -> Vocabulary:
    with _build_lock:
        vocabulary: Vocabulary | None = getattr(app.state, "vocabulary", None)
        if vocabulary is None:
            # The vocabulary graphs are written only at start-up (vocabulary.load_all), so the
            # index is built once per app, on first use.
            vocabulary = Vocabulary.from_store(app.state.store)
            app.state.vocabulary = vocabulary
        return vocabulary


async def get_vocabulary(request: Request) -> Vocabulary:
    cached: Vocabulary | None = getattr(request.app.state, "vocabulary", None)
    if cached is not None:
        return cached
    return await to_thread.run_sync(_vocabulary_of, request.app)


VocabularyDep = Annotated[Vocabulary, Depends(get_vocabulary)]


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


@router.get("/static/{name}", include_in_schema=False)
def static(name: str) -> Response:
    if name not in STATIC:
        raise NotFoundError(f"no static file {name!r}")
    return Response(
        (PACKAGE / "static" / name).read_bytes(),
        media_type=STATIC[name],
        headers={"Cache-Control": "public, max-age=3600"},
    )
