"""The ``ptv`` source on PTV Open API v11's real test responses: the school location as a service
unit (names, address, TM35FIN point checked against an independent inverse UTM, offering with the
service's PTV id), other channels left out, the municipality rule, located errors, the CLI."""

from __future__ import annotations

import copy
import json
import math
from pathlib import Path

import pytest
import rdflib
from rdflib import RDFS, Literal, URIRef
from rdflib.compare import isomorphic

from servicenet_vocab.cli import main
from servicenet_vocab.convert.problems import RowsInvalidError
from servicenet_vocab.errors import InputError
from servicenet_vocab.sources import SourceOptions, convert_source, get_source
from servicenet_vocab.validation import Severity, validate

DATA = Path(__file__).parents[1] / "data" / "sources" / "ptv"
EXAMPLES = Path(__file__).parents[2] / "examples" / "sources" / "ptv"
CHANNELS = "ptv_v11_sample_service_channels.json"
SERVICES = "ptv_v11_sample_services.json"
SN = rdflib.Namespace("https://w3id.org/servicenet/ontology#")
GEO = rdflib.Namespace("http://www.opengis.net/ont/geosparql#")
CODE = "https://w3id.org/servicenet/code/"
BASE = "https://data.hel.fi/servicenet/"
SCHOOL = URIRef(BASE + "unit/00006fe3-7df2-409e-9cd6-cce4bf4338b1")
SOURCE = get_source("ptv")


def inverse_utm35(easting: float, northing: float) -> tuple[float, float]:
    """ETRS-TM35FIN (UTM zone 35, GRS80) to longitude/latitude by the Krüger series (JHS 154)."""
    a, f, k0 = 6378137.0, 1 / 298.257222101, 0.9996
    n, e = f / (2 - f), math.sqrt(f * (2 - f))
    a1 = a / (1 + n) * (1 + n**2 / 4 + n**4 / 64)
    h = (
        n / 2 - 2 / 3 * n**2 + 37 / 96 * n**3 - n**4 / 360,
        n**2 / 48 + n**3 / 15 - 437 / 1440 * n**4,
        17 / 480 * n**3 - 37 / 840 * n**4,
        4397 / 161280 * n**4,
    )
    xi, eta = northing / (a1 * k0), (easting - 500_000) / (a1 * k0)
    xi1 = xi - sum(
        h[j] * math.sin(2 * (j + 1) * xi) * math.cosh(2 * (j + 1) * eta) for j in range(4)
    )
    eta1 = eta - sum(
        h[j] * math.cos(2 * (j + 1) * xi) * math.sinh(2 * (j + 1) * eta) for j in range(4)
    )
    beta = math.asin(math.sin(xi1) / math.cosh(eta1))
    lon = math.radians(27) + math.asin(math.tanh(eta1) / math.cos(beta))
    q = q2 = math.asinh(math.tan(beta))
    for _ in range(6):
        q2 = q + e * math.atanh(e * math.tanh(q2))
    return math.degrees(lon), math.degrees(math.atan(math.sinh(q2)))


def convert(
    path: Path, tmp_path: Path, *, municipality: str | None = "091", **extra: str
) -> tuple[rdflib.Graph, bytes]:
    out = tmp_path / "ptv.ttl"
    options = SourceOptions(municipality=municipality, base_iri=BASE, extra=extra)
    convert_source(SOURCE, path, options=options, output=out)
    data = out.read_bytes()
    return rdflib.Graph().parse(data=data, format="turtle"), data


def violations(turtle: bytes) -> list[str]:
    report = validate((turtle, "turtle"))
    return [str(r.message) for r in report.results if r.severity is Severity.VIOLATION]


def pages(tmp_path: Path, change: dict[str, object] | None = None) -> Path:
    """The channels page (its school changed by ``change``) beside the services page."""
    channels = json.loads((DATA / CHANNELS).read_text("utf-8"))
    if change:
        channels["itemList"][1].update(change)
    path = tmp_path / CHANNELS
    path.write_text(json.dumps(channels, ensure_ascii=False), "utf-8")
    (tmp_path / SERVICES).write_bytes((DATA / SERVICES).read_bytes())
    return path


