"""JSON Schema and OpenAPI from the shapes: every example exported as JSON validates with
``jsonschema`` and round-trips through the context to the same RDF, which SHACL accepts; mutated
examples are refused by both, naming the same field."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from rdflib.compare import to_isomorphic

from servicenet_vocab import rdfio
from servicenet_vocab.cli import EXIT_OK, main
from servicenet_vocab.validation import Severity, validate
from servicenet_vocab.vocabulary.context import CONTEXT_IRI, context_bytes, parse_jsonld
from servicenet_vocab.vocabulary.json_schema import (
    DIALECT,
    LANGUAGES,
    field_name,
    json_schemas,
    plain_json,
)

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "valid").glob("*.ttl"))
CODE = "https://w3id.org/servicenet/code/"

Document = dict[str, Any]


@cache
def validator() -> Draft202012Validator:
    schema = json_schemas(ROOT).schema
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def exported(name: str) -> str:
    return json.dumps(plain_json(rdfio.parse(ROOT / "examples" / "valid" / name), ROOT))


def document(name: str) -> Document:
    return json.loads(exported(name))


def as_rdf(doc: Document) -> list[Any]:
    return parse_jsonld(json.dumps(doc).encode("utf-8"), source="test")


def schema_fields(doc: Document) -> set[str]:
    """The JSON property of each object of @graph that the schema refuses."""
    return {_field(error) for error in validator().iter_errors(doc)}


def _field(error: ValidationError) -> str:
    path = list(error.absolute_path)
    if error.validator == "required":
        missing = [name for name in error.validator_value if name not in error.instance]
        assert len(missing) == 1, error.message
        return str(missing[0])
    assert path[:1] == ["@graph"] and len(path) >= 3, (path, error.message)
    return str(path[2])


def shacl_fields(doc: Document) -> set[str]:
    report = validate(as_rdf(doc))
    return {
        field_name(str(result.path), ROOT)
        for result in report.results
        if result.severity is Severity.VIOLATION
    }


# --- the schema --------------------------------------------------------------------------------


def test_schema_is_2020_12_with_the_version_and_trilingual_texts() -> None:
    schemas = json_schemas(ROOT)
    schema = schemas.schema
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == DIALECT
    assert schemas.version == "1.0.0" and schema["$id"].endswith("/1.0.0/servicenet.schema.json")
    assert schema["required"] == ["@context", "@graph"]
    targeted = {name: d for name, d in schema["$defs"].items() if "x-target-class" in d}
    assert len(targeted) >= 40  # one per node shape that targets a class
    for name, definition in targeted.items():
        assert set(definition["x-labels"]) == set(LANGUAGES), name
        assert definition["title"] == definition["x-labels"]["en"]
        assert set(definition["x-descriptions"]) == set(LANGUAGES), name
        for prop, body in definition["properties"].items():
            assert set(body.get("x-labels", {})) == set(LANGUAGES), (name, prop)
    unit = schema["$defs"]["ServiceUnitShape"]
    assert unit["x-labels"] == {
        "fi": "Toimipaikka",
        "sv": "Verksamhetsställe",
        "en": "Service unit",
    }
    assert {"label", "municipality", "unitType"} <= set(unit["required"])
    assert "area" not in unit["required"]  # a missing area is a warning, not a refusal
    assert "ServiceUnitShape" in schemas.classes["ServiceUnit"]


def test_properties_are_the_context_terms_with_types_from_the_datatypes() -> None:
    defs = json_schemas(ROOT).schema["$defs"]
    context = json.loads(context_bytes())["@context"]
    capacity = defs["CapacityObservationShape"]["properties"]
    assert capacity["places"]["type"] == "integer" and capacity["places"]["minimum"] == 0
    assert capacity["places"]["x-path"] == "sn:places" and "places" in context
    assert capacity["referenceDate"]["format"] == "date"
    caretakers = capacity["caretakers"]
    assert caretakers["x-datatype"] == "xsd:decimal"
    assert {"type": "integer", "minimum": 0} in caretakers["anyOf"]
    unit = defs["ServiceUnitShape"]["properties"]
    assert unit["label"]["type"] == "object"  # a language map
    assert unit["municipality"]["$ref"] == "#/$defs/code-municipality"
    municipalities = defs["code-municipality"]["enum"]
    assert CODE + "municipality/091" in municipalities and "code:municipality/091" in municipalities
    assert len(municipalities) == 2 * len(set(m.rsplit("/", 1)[1] for m in municipalities))
    address = defs["AddressShape"]["properties"]["postalCode"]
    assert address["pattern"] == "^[0-9]{5}$"


def test_openapi_3_1_carries_the_definitions() -> None:
    schemas = json_schemas(ROOT)
    openapi = schemas.openapi
    assert openapi["openapi"] == "3.1.0" and openapi["info"]["version"] == schemas.version
    assert set(openapi["info"]["x-labels"]) == set(LANGUAGES)
    components = openapi["components"]["schemas"]
    assert set(components) == set(schemas.schema["$defs"]) | {"Dataset"}
    assert "#/$defs/" not in schemas.openapi_bytes.decode()
    body = openapi["paths"]["/validate"]["post"]["requestBody"]["content"]
    assert body["application/ld+json"]["schema"] == {"$ref": "#/components/schemas/Dataset"}
    # The OpenAPI document validates the same JSON as the JSON Schema does.
    dataset = Draft202012Validator(
        {"$ref": "#/components/schemas/Dataset", "components": openapi["components"]}
    )
    doc = document("kauniainen-235.ttl")
    assert list(dataset.iter_errors(doc)) == []
    broken = _first(doc, "CapacityObservation")
    broken["places"] = -1
    assert [e.absolute_path[-1] for e in dataset.iter_errors(doc)] == ["places"]


# --- every example, exported as JSON -----------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_example_as_json_validates_and_round_trips_to_conforming_rdf(example: Path) -> None:
    doc = document(example.name)
    assert doc["@context"] == CONTEXT_IRI and len(doc["@graph"]) > 100
    assert list(validator().iter_errors(doc)) == []
    quads = as_rdf(doc)
    original = rdfio.parse(example)
    assert to_isomorphic(rdfio.to_rdflib(quads)) == to_isomorphic(rdfio.to_rdflib(original))
    report = validate(quads)
    assert report.count(Severity.VIOLATION) == 0, report.results[:3]


def test_integers_and_booleans_are_json_values() -> None:
    doc = document("kauniainen-235.ttl")
    capacity = _first(doc, "CapacityObservation")
    assert isinstance(capacity["places"], int)
    premises = _first(doc, "Premises")
    assert isinstance(premises["accessible"], bool) and isinstance(premises["yearBuilt"], int)


# --- mutations: both refuse, naming the same field ---------------------------------------------


def _first(doc: Document, type_name: str, *, without: str | None = None) -> Document:
    for node in doc["@graph"]:
        types = node.get("type")
        types = types if isinstance(types, list) else [types]
        if type_name in types and (without is None or without not in types):
            return node  # type: ignore[no-any-return]
    raise AssertionError(f"no {type_name} in the example")


def negative_places(doc: Document) -> None:
    _first(doc, "CapacityObservation")["places"] = -12


def text_places(doc: Document) -> None:
    _first(doc, "CapacityObservation")["places"] = "many"


def missing_name(doc: Document) -> None:
    del _first(doc, "DaycareCentre", without="PreSchoolUnit")["label"]


def wrong_code(doc: Document) -> None:
    _first(doc, "Premises")["tenure"] = CODE + "premises-tenure/borrowed-from-a-friend"


def wrong_municipality(doc: Document) -> None:
    _first(doc, "DaycareCentre", without="PreSchoolUnit")["municipality"] = "code:municipality/999"


def bad_postal_code(doc: Document) -> None:
    _first(doc, "Address")["postalCode"] = "0270"


def bad_date(doc: Document) -> None:
    _first(doc, "CapacityObservation")["referenceDate"] = "1.10.2024"


MUTATIONS: list[tuple[Callable[[Document], None], str]] = [
    (negative_places, "places"),
    (text_places, "places"),
    (missing_name, "label"),
    (wrong_code, "tenure"),
    (wrong_municipality, "municipality"),
    (bad_postal_code, "postalCode"),
    (bad_date, "referenceDate"),
]


@pytest.mark.parametrize(("mutate", "field"), MUTATIONS, ids=lambda m: getattr(m, "__name__", m))
def test_mutation_is_refused_by_json_schema_and_shacl_on_the_same_field(
    mutate: Callable[[Document], None], field: str
) -> None:
    doc = copy.deepcopy(document("kauniainen-235.ttl"))
    mutate(doc)
    assert schema_fields(doc) == {field}
    assert shacl_fields(doc) == {field}


# --- the command -------------------------------------------------------------------------------


def test_export_json_schema_command(tmp_path: Path) -> None:
    assert main(["export", "json-schema", "-o", str(tmp_path), "--examples"]) == EXIT_OK
    schemas = json_schemas(ROOT)
    assert (tmp_path / "servicenet.schema.json").read_bytes() == schemas.schema_bytes
    assert (tmp_path / "openapi.json").read_bytes() == schemas.openapi_bytes
    written = sorted(p.name for p in (tmp_path / "examples").glob("*.json"))
    assert written == [p.stem + ".json" for p in EXAMPLES]
    vantaa = json.loads((tmp_path / "examples" / "vantaa-092.json").read_text(encoding="utf-8"))
    assert vantaa == document("vantaa-092.ttl")
