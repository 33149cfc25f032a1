"""The ``areas`` source on real layers: Helsinki's pienalue hierarchy, osa-alue polygons with a
known list, Paavo postcode areas (EPSG:3067), Helsinki and Espoo WFS catchment areas (EPSG:3879);
located errors for broken geometry, codes, names and GML; --repair; the CLI and POST /convert/areas.
"""

from __future__ import annotations

import json
import math
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
import shapely
from rdflib import RDFS, Literal, URIRef
from rdflib.compare import isomorphic

from servicenet_vocab.cli import main
from servicenet_vocab.convert.problems import RowsInvalidError
from servicenet_vocab.errors import InputError
from servicenet_vocab.sources import SourceOptions, convert_source, get_source
from servicenet_vocab.validation import Severity, validate

DATA = Path(__file__).parents[1] / "data" / "sources" / "areas"
EXAMPLES = Path(__file__).parents[2] / "examples" / "sources" / "areas"
SN = rdflib.Namespace("https://w3id.org/servicenet/ontology#")
GEO = rdflib.Namespace("http://www.opengis.net/ont/geosparql#")
BASE = "https://data.hel.fi/servicenet/"
AREA = BASE + "area/"
UNIT = "https://palvelukartta.hel.fi/unit/"  # the service map's unit IRIs (TPR ids)
HELSINKI = URIRef("https://w3id.org/servicenet/code/municipality/091")
SOURCE = get_source("areas")
# Two units the catchment samples name (toimipiste_id 13 and 14), so sn:servedBy resolves.
UNITS = """@prefix sn: <https://w3id.org/servicenet/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://palvelukartta.hel.fi/unit/14> a sn:PreSchoolUnit , sn:ServiceUnit ;
    rdfs:label "Päiväkoti Testi"@fi , "Daghemmet Test"@sv ;
    sn:unitType <https://w3id.org/servicenet/code/service-unit-type/pre-school-unit> ;
    sn:municipality <https://w3id.org/servicenet/code/municipality/091> .
<https://palvelukartta.hel.fi/unit/13> a sn:ComprehensiveSchool , sn:ServiceUnit ;
    rdfs:label "Testikoulu"@fi , "Testskolan"@sv ;
    sn:unitType <https://w3id.org/servicenet/code/service-unit-type/comprehensive-school> ;
    sn:municipality <https://w3id.org/servicenet/code/municipality/091> .
"""


def inverse_tm(
    easting: float, northing: float, *, lon0: float, k0: float, false_e: float
) -> tuple[float, float]:
    """Longitude and latitude on GRS80 by the Krüger series (JHS 154), written out here to check
    pyproj's transform independently."""
    a, f = 6378137.0, 1 / 298.257222101
    n, e = f / (2 - f), math.sqrt(f * (2 - f))
    a1 = a / (1 + n) * (1 + n**2 / 4 + n**4 / 64)
    h = (
        n / 2 - 2 / 3 * n**2 + 37 / 96 * n**3 - n**4 / 360,
        n**2 / 48 + n**3 / 15 - 437 / 1440 * n**4,
        17 / 480 * n**3 - 37 / 840 * n**4,
        4397 / 161280 * n**4,
    )
    xi, eta = northing / (a1 * k0), (easting - false_e) / (a1 * k0)
    xi1 = xi - sum(
        h[j] * math.sin(2 * (j + 1) * xi) * math.cosh(2 * (j + 1) * eta) for j in range(4)
    )
    eta1 = eta - sum(
        h[j] * math.cos(2 * (j + 1) * xi) * math.sinh(2 * (j + 1) * eta) for j in range(4)
    )
    beta = math.asin(math.sin(xi1) / math.cosh(eta1))
    lon = math.radians(lon0) + math.asin(math.tanh(eta1) / math.cos(beta))
    q = math.asinh(math.tan(beta))
    q2 = q + e * math.atanh(e * math.tanh(q))
    for _ in range(6):
        q2 = q + e * math.atanh(e * math.tanh(q2))
    return math.degrees(lon), math.degrees(math.atan(math.sinh(q2)))


