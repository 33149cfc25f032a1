"""``/graph-store``: the SPARQL 1.1 Graph Store HTTP Protocol on municipality graphs.

``?graph=IRI`` names a graph, ``?default`` the default graph (the union of all graphs, read-only).
Reads are public. ``PUT`` (replace), ``POST`` (add) and ``DELETE`` need ``Authorization: Bearer``
with a token granting that municipality; the vocabulary and system graphs are read-only (405).
Every write is parsed and validated in a worker and applied in one transaction by the single writer
(``servicenet_vocab.publishing.writer``); a refused write changes nothing.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from servicenet_api.body import read_body
from servicenet_api.conneg import GRAPH_OFFERS, negotiate, supported
from servicenet_api.deps import PublisherDep, SettingsDep, StoreDep
from servicenet_api.errors import (
    ENGINE_ERRORS,
    MethodNotAllowedError,
    error_responses,
    status_of,
)
from servicenet_api.uploads import (
    REPORT_OFFERS,
    report_language,
    report_response,
    token_file,
    upload_format,
)
from servicenet_vocab import rdfio
from servicenet_vocab.config import Settings
from servicenet_vocab.errors import (
    AccessDeniedError,
    AuthenticationRequiredError,
    DataInvalidError,
    InputError,
    NotAcceptableError,
    NotFoundError,
    PayloadTooLargeError,
    RdfSyntaxError,
    RefusedInputError,
    UnsupportedFormatError,
    WorkerCrashedError,
)
from servicenet_vocab.namespaces import SYSTEM_GRAPH, VOCABULARY_GRAPHS
from servicenet_vocab.publishing.tokens import TokenRecord
from servicenet_vocab.publishing.writer import Publisher, Upload
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.embedded import Store

router = APIRouter(tags=["graph store"])

READ_ONLY = frozenset((*VOCABULARY_GRAPHS, SYSTEM_GRAPH))
_QUERY = [
    {"name": "graph", "in": "query", "schema": {"type": "string"}, "description": "graph IRI"},
    {
        "name": "default",
        "in": "query",
        "schema": {"type": "string"},
        "description": "present (no value) to name the default graph",
    },
]
_REPORT: dict[str, Any] = {media: {} for media in supported(REPORT_OFFERS)}
_ACCESS = (AuthenticationRequiredError, AccessDeniedError, MethodNotAllowedError, InputError)
_WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "Accepted with warnings: the report is in the body", "content": _REPORT},
    201: {"description": "Created (the report is in the body when it has warnings)"},
    204: {"description": "Replaced or added; the data conforms"},
    **error_responses(
        *_ACCESS,
        RdfSyntaxError,
        RefusedInputError,
        WorkerCrashedError,
        PayloadTooLargeError,
        UnsupportedFormatError,
        DataInvalidError,
        *ENGINE_ERRORS,
    ),
}
# A refused write answers the validation report, not an error body.
_WRITE_RESPONSES[status_of(DataInvalidError)] = {
    "description": "The result would not conform: the report",
    "content": _REPORT,
}
_DELETE_RESPONSES: dict[int | str, dict[str, Any]] = {
    204: {"description": "Deleted"},
    **error_responses(*_ACCESS, NotFoundError, *ENGINE_ERRORS),
}


def target_graph(request: Request) -> str | None:
    """The graph a request names: an IRI, or None for ``?default``."""
    params = request.query_params
    if "graph" in params and "default" in params:
        raise InputError("name either ?graph=IRI or ?default, not both")
    if "graph" in params:
        iri = params["graph"]
        try:
            ox.NamedNode(iri)
        except ValueError:
            raise InputError(f"?graph must be an absolute IRI, not {iri!r}") from None
        return iri
    if "default" in params:
        return None
    raise InputError("name the graph: ?graph=IRI or ?default")


def writable(graph: str | None, method: str) -> str:
    """The graph a write names; 405 for the default graph and the vocabulary and system graphs."""
    if graph is None or graph in READ_ONLY:
        what = "the default graph" if graph is None else f"<{graph}>"
        raise MethodNotAllowedError(
            f"{what} is read-only over HTTP; {method} is not allowed", allow=("GET", "HEAD")
        )
    return graph


def authorize(request: Request, graph: str, settings: Settings) -> TokenRecord:
    """The token's grant for ``graph``: 401 without a valid token, 403 for another graph."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    presented = token.strip() if scheme.lower() == "bearer" else None
    tokens = token_file(settings)
    if tokens is None:
        raise AuthenticationRequiredError("writes are disabled: no token file is configured")
    return tokens.authorize(presented, graph)


