"""Converting city exports: every example against its expected RDF, validated with the shapes;
the real Tampere eVaka export; each kind of row error with its row and column; the CLI contract."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic

from servicenet_vocab.cli import main
from servicenet_vocab.convert import RowsInvalidError, convert_file, convert_stream, get_kind
from servicenet_vocab.convert.mapping import parse_mapping
from servicenet_vocab.errors import InputError
from servicenet_vocab.validation import Severity, validate
from servicenet_vocab.validation import formats as report_formats
from servicenet_vocab.vocabulary.files import project_root

ROOT = project_root()
EXAMPLES = ROOT / "examples" / "integrator"
TAMPERE = ROOT / "tests" / "data" / "sources" / "evaka" / "evaka_tampere_daycares_extract.csv"

# kind, export; the mapping is <export>.mapping.yaml and the expected RDF <export>.expected.ttl
CASES = [
    ("units", "helsinki/units.csv"),
    ("forecast", "helsinki/forecast.csv"),
    ("offers", "helsinki/offers.csv"),
    ("units", "kauniainen/units.csv"),
    ("premises", "kauniainen/premises.csv"),
    ("capacity", "kauniainen/capacity.csv"),
    ("units", "turku/units.json"),
    ("units", "espoo/units.csv"),
    ("survey", "espoo/survey.csv"),
]
# Files of one city validated together, so references between them (unit IRIs) resolve.
CITIES = {
    "helsinki": ["units", "forecast", "offers"],
    "kauniainen": ["units", "premises", "capacity"],
    "turku": ["units"],
    "espoo": ["units", "survey"],
    "vantaa": ["units"],
}


def graph_of(data: bytes) -> rdflib.Graph:
    return rdflib.Graph().parse(data=data.decode("utf-8"), format="turtle")


def expected(export: Path) -> Path:
    return export.with_name(export.stem + ".expected.ttl")


@pytest.mark.parametrize(("kind", "name"), CASES, ids=[name for _, name in CASES])
def test_example_converts_to_its_expected_rdf(kind: str, name: str, tmp_path: Path) -> None:
    export = EXAMPLES / name
    out = tmp_path / "out.ttl"
    result = convert_file(
        get_kind(kind), export, mapping=export.with_name(export.stem + ".mapping.yaml"), output=out
    )
    # (Turku's register also lists units of other services: left out by the mapping's where:)
    assert result.errors == [] and result.converted == result.rows - result.left_out > 0
    assert isomorphic(graph_of(out.read_bytes()), graph_of(expected(export).read_bytes()))


def test_the_three_required_export_shapes_are_there() -> None:
    assert (EXAMPLES / "helsinki/units.csv").read_bytes().startswith(codecs.BOM_UTF8)
    assert b";" in (EXAMPLES / "helsinki/units.csv").read_bytes().splitlines()[0]
    swedish = (EXAMPLES / "kauniainen/premises.csv").read_bytes()
    assert "Våningsyta".encode("latin-1") in swedish
    with pytest.raises(UnicodeDecodeError):
        swedish.decode("utf-8")
    turku = (EXAMPLES / "turku/units.json").read_text("utf-8")  # the register's real shape
    assert turku.lstrip().startswith("[") and '"fyysinenPaikka"' in turku


def test_jsonld_example_converts_with_the_local_context(tmp_path: Path) -> None:
    out = tmp_path / "vantaa.ttl"
    code = main(["convert", "jsonld", str(EXAMPLES / "vantaa/units.jsonld"), "-o", str(out)])
    assert code == 0
    assert isomorphic(
        graph_of(out.read_bytes()), graph_of((EXAMPLES / "vantaa/units.expected.ttl").read_bytes())
    )


@pytest.mark.parametrize("city", sorted(CITIES))
def test_expected_rdf_has_no_violations(city: str) -> None:
    files = [EXAMPLES / city / f"{stem}.expected.ttl" for stem in CITIES[city]]
    report = validate(files)
    violations = [r for r in report.results if r.severity is Severity.VIOLATION]
    assert violations == [], [f"{r.focus_node} {r.message}" for r in violations]


def test_real_tampere_evaka_export_converts_and_validates(tmp_path: Path) -> None:
    out = tmp_path / "tampere.ttl"
    result = convert_file(
        get_kind("units"),
        TAMPERE,
        mapping=EXAMPLES / "tampere/evaka-daycares.mapping.yaml",
        output=out,
    )
    assert (result.rows, result.converted, result.errors) == (144, 144, [])
    graph = graph_of(out.read_bytes())
    clubs = list(
        graph.query("PREFIX sn: <https://w3id.org/servicenet/ontology#> SELECT ?u { ?u a sn:Club }")
    )
    assert len(clubs) == 10  # and 134 daycare centres: the export's CLUB and CENTRE rows
    centres = graph.query(
        "PREFIX sn: <https://w3id.org/servicenet/ontology#> SELECT ?u { ?u a sn:DaycareCentre }"
    )
    assert len(list(centres)) == 134
    # Tampere publishes, but each unit lies in the municipality of its postcode.
    by_municipality = dict(
        graph.query(
            "PREFIX sn: <https://w3id.org/servicenet/ontology#> SELECT ?m (COUNT(?u) AS ?n) "
            "{ ?u a sn:ServiceUnit ; sn:municipality ?m } GROUP BY ?m"
        )
    )
    counts = {str(m).rsplit("/", 1)[1]: int(n) for m, n in by_municipality.items()}
    assert counts == {"837": 123, "211": 7, "418": 4, "536": 3, "604": 3, "980": 4}
    report = validate([out])
    assert not report.fails(Severity.VIOLATION), report_formats.text(report)


# --- row errors: file, row, column, value and what was expected -------------------------------

UNITS_MAPPING = """
kind: units
municipality: "091"
base_iri: https://data.example.fi/
columns:
  id: Tunnus
  name_fi: Nimi
  unit_type: Tyyppi
  organisation_form: Järjestämismuoto
  latitude: Lat
  longitude: Lon
  opening_date: Alku
  closing_date: Loppu
  places: Kapasiteetti
  postal_code: Postinumero
