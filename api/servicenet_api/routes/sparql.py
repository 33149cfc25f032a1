"""``GET|POST /sparql``: the SPARQL 1.1 Protocol, read-only.

The route only reads the protocol (which query, which dataset, which format); the library scans
the query (``QueryService.scan``), runs it in a worker process and streams the serialised result.
"""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import parse_qsl

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import Response

from servicenet_api.body import read_body
from servicenet_api.conneg import GRAPH_OFFERS, RESULT_OFFERS, Offer, negotiate, supported
from servicenet_api.deps import QueryServiceDep, SettingsDep, StoreDep
from servicenet_api.errors import ENGINE_ERRORS, error_responses
from servicenet_api.query_results import run_query
from servicenet_vocab.errors import (
    InputError,
    NotAcceptableError,
    PayloadTooLargeError,
    QuerySyntaxError,
    QueryTimeoutError,
    RefusedInputError,
    ResultLimitError,
    UnsupportedFormatError,
    UpdateNotAllowedError,
    WorkerCrashedError,
)
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.sparql.description import service_description
from servicenet_vocab.sparql.preflight import ScannedQuery
from servicenet_vocab.sparql.request import QueryDataset
from servicenet_vocab.sparql.service import QueryService
from servicenet_vocab.store.embedded import ResultFormat

router = APIRouter(tags=["sparql"])
_F = TypeVar("_F", ResultFormat, RdfFormat)

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"


def _media_responses() -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "description": "SELECT/ASK results, CONSTRUCT/DESCRIBE graphs, or (bare GET) the "
            "Service Description",
            "content": {media: {} for media in supported(RESULT_OFFERS) + supported(GRAPH_OFFERS)},
        },
        **error_responses(
            InputError,
            QuerySyntaxError,
            RefusedInputError,
            WorkerCrashedError,
            UpdateNotAllowedError,
            NotAcceptableError,
            PayloadTooLargeError,
            ResultLimitError,
            UnsupportedFormatError,
            QueryTimeoutError,
            *ENGINE_ERRORS,
        ),
    }


_PARAMETERS = [
    {"name": "query", "in": "query", "schema": {"type": "string"}, "description": "SPARQL query"},
    {
        "name": "default-graph-uri",
        "in": "query",
        "schema": {"type": "array", "items": {"type": "string"}},
        "description": "graphs whose merge is the default graph (overrides FROM)",
    },
    {
        "name": "named-graph-uri",
        "in": "query",
        "schema": {"type": "array", "items": {"type": "string"}},
        "description": "graphs available to GRAPH (overrides FROM NAMED)",
    },
    {
        "name": "format",
        "in": "query",
        "schema": {"type": "string"},
        "description": "result format instead of Accept: json, xml, csv, tsv, turtle, ntriples, "
        "jsonld, rdfxml, nquads, trig, or a media type",
    },
]
_POST_BODY = {
    "required": True,
    "content": {
        DIRECT: {"schema": {"type": "string"}},
        FORM: {
            "schema": {
                "type": "object",
                "properties": {
                    "query": {"type": "string"},
                    "default-graph-uri": {"type": "array", "items": {"type": "string"}},
                    "named-graph-uri": {"type": "array", "items": {"type": "string"}},
                },
                "required": ["query"],
            }
        },
    },
}


@router.get(
    "/sparql",
    name="sparql_query",
    summary="SPARQL query by GET, or the Service Description when there is no query",
    responses=_media_responses(),
    openapi_extra={"parameters": _PARAMETERS},
)
async def sparql_get(
    request: Request, service: QueryServiceDep, store: StoreDep, settings: SettingsDep
) -> Response:
    params = list(request.query_params.multi_items())
    if _values(params, "update"):
        raise UpdateNotAllowedError("updates are not accepted: this endpoint is read-only")
    if not _values(params, "query"):
        return await _describe(request, store, bool(settings.service_allowlist))
    return await _answer(request, service, params)


