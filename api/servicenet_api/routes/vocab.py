"""``/vocab/...``: classes, properties, concept schemes and label search; dereferenceable term IRIs.

Listings and search answer JSON (default) or an HTML page; a term (``/vocab/term?iri=``,
``/vocab/term/{name}``, ``/code/{scheme}[/{notation}]``, ``/ontology``) answers Turtle (default),
JSON-LD compacted with the project's context, N-Triples, RDF/XML or an HTML page, by ``Accept`` or
``?format=``. Lookups read the in-memory index of ``servicenet_vocab.vocabulary.index``: no SPARQL is
built from request text, so nothing here needs the worker pool.
"""

from __future__ import annotations

import re
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from servicenet_api.conneg import Offer, negotiate
from servicenet_api.deps import VocabularyDep
from servicenet_api.errors import error_responses
from servicenet_api.routes.pages import link_for, render
from servicenet_vocab import namespaces as ns
from servicenet_vocab.errors import InputError, Location, NotAcceptableError, NotFoundError
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.vocabulary.index import (
    Term,
    TermType,
    Vocabulary,
    document,
    iter_types,
    shorten,
)

router = APIRouter(tags=["vocabulary"])

HTML = "text/html"
# The fmt of the JSON and HTML offers is unused: those bodies are written here, not serialised.
LIST_OFFERS = (
    Offer("application/json", RdfFormat.JSONLD, ("json",)),
    Offer(HTML, RdfFormat.RDFXML, ("html",), ("application/xhtml+xml",)),
)
TERM_OFFERS = (  # the RDF ones from the format table; HTML between them in preference
    Offer.of(RdfFormat.TURTLE.row),
    Offer.of(RdfFormat.JSONLD.row),
    Offer(HTML, RdfFormat.RDFXML, ("html",), ("application/xhtml+xml",)),
    Offer.of(RdfFormat.NTRIPLES.row),
    Offer.of(RdfFormat.RDFXML.row),
)
_LOCAL_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,200}$")
MAX_LIMIT = 500


def _responses(offers: tuple[Offer, ...], what: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"description": what, "content": {o.media_type: {} for o in offers}},
        **error_responses(NotFoundError, NotAcceptableError),
    }


def _offer(request: Request, offers: tuple[Offer, ...], what: str) -> Offer:
    return negotiate(
        request.headers.get("accept"),
        offers,
        format_param=request.query_params.get("format"),
        what=what,
    )


def _listing(
    request: Request, terms: list[Term], key: str, heading: str, extra: dict[str, Any] | None = None
) -> Response:
    """``heading``: a key of ``texts.TEXTS``, shown in the page's language."""
    offer = _offer(request, LIST_OFFERS, f"the {key} list")
    if offer.media_type == HTML:
        return render(request, "terms.html", terms=terms, heading=heading)
    body = {**(extra or {}), key: [term.to_dict() for term in terms]}
    return JSONResponse(body, headers={"Vary": "Accept"})


@router.get(
    "/vocab/classes",
    summary="The ontology's classes with fi/sv/en labels and definitions",
    response_class=Response,
    responses=_responses(LIST_OFFERS, "The classes"),
)
async def classes(request: Request, vocabulary: VocabularyDep) -> Response:
    return _listing(request, vocabulary.classes(), "classes", "classes")


@router.get(
    "/vocab/properties",
    summary="The ontology's properties (object, datatype, annotation) with domain and range",
    response_class=Response,
    responses=_responses(LIST_OFFERS, "The properties"),
)
async def properties(request: Request, vocabulary: VocabularyDep) -> Response:
    return _listing(request, vocabulary.properties(), "properties", "properties")


