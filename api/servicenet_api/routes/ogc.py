"""``/ogc``: OGC API – Features (Part 1 Core with GeoJSON, Part 2 CRS) over the municipality graphs,
for QGIS, GDAL and other GIS clients.

Collections, per municipality with a graph in the store: ``units-091`` (service units, points),
``areas-091`` (planning areas), ``catchment-areas-091``, and ``query-<name>-091`` for each named
planning query whose answer names features of that municipality (the rows joined to them). The
features come from the store with the project's own SPARQL, run like any query (pre-flight scan,
worker or engine, limits); a named query's answer is read over this app's own
``GET /queries/{name}`` (in process), so the join works however the query is computed. Every error
answers from the one table (``servicenet_api.errors``): a bad parameter 400, an unknown collection
or item 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from servicenet_api.conneg import parse_accept
from servicenet_api.deps import ServicesDep
from servicenet_api.errors import ENGINE_ERRORS, error_responses
from servicenet_api.routes.ogc_sources import (
    data_version,
    feature_index,
    features,
    municipalities,
    municipality_name,
    named_queries,
    run_named_query,
)
from servicenet_vocab.errors import (
    InputError,
    Location,
    NotAcceptableError,
    NotFoundError,
    QueryTimeoutError,
    ResultLimitError,
)
from servicenet_vocab.features import (
    CRS84,
    KINDS,
    SUPPORTED,
    Feature,
    extent,
    feature_collection,
    join_answer,
    page_of,
    parse_items,
)
from servicenet_vocab.features.answers import Answer

__all__ = ["GEOJSON", "Collection", "router"]

GEOJSON = "application/geo+json"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
]
TITLES = {
    "units": "service units",
    "areas": "planning areas",
    "catchment-areas": "catchment areas",
}
QUERY_PREFIX = "query-"
_ERRORS = error_responses(
    InputError, NotFoundError, NotAcceptableError, QueryTimeoutError, ResultLimitError,
    *ENGINE_ERRORS,
)  # fmt: skip

router = APIRouter(prefix="/ogc", tags=["OGC API – Features"])


# --- collections --------------------------------------------------------------------------------


class Collection:
    """A collection id taken apart: ``units-091`` or ``query-utilisation-091``."""

    def __init__(self, cid: str) -> None:
        base, _, code = cid.rpartition("-")
        if not (len(code) == 3 and code.isdigit() and base):
            raise NotFoundError(f"no collection {cid!r}")
        self.id, self.code = cid, code
        self.query = base[len(QUERY_PREFIX) :] if base.startswith(QUERY_PREFIX) else None
        self.kind = None if self.query else base
        if self.kind is not None and self.kind not in KINDS:
            raise NotFoundError(f"no collection {cid!r}")


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/") + "/ogc"


def _link(href: str, rel: str, media: str, title: str | None = None) -> dict[str, str]:
    link = {"href": href, "rel": rel, "type": media}
    if title:
        link["title"] = title
    return link


def _describe(
    request: Request, collection: Collection, title: str, description: str, found: list[Feature]
) -> dict[str, Any]:
    here = f"{_base(request)}/collections/{collection.id}"
    return {
        "id": collection.id,
        "title": title,
        "description": description,
        "links": [
            _link(here, "self", "application/json", "this collection"),
            _link(f"{here}/items", "items", GEOJSON, "its features"),
        ],
        "extent": extent(found),
        "itemType": "feature",
        "crs": [crs.uri for crs in SUPPORTED],
        "storageCrs": CRS84.uri,
    }


async def _collection_features(
    request: Request, services: Any, collection: Collection, params: Mapping[str, str]
) -> tuple[list[Feature], Answer | None]:
    if collection.code not in await municipalities(services):
        raise NotFoundError(
            f"no collection {collection.id!r}: no data of municipality {collection.code}"
        )
    if collection.kind is not None:
        return await features(request, services, collection.kind, collection.code), None
    assert collection.query is not None
    known = {q["name"] for q in await named_queries(request)}
    if collection.query not in known:
        raise NotFoundError(f"no collection {collection.id!r}: no named query {collection.query!r}")
    results = await run_named_query(request, collection.query, params)
    answer = join_answer(results, await feature_index(request, services, collection.code))
    if answer.column is None:
        raise NotFoundError(
            f"no collection {collection.id!r}: the answer of {collection.query} names no feature "
            f"of municipality {collection.code}"
        )
    return answer.features, answer


async def _listing(request: Request, services: Any) -> list[dict[str, Any]]:
    """Every collection described; computed once per version of the data (every write through
    any facade records a new activity for its graph, ``data_version``) and base URL, since it
    runs every named query and reads every municipality's features."""
    key = (await data_version(services), _base(request))
    cached = getattr(request.app.state, "ogc_listing", None)
    if cached is not None and cached[0] == key:
        listing: list[dict[str, Any]] = cached[1]
        return listing
    found = await _describe_all(request, services)
    request.app.state.ogc_listing = (key, found)
    return found