def test_school_location_becomes_a_comprehensive_school(tmp_path: Path) -> None:
    graph, turtle = convert(DATA / CHANNELS, tmp_path, services=str(DATA / SERVICES))
    units = set(graph.subjects(rdflib.RDF.type, SN.ServiceUnit))
    assert units == {SCHOOL}  # the health station and the phone channel are left out
    assert (SCHOOL, rdflib.RDF.type, SN.ComprehensiveSchool) in graph
    assert graph.value(SCHOOL, SN.unitType) == URIRef(
        CODE + "service-unit-type/comprehensive-school"
    )
    assert set(graph.objects(SCHOOL, RDFS.label)) == {
        Literal("Peruskoulu", lang="fi"),
        Literal("Grundskolan", lang="sv"),
    }
    assert graph.value(SCHOOL, SN.ptvId) == Literal("00006fe3-7df2-409e-9cd6-cce4bf4338b1")
    assert graph.value(SCHOOL, SN.municipality) == URIRef(CODE + "municipality/091")
    address = graph.value(SCHOOL, SN.hasAddress)
    assert set(graph.objects(address, SN.streetAddress)) == {
        Literal("Testitie 3", lang=lang) for lang in ("fi", "sv", "en")
    }
    assert graph.value(address, SN.postalCode) == Literal("12345")
    offering = graph.value(SCHOOL, SN.offers)
    assert graph.value(offering, SN.serviceType) == URIRef(CODE + "service-type/basic-education")
    assert graph.value(offering, SN.serviceLanguage) == URIRef(CODE + "language/fi")
    assert graph.value(offering, SN.ptvId) == Literal("00094685-ccc8-44a7-8345-07e36afde1b6")
    text = turtle.decode()
    assert "record 1 left out: its services are not ECEC" in text
    assert "record 3 left out: a Phone channel" in text
    assert violations(turtle) == []


def test_point_is_tm35fin_metres_transformed_to_wgs84(tmp_path: Path) -> None:
    graph, _ = convert(DATA / CHANNELS, tmp_path, services=str(DATA / SERVICES))
    shape = graph.value(SCHOOL, GEO.hasGeometry)
    assert str(graph.value(shape, GEO.asWKT)) == (
        "<http://www.opengis.net/def/crs/EPSG/0/3067> POINT(258000 6730000)"
    )
    longitude, latitude = inverse_utm35(258000.0, 6730000.0)  # "longitude", "latitude" in PTV
    assert float(graph.value(shape, SN.latitude)) == pytest.approx(latitude, abs=1e-6)
    assert float(graph.value(shape, SN.longitude)) == pytest.approx(longitude, abs=1e-6)
    assert round(latitude, 4) == 60.6324 and round(longitude, 4) == 22.5744


def test_one_file_with_both_pages_gives_the_same_graph(tmp_path: Path) -> None:
    both = tmp_path / "both.json"
    both.write_text(
        json.dumps([json.loads((DATA / n).read_text("utf-8")) for n in (SERVICES, CHANNELS)]),
        "utf-8",
    )
    graph, _ = convert(both, tmp_path)
    alone, _ = convert(DATA / CHANNELS, tmp_path, services=str(DATA / SERVICES))
    modified = URIRef("http://purl.org/dc/terms/modified")
    title = URIRef("http://purl.org/dc/terms/title")
    for g in (graph, alone):
        for subject in set(
            g.subjects(rdflib.RDF.type, URIRef("http://www.w3.org/ns/dcat#Dataset"))
        ):
            g.remove((subject, None, None))
            g.remove((None, None, subject))
        g.remove((None, modified, None))
        g.remove((None, title, None))
    assert isomorphic(graph, alone)


def test_channels_alone_link_by_the_service_name(tmp_path: Path) -> None:
    graph, _ = convert(DATA / CHANNELS, tmp_path)
    assert set(graph.subjects(rdflib.RDF.type, SN.ComprehensiveSchool)) == {SCHOOL}


