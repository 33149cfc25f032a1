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

from servicenet_api.body import read_body
from servicenet_api.deps import ServicesDep
from servicenet_api.errors import error_responses
from servicenet_api.uploads import (
    REPORT_OFFERS,
    report_language,
    report_response,
    upload_format,
)
from servicenet_vocab.errors import (
    InputError,
    NotAcceptableError,
    PayloadTooLargeError,
    RdfSyntaxError,
    RefusedInputError,
    UnsupportedFormatError,
    WorkerCrashedError,
)
from servicenet_vocab.publishing.writer import Upload, check_size, validate_job
from servicenet_vocab.rdfio import RdfFormat, format_for_path
from servicenet_vocab.validation import ValidationReport

router = APIRouter(tags=["validation"])

SCRATCH_GRAPH = "urn:x-servicenet:validate"
FORM_OVERHEAD = 16 * 1024


async def _dataset(request: Request, limit: int) -> tuple[bytes, RdfFormat, str]:
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        return await read_body(request, limit, source="upload"), upload_format(request), "upload"
    # The whole form is read under the limit (plus room for the form's own headers) before
    # Starlette parses it, so a chunked form without Content-Length cannot grow past it either.
    body = await read_body(request, limit + FORM_OVERHEAD, source="upload")

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
        **error_responses(
            InputError,
            RdfSyntaxError,
            RefusedInputError,
            WorkerCrashedError,
            NotAcceptableError,
            PayloadTooLargeError,
            UnsupportedFormatError,
        ),
    },
)
async def validate_dataset(request: Request, services: ServicesDep) -> Response:
    data, fmt, name = await _dataset(request, services.settings.max_upload_bytes)
    checks, runner = services.checks, services.runner
    upload = Upload(data=data, fmt=fmt, graph=SCRATCH_GRAPH, source_name=name)
    lang = report_language(request)
    report: ValidationReport = await to_thread.run_sync(
        lambda: runner(validate_job, upload, checks.with_lang(lang))
    )
    return report_response(request, report, 200, {"conforms": report.conforms})


__all__ = ["REPORT_OFFERS", "router"]