async def _describe_all(request: Request, services: Any) -> list[dict[str, Any]]:
    found = []
    codes = await municipalities(services)
    for code in codes:
        name = municipality_name(services, code)
        for kind in KINDS:
            collection = Collection(f"{kind}-{code}")
            kind_features = await features(request, services, kind, code)
            title = f"{name} ({code}): {TITLES[kind]}"
            description = f"The {TITLES[kind]} of municipality {code} in its dataset."
            found.append(_describe(request, collection, title, description, kind_features))
    queries = await named_queries(request)
    indexes = {code: await feature_index(request, services, code) for code in codes}
    for query in queries:
        results = await run_named_query(request, query["name"])
        for code in codes:
            answer = join_answer(results, indexes[code])
            if answer.column is None:
                continue
            collection = Collection(f"{QUERY_PREFIX}{query['name']}-{code}")
            title = f"{municipality_name(services, code)} ({code}): {query['title']}"
            description = (
                f"{query['description']} One feature per row, placed by ?{answer.column}; "
                f"the query's parameters may be given as parameters of items."
            )
            found.append(_describe(request, collection, title, description, answer.features))
    return found


# --- responses ----------------------------------------------------------------------------------


def _accept(request: Request, *media: str) -> None:
    header = request.headers.get("accept")
    if not header or not header.strip():
        return
    ranges = parse_accept(header)
    if any(r.matches(m) and r.q > 0 for r in ranges for m in media):
        return
    raise NotAcceptableError(f"cannot answer Accept: {header}; supported: {', '.join(media)}")


def _json(body: Any, media: str = "application/json", **headers: str) -> JSONResponse:
    return JSONResponse(body, media_type=media, headers=headers or None)


def _single(request: Request) -> tuple[dict[str, str], list[str]]:
    values: dict[str, str] = {}
    repeated = []
    for key, value in request.query_params.multi_items():
        if key in values:
            repeated.append(key)
        values[key] = value
    return values, repeated


@router.get("", summary="Landing page", responses=_ERRORS)
async def landing(request: Request) -> JSONResponse:
    _accept(request, "application/json")
    base = _base(request)
    root = str(request.base_url).rstrip("/")
    return _json(
        {
            "title": "servicenet-vocab: service units, areas and planning answers",
            "description": "Finnish municipalities' service-network data (ECEC, pre-school, "
            "basic education) as OGC API – Features, per municipality.",
            "links": [
                _link(base, "self", "application/json", "this document"),
                _link(f"{root}/openapi.json", "service-desc", OPENAPI, "the API definition"),
                _link(f"{root}/docs", "service-doc", "text/html", "the API documentation"),
                _link(f"{base}/conformance", "conformance", "application/json", "conformance"),
                _link(f"{base}/collections", "data", "application/json", "the collections"),
            ],
        }
    )


@router.get("/conformance", summary="Conformance classes", responses=_ERRORS)
async def conformance(request: Request) -> JSONResponse:
    _accept(request, "application/json")
    return _json({"conformsTo": CONFORMANCE})


@router.get("/collections", summary="The collections", responses=_ERRORS)
async def collections(request: Request, services: ServicesDep) -> JSONResponse:
    _accept(request, "application/json")
    base = _base(request)
    return _json(
        {
            "links": [_link(f"{base}/collections", "self", "application/json", "this document")],
            "collections": await _listing(request, services),
            "crs": [crs.uri for crs in SUPPORTED],
        }
    )


