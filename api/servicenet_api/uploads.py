"""What the upload routes (``/graph-store`` writes, ``/validate``) share: the upload's format, the
report's language and format, the token file, and the runner that puts parsing and validation of
uploads in the worker pool (``create_app`` builds it with the publisher in its lifespan).
"""

from __future__ import annotations

import html
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from servicenet_api.conneg import Offer, negotiate
from servicenet_vocab.config import Settings
from servicenet_vocab.errors import NotAcceptableError, UnsupportedFormatError
from servicenet_vocab.publishing.tokens import TokenFile
from servicenet_vocab.publishing.writer import Runner
from servicenet_vocab.rdfio import RdfFormat, format_for_media_type
from servicenet_vocab.validation import ValidationReport
from servicenet_vocab.validation import formats as report_formats
from servicenet_vocab.workers import WorkerPool

__all__ = [
    "REPORT_OFFERS",
    "pool_runner",
    "report_language",
    "report_response",
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


def upload_format(request: Request) -> RdfFormat:
    """The upload's RDF format from its Content-Type; missing or unknown: 415."""
    content_type = request.headers.get("content-type")
    if not content_type:
        raise UnsupportedFormatError("the upload needs a Content-Type naming its RDF format")
    return format_for_media_type(content_type)


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


def pool_runner(pool: WorkerPool) -> Runner:
    """A ``Runner`` that runs each job in ``pool`` (parsing and validating untrusted uploads)."""

    def run_in_pool(job: Any, *args: Any) -> Any:
        return pool.call(job, *args, timeout=VALIDATION_TIMEOUT)

    return run_in_pool
