"""``servicenet convert turku``: Turku's unit register in its real shape (City-of-Helsinki/smbackend's
copy) converts: the ECEC unit, in Turku by its postcode (its kunta.koodi is empty), the therapy unit
left out; bad records are located and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _registers import DATA, EXAMPLES, assert_conforms, convert, graph, units
from rdflib.compare import isomorphic

from servicenet_vocab.cli import main
from servicenet_vocab.convert.problems import RowsInvalidError

FILE = DATA / "turku" / "turku_units_sample.json"
RECORDS: list[dict[str, Any]] = json.loads(FILE.read_text("utf-8"))


def write(tmp_path: Path, records: list[dict[str, Any]]) -> Path:
    path = tmp_path / "turku.json"
    path.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    return path


def test_the_real_register_converts_and_validates(tmp_path: Path) -> None:
    out = tmp_path / "turku.ttl"
    result = convert("turku", FILE, out)
    assert (result.rows, result.converted, result.left_out, result.errors) == (2, 1, 1, [])
    [unit] = units(graph(out)).values()
    assert unit["municipality"] == "853"  # kunta.koodi "": postcode 20540
    assert unit["type"] == "daycare-centre" and unit["services"] == {"ecec"}
    assert unit["visiting"] == ("Testikatu 21", "20540")
    assert_conforms(out)


def test_the_address_municipality_wins_over_the_postcode(tmp_path: Path) -> None:
    record = json.loads(json.dumps(RECORDS[1]))
    record["fyysinenPaikka"]["osoitteet"][0]["kunta"]["koodi"] = "202"  # Kaarina
    out = tmp_path / "turku.ttl"
    convert("turku", write(tmp_path, [record]), out)
    [unit] = units(graph(out)).values()
    assert unit["municipality"] == "202"


@pytest.mark.parametrize(
    ("path", "value", "column", "words"),
    [
        (("fyysinenPaikka", "osoitteet", 0, "kunta", "koodi"), "999", "kunta.koodi", "'999'"),
        (("fyysinenPaikka", "osoitteet", 0, "postinumero"), "99999", "postinumero", "postcode"),
        (("nimi_kieliversiot",), {}, "nimi_kieliversiot.fi", "no name"),
        (("tila", "koodi"), "7", "tila.koodi", "'7'"),
    ],
    ids=["bad-municipality", "unknown-postcode", "no-name", "bad-status"],
)
def test_a_bad_record_is_located_and_nothing_is_written(
    tmp_path: Path, path: tuple[Any, ...], value: Any, column: str, words: str
) -> None:
    records = json.loads(json.dumps(RECORDS))
    target = records[1]
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    out = tmp_path / "out.ttl"
    with pytest.raises(RowsInvalidError) as raised:
        convert("turku", write(tmp_path, records), out)
    [error] = raised.value.errors
    assert (error.source, error.row) == ("turku.json", 2)
    assert error.column is not None and error.column.endswith(column), error
    assert words in error.message
    assert not out.exists()


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "turku.ttl"
    assert main(["convert", "turku", str(FILE), "-o", str(out), "--option", "date=2025-01-31"]) == 0
    assert "converted 1 of 2 rows" in capsys.readouterr().err
    assert main(["convert", "turku", str(FILE), "--mapping", str(FILE), "-o", str(out)]) == 2


def test_the_examples_convert_to_their_expected_turtle(tmp_path: Path) -> None:
    out = tmp_path / "example.ttl"
    convert("turku", EXAMPLES / "turku" / "units.json", out)
    assert isomorphic(graph(out), graph(EXAMPLES / "turku" / "units.expected.ttl"))
    assert_conforms(EXAMPLES / "turku" / "units.expected.ttl")