def convert(path: Path, tmp_path: Path, **options: object) -> rdflib.Graph:
    out = tmp_path / f"{path.stem}.ttl"
    extra = {k: str(v) for k, v in options.items() if k not in ("municipality", "repair")}
    chosen = SourceOptions(
        municipality=options.get("municipality"),  # type: ignore[arg-type]
        base_iri=BASE,
        repair=bool(options.get("repair", False)),
        extra=extra,
    )
    convert_source(SOURCE, path, options=chosen, output=out)
    return rdflib.Graph().parse(out, format="turtle")


def violations(*turtle: bytes) -> list[str]:
    report = validate([(data, "turtle") for data in turtle])
    return [str(r.message) for r in report.results if r.severity is Severity.VIOLATION]


def copied(tmp_path: Path, name: str) -> Path:
    target = tmp_path / name
    shutil.copy(DATA / name, target)
    target.chmod(0o644)
    return target


@pytest.fixture(scope="module")
def hierarchy(tmp_path_factory: pytest.TempPathFactory) -> rdflib.Graph:
    return convert(DATA / "pienalueet.geojson", tmp_path_factory.mktemp("pien"))


def test_pienalue_layer_gives_the_whole_helsinki_hierarchy(hierarchy: rdflib.Graph) -> None:
    count = {cls: len(set(hierarchy.subjects(rdflib.RDF.type, SN[cls]))) for cls in
             ("SubDistrict", "District", "MajorDistrict")}  # fmt: skip
    assert count == {"SubDistrict": 148, "District": 34, "MajorDistrict": 8}
    kannelmaki = URIRef(AREA + "0912205331")
    assert set(hierarchy.objects(kannelmaki, RDFS.label)) == {
        Literal("Kannelmäki", lang="fi"),
        Literal("Gamlas", lang="sv"),
    }
    kaarela = hierarchy.value(kannelmaki, SN.partOfArea)
    assert kaarela == URIRef(AREA + "district-205")
    assert set(hierarchy.objects(kaarela, RDFS.label)) == {
        Literal("Kaarela", lang="fi"),
        Literal("Kårböle", lang="sv"),
    }
    major = hierarchy.value(kaarela, SN.partOfArea)
    assert major == URIRef(AREA + "major-2")
    assert set(hierarchy.objects(major, RDFS.label)) == {
        Literal("Läntinen", lang="fi"),
        Literal("Västra", lang="sv"),
    }
    assert hierarchy.value(major, SN.partOfArea) == HELSINKI
    assert hierarchy.value(kannelmaki, SN.areaCode) == Literal("0912205331")


def test_pienalue_output_validates(hierarchy: rdflib.Graph) -> None:
    assert violations(hierarchy.serialize(format="turtle").encode()) == []


def test_osa_alue_polygons_with_the_pienalue_list_as_known_parents(tmp_path: Path) -> None:
    osa = copied(tmp_path, "osa_alueet_kaarela.geojson")
    copied(tmp_path, "pienalueet.geojson")
    graph = convert(osa, tmp_path, parents="pienalueet.geojson")
    subs = set(graph.subjects(rdflib.RDF.type, SN.SubDistrict))
    assert len(subs) == 6
    assert {graph.value(s, SN.partOfArea) for s in subs} == {URIRef(AREA + "district-205")}
    assert graph.value(URIRef(AREA + "district-205"), SN.partOfArea) == URIRef(AREA + "major-2")
    # the first vertex of Kannelmäki, CRS84 in the file, is the first vertex of the WKT
    feature = json.loads(osa.read_text("utf-8"))["features"][0]
    assert feature["properties"]["nimi_fi"] == "Kannelmäki"
    lon, lat = feature["geometry"]["coordinates"][0][0]
    shape = graph.value(URIRef(AREA + "0912205331"), GEO.hasGeometry)
    polygon = shapely.from_wkt(str(graph.value(shape, GEO.asWKT)))
    x, y = polygon.exterior.coords[0]
    assert (round(x, 7), round(y, 7)) == (round(lon, 7), round(lat, 7))
    assert violations((tmp_path / "osa_alueet_kaarela.ttl").read_bytes()) == []


