"""``/ogc`` opened in QGIS itself: PyQGIS's OGC API – Features provider (``OAPIF``, Debian's
``python3-qgis``, run headless) loads a city's units, planning areas, catchment areas and a planning
answer from a live server, as *Add WFS / OGC API – Features Layer* does (docs/api.md), and the test
compares what QGIS reads with what the HTTP API serves: counts, attributes with their types, and
geometries, reprojected by QGIS to ETRS-TM35FIN against the API's own EPSG:3067.

A second server holds Helsinki's real sub-district polygons (148 osa-alue, converted by the
``areas`` source) and QGIS's areas of them are checked against the source file.

QGIS's bindings live in the system Python, not in the venv, so ``qgis_open.py`` runs in
``/usr/bin/python3`` and prints JSON. Skipped only when they are absent (``make qgis`` installs
them; ``make pytest`` depends on it)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from conftest import EMBEDDED, LiveServer, run_live_server
from real_areas import converted, sub_district_m2

from servicenet_vocab.namespaces import municipality_graph
from servicenet_vocab.rdfio import RdfFormat

SYSTEM_PYTHON = "/usr/bin/python3"
CLIENT = Path(__file__).with_name("qgis_open.py")
TM35FIN = "http://www.opengis.net/def/crs/EPSG/0/3067"


@cache
def qgis_available() -> bool:
    if not Path(SYSTEM_PYTHON).exists():
        return False
    probe = subprocess.run(
        [SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True, timeout=60, check=False
    )
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(
    not qgis_available(),
    reason="QGIS's Python bindings are not installed (`make qgis` installs Debian's python3-qgis)",
)
COLLECTIONS = ("units-091", "areas-091", "catchment-areas-091", "query-utilisation-091")


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with run_live_server(EMBEDDED, load_examples=True, workers=2) as live:
        yield live


@pytest.fixture(scope="module")
def qgis(server: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return open_in_qgis(server, COLLECTIONS, tmp_path_factory.mktemp("qgis-home"))


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """Helsinki's 148 real osa-alue polygons with their districts, as a city would upload them."""
    data = converted(tmp_path_factory.mktemp("real-areas"))
    with run_live_server(EMBEDDED, load_examples=False, workers=1) as live:
        live.load(data, graph=municipality_graph("091"), fmt=RdfFormat.TURTLE)
        yield live