constants:
  capacity_date: 2024-12-31
"""
HEADER = "Tunnus;Nimi;Tyyppi;Järjestämismuoto;Lat;Lon;Alku;Loppu;Kapasiteetti;Postinumero"
GOOD = "1;Päiväkoti A;päiväkoti;kunnan oma toiminta;60,17;24,94;1.8.2020;;40;00100"


def run_units(
    tmp_path: Path, *rows: str, mapping: str = UNITS_MAPPING, skip: bool = False
) -> tuple[Path, Path]:
    export = tmp_path / "units.csv"
    export.write_bytes(codecs.BOM_UTF8 + "\r\n".join([HEADER, *rows]).encode("utf-8"))
    out = tmp_path / "units.ttl"
    convert_file(
        get_kind("units"), export, mapping=parse_mapping(mapping), output=out, skip_invalid=skip
    )
    return export, out


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (
            "1;A;päiväkoti;kunnan oma toiminta;60,17;24,94;1.8.2020;;12,5;00100",
            "Kapasiteetti",
            "'12,5' is not a whole number",
        ),
        (
            "1;A;päiväkoti;kunnan oma toiminta;60,17;24,94;1.8.2020;;-3;00100",
            "Kapasiteetti",
            "'-3' is negative; expected 0 or more",
        ),
        (
            "1;A;päiväkoti;kunnan oma toiminta;60,17;24,94;32.1.2020;;40;00100",
            "Alku",
            "'32.1.2020' is not a valid calendar date",
        ),
        (
            "1;A;päiväkoti;kunnalinen;60,17;24,94;1.8.2020;;40;00100",
            "Järjestämismuoto",
            "'kunnalinen' is not an organisation-form code; expected one of fully-private",
        ),
        (
            "1;;päiväkoti;kunnan oma toiminta;60,17;24,94;1.8.2020;;40;00100",
            "Nimi",
            "the unit has no name in Finnish or Swedish",
        ),
        (
            "1;A;;kunnan oma toiminta;60,17;24,94;1.8.2020;;40;00100",
            "Tyyppi",
            "is empty; a value is required",
        ),
        (
            "1;A;päiväkoti;kunnan oma toiminta;24,94;60,17;1.8.2020;;40;00100",
            "Lat",
            "'24.94' looks like a longitude",
        ),
        (
            "1;A;päiväkoti;kunnan oma toiminta;6672000;385000;1.8.2020;;40;00100",
            "Lat",
            "'6672000' is not a WGS84 latitude",
        ),
        (
            "1;A;päiväkoti;kunnan oma toiminta;60,17;40,1;1.8.2020;;40;00100",
            "Lon",
            "'40.1' is not a WGS84 longitude",
        ),
        (
            "1;A;päiväkoti;kunnan oma toiminta;60,17;;1.8.2020;;40;00100",
            "Lon",
            "is empty although the other coordinate is given",
        ),
        (
            "1;A;päiväkoti;kunnan oma toiminta;60,17;24,94;1.8.2020;1.8.2019;40;00100",
            "Loppu",
            "'2019-08-01' is before the opening date 2020-08-01",
        ),
        (
            "1;A;päiväkoti;kunnan oma toiminta;60,17;24,94;1.8.2020;;40;100",
            "Postinumero",
            "'100' is not a five-digit postal code",
        ),
        (
            "1;A;päiväkoti;kunnan oma toiminta;60,17;24,94;1.8.2020;;40",
            None,
            "the row has 9 values but the header has 10 columns",
        ),
    ],
)
def test_each_row_error_names_file_row_column_and_value(
    tmp_path: Path, row: str, column: str | None, message: str
) -> None:
    with pytest.raises(RowsInvalidError) as caught:
        run_units(tmp_path, GOOD, row)
    [error] = caught.value.errors
    assert (error.source, error.row, error.column) == ("units.csv", 3, column)
    assert message in error.message
    prefix = f"units.csv, row 3, column '{column}': " if column else "units.csv, row 3: "
    assert str(error).startswith(prefix)
    assert not (tmp_path / "units.ttl").exists(), "nothing is written when a row fails"


def test_the_issues_example_message(tmp_path: Path) -> None:
    rows = [GOOD.replace("1;", f"{n};", 1) for n in range(2, 14)]
    with pytest.raises(RowsInvalidError) as caught:
        run_units(tmp_path, *rows, "14;B;päiväkoti;jm01;60,2;24,9;1.8.2020;;12,5;00100")
    assert (
        str(caught.value.errors[0])
        == "units.csv, row 14, column 'Kapasiteetti': '12,5' is not a whole number"
    )


def test_all_row_errors_are_collected_and_reported_together(tmp_path: Path) -> None:
    bad = [
        "9;X;päiväkoti;x;60,1;24,9;1.8.2020;;1,5;00100",
        "8;Y;sauna;jm01;60,1;24,9;1.8.2020;;4;00100",
    ]
    with pytest.raises(RowsInvalidError) as caught:
        run_units(tmp_path, GOOD, *bad)
    error = caught.value
    assert [(e.row, e.column) for e in error.errors] == [
        (3, "Järjestämismuoto"),
        (3, "Kapasiteetti"),
        (4, "Tyyppi"),
    ]
    assert error.summary.startswith("3 errors in 2 of 3 rows; nothing was written")
    assert error.to_dict()["errors"][1] == {
        "source": "units.csv",
        "row": 3,
        "column": "Kapasiteetti",
        "message": "'1,5' is not a whole number",
        "value": "1,5",
    }


def test_duplicate_unit_iris_name_the_earlier_row(tmp_path: Path) -> None:
    with pytest.raises(RowsInvalidError) as caught:
        run_units(tmp_path, GOOD, GOOD)
    [error] = caught.value.errors
    assert (error.row, error.column) == (3, "Tunnus")
    assert "that row 2 gave too" in error.message


def test_skip_invalid_writes_the_good_rows_and_lists_the_rest(tmp_path: Path) -> None:
    export = tmp_path / "units.csv"
    export.write_text(
        "\n".join([HEADER, GOOD, "2;B;päiväkoti;jm01;60,1;24,9;1.8.2020;;x;00100"]), "utf-8"
    )
    out = tmp_path / "units.ttl"
    result = convert_file(
        get_kind("units"),
        export,
        mapping=parse_mapping(UNITS_MAPPING),
        output=out,
        skip_invalid=True,
    )
    assert (result.rows, result.converted, result.skipped_rows) == (2, 1, [3])
    graph = graph_of(out.read_bytes())
    assert (rdflib.URIRef("https://data.example.fi/unit/1"), None, None) in graph
    assert (rdflib.URIRef("https://data.example.fi/unit/2"), None, None) not in graph


def test_iri_template_problems_are_row_errors(tmp_path: Path) -> None:
    mapping = UNITS_MAPPING + "iris:\n  unit: https://data.example.fi/unit/{name_fi}/{tpr_id}\n"
    with pytest.raises(RowsInvalidError) as caught:
        run_units(tmp_path, GOOD, mapping=mapping)
    [error] = caught.value.errors
    assert error.column == "tpr_id" and "needs it" in error.message


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (
            UNITS_MAPPING.replace("kind: units", "kind: premises"),
            "the mapping is for kind 'premises'",
        ),
        (UNITS_MAPPING + "  colour: red\n", "colour is not a field of kind 'units'"),
        (
            UNITS_MAPPING.replace("  unit_type: Tyyppi\n", ""),
            "required field unit_type must be mapped",
        ),
        (UNITS_MAPPING + "values:\n  name_fi: {a: b}\n", "name_fi hold no code-list values"),
        (
            UNITS_MAPPING + "values:\n  organisation_form: {oma: nobody}\n",
            "'nobody' is not an organisation-form code",
        ),
        (
            UNITS_MAPPING.replace('municipality: "091"', 'municipality: "999"'),
            "'999' is not a municipality code",
        ),
        (UNITS_MAPPING.replace('municipality: "091"\n', ""), "the municipality is not known"),
        (UNITS_MAPPING + "iris:\n  school: x/{id}\n", "has IRI patterns unit, area, capacity only"),
        (UNITS_MAPPING + "iris:\n  unit: x/{colour}\n", "uses colour, not fields"),
        (
            UNITS_MAPPING.replace("Kapasiteetti", "Paikat"),
            "column 'Paikat' named in the mapping is not in the file",
        ),
        (UNITS_MAPPING + "dataset: {iri: 'https://x y'}\n", "is not a valid IRI"),
    ],
)
def test_mapping_that_does_not_fit_is_an_input_error(
    tmp_path: Path, mapping: str, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        run_units(tmp_path, GOOD, mapping=mapping)
    assert message in str(caught.value)
    assert not isinstance(caught.value, RowsInvalidError)


# --- the other kinds' own checks ---------------------------------------------------------------


def convert_rows(
    tmp_path: Path, kind: str, header: str, rows: list[str], columns: str
) -> tuple[int, list[str]]:
    export = tmp_path / f"{kind}.csv"
    export.write_text("\n".join([header, *rows]), "utf-8")
    mapping = parse_mapping(
        f"kind: {kind}\nmunicipality: '049'\nbase_iri: https://e.fi/\n{columns}"
    )
    result = convert_stream(get_kind(kind), export, mapping, io.BytesIO())
    return result.converted, [str(e) for e in result.errors]


def test_premises_checks(tmp_path: Path) -> None:
    header = "id,building,area,from,to,unit,open"
    columns = "columns: {id: id, building_id: building, floor_area: area, use_from: from, use_to: to, unit_id: unit, accessible: open}\n"
    converted, errors = convert_rows(
        tmp_path,
        "premises",
        header,
        [
            'P1,103066585R,"812,5",1.8.2020,,U1,kyllä',
            "P2,12,10,,,,",
            "P3,,0,,,,",
            "P4,,,1.8.2020,1.1.2020,U1,",
            "P5,,,1.1.2020,,,",
            "P6,,,,,,ehkä",
        ],
        columns,
    )
    assert converted == 1
    assert errors == [
        "premises.csv, row 3, column 'building': '12' is not a permanent building ID (VTJ-PRT, e.g. 103066585R)",
        "premises.csv, row 4, column 'area': '0' is not a positive floor area in m²",
        "premises.csv, row 5, column 'to': '2020-01-01' is before the start of use 2020-08-01",
        "premises.csv, row 6, column 'unit': is empty although a period of use is given",
        "premises.csv, row 7, column 'open': 'ehkä' is not yes or no (kyllä/ei, ja/nej, yes/no, 1/0)",
    ]


def test_capacity_forecast_survey_and_offer_checks(tmp_path: Path) -> None:
    _, errors = convert_rows(
        tmp_path,
        "capacity",
        "u,d,a,p,e",
        ["U1,31.12.2024,1-2,,"],
        "columns: {unit_id: u, reference_date: d, age_group: a, places: p, enrolled: e}\n",
    )
    assert errors == [
        "capacity.csv, row 2, column 'p': is empty and so is the number of enrolled children; give one"
    ]
    converted, errors = convert_rows(
        tmp_path,
        "forecast",
        "area,year,age,pop",
        ["0911,2030,1-2,100", "0911,2030,7-99,5"],
        "columns: {area_code: area, year: year, age_group: age, population: pop}\nconstants: {vintage: 2024, scenario: baseline}\n",
    )
    assert converted == 1 and errors[0].startswith(
        "forecast.csv, row 3, column 'age': '7-99' is not an age-group code"
    )
    _, errors = convert_rows(
        tmp_path,
        "survey",
        "s,q,u,n,i,m,top",
        ["S,Q1,,3,,,", "S,Q1,U1,30,20,,", 'S,Q1,U2,3,5,"5,5",5'],
        "columns: {survey_id: s, question_id: q, unit_id: u, response_count: n, invitation_count: i, mean_score: m, scale_max: top}\n",
    )
    assert errors == [
        "survey.csv, row 2, column 'u': is empty and no area is given; a result belongs to a unit or an area",
        "survey.csv, row 3, column 'n': '30' responses exceed the 20 invitations",
        "survey.csv, row 4, column 'm': '5.5' is outside the answer scale 1–5",
    ]
    _, errors = convert_rows(
        tmp_path,
        "offers",
        "area,year,sent,acc,dec",
        ["0911,2025-2027,10,1,1", "0911,2025-2026,10,8,5", "0911,2025-2026,10,8,1"],
        "columns: {area_code: area, school_year: year, offers_sent: sent, offers_accepted: acc, offers_declined: dec}\n",
    )
    assert errors == [
        "offers.csv, row 2, column 'year': '2025-2027' is not a school year like 2025-2026",
        "offers.csv, row 3, column 'acc': accepted plus declined (13) exceed the 10 offers sent",
    ]


# --- the command line ---------------------------------------------------------------------------


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    export = tmp_path / "units.csv"
    export.write_text(
        "\n".join([HEADER, GOOD, "2;B;päiväkoti;jm01;60,1;24,9;1.8.2020;;12,5;00100"]), "utf-8"
    )
    mapping = tmp_path / "units.mapping.yaml"
    mapping.write_text(UNITS_MAPPING, "utf-8")
    out = tmp_path / "out.ttl"
    assert main(["convert", "units", str(export), "-o", str(out)]) == 1  # sidecar mapping found
    err = capsys.readouterr().err
    assert "units.csv, row 3, column 'Kapasiteetti': '12,5' is not a whole number" in err
    assert not out.exists()
    assert main(["convert", "units", str(export), "-o", str(out), "--skip-invalid"]) == 0
    err = capsys.readouterr().err
    assert "converted 1 of 2 rows" in err and "skipped 1 rows: 3" in err and out.is_file()
    assert main(["convert", "units", str(tmp_path / "none.csv"), "--mapping", str(mapping)]) == 2
    assert main(["convert", "premises", str(export)]) == 2
    assert "the mapping is for kind 'units'" in capsys.readouterr().err
    lonely = tmp_path / "lonely.csv"
    lonely.write_text(HEADER + "\n", "utf-8")
    assert main(["convert", "units", str(lonely)]) == 2
    assert "no mapping file" in capsys.readouterr().err


def test_cli_to_stdout_and_ntriples(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    export = EXAMPLES / "espoo/units.csv"
    assert main(["convert", "units", str(export)]) == 0
    ttl = capsysbinary.readouterr().out
    assert b"# units.csv row 2" in ttl
    nt = tmp_path / "espoo.nt"
    assert main(["convert", "units", str(export), "-o", str(nt)]) == 0
    reference = graph_of(ttl)
    assert isomorphic(rdflib.Graph().parse(nt, format="nt"), reference)


def test_cli_validate_reports_and_sets_the_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    survey = EXAMPLES / "espoo/survey.csv"
    units = EXAMPLES / "espoo/units.expected.ttl"
    out = tmp_path / "survey.ttl"
    assert (
        main(
            [
                "convert",
                "survey",
                str(survey),
                "-o",
                str(out),
                "--validate",
                "--validate-with",
                str(units),
            ]
        )
        == 0
    )
    assert "minimum cell size" in capsys.readouterr().out
    # Without the units the survey's unit references do not resolve: a violation, exit 1, and each
    # result is traced back to the export's row and column.
    assert main(["convert", "survey", str(survey), "--validate"]) == 1
    captured = capsys.readouterr()
    assert "Survey result" in captured.err and "sn:SurveyResult" in captured.out
    assert "VIOLATION survey.csv, row 2, column 'toimipaikka': Survey result" in captured.err
    assert "WARNING   survey.csv, row 4: 4 responses" in captured.err


def test_cli_jsonld_refuses_remote_contexts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "x.jsonld"
    doc.write_text('{"@context": "https://schema.org/", "name": "x"}', "utf-8")
    assert main(["convert", "jsonld", str(doc)]) == 2
    assert "never fetched" in capsys.readouterr().err
    assert main(["convert", "jsonld", str(tmp_path / "none.jsonld")]) == 2
