"""``/queries``: the named planning queries (``servicenet_vocab.queries``) over HTTP.

``GET /queries`` lists them; each query gets its own operation, ``GET /queries/{name}?param=...``
and ``POST /queries/{name}`` with a JSON object, generated from its ``# @param`` header, so OpenAPI
documents every parameter with its type and default. Values are validated and bound by the registry
(never pasted into the text); a bad one is a 400 naming the parameter in ``location.field``. The
bound query goes through the same pre-flight scan, worker pool, time and result limits as
``/sparql``. A Python answer (``NamedQuery.kind == "python"``) runs through
``servicenet_vocab.planning.run`` under the same time and result limits and is written in the same
formats. Results: SPARQL JSON (default), XML, CSV, TSV, or an HTML page with the form and the
result table.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from servicenet_api.body import read_body
from servicenet_api.conneg import RESULT_OFFERS, Offer, negotiate
from servicenet_api.deps import QueryServiceDep
from servicenet_api.errors import ENGINE_ERRORS, error_responses, status_of
from servicenet_api.query_results import run_query, unless_client_gone
from servicenet_api.routes.pages import display_language, get_vocabulary, link_for, render
from servicenet_vocab.errors import (
    InputError,
    Location,
    NotAcceptableError,
    NotFoundError,
    PayloadTooLargeError,
    QueryTimeoutError,
    ResultLimitError,
    UnsupportedFormatError,
    WorkerCrashedError,
)
from servicenet_vocab.planning.run import arun_answer, serialize_within
from servicenet_vocab.queries import (
    NamedQuery,
    QueryParam,
    bind,
    get_query,
    list_queries,
)
from servicenet_vocab.queries import (
    values as checked_values,
)
from servicenet_vocab.sparql.service import QueryService
from servicenet_vocab.store.embedded import ResultFormat
from servicenet_vocab.vocabulary.index import Vocabulary

__all__ = ["router"]

HTML = "text/html"
OFFERS = (*RESULT_OFFERS, Offer(HTML, ResultFormat.JSON, ("html",), ("application/xhtml+xml",)))
RESERVED = ("format", "ui")  # request options, never query parameters
MAX_BODY = 64 * 1024
MAX_HTML_ROWS = 1000  # the page shows the first rows; the other formats carry them all
_SCHEMAS: dict[str, dict[str, Any]] = {
    "xsd:integer": {"type": "integer"},
    "xsd:decimal": {"type": "number"},
    "xsd:date": {"type": "string", "format": "date"},
    "xsd:boolean": {"type": "boolean"},
    "xsd:string": {"type": "string", "maxLength": 200},
    "iri": {"type": "string", "format": "iri"},
}
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The query's results",
        "content": {offer.media_type: {} for offer in OFFERS},
    },
    **error_responses(
        InputError,  # a bad or unknown parameter, named in location.field
        WorkerCrashedError,
        NotFoundError,
        NotAcceptableError,
        PayloadTooLargeError,
        ResultLimitError,
        UnsupportedFormatError,
        QueryTimeoutError,
        *ENGINE_ERRORS,
    ),
}

router = APIRouter(tags=["named queries"])


def _typed_default(param: QueryParam) -> Any:
    if param.datatype == "xsd:integer":
        return int(param.default)
    if param.datatype == "xsd:decimal":
        return float(param.default)
    if param.datatype == "xsd:boolean":
        return param.default.lower() == "true"
    return param.default


def describe(query: NamedQuery) -> dict[str, Any]:
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "url": f"/queries/{query.name}",
        "parameters": [
            {
                "name": p.name,
                "type": p.datatype,
                "default": _typed_default(p),
                "description": p.description,
            }
            for p in query.params
        ],
    }


@router.get("/queries", summary="The named planning queries with their parameters")
def queries() -> JSONResponse:
    return JSONResponse({"queries": [describe(q) for q in list_queries()]})


def _schema(param: QueryParam) -> dict[str, Any]:
    return {**_SCHEMAS[param.datatype], "default": _typed_default(param)}


def _get_parameters(query: NamedQuery) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [
        {"name": p.name, "in": "query", "schema": _schema(p), "description": p.description}
        for p in query.params
    ]
    found.append(
        {
            "name": "format",
            "in": "query",
            "schema": {"type": "string", "enum": ["json", "xml", "csv", "tsv", "html"]},
            "description": "result format instead of Accept",
        }
    )
    return found


def _post_body(query: NamedQuery) -> dict[str, Any]:
    schema = {
        "type": "object",
        "properties": {p.name: {**_schema(p), "description": p.description} for p in query.params},
        "additionalProperties": False,
    }
    return {"required": False, "content": {"application/json": {"schema": schema}}}


def _handlers(
    query: NamedQuery,
) -> tuple[Callable[..., Awaitable[Response]], Callable[..., Awaitable[Response]]]:
    async def run_get(request: Request, service: QueryServiceDep) -> Response:
        return await _answer(request, service, query, _query_string_values(request))

    async def run_post(request: Request, service: QueryServiceDep) -> Response:
        return await _answer(request, service, query, await _json_values(request))

    return run_get, run_post


def _add_routes(query: NamedQuery) -> None:
    run_get, run_post = _handlers(query)
    path = f"/queries/{query.name}"
    details: dict[str, Any] = {
        "summary": query.title,
        "description": query.description,
        "response_class": Response,
        "responses": _RESPONSES,
    }
    router.add_api_route(
        path,
        run_get,
        methods=["GET"],
        name=f"query_{query.name}_get",
        openapi_extra={"parameters": _get_parameters(query)},
        **details,
    )
    router.add_api_route(
        path,
        run_post,
        methods=["POST"],
        name=f"query_{query.name}_post",
        openapi_extra={"parameters": _get_parameters(query)[-1:], "requestBody": _post_body(query)},
        **details,
    )


for _query in list_queries():  # the registry is package data, fixed for the process
    _add_routes(_query)


@router.api_route("/queries/{name}", methods=["GET", "POST"], include_in_schema=False)
def unknown_query(name: str) -> Response:
    get_query(name)  # raises NotFoundError (404): every known query has its own route above
    raise AssertionError(f"query {name!r} has no route")  # pragma: no cover


# --- reading parameters -------------------------------------------------------------------------


def _query_string_values(request: Request) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key in RESERVED:
            continue
        if key in values:
            raise InputError(f"parameter {key!r} is given more than once", location=_at(key))
        values[key] = value
    return values


async def _json_values(request: Request) -> dict[str, object]:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await read_body(request, MAX_BODY)
    if not body.strip():
        return {}
    if media != "application/json":
        raise UnsupportedFormatError(
            f"POST /queries needs Content-Type application/json, not {media or 'none'}"
        )
    try:
        values = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line, column = getattr(error, "lineno", None), getattr(error, "colno", None)
        raise InputError(
            f"the body is not valid JSON: {error}",
            location=Location(source="body", line=line, column=column),
        ) from None
    if not isinstance(values, dict):
        raise InputError("the body must be a JSON object of parameter values")
    for key, value in values.items():
        if not isinstance(value, str | int | float | bool):
            raise InputError(
                f"parameter {key!r} must be a string, number or boolean", location=_at(key)
            )
    return values


def _at(name: str) -> Location:
    return Location(field=name)


# --- running --------------------------------------------------------------------------------------


async def _answer(
    request: Request, service: QueryService, query: NamedQuery, values: Mapping[str, object]
) -> Response:
    offer = negotiate(
        request.headers.get("accept"),
        OFFERS,
        format_param=request.query_params.get("format"),
        what=f"the results of {query.name}",
    )
    html = offer.media_type == HTML
    if query.kind == "python":
        return await _python_answer(request, service, query, values, offer, html)
    try:
        text = bind(query, values)
    except InputError as error:
        if not html:
            raise
        return _page(request, query, values, error=error, status=status_of(type(error)))
    assert isinstance(offer.fmt, ResultFormat)
    query_request = service.request(text, await service.ascan(text), results_format=offer.fmt)
    spooled = await run_query(request, service, query_request)
    if html:
        with spooled.spool as spool:
            spool.seek(0)
            results = json.load(spool)
        vocabulary = await get_vocabulary(request)
        table = result_table(results, vocabulary, display_language(request))
        return _page(request, query, values, table=table)
    return spooled.response({"Vary": "Accept"})


async def _python_answer(
    request: Request,
    service: QueryService,
    query: NamedQuery,
    values: Mapping[str, object],
    offer: Offer,
    html: bool,
) -> Response:
    try:
        checked_values(query, values)
    except InputError as error:
        if not html:
            raise
        return _page(request, query, values, error=error, status=status_of(type(error)))
    table = await unless_client_gone(request, arun_answer(service, query.name, values))
    if html:
        vocabulary = await get_vocabulary(request)
        shown = result_table(table.sparql_json(), vocabulary, display_language(request))
        return _page(request, query, values, table=shown)
    assert isinstance(offer.fmt, ResultFormat)
    body = serialize_within(table, offer.fmt, service.result_limits.max_bytes)
    return Response(body, media_type=offer.fmt.media_type, headers={"Vary": "Accept"})


def _page(
    request: Request,
    query: NamedQuery,
    values: Mapping[str, object],
    *,
    table: dict[str, Any] | None = None,
    error: InputError | None = None,
    status: int = 200,
) -> Response:
    given = {key: str(value) for key, value in values.items()}
    shown = {key: value for key, value in given.items() if key in {p.name for p in query.params}}
    alternates = [
        {
            "name": offer.names[0],
            "media_type": offer.media_type,
            "href": str(request.url.include_query_params(format=offer.names[0])),
        }
        for offer in RESULT_OFFERS
    ]
    return render(
        request,
        "query.html",
        status=status,
        query=query,
        values=shown,
        table=table,
        error=error,
        alternates=alternates,
    )


def result_table(results: Mapping[str, Any], vocabulary: Vocabulary, lang: str) -> dict[str, Any]:
    """SPARQL JSON results as a page table: variables, cells (text, link) and row counts; a
    vocabulary term is shown by its label in ``lang`` (its IRI in the cell's title)."""
    if "boolean" in results:
        return {
            "variables": [],
            "rows": [],
            "total": 0,
            "truncated": False,
            "boolean": results["boolean"],
        }
    variables = list(results["head"]["vars"])
    bindings = results["results"]["bindings"]
    rows = [
        [_cell(binding.get(name), vocabulary, lang) for name in variables]
        for binding in bindings[:MAX_HTML_ROWS]
    ]
    return {
        "variables": variables,
        "rows": rows,
        "total": len(bindings),
        "truncated": len(bindings) > MAX_HTML_ROWS,
        "boolean": None,
    }


def _cell(value: Mapping[str, str] | None, vocabulary: Vocabulary, lang: str) -> dict[str, Any]:
    if value is None:
        return {"text": "", "href": None, "title": None}
    text = value["value"]
    if value.get("type") != "uri":
        return {"text": text, "href": None, "title": None}
    term = vocabulary.find(text)
    label = term.label(lang) if term is not None else text
    return {"text": label, "href": link_for(text) or text, "title": text}
