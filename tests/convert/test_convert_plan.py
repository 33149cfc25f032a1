"""The converter's fast path (issue 7's speed target) never changes what a conversion gives: the
compiled row plan agrees with the row model row for row, declines what the model refuses, keeps its
memos bounded; the Turtle written in chunks, the blocks read and the literals escaped are the same
RDF; the rendered units carry every optional field with an exact triple count."""

from __future__ import annotations

import codecs
import dataclasses
import io
import random
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import pyoxigraph as ox
import pytest
import rdflib
from pydantic import BaseModel, BeforeValidator, ValidationError

from servicenet_vocab.convert import (
    RowsInvalidError,
    convert_file,
    convert_stream,
    get_kind,
    reading,
    values,
)
from servicenet_vocab.convert import plan as plan_module
from servicenet_vocab.convert.emit import RdfWriter, escaped, plain
from servicenet_vocab.convert.engine import Kind, prepare
from servicenet_vocab.convert.iris import IriTemplate
from servicenet_vocab.convert.mapping import Mapping, load_mapping, parse_mapping
from servicenet_vocab.convert.plan import RowPlan, core_model
from servicenet_vocab.convert.reading import open_export, read_records
from servicenet_vocab.convert.rows import RowProblem
from servicenet_vocab.convert.units import UnitRow
from servicenet_vocab.errors import InputError
from servicenet_vocab.vocabulary.files import project_root

EXAMPLES = project_root() / "examples" / "integrator"
SN = "https://w3id.org/servicenet/ontology#"
CSV_CASES = [
    ("units", "helsinki/units.csv"),
    ("forecast", "helsinki/forecast.csv"),
    ("offers", "helsinki/offers.csv"),
    ("units", "kauniainen/units.csv"),
    ("premises", "kauniainen/premises.csv"),
    ("capacity", "kauniainen/capacity.csv"),
    ("units", "espoo/units.csv"),
    ("survey", "espoo/survey.csv"),
]
# Cell texts that the row models refuse, or accept only after some normalising.
ODD_CELLS = [
    "",
    " ",
    "  x  ",
    "12,5",
    "-3",
    "1 200",
    "٤٠",
    "32.1.2020",
    "2020-02-03",
    "KUNNAN OMA TOIMINTA",
    "päiväkoti ",
    "suomi ja ruotsi",
    "sauna",
    "6672000",
    "60",
    ",5",
    "5,",
    "1e5",
    "NaN",
    "0",
    "1E+1",
    'Päivä"koti',
]


def model_row(kind: Kind, mapping: Mapping, values: dict[str, Any], context: Any) -> Any:
    """What the row model alone makes of a CSV row (None if it refuses it)."""
    raw = dict(mapping.constants)
    raw.update({f: values[c] for f, c in mapping.columns.items() if values.get(c)})
    try:
        return kind.row_model.model_validate(raw, context=context)
    except ValidationError:
        return None


def plan_for(kind: Kind, mapping: Mapping, export: Path) -> tuple[RowPlan, Any, list[str]]:
    context = prepare(kind, mapping, source=export.name)
    header = open_export(export).header
    columns = {f: header.index(c) for f, c in mapping.columns.items()}
    return RowPlan(kind.row_model, context, columns), context, header


@pytest.mark.parametrize(("kind_name", "name"), CSV_CASES, ids=[n for _, n in CSV_CASES])
def test_the_plan_gives_the_row_models_rows_also_for_odd_cells(kind_name: str, name: str) -> None:
    export = EXAMPLES / name
    kind = get_kind(kind_name)
    mapping = load_mapping(export.with_name(export.stem + ".mapping.yaml"))
    plan, context, header = plan_for(kind, mapping, export)
    rows = [values for _, values, problem in open_export(export).rows if problem is None]
    rng = random.Random(name)
    odd = []
    for _ in range(60):  # each example row with a few cells replaced by odd ones
        values = list(rng.choice(rows))
        for _ in range(rng.randint(1, 3)):
            values[rng.randrange(len(values))] = rng.choice(ODD_CELLS)
        odd.append(values)
    fast_rows = 0
    for values in rows + odd:
        expected = model_row(kind, mapping, dict(zip(header, values, strict=True)), context)
        got = plan.parse(values)
        if expected is None:
            assert got is None, values
        else:
            assert got is not None and got.model_dump() == expected.model_dump(), values
            assert isinstance(got, kind.row_model)
            fast_rows += 1
    assert fast_rows >= len(rows), "every valid example row takes the fast path"


