"""``servicenet convert pxweb``: real PxWeb files (StatFin JSON-stat 2, the 11rc ``.px`` file, the
Paavo CSV, a wide StatFin CSV, a metadata response) and Aluesarjat responses built from real query
documents, converted to population and forecast observations and validated with the shapes.

No stat.hel.fi Aluesarjat *response* is public, only the query documents
(``pxweb_query_*.json``: the tables' dimension codes, the real 10-digit area codes, age bands and
vintage codes). The tests build the responses in the PxWeb API's ``json`` (``columns`` / ``data``)
and ``json-stat2`` shapes from those codes; their figures are made up (``_figure``) and a few
cells are published as ``..`` / ``.`` to test suppression. Every other input is a real file,
copied to ``tests/data/sources/pxweb/`` (see its README).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
import rdflib
from conftest import LiveServer, run_live_server
from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from servicenet_vocab.cli import main
from servicenet_vocab.convert.lineage import RowIndex
from servicenet_vocab.convert.problems import RowsInvalidError
from servicenet_vocab.errors import InputError
from servicenet_vocab.sources import SourceOptions, convert_source, get_source
from servicenet_vocab.sources.pxweb_formats import read_table
from servicenet_vocab.validation import Severity, validate
from servicenet_vocab.validation import formats as report_formats
from servicenet_vocab.vocabulary.files import project_root

DATA = Path(__file__).resolve().parents[1] / "data" / "sources" / "pxweb"
EXAMPLE = project_root() / "examples" / "sources" / "pxweb"
SN = Namespace("https://w3id.org/servicenet/ontology#")
QB = Namespace("http://purl.org/linked-data/cube#")
CODE = "https://w3id.org/servicenet/code/"
BASE = "https://w3id.org/servicenet/data/"
PXWEB = get_source("pxweb")


def age(notation: str) -> URIRef:
    return URIRef(f"{CODE}age-group/{notation}")


def municipality(code: str) -> URIRef:
    return URIRef(f"{CODE}municipality/{code}")


def graph(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def convert(path: Path, out: Path, **extra: str) -> Any:
    municipality_code = extra.pop("municipality", None)
    return convert_source(
        PXWEB,
        path,
        options=SourceOptions(municipality=municipality_code, extra=extra),
        output=out,
    )


def assert_conforms(*paths: Path) -> None:
    report = validate(list(paths))
    violations = [r for r in report.results if r.severity is Severity.VIOLATION]
    assert violations == [], report_formats.text(report)


def population(g: rdflib.Graph, area: URIRef, group: str, when: Literal) -> list[int]:
    """The sn:population of the observations of an area, age group and reference date/year."""
    rows = g.query(
        """SELECT ?n WHERE { ?o sn:area ?area ; sn:ageGroup ?age ; ?when_p ?when ;
                             sn:population ?n . FILTER(?when_p IN (sn:referenceDate, sn:referenceYear)) }""",
        initNs={"sn": SN},
        initBindings={"area": area, "age": age(group), "when": when},
    )
    return [int(row[0]) for row in rows]  # type: ignore[index]


def day(text: str) -> Literal:
    return Literal(text, datatype=XSD.date)


def year(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


# --- real StatFin JSON-stat 2 -----------------------------------------------------------------


def test_statfin_json_stat2_population_of_helsinki(tmp_path: Path) -> None:
    out = tmp_path / "helsinki.ttl"
    result = convert(DATA / "statfin_11re_api-query-helsinki-population.json", out)
    assert (result.rows, result.converted, result.errors) == (5, 5, [])
    g = graph(out)
    # read by hand from the file: KU091, Ikä SSS, 2021..2025 = 658457 ... 694392 ("Väestö 31.12.")
    assert population(g, municipality("091"), "0-", day("2025-12-31")) == [694392]
    assert population(g, municipality("091"), "0-", day("2021-12-31")) == [658457]
    observations = list(g.subjects(RDF.type, SN.PopulationObservation))
    assert len(observations) == 5
    assert all((o, RDF.type, QB.Observation) in g for o in observations)
    # the municipality came from the only area (KU091): the dataset is Helsinki's
    dataset = next(g.subjects(RDF.type, QB.DataSet))
    assert (dataset, SN.municipality, municipality("091")) in g
    assert_conforms(out)


def test_three_cities_need_the_publisher_and_convert_to_the_municipality_concepts(
    tmp_path: Path,
) -> None:
    source = DATA / "statfin_11re_api-query-three-cities.json"
    with pytest.raises(InputError, match="--municipality"):
        convert(source, tmp_path / "x.ttl")
    out = tmp_path / "three.ttl"
    convert(source, out, municipality="091")
    g = graph(out)
    figures = {
        code: population(g, municipality(code), "0-", day("2025-12-31"))
        for code in ("049", "091", "092")
    }
    assert figures == {"049": [325716], "091": [694392], "092": [252956]}
    assert_conforms(out)


def test_an_area_code_that_does_not_exist_names_the_file_the_cell_and_the_field(
    tmp_path: Path,
) -> None:
    data = json.loads((DATA / "statfin_11re_api-query-three-cities.json").read_text("utf-8"))
    category = data["dimension"]["alue_23_20260101"]["category"]
    category["index"] = {"KU049": 0, "KU999": 1, "KU092": 2}
    category["label"] = {"KU049": "Espoo", "KU999": "Nowhere", "KU092": "Vantaa"}
    data["value"][0] = "12,5"
    source = tmp_path / "wrong.json"
    source.write_text(json.dumps(data), "utf-8")
    out = tmp_path / "wrong.ttl"
    with pytest.raises(RowsInvalidError) as raised:
        convert(source, out, municipality="091")
    messages = [str(error) for error in raised.value.errors]
    assert messages == [
        "wrong.json, row 1, column 'Tiedot': '12,5' is not a whole number or a PxWeb symbol "
        "(., .., ...)",
        "wrong.json, row 2, column 'Alue': 'KU999': 999 is not a municipality code of the code list",
    ]
    assert not out.exists()  # nothing is written when a record fails
    result = convert_source(
        PXWEB,
        source,
        options=SourceOptions(municipality="091"),
        output=out,
        skip_invalid=True,
    )
    assert (result.rows, result.converted, result.skipped_rows) == (3, 1, [1, 2])
    assert population(graph(out), municipality("092"), "0-", day("2025-12-31")) == [252956]


def test_a_metadata_response_is_not_data(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"metadata .*alue_23_20260101.*json-stat2"):
        convert(DATA / "statfin_11re_api-metadata-population.json", tmp_path / "x.ttl")


# --- the .px file -------------------------------------------------------------------------------


def test_the_px_file_is_read_in_its_codepage_and_order() -> None:
    table = read_table(DATA / "statfin_vaerak_pxt_11rc.px")
    assert [d.code for d in table.dimensions] == ["Vuosi", "Sukupuoli", "Ikä", "Tiedot"]
    assert table.dimensions[1].names == {"fi": "Sukupuoli", "sv": "Kön", "en": "Sex"}
    assert table.dimensions[1].texts["sv"]["2"] == "Kvinnor"  # iso-8859-15, decoded
    cells = {codes: value for _, codes, value in table.cells}
    assert len(cells) == 159 * 3 * 19  # 1865..2023 x sex x age
    # read by hand from the DATA section: the first and the last rows
    assert cells[("1865", "SSS", "SSS", "vaesto")] == "1843245"
    assert cells[("1865", "SSS", "0-4", "vaesto")] == "264002"
    assert cells[("2023", "SSS", "SSS", "vaesto")] == "5603851"
    assert cells[("2023", "2", "85-", "vaesto")] == "108625"


def test_the_national_px_table_has_no_area_of_the_model(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no area variable .*whole country"):
        convert(DATA / "statfin_vaerak_pxt_11rc.px", tmp_path / "x.ttl", municipality="091")


PX_THREE_CITIES = """CHARSET="ANSI";\r
AXIS-VERSION="2013";\r
CODEPAGE="iso-8859-15";\r
LANGUAGE="fi";\r
LANGUAGES="fi","sv";\r
DECIMALS=0;\r
MATRIX="11re";\r
TITLE="Väestö 31.12. muuttujina Alue, Ikä, Sukupuoli, Vuosi ja Tiedot";\r
TITLE[sv]="Befolkning 31.12. efter Område, Ålder, Kön, År och Uppgifter";\r
CONTENTS="Väestö 31.12.";\r
STUB="Alue","Ikä";\r
STUB[sv]="Område","Ålder";\r
HEADING="Sukupuoli","Vuosi","Tiedot";\r
HEADING[sv]="Kön","År","Uppgifter";\r
CONTVARIABLE="Tiedot";\r
VALUES("Alue")="Espoo","Helsinki",\r
"Vantaa";\r
VALUES[sv]("Område")="Esbo","Helsingfors","Vanda";\r
VALUES("Ikä")="Yhteensä";\r
VALUES[sv]("Ålder")="Totalt";\r
VALUES("Sukupuoli")="Yhteensä","Miehet";\r
VALUES[sv]("Kön")="Totalt","Män";\r
VALUES("Vuosi")="2025";\r
VALUES[sv]("År")="2025";\r
VALUES("Tiedot")="Väestö 31.12.";\r
VALUES[sv]("Uppgifter")="Befolkning 31.12.";\r
CODES("Alue")="KU049","KU091","KU092";\r
CODES("Ikä")="SSS";\r
CODES("Sukupuoli")="SSS","1";\r
CODES("Vuosi")="2025";\r
CODES("Tiedot")="vaesto";\r
VARIABLE-TYPE("Vuosi")="Time";\r
LAST-UPDATED("Väestö 31.12.")="20260401 08:00";\r
DATA=\r
325716 ".." \r
694392 "." \r
252956 "..." ;\r
"""


def test_a_px_file_converts_with_its_suppressed_cells(tmp_path: Path) -> None:
    """A .px file in StatFin's exact syntax (iso-8859-15, CRLF, continued lists, symbols), with
    the three cities' real 2025 totals of the JSON-stat response above; the men's cells are
    published as the symbols (made up: the real figures are not in our files)."""
    source = tmp_path / "three.px"
    source.write_bytes(PX_THREE_CITIES.encode("iso-8859-15"))
    out = tmp_path / "three.ttl"
    result = convert(source, out, municipality="091")
    assert (result.rows, result.converted, result.errors) == (6, 3, [])  # men: not in the model
    g = graph(out)
    assert population(g, municipality("091"), "0-", day("2025-12-31")) == [694392]
    assert not list(g.subjects(RDF.type, SN.SuppressedCell))  # the symbols were men's cells
    assert_conforms(out)
    source.write_bytes(
        PX_THREE_CITIES.replace("694392", '".."').replace("252956", '"."').encode("iso-8859-15")
    )
    convert(source, out, municipality="091")
    g = graph(out)
    assert population(g, municipality("091"), "0-", day("2025-12-31")) == []  # never a 0
    status = {
        g.value(cell, SN.area): g.value(cell, SN.observationStatus)
        for cell in g.subjects(RDF.type, SN.SuppressedCell)
    }
    assert status == {
        municipality("091"): URIRef(f"{CODE}observation-status/confidential-or-unavailable"),
        municipality("092"): URIRef(f"{CODE}observation-status/not-applicable"),
    }
    cell = next(g.subjects(SN.area, municipality("091")))
    assert (cell, RDF.type, QB.Observation) not in g
    assert g.value(cell, SN.population) is None
    assert g.value(cell, SN.cellOf) == next(g.subjects(RDF.type, QB.DataSet))
    assert g.value(cell, SN.ageGroup) == age("0-")
    assert_conforms(out)


def test_a_truncated_px_file_is_an_input_error(tmp_path: Path) -> None:
    source = tmp_path / "short.px"
    source.write_bytes(PX_THREE_CITIES.replace('252956 "..." ;', ";").encode("iso-8859-15"))
    with pytest.raises(InputError, match="DATA has 4 cells but its variables give 6"):
        convert(source, tmp_path / "x.ttl", municipality="091")
    assert not (tmp_path / "x.ttl").exists()


# --- CSV exports --------------------------------------------------------------------------------


def test_paavo_postal_code_areas_by_age(tmp_path: Path) -> None:
    out = tmp_path / "paavo.ttl"
    source = DATA / "statfi_paavo_12f7_helsinki_postcode_areas_2023.csv"
    with pytest.raises(InputError, match="reference_day"):
        convert(source, out, municipality="091")
    result = convert(source, out, municipality="091", reference_day="12-31")
    # 84 postal code areas x (total, 0-2, 3-6, 7-12, 13-15, 16-17, 18-19, 13 five-year bands, 85-)
    assert result.converted == 84 * 21 and result.errors == []
    g = graph(out)
    area = URIRef(BASE + "area/00100")
    when = day("2023-12-31")
    # read by hand: "00100  Helsinki keskusta - Etu-Töölö (Helsinki)"
    assert population(g, area, "0-2", when) == [370]
    assert population(g, area, "3-6", when) == [397]
    assert population(g, area, "7-12", when) == [693]
    assert population(g, area, "85-", when) == [376]
    assert population(g, area, "0-", when) == [18462]  # Inhabitants, total (HE), once
    assert (area, RDF.type, SN.PostalCodeArea) in g
    assert (area, SN.partOfArea, municipality("091")) in g
    assert str(g.value(area, SN.areaCode)) == "00100"
    assert_conforms(out)


def test_a_wide_csv_without_areas_is_refused(tmp_path: Path) -> None:
    """StatFin's 128c income CSV (title line, years as columns) is read, and refused: income
    deciles of the whole country are no population of an area."""
    table = read_table(DATA / "statfin_tjt_128c_2023_20250619-123755.csv")
    assert table.titles[""].startswith("128c -- Income")
    cells = list(table.cells)
    assert len(cells) == 10 * 4
    assert cells[0] == (4, ("6. GROSS INCOME, mean", "I (Lowest-income 10 %)", "2020"), "16825")
    with pytest.raises(InputError, match="no area variable"):
        convert(DATA / "statfin_tjt_128c_2023_20250619-123755.csv", tmp_path / "x.ttl")


# --- Aluesarjat responses built from the real query documents ---------------------------------


def query(name: str) -> dict[str, list[str]]:
    doc = json.loads((DATA / name).read_text("utf-8"))
    return {q["code"]: q["selection"]["values"] for q in doc["query"]}


def _figure(position: int) -> int:
    return 100 + (position * 37) % 900  # made up (no real Aluesarjat response is public)


def json_stat2(dimensions: dict[str, list[str]], label: str, suppressed: dict[int, str]) -> dict:
    """A JSON-stat 2 response of PxWeb for these dimension codes (in this order)."""
    sizes = [len(codes) for codes in dimensions.values()]
    total = 1
    for size in sizes:
        total *= size
    values: list[int | None] = [_figure(i) for i in range(total)]
    for position in suppressed:
        values[position] = None
    return {
        "version": "2.0",
        "class": "dataset",
        "label": label,
        "source": "Helsingin kaupunginkanslia, kaupunkitieto",
        "updated": "2024-09-30T08:00:00Z",
        "id": list(dimensions),
        "size": sizes,
        "role": {"time": ["Vuosi"], "geo": ["Alue"]},
        "dimension": {
            code: {
                "label": code,
                "category": {
                    "index": {value: i for i, value in enumerate(values_)},
                    "label": {value: value for value in values_},
                },
            }
            for code, values_ in dimensions.items()
        },
        "value": values,
        "status": {str(position): symbol for position, symbol in suppressed.items()},
    }


def test_helsinki_forecast_json_stat2_splits_vintage_and_scenario(tmp_path: Path) -> None:
    codes = query("pxweb_query_helsinki_population_forecast.json")
    assert codes["Laatimisvuosi ja vaihtoehto"] == ["PER24"]
    areas = [c for c in codes["Alue"] if c in {"0911101010", "0912205331", "0917701457"}]
    dimensions = {
        "Laatimisvuosi ja vaihtoehto": codes["Laatimisvuosi ja vaihtoehto"],
        "Äidinkieli": codes["Äidinkieli"],
        "Alue": areas,
        "Ikä": codes["Ikä"],  # ALL, 0-6, 7-17, 18-29, 30-49, 50-64, 65-
        "Vuosi": codes["Vuosi"],
    }
    # cell 2 = Kruununhaka 0-6: "..", cell 9 = Kannelmäki 0-6: "."
    data = json_stat2(dimensions, "Helsingin väestöennuste 2024 osa-alueittain", {1: "..", 8: "."})
    source = tmp_path / "alu_vaenn_006c.json"
    source.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    out = tmp_path / "forecast.ttl"
    result = convert(source, out, municipality="091")
    assert (result.rows, result.converted, result.errors) == (21, 21, [])
    g = graph(out)
    forecast = URIRef(BASE + "forecast/2024-baseline")
    assert (forecast, RDF.type, SN.PopulationForecast) in g
    assert g.value(forecast, SN.forecastVintage) == year(2024)
    assert g.value(forecast, SN.scenario) == URIRef(f"{CODE}forecast-scenario/baseline")
    assert g.value(forecast, QB.structure) == URIRef(
        "https://w3id.org/servicenet/ontology/dsd/population-forecast-total"
    )
    itakeskus = URIRef(BASE + "area/0917701457")
    assert population(g, itakeskus, "7-17", year(2030)) == [_figure(16)]
    assert (itakeskus, RDF.type, SN.SubDistrict) in g
    assert str(g.value(itakeskus, rdflib.RDFS.label)) in {"Itäkeskus", "Östra centrum"}
    # the 10-digit code resolves to its level, and the areas it lies in are written too
    district = g.value(itakeskus, SN.partOfArea)
    assert district == URIRef(BASE + "area/0917701000")
    assert (district, RDF.type, SN.District) in g
    major = g.value(district, SN.partOfArea)
    assert (major, RDF.type, SN.MajorDistrict) in g
    assert g.value(major, SN.partOfArea) == municipality("091")
    suppressed = set(g.subjects(RDF.type, SN.SuppressedCell))
    assert len(suppressed) == 2
    for cell in suppressed:
        assert g.value(cell, SN.cellOf) == forecast
        assert g.value(cell, SN.ageGroup) == age("0-6")
        assert g.value(cell, SN.population) is None
    assert population(g, URIRef(BASE + "area/0911101010"), "0-6", year(2030)) == []
    assert_conforms(out)


def pxweb_json(keys: list[tuple[str, str, str]], columns: list[dict[str, str]]) -> dict:
    """A PxWeb ``json`` response: one record per key, the made-up figure as text."""
    data = []
    for position, key in enumerate(keys):
        value = {3: "..", 5: "..."}.get(position, str(_figure(position)))
        data.append({"key": list(key), "values": [value]})
    return {
        "columns": columns,
        "comments": [],
        "data": data,
        "metadata": [{"updated": "2024-03-27T06:00:00Z", "label": "Väestö iän mukaan"}],
    }


BY_AGE_COLUMNS = [
    {"code": "Alue", "text": "Alue", "type": "d"},
    {"code": "Ikä", "text": "Ikä", "type": "d"},
    {"code": "Vuosi", "text": "Vuosi", "type": "t"},
    {"code": "Väestö", "text": "Väestö", "type": "c"},
]


def by_age_keys(areas: list[str]) -> list[tuple[str, str, str]]:
    codes = query("pxweb_query_helsinki_population_by_age.json")
    return [(a, i, y) for a in areas for i in codes["Ikä"] for y in codes["Vuosi"]]


def test_helsinki_population_by_age_json_checks_every_area_code(tmp_path: Path) -> None:
    """Every area code of the alu_vaerak_004p query: Helsinki, its major districts, districts and
    sub-districts resolve; seven real Aluesarjat codes are not in the city's 2022 division (three
    'unknown area' codes, four sub-districts since merged or renamed) and are errors."""
    codes = query("pxweb_query_helsinki_population_by_age.json")
    source = tmp_path / "alu_vaerak_004p.json"
    keys = by_age_keys(codes["Alue"])
    source.write_text(json.dumps(pxweb_json(keys, BY_AGE_COLUMNS), ensure_ascii=False), "utf-8")
    out = tmp_path / "by-age.ttl"
    with pytest.raises(RowsInvalidError) as raised:
        convert(source, out, municipality="091", reference_day="01-01")
    bad = {error.value for error in raised.value.errors}
    assert bad == {
        "0911105310", "0912201160", "0913301100", "0913303210",
        "0919970000", "0919980000", "0919999999",
    }  # fmt: skip
    first = raised.value.errors[0]
    position = keys.index(("0911105310", "ALL", "2024")) + 1
    assert str(first) == (
        f"alu_vaerak_004p.json, row {position}, column 'Alue': '0911105310' is not an area of "
        "Helsinki's statistical division (built in)"
    )
    assert len(raised.value.errors) == 7 * 7 and not out.exists()
    result = convert_source(
        PXWEB,
        source,
        options=SourceOptions(municipality="091", extra={"reference_day": "01-01"}),
        output=out,
        skip_invalid=True,
    )
    assert result.converted == (196 - 7) * 7
    g = graph(out)
    southern = URIRef(BASE + "area/0911000000")  # 091 + major district 1 + zeros
    assert population(g, southern, "0-", day("2024-01-01")) == [_figure(0)]
    assert (southern, RDF.type, SN.MajorDistrict) in g
    assert {str(n) for n in g.objects(southern, rdflib.RDFS.label)} == {"Eteläinen", "Södra"}
    assert (URIRef(BASE + "area/0911101000"), RDF.type, SN.District) in g
    assert len(set(g.subjects(RDF.type, SN.SuppressedCell))) == 2
    assert_conforms(out)


def test_forecast_vintage_codes_of_espoo_and_vantaa(tmp_path: Path) -> None:
    """Espoo's '2024' and Vantaa's 'E2025' give only the vintage: the scenario is the baseline
    unless --option scenario says otherwise. Their areas come from an area list (the query
    documents' codes, as a city would export its division)."""
    for name, vintage in (
        ("pxweb_query_espoo_population_forecast.json", 2024),
        ("pxweb_query_vantaa_population_forecast.json", 2025),
    ):
        codes = query(name)
        areas = [c for c in codes["Alue"] if not c.endswith("0000000") and "9999" not in c]
        area_list = tmp_path / "areas.csv"
        with area_list.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["code", "level", "parent", "name_fi", "name_sv"])
            for code in areas[:3]:
                writer.writerow(
                    [code, "sub-district", "", f"Alue {code[-4:]}", f"Område {code[-4:]}"]
                )
        dimensions = {
            "Laatimisvuosi ja vaihtoehto": codes["Laatimisvuosi ja vaihtoehto"],
            "Alue": [codes["Alue"][0], *areas[:3]],
            "Ikä": codes["Ikä"][:2],
            "Vuosi": codes["Vuosi"],
        }
        source = tmp_path / "forecast.json"
        source.write_text(json.dumps(json_stat2(dimensions, "Väestöennuste", {})), "utf-8")
        out = tmp_path / "forecast.ttl"
        municipality_code = codes["Alue"][0][:3]
        with pytest.raises(RowsInvalidError, match="no area list for municipality"):
            convert(source, out, municipality=municipality_code)
        convert(source, out, municipality=municipality_code, areas=str(area_list), scenario="high")
        g = graph(out)
        forecast = URIRef(f"{BASE}forecast/{vintage}-high")
        assert g.value(forecast, SN.forecastVintage) == year(vintage)
        assert population(g, municipality(municipality_code), "0-", year(2030)) == [_figure(0)]
        assert (URIRef(BASE + f"area/{areas[0]}"), RDF.type, SN.SubDistrict) in g