@router.post(
    "/sparql",
    summary="SPARQL query by POST (form-encoded or application/sparql-query)",
    responses=_media_responses(),
    openapi_extra={"parameters": _PARAMETERS[1:], "requestBody": _POST_BODY},
)
async def sparql_post(request: Request, service: QueryServiceDep) -> Response:
    media, charset = _content_type(request.headers.get("content-type", ""))
    if charset not in ("", "utf-8", "utf8"):
        raise UnsupportedFormatError(f"the request body must be UTF-8, not {charset}")
    params = list(request.query_params.multi_items())
    body = await read_body(request, service.limits.max_length * 4 + 4096)
    if media == FORM:
        params += _form(body)
        if _values(params, "update"):
            raise UpdateNotAllowedError("updates are not accepted: this endpoint is read-only")
    elif media == DIRECT:
        params.append(("query", _utf8(body)))
    elif media == UPDATE:
        raise UpdateNotAllowedError("updates are not accepted: this endpoint is read-only")
    else:
        raise UnsupportedFormatError(
            f"POST /sparql needs Content-Type {DIRECT} or {FORM}, not {media or 'none'}"
        )
    return await _answer(request, service, params)


async def _answer(
    request: Request, service: QueryService, params: list[tuple[str, str]]
) -> Response:
    queries = _values(params, "query")
    if len(queries) != 1:
        raise InputError(f"exactly one query parameter is needed, got {len(queries)}")
    text = queries[0]
    scanned = await service.ascan(text)
    accept, fmt = request.headers.get("accept"), _one(params, "format")
    results, graph = _formats(scanned, accept, fmt)
    dataset = QueryDataset(
        default_graphs=tuple(_values(params, "default-graph-uri")),
        named_graphs=tuple(_values(params, "named-graph-uri")),
    )
    query = service.request(
        text,
        scanned,
        dataset=dataset,
        results_format=results,
        graph_format=graph,
        base_iri=_endpoint(request),
    )
    spooled = await run_query(request, service, query)
    return spooled.response({"Vary": "Accept", "X-Result-Rows": str(spooled.outcome.rows)})


def _formats(
    scanned: ScannedQuery, accept: str | None, fmt: str | None
) -> tuple[ResultFormat, RdfFormat]:
    """Negotiate before running: a 406 costs no evaluation."""
    results, graph = ResultFormat.JSON, RdfFormat.TURTLE
    if scanned.form is None:  # the worker will report the syntax error
        return results, graph
    if scanned.form.returns_graph:
        offer = negotiate(accept, GRAPH_OFFERS, format_param=fmt, what="a graph result")
        graph = _as(offer, RdfFormat)
    else:
        what = f"{scanned.form.value} results"
        offer = negotiate(accept, RESULT_OFFERS, format_param=fmt, what=what)
        results = _as(offer, ResultFormat)
    return results, graph


def _as(offer: Offer, kind: type[_F]) -> _F:
    assert isinstance(offer.fmt, kind)
    return offer.fmt


async def _describe(request: Request, store: StoreDep, federated: bool) -> Response:
    offer = negotiate(
        request.headers.get("accept"),
        GRAPH_OFFERS,
        format_param=request.query_params.get("format"),
        what="the service description",
    )
    endpoint = _endpoint(request)
    graphs = await to_thread.run_sync(store.graphs)
    fmt = _as(offer, RdfFormat)
    body = service_description(endpoint, graphs, fmt, federated=federated)
    return Response(body, media_type=offer.media_type, headers={"Vary": "Accept"})


def _endpoint(request: Request) -> str:
    url = request.url
    return f"{url.scheme}://{url.netloc}{url.path}"


def _content_type(header: str) -> tuple[str, str]:
    media, *params = (part.strip() for part in header.split(";"))
    charset = ""
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media.lower(), charset


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"the query is not valid UTF-8 (byte {error.start})") from None


def _form(body: bytes) -> list[tuple[str, str]]:
    try:
        return parse_qsl(
            body.decode("ascii"), keep_blank_values=True, encoding="utf-8", errors="strict"
        )
    except UnicodeDecodeError:
        raise InputError("the form body is not URL-encoded UTF-8") from None


def _values(params: list[tuple[str, str]], name: str) -> list[str]:
    return [value for key, value in params if key == name]


def _one(params: list[tuple[str, str]], name: str) -> str | None:
    values = _values(params, name)
    return values[-1] if values else None