def test_json_records_take_the_plan_and_decline_like_the_model(tmp_path: Path) -> None:
    export = EXAMPLES / "turku/units.json"
    mapping = load_mapping(export.with_name("units.mapping.yaml"))
    result = convert_stream(get_kind("units"), export, mapping, io.BytesIO())
    assert result.errors == [] and (result.converted, result.left_out, result.rows) == (1, 1, 2)
    context = prepare(get_kind("units"), mapping, source="units.json")
    plan = RowPlan(UnitRow, context, {})
    assert plan.parse_picked({"unit_type": "päiväkoti", "name_fi": "A"}) is not None
    assert plan.parse_picked({"unit_type": "sauna", "name_fi": "A"}) is None  # unknown code
    assert plan.parse_picked({"unit_type": "päiväkoti"}) is None  # no name: the model's rule


def test_the_core_twin_checks_core_types_strictly_and_keeps_the_models_rules() -> None:
    core = core_model(UnitRow)
    assert core is core_model(UnitRow) and issubclass(core, UnitRow)
    concept = "https://w3id.org/servicenet/code/service-unit-type/daycare-centre"
    good = {"unit_type": concept, "name_fi": "A", "places": 3, "capacity_date": date(2024, 1, 1)}
    assert core.model_validate(good, strict=True).places == 3
    for bad in ({"places": "3"}, {"places": -1}, {"latitude": "60.1"}, {"unit_type": None}):
        with pytest.raises(ValidationError):
            core.model_validate({**good, **bad}, strict=True)
    with pytest.raises(ValidationError, match="no name in Finnish or Swedish"):
        core.model_validate({"unit_type": concept}, strict=True)


class _OwnTypeRow(UnitRow):
    """A kind with a field of a type of its own, which the plan cannot parse by itself."""

    colour: Annotated[str, BeforeValidator(lambda value: str(value).upper())] | None = None


def test_a_field_type_without_a_parser_sends_every_row_to_the_row_model(tmp_path: Path) -> None:
    assert core_model(_OwnTypeRow) is None
    kind = dataclasses.replace(get_kind("units"), row_model=_OwnTypeRow)
    export = write_units(tmp_path, "1;A;päiväkoti;;4", "2;B;sauna;;4")
    mapping = parse_mapping(UNITS_MAPPING + "  colour: red\n")  # one more constant
    context = prepare(kind, mapping, source="units.csv")
    plan = RowPlan(_OwnTypeRow, context, {"name_fi": 1})
    assert plan.constants is None and plan.columns == []
    assert plan.parse(["1", "A", "päiväkoti", "", "4"]) is None
    result = convert_stream(kind, export, mapping, io.BytesIO())
    assert result.converted == 1 and [(e.row, e.column) for e in result.errors] == [(3, "Tyyppi")]


UNITS_MAPPING = """
kind: units
municipality: "091"
base_iri: https://data.example.fi/
columns:
  id: Tunnus
  name_fi: Nimi
  unit_type: Tyyppi
  service_types: Palvelut
  places: Paikat
constants:
  capacity_date: 2024-12-31
"""
HEADER = "Tunnus;Nimi;Tyyppi;Palvelut;Paikat"


def write_units(tmp_path: Path, *rows: str) -> Path:
    export = tmp_path / "units.csv"
    export.write_bytes(codecs.BOM_UTF8 + "\r\n".join([HEADER, *rows]).encode("utf-8"))
    return export


def test_memos_stay_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_module, "MEMO_LIMIT", 3)
    rows = [f"{n};Päiväkoti {n};päiväkoti;varhaiskasvatus;{n}" for n in range(1, 11)]
    export = write_units(tmp_path, *rows)
    kind, mapping = get_kind("units"), parse_mapping(UNITS_MAPPING)
    plan, _, _ = plan_for(kind, mapping, export)
    parsed = [plan.parse(v) for _, v, _ in open_export(export).rows]
    assert [row.places for row in parsed if row is not None] == list(range(1, 11))
    memos = {name: memo for name, _, _, memo in plan.columns}
    assert memos["name_fi"] is None  # free text: normalised again rather than remembered
    assert len(memos["places"] or {}) == 3 and len(memos["unit_type"] or {}) == 1


def test_code_lists_errors_come_from_the_row_model(tmp_path: Path) -> None:
    export = write_units(
        tmp_path, "1;A;päiväkoti;varhaiskasvatus ja esiopetus;4", "2;B;päiväkoti;sauna, kerho;4"
    )
    with pytest.raises(RowsInvalidError) as caught:
        convert_file(
            get_kind("units"), export, mapping=parse_mapping(UNITS_MAPPING), output=tmp_path / "o"
        )
    [error] = caught.value.errors
    assert (error.row, error.column, error.value) == (3, "Palvelut", "sauna, kerho")
    assert error.message.startswith("'sauna' is not a service-type code")


