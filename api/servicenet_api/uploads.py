"""What the upload routes (``/graph-store`` writes, ``/validate``) share: the bounded body, the
upload's format, the report's language and format, and the one ``Publisher`` of the app.

The publisher is created on first use from the app's store, settings and (when the facade has
one) its worker pool, so parsing and validation of uploads run in worker processes and each commit
is published to the workers' snapshots.
"""

from __future__ import annotations

import html
import threading
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from servicenet_api.conneg import Offer, negotiate
from servicenet_vocab.config import Settings
from servicenet_vocab.errors import NotAcceptableError, UnsupportedFormatError
from servicenet_vocab.publishing.tokens import TokenFile
from servicenet_vocab.publishing.writer import Checks, Publisher, Runner, check_size, run_inline
from servicenet_vocab.rdfio import RdfFormat, format_for_media_type
from servicenet_vocab.validation import ValidationReport
from servicenet_vocab.validation import formats as report_formats

__all__ = [
    "REPORT_OFFERS",
    "publisher_for",
    "read_body",
    "report_language",
    "report_response",
    "runner_for",
    "token_file",
    "upload_format",
]

# Uploads are parsed and validated in a worker; a city-sized file takes seconds, not minutes.
VALIDATION_TIMEOUT = 600.0

REPORT_OFFERS = (
    Offer("application/json", RdfFormat.JSONLD, ("json",)),  # fmt unused: the report's own JSON
    Offer("text/turtle", RdfFormat.TURTLE, ("turtle", "ttl")),
    Offer("text/html", RdfFormat.RDFXML, ("html",)),  # fmt unused: an HTML page
)

_lock = threading.Lock()


def upload_format(request: Request) -> RdfFormat:
    """The upload's RDF format from its Content-Type; missing or unknown: 415."""
    content_type = request.headers.get("content-type")
    if not content_type:
        raise UnsupportedFormatError("the upload needs a Content-Type naming its RDF format")
    return format_for_media_type(content_type)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes (a declared
    Content-Length is checked before anything is read)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit():
        check_size(int(declared), limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        check_size(size, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def report_language(request: Request) -> str:
    """fi, sv or en from ``?lang=`` or the first of them in Accept-Language; English otherwise."""
    asked = request.query_params.get("lang") or request.headers.get("accept-language", "")
    for part in asked.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in ("fi", "sv", "en"):
            return tag
    return "en"


def report_response(
    request: Request,
    report: ValidationReport,
    status: int,
    extra: dict[str, Any] | None = None,
    *,
    strict: bool = True,
) -> Response:
    """A validation report in the format the client accepts: JSON (default), Turtle or HTML.

    ``strict=False`` (the outcome of a write) falls back to JSON rather than answer 406: the status
    of a write must not depend on which report formats the client listed."""
    try:
        offer = negotiate(
            request.headers.get("accept"),
            REPORT_OFFERS,
            format_param=request.query_params.get("format"),
            what="a validation report",
        )
    except NotAcceptableError:
        if strict:
            raise
        offer = REPORT_OFFERS[0]
    if offer.media_type == "text/turtle":
        return Response(report_formats.turtle(report), status_code=status, media_type="text/turtle")
    if offer.media_type == "text/html":
        return HTMLResponse(report_page(report), status_code=status)
    body = {**(extra or {}), "report": report.to_dict()}
    return JSONResponse(body, status_code=status)


def report_page(report: ValidationReport) -> str:
    """A self-contained HTML page listing the results (no scripts, every value escaped)."""
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(value))}</td>"
            for value in (
                r.severity.value,
                r.focus_node,
                r.path or "",
                r.value or "",
                r.message,
                f"{r.file or ''}{':' + str(r.line) if r.line else ''}",
            )
        )
        + "</tr>"
        for r in report.results
    )
    verdict = "conforms" if report.conforms else "does not conform"
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<title>Validation report</title></head><body>"
        f"<h1>Validation report: the data {verdict}</h1>"
        f"<p>{len(report.results)} result(s)</p>"
        "<table><thead><tr><th>severity</th><th>focus node</th><th>path</th><th>value</th>"
        f"<th>message</th><th>where</th></tr></thead><tbody>{rows}</tbody></table>"
        "</body></html>"
    )


def token_file(settings: Settings) -> TokenFile | None:
    return TokenFile(settings.tokens_file) if settings.tokens_file else None


def runner_for(request: Request) -> Runner:
    """The facade's worker pool when the app has one; otherwise run in this process."""
    state = request.app.state
    pool = getattr(state, "pool", None)
    if pool is None:
        service = getattr(state, "query_service", None)
        pool = getattr(service, "pool", None)
    if pool is None:
        return run_inline

    def run_in_pool(job: Any, *args: Any) -> Any:
        return pool.call(job, *args, timeout=VALIDATION_TIMEOUT)

    return run_in_pool


def publisher_for(request: Request) -> Publisher:
    """The app's single writer of municipality graphs (created on first use)."""
    state = request.app.state
    with _lock:
        publisher: Publisher | None = getattr(state, "publisher", None)
        if publisher is None or publisher.store is not state.store:
            pool = getattr(state, "pool", None) or getattr(
                getattr(state, "query_service", None), "pool", None
            )
            publisher = Publisher(
                state.store,
                checks=getattr(state, "publish_checks", None) or Checks(),
                runner=runner_for(request),
                on_commit=(lambda graphs: pool.publish(state.store, graphs)) if pool else None,
            )
            state.publisher = publisher
        return publisher
