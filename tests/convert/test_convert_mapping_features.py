"""The mapping features cities' own spreadsheets get: the municipality per record (a column, or the
postcode through Statistics Finland's key), multi-valued cells (several values, ``pick`` for one),
JSON list items chosen by a condition, ``source.where`` and ``source.optional``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import rdflib
from rdflib import Namespace, URIRef

from servicenet_vocab.convert import RowsInvalidError, convert_file, get_kind
from servicenet_vocab.convert.mapping import parse_mapping
from servicenet_vocab.convert.postcodes import municipality_of_postcode, postcode_key
from servicenet_vocab.convert.reading import dig, parse_path
from servicenet_vocab.errors import InputError
from servicenet_vocab.validation import Severity, validate

SN = Namespace("https://w3id.org/servicenet/ontology#")
CODE = "https://w3id.org/servicenet/code/"

HEAD = """
kind: units
municipality: "837"
base_iri: https://data.example.fi/
iris:
  unit: unit/{municipality}/{id}
  area: area/{municipality}/{area_code}
constants:
  area_level: district
"""


def run(
    tmp_path: Path, mapping: str, text: str, *, name: str = "units.csv", skip: bool = False
) -> tuple[Any, rdflib.Graph]:
    export = tmp_path / name
    export.write_text(text, "utf-8")
    out = tmp_path / "out.ttl"
    result = convert_file(
        get_kind("units"), export, mapping=parse_mapping(mapping), output=out, skip_invalid=skip
    )
    return result, rdflib.Graph().parse(out, format="turtle")


def municipality_of(g: rdflib.Graph, unit: str) -> str:
    value = g.value(URIRef(unit), SN.municipality)
    return str(value).rsplit("/", 1)[1]


def test_the_postcode_key_is_statistics_finlands() -> None:
    key = postcode_key()
    # 307: one of the 308 municipalities has no postcode area of its own
    assert len(key) == 3026 and len(set(key.values())) == 307
    assert municipality_of_postcode("36110") == "211"  # Kangasala
    assert municipality_of_postcode("37500") == "418"  # Lempäälä
    assert municipality_of_postcode("00420") == "091"


PER_RECORD = (
    HEAD
    + """municipality_by_postcode: true
columns:
  id: Tunnus
  name_fi: Nimi
  unit_type: Tyyppi
  organisation_form: Järjestämismuoto
  municipality: Kunta
  postal_code: Postinumero
  area_code: Alue
  street_address_fi: Osoite
  post_office_fi: Postitoimipaikka
  area_name_fi: Alueen nimi
"""
)


def test_the_municipality_comes_from_a_column_or_the_postcode(tmp_path: Path) -> None:
    text = (
        "Tunnus;Nimi;Tyyppi;Järjestämismuoto;Kunta;Postinumero;Alue;Osoite;Postitoimipaikka;Alueen nimi\n"
        "1;Päiväkoti A;päiväkoti;jm01;;33100;01;Katu 1;Tampere;Keskusta\n"  # Tampere by postcode
        "2;Päiväkoti B;päiväkoti;jm01;;36110;01;Katu 1;Tampere;Keskusta\n"  # Kangasala by postcode
        "3;Päiväkoti C;päiväkoti;jm02;Nokia;33100;01;Katu 1;Tampere;Keskusta\n"  # the column wins (a name)
        "4;Päiväkoti D;päiväkoti;jm03;604;33100;;Katu 1;Pirkkala;\n"  # a code wins too
    )
    result, g = run(tmp_path, PER_RECORD, text)
    assert result.errors == [] and result.converted == 4
    base = "https://data.example.fi/unit/"
    assert [municipality_of(g, f"{base}{c}/{n}") for c, n in (("837", 1), ("211", 2))] == [
        "837",
        "211",
    ]
    assert municipality_of(g, f"{base}536/3") == "536" and municipality_of(g, f"{base}604/4")
    # the area of a Kangasala unit lies in Kangasala; its municipal provider is Kangasala
    area = URIRef("https://data.example.fi/area/211/01")
    assert g.value(area, SN.partOfArea) == URIRef(f"{CODE}municipality/211")
    provider = g.value(URIRef(f"{base}211/2"), SN.provider)
    assert str(provider) == "https://data.example.fi/organisation/211"
    assert g.value(provider, SN.providerType) == URIRef(f"{CODE}provider-type/municipality")
    # the dataset is the publisher's
    dataset = next(g.subjects(SN.namedGraph, None))
    assert g.value(dataset, SN.municipality) == URIRef(f"{CODE}municipality/837")
    report = validate([tmp_path / "out.ttl"])
    assert not report.fails(Severity.VIOLATION)


def test_an_unknown_postcode_or_municipality_is_a_row_error(tmp_path: Path) -> None:
    text = (
        "Tunnus;Nimi;Tyyppi;Järjestämismuoto;Kunta;Postinumero;Alue;Osoite;Postitoimipaikka;Alueen nimi\n"
        "1;Päiväkoti A;päiväkoti;jm01;;99999;01;Katu 1;Tampere;Keskusta\n"
        "2;Päiväkoti B;päiväkoti;jm01;Atlantis;33100;01;Katu 1;Tampere;Keskusta\n"
        "3;Päiväkoti C;päiväkoti;jm01;;33100;01;Katu 1;Tampere;Keskusta\n"
    )
    with pytest.raises(RowsInvalidError) as raised:
        run(tmp_path, PER_RECORD, text)
    errors = [(e.row, e.column, e.value) for e in raised.value.errors]
    assert errors == [(2, "Postinumero", "99999"), (3, "Kunta", "Atlantis")]
    assert not (tmp_path / "out.ttl").exists()
    result, _ = run(tmp_path, PER_RECORD, text, skip=True)
    assert result.skipped_rows == [2, 3] and result.converted == 1


def test_without_the_postcode_rule_the_dataset_municipality_holds(tmp_path: Path) -> None:
    mapping = PER_RECORD.replace("municipality_by_postcode: true\n", "")
    text = "Tunnus;Nimi;Tyyppi;Järjestämismuoto;Kunta;Postinumero;Alue;Osoite;Postitoimipaikka;Alueen nimi\n1;A;päiväkoti;;;36110;;;;\n"
    _, g = run(tmp_path, mapping, text)
    assert municipality_of(g, "https://data.example.fi/unit/837/1") == "837"


MULTI = (
    HEAD
    + """columns:
  id: id
  name_fi: name
  unit_type: {column: care_types, pick: [daycare-centre, club, pre-school-unit]}
  service_types: care_types
  organisation_form: forms
