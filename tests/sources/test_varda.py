"""``servicenet convert varda``: Varda's own ten-unit example (a real file, EUPL-1.1) converts with
each unit in its own municipality, every organisation form, the pedagogical system and the postal
address apart from the visiting one, and validates; a bad record is located and nothing written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from _registers import (
    BASE,
    DATA,
    DATE,
    EXAMPLES,
    SN,
    assert_conforms,
    code,
    convert,
    graph,
    units,
)
from rdflib import DCTERMS
from rdflib.compare import isomorphic

from servicenet_vocab.cli import main
from servicenet_vocab.convert.problems import RowsInvalidError
from servicenet_vocab.errors import InputError

FILE = DATA / "varda" / "varda_example_10_toimipaikkaa.json"
RECORDS: list[dict[str, Any]] = json.loads(FILE.read_text("utf-8"))
# kj codes of Varda's koodisto vardakasvatusopillinenjarjestelma
SYSTEMS = {"kj01": "steiner", "kj02": "montessori", "kj03": "freinet", "kj98": "none"}
FORMS = {"jm01": "municipal", "jm02": "purchased", "jm03": "service-voucher", "jm04": "private"}


def write(tmp_path: Path, records: list[dict[str, Any]], name: str = "varda.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    return path


def test_each_unit_lies_in_its_own_municipality_and_keeps_its_codes(tmp_path: Path) -> None:
    out = tmp_path / "varda.ttl"
    result = convert("varda", FILE, out, municipality="049")
    assert (result.rows, result.converted, result.errors) == (10, 10, [])
    g = graph(out)
    found = units(g)
    assert len(found) == 10
    for record in RECORDS:
        unit = found[record["nimi"]]
        assert unit["municipality"] == record["kunta_koodi"], record["nimi"]
        assert unit["forms"] == {FORMS[jm] for jm in record["jarjestamismuoto_koodi"]}
        assert unit["systems"] == {SYSTEMS[record["kasvatusopillinen_jarjestelma_koodi"]]}
        # postiosoite is the postal address, never the visiting one
        assert unit["postal"] == (record["postiosoite"], record["postinumero"])
        assert unit["visiting"] is None
    assert len({u["municipality"] for u in found.values()}) == 10
    # the publisher is the organiser; a municipal unit elsewhere is its own municipality's
    dataset = next(g.subjects(SN.namedGraph, None))
    assert g.value(dataset, SN.municipality) == code("municipality", "049")
    assert found["Espoo"]["provider"] == g.value(dataset, DCTERMS.publisher)
    assert str(found["Siuntio"]["provider"]) == f"{BASE}organisation/755"
    assert str(found["Nokia"]["provider"]) == f"{BASE}organisation/536"
    assert g.value(found["Nokia"]["provider"], SN.businessId) is not None
    assert found["Helsinki"]["classes"] >= {"FamilyDaycare", "ServiceUnit"}  # tm02
    assert found["Vantaa"]["type"] == "group-family-daycare"  # tm03
    assert_conforms(out)


def test_every_organisation_form_of_a_record_is_kept(tmp_path: Path) -> None:
    records = [dict(RECORDS[0], jarjestamismuoto_koodi=["jm01", "jm03"])]
    records.append(dict(RECORDS[1], kasvatusopillinen_jarjestelma_koodi="kj98"))
    out = tmp_path / "out.ttl"
    convert("varda", write(tmp_path, records), out, municipality="049")
    found = units(graph(out))
    assert found["Espoo"]["forms"] == {"municipal", "service-voucher"}
    assert found["Helsinki"]["systems"] == {"none"}
    assert_conforms(out)


def test_the_visiting_address_is_the_visiting_one(tmp_path: Path) -> None:
    record = dict(
        RECORDS[0],
        kayntiosoite="Kauppakatu 3",
        kayntiosoite_postinumero="02100",
        kayntiosoite_postitoimipaikka="Espoo",
    )
    out = tmp_path / "out.ttl"
    convert("varda", write(tmp_path, [record]), out, municipality="049")
    unit = units(graph(out))["Espoo"]
    assert unit["visiting"] == ("Kauppakatu 3", "02100")
    assert unit["postal"] == ("Pääkatu 14", "02100")
    assert_conforms(out)


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"toimintamuoto_koodi": "tm99"}, "toimintamuoto_koodi", "'tm99' is not a service-unit"),
        ({"jarjestamismuoto_koodi": ["jm01", "jm77"]}, "jarjestamismuoto_koodi", "'jm77'"),
        ({"nimi": None, "nimi_sv": None}, "nimi", "no name"),
        ({"kunta_koodi": "999"}, "kunta_koodi", "'999' is not a municipality code"),
        (
            {"kunta_koodi": None, "kayntiosoite_postinumero": "99999"},
            "kayntiosoite_postinumero",
            "not a postcode area",
        ),
    ],
    ids=["bad-type", "bad-form", "no-name", "bad-municipality", "unknown-postcode"],
)
def test_a_bad_record_is_located_and_nothing_is_written(
    tmp_path: Path, change: dict[str, Any], column: str, words: str
) -> None:
    records = [dict(r) for r in RECORDS]
    records[3].update(change)
    for key in [k for k, v in change.items() if v is None]:
        del records[3][key]
    out = tmp_path / "out.ttl"
    with pytest.raises(RowsInvalidError) as raised:
        convert("varda", write(tmp_path, records), out, municipality="049")
    [error] = raised.value.errors
    assert (error.source, error.row, error.column) == ("varda.json", 4, column)
    assert words in error.message
    assert not out.exists()


def test_the_example_converts_to_its_expected_turtle(tmp_path: Path) -> None:
    out = tmp_path / "example.ttl"
    convert("varda", EXAMPLES / "varda" / "units.json", out, municipality="049")
    assert isomorphic(graph(out), graph(EXAMPLES / "varda" / "units.expected.ttl"))
    assert_conforms(EXAMPLES / "varda" / "units.expected.ttl")


def test_cli_exit_codes_skip_invalid_and_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.ttl"
    argv = ["convert", "varda", str(FILE), "--municipality", "049", "--option", f"date={DATE}"]
    assert main([*argv, "-o", str(out), "--validate"]) == 0
    report = capsys.readouterr()
    assert "In the source export:" in report.out
    assert "varda_example_10_toimipaikkaa.json, row 10:" in report.out  # traced to the record
    records = [dict(r) for r in RECORDS]
    records[1]["toimintamuoto_koodi"] = "tm99"
    bad = write(tmp_path, records)
    target = tmp_path / "bad.ttl"
    bad_argv = ["convert", "varda", str(bad), "--municipality", "049", "-o", str(target)]
    assert main(bad_argv) == 1
    assert "varda.json, row 2, column 'toimintamuoto_koodi'" in capsys.readouterr().err
    assert not target.exists()
    assert main([*bad_argv, "--skip-invalid"]) == 0
    err = capsys.readouterr().err
    assert "skipped 1 rows: 2" in err and "converted 9 of 10 rows" in err
    assert len(units(graph(target))) == 9
    # the organiser is needed; an option must be known and well formed
    assert main(["convert", "varda", str(FILE), "-o", str(out)]) == 2
    assert "--municipality" in capsys.readouterr().err
    assert main([*argv[:5], "--option", "date=31.1.2025", "-o", str(out)]) == 2
    assert main([*argv[:5], "--option", "colour=red", "-o", str(out)]) == 2


def test_options_are_checked_before_reading(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no option colour"):
        convert("varda", FILE, tmp_path / "x.ttl", municipality="049", colour="red")
