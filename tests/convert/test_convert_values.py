"""Value parsers, encodings, delimiters, code lookup and mapping files of the converter."""

from __future__ import annotations

import codecs
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic_core import PydanticCustomError

from servicenet_vocab.convert import values
from servicenet_vocab.convert.codes import load_code_lists, normalise
from servicenet_vocab.convert.mapping import load_mapping, parse_mapping
from servicenet_vocab.convert.reading import detect_delimiter, detect_encoding, dig, read_records
from servicenet_vocab.errors import InputError
from servicenet_vocab.namespaces import CODE


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), (" 1 200 ", 1200), ("1\u00a0200", 1200), (7, 7), (3.0, 3), ("-4", -4)],
)
def test_whole_numbers(text: object, expected: int) -> None:
    assert values.parse_int(text) == expected


@pytest.mark.parametrize("text", ["12,5", "12.5", "abc", True, 2.5, ""])
def test_not_whole_numbers_name_the_value(text: object) -> None:
    with pytest.raises(PydanticCustomError) as caught:
        values.parse_int(text)
    assert caught.value.message() == f"'{text}' is not a whole number"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,5", "12.5"),
        ("12.5", "12.5"),
        ("1 234,50", "1234.50"),
        (",5", "0.5"),
        (2, "2"),
        (0.1, "0.1"),
    ],
)
def test_decimals_with_comma_or_point(text: object, expected: str) -> None:
    assert values.parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["1,2,3", "12 m2", False, "e"])
def test_not_decimals(text: object) -> None:
    with pytest.raises(PydanticCustomError, match="is not a number"):
        values.parse_decimal(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.8.2024", date(2024, 8, 1)),
        ("01.08.2024", date(2024, 8, 1)),
        ("2024-08-01", date(2024, 8, 1)),
        ("2024-08-01T00:00:00Z", date(2024, 8, 1)),
        (date(2020, 1, 2), date(2020, 1, 2)),
    ],
)
def test_finnish_and_iso_dates(text: object, expected: date) -> None:
    assert values.parse_date(text) == expected


def test_bad_dates_say_what_is_expected() -> None:
    with pytest.raises(PydanticCustomError, match=r"use d\.m\.yyyy or yyyy-mm-dd"):
        values.parse_date("8/1/2024")
    with pytest.raises(PydanticCustomError, match=r"'31\.2\.2024' is not a valid calendar date"):
        values.parse_date("31.2.2024")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kyllä", True),
        ("Ja", True),
        ("YES", True),
        ("ei", False),
        ("nej", False),
        (False, False),
        ("0", False),
    ],
)
def test_booleans_in_three_languages(text: object, expected: bool) -> None:
    assert values.parse_bool(text) is expected


def test_bad_boolean_and_year_and_text() -> None:
    with pytest.raises(PydanticCustomError, match="is not yes or no"):
        values.parse_bool("ehkä")
    with pytest.raises(PydanticCustomError, match="'1700' is not a year"):
        values.parse_year("1700")
    with pytest.raises(PydanticCustomError, match="is not text"):
        values.parse_text({"fi": "x"})
    assert values.parse_text("  Päiväkoti \u00a0 Kannel ") == "Päiväkoti Kannel"


def test_encodings_detected() -> None:
    text = "Enhet;Namn\nGR-1;Daghemmet Gläntan\n"
    assert detect_encoding(codecs.BOM_UTF8 + text.encode()) == "utf-8-sig"
    assert detect_encoding(text.encode()) == "utf-8"
    assert detect_encoding(text.encode("latin-1")) == "latin-1"
    assert detect_encoding("Hinta 5 € / kk, Gläntan".encode("cp1252")) == "cp1252"


def test_delimiters_sniffed_from_the_header() -> None:
    assert detect_delimiter("a;b;c") == ";"
    assert detect_delimiter("a,b,c") == ","
    assert detect_delimiter("a\tb\tc") == "\t"
    assert detect_delimiter('"x;y",b,c') == ","
    assert detect_delimiter("single") == ","


def test_csv_reading_numbers_rows_like_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "u.csv"
    path.write_bytes(codecs.BOM_UTF8 + "Nimi;Määrä\r\nA;1\r\n\r\nB;2;3\r\n".encode())
    header, records = read_records(path)
    assert header == ["Nimi", "Määrä"]
    rows = list(records)
    assert [(r.row, r.values.get("Nimi")) for r in rows] == [(2, "A"), (4, "B")]
    assert rows[1].problem == "the row has 3 values but the header has 2 columns"


def test_csv_header_problems(tmp_path: Path) -> None:
    twice = tmp_path / "twice.csv"
    twice.write_text("a;b;a\n1;2;3\n", "utf-8")
    with pytest.raises(InputError, match="'a' appears twice") as caught:
        read_records(twice)
    assert caught.value.location is not None and caught.value.location.column == 3
    empty = tmp_path / "empty.csv"
    empty.write_text("", "utf-8")
    with pytest.raises(InputError, match="empty"):
        read_records(empty)
    with pytest.raises(InputError, match="cannot read"):
        read_records(tmp_path / "missing.csv")
    with pytest.raises(InputError, match="unknown encoding"):
        read_records(twice, encoding="klingon")


def test_declared_utf8_that_is_not_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(b"Namn;Ort\n" + b"x;y\n" * 3 + "Gläntan;Grankulla\n".encode("latin-1"))
    _, records = read_records(path, encoding="utf-8")
    with pytest.raises(InputError, match="not valid utf-8 text") as caught:
        list(records)
    assert caught.value.location is not None and caught.value.location.row == 5