@router.get(
    "/vocab/schemes",
    summary="The code lists (SKOS concept schemes)",
    response_class=Response,
    responses=_responses(LIST_OFFERS, "The concept schemes"),
)
async def schemes(request: Request, vocabulary: VocabularyDep) -> Response:
    offer = _offer(request, LIST_OFFERS, "the scheme list")
    if offer.media_type == HTML:
        return render(request, "terms.html", terms=vocabulary.schemes(), heading="codelists")
    found = [
        {**scheme.to_dict(), "concepts": len(vocabulary.concepts(scheme.name))}
        for scheme in vocabulary.schemes()
    ]
    return JSONResponse({"schemes": found}, headers={"Vary": "Accept"})


@router.get(
    "/vocab/schemes/{scheme}",
    summary="One code list with its concepts in hierarchy order (each with its depth)",
    response_class=Response,
    responses=_responses(LIST_OFFERS, "The scheme and its concepts"),
)
async def scheme(request: Request, scheme: str, vocabulary: VocabularyDep) -> Response:
    found = vocabulary.scheme(scheme)
    offer = _offer(request, LIST_OFFERS, "the scheme")
    if offer.media_type == HTML:
        return _term_page(request, vocabulary, found)
    concepts = [
        {**concept.to_dict(), "depth": depth} for concept, depth in vocabulary.concepts(scheme)
    ]
    return JSONResponse(
        {"scheme": found.to_dict(), "concepts": concepts}, headers={"Vary": "Accept"}
    )


_SEARCH_PARAMETERS = [
    {
        "name": "q",
        "in": "query",
        "required": True,
        "schema": {"type": "string", "maxLength": 200},
        "description": "Text to find in prefLabel, altLabel, rdfs:label or dct:title; case- and "
        "accent-insensitive (paivakoti finds päiväkoti); exact, prefix, word-prefix and substring "
        "matches, ranked in that order",
    },
    {
        "name": "lang",
        "in": "query",
        "schema": {"type": "string", "enum": ["fi", "sv", "en"]},
        "description": "Match only labels in this language; without it every language is "
        "searched and each hit names the language of the label that matched",
    },
    {
        "name": "type",
        "in": "query",
        "schema": {
            "type": "array",
            "items": {"type": "string", "enum": [t.value for t in TermType]},
        },
        "description": "Only terms of these types (repeat or comma-separate)",
    },
    {
        "name": "scheme",
        "in": "query",
        "schema": {"type": "string"},
        "description": "Only concepts of this code list (id such as service-type, or its IRI)",
    },
    {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 50},
    },
]


@router.get(
    "/vocab/search",
    summary="Search terms by label in fi/sv/en (all languages unless lang is given)",
    response_class=Response,
    responses={
        **_responses(LIST_OFFERS, "The hits, best first, one per term"),
        **error_responses(InputError),
    },
    openapi_extra={"parameters": _SEARCH_PARAMETERS},
)
async def search(request: Request, vocabulary: VocabularyDep) -> Response:
    params = request.query_params
    query = params.get("q") or ""
    offer = _offer(request, LIST_OFFERS, "the search results")
    hits = vocabulary.search(
        query,
        lang=params.get("lang") or None,
        types=list(iter_types(params.getlist("type"))),
        scheme=params.get("scheme") or None,
        limit=_limit(params.get("limit")),
    )
    if offer.media_type == HTML:
        return render(request, "search.html", query=query, hits=hits)
    body = {
        "query": query,
        "lang": params.get("lang") or None,
        "results": [hit.to_dict() for hit in hits],
    }
    return JSONResponse(body, headers={"Vary": "Accept"})


def _limit(raw: str | None) -> int:
    if raw is None or raw == "":
        return 50
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise InputError(
            f"limit must be an integer from 1 to {MAX_LIMIT}, not {raw[:20]!r}",
            location=Location(field="limit"),
        )
    return int(raw)


# --- dereferenceable terms --------------------------------------------------------------------

_TERM_RESPONSES = _responses(TERM_OFFERS, "The term's description")