def test_vintage_codes_that_give_no_year_are_cell_errors(tmp_path: Path) -> None:
    dimensions = {
        "Laatimisvuosi ja vaihtoehto": ["PER24", "XYZ"],
        "Alue": ["0911101010"],
        "Ikä": ["0-6"],
        "Vuosi": ["2030"],
    }
    source = tmp_path / "forecast.json"
    source.write_text(json.dumps(json_stat2(dimensions, "Väestöennuste", {})), "utf-8")
    with pytest.raises(RowsInvalidError) as raised:
        convert(source, tmp_path / "x.ttl", municipality="091")
    assert [str(e) for e in raised.value.errors] == [
        "forecast.json, row 2, column 'Laatimisvuosi ja vaihtoehto': 'XYZ' is not a "
        "vintage-and-scenario code (PER24: 2024 baseline, E2025)"
    ]


# --- CLI, lineage, HTTP, the example --------------------------------------------------------------


def test_cli_exit_codes_skip_invalid_and_validate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = DATA / "statfin_11re_api-query-helsinki-population.json"
    out = tmp_path / "out.ttl"
    assert main(["convert", "pxweb", str(source), "-o", str(out), "--validate"]) == 0
    assert "Conforms" in capsys.readouterr().out
    assert main(["convert", "pxweb", str(DATA / "statfin_vaerak_pxt_11rc.px"), "-o", str(out)]) == 2
    assert "no area variable" in capsys.readouterr().err
    assert main(["convert", "pxweb", str(source), "--option", "colour=red"]) == 2
    assert "has no option colour" in capsys.readouterr().err
    data = json.loads(source.read_text("utf-8"))
    data["value"][2] = -5
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(data), "utf-8")
    out.unlink()
    assert main(["convert", "pxweb", str(wrong), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "wrong.json, row 3, column 'Tiedot': '-5' is negative" in err and not out.exists()
    assert main(["convert", "pxweb", str(wrong), "-o", str(out), "--skip-invalid"]) == 0
    assert "skipped 1 rows: 3" in capsys.readouterr().err
    assert len(list(graph(out).subjects(RDF.type, SN.PopulationObservation))) == 4


def test_each_cell_is_traced_to_its_row(tmp_path: Path) -> None:
    out = tmp_path / "out.ttl"
    convert(DATA / "statfin_11re_api-query-helsinki-population.json", out)
    index = RowIndex(out)
    lines = out.read_text("utf-8").splitlines()
    subject = f"<{BASE}population/2023-12-31/091/0-> a sn:PopulationObservation ;"
    line = lines.index(subject) + 1
    assert index.row_of(line) == ("statfin_11re_api-query-helsinki-population.json", 3)


@pytest.fixture(scope="module")
def server() -> Any:
    with run_live_server() as live:
        yield live


def test_http_convert_route(server: LiveServer) -> None:
    body = (DATA / "statfin_11re_api-query-three-cities.json").read_bytes()
    answer = server.client.post(
        "/convert/pxweb",
        params={"filename": "three-cities.json", "municipality": "091"},
        content=body,
        headers={"Accept": "text/turtle"},
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["Servicenet-Converted"] == "3"
    g = rdflib.Graph().parse(data=answer.text, format="turtle")
    assert population(g, municipality("049"), "0-", day("2025-12-31")) == [325716]
    data = json.loads(body)
    data["dimension"]["alue_23_20260101"]["category"]["index"] = {
        "KU049": 0,
        "KU998": 1,
        "KU092": 2,
    }
    refused = server.client.post(
        "/convert/pxweb",
        params={"filename": "three-cities.json", "municipality": "091"},
        content=json.dumps(data).encode(),
    )
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert errors == [
        {
            "source": "three-cities.json",
            "row": 2,
            "column": "Alue",
            "message": "'KU998': 998 is not a municipality code of the code list",
            "value": "KU998",
        }
    ]


def _without_modified(path: Path) -> rdflib.Graph:
    g = graph(path)
    g.remove((None, URIRef("http://purl.org/dc/terms/modified"), None))
    return g


def test_the_example_converts_to_its_expected_turtle(tmp_path: Path) -> None:
    from rdflib.compare import isomorphic

    out = tmp_path / "example.ttl"
    source = EXAMPLE / "helsinki-population.json"
    result = convert(source, out)
    assert result.errors == [] and result.converted == 5
    assert isomorphic(
        _without_modified(out), _without_modified(EXAMPLE / "helsinki-population.expected.ttl")
    )
    assert_conforms(EXAMPLE / "helsinki-population.expected.ttl")
    real = DATA / "statfin_11re_api-query-helsinki-population.json"
    assert source.read_bytes() == real.read_bytes()  # the example is the real response