def test_the_municipality_is_the_records_own_else_the_option(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--municipality"):
        convert(DATA / CHANNELS, tmp_path, municipality=None)
    address = json.loads((DATA / CHANNELS).read_text("utf-8"))["itemList"][1]["addresses"]
    address = copy.deepcopy(address)
    address[0]["streetAddress"]["municipality"]["code"] = "49"  # Espoo, as PTV writes it
    graph, _ = convert(pages(tmp_path, {"addresses": address}), tmp_path, municipality=None)
    assert graph.value(SCHOOL, SN.municipality) == URIRef(CODE + "municipality/049")


def test_service_hours_as_opening_hours(tmp_path: Path) -> None:
    health_station = json.loads((DATA / CHANNELS).read_text("utf-8"))["itemList"][0]
    path = pages(tmp_path, {"serviceHours": health_station["serviceHours"]})
    graph, turtle = convert(path, tmp_path, services=SERVICES)
    offering = graph.value(SCHOOL, SN.offers)
    assert set(graph.objects(offering, SN.openingHours)) == {
        Literal("We 08:00-16:00"),
        Literal("Fr 08:00-14:00"),
    }
    assert violations(turtle) == []


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"id": "not-a-uuid"}, "id", "not a PTV id"),
        ({"serviceChannelNames": []}, "serviceChannelNames", "no name"),
        ({"languages": []}, "languages", "no language"),
    ],
)
def test_bad_records_are_located_and_nothing_is_written(
    tmp_path: Path, change: dict[str, object], column: str, words: str
) -> None:
    path = pages(tmp_path, change)
    if "id" in change:  # the services page links by the channel id: link by name instead
        (tmp_path / SERVICES).unlink()
    with pytest.raises(RowsInvalidError) as raised:
        convert(path, tmp_path)
    [error] = raised.value.errors
    assert (error.source, error.row, error.column) == (CHANNELS, 2, column)
    assert words in error.message
    assert not (tmp_path / "ptv.ttl").exists()


def test_degrees_in_the_metre_fields_are_an_error(tmp_path: Path) -> None:
    address = copy.deepcopy(
        json.loads((DATA / CHANNELS).read_text("utf-8"))["itemList"][1]["addresses"]
    )
    address[0]["streetAddress"].update({"latitude": "60.17", "longitude": "24.94"})
    with pytest.raises(RowsInvalidError) as raised:
        convert(pages(tmp_path, {"addresses": address}), tmp_path)
    [error] = raised.value.errors
    assert (error.row, error.column) == (2, "latitude") and "not in Finland" in error.message


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.ttl"
    args = ["convert", "ptv", str(DATA / CHANNELS), "--municipality", "091"]
    assert main([*args, "--option", f"services={DATA / SERVICES}", "-o", str(out)]) == 0
    assert out.is_file()
    assert main([*pages_args(tmp_path), "-o", str(tmp_path / "bad.ttl")]) == 1
    assert "row 2, column 'id'" in capsys.readouterr().err
    assert not (tmp_path / "bad.ttl").exists()
    assert main([*args, "--option", "services=../elsewhere.json"]) == 2
    assert main(["convert", "ptv", str(DATA / CHANNELS)]) == 2


def pages_args(tmp_path: Path) -> list[str]:
    path = pages(tmp_path, {"id": "nope"})
    (tmp_path / SERVICES).unlink()
    return ["convert", "ptv", str(path), "--municipality", "091"]


def test_example_converts_to_its_expected_turtle(tmp_path: Path) -> None:
    graph, _ = convert(EXAMPLES / CHANNELS, tmp_path, services=SERVICES)
    expected = rdflib.Graph().parse(EXAMPLES / "ptv_v11_sample_service_channels.expected.ttl")
    modified = URIRef("http://purl.org/dc/terms/modified")
    for g in (graph, expected):
        g.remove((None, modified, None))
    assert isomorphic(graph, expected)
