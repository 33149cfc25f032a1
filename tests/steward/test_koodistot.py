"""``servicenet export koodistot`` / ``import koodistot``: SKOS code lists through the
Interoperability Platform's code-list workbook, CSV and JSON, and back to the same SKOS."""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path

import openpyxl
import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic

from servicenet_vocab import namespaces as ns
from servicenet_vocab.cli import main
from servicenet_vocab.errors import InputError
from servicenet_vocab.quality.sources import parse_file, to_graph
from servicenet_vocab.steward import koodistot
from servicenet_vocab.vocabulary.files import vocabulary_files

PLANTED = """
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix sn:   <https://w3id.org/servicenet/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix c:    <https://example.org/code/colour/> .

<https://example.org/code/colour> a skos:ConceptScheme ;
    dct:title "Värit"@fi , "Färger"@sv , "Colours"@en ;
    skos:definition "Värit testiä varten."@fi , "Colours for a test."@en ;
    dct:description "Kuvaus."@fi ;
    dct:source "Made up for the test." ;
    sn:validFrom "2020-01-01"^^xsd:date ;
    skos:hasTopConcept c:warm .

c:warm a skos:Concept ; skos:inScheme <https://example.org/code/colour> ; skos:notation "W" ;
    skos:prefLabel "lämmin"@fi , "varm"@sv , "warm"@en ; schema:position 1 ;
    skos:narrower c:red .
c:red a skos:Concept ; skos:inScheme <https://example.org/code/colour> ; skos:notation "R" ;
    skos:prefLabel "punainen"@fi , "röd"@sv , "red"@en ;
    skos:definition "Veren väri."@fi , "The colour of blood."@en ;
    skos:scopeNote "Käytä vain testissä."@fi ;
    schema:position 2 ; sn:validFrom "2021-02-03"^^xsd:date ; sn:validTo "2030-12-31"^^xsd:date .
c:crimson a skos:Concept ; skos:inScheme <https://example.org/code/colour> ; skos:notation "C" ;
    skos:broader c:red ; skos:prefLabel "karmiini"@fi , "karmosin"@sv , "crimson"@en ;
    owl:deprecated true ; dct:isReplacedBy c:red .
c:old-orange a skos:Concept ; skos:inScheme <https://example.org/code/colour> ; skos:notation "O" ;
    skos:broader c:warm ; skos:prefLabel "oranssi"@fi , "orange"@sv , "orange"@en ;
    owl:deprecated true ; skos:note "untagged notes have no column" .
"""
MULTI = """
c:purple a skos:Concept ; skos:inScheme <https://example.org/code/colour> ; skos:notation "P" ;
    skos:broader c:red , c:warm ; skos:prefLabel "violetti"@fi , "lila"@sv , "purple"@en .
"""
SCHEME = rdflib.URIRef("https://example.org/code/colour")


def _prefixes() -> str:
    return PLANTED.split("\n<https://example.org/code/colour>")[0]


def planted(extra: str = "") -> rdflib.Graph:
    return rdflib.Graph().parse(
        data=PLANTED + (_prefixes() + extra if extra else ""), format="turtle"
    )


def assert_same_skos(
    source: rdflib.Graph, back: rdflib.Graph, schemes: list[rdflib.URIRef]
) -> None:
    expected = koodistot.skos_projection(source, schemes)
    got = koodistot.skos_projection(back)
    if not isomorphic(expected, got):
        _, only_source, only_back = graph_diff(expected, got)
        pytest.fail(
            f"round trip differs:\nonly in the source:\n{sorted(only_source)[:10]}\n"
            f"only after the round trip:\n{sorted(only_back)[:10]}"
        )


def project_codelists() -> rdflib.Graph:
    paths = [f.path for f in vocabulary_files() if f.graph == ns.CODELISTS_GRAPH]
    return to_graph([q for p in paths for q in parse_file(p)])