def test_osa_alue_without_known_parents_is_an_error_naming_the_code(tmp_path: Path) -> None:
    with pytest.raises(RowsInvalidError) as raised:
        convert(DATA / "osa_alueet_kaarela.geojson", tmp_path)
    first = raised.value.errors[0]
    assert (first.row, first.column) == (1, "kokotunnus")
    assert "district '205'" in first.message and "0912205331" in first.message
    assert not (tmp_path / "osa_alueet_kaarela.ttl").exists()


def _mutated(tmp_path: Path, change: dict[str, object], geometry: object = None) -> Path:
    collection = json.loads((DATA / "osa_alueet_kaarela.geojson").read_text("utf-8"))
    collection["features"][2]["properties"].update(change)
    if geometry is not None:
        collection["features"][2]["geometry"] = geometry
    path = tmp_path / "osa_alueet_kaarela.geojson"
    path.write_text(json.dumps(collection, ensure_ascii=False), "utf-8")
    copied(tmp_path, "pienalueet.geojson")
    return path


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"kokotunnus": "0912205339"}, "kokotunnus", "not in the list of district '205'"),
        ({"kokotunnus": "0912299333"}, "kokotunnus", "district '299'"),
        ({"kokotunnus": "0492205333"}, "kokotunnus", "does not start with the municipality"),
        ({"nimi_fi": None, "nimi_se": ""}, "nimi_fi", "no name"),
        ({"aluejako": "KAUPUNGINOSA"}, "aluejako", "not a level"),
    ],
)
def test_bad_codes_and_names_are_located(
    tmp_path: Path, change: dict[str, object], column: str, words: str
) -> None:
    path = _mutated(tmp_path, change)
    with pytest.raises(RowsInvalidError) as raised:
        convert(path, tmp_path, parents="pienalueet.geojson")
    [error] = raised.value.errors
    assert (error.source, error.row, error.column) == (path.name, 3, column)
    assert words in error.message
    assert not (tmp_path / "osa_alueet_kaarela.ttl").exists()


BOW_TIE = {  # self-intersecting: the ring crosses itself in Kannelmäki
    "type": "Polygon",
    "coordinates": [
        [[24.86, 60.24], [24.88, 60.26], [24.88, 60.24], [24.86, 60.26], [24.86, 60.24]]
    ],
}


def test_self_intersecting_polygon_is_reported_and_repaired_on_request(tmp_path: Path) -> None:
    path = _mutated(tmp_path, {}, BOW_TIE)
    with pytest.raises(RowsInvalidError) as raised:
        convert(path, tmp_path, parents="pienalueet.geojson")
    [error] = raised.value.errors
    assert (error.row, error.column) == (3, "geometry")
    assert "Self-intersection" in error.message and "--repair" in error.message
    graph = convert(path, tmp_path, parents="pienalueet.geojson", repair=True)
    node = URIRef(AREA + "0912205333")  # Malminkartano, the third feature
    repaired = shapely.from_wkt(str(graph.value(graph.value(node, GEO.hasGeometry), GEO.asWKT)))
    assert repaired.is_valid and repaired.geom_type == "MultiPolygon"
    assert len(repaired.geoms) == 2 and repaired.area == pytest.approx(0.0002, rel=1e-6)
    assert "# geometry repaired" in (tmp_path / "osa_alueet_kaarela.ttl").read_text("utf-8")


def test_real_invalid_pienalue_polygons_are_found_where_they_are_written(tmp_path: Path) -> None:
    """Three of Helsinki's 404 pienalue polygons self-intersect; read as sub-districts (their
    geometry written) they are reported by feature number."""
    with pytest.raises(RowsInvalidError) as raised:
        convert(DATA / "pienalueet.geojson", tmp_path, level="sub-district", code="id",
                name_fi="osaalue_nimi_fi")  # fmt: skip
    geometry = [e.row for e in raised.value.errors if e.column == "geometry"]
    assert geometry == [77, 90, 376]


