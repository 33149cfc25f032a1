"""``/ogc`` through GDAL's own OGC API – Features client (``ogrinfo`` / ``ogr2ogr`` of Debian's
gdal-bin, the OAPIF driver QGIS's GDAL provider shares): layers, feature counts, paging, a spatial
filter and a reprojection to ETRS-TM35FIN, compared with what the HTTP API answers.
Skipped only when GDAL is absent (``make gdal`` installs it; ``make pytest`` depends on it)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import shapely
from conftest import EMBEDDED, LiveServer, run_live_server
from real_areas import converted, sub_district_m2

from servicenet_vocab.namespaces import municipality_graph
from servicenet_vocab.rdfio import RdfFormat

OGRINFO = shutil.which("ogrinfo")
OGR2OGR = shutil.which("ogr2ogr")
needs_gdal = pytest.mark.skipif(
    OGRINFO is None or OGR2OGR is None,
    reason="GDAL is not installed (`make gdal` installs the Debian package 'gdal-bin')",
)
pytestmark = needs_gdal
TM35FIN = "http://www.opengis.net/def/crs/EPSG/0/3067"


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with run_live_server(EMBEDDED, load_examples=True, workers=2) as live:
        yield live


def gdal(*args: str) -> str:
    done = subprocess.run(
        list(args),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={"GDAL_HTTP_TIMEOUT": "120", "CPL_DEBUG": "OFF", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def endpoint(server: LiveServer) -> str:
    return f"OAPIF:{server.url}/ogc"


def http_items(server: LiveServer, collection: str, **params: Any) -> dict[str, Any]:
    response = server.client.get(
        f"/ogc/collections/{collection}/items", params={"limit": 1000, **params}
    )
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_ogrinfo_lists_each_citys_layers_and_a_planning_answer(server: LiveServer) -> None:
    listing = gdal(str(OGRINFO), "-ro", "-so", endpoint(server))
    layers = dict(re.findall(r"^\d+: (\S+) \(title: (.*?)\)(?: \([A-Za-z ]+\))?$", listing, re.M))
    assert layers["units-091"] == "Helsinki (091): service units"
    for code in ("049", "091", "092", "235"):
        assert {f"units-{code}", f"areas-{code}", f"catchment-areas-{code}"} <= set(layers)
    assert "query-utilisation-091" in layers
    assert re.search(r"^\d+: catchment-areas-091 .*\(Polygon\)$", listing, re.M)
    assert re.search(r"^\d+: units-091 .*\(Point\)$", listing, re.M)


def test_ogrinfo_reads_the_units_as_the_api_serves_them(server: LiveServer) -> None:
    summary = gdal(str(OGRINFO), "-ro", "-so", endpoint(server), "units-091")
    served = http_items(server, "units-091")
    count = re.search(r"^Feature Count: (\d+)$", summary, re.M)
    assert count is not None and int(count.group(1)) == served["numberMatched"]
    assert "Geometry: Point" in summary and re.search(r"^places: Integer", summary, re.M)
    # Paged by GDAL in fives through the next links: every feature once.
    features = gdal(str(OGRINFO), "-ro", "-q", "-oo", "PAGE_SIZE=5", endpoint(server), "units-091")
    names = re.findall(r"^  name \(String\) = (.*)$", features, re.M)
    assert sorted(names) == sorted(f["properties"]["name"] for f in served["features"])
    assert features.count("OGRFeature(units-091):") == served["numberMatched"]


def test_ogrinfo_spatial_filter_is_the_apis_bbox(server: LiveServer) -> None:
    box = ("24.94", "60.16", "24.98", "60.18")
    filtered = gdal(str(OGRINFO), "-ro", "-q", endpoint(server), "units-091", "-spat", *box)
    names = set(re.findall(r"^  name \(String\) = (.*)$", filtered, re.M))
    served = http_items(server, "units-091", bbox=",".join(box))
    assert names == {f["properties"]["name"] for f in served["features"]}
    assert "Päiväkoti Kruununhaka" in names and "Päiväkoti Kannel" not in names


def test_ogrinfo_reads_a_planning_answer_with_its_measures(server: LiveServer) -> None:
    summary = gdal(str(OGRINFO), "-ro", "-so", endpoint(server), "query-utilisation-091")
    served = http_items(server, "query-utilisation-091")
    count = re.search(r"^Feature Count: (\d+)$", summary, re.M)
    assert count is not None and int(count.group(1)) == served["numberMatched"] > 0
    assert re.search(r"^utilisation: Real", summary, re.M)
    assert re.search(r"^flag: String", summary, re.M)


def test_ogr2ogr_to_tm35fin_matches_the_apis_epsg_3067(server: LiveServer, tmp_path: Path) -> None:
    out = tmp_path / "catchments-3067.geojson"
    gdal(
        str(OGR2OGR), "-f", "GeoJSON", str(out), endpoint(server), "catchment-areas-091",
        "-t_srs", "EPSG:3067",
    )  # fmt: skip
    converted = {f["properties"]["id"]: f for f in json.loads(out.read_text())["features"]}
    served = http_items(server, "catchment-areas-091", crs=TM35FIN)
    assert set(converted) == {f["id"] for f in served["features"]}
    for feature in served["features"]:
        ours = feature["geometry"]["coordinates"][0]
        theirs = converted[feature["id"]]["geometry"]["coordinates"][0]
        assert len(ours) == len(theirs)
        for (x1, y1), (x2, y2) in zip(ours, theirs, strict=True):
            assert abs(x1 - x2) < 0.05 and abs(y1 - y2) < 0.05  # GDAL's PROJ and ours agree


def test_ogr2ogr_copies_a_citys_real_polygons_to_tm35fin(tmp_path: Path) -> None:
    """Helsinki's 148 osa-alue polygons (converted from its own layer) and the districts built
    from them, copied by GDAL to a GeoPackage in EPSG:3067: every sub-district's area is that of
    the source file (pyproj + shapely), the districts' geometry is the union of their parts."""
    data = converted(tmp_path)
    with run_live_server(EMBEDDED, load_examples=False, workers=1) as live:
        live.load(data, graph=municipality_graph("091"), fmt=RdfFormat.TURTLE)
        out = tmp_path / "helsinki-areas.geojson"
        gdal(str(OGR2OGR), "-f", "GeoJSON", str(out), endpoint(live), "areas-091", "-t_srs", "EPSG:3067")  # fmt: skip
    copied = {f["properties"]["id"]: f for f in json.loads(out.read_text())["features"]}
    assert len(copied) == 148 + 34 + 8
    expected = sub_district_m2()
    for code, m2 in expected.items():
        shape = shapely.geometry.shape(copied[code]["geometry"])
        assert shape.is_valid and abs(shape.area - m2) < 1e-4 * m2, code
    kaarela = shapely.geometry.shape(copied["district-205"]["geometry"])
    parts = [shapely.geometry.shape(copied[c]["geometry"]) for c in expected if c.startswith("0912205")]  # fmt: skip
    assert len(parts) == 6
    assert shapely.symmetric_difference(kaarela, shapely.union_all(parts)).area < 1.0  # m²