def serialize_graph(store: Store, graph: str | None, fmt: RdfFormat) -> bytes:
    if graph is None:
        return store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").serialize(fmt)
    if not store.has_graph(graph):
        raise NotFoundError(f"no graph <{graph}> in the store")
    if fmt.is_dataset:
        return rdfio.serialize(store.quads(graph), fmt)
    return store.dump(fmt, graph=graph)


_READ_DOC: dict[str, Any] = {
    "response_class": Response,
    "openapi_extra": {"parameters": _QUERY},
    "responses": {
        200: {"description": "The graph", "content": {m: {} for m in supported(GRAPH_OFFERS)}},
        **error_responses(InputError, NotFoundError, NotAcceptableError, *ENGINE_ERRORS),
    },
}


# Two decorators with their own operation ids: one route serving both methods would give
# OpenAPI a duplicate operation id.
@router.head(
    "/graph-store", operation_id="head_graph", summary="Headers of a graph read", **_READ_DOC
)
@router.get(
    "/graph-store",
    operation_id="read_graph",
    summary="Read a graph (or ?default: the union of all graphs) in any RDF format",
    **_READ_DOC,
)
async def read_graph(request: Request, store: StoreDep) -> Response:
    graph = target_graph(request)
    offer = negotiate(
        request.headers.get("accept"),
        GRAPH_OFFERS,
        format_param=request.query_params.get("format"),
        what="a graph",
    )
    fmt = offer.fmt
    assert isinstance(fmt, RdfFormat)
    data = await to_thread.run_sync(serialize_graph, store, graph, fmt)
    headers = {"Vary": "Accept", "Content-Length": str(len(data))}
    if request.method == "HEAD":
        return Response(status_code=200, media_type=offer.media_type, headers=headers)
    return Response(data, media_type=offer.media_type, headers={"Vary": "Accept"})


async def _write(
    request: Request, settings: Settings, publisher: Publisher, *, replace: bool
) -> Response:
    graph = writable(target_graph(request), request.method)
    grant = await to_thread.run_sync(authorize, request, graph, settings)
    fmt = upload_format(request)
    data = await read_body(request, settings.max_upload_bytes, source="upload")
    upload = Upload(data=data, fmt=fmt, graph=graph, source_name="upload")
    outcome = await to_thread.run_sync(
        lambda: publisher.publish(
            upload, replace=replace, agent=grant.name, lang=report_language(request)
        )
    )
    summary = {"graph": graph, "triples": outcome.triples_after, "activity": outcome.activity}
    if not outcome.accepted:
        refusal = {"graph": graph, "accepted": False}
        status = status_of(DataInvalidError)
        return report_response(request, outcome.report, status, refusal, strict=False)
    status = 201 if outcome.created else 204
    headers = {"Location": str(request.url)} if outcome.created else {}
    if outcome.report.results:  # warnings or infos: accepted, and the client sees them
        accepted = {**summary, "accepted": True}
        status = 201 if outcome.created else 200
        response = report_response(request, outcome.report, status, accepted, strict=False)
        response.headers.update(headers)
        return response
    if outcome.created:
        return JSONResponse({**summary, "accepted": True}, status_code=status, headers=headers)
    return Response(status_code=204)


@router.put(
    "/graph-store",
    summary="Replace a municipality graph (validated first; needs a token for it)",
    response_class=Response,
    openapi_extra={"parameters": _QUERY},
    responses=_WRITE_RESPONSES,
)
async def put_graph(request: Request, settings: SettingsDep, publisher: PublisherDep) -> Response:
    return await _write(request, settings, publisher, replace=True)


@router.post(
    "/graph-store",
    summary="Add to a municipality graph (the result is validated; needs a token for it)",
    response_class=Response,
    openapi_extra={"parameters": _QUERY},
    responses=_WRITE_RESPONSES,
)
async def post_graph(request: Request, settings: SettingsDep, publisher: PublisherDep) -> Response:
    return await _write(request, settings, publisher, replace=False)


@router.delete(
    "/graph-store",
    summary="Delete a municipality graph (needs a token for it)",
    status_code=204,
    response_class=Response,
    openapi_extra={"parameters": _QUERY},
    responses=_DELETE_RESPONSES,
)
async def delete_graph(
    request: Request, settings: SettingsDep, publisher: PublisherDep
) -> Response:
    graph = writable(target_graph(request), "DELETE")
    grant = await to_thread.run_sync(authorize, request, graph, settings)
    await to_thread.run_sync(lambda: publisher.delete(graph, agent=grant.name))
    return Response(status_code=204)
