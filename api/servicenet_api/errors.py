"""One table from library errors to HTTP statuses; every error body is
``{"error": STABLE_CODE, "message": ..., "location": {...}}``."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from servicenet_vocab import errors as e

STATUS: list[tuple[type[e.ServicenetError], int]] = [
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


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(e.ServicenetError, _handle)