def open_in_qgis(server: LiveServer, collections: Sequence[str], home: Path) -> dict[str, Any]:
    done = subprocess.run(
        [SYSTEM_PYTHON, str(CLIENT), f"{server.url}/ogc", *collections, "--to", "EPSG:3067"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=home,
        env={
            "PATH": "/usr/bin:/bin",
            "HOME": str(home),
            "QT_QPA_PLATFORM": "offscreen",
            "XDG_RUNTIME_DIR": str(home),
            "LANG": os.environ.get("LANG", "C.UTF-8"),
        },
    )
    assert done.returncode == 0, done.stderr[-2000:]
    layers: dict[str, Any] = json.loads(done.stdout)
    return layers


def served(server: LiveServer, collection: str, **params: Any) -> list[dict[str, Any]]:
    response = server.client.get(
        f"/ogc/collections/{collection}/items", params={"limit": 1000, **params}
    )
    assert response.status_code == 200, response.text
    features: list[dict[str, Any]] = response.json()["features"]
    return features


def by_id(features: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {feature["attributes"]["id"]: feature for feature in features}


def test_qgis_opens_every_layer_as_the_api_serves_it(qgis: dict[str, Any], server: LiveServer) -> None:  # fmt: skip
    for collection in COLLECTIONS:
        layer = qgis[collection]
        features = served(server, collection)
        assert layer["valid"] and layer["provider"] == "OAPIF"
        assert layer["featureCount"] == len(features) > 0, collection
        assert set(by_id(layer["features"])) == {str(f["id"]) for f in features}, collection
        # QGIS 3.22 reads CRS84 (the default of Part 1) and reprojects on the fly
        assert layer["crs"] == "EPSG:4326"


def test_qgis_reads_the_units_attributes_with_their_types(qgis: dict[str, Any], server: LiveServer) -> None:  # fmt: skip
    layer = qgis["units-091"]
    fields = layer["fields"]
    assert (fields["places"], fields["openingDate"], fields["name_sv"]) == ("Integer", "Date", "String")  # fmt: skip
    seen = by_id(layer["features"])
    for feature in served(server, "units-091"):
        ours = feature["properties"]
        theirs = seen[feature["id"]]["attributes"]
        assert theirs["name"] == ours["name"] and theirs["name_sv"] == ours.get("name_sv")
        assert theirs["places"] == ours.get("places") and theirs["unitType"] == ours["unitType"]
        assert theirs["openingDate"] == ours.get("openingDate")
    kannel = next(f for f in seen.values() if f["attributes"]["name"] == "Päiväkoti Kannel")
    assert kannel["wkt"] == "Point (24.876 60.237)"
    # family daycare has no coordinates: no geometry in QGIS either
    assert seen["kaarelan-perhepaivahoito"]["wkt"] is None


def test_qgis_reads_a_planning_answer_with_its_measures(qgis: dict[str, Any], server: LiveServer) -> None:  # fmt: skip
    layer = qgis["query-utilisation-091"]
    fields = layer["fields"]
    assert (fields["utilisation"], fields["children"], fields["suppressed"]) == ("Real", "Integer", "Boolean")  # fmt: skip
    seen = by_id(layer["features"])
    for feature in served(server, "query-utilisation-091"):
        ours, theirs = feature["properties"], seen[str(feature["id"])]["attributes"]
        assert theirs["unit"] == ours["unit"] and theirs["flag"] == ours["flag"]
        assert theirs["utilisation"] == ours["utilisation"]
        assert theirs["suppressed"] == ours["suppressed"]
    flags = {f["attributes"]["flag"] for f in seen.values()}
    assert {"under", "over"} & flags, flags  # something to style by


def test_qgis_reprojects_to_tm35fin_as_the_api_does(qgis: dict[str, Any], server: LiveServer) -> None:  # fmt: skip
    for collection in ("units-091", "catchment-areas-091"):
        seen = by_id(qgis[collection]["features"])
        for feature in served(server, collection, crs=TM35FIN):
            if feature["geometry"] is None:
                continue
            ours = flatten(feature["geometry"]["coordinates"])
            theirs = seen[str(feature["id"])]["tm35fin"]
            assert len(ours) == len(theirs), feature["id"]
            for (x1, y1), (x2, y2) in zip(ours, theirs, strict=True):
                assert abs(x1 - x2) < 0.05 and abs(y1 - y2) < 0.05  # QGIS's PROJ and ours agree


def flatten(coordinates: Any) -> list[tuple[float, float]]:
    if isinstance(coordinates[0], (int, float)):
        return [(coordinates[0], coordinates[1])]
    return [point for part in coordinates for point in flatten(part)]


def test_qgis_opens_a_citys_real_polygons_with_their_true_areas(real: LiveServer, tmp_path: Path) -> None:  # fmt: skip
    """148 osa-alue polygons as converted from Helsinki's own layer, 34 districts and 8 major
    districts as the unions of their parts: QGIS reads them all as polygons, and their areas
    in EPSG:3067, measured by QGIS, are those of the source file (pyproj + shapely)."""
    layer = open_in_qgis(real, ["areas-091"], tmp_path)["areas-091"]
    assert layer["featureCount"] == 148 + 34 + 8 and layer["geometryType"] == 2  # polygons
    seen = by_id(layer["features"])
    expected = sub_district_m2()
    for code, m2 in expected.items():
        feature = seen[code]
        assert feature["wkt"].startswith(("Polygon", "MultiPolygon")), code
        assert abs(feature["area"] - m2) < 1e-4 * m2, (code, feature["area"], m2)
    # Kaarela (district 205): the union of its six sub-districts, which tile it
    kaarela = sum(m2 for code, m2 in expected.items() if code.startswith("0912205"))
    assert abs(seen["district-205"]["area"] - kaarela) < 1e-3 * kaarela
    assert seen["district-205"]["attributes"]["geometrySource"] == "parts"
    helsinki = sum(seen[f"major-{n}"]["area"] for n in range(1, 9))
    assert abs(helsinki - sum(expected.values())) < 1e-3 * helsinki
