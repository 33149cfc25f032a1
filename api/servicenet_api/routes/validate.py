"""``POST /validate``: validate an uploaded dataset against the project's shapes, storing nothing.

The body is the dataset (Content-Type names its RDF format) or a ``multipart/form-data`` form with a
``file`` field (the web page's form; the format then comes from the file name). The report comes back
as JSON (default), Turtle or an HTML page by ``Accept``; 200 whether or not the data conforms.
"""

from __future__ import annotations

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile
from starlette.types import Message

from servicenet_api.deps import SettingsDep
from servicenet_api.uploads import (
    REPORT_OFFERS,
    read_body,
    report_language,
    report_response,
    runner_for,
    upload_format,
)
from servicenet_vocab.errors import InputError
from servicenet_vocab.publishing.writer import Checks, Upload, check_size, validate_job
from servicenet_vocab.rdfio import RdfFormat, format_for_path
from servicenet_vocab.validation import ValidationReport

router = APIRouter(tags=["validation"])

_ERROR = {"application/json": {"example": {"error": "RDF_SYNTAX_ERROR", "message": "..."}}}
SCRATCH_GRAPH = "urn:x-servicenet:validate"
FORM_OVERHEAD = 16 * 1024


async def _dataset(request: Request, limit: int) -> tuple[bytes, RdfFormat, str]:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        return await read_body(request, limit), upload_format(request), "upload"
    # The whole form is read under the limit (plus room for the form's own headers) before
    # Starlette parses it, so a chunked form without Content-Length cannot grow past it either.
    body = await read_body(request, limit + FORM_OVERHEAD)

    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    form = await Request(request.scope, replay).form(max_files=1, max_fields=10)
    file = form.get("file")
    if not isinstance(file, UploadFile) or not file.filename:
        raise InputError("the form needs a 'file' field with the dataset")
    data = await file.read(limit + 1)
    check_size(len(data), limit, file.filename)
    return data, format_for_path(file.filename), file.filename


@router.post(
    "/validate",
    summary="Validate a dataset against the project's SHACL shapes without storing it",
    response_class=Response,
    responses={
        200: {
            "description": "The validation report (conforming or not)",
            "content": {media: {} for media in ("application/json", "text/turtle", "text/html")},
        },
        400: {"description": "Syntax error (line, column) or refused input", "content": _ERROR},
        406: {"description": "No acceptable report format", "content": _ERROR},
        413: {"description": "Over the upload size limit", "content": _ERROR},
        415: {"description": "Content-Type is not an RDF format", "content": _ERROR},
    },
)
async def validate_dataset(request: Request, settings: SettingsDep) -> Response:
    data, fmt, name = await _dataset(request, settings.max_upload_bytes)
    checks: Checks = getattr(request.app.state, "publish_checks", None) or Checks()
    upload = Upload(data=data, fmt=fmt, graph=SCRATCH_GRAPH, source_name=name)
    runner = runner_for(request)
    lang = report_language(request)
    report: ValidationReport = await to_thread.run_sync(
        lambda: runner(validate_job, upload, checks.with_lang(lang))
    )
    return report_response(request, report, 200, {"conforms": report.conforms})


__all__ = ["REPORT_OFFERS", "router"]