def test_json_records_and_paths(tmp_path: Path) -> None:
    path = tmp_path / "units.json"
    path.write_text('{"results": [{"a": {"b": [{"c": 1}]}}, 5]}', "utf-8")
    header, records = read_records(path, records="results")
    rows = list(records)
    assert header == ["a"]
    assert dig(rows[0].values, "a.b.0.c") == 1
    assert dig(rows[0].values, "a.x.0") is None and dig(rows[0].values, "a.b.7") is None
    assert rows[1].problem == "expected an object, found int"
    with pytest.raises(InputError, match="expected a list of records at 'data'"):
        read_records(path, records="data")
    bad = tmp_path / "bad.json"
    bad.write_text('{"a": ', "utf-8")
    with pytest.raises(InputError, match="not valid JSON") as caught:
        read_records(bad)
    assert caught.value.location is not None and caught.value.location.line == 1


def test_code_lookup_by_notation_label_and_system_codes() -> None:
    codes = load_code_lists()
    form = codes["organisation-form"]
    municipal = CODE + "organisation-form/municipal"
    for text in (
        "municipal",
        "Kunnan oma toiminta",
        "kommunens  egen verksamhet",
        "jm01",
        "MUNICIPAL",
    ):
        assert form.lookup(text) == municipal
    assert codes["age-group"].lookup("3–5-åringar") == CODE + "age-group/3-5"
    assert form.lookup("oma", {"oma": municipal}) == municipal
    with pytest.raises(PydanticCustomError) as caught:
        form.lookup("kunnalinen")
    assert (
        "'kunnalinen' is not an organisation-form code; expected one of fully-private"
        in caught.value.message()
    )
    with pytest.raises(PydanticCustomError, match="a notation or a fi/sv/en label"):
        codes["municipality"].lookup("Atlantis")
    with pytest.raises(InputError, match="no code list named"):
        codes["colours"]
    assert form.concept("private") == CODE + "organisation-form/private"
    with pytest.raises(KeyError):
        form.concept("none")
    assert normalise("  Päivä–koti ") == "päivä-koti"


def test_ambiguous_code_text_is_refused() -> None:
    codes = load_code_lists()
    form = codes["organisation-form"]
    form.add_key("yhteinen", CODE + "organisation-form/private")
    form.add_key("yhteinen", CODE + "organisation-form/municipal")
    with pytest.raises(PydanticCustomError, match="names more than one concept"):
        form.lookup("yhteinen")
    del form.keys["yhteinen"]


def test_code_list_without_concepts_is_an_input_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty-list.ttl"
    empty.write_text("<urn:a> <urn:b> <urn:c> .\n", "utf-8")
    with pytest.raises(InputError, match="no concepts"):
        load_code_lists([empty])


def test_mapping_errors_name_the_key_or_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not valid YAML") as caught:
        parse_mapping("kind: units\ncolumns: [a\n", source="m.yaml")
    assert caught.value.location is not None and caught.value.location.line == 3
    with pytest.raises(InputError, match="must be a YAML mapping"):
        parse_mapping("- a\n")
    with pytest.raises(InputError, match="ending in '/'") as caught:
        parse_mapping("kind: units\nbase_iri: https://x.fi/a\n")
    assert caught.value.location is not None and caught.value.location.path == "base_iri"
    with pytest.raises(InputError, match="3-digit"):
        parse_mapping("kind: units\nbase_iri: https://x.fi/\nmunicipality: '91'\n")
    with pytest.raises(InputError, match="language tags"):
        parse_mapping("kind: units\nbase_iri: https://x.fi/\ndataset: {title: {de: X}}\n")
    with pytest.raises(InputError, match="one character"):
        parse_mapping("kind: units\nbase_iri: https://x.fi/\nsource: {delimiter: ';;'}\n")
    with pytest.raises(InputError, match="non-empty column name"):
        parse_mapping("kind: units\nbase_iri: https://x.fi/\ncolumns: {id: ' '}\n")
    with pytest.raises(InputError, match="and 1 more problem"):
        parse_mapping("kind: units\nbase_iri: x\nmunicipality: x\n")
    assert (
        parse_mapping("kind: units\nbase_iri: https://x.fi/\nmunicipality: 91\n").municipality
        == "091"
    )
    assert (
        parse_mapping(
            "kind: units\nbase_iri: https://x.fi/\nsource: {delimiter: tab}\n"
        ).source.delimiter
        == "\t"
    )
    with pytest.raises(InputError, match="cannot read mapping"):
        load_mapping(tmp_path / "none.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("kind: units # Gläntan\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_mapping(latin)


def test_lineage_maps_output_lines_to_source_rows(tmp_path: Path) -> None:
    from servicenet_vocab.convert.lineage import RowIndex, column_of

    turtle = tmp_path / "out.ttl"
    turtle.write_text(
        "@prefix sn: <x:> .\n\n# units.csv row 2\n<u:1> sn:a 1 .\n\n# units.csv row 5\n<u:2> sn:a 2 .\n"
    )
    index = RowIndex(turtle)
    assert index.row_of(1) is None
    assert index.row_of(4) == ("units.csv", 2)
    assert index.row_of(99) == ("units.csv", 5)
    mapping = parse_mapping(
        "kind: units\nbase_iri: https://x.fi/\ncolumns: {opening_date: Alku, name_fi: Nimi}\n"
    )
    assert column_of("https://w3id.org/servicenet/ontology#openingDate", mapping) == "Alku"
    assert column_of("<http://www.w3.org/2000/01/rdf-schema#label>", mapping) == "Nimi"
    assert column_of(None, mapping) is None
