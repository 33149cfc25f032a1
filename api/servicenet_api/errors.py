"""The one HTTP error table: every error status the facade answers, its headers and its OpenAPI text.

Every error body is ``{"error": STABLE_CODE, "message": ..., "location": {...}}``. A library error
finds its row by its class (the nearest class in its MRO that has one), so a new error class without
a row answers as its parent does, and ``tests/api/test_api_errors.py`` fails until it gets its own.
Routes document their errors with ``error_responses(...)``, generated from the same rows, and
``docs/api.md`` lists the rows (checked by the same test).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from servicenet_api.query_results import ClientGone, client_gone_response
from servicenet_vocab import errors as e
from servicenet_vocab.store import errors as engine

__all__ = [
    "ENGINE_ERRORS",
    "TABLE",
    "ErrorRow",
    "MethodNotAllowedError",
    "error_responses",
    "install_error_handlers",
    "row_for",
    "status_of",
]


class MethodNotAllowedError(e.ServicenetError):
    """The target exists but does not take this method; ``allow`` is what it does take."""

    code = "METHOD_NOT_ALLOWED"

    def __init__(
        self, message: str, *, allow: Sequence[str], location: e.Location | None = None
    ) -> None:
        super().__init__(message, location=location)
        self.allow = tuple(allow)


Headers = Callable[[e.ServicenetError, Request], dict[str, str]]


def _challenge(error: e.ServicenetError, request: Request) -> dict[str, str]:
    """RFC 6750: ``error="invalid_token"`` when a bearer token was presented and refused."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    challenge = 'Bearer realm="servicenet"'
    if scheme.lower() == "bearer" and token.strip():
        challenge += ', error="invalid_token"'
    return {"WWW-Authenticate": challenge}


def _allow(error: e.ServicenetError, request: Request) -> dict[str, str]:
    assert isinstance(error, MethodNotAllowedError)
    return {"Allow": ", ".join(error.allow)}


@dataclass(frozen=True)
class ErrorRow:
    kind: type[e.ServicenetError]
    status: int
    when: str
    headers: Headers | None = None
    header_doc: tuple[tuple[str, str], ...] = ()  # (header, what it says) for OpenAPI

    @property
    def code(self) -> str:
        return self.kind.code


TABLE: tuple[ErrorRow, ...] = (
    ErrorRow(e.InputError, 400, "a bad parameter or body (not UTF-8, missing or repeated)"),
    ErrorRow(e.RdfSyntaxError, 400, "RDF that does not parse; located by line and column"),
    ErrorRow(e.QuerySyntaxError, 400, "SPARQL that does not parse; located by line and column"),
    ErrorRow(e.RefusedInputError, 400, "well-formed but refused (nesting, SERVICE, FROM, graph)"),
    ErrorRow(e.ShapesError, 400, "SHACL shapes that cannot be evaluated"),
    ErrorRow(e.WorkerCrashedError, 400, "the input killed its worker process"),
    ErrorRow(
        e.AuthenticationRequiredError,
        401,
        "no token, or an unknown or revoked one",
        _challenge,
        (("WWW-Authenticate", 'Bearer realm="servicenet" (error="invalid_token" for a bad one)'),),
    ),
    ErrorRow(e.AccessDeniedError, 403, "the token does not grant this graph"),
    ErrorRow(e.UpdateNotAllowedError, 403, "an update sent to the read-only endpoint"),
    ErrorRow(e.NotFoundError, 404, "no such graph, term, query or path"),
    ErrorRow(
        MethodNotAllowedError,
        405,
        "a method the target does not take (a read-only graph, PUT /sparql)",
        _allow,
        (("Allow", "the methods the target takes"),),
    ),
    ErrorRow(e.NotAcceptableError, 406, "no format the client accepts; lists the supported ones"),
    ErrorRow(e.PayloadTooLargeError, 413, "a body or query over its size limit"),
    ErrorRow(e.ResultLimitError, 413, "more rows or bytes than the result limit; never truncated"),
    ErrorRow(e.UnsupportedFormatError, 415, "a Content-Type, charset or format not read here"),
    ErrorRow(e.DataInvalidError, 422, "the data would not conform to the shapes"),
    ErrorRow(
        engine.EngineError, 502, "the remote engine failed the request or sent malformed data"
    ),
    ErrorRow(e.StoreError, 503, "the store failed, or the service is starting or stopping"),
    ErrorRow(engine.EngineUnavailableError, 503, "the remote engine cannot be reached or is busy"),
    ErrorRow(e.LimitExceededError, 503, "past a configured limit"),
    ErrorRow(e.QueryTimeoutError, 503, "past the time limit; the worker was killed"),
    ErrorRow(engine.EngineTimeoutError, 504, "the remote engine did not answer in time"),
    ErrorRow(e.ServicenetError, 500, "an error without a more specific row"),
)

