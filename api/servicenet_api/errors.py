"""One table from library errors to HTTP statuses; every error body is
``{"error": STABLE_CODE, "message": ..., "location": {...}}``."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from servicenet_api.query_results import ClientGone, client_gone_response
from servicenet_vocab import errors as e

STATUS: list[tuple[type[e.ServicenetError], int]] = [  # first match wins: specific first
    (e.UpdateNotAllowedError, 403),
    (e.NotAcceptableError, 406),
    (e.ResultLimitError, 413),
    (e.PayloadTooLargeError, 413),
    (e.UnsupportedFormatError, 415),
    (e.InputError, 400),
    (e.DataInvalidError, 422),
    (e.NotFoundError, 404),
    (e.AccessDeniedError, 403),
    (e.LimitExceededError, 503),
    (e.WorkerCrashedError, 400),
    (e.StoreError, 503),
]


def status_for(error: e.ServicenetError) -> int:
    for kind, status in STATUS:
        if isinstance(error, kind):
            return status
    return 500


async def _handle(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, e.ServicenetError)
    return JSONResponse(error.to_dict(), status_code=status_for(error))


async def _handle_http(request: Request, error: Exception) -> JSONResponse:
    """Framework errors (unknown route, wrong method) in the same body as ours."""
    assert isinstance(error, StarletteHTTPException)
    code = HTTP_CODES.get(error.status_code, f"HTTP_{error.status_code}")
    body = {"error": code, "message": str(error.detail)}
    return JSONResponse(body, status_code=error.status_code, headers=error.headers)


HTTP_CODES = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED"}


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(e.ServicenetError, _handle)
    app.add_exception_handler(StarletteHTTPException, _handle_http)
    app.add_exception_handler(ClientGone, client_gone_response)