def test_paavo_postcode_areas_from_tm35fin(tmp_path: Path) -> None:
    path = DATA / "paavo_helsinki_3_postcode_areas_2023.geojson"
    graph = convert(path, tmp_path, municipality="091")
    areas = set(graph.subjects(rdflib.RDF.type, SN.PostalCodeArea))
    assert {str(graph.value(a, SN.areaCode)) for a in areas} == {"00100", "00420", "00980"}
    kannelmaki = URIRef(AREA + "postcode-00420")
    assert graph.value(kannelmaki, RDFS.label) == Literal("Kannelmäki", lang="fi")
    assert graph.value(kannelmaki, SN.partOfArea) == HELSINKI
    feature = json.loads(path.read_text("utf-8"))["features"][1]
    easting, northing = feature["geometry"]["coordinates"][0][0]
    expected = inverse_tm(easting, northing, lon0=27, k0=0.9996, false_e=500_000)
    wkt = str(graph.value(graph.value(kannelmaki, GEO.hasGeometry), GEO.asWKT))
    x, y = shapely.from_wkt(wkt).exterior.coords[0]
    assert x == pytest.approx(expected[0], abs=1e-6) and y == pytest.approx(expected[1], abs=1e-6)
    assert 24.8 < x < 24.95 and 60.2 < y < 60.27  # Kannelmäki, north-west Helsinki
    vuosaari = URIRef(AREA + "postcode-00980")
    assert wkt.startswith("POLYGON") and str(
        graph.value(graph.value(vuosaari, GEO.hasGeometry), GEO.asWKT)
    ).startswith("MULTIPOLYGON")
    assert violations((tmp_path / f"{path.stem}.ttl").read_bytes()) == []


def test_helsinki_preschool_area_from_wfs_gml(tmp_path: Path) -> None:
    path = copied(tmp_path, "helsinki_preschool_area_sample.gml")
    graph = convert(path, tmp_path, original_crs="yes")
    node = URIRef(AREA + "catchment-pre-school-333")
    assert graph.value(node, SN.servedBy) == URIRef(UNIT + "14")
    assert graph.value(node, SN.catchmentKind) == URIRef(
        "https://w3id.org/servicenet/code/catchment-kind/pre-school"
    )
    assert graph.value(node, SN.serviceLanguage) == URIRef(
        "https://w3id.org/servicenet/code/language/fi"
    )
    assert graph.value(node, SN.schoolYear) == Literal("2023-2024")
    assert set(graph.objects(node, RDFS.label)) == {
        Literal("Testialue", lang="fi"),
        Literal("Testområde", lang="sv"),
    }
    wkts = [str(graph.value(g, GEO.asWKT)) for g in graph.objects(node, GEO.hasGeometry)]
    [original] = [w for w in wkts if w.startswith("<")]
    [wgs84] = [w for w in wkts if not w.startswith("<")]
    assert original.startswith("<http://www.opengis.net/def/crs/EPSG/0/3879> POLYGON")
    # the GML's first vertex: 2.55081158198837E7,6672479.619 (ETRS-GK25)
    expected = inverse_tm(25508115.8198837, 6672479.619, lon0=25, k0=1.0, false_e=25_500_000)
    x, y = shapely.from_wkt(wgs84).exterior.coords[0]
    assert x == pytest.approx(expected[0], abs=1e-6) and y == pytest.approx(expected[1], abs=1e-6)
    assert not list(tmp_path.glob("*.gfs"))  # GDAL wrote no schema file beside the input
    turtle = (tmp_path / f"{path.stem}.ttl").read_bytes()
    assert violations(turtle, UNITS.encode()) == []
    # alone, the unit it is served by is not described: the one violation says so
    assert [m for m in violations(turtle) if "served by" in m.lower()]


def test_school_catchment_needs_its_school_year(tmp_path: Path) -> None:
    path = copied(tmp_path, "helsinki_school_catchment_sample.gml")
    with pytest.raises(InputError, match="school_year"):
        convert(path, tmp_path)
    graph = convert(path, tmp_path, school_year="2024-2025")
    nodes = set(graph.subjects(rdflib.RDF.type, SN.CatchmentArea))
    assert len(nodes) == 1
    [node] = nodes
    assert graph.value(node, SN.catchmentKind).endswith("grades-1-6")
    assert graph.value(node, SN.servedBy) == URIRef(UNIT + "13")
    assert violations((tmp_path / f"{path.stem}.ttl").read_bytes(), UNITS.encode()) == []