values:
  service_types:
    CENTRE: ecec
    CLUB: club
    PRESCHOOL: pre-school
    "päiväkoti ja eskari": [ecec, pre-school]
  unit_type:
    "päiväkoti ja eskari": daycare-centre
"""
)


def test_multi_valued_cells_give_several_values(tmp_path: Path) -> None:
    text = (
        "id,name,care_types,forms\n"
        '1,A,"PRESCHOOL,CENTRE","jm01,jm03"\n'
        "2,B,{PRESCHOOL},jm02\n"
        '3,C,päiväkoti ja eskari,"yksityinen, yksityisen hoidon tuella"\n'  # one label, a comma
        "4,D,CLUB,\n"
    )
    result, g = run(tmp_path, MULTI, text)
    assert result.errors == []

    def unit(n: int) -> URIRef:
        return URIRef(f"https://data.example.fi/unit/837/{n}")

    def services(n: int) -> set[str]:
        return {
            str(g.value(o, SN.serviceType)).rsplit("/", 1)[1] for o in g.objects(unit(n), SN.offers)
        }

    def kind(n: int) -> str:
        return str(g.value(unit(n), SN.unitType)).rsplit("/", 1)[1]

    def forms(n: int) -> set[str]:
        return {str(f).rsplit("/", 1)[1] for f in g.objects(unit(n), SN.organisationForm)}

    assert (kind(1), services(1), forms(1)) == (
        "daycare-centre",
        {"ecec", "pre-school"},
        {"municipal", "service-voucher"},
    )
    assert (kind(2), services(2)) == ("pre-school-unit", {"pre-school"})
    assert (kind(3), services(3), forms(3)) == (
        "daycare-centre",
        {"ecec", "pre-school"},
        {"private"},
    )
    assert (kind(4), services(4)) == ("club", {"club"})


def test_without_pick_a_multi_valued_cell_is_refused_for_one_value(tmp_path: Path) -> None:
    mapping = MULTI.replace(
        "{column: care_types, pick: [daycare-centre, club, pre-school-unit]}", "care_types"
    ).replace('  unit_type:\n    "päiväkoti ja eskari": daycare-centre\n', "")
    with pytest.raises(RowsInvalidError) as raised:
        run(tmp_path, mapping, 'id,name,care_types,forms\n1,A,"CENTRE,PRESCHOOL",\n')
    [error] = raised.value.errors
    assert (error.row, error.column, error.value) == (2, "care_types", "CENTRE,PRESCHOOL")


@pytest.mark.parametrize(
    ("replace", "by", "path", "words"),
    [
        ("pick: [daycare-centre, club, pre-school-unit]", "pick: [sauna]", "pick", "'sauna'"),
        (
            "service_types: care_types",
            "service_types: {column: care_types, pick: [ecec]}",
            "columns.service_types.pick",
            "every value",
        ),
        (
            '    "päiväkoti ja eskari": daycare-centre\n',
            '    "päiväkoti ja eskari": [daycare-centre, club]\n  organisation_form:\n'
            '    "kunta tai seteli": [municipal, service-voucher]\n  status:\n'
            '    "auki tai kiinni": [active, closed]\n',
            "values.status",
            "one concept",
        ),
        (
            "service_types: care_types",
            "service_types: care_types[=a",
            "columns.service_types",
            "unbalanced",
        ),
        ("unit_type: {column", "unit_type: {colour: x, column", "columns", "colour"),
    ],
    ids=["unknown-pick", "pick-on-multi", "list-for-one", "bad-path", "bad-column-object"],
)
def test_a_mapping_that_misuses_the_features_is_an_input_error(
    tmp_path: Path, replace: str, by: str, path: str, words: str
) -> None:
    mapping = MULTI.replace(replace, by)
    with pytest.raises(InputError) as raised:
        run(tmp_path, mapping, "id,name,care_types,forms\n1,A,CENTRE,\n")
    assert words in str(raised.value)
    assert raised.value.location is not None and path in str(raised.value.location.path)


RECORDS = [
    {
        "id": "a1",
        "nimi": {"fi": "Päiväkoti A"},
        "tyyppi": [{"koodi": "x"}, {"koodi": "tm01"}],
        "osoitteet": [
            {"tyyppi": "posti", "katu": "PL 5", "postinumero": "33101"},
            {"tyyppi": "käynti", "katu": "Satakunnankatu 1", "postinumero": "33100"},
        ],
        "palvelut": [17, 868, 2],
    },
    {
        "id": "a2",
        "nimi": {"fi": "Päiväkoti B"},
        "tyyppi": [{"koodi": "tm01"}],
        "osoitteet": [{"tyyppi": "KÄYNTI", "katu": "Kuusitie 8", "postinumero": "36110"}],
        "palvelut": [868, 1088],
    },
    {"id": "a3", "nimi": {"fi": "Kirjasto"}, "palvelut": [17]},
]
CONDITIONS = """
kind: units
municipality: "837"
municipality_by_postcode: true
base_iri: https://data.example.fi/
source:
  where: "palvelut[=868|1088]"
