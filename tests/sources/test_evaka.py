"""``servicenet convert evaka`` and ``POST /convert/evaka``: the Tampere region's real eVaka units
(144, published by Tampere) each in the municipality of its postcode; eVaka's real multi-valued care
types and every provider type accepted; bad records located, nothing written."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
import rdflib
from _registers import DATA, EXAMPLES, SN, assert_conforms, code, convert, graph, units
from conftest import LiveServer, run_live_server
from rdflib.compare import isomorphic

from servicenet_vocab.cli import main
from servicenet_vocab.convert.problems import RowsInvalidError

FILE = DATA / "evaka" / "evaka_tampere_daycares_extract.csv"
ROWS = list(csv.DictReader(FILE.open(encoding="utf-8")))
HEADER = list(ROWS[0])
# Kangasala, Lempäälä, Nokia, Pirkkala, Ylöjärvi (codes checked in ontology/codelists/municipality.ttl)
REGION = {"211": 7, "418": 4, "536": 3, "604": 3, "980": 4}


def write(tmp_path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    path = tmp_path / "evaka.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_tampere_region_units_carry_their_own_municipalities(tmp_path: Path) -> None:
    out = tmp_path / "evaka.ttl"
    result = convert("evaka", FILE, out, municipality="837")
    assert (result.rows, result.converted, result.errors) == (144, 144, [])
    g = graph(out)
    found = units(g)
    counts: dict[str, int] = {}
    for unit in found.values():
        counts[unit["municipality"]] = counts.get(unit["municipality"], 0) + 1
    assert counts == {"837": 123, **REGION}
    assert sum(REGION.values()) >= 18
    assert found["Pilke Kiuru"]["municipality"] == "211"  # KANGASALA 36110
    assert found["Norlandia Ideapark"]["municipality"] == "418"
    dataset = next(g.subjects(SN.namedGraph, None))
    assert g.value(dataset, SN.municipality) == code("municipality", "837")
    assert len(list(g.subjects(rdflib.RDF.type, SN.ServiceArea))) == 3  # eVaka's care areas
    assert_conforms(out)


# Real eVaka values from tests/data/sources/evaka/evaka_dev_data_espoo_units.sql (unit A, its
# care types, mailing address) and every provider type of eVaka's ProviderType.
ESPOO_A = {
    "name": "Päiväkoti ja esikoulu A",
    "care_types": "{PREPARATORY_EDUCATION,PRESCHOOL,CENTRE}",
    "care_area": "Alue A",
    "street_address": "Osoite 1",
    "postal_code": "02920",
    "post_office": "Espoo",
    "mailing_street_address": "PL 3536",
    "mailing_postal_code": "02070",
    "mailing_post_office": "ESPOON KAUPUNKI",
    "longitude": "24.7514109",
    "latitude": "60.2766848",
    "provider_type": "MUNICIPAL",
    "language": "fi",
    "opening_date": "2004-01-01",
    "oph_unit_oid": "1.2.246.562.10.9999999999",
}
PROVIDERS = {
    "MUNICIPAL": "municipal",
    "PURCHASED": "purchased",
    "PRIVATE": "private",
    "MUNICIPAL_SCHOOL": "municipal",
    "PRIVATE_SERVICE_VOUCHER": "service-voucher",
    "EXTERNAL_PURCHASED": "purchased",
}


def test_real_care_types_and_every_provider_type(tmp_path: Path) -> None:
    rows = [dict(ESPOO_A, name=f"Yksikkö {p}", provider_type=p) for p in PROVIDERS]
    rows.append(dict(ESPOO_A, name="Esikoulu C", care_types="{PRESCHOOL}"))
    rows.append(dict(ESPOO_A, name="Kerho D", care_types="CLUB"))
    rows.append(dict(ESPOO_A, name="Ryhmis E", care_types="GROUP_FAMILY,PRESCHOOL"))
    out = tmp_path / "espoo.ttl"
    result = convert("evaka", write(tmp_path, rows, list(ESPOO_A)), out, municipality="049")
    assert result.errors == []
    found = units(graph(out))
    for provider, form in PROVIDERS.items():
        unit = found[f"Yksikkö {provider}"]
        assert unit["forms"] == {form}, provider
        assert unit["type"] == "daycare-centre"  # a daycare centre that gives pre-school
        assert unit["services"] == {"ecec", "pre-school"}
        assert unit["visiting"] == ("Osoite 1", "02920")
        assert unit["postal"] == ("PL 3536", "02070")  # the mailing address, kept apart
    assert found["Esikoulu C"]["type"] == "pre-school-unit"
    assert found["Kerho D"]["classes"] >= {"Club"} and found["Kerho D"]["services"] == {"club"}
    assert found["Ryhmis E"]["type"] == "group-family-daycare"
    assert_conforms(out)


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"provider_type": "MUNICIPALITY"}, "provider_type", "'MUNICIPALITY'"),
        ({"care_types": "CENTRE,SAUNA"}, "care_types", "'SAUNA'"),
        ({"name": ""}, "name", "no name"),
        ({"postal_code": "99999"}, "postal_code", "not a postcode area"),
        ({"postal_code": "3310"}, "postal_code", "five-digit"),
    ],
    ids=["bad-provider", "bad-care-type", "no-name", "unknown-postcode", "bad-postcode"],
)
def test_a_bad_record_is_located_and_nothing_is_written(
    tmp_path: Path, change: dict[str, str], column: str, words: str
) -> None:
    rows = [dict(r) for r in ROWS]
    rows[40].update(change)
    out = tmp_path / "out.ttl"
    with pytest.raises(RowsInvalidError) as raised:
        convert("evaka", write(tmp_path, rows), out, municipality="837")
    errors = raised.value.errors  # care_types feeds two fields: an error for each
    assert {(e.source, e.row, e.column) for e in errors} == {("evaka.csv", 42, column)}
    assert all(words in error.message for error in errors), errors
    assert not out.exists()


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [dict(r) for r in ROWS]
    rows[0]["provider_type"] = "NOPE"
    bad = write(tmp_path, rows)
    out = tmp_path / "out.ttl"
    argv = ["convert", "evaka", str(bad), "--municipality", "837", "-o", str(out)]
    assert main(argv) == 1
    assert "evaka.csv, row 2, column 'provider_type'" in capsys.readouterr().err
    assert not out.exists()
    assert main([*argv, "--skip-invalid"]) == 0
    assert "skipped 1 rows: 2" in capsys.readouterr().err
    assert len(units(graph(out))) == 143
    assert main(["convert", "evaka", str(FILE), "-o", str(out)]) == 2  # no organiser
    missing = tmp_path / "nocolumn.csv"
    missing.write_text("nimi,care_types\nA,CENTRE\n", "utf-8")
    assert main(["convert", "evaka", str(missing), "--municipality", "837", "-o", str(out)]) == 2
    assert "'name'" in capsys.readouterr().err


def test_the_example_converts_to_its_expected_turtle(tmp_path: Path) -> None:
    out = tmp_path / "example.ttl"
    convert("evaka", EXAMPLES / "evaka" / "units.csv", out, municipality="837")
    assert isomorphic(graph(out), graph(EXAMPLES / "evaka" / "units.expected.ttl"))
    assert_conforms(EXAMPLES / "evaka" / "units.expected.ttl")


@pytest.fixture(scope="module")
def server() -> Any:
    with run_live_server() as live:
        yield live


def test_http_convert_route(server: LiveServer) -> None:
    body = FILE.read_bytes()
    answer = server.client.post(
        "/convert/evaka",
        params={"filename": "x.csv", "municipality": "837", "option": "date=2025-01-31"},
        content=body,
        headers={"Accept": "text/turtle"},
    )
    assert answer.status_code == 200, answer.text
    assert (answer.headers["Servicenet-Records"], answer.headers["Servicenet-Converted"]) == (
        "144",
        "144",
    )
    g = rdflib.Graph().parse(data=answer.text, format="turtle")
    kangasala = set(g.subjects(SN.municipality, code("municipality", "211")))
    assert len(kangasala & set(g.subjects(rdflib.RDF.type, SN.ServiceUnit))) == 7
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    rows[2]["provider_type"] = "NOPE"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    refused = server.client.post(
        "/convert/evaka",
        params={"filename": "x.csv", "municipality": "837"},
        content=buffer.getvalue().encode("utf-8"),
    )
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert (error["source"], error["row"], error["column"], error["value"]) == (
        "x.csv",
        4,
        "provider_type",
        "NOPE",
    )
    no_organiser = server.client.post("/convert/evaka", params={"filename": "x.csv"}, content=body)
    assert no_organiser.status_code == 400, no_organiser.text