_BY_KIND = {row.kind: row for row in TABLE}
# What any route that reads or writes through the store may answer on a remote backend.
ENGINE_ERRORS: tuple[type[e.ServicenetError], ...] = (
    engine.EngineError,
    engine.EngineUnavailableError,
    engine.EngineTimeoutError,
)
# Errors the framework raises itself (unknown path, wrong method, unparsable form)
_FRAMEWORK: dict[int, type[e.ServicenetError]] = {
    400: e.InputError,
    404: e.NotFoundError,
    405: MethodNotAllowedError,
    413: e.PayloadTooLargeError,
}


def row_for(kind: type[e.ServicenetError]) -> ErrorRow:
    for cls in kind.__mro__:
        row = _BY_KIND.get(cls)
        if row is not None:
            return row
    raise AssertionError(f"{kind.__name__} is not a ServicenetError")  # pragma: no cover


def status_of(kind: type[e.ServicenetError]) -> int:
    return row_for(kind).status


ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "a stable code"},
        "message": {"type": "string"},
        "location": {
            "type": "object",
            "description": "where: any of source, line, column, row, field, focus_node, path",
        },
    },
}


def error_responses(*kinds: type[e.ServicenetError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the errors a route can raise, one entry per status."""
    by_status: dict[int, list[ErrorRow]] = {}
    for row in dict.fromkeys(row_for(kind) for kind in kinds):
        by_status.setdefault(row.status, []).append(row)
    responses: dict[int | str, dict[str, Any]] = {}
    for status in sorted(by_status):
        rows = by_status[status]
        codes = [row.code for row in rows]
        schema = {**ERROR_SCHEMA, "properties": {**ERROR_SCHEMA["properties"]}}
        schema["properties"]["error"] = {"type": "string", "enum": codes}
        entry: dict[str, Any] = {
            "description": "; ".join(f"{row.code}: {row.when}" for row in rows),
            "content": {"application/json": {"schema": schema}},
        }
        headers = {
            name: {"description": text, "schema": {"type": "string"}}
            for row in rows
            for name, text in row.header_doc
        }
        if headers:
            entry["headers"] = headers
        responses[status] = entry
    return responses


def _response(error: e.ServicenetError, request: Request) -> JSONResponse:
    row = row_for(type(error))
    headers = row.headers(error, request) if row.headers else None
    return JSONResponse(error.to_dict(), status_code=row.status, headers=headers)


async def _handle(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, e.ServicenetError)
    return _response(error, request)


async def _handle_http(request: Request, error: Exception) -> JSONResponse:
    """Framework errors (unknown path, wrong method) through the same rows; their own headers
    (Starlette's ``Allow``) are kept."""
    assert isinstance(error, StarletteHTTPException)
    kind = _FRAMEWORK.get(error.status_code)
    if kind is None:  # pragma: no cover - the framework raises only the statuses above
        body = {"error": f"HTTP_{error.status_code}", "message": str(error.detail)}
        return JSONResponse(body, status_code=error.status_code, headers=error.headers)
    row = row_for(kind)
    body = {"error": row.code, "message": str(error.detail)}
    return JSONResponse(body, status_code=row.status, headers=error.headers)


async def _handle_validation(request: Request, error: Exception) -> JSONResponse:
    """A request FastAPI could not bind to a route's parameters: 400 naming the parameter."""
    assert isinstance(error, RequestValidationError)
    problems = list(error.errors())
    first = problems[0] if problems else {}
    where = [str(part) for part in first.get("loc", ()) if part not in ("query", "path", "body")]
    message = str(first.get("msg", "invalid request"))
    located = e.InputError(message, location=e.Location(field=".".join(where) or None))
    return _response(located, request)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(e.ServicenetError, _handle)
    app.add_exception_handler(StarletteHTTPException, _handle_http)
    app.add_exception_handler(RequestValidationError, _handle_validation)
    app.add_exception_handler(ClientGone, client_gone_response)
    _document_validation_as_400(app)


_FRAMEWORK_SCHEMAS = ("HTTPValidationError", "ValidationError")


def _document_validation_as_400(app: FastAPI) -> None:
    """FastAPI documents a 422 for every route with parameters; ours answer 400 (above)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()  # cached by FastAPI: the edit below runs on the first call only
        ref = f"#/components/schemas/{_FRAMEWORK_SCHEMAS[0]}"
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.get("responses", {})
                content = responses.get("422", {}).get("content", {})
                if content.get("application/json", {}).get("schema", {}).get("$ref") == ref:
                    del responses["422"]
                    responses.setdefault("400", error_responses(e.InputError)[400])
        components = schema.get("components", {}).get("schemas", {})
        for name in _FRAMEWORK_SCHEMAS:
            components.pop(name, None)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
