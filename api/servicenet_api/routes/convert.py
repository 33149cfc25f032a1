"""``POST /convert/{source}``: a real export (PTV, PxWeb, areas, Varda, ...) converted to RDF.

The body is the export file as published; its name (``filename``, or a suffix the Content-Type
implies) tells the reader its format. The answer is Turtle (or N-Triples by ``Accept``) with the
record counts in headers; records that do not convert answer 422 listing each with its record and
field, and nothing is converted unless ``skip_invalid``. Nothing is stored: upload the result to
``/graph-store`` with the city's token.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response

from servicenet_api.body import read_body
from servicenet_api.conneg import GRAPH_OFFERS, negotiate
from servicenet_api.deps import ServicesDep
from servicenet_api.errors import error_responses
from servicenet_vocab.convert.problems import RowsInvalidError
from servicenet_vocab.errors import (
    InputError,
    Location,
    NotAcceptableError,
    NotFoundError,
    PayloadTooLargeError,
)
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.sources import SourceOptions, convert_source, get_source, source_names

router = APIRouter(tags=["conversion"])

# Turtle (what the readers write) and N-Triples, from the format table.
OFFERS = tuple(o for o in GRAPH_OFFERS if o.fmt in (RdfFormat.TURTLE, RdfFormat.NTRIPLES))
# What a client that sends no file name most likely sent.
SUFFIX_BY_TYPE = {
    "application/geo+json": ".geojson",
    "application/gml+xml": ".gml",
    "application/geopackage+sqlite3": ".gpkg",
    "application/json": ".json",
    "text/csv": ".csv",
    "application/x-px": ".px",
}


def _file_name(source: str, filename: str | None, content_type: str) -> str:
    if filename:
        name = Path(filename).name
        if not name or name in (".", ".."):
            raise InputError(
                f"{filename!r} is not a file name", location=Location(field="filename")
            )
        return name
    media = content_type.split(";", 1)[0].strip().lower()
    suffix = SUFFIX_BY_TYPE.get(media)
    if suffix is None:
        raise InputError(
            "give the export's file name (?filename=...) or a Content-Type that implies it "
            f"({', '.join(SUFFIX_BY_TYPE)})",
            location=Location(field="filename"),
        )
    return f"{source}-upload{suffix}"


@router.post(
    "/convert/{source}",
    summary="Convert a real export (PTV, PxWeb, WFS/GeoJSON areas, Varda, ...) to RDF",
    response_class=Response,
    responses={
        200: {
            "description": "The converted dataset; the headers count the records",
            "content": {offer.media_type: {} for offer in OFFERS},
        },
        **error_responses(
            InputError, NotFoundError, RowsInvalidError, NotAcceptableError, PayloadTooLargeError
        ),
    },
)
async def convert_export(
    request: Request,
    services: ServicesDep,
    source: Annotated[str, PathParam(description=f"one of: {', '.join(source_names())}")],
    filename: Annotated[str | None, Query(description="the export's file name")] = None,
    municipality: Annotated[
        str | None, Query(pattern=r"^\d{3}$", description="3-digit code of the publisher")
    ] = None,
    skip_invalid: Annotated[bool, Query(description="convert the valid records")] = False,
    repair: Annotated[bool, Query(description="areas: repair invalid geometry")] = False,
    base_iri: Annotated[str | None, Query(description="base of the minted IRIs")] = None,
    option: Annotated[list[str] | None, Query(description="a source's KEY=VALUE option")] = None,
) -> Response:
    if source not in source_names():
        raise NotFoundError(f"no source {source!r}; sources: {', '.join(source_names())}")
    reader = get_source(source)
    offer = negotiate(
        request.headers.get("accept"),
        OFFERS,
        format_param=request.query_params.get("format"),
        what="a converted export",
    )
    fmt = RdfFormat(offer.fmt)
    name = _file_name(source, filename, request.headers.get("content-type", ""))
    data = await read_body(request, services.settings.max_upload_bytes, source=name)
    options = SourceOptions.parsed(
        option or [], name="option", municipality=municipality, base_iri=base_iri, repair=repair
    )

    def run() -> tuple[bytes, int, int, int]:
        with tempfile.TemporaryDirectory(prefix="servicenet-convert-") as scratch:
            path = Path(scratch) / name
            path.write_bytes(data)
            target = Path(scratch) / ("converted.nt" if fmt is RdfFormat.NTRIPLES else "out.ttl")
            result = convert_source(
                reader, path, options=options, output=target, skip_invalid=skip_invalid, fmt=fmt
            )
            return target.read_bytes(), result.rows, result.converted, result.triples

    body, records, converted, triples = await to_thread.run_sync(run)
    headers = {
        "Servicenet-Records": str(records),
        "Servicenet-Converted": str(converted),
        "Servicenet-Triples": str(triples),
    }
    return Response(body, media_type=offer.media_type, headers={**headers, "Vary": "Accept"})


__all__ = ["router"]