def test_every_project_code_list_round_trips_through_its_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = project_codelists()
    schemes = koodistot.schemes_in(source)
    assert schemes, "the project has code lists"
    assert main(["export", "koodistot", "-o", str(tmp_path / "x")]) == 0
    printed = capsys.readouterr().out
    workbooks = sorted((tmp_path / "x").glob("*.xlsx"))
    assert len(workbooks) == len(schemes)
    for scheme in schemes:
        path = tmp_path / "x" / f"{koodistot.last_segment(scheme)}.xlsx"
        assert f"wrote {path}" in printed
        out = tmp_path / f"{path.stem}.ttl"
        assert main(["import", "koodistot", str(path), "-o", str(out)]) == 0
        back = rdflib.Graph().parse(out)
        assert_same_skos(source, back, [scheme])
        # every concept of the scheme came back, under its own IRI
        assert koodistot.members(back, scheme) == koodistot.members(source, scheme)


def test_workbook_has_the_services_sheets_columns_and_values(tmp_path: Path) -> None:
    (export,) = koodistot.export_schemes(planted(MULTI))
    path = tmp_path / "colour.xlsx"
    koodistot.write_workbook(export, path, information_domain="P9")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["CodeSchemes", "Codes"]
    schemes = [[c.value for c in row] for row in book["CodeSchemes"].iter_rows()]
    header, row = schemes
    scheme = dict(zip(header, row, strict=True))
    assert scheme["CODEVALUE"] == "colour" and scheme["STATUS"] == "VALID"
    assert scheme["INFORMATIONDOMAIN"] == "P9" and scheme["LANGUAGECODE"] == "en;fi;sv"
    assert scheme["PREFLABEL_SV"] == "Färger" and scheme["STARTDATE"] == "2020-01-01"
    assert scheme["DESCRIPTION_FI"] == "Kuvaus." and scheme["SOURCE"] == "Made up for the test."
    rows = [[c.value for c in r] for r in book["Codes"].iter_rows()]
    header = rows[0]
    for column in (
        "CODEVALUE",
        "BROADER",
        "STATUS",
        "PREFLABEL_FI",
        "PREFLABEL_SV",
        "PREFLABEL_EN",
        "DEFINITION_FI",
        "DEFINITION_SV",
        "DEFINITION_EN",
        "ORDER",
        "STARTDATE",
        "ENDDATE",
    ):
        assert column in header
    codes = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert list(codes)[:2] == ["W", "R"]  # ORDER first
    assert codes["R"]["BROADER"] == "W" and codes["R"]["ORDER"] == 2
    assert codes["R"]["STARTDATE"] == "2021-02-03" and codes["R"]["ENDDATE"] == "2030-12-31"
    assert codes["R"]["DESCRIPTION_FI"] == "Käytä vain testissä."
    assert codes["C"]["STATUS"] == "SUPERSEDED" and codes["O"]["STATUS"] == "RETIRED"
    assert codes["W"]["STATUS"] == "VALID" and codes["W"]["BROADER"] in (None, "")
    assert codes["P"]["BROADER"] == "R" and codes["P"]["ADDITIONAL_BROADER"] == "W"
    assert export.not_carried["skos:note"] == 1
    assert any("more than one broader" in w for w in export.warnings)


def test_planted_code_list_round_trips(tmp_path: Path) -> None:
    source = planted(MULTI)
    (export,) = koodistot.export_schemes(source)
    path = tmp_path / "colour.xlsx"
    koodistot.write_workbook(export, path)
    back, warnings = koodistot.to_graph(koodistot.read_koodistot(path))
    assert warnings == []
    assert_same_skos(source, back, [SCHEME])
    red = rdflib.URIRef("https://example.org/code/colour/red")
    assert (red, koodistot.VALID_TO, rdflib.Literal("2030-12-31", datatype=rdflib.XSD.date)) in back


