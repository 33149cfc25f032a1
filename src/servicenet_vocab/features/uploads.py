"""An uploaded dataset on the map (a worker-pool job, like ``POST /validate``): every thing in it
with a geometry (a unit's point, an area's polygon) as a feature carrying the validation results
whose focus is the thing or its geometry node, and flags for coordinates that cannot be right:
``outside-finland``, ``swapped`` (latitude and longitude the other way round land in Finland) and
``not-degrees`` (a value no longitude or latitude can have, e.g. TM35FIN metres).
The facade adds ``outside-municipality`` from the stored areas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from servicenet_vocab import namespaces as ns
from servicenet_vocab.features.model import Feature, point, wkt_geometry
from servicenet_vocab.formats import ResultFormat
from servicenet_vocab.publishing.writer import Checks, Upload, parse_upload
from servicenet_vocab.store.embedded import open_store
from servicenet_vocab.validation import validate_quads

__all__ = ["FINLAND", "located_job"]

FINLAND = (19.0, 59.5, 31.6, 70.1)  # lon/lat bounds the shapes check coordinates against

LOCATED = (
    ns.sparql_prefixes("sn", "rdfs", "geo")
    + """SELECT ?s ?geom ?lat ?lon ?wkt ?label ?class ?municipality WHERE {
  ?s geo:hasGeometry ?geom .
  OPTIONAL { ?geom sn:latitude ?lat }
  OPTIONAL { ?geom sn:longitude ?lon }
  OPTIONAL { ?geom geo:asWKT ?wkt }
  OPTIONAL { ?s rdfs:label ?label }
  OPTIONAL { ?s a ?class }
  OPTIONAL { ?s sn:municipality ?municipality }
}"""
)


def _inside(lon: float, lat: float) -> bool:
    return FINLAND[0] <= lon <= FINLAND[2] and FINLAND[1] <= lat <= FINLAND[3]


def _text(term: Any) -> str:
    value = str(term.value)
    return "_:" + value if type(term).__name__ == "BlankNode" else value


def located_job(_context: object, upload: Upload, checks: Checks) -> dict[str, Any]:
    """Parse, validate and locate ``upload``: a GeoJSON FeatureCollection with the report."""
    quads = parse_upload(upload)
    paths = (
        None if files is None else [Path(f) for f in files]
        for files in (checks.shapes, checks.context)
    )
    shapes, context = paths
    report = validate_quads(quads, shapes, lang=checks.lang, context=context)
    scratch = open_store("memory")
    graph = ox.NamedNode(upload.graph)
    scratch.add_quads(
        [ox.Quad(q.subject, q.predicate, q.object, graph) for q in quads], graph=upload.graph
    )
    rows = json.loads(scratch.query(LOCATED).serialize(ResultFormat.JSON))["results"]["bindings"]
    things: dict[str, dict[str, Any]] = {}
    for row in rows:
        subject = _value(row["s"])
        thing = things.setdefault(
            subject,
            {"nodes": {subject, _value(row["geom"])}, "row": row, "labels": {}, "classes": set()},
        )
        if "label" in row:
            thing["labels"].setdefault(row["label"].get("xml:lang", ""), row["label"]["value"])
        if "class" in row:
            thing["classes"].add(row["class"]["value"].rpartition("#")[2])
    results = report.to_dict()["results"]
    features, placed = [], set()
    for number, (subject, thing) in enumerate(sorted(things.items()), start=1):
        own = [
            {k: r[k] for k in ("severity", "message", "path", "value", "line")}
            for index, r in enumerate(results)
            if r["focus_node"] in thing["nodes"] and not placed.add(index)  # type: ignore[func-returns-value]
        ]
        geometry, flags = _geometry(thing["row"])
        labels = thing["labels"]
        name = next((labels[k] for k in ("fi", "sv", "en", "") if k in labels), subject)
        municipality = thing["row"].get("municipality", {}).get("value", "")
        properties = {
            "name": name,
            "classes": ",".join(sorted(thing["classes"])),
            "municipality": municipality.rpartition("/")[2]
            if municipality.startswith(ns.CODE)
            else None,
            "results": own,
            "flags": flags,
        }
        feature = Feature(id=str(number), iri=subject, geometry=geometry, properties=properties)
        features.append(feature.to_geojson())
    return {
        "type": "FeatureCollection",
        "features": features,
        "conforms": report.conforms,
        "results": len(results),
        "unplaced": len(results) - len(placed),
    }


def _value(term: dict[str, str]) -> str:
    return ("_:" if term["type"] == "bnode" else "") + term["value"]


def _geometry(row: dict[str, dict[str, str]]) -> tuple[Any, list[str]]:
    flags: list[str] = []
    if "lat" in row and "lon" in row:
        try:
            lat, lon = float(row["lat"]["value"]), float(row["lon"]["value"])
        except ValueError:
            return None, ["not-degrees"]
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return None, ["not-degrees"]
        if not _inside(lon, lat):
            flags.append("outside-finland")
            if _inside(lat, lon):
                flags.append("swapped")
        return point(lon, lat), flags
    if "wkt" in row:
        geometry = wkt_geometry(row["wkt"]["value"])
        if geometry is not None:
            x, y = geometry.representative_point().coords[0]
            if not _inside(x, y):
                flags.append("outside-finland")
                if _inside(y, x):
                    flags.append("swapped")
        return geometry, flags
    return None, flags