def test_a_constant_the_model_refuses_fails_every_row_in_its_words(tmp_path: Path) -> None:
    export = write_units(tmp_path, "1;A;päiväkoti;;4", "2;B;päiväkoti;;5")
    mapping = parse_mapping(UNITS_MAPPING.replace("capacity_date: 2024-12-31", "capacity_date: x"))
    result = convert_stream(get_kind("units"), export, mapping, io.BytesIO())
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "capacity_date", "'x' is not a date (use d.m.yyyy or yyyy-mm-dd)"),
        (3, "capacity_date", "'x' is not a date (use d.m.yyyy or yyyy-mm-dd)"),
    ]


def test_an_iri_pattern_with_bad_fixed_text_is_checked_on_every_row(tmp_path: Path) -> None:
    export = write_units(tmp_path, "1;A;päiväkoti;;4")
    mapping = parse_mapping(UNITS_MAPPING + "iris:\n  unit: 'https://data.example.fi/u nit/{id}'\n")
    result = convert_stream(get_kind("units"), export, mapping, io.BytesIO())
    [error] = result.errors
    assert error.column is None and "unit IRI 'https://data.example.fi/u nit/1'" in error.message


FULL_HEADER = (
    "id;fi;sv;en;type;form;services;languages;street;gata;postal;office;kontor;lat;lon;"
    "open;close;tpr;oid;varda;ptv;places;day;service;status;area"
)
FULL_MAPPING = """
kind: units
municipality: "049"
base_iri: https://data.example.fi/
columns: {id: id, name_fi: fi, name_sv: sv, name_en: en, unit_type: type,
  organisation_form: form, service_types: services, languages: languages,
  street_address_fi: street, street_address_sv: gata, postal_code: postal,
  post_office_fi: office, post_office_sv: kontor, latitude: lat, longitude: lon,
  opening_date: open, closing_date: close, tpr_id: tpr, oph_oid: oid, varda_id: varda,
  ptv_id: ptv, places: places, capacity_date: day, capacity_service_type: service,
  status: status, area_code: area}
"""


def test_a_unit_with_every_field_is_rendered_whole(tmp_path: Path) -> None:
    rows = [
        'U1;Päiväkoti "Aalto";Daghemmet Aalto;Aalto Daycare;päiväkoti;kunnan oma toiminta;'
        "varhaiskasvatus, esiopetus;suomi/ruotsi;Tie 1;Väg 1;02100;Espoo;Esbo;60;24,5;"
        "1.8.2000;31.7.2030;T1;1.2.246.562.10.123;V1;P1;40;31.12.2024;esiopetus;toiminnassa;0491",
        "U2;Kerho;;;kerho;;;englanti;;;;;;;;;;;;;;;;;;",
    ]
    export = tmp_path / "units.csv"
    export.write_text("\n".join([FULL_HEADER, *rows]), "utf-8")
    out = tmp_path / "units.ttl"
    result = convert_file(
        get_kind("units"), export, mapping=parse_mapping(FULL_MAPPING), output=out
    )
    graph = rdflib.Graph().parse(out, format="turtle")
    assert result.errors == [] and result.triples == len(graph)
    unit = rdflib.URIRef("https://data.example.fi/unit/U1")
    sn = rdflib.Namespace(SN)
    assert (unit, rdflib.RDFS.label, rdflib.Literal('Päiväkoti "Aalto"', lang="fi")) in graph
    assert (unit, rdflib.RDFS.label, rdflib.Literal("Aalto Daycare", lang="en")) in graph
    for prop, value in [("tprId", "T1"), ("ophOid", "1.2.246.562.10.123"), ("ptvId", "P1")]:
        assert (unit, sn[prop], rdflib.Literal(value)) in graph
    assert (unit, sn.provider, rdflib.URIRef("https://data.example.fi/organisation")) in graph
    assert len(list(graph.objects(unit, sn.offers))) == 2
    [point] = graph.objects(unit, rdflib.URIRef("http://www.opengis.net/ont/geosparql#hasGeometry"))
    wkt = graph.value(point, rdflib.URIRef("http://www.opengis.net/ont/geosparql#asWKT"))
    assert str(wkt) == "POINT(24.5 60)"  # as the export wrote it; the decimal gets its ".0"
    assert graph.value(point, sn.latitude) == rdflib.Literal(
        "60.0", datatype=rdflib.XSD.decimal, normalize=False
    )
    [address] = graph.objects(unit, sn.hasAddress)
    assert (address, sn.postOffice, rdflib.Literal("Esbo", lang="sv")) in graph
    [observation] = graph.subjects(sn.unit, unit)
    assert graph.value(observation, sn.serviceType) == rdflib.URIRef(
        "https://w3id.org/servicenet/code/service-type/pre-school"
    )
    club = rdflib.URIRef("https://data.example.fi/unit/U2")  # no services: languages on the unit
    assert list(graph.objects(club, sn.serviceLanguage)) == [
        rdflib.URIRef("https://w3id.org/servicenet/code/language/en")
    ]