@router.get(
    "/vocab/term",
    summary="Describe any vocabulary term by its IRI (HTML, Turtle, JSON-LD...)",
    response_class=Response,
    responses={**_TERM_RESPONSES, **error_responses(InputError)},
)
async def term_by_iri(request: Request, vocabulary: VocabularyDep, iri: str = "") -> Response:
    if not iri.strip():
        raise InputError("the iri parameter is required", location=Location(field="iri"))
    return await _describe(request, vocabulary, iri.strip())


@router.get(
    "/vocab/term/{name}",
    summary="Describe an ontology term sn:{name} (the path form of .../ontology#{name})",
    response_class=Response,
    responses=_TERM_RESPONSES,
)
async def term_by_name(request: Request, name: str, vocabulary: VocabularyDep) -> Response:
    return await _describe(request, vocabulary, ns.SN + _local(name))


@router.get(
    "/ontology",
    summary="The ontology: its whole graph (RDF formats) or its page (HTML)",
    response_class=Response,
    responses=_TERM_RESPONSES,
)
async def ontology(request: Request, vocabulary: VocabularyDep) -> Response:
    return await _describe(request, vocabulary, ns.ONTOLOGY_IRI)


@router.get(
    "/code/{scheme}",
    summary="Describe a code list by the path of its IRI",
    response_class=Response,
    responses=_TERM_RESPONSES,
)
async def code_scheme(request: Request, scheme: str, vocabulary: VocabularyDep) -> Response:
    return await _describe(request, vocabulary, ns.CODE + _local(scheme))


@router.get(
    "/code/{scheme}/{notation}",
    summary="Describe a concept by the path of its IRI (.../code/{scheme}/{notation})",
    response_class=Response,
    responses=_TERM_RESPONSES,
)
async def code_concept(
    request: Request, scheme: str, notation: str, vocabulary: VocabularyDep
) -> Response:
    return await _describe(request, vocabulary, f"{ns.CODE}{_local(scheme)}/{_local(notation)}")


def _local(name: str) -> str:
    if not _LOCAL_NAME.match(name):
        raise NotFoundError(f"no term named {name[:60]!r}")
    return name


async def _describe(request: Request, vocabulary: Vocabulary, iri: str) -> Response:
    term = vocabulary.term(iri)  # 404 before negotiating: an unknown term is unknown in any format
    offer = _offer(request, TERM_OFFERS, "a term description")
    if offer.media_type == HTML:
        return _term_page(request, vocabulary, term)
    triples = vocabulary.describe(iri)
    assert isinstance(offer.fmt, RdfFormat)
    fmt = offer.fmt
    body = await to_thread.run_sync(lambda: document(triples, fmt))
    return Response(body, media_type=offer.media_type, headers={"Vary": "Accept"})


def _term_page(request: Request, vocabulary: Vocabulary, term: Term) -> Response:
    path = link_for(term.iri) or f"/vocab/term?iri={term.iri}"
    joiner = "&" if "?" in path else "?"
    alternates = [
        {
            "name": offer.names[0],
            "media_type": offer.media_type,
            "href": f"{path}{joiner}format={offer.names[0]}",
        }
        for offer in TERM_OFFERS
        if offer.media_type != HTML
    ]
    properties = [p for p in vocabulary.properties() if term.iri in p.domains]
    concepts = vocabulary.concepts(term.name) if term.type is TermType.SCHEME else []
    statements = [] if term.type is TermType.ONTOLOGY else _statements(vocabulary, term.iri)
    return render(
        request,
        "term.html",
        term=term,
        vocabulary=vocabulary,
        properties=properties,
        concepts=concepts,
        statements=statements,
        alternates=alternates,
        shorten=shorten,
    )


def _statements(vocabulary: Vocabulary, iri: str) -> list[dict[str, str | None]]:
    return [
        {
            "predicate": shorten(found.predicate),
            "value": shorten(found.value) if found.is_iri else found.value,
            "lang": found.lang,
            "href": (link_for(found.value) or found.value) if found.is_iri else None,
        }
        for found in vocabulary.statements(iri)
    ]