def test_espoo_swedish_primary_catchment(tmp_path: Path) -> None:
    path = copied(tmp_path, "espoo_school_catchment_sv_primary.gml")
    with pytest.raises(InputError, match="municipality"):
        convert(path, tmp_path, school_year="2024-2025")
    graph = convert(
        path, tmp_path, municipality="049", school_year="2024-2025", unit="Nimi",
        unit_iri="https://www.espoo.fi/servicenet/unit/{id|slug}", name_sv="Alue",
    )  # fmt: skip
    nodes = set(graph.subjects(rdflib.RDF.type, SN.CatchmentArea))
    assert len(nodes) == 2
    lagstad = URIRef(AREA + "catchment-1-6-495230929")
    assert graph.value(lagstad, RDFS.label) == Literal("Lagstad", lang="sv")
    assert graph.value(lagstad, SN.servedBy) == URIRef(
        "https://www.espoo.fi/servicenet/unit/lagstads-skola"
    )
    assert graph.value(lagstad, SN.serviceLanguage).endswith("/language/sv")
    assert graph.value(lagstad, SN.partOfArea) == URIRef(
        "https://w3id.org/servicenet/code/municipality/049"
    )


def test_broken_gml_is_located_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "broken.gml"
    path.write_bytes((DATA / "helsinki_preschool_area_sample.gml").read_bytes()[:3000])
    with pytest.raises(InputError) as raised:
        convert(path, tmp_path)
    assert raised.value.location.line == 41 and "not well-formed" in raised.value.message
    assert not (tmp_path / "broken.ttl").exists()


def test_unknown_level_and_options(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no option"):
        convert(DATA / "pienalueet.geojson", tmp_path, colour="red")
    with pytest.raises(InputError, match="not an area level"):
        convert(DATA / "pienalueet.geojson", tmp_path, level="street")
    with pytest.raises(InputError, match="no such field"):
        convert(DATA / "pienalueet.geojson", tmp_path, level="sub-district", code="koodi")


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = copied(tmp_path, "helsinki_preschool_area_sample.gml")
    out = tmp_path / "out.ttl"
    assert main(["convert", "areas", str(good), "--base-iri", BASE, "-o", str(out)]) == 0
    assert "converted 1 of 1" in capsys.readouterr().err + capsys.readouterr().out
    bad = _mutated(tmp_path, {}, BOW_TIE)
    args = ["convert", "areas", str(bad), "--option", "parents=pienalueet.geojson"]
    assert main([*args, "-o", str(tmp_path / "bad.ttl")]) == 1
    assert "row 3" in capsys.readouterr().err
    assert not (tmp_path / "bad.ttl").exists()
    assert main([*args, "--repair", "-o", str(tmp_path / "bad.ttl")]) == 0
    broken = tmp_path / "broken.gml"
    broken.write_bytes(good.read_bytes()[:3000])
    assert main(["convert", "areas", str(broken)]) == 2
    assert "line 41" in capsys.readouterr().err


@pytest.fixture(scope="module")
def server() -> Iterator[object]:
    from conftest import run_live_server

    with run_live_server() as live:
        yield live


def test_post_convert_areas(server: object) -> None:
    client = server.client  # type: ignore[attr-defined]
    body = (DATA / "helsinki_preschool_area_sample.gml").read_bytes()
    response = client.post(
        "/convert/areas", params={"filename": "x.gml", "base_iri": BASE}, content=body
    )
    assert response.status_code == 200, response.text
    assert response.headers["Servicenet-Records"] == "1"
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    assert (
        URIRef(AREA + "catchment-pre-school-333"),
        SN.servedBy,
        URIRef(UNIT + "14"),
    ) in graph
    broken = client.post("/convert/areas", params={"filename": "x.gml"}, content=body[:3000])
    assert broken.status_code == 400
    assert broken.json()["location"] == {"source": "x.gml", "line": 41, "column": 37}


def test_example_converts_to_its_expected_turtle(tmp_path: Path) -> None:
    graph = convert(
        EXAMPLES / "osa_alueet_kaarela.geojson", tmp_path, parents="pienalueet_kaarela.geojson"
    )
    expected = rdflib.Graph().parse(EXAMPLES / "osa_alueet_kaarela.expected.ttl")
    modified = URIRef("http://purl.org/dc/terms/modified")
    for g in (graph, expected):
        g.remove((None, modified, None))
    assert isomorphic(graph, expected)
