"""``servicenet convert servicemap``: three real Helsinki service map units (TPR REST v4) typed
from the items of ``ontologytree_ids`` chosen by a condition (not by position), each in the
municipality of its postcode, validated; bad records are located and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _registers import DATA, EXAMPLES, assert_conforms, convert, graph, units
from rdflib.compare import isomorphic

from servicenet_vocab.convert.problems import RowsInvalidError

FILE = DATA / "servicemap" / "tpr_helsinki_units_sample_3.json"
RECORDS: list[dict[str, Any]] = json.loads(FILE.read_text("utf-8"))


def write(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    path = tmp_path / "tpr.json"
    path.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    return path


def test_units_are_typed_from_their_ontologytree_ids(tmp_path: Path) -> None:
    out = tmp_path / "tpr.ttl"
    result = convert("servicemap", FILE, out)
    assert (result.rows, result.converted, result.errors) == (3, 3, [])
    found = units(graph(out))
    kannel = found["Daycare Kannel"] if "Daycare Kannel" in found else found["Päiväkoti Kannel"]
    assert kannel["classes"] >= {"DaycareCentre"}  # 870/871 day care, 1089... pre-primary
    assert kannel["services"] == {"ecec", "pre-school"}
    assert kannel["forms"] == {"municipal"}  # SELF_PRODUCED
    assert str(kannel["iri"]) == "https://palvelukartta.hel.fi/unit/3"
    kaarela = next(u for n, u in found.items() if "Kaarela" in n or "Family" in n)
    assert kaarela["type"] == "family-daycare" and kaarela["services"] == {"ecec"}  # 962
    groups = next(u for n, u in found.items() if "esiopetus" in n or "preschool" in n)
    assert groups["type"] == "pre-school-unit" and groups["services"] == {"pre-school"}
    assert {u["municipality"] for u in found.values()} == {"091"}  # 00420 is Helsinki's
    assert_conforms(out)


def test_the_condition_does_not_depend_on_the_position(tmp_path: Path) -> None:
    records = [dict(r, ontologytree_ids=list(reversed(r["ontologytree_ids"]))) for r in RECORDS]
    records[0]["ontologytree_ids"] = [5, *records[0]["ontologytree_ids"], 9999]
    out = tmp_path / "tpr.ttl"
    convert("servicemap", write(tmp_path, records), out)
    assert {u["type"] for u in units(graph(out)).values()} == {
        "daycare-centre",
        "family-daycare",
        "pre-school-unit",
    }


def test_units_of_other_services_are_left_out(tmp_path: Path) -> None:
    library = dict(RECORDS[0], id=8292, name_fi="Kirjasto", ontologytree_ids=[813, 2121])
    out = tmp_path / "tpr.ttl"
    result = convert("servicemap", write(tmp_path, [*RECORDS, library]), out)
    assert (result.rows, result.converted, result.left_out, result.errors) == (4, 3, 1, [])


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"address_zip": "99999"}, "address_zip", "not a postcode area"),
        ({"latitude": 24.87, "longitude": 60.23}, "latitude", "swapped"),
        ({"provider_type": "FRANCHISE"}, "provider_type", "'FRANCHISE'"),
    ],
    ids=["unknown-postcode", "swapped", "bad-provider-type"],
)
def test_a_bad_record_is_located_and_nothing_is_written(
    tmp_path: Path, change: dict[str, Any], column: str, words: str
) -> None:
    records = [dict(r) for r in RECORDS]
    records[1].update(change)
    out = tmp_path / "out.ttl"
    with pytest.raises(RowsInvalidError) as raised:
        convert("servicemap", write(tmp_path, records), out)
    [error] = raised.value.errors
    assert (error.source, error.row, error.column) == ("tpr.json", 2, column)
    assert words in error.message
    assert not out.exists()
    result = convert("servicemap", write(tmp_path, records), out, skip_invalid=True)
    assert (result.converted, result.skipped_rows) == (2, [2]) and out.exists()


def test_the_example_converts_to_its_expected_turtle(tmp_path: Path) -> None:
    out = tmp_path / "example.ttl"
    convert("servicemap", EXAMPLES / "servicemap" / "units.json", out)
    assert isomorphic(graph(out), graph(EXAMPLES / "servicemap" / "units.expected.ttl"))
    assert_conforms(EXAMPLES / "servicemap" / "units.expected.ttl")