columns:
  id: id
  name_fi: nimi.fi
  unit_type: "tyyppi[koodi=tm01|tm02].koodi"
  street_address_fi: "osoitteet[tyyppi=käynti].katu"
  postal_code: "osoitteet[tyyppi=käynti].postinumero"
  mailing_street_address_fi: "osoitteet[tyyppi=posti].katu"
  mailing_postal_code: "osoitteet[tyyppi=posti].postinumero"
  service_types: "palvelut[=868|1088]"
constants:
  languages: fi
values:
  service_types: {"868": ecec, "1088": pre-school}
"""


def test_list_items_are_chosen_by_a_condition(tmp_path: Path) -> None:
    result, g = run(tmp_path, CONDITIONS, json.dumps(RECORDS), name="units.json")
    assert (result.rows, result.converted, result.left_out, result.errors) == (3, 2, 1, [])
    a1, a2 = (URIRef(f"https://data.example.fi/unit/{n}") for n in ("a1", "a2"))
    visiting = g.value(a1, SN.hasAddress)
    assert str(g.value(visiting, SN.streetAddress)) == "Satakunnankatu 1"
    assert str(g.value(g.value(a1, SN.postalAddress), SN.postalCode)) == "33101"
    assert g.value(a2, SN.postalAddress) is None
    assert municipality_of(g, str(a2)) == "211"  # by the visiting address's postcode
    services = {str(g.value(o, SN.serviceType)).rsplit("/", 1)[1] for o in g.objects(a2, SN.offers)}
    assert services == {"ecec", "pre-school"}


def test_a_condition_keeping_several_values_for_one_field_is_a_row_error(tmp_path: Path) -> None:
    records = [dict(RECORDS[1], osoitteet=[*RECORDS[0]["osoitteet"], RECORDS[1]["osoitteet"][0]])]
    with pytest.raises(RowsInvalidError) as raised:
        run(tmp_path, CONDITIONS, json.dumps(records), name="units.json")
    columns = {(e.row, e.column) for e in raised.value.errors}
    assert (1, "osoitteet[tyyppi=käynti].katu") in columns
    assert "gives 2 values" in raised.value.errors[0].message


def test_absent_columns_are_an_input_error_unless_optional(tmp_path: Path) -> None:
    mapping = CONDITIONS.replace("  id: id\n", "  id: id\n  ptv_id: ptv\n")
    with pytest.raises(InputError, match="'ptv'"):
        run(tmp_path, mapping, json.dumps(RECORDS), name="units.json")
    optional = mapping.replace("source:\n", "source:\n  optional: [ptv]\n")
    result, _ = run(tmp_path, optional, json.dumps(RECORDS), name="units.json")
    assert result.converted == 2


def test_path_syntax() -> None:
    record = RECORDS[0]
    assert dig(record, "osoitteet[tyyppi=KÄYNTI].katu") == ["Satakunnankatu 1"]  # any case
    assert dig(record, "osoitteet[tyyppi!=käynti].katu") == ["PL 5"]
    assert dig(record, "osoitteet[*].postinumero") == ["33101", "33100"]
    assert dig(record, "osoitteet.1.katu") == "Satakunnankatu 1"  # by position, as before
    assert dig(record, "palvelut[=868|2]") == [868, 2]
    assert dig(record, "palvelut[=5]") is None
    assert dig(record, "tyyppi[koodi].koodi") == ["x", "tm01"]
    with pytest.raises(ValueError, match="unbalanced"):
        parse_path("a[b=c")
    with pytest.raises(ValueError, match="condition"):
        parse_path("a[]")
