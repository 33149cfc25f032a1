"""The web page's maps and charts, and the browser libraries they use.

- ``GET /maps``: the municipalities with data, each with its map, and the named queries' charts;
- ``GET /maps/{code}?query=NAME&measure=VAR&...``: a municipality's units, areas and catchment
  areas, and a planning answer (``query``) as points or a choropleth of ``measure``; drawn by
  ``static/map.js`` (Leaflet) from this app's OGC API – Features (``/ogc``);
- ``GET /charts/{name}?municipality=CODE&...``: a named query's answer as a chart
  (``static/chart.js``, Vega-Lite), from its own JSON result (``GET /queries/{name}``);
- ``GET /maps/validate`` and ``POST /maps/validate``: an uploaded file's located things on the
  map with their validation results (``features.uploads``, in a worker like ``/validate``);
- ``GET /static/vendor/...``: Leaflet and Vega, vendored at pinned versions with their licences.

No tile server by default: a plain background with the area outlines, so the maps work offline;
``map_tile_url`` in the settings adds a background.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from servicenet_api.deps import ServicesDep
from servicenet_api.errors import ENGINE_ERRORS, error_responses
from servicenet_api.routes.map_texts import MAP_TEXTS
from servicenet_api.routes.ogc_sources import (
    municipalities,
    municipality_name,
    named_queries,
    select,
)
from servicenet_api.routes.pages import display_language, render
from servicenet_api.routes.validate import _dataset
from servicenet_api.uploads import report_language
from servicenet_vocab.errors import (
    InputError,
    NotFoundError,
    PayloadTooLargeError,
    RdfSyntaxError,
    RefusedInputError,
    UnsupportedFormatError,
    WorkerCrashedError,
)
from servicenet_vocab.features import kind_queries
from servicenet_vocab.features.sources import features_of
from servicenet_vocab.features.uploads import located_job
from servicenet_vocab.publishing.writer import Upload

__all__ = ["router"]

router = APIRouter(tags=["web page"])

PACKAGE = Path(__file__).resolve().parent.parent
VENDOR = PACKAGE / "static" / "vendor"
MEDIA = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".md": "text/markdown; charset=utf-8",
    "": "text/plain; charset=utf-8",  # LICENSE
}
SCRATCH_GRAPH = "urn:x-servicenet:validate-map"
MARGIN = 0.02  # degrees around the stored areas' extent before a point is "outside" (~2 km)


def _vendored() -> dict[str, Path]:
    """Every vendored file by its path under ``vendor/``: the only ones served."""
    return {
        str(path.relative_to(VENDOR)): path
        for path in sorted(VENDOR.rglob("*"))
        if path.is_file() and path.suffix in MEDIA
    }


VENDORED = _vendored()  # package data, fixed for the process


@router.get(
    "/static/vendor/{path:path}",
    include_in_schema=False,
    responses=error_responses(NotFoundError),
)
def vendor(path: str) -> Response:
    found = VENDORED.get(path)
    if found is None:
        raise NotFoundError(f"no static file vendor/{path!r}")
    return Response(
        found.read_bytes(),
        media_type=MEDIA[found.suffix],
        # The directory names the version, so a file never changes under its URL.
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


def _page(request: Request, template: str, **context: Any) -> HTMLResponse:
    ui = display_language(request)
    return render(request, template, m=MAP_TEXTS[ui], **context)


async def _spatial_queries(request: Request) -> list[dict[str, Any]]:
    return await named_queries(request)


@router.get("/maps", response_class=HTMLResponse, summary="Maps and charts: the municipalities")
async def maps(request: Request, services: ServicesDep) -> HTMLResponse:
    ui = display_language(request)
    codes = await municipalities(services)
    places = [(code, municipality_name(services, code, ui)) for code in codes]
    return _page(request, "maps.html", places=places, queries=await _spatial_queries(request))


@router.get(
    "/maps/validate",
    response_class=HTMLResponse,
    summary="The page that validates a file and shows its located things on a map",
)
async def validate_page(request: Request, services: ServicesDep) -> HTMLResponse:
    config = {"mode": "validate", "tiles": services.settings.map_tile_url}
    return _page(request, "map_validate.html", config=config)


@router.get(
    "/maps/{code}",
    response_class=HTMLResponse,
    summary="A municipality's map: units, areas, catchment areas and a planning answer",
    responses=error_responses(NotFoundError, *ENGINE_ERRORS),
)
async def municipality_map(code: str, request: Request, services: ServicesDep) -> HTMLResponse:
    if code not in await municipalities(services):
        raise NotFoundError(f"no data of municipality {code!r}")
    ui = display_language(request)
    queries = await _spatial_queries(request)
    # Without a query parameter the units are coloured by their utilisation; query= shows none.
    default = "utilisation" if any(q["name"] == "utilisation" for q in queries) else ""
    chosen = request.query_params.get("query", default) or None
    query = next((q for q in queries if q["name"] == chosen), None)
    if chosen and query is None:
        raise NotFoundError(f"no named query {chosen!r}")
    params = {
        p["name"]: request.query_params.get(p["name"], str(p["default"]))
        for p in (query or {}).get("parameters", [])
    }
    layers = [
        {"id": f"catchment-areas-{code}", "kind": "catchments"},
        {"id": f"areas-{code}", "kind": "areas"},
        {"id": f"units-{code}", "kind": "units"},
    ]
    config = {
        "mode": "municipality",
        "code": code,
        "layers": layers,
        "query": chosen,
        "collection": f"query-{chosen}-{code}" if chosen else None,
        "params": params,
        "measure": request.query_params.get("measure") or None,
        "tiles": services.settings.map_tile_url,
        "ui": ui,
    }
    return _page(
        request,
        "map.html",
        code=code,
        name=municipality_name(services, code, ui),
        queries=queries,
        query=query,
        params=params,
        config=config,
    )


@router.get(
    "/charts/{name}",
    response_class=HTMLResponse,
    summary="A named query's answer as a chart",
    responses=error_responses(NotFoundError, *ENGINE_ERRORS),
)
async def chart(name: str, request: Request, services: ServicesDep) -> HTMLResponse:
    ui = display_language(request)
    queries = await _spatial_queries(request)
    query = next((q for q in queries if q["name"] == name), None)
    if query is None:
        raise NotFoundError(f"no named query {name!r}")
    code = request.query_params.get("municipality") or None
    codes = await municipalities(services)
    if code is not None and code not in codes:
        raise NotFoundError(f"no data of municipality {code!r}")
    params = {
        p["name"]: request.query_params.get(p["name"], str(p["default"]))
        for p in query.get("parameters", [])
    }
    years = [p for p in query.get("parameters", []) if p["name"] == "year"]
    config = {
        "query": name,
        "params": params,
        "municipality": code,
        "view": request.query_params.get("view", "rows"),
        "years": request.query_params.get("years", "2025-2035") if years else None,
        "ui": ui,
    }
    places = [(c, municipality_name(services, c, ui)) for c in codes]
    return _page(
        request, "chart.html", query=query, params=params, config=config, places=places, code=code
    )


@router.post(
    "/maps/validate",
    summary="Validate a dataset and locate its things for the map (GeoJSON with the results)",
    response_class=JSONResponse,
    responses=error_responses(
        InputError,
        RdfSyntaxError,
        RefusedInputError,
        WorkerCrashedError,
        PayloadTooLargeError,
        UnsupportedFormatError,
        *ENGINE_ERRORS,
    ),
)
async def validate_on_map(request: Request, services: ServicesDep) -> JSONResponse:
    data, fmt, name = await _dataset(request, services.settings.max_upload_bytes)
    upload = Upload(data=data, fmt=fmt, graph=SCRATCH_GRAPH, source_name=name)
    checks = services.checks.with_lang(report_language(request))
    located: dict[str, Any] = await to_thread.run_sync(
        lambda: services.runner(located_job, upload, checks)
    )
    await _flag_outside_municipality(request, services, located)
    return JSONResponse(located, media_type="application/geo+json")


async def _flag_outside_municipality(
    request: Request, services: Any, located: dict[str, Any]
) -> None:
    """``outside-municipality``: a point beyond the extent of its municipality's stored areas,
    catchment areas and units (with a margin); nothing is said where nothing is stored."""
    stored = set(await municipalities(services))
    codes = {f["properties"].get("municipality") for f in located["features"]} & stored
    located["stored"] = sorted(c for c in codes if c)  # whose areas the page can draw
    extents: dict[str, tuple[float, float, float, float]] = {}
    for code in sorted(c for c in codes if c):
        bounds = []
        for kind in ("areas", "catchment-areas", "units"):
            results = [await select(request, services, text) for text in kind_queries(kind, [code])]
            bounds += [f.geometry.bounds for f in features_of(kind, results) if f.geometry]
        if bounds:
            extents[code] = (
                min(b[0] for b in bounds) - MARGIN,
                min(b[1] for b in bounds) - MARGIN,
                max(b[2] for b in bounds) + MARGIN,
                max(b[3] for b in bounds) + MARGIN,
            )
    for feature in located["features"]:
        box = extents.get(feature["properties"].get("municipality") or "")
        geometry = feature.get("geometry")
        if box is None or not geometry or geometry["type"] != "Point":
            continue
        x, y = geometry["coordinates"][:2]
        if not (box[0] <= x <= box[2] and box[1] <= y <= box[3]):
            feature["properties"]["flags"].append("outside-municipality")