def test_round_trip_catches_a_lost_statement(tmp_path: Path) -> None:
    source = planted()
    (export,) = koodistot.export_schemes(source)
    export.scheme.codes[1].definition.pop("en")  # lose one definition on the way
    path = tmp_path / "colour.xlsx"
    koodistot.write_workbook(export, path)
    back, _ = koodistot.to_graph(koodistot.read_koodistot(path))
    assert not isomorphic(
        koodistot.skos_projection(source, [SCHEME]), koodistot.skos_projection(back)
    )


def service_json(export: koodistot.Export) -> dict[str, object]:
    """The codelist-api's JSON of codes (CodeDTO: ids, broaderCodeId), built from the rows."""
    ids = {c.code_value: str(uuid.uuid4()) for c in export.scheme.codes}
    results = []
    for code in export.scheme.codes:
        item: dict[str, object] = {
            "id": ids[code.code_value],
            "codeValue": code.code_value,
            "uri": code.uri,
            "status": code.status,
            "order": code.order,
            "startDate": code.start.isoformat() if code.start else None,
            "endDate": code.end.isoformat() if code.end else None,
            "prefLabel": code.pref_label,
            "definition": code.definition,
            "description": code.description,
            "created": "2024-01-01T10:00:00.000Z",
        }
        if code.broader:
            item["broaderCodeId"] = ids[code.broader[0]]
        results.append(item)
    return {"meta": {"code": 200, "resultCount": len(results)}, "results": results}


def test_service_json_export_imports_to_the_same_skos(tmp_path: Path) -> None:
    source = planted()
    (export,) = koodistot.export_schemes(source)
    path = tmp_path / "codes.json"
    path.write_text(json.dumps(service_json(export)), encoding="utf-8")
    out = tmp_path / "codes.ttl"
    assert main(["import", "koodistot", str(path), "-o", str(out), "--scheme", str(SCHEME)]) == 0
    back = rdflib.Graph().parse(out)
    # the codes' JSON carries no scheme names: compare the concepts
    expected = koodistot.skos_projection(source, [SCHEME])
    for p in (
        rdflib.DCTERMS.title,
        rdflib.SKOS.definition,
        rdflib.DCTERMS.description,
        rdflib.DCTERMS.source,
        koodistot.VALID_FROM,
    ):
        expected.remove((SCHEME, p, None))
    assert isomorphic(expected, koodistot.skos_projection(back))


def test_service_csv_export_imports_to_the_same_skos(tmp_path: Path) -> None:
    source = planted()
    (export,) = koodistot.export_schemes(source)
    path = tmp_path / "codes.csv"
    # the columns of the service's CSV export (CodeExporter.createCsv), code URIs of its form
    header = [
        "CODEVALUE",
        "URI",
        "ORDER",
        "BROADER",
        "STATUS",
        "PREFLABEL_FI",
        "PREFLABEL_SV",
        "PREFLABEL_EN",
        "DEFINITION_FI",
        "DEFINITION_EN",
        "DESCRIPTION_FI",
        "SHORTNAME",
        "CONCEPTURI",
        "SUBCODESCHEME",
        "HIERARCHYLEVEL",
        "STARTDATE",
        "ENDDATE",
        "CREATED",
        "MODIFIED",
        "HREF",
    ]
    base = "http://uri.suomi.fi/codelist/test/colour/code/"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for c in export.scheme.codes:
            writer.writerow(
                [
                    c.code_value,
                    base + c.code_value,
                    c.order or "",
                    c.broader[0] if c.broader else "",
                    c.status,
                    c.pref_label.get("fi", ""),
                    c.pref_label.get("sv", ""),
                    c.pref_label.get("en", ""),
                    c.definition.get("fi", ""),
                    c.definition.get("en", ""),
                    c.description.get("fi", ""),
                    "",
                    "",
                    "",
                    "",
                    c.start.isoformat() if c.start else "",
                    c.end.isoformat() if c.end else "",
                    "2024-01-01 10:00:00",
                    "",
                    "",
                ]
            )
    schemes = koodistot.read_koodistot(path)
    assert [s.uri for s in schemes] == ["http://uri.suomi.fi/codelist/test/colour"]
    back, _ = koodistot.to_graph(schemes)
    red = rdflib.URIRef(base + "R")
    assert (red, rdflib.SKOS.broader, rdflib.URIRef(base + "W")) in back
    assert (red, rdflib.SKOS.prefLabel, rdflib.Literal("röd", lang="sv")) in back
    assert (rdflib.URIRef(base + "C"), rdflib.OWL.deprecated, rdflib.Literal(True)) in back
    assert (
        len(koodistot.members(back, rdflib.URIRef("http://uri.suomi.fi/codelist/test/colour"))) == 4
    )