@router.get("/collections/{cid}", summary="One collection", responses=_ERRORS)
async def collection(cid: str, request: Request, services: ServicesDep) -> JSONResponse:
    _accept(request, "application/json")
    chosen = Collection(cid)
    for described in await _listing(request, services):
        if described["id"] == chosen.id:
            return _json(described)
    raise NotFoundError(f"no collection {cid!r}")


async def _query_params(request: Request, chosen: Collection) -> list[str]:
    if chosen.query is None:
        return []
    for query in await named_queries(request):
        if query["name"] == chosen.query:
            return [p["name"] for p in query.get("parameters", [])]
    return []


@router.get(
    "/collections/{cid}/items",
    summary="The collection's features (GeoJSON), filtered and paged",
    description="Parameters: limit (1-1000, default 100), offset, bbox (minx,miny,maxx,maxy in "
    "bbox-crs, default CRS84), crs (CRS84, EPSG:3067, EPSG:4326 as OGC URIs), datetime (an "
    "RFC 3339 instant or interval, open ends '..'), a property's name = value, and for a "
    "planning answer the named query's own parameters.",
    responses=_ERRORS,
)
async def items(cid: str, request: Request, services: ServicesDep) -> JSONResponse:
    _accept(request, GEOJSON, "application/json")
    chosen = Collection(cid)
    values, repeated = _single(request)
    extra = await _query_params(request, chosen)
    forwarded = {name: values[name] for name in extra if name in values}
    found, _ = await _collection_features(request, services, chosen, forwarded)
    names = sorted({name for feature in found for name in feature.properties} | {"iri"})
    query = parse_items(values, properties=names, extra=extra, repeated=repeated)
    page = page_of(found, query)
    here = f"{_base(request)}/collections/{cid}/items"
    links = [_link(_with(here, values, {}), "self", GEOJSON, "this page")]
    if page.next_offset is not None:
        links.append(_link(_with(here, values, {"offset": str(page.next_offset)}), "next", GEOJSON))
    if page.prev_offset is not None:
        links.append(_link(_with(here, values, {"offset": str(page.prev_offset)}), "prev", GEOJSON))
    links.append(_link(here.rpartition("/")[0], "collection", "application/json"))
    body = feature_collection(
        (feature.to_geojson(query.crs) for feature in page.features),
        links=links,
        numberMatched=page.matched,
        numberReturned=len(page.features),
        timeStamp=datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
    )
    return _json(body, GEOJSON, **{"Content-Crs": f"<{query.crs.uri}>"})


def _with(url: str, values: Mapping[str, str], changes: Mapping[str, str]) -> str:
    merged = {**values, **changes}
    return str(httpx.URL(url, params=merged)) if merged else url


@router.get("/collections/{cid}/items/{fid}", summary="One feature (GeoJSON)", responses=_ERRORS)
async def item(cid: str, fid: str, request: Request, services: ServicesDep) -> JSONResponse:
    _accept(request, GEOJSON, "application/json")
    chosen = Collection(cid)
    values, repeated = _single(request)
    extra = await _query_params(request, chosen)
    forwarded = {name: values[name] for name in extra if name in values}
    for name in values:
        if name not in ("crs", "f", *extra):
            raise InputError(
                f"unknown parameter {name!r}; an item takes crs and f",
                location=Location(field=name),
            )
    query = parse_items(
        {k: v for k, v in values.items() if k in ("crs", "f")}, properties=(), repeated=repeated
    )
    found, _ = await _collection_features(request, services, chosen, forwarded)
    for feature in found:
        if feature.id == fid:
            here = f"{_base(request)}/collections/{cid}"
            links = [
                _link(f"{here}/items/{fid}", "self", GEOJSON, "this feature"),
                _link(here, "collection", "application/json", "its collection"),
            ]
            return _json(
                feature.to_geojson(query.crs, links),
                GEOJSON,
                **{"Content-Crs": f"<{query.crs.uri}>"},
            )
    raise NotFoundError(f"no feature {fid!r} in collection {cid!r}")
