"""OGC API – Features at ``/ogc`` over a live uvicorn with the example cities: the landing page,
conformance, collections, items against the official GeoJSON schema, bbox / datetime / property
filters, paging, CRS84 and EPSG:3067 / EPSG:4326 (checked with pyproj directly), and the errors
the standard prescribes (400 for a bad parameter, 404 for an unknown collection or item), all from
the one error table."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import EMBEDDED, OXIGRAPH, LiveServer, run_live_server
from pyproj import Transformer

from servicenet_vocab.namespaces import municipality_graph
from servicenet_vocab.publishing.tokens import TokenFile
from servicenet_vocab.rdfio import RdfFormat

SCHEMAS = Path(__file__).resolve().parents[1] / "data" / "geojson-schema"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
TM35FIN = "http://www.opengis.net/def/crs/EPSG/0/3067"
WGS84 = "http://www.opengis.net/def/crs/EPSG/0/4326"
CODE = "https://w3id.org/servicenet/code/"


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with run_live_server(EMBEDDED, load_examples=True, workers=2) as live:
        yield live


def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((SCHEMAS / f"{name}.json").read_text("utf-8"))
    return loaded


def items(server: LiveServer, collection: str, **params: Any) -> dict[str, Any]:
    response = server.client.get(f"/ogc/collections/{collection}/items", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/geo+json")
    body: dict[str, Any] = response.json()
    jsonschema.validate(body, schema("FeatureCollection"))
    return body


def test_landing_page_and_conformance(server: LiveServer) -> None:
    landing = server.client.get("/ogc").json()
    rels = {link["rel"]: link for link in landing["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= set(rels)
    assert server.client.get(rels["service-desc"]["href"]).json()["paths"]["/ogc/collections"]
    conformance = server.client.get(rels["conformance"]["href"]).json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conformance
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conformance
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in conformance


def test_collections_per_municipality_with_their_crs(server: LiveServer) -> None:
    listing = server.client.get("/ogc/collections").json()
    ids = {c["id"] for c in listing["collections"]}
    for code in ("049", "091", "092", "235"):
        assert {f"units-{code}", f"areas-{code}", f"catchment-areas-{code}"} <= ids
    assert "query-utilisation-091" in ids and "query-places-vs-forecast-091" in ids
    units = server.client.get("/ogc/collections/units-091").json()
    assert units["title"] == "Helsinki (091): service units"
    assert units["crs"][:2] == [CRS84, TM35FIN] and units["storageCrs"] == CRS84
    (west, south, east, north) = units["extent"]["spatial"]["bbox"][0]
    assert 24.8 < west < east < 25.3 and 60.1 < south < north < 60.3  # Helsinki
    assert {link["rel"] for link in units["links"]} >= {"self", "items"}


def test_units_are_points_with_their_places(server: LiveServer) -> None:
    body = items(server, "units-091", limit=1000)
    assert body["numberMatched"] == body["numberReturned"] == len(body["features"]) > 10
    kruununhaka = next(f for f in body["features"] if f["id"] == "kruununhaka")
    assert kruununhaka["geometry"] == {"type": "Point", "coordinates": [24.952, 60.1695]}
    properties = kruununhaka["properties"]
    assert properties["iri"] == "https://data.hel.fi/servicenet/unit/kruununhaka"
    assert properties["name_sv"] == "Daghemmet Kronohagen"
    assert properties["unitType"] == "daycare-centre" and properties["municipality"] == "091"
    assert isinstance(properties["places"], int) and properties["places"] > 0
    one = server.client.get("/ogc/collections/units-091/items/kruununhaka")
    assert one.status_code == 200 and one.headers["content-crs"] == f"<{CRS84}>"
    jsonschema.validate(one.json(), schema("Feature"))
    assert one.json()["geometry"] == kruununhaka["geometry"]


def test_areas_and_catchments_are_their_polygons_or_points(server: LiveServer) -> None:
    catchments = items(server, "catchment-areas-091", limit=1000)["features"]
    katajanokka = next(f for f in catchments if f["id"] == "catchment-1-6-katajanokan-koulu")
    assert katajanokka["geometry"]["type"] == "Polygon"
    assert katajanokka["geometry"]["coordinates"][0][0] == [24.956, 60.1555]
    assert katajanokka["properties"]["catchmentKind"] == "grades-1-6"
    areas = {f["id"]: f for f in items(server, "areas-091", limit=1000)["features"]}
    assert areas["0911101010"]["geometry"]["type"] == "Point"
    # A district without a geometry of its own takes its sub-districts' points.
    district = areas["district-101"]
    assert district["properties"]["geometrySource"] == "parts"
    assert sorted(map(tuple, district["geometry"]["coordinates"])) == [
        (24.956, 60.1725),
        (24.968, 60.1675),
    ]


def test_paging_follows_next_links_to_every_feature(server: LiveServer) -> None:
    everything = items(server, "units-091", limit=1000)
    seen: list[str] = []
    page = items(server, "units-091", limit=7)
    while True:
        assert page["numberMatched"] == everything["numberMatched"]
        seen += [f["id"] for f in page["features"]]
        following = [link["href"] for link in page["links"] if link["rel"] == "next"]
        if not following:
            break
        response = server.client.get(following[0])
        page = response.json()
        assert "prev" in {link["rel"] for link in page["links"]}
    assert seen == [f["id"] for f in everything["features"]]
    assert len(set(seen)) == len(seen)


def test_bbox_in_crs84_and_in_tm35fin_agree(server: LiveServer) -> None:
    bbox = (24.94, 60.16, 24.98, 60.18)  # Kruununhaka and Katajanokka
    inside = items(server, "units-091", bbox=",".join(map(str, bbox)), limit=1000)["features"]
    assert inside and all(
        bbox[0] <= f["geometry"]["coordinates"][0] <= bbox[2]
        and bbox[1] <= f["geometry"]["coordinates"][1] <= bbox[3]
        for f in inside
    )
    assert {f["id"] for f in inside} >= {"kruununhaka", "katajanokka"}
    assert "kannel" not in {f["id"] for f in inside}
    to_tm = Transformer.from_crs("OGC:CRS84", "EPSG:3067", always_xy=True)
    corners = [to_tm.transform(x, y) for x in bbox[::2] for y in bbox[1::2]]
    tm_box = (
        min(c[0] for c in corners) + 1,
        min(c[1] for c in corners) + 1,
        max(c[0] for c in corners) - 1,
        max(c[1] for c in corners) - 1,
    )
    metres = items(
        server, "units-091", bbox=",".join(f"{v:.1f}" for v in tm_box), **{"bbox-crs": TM35FIN}
    )
    assert {f["id"] for f in metres["features"]} == {f["id"] for f in inside}


def test_crs_3067_and_4326_coordinates(server: LiveServer) -> None:
    crs84 = {f["id"]: f for f in items(server, "units-091", limit=1000)["features"]}
    response = server.client.get(
        "/ogc/collections/units-091/items", params={"crs": TM35FIN, "limit": 1000}
    )
    assert response.headers["content-crs"] == f"<{TM35FIN}>"
    to_tm = Transformer.from_crs("EPSG:4326", "EPSG:3067", always_xy=True)
    for feature in response.json()["features"]:
        if feature["geometry"] is None:
            continue
        lon, lat = crs84[feature["id"]]["geometry"]["coordinates"]
        east, north = feature["geometry"]["coordinates"]
        expected = to_tm.transform(lon, lat)
        assert abs(east - expected[0]) < 0.02 and abs(north - expected[1]) < 0.02
        assert 300_000 < east < 450_000 and 6_600_000 < north < 6_750_000
    latlon = items(server, "units-091", crs=WGS84, limit=1000)["features"]
    first = next(f for f in latlon if f["id"] == "kruununhaka")
    assert first["geometry"]["coordinates"] == [60.1695, 24.952]  # EPSG:4326: latitude first
    polygon = server.client.get(
        "/ogc/collections/catchment-areas-091/items/catchment-1-6-katajanokan-koulu",
        params={"crs": TM35FIN},
    ).json()
    assert polygon["geometry"]["coordinates"][0][0][0] > 300_000


def test_datetime_and_property_filters(server: LiveServer) -> None:
    every = items(server, "units-091", limit=1000)["features"]
    newer = items(server, "units-091", datetime="../2000-01-01", limit=1000)["features"]
    opened = {f["id"]: f["properties"]["openingDate"] for f in every}
    assert {f["id"] for f in newer} == {
        key for key, value in opened.items() if value is None or value <= "2000-01-01"
    }
    assert items(server, "catchment-areas-091", datetime="2026-09-01")["numberMatched"] == 0
    year = items(server, "catchment-areas-091", datetime="2025-09-01T08:00:00Z", limit=1000)
    assert year["numberMatched"] == len(
        items(server, "catchment-areas-091", limit=1000)["features"]
    )
    schools = items(server, "units-091", unitType="comprehensive-school", limit=1000)["features"]
    assert schools and {f["properties"]["unitType"] for f in schools} == {"comprehensive-school"}
    assert len(items(server, "units-091", places="105")["features"]) >= 1


def test_a_planning_answer_is_its_rows_on_the_features(server: LiveServer) -> None:
    results = server.client.get(
        "/queries/utilisation", headers={"Accept": "application/sparql-results+json"}
    ).json()
    helsinki = [
        row
        for row in results["results"]["bindings"]
        if row.get("municipality", {}).get("value") == f"{CODE}municipality/091"
    ]
    answer = items(server, "query-utilisation-091", limit=1000)
    assert answer["numberMatched"] == len(helsinki) > 0
    units = {f["properties"]["iri"] for f in items(server, "units-091", limit=1000)["features"]}
    by_unit = {row["unit"]["value"]: row for row in helsinki}
    for feature in answer["features"]:
        assert feature["properties"]["iri"] in units
        row = by_unit[feature["properties"]["iri"]]
        assert feature["properties"]["utilisation"] == pytest.approx(
            float(row["utilisation"]["value"])
        )
        assert feature["geometry"]["type"] == "Point"
    flagged = items(server, "query-utilisation-091", flag="over", limit=1000)["features"]
    assert {f["properties"]["flag"] for f in flagged} <= {"over"}
    # The query's own parameters pass through: low=high=0 flags every unit "over".
    over = items(server, "query-utilisation-091", low="0", high="0", limit=1000)
    assert {f["properties"]["flag"] for f in over["features"]} == {"over"}


@pytest.mark.parametrize(
    ("path", "params", "status", "field"),
    [
        ("/ogc/collections/units-091/items", {"bbox": "24,60,25"}, 400, "bbox"),
        ("/ogc/collections/units-091/items", {"bbox": "25,60,24,61"}, 400, "bbox"),
        ("/ogc/collections/units-091/items", {"bbox": "a,b,c,d"}, 400, "bbox"),
        ("/ogc/collections/units-091/items", {"datetime": "yesterday"}, 400, "datetime"),
        (
            "/ogc/collections/units-091/items",
            {"datetime": "2025-02-01/2025-01-01"},
            400,
            "datetime",
        ),
        ("/ogc/collections/units-091/items", {"limit": "1001"}, 400, "limit"),
        ("/ogc/collections/units-091/items", {"limit": "-1"}, 400, "limit"),
        ("/ogc/collections/units-091/items", {"offset": "x"}, 400, "offset"),
        ("/ogc/collections/units-091/items", {"crs": "EPSG:2393"}, 400, "crs"),
        ("/ogc/collections/units-091/items", {"bbox-crs": TM35FIN}, 400, "bbox-crs"),
        ("/ogc/collections/units-091/items", {"colour": "red"}, 400, "colour"),
        ("/ogc/collections/query-utilisation-091/items", {"low": "much"}, 400, "low"),
        ("/ogc/collections/units-999/items", {}, 404, None),
        ("/ogc/collections/schools-091/items", {}, 404, None),
        ("/ogc/collections/query-nothing-091/items", {}, 404, None),
        ("/ogc/collections/units-091/items/no-such-unit", {}, 404, None),
        ("/ogc/collections/nowhere", {}, 404, None),
    ],
)
def test_bad_requests_answer_from_the_error_table(
    server: LiveServer, path: str, params: dict[str, str], status: int, field: str | None
) -> None:
    response = server.client.get(path, params=params)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == {400: "INVALID_INPUT", 404: "NOT_FOUND"}[status]
    if field is not None:
        assert body["location"]["field"] == field


def test_a_client_that_takes_no_json_gets_406(server: LiveServer) -> None:
    response = server.client.get(
        "/ogc/collections/units-091/items", headers={"Accept": "text/html"}
    )
    assert response.status_code == 406 and response.json()["error"] == "NOT_ACCEPTABLE"
    assert server.client.get("/ogc", headers={"Accept": "*/*"}).status_code == 200


def test_the_same_features_from_an_oxigraph_server(server: LiveServer) -> None:
    with run_live_server(OXIGRAPH, load_examples=True, workers=1) as remote:
        for collection in ("units-091", "catchment-areas-091"):
            mine = items(server, collection, limit=1000)["features"]
            theirs = items(remote, collection, limit=1000)["features"]
            assert mine == theirs


def test_the_collections_follow_every_write(tmp_path: Path) -> None:
    """The listing is computed once per version of the data: a city's delete and re-upload
    through the Graph Store are seen at once, and an unchanged store answers the same."""
    tokens = TokenFile(tmp_path / "tokens.json")
    token = tokens.create("kauniainen-ci", ["235"])
    graph = municipality_graph("235")
    headers = {"Authorization": f"Bearer {token}"}
    with run_live_server(EMBEDDED, load_examples=True, tokens_file=str(tokens.path)) as live:

        def ids() -> set[str]:
            response = live.client.get("/ogc/collections")
            assert response.status_code == 200, response.text
            return {c["id"] for c in response.json()["collections"]}

        before = ids()
        assert {"units-235", "units-091"} <= before and ids() == before
        data = live.store.dump(RdfFormat.NTRIPLES, graph=graph)
        assert live.client.delete("/graph-store", params={"graph": graph}, headers=headers).status_code == 204  # fmt: skip
        after = ids()
        assert "units-235" not in after and "units-091" in after
        assert not any(cid.endswith("-235") for cid in after)
        put = live.client.put(
            "/graph-store",
            params={"graph": graph},
            content=data,
            headers={**headers, "Content-Type": "application/n-triples"},
        )
        assert put.status_code in {200, 201, 204}, put.text
        assert ids() == before
        assert live.client.get("/ogc/collections/units-235/items").json()["numberMatched"] > 0
