"""Helsinki's real sub-districts for the tests that serve real polygons through ``/ogc`` to GIS
clients: the 148 *osa-alue* polygons (tests/data/sources/areas/osa_alueet.geojson, CC BY 4.0, City
of Helsinki) converted by the ``areas`` source with the *pienalue* layer as the known list of their
districts and major districts, as ``servicenet convert areas osa_alueet.geojson --option
parents=pienalueet.geojson`` does."""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer

from servicenet_vocab.sources import SourceOptions, convert_source, get_source

AREAS = Path(__file__).parents[1] / "data" / "sources" / "areas"
OSA_ALUEET = AREAS / "osa_alueet.geojson"
BASE = "https://data.hel.fi/servicenet/"


def converted(directory: Path) -> bytes:
    """The Turtle the ``areas`` source writes for the osa-alue layer."""
    for name in ("osa_alueet.geojson", "pienalueet.geojson"):
        shutil.copyfile(AREAS / name, directory / name)
    out = directory / "osa_alueet.ttl"
    options = SourceOptions(base_iri=BASE, extra={"parents": "pienalueet.geojson"})
    convert_source(get_source("areas"), directory / "osa_alueet.geojson", options=options, output=out)  # fmt: skip
    return out.read_bytes()


@cache
def sub_district_m2() -> dict[str, float]:
    """Each osa-alue's area in square metres in ETRS-TM35FIN, worked out from the GeoJSON itself
    (pyproj and shapely), by its code (``kokotunnus``, the feature id the API gives it)."""
    to_tm35fin = Transformer.from_crs("OGC:CRS84", "EPSG:3067", always_xy=True)

    def project(xy: np.ndarray) -> np.ndarray:
        x, y = to_tm35fin.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    found = {}
    for feature in json.loads(OSA_ALUEET.read_text("utf-8"))["features"]:
        shape = shapely.transform(shapely.geometry.shape(feature["geometry"]), project)
        found[str(feature["properties"]["kokotunnus"])] = float(shape.area)
    return found