def test_turtle_written_in_small_chunks_is_the_same_document() -> None:
    triples = [("<urn:s>", "<urn:p>", plain(f"ä {n}")) for n in range(50)]
    whole, chunked = io.BytesIO(), io.BytesIO()
    for target, chunk in ((whole, 1 << 20), (chunked, 64)):
        writer = RdfWriter(target, chunk=chunk)
        for triple in triples:
            writer.write([triple])
        writer.flush()
        assert writer.triples == 50
    assert chunked.getvalue() == whole.getvalue()


@pytest.mark.parametrize("text", ['say "hi"', "back\\slash", "two\nlines\r", "plain ä"])
def test_literals_are_escaped_only_where_needed(text: str) -> None:
    document = f"<urn:s> <urn:p> {plain(text)} .".encode()
    [triple] = ox.parse(document, ox.RdfFormat.TURTLE)
    assert triple.object.value == text
    assert (escaped(text) is text) == (text == "plain ä")


def test_rows_read_in_blocks_are_the_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "u.csv"
    lines = ["Nimi;Määrä", *(f'"Päiväkoti\n{n}";{n}' for n in range(40))]
    path.write_bytes(codecs.BOM_UTF8 + "\r\n".join(lines).encode())
    whole = list(open_export(path).rows)
    monkeypatch.setattr(reading, "BLOCK_BYTES", 16)
    assert list(open_export(path).rows) == whole
    assert whole[3] == (5, ["Päiväkoti\n3", "3"], None)


def test_an_undecodable_line_in_a_later_block_is_named_after_the_rows_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reading, "BLOCK_BYTES", 30)
    path = tmp_path / "latin.csv"
    path.write_bytes(b"Namn;Ort\n" + b"abc;def\n" * 8 + "Gläntan;Grankulla\n".encode("latin-1"))
    _, records = read_records(path, encoding="utf-8")
    seen = []
    with pytest.raises(InputError, match="not valid utf-8 text") as caught:
        for record in records:
            seen.append(record.row)
    assert seen == list(range(2, 10))
    assert caught.value.location is not None and caught.value.location.row == 10


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("60,5", Decimal("60.5")),
        ("60.5", Decimal("60.5")),
        ("5,", Decimal("5")),
        (",5", Decimal("0.5")),
        ("12", Decimal("12")),
        ("1 234,5", Decimal("1234.5")),
        ("-3,5", Decimal("-3.5")),
        ("1,2,3", None),
        ("1.2,3", None),
        (",", None),
        ("1e5", None),
        ("NaN", None),
    ],
)
def test_plain_decimals_parse_as_the_pattern_does(text: str, expected: Decimal | None) -> None:
    if expected is None:
        with pytest.raises(Exception, match="is not a number"):
            values.parse_decimal(text)
    else:
        assert values.parse_decimal(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"), [("40", 40), ("0040", 40), ("٤٠", 40), ("1 200", 1200), ("+4", 4)]
)
def test_whole_numbers_parse_as_the_pattern_does(text: str, expected: int) -> None:
    assert values.parse_int(text) == expected


CONCEPT = "https://w3id.org/servicenet/code/age-group/1-2"


class _Cells(BaseModel):
    id: Any = None
    day: Any = None


@pytest.mark.parametrize(
    "value",
    ["12", "A1", "ä1", "a b", "x/y", "", None, date(2024, 12, 31), 5, ["a", "b"], CONCEPT],
)
def test_plain_iri_patterns_fill_in_as_the_general_way(value: Any) -> None:
    template = IriTemplate("unit", "https://data.example.fi/unit/{id}/{day}")
    assert template.plain is not None
    row = _Cells(id=value, day=date(2024, 1, 2))
    try:
        expected = template._expand(row)
    except RowProblem as problem:
        with pytest.raises(RowProblem, match=re.escape(problem.message)):
            template.expand(row)
    else:
        assert template.expand(row) == expected
    assert IriTemplate("unit", "https://data.example.fi/unit/{id?}").plain is None
    assert IriTemplate("unit", "https://data.example.fi/u nit/{id}").plain is None