def broken_workbook(tmp_path: Path, column: str, value: object, row: int = 3) -> Path:
    (export,) = koodistot.export_schemes(planted())
    path = tmp_path / "broken.xlsx"
    koodistot.write_workbook(export, path)
    book = openpyxl.load_workbook(path)
    sheet = book["Codes"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=row, column=header.index(column) + 1, value=value)
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("STATUS", "ACTIVE", "status 'ACTIVE' is not one of VALID"),
        ("BROADER", "nope", "broader code 'nope' is not a code of this list"),
        ("STARTDATE", "1.2.2020", "'1.2.2020' is not a date"),
        ("ORDER", "first", "'first' is not a whole number"),
        ("CODEVALUE", "W", "code value 'W' is already on row 2"),
    ],
)
def test_bad_cells_name_file_sheet_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], column: str, value: str, message: str
) -> None:
    path = broken_workbook(tmp_path, column, value)
    with pytest.raises(InputError) as caught:
        koodistot.read_koodistot(path)
    assert message in caught.value.message
    assert str(caught.value.location) == f"{path}, sheet 'Codes', row 3, column {column!r}"
    assert main(["import", "koodistot", str(path), "-o", str(tmp_path / "x.ttl")]) == 2
    assert f"sheet 'Codes', row 3, column {column!r}" in capsys.readouterr().err
    assert not (tmp_path / "x.ttl").exists()


def test_missing_sheet_column_and_wrong_file_are_refused(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Koodit"
    book.save(tmp_path / "a.xlsx")
    with pytest.raises(InputError, match="no sheet 'CodeSchemes'"):
        koodistot.read_koodistot(tmp_path / "a.xlsx")
    book = openpyxl.Workbook()
    book.active.title = "CodeSchemes"
    book.active.append(["CODEVALUE", "PREFLABEL_FI"])
    book.active.append(["x", "x"])
    book.save(tmp_path / "b.xlsx")
    with pytest.raises(InputError, match="missing column STATUS") as caught:
        koodistot.read_koodistot(tmp_path / "b.xlsx")
    assert caught.value.location is not None and caught.value.location.row == 1
    (tmp_path / "c.xlsx").write_text("not a zip")
    with pytest.raises(InputError, match="not an Excel workbook"):
        koodistot.read_koodistot(tmp_path / "c.xlsx")
    (tmp_path / "d.json").write_text('{"results": [{"codeValue": "a", "status": "VALID"},]}')
    with pytest.raises(InputError, match="not valid JSON") as caught:
        koodistot.read_koodistot(tmp_path / "d.json")
    assert caught.value.location is not None and caught.value.location.line == 1
    (tmp_path / "e.json").write_text('[{"codeValue": "a", "status": "VALID"}]')
    with pytest.raises(InputError, match="give the scheme IRI with --scheme"):
        koodistot.read_koodistot(tmp_path / "e.json")


def test_export_of_an_unknown_scheme_names_the_known_ones(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["export", "koodistot", "--scheme", "no-such-list", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no code list named no-such-list" in err
    first = koodistot.last_segment(koodistot.schemes_in(project_codelists())[0])
    assert first in err
