"""``servicenet migrate``: the shipped SPARQL Updates, applied in order, reported, located on error."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from servicenet_vocab import rdfio
from servicenet_vocab.cli import main
from servicenet_vocab.errors import InputError, QuerySyntaxError
from servicenet_vocab.formats import RdfFormat
from servicenet_vocab.quality.sparql_checks import DATACUBE_GRAPH, QcQuery, datacube_store, rows
from servicenet_vocab.steward.migrate import DATA_GRAPH, VOCABULARY_GRAPH, migrate, migrations
from servicenet_vocab.store.embedded import open_store
from servicenet_vocab.validation import Severity, validate_quads
from servicenet_vocab.vocabulary.files import vocabulary_files

OLD = "https://w3id.org/servicenet/ontology#oldPlaces"
NEW = "https://w3id.org/servicenet/ontology#places"
DATA = f'<urn:x:unit> <{OLD}> 42 ; <urn:x:name> "Päiväkoti Kannel"@fi .\n'.encode()


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    """A vocabulary tree with one migration of two steps (a rename, then a derived triple)."""
    root = tmp_path / "vocab"
    (root / "ontology").mkdir(parents=True)
    (root / "ontology" / "servicenet.ttl").write_text(
        f"<{NEW}> a <http://www.w3.org/2002/07/owl#DatatypeProperty> .\n"
    )
    steps = root / "ontology" / "migrations" / "0.1-to-1.0"
    steps.mkdir(parents=True)
    (steps / "01-rename.ru").write_text(
        "# oldPlaces is now places\n"
        "WITH <urn:x-servicenet:migration:data>\n"
        f"DELETE {{ ?s <{OLD}> ?v }} INSERT {{ ?s <{NEW}> ?v }} WHERE {{ ?s <{OLD}> ?v }}\n"
    )
    (steps / "02-known.ru").write_text(
        "# mark units whose property the target vocabulary defines\n"
        "INSERT { GRAPH <urn:x-servicenet:migration:data> { ?s <urn:x:checked> true } }\n"
        "WHERE { GRAPH <urn:x-servicenet:migration:data> { ?s ?p ?v }\n"
        "        GRAPH <urn:x-servicenet:migration:vocabulary> { ?p a ?kind } }\n"
    )
    return root


def test_steps_run_in_order_and_are_counted(tree: Path) -> None:
    result = migrate(DATA, to="1.0", fmt=RdfFormat.TURTLE, source_name="unit.ttl", root=tree)
    predicates = {q.predicate.value for q in result.quads}
    assert OLD not in predicates and NEW in predicates
    assert "urn:x:checked" in predicates  # step 2 saw step 1's rename and the target vocabulary
    assert [(o.step.name, o.removed, o.added) for o in result.outcomes] == [
        ("01-rename", 1, 1),
        ("02-known", 0, 1),
    ]
    assert result.outcomes[0].step.purpose == "oldPlaces is now places"
    assert all(q.graph_name == ox.DefaultGraph() for q in result.quads)


def test_an_unknown_target_lists_what_is_shipped(tree: Path) -> None:
    with pytest.raises(InputError, match=r"no migration to version 2\.0 .*0\.1 -> 1\.0"):
        migrate(DATA, to="2.0", fmt=RdfFormat.TURTLE, root=tree)
    assert [(m.source, m.target, len(m.steps)) for m in migrations(tree)] == [("0.1", "1.0", 2)]


def test_a_broken_step_is_named_and_located(tree: Path) -> None:
    broken = tree / "ontology" / "migrations" / "0.1-to-1.0" / "03-broken.ru"
    broken.write_text("# broken\nINSERT DATA { <urn:x:a> <urn:x:b> }\n")
    with pytest.raises(QuerySyntaxError) as caught:
        migrate(DATA, to="1.0", fmt=RdfFormat.TURTLE, root=tree)
    assert "03-broken" in caught.value.message
    assert caught.value.location is not None
    assert caught.value.location.source == str(broken)
    assert caught.value.location.line == 2
    assert len(caught.value.message) < 300  # the engine's list of expected tokens is cut


def test_the_cli_writes_beside_or_in_place(tree: Path, tmp_path: Path) -> None:
    source = tmp_path / "unit.ttl"
    source.write_bytes(DATA)
    out = tmp_path / "migrated"
    code = main(
        ["migrate", str(source), "--to", "1.0", "--vocabulary", str(tree), "--output-dir", str(out)]
    )
    assert code == 0
    assert "sn:places 42" in (out / "unit.ttl").read_text()
    assert source.read_bytes() == DATA  # the input is untouched
    assert (
        main(["migrate", str(source), "--to", "1.0", "--vocabulary", str(tree), "--in-place"]) == 0
    )
    assert OLD not in source.read_text()
    assert main(["migrate", str(source), str(source), "--to", "1.0", "-o", str(out / "x.ttl")]) == 2
    assert main(["migrate", str(source), "--to", "9.9", "--vocabulary", str(tree)]) == 2


# --- The shipped migration 0.1 -> 1.0 (ontology/migrations/0.1-to-1.0), on the real vocabulary ---

ROOT = Path(__file__).resolve().parents[2]
STEPS = ROOT / "ontology" / "migrations" / "0.1-to-1.0"
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "migration" / "0.1").glob("*.ttl"))
SN = "https://w3id.org/servicenet/ontology#"
SKOS_NOTE = "http://www.w3.org/2004/02/skos/core#editorialNote"
PREFIXES = """\
@prefix sn:   <https://w3id.org/servicenet/ontology#> .
@prefix qb:   <http://purl.org/linked-data/cube#> .
@prefix dct:  <http://purl.org/dc/terms/> .
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
@prefix dsd:  <https://w3id.org/servicenet/ontology/dsd/> .
@prefix code: <https://w3id.org/servicenet/code/> .
@prefix ex:   <https://data.example.fi/servicenet/> .
"""


def _parse(path: Path) -> list[ox.Quad]:
    return rdfio.parse(path, source_name=str(path))


def _triples(turtle: str) -> set[ox.Triple]:
    return {q.triple for q in ox.parse((PREFIXES + turtle).encode(), format=ox.RdfFormat.TURTLE)}


@pytest.fixture(scope="module")
def vocabulary_quads() -> list[ox.Quad]:
    """The working tree's vocabulary (no shapes) in the graph the steps read it from."""

    graph = ox.NamedNode(VOCABULARY_GRAPH)
    return [
        ox.Quad(q.subject, q.predicate, q.object, graph)
        for item in vocabulary_files(ROOT, shapes=False)
        for q in rdfio.parse(item.path, source_name=str(item.path))
    ]


def _step(
    name: str, turtle: str, vocabulary: list[ox.Quad]
) -> tuple[set[ox.Triple], set[ox.Triple]]:
    """Run the one step ``name`` over ``turtle``: the triples it removed and the triples it added."""
    (path,) = STEPS.glob(f"{name}-*.ru")
    store = open_store("memory")
    try:
        store.add_quads(vocabulary, graph=VOCABULARY_GRAPH)
        before = _triples(turtle)
        store.add_quads(
            [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(DATA_GRAPH)) for t in before],
            graph=DATA_GRAPH,
        )
        store.update(path.read_text("utf-8"))
        after = {q.triple for q in store.quads(DATA_GRAPH)}
        store.update(path.read_text("utf-8"))  # a second run changes nothing
        assert {q.triple for q in store.quads(DATA_GRAPH)} == after, f"{name} is not idempotent"
    finally:
        store.close()
    return before - after, after - before


def _value(term: object) -> str:
    """The IRI or lexical form of an RDF term (a quoted triple has none)."""
    return term.value if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal) else ""


def _notes(triples: set[ox.Triple]) -> tuple[set[ox.Triple], set[str]]:
    """``triples`` without the migration's editorial notes, and the subjects that got one."""
    notes = {t for t in triples if t.predicate.value == SKOS_NOTE}
    assert all("servicenet migration 0.1 → 1.0" in _value(t.object) for t in notes)
    return triples - notes, {_value(t.subject) for t in notes}


def test_every_step_says_what_it_changes() -> None:
    (migration,) = [m for m in migrations(ROOT) if m.target == "1.0"]
    assert migration.source == "0.1"
    names = [step.name for step in migration.steps]
    assert names == sorted(names) and len(names) == 8
    for step in migration.steps:
        first = step.path.read_text("utf-8").splitlines()[0]
        assert first.startswith("# ") and step.purpose == first[2:], step.name


def test_01_utilisation_rate_becomes_confirmed_occupancy_rate(
    vocabulary_quads: list[ox.Quad],
) -> None:
    removed, added = _step(
        "01",
        "ex:c sn:places 70 ; sn:utilisationRate 0.94 .",
        vocabulary_quads,
    )
    assert removed == _triples("ex:c sn:utilisationRate 0.94 .")
    assert added == _triples("ex:c sn:confirmedOccupancyRate 0.94 .")


def test_02_shift_care_option_becomes_a_flag(vocabulary_quads: list[ox.Quad]) -> None:
    removed, added = _step(
        "02",
        """
        ex:n1 a sn:ServiceNeed ; sn:serviceNeedOption code:service-need-option\\/shift-care .
        ex:n2 a sn:ServiceNeed ; sn:serviceNeedOption code:service-need-option\\/part-day .
        ex:n3 a sn:ServiceNeed ; sn:serviceNeedOption code:service-need-option\\/shift-care ;
            sn:shiftCare code:shift-care\\/intermittent .
        ex:n4 a sn:ServiceNeed ; sn:serviceNeedOption code:service-need-option\\/full-day ;
            sn:shiftCare code:shift-care\\/full .
        ex:e1 a sn:EnrolmentObservation ; sn:serviceNeedOption code:service-need-option\\/shift-care .
        ex:e2 a sn:EnrolmentObservation ; sn:serviceNeedOption code:service-need-option\\/full-day .
        """,
        vocabulary_quads,
    )
    old = "sn:serviceNeedOption code:service-need-option\\/shift-care"
    assert removed == _triples(f"ex:n1 {old} . ex:n3 {old} . ex:e1 {old} .")
    full_day = "sn:serviceNeedOption code:service-need-option\\/full-day"
    assert added == _triples(
        f"""
        ex:n1 {full_day} ; sn:shiftCare code:shift-care\\/full .
        ex:n2 sn:shiftCare code:shift-care\\/none .
        ex:n3 {full_day} .
        ex:e1 {full_day} ; sn:shiftCare code:shift-care\\/full .
        """
    )  # n3 keeps its stated flag, n4 is already 1.0, e2 is a count (no shift-care dimension)


def test_03_support_levels_after_the_reform(vocabulary_quads: list[ox.Quad]) -> None:
    tiers = (
        "sn:supportLevel code:support-level\\/general , code:support-level\\/intensified , "
        "code:support-level\\/special"
    )
    removed, added = _step(
        "03",
        f"""
        ex:pre a sn:ServiceOffering ; sn:serviceType code:service-type\\/pre-school ;
            sn:validFrom "2025-08-01"^^xsd:date ; {tiers} .
        ex:school a sn:ServiceOffering ; sn:serviceType code:service-type\\/basic-education ;
            sn:validFrom "2026-01-01"^^xsd:date ; sn:supportLevel code:support-level\\/intensified .
        ex:old a sn:ServiceOffering ; sn:serviceType code:service-type\\/pre-school ;
            sn:validFrom "2024-08-01"^^xsd:date ; {tiers} .
        ex:ecec a sn:ServiceOffering ; sn:serviceType code:service-type\\/ecec ;
            sn:validFrom "2025-08-01"^^xsd:date ; {tiers} .
        """,
        vocabulary_quads,
    )
    assert removed == _triples(
        f"ex:pre {tiers} . ex:school sn:supportLevel code:support-level\\/intensified ."
    )
    added, noted = _notes(added)
    assert added == _triples(
        """
        ex:pre sn:supportLevel code:support-level\\/group-level , code:support-level\\/pupil-level .
        ex:school sn:supportLevel code:support-level\\/group-level .
        """
    )  # offerings before the reform and ECEC keep the three tiers
    assert noted == {
        "https://data.example.fi/servicenet/pre",
        "https://data.example.fi/servicenet/school",
    }


CAPACITY = 'a sn:CapacityObservation ; sn:referenceDate "2025-10-01"^^xsd:date ; sn:places 20'


def test_04_head_count_where_0_1_implied_it(vocabulary_quads: list[ox.Quad]) -> None:
    removed, added = _step(
        "04",
        f"""
        ex:school-places {CAPACITY} ; sn:serviceType code:service-type\\/basic-education .
        ex:home a sn:FamilyDaycare .
        ex:home-places {CAPACITY} ; sn:unit ex:home ; sn:serviceType code:service-type\\/ecec .
        ex:centre a sn:DaycareCentre ; sn:unitType code:service-unit-type\\/daycare-centre .
        ex:centre-places {CAPACITY} ; sn:unit ex:centre ; sn:serviceType code:service-type\\/ecec .
        ex:stated {CAPACITY} ; sn:serviceType code:service-type\\/basic-education ;
            sn:placeBasis code:place-basis\\/computational .
        """,
        vocabulary_quads,
    )
    assert removed == set()
    assert added == _triples(
        """
        ex:school-places sn:placeBasis code:place-basis\\/head-count .
        ex:home-places sn:placeBasis code:place-basis\\/head-count .
        """
    )


def test_05_default_place_basis_is_marked(vocabulary_quads: list[ox.Quad]) -> None:
    removed, added = _step(
        "05",
        f"""
        ex:centre a sn:DaycareCentre .
        ex:centre-places {CAPACITY} ; sn:unit ex:centre ; sn:serviceType code:service-type\\/ecec .
        ex:club a sn:Club ; sn:unitType code:service-unit-type\\/club .
        ex:club-places {CAPACITY} ; sn:unit ex:club ; sn:serviceType code:service-type\\/club .
        ex:stated {CAPACITY} ; sn:unit ex:centre ; sn:serviceType code:service-type\\/ecec ;
            sn:placeBasis code:place-basis\\/staff-based .
        """,
        vocabulary_quads,
    )
    assert removed == set()
    added, noted = _notes(added)
    assert added == _triples(
        """
        ex:centre-places sn:placeBasis code:place-basis\\/computational .
        ex:club-places sn:placeBasis code:place-basis\\/head-count .
        """
    )
    assert noted == {
        "https://data.example.fi/servicenet/centre-places",
        "https://data.example.fi/servicenet/club-places",
    }


def test_06_spatial_coverage_from_the_municipality(vocabulary_quads: list[ox.Quad]) -> None:
    removed, added = _step(
        "06",
        """
        ex:d1 a dcat:Dataset ; sn:municipality code:municipality\\/235 .
        ex:d2 a dcat:Dataset ; sn:municipality code:municipality\\/235 ; dct:spatial ex:area .
        ex:d3 a dcat:Dataset .
        """,
        vocabulary_quads,
    )
    assert removed == set()
    assert added == _triples("ex:d1 dct:spatial code:municipality\\/235 .")


CITY = """
ex:city-dataset a dcat:Dataset ; sn:namedGraph <https://w3id.org/servicenet/graph/municipality/235> ;
    dct:title "Kauniainen 2025"@fi ; dct:publisher ex:city ;
    dct:license <https://creativecommons.org/licenses/by/4.0/> .
"""


def test_07_observations_get_data_cube_datasets(vocabulary_quads: list[ox.Quad]) -> None:
    data = f"""
        ex:places {CAPACITY} .
        ex:children a sn:EnrolmentObservation ;
            sn:serviceNeedOption code:service-need-option\\/full-day .
        ex:pupils a sn:EnrolmentObservation ; sn:gradeRange code:grade-range\\/1-6 .
        ex:neither a sn:EnrolmentObservation .
        ex:forecast-cell a sn:PopulationForecastObservation ; qb:dataSet ex:forecast .
        """
    removed, added = _step("07", CITY + data, vocabulary_quads)
    assert removed == set()
    added, noted = _notes(added)
    base = "https://data.example.fi/servicenet/city-dataset/"
    assert noted == {base + "capacity", base + "enrolment", base + "pupil-enrolment"}
    links = {
        (_value(t.subject), _value(t.object))
        for t in added
        if t.predicate.value.endswith("#dataSet")
    }
    assert links == {
        ("https://data.example.fi/servicenet/places", base + "capacity"),
        ("https://data.example.fi/servicenet/children", base + "enrolment"),
        ("https://data.example.fi/servicenet/pupils", base + "pupil-enrolment"),
    }  # a count with neither option nor grades fits no structure; the forecast had its dataset
    capacity = {
        (t.predicate.value, t.object) for t in added if _value(t.subject) == base + "capacity"
    }
    assert capacity >= {
        (
            "http://purl.org/linked-data/cube#structure",
            ox.NamedNode("https://w3id.org/servicenet/ontology/dsd/capacity"),
        ),
        (
            "http://purl.org/dc/terms/isPartOf",
            ox.NamedNode("https://data.example.fi/servicenet/city-dataset"),
        ),
        (
            "http://purl.org/dc/terms/title",
            ox.Literal("Kauniainen 2025: Paikat yksiköittäin", language="fi"),
        ),
        ("http://purl.org/dc/terms/title", ox.Literal("Places per unit", language="en")),
        (
            "http://purl.org/dc/terms/publisher",
            ox.NamedNode("https://data.example.fi/servicenet/city"),
        ),
        (
            "http://purl.org/dc/terms/license",
            ox.NamedNode("https://creativecommons.org/licenses/by/4.0/"),
        ),
    }
    # without a city dataset (one naming its graph) nothing is made
    assert _step("07", data, vocabulary_quads) == (set(), set())


def test_08_forecast_and_survey_structures(vocabulary_quads: list[ox.Quad]) -> None:
    removed, added = _step(
        "08",
        """
        ex:f1 a sn:PopulationForecast . ex:f1-a qb:dataSet ex:f1 ; sn:motherTongue code:language\\/fi .
        ex:f2 a sn:PopulationForecast . ex:f2-a qb:dataSet ex:f2 ; sn:population 10 .
        ex:f3 a sn:PopulationForecast . ex:f3-a qb:dataSet ex:f3 ; sn:motherTongue code:language\\/fi .
        ex:f3-b qb:dataSet ex:f3 ; sn:population 10 .
        ex:s1 a sn:CustomerSurvey . ex:s1-a qb:dataSet ex:s1 ; sn:unit ex:unit .
        ex:s2 a sn:CustomerSurvey . ex:s2-a qb:dataSet ex:s2 ; sn:area ex:area .
        ex:s3 a sn:CustomerSurvey ; qb:structure dsd:survey-result .
        """,
        vocabulary_quads,
    )
    assert removed == set()
    assert added == _triples(
        """
        ex:f1 qb:structure dsd:population-forecast .
        ex:f2 qb:structure dsd:population-forecast-total .
        ex:s1 qb:structure dsd:survey-result .
        ex:s2 qb:structure dsd:survey-result-area .
        """
    )  # f3 mixes both kinds of cell: no single structure fits


@pytest.fixture(scope="module")
def migrated() -> dict[str, list[ox.Quad]]:
    """Every 0.1 example dataset, migrated by the shipped steps."""
    return {path.name: migrate(path, to="1.0", root=ROOT).quads for path in FIXTURES}


def test_there_are_0_1_fixtures() -> None:
    assert [p.name for p in FIXTURES] == [
        "espoo-049.ttl", "helsinki-091.ttl", "kauniainen-235.ttl", "vantaa-092.ttl",
    ]  # fmt: skip


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_a_migrated_0_1_example_validates_against_1_0(
    path: Path, migrated: dict[str, list[ox.Quad]]
) -> None:

    before = validate_quads(_parse(path))
    assert not before.conforms  # the fixture is 0.1 data that 1.0 refuses as it is
    report = validate_quads(migrated[path.name])
    violations = [r for r in report.results if r.severity == Severity.VIOLATION]
    assert report.conforms and not violations, [
        (r.focus_node, r.path, r.message) for r in violations[:10]
    ]
    deprecated = [r for r in report.results if "deprecated" in r.message]
    assert not deprecated, deprecated[:3]


def test_migrated_examples_are_data_cubes(migrated: dict[str, list[ox.Quad]]) -> None:
    """The W3C integrity constraints IC-1 ... IC-21 find nothing in the migrated examples (with the
    1.0 vocabulary); the 0.1 examples as they were break IC-1 and IC-2."""

    graph = ox.NamedNode(DATACUBE_GRAPH)
    vocabulary = [q for item in vocabulary_files(ROOT) for q in _parse(item.path)]
    checks = sorted((ROOT / "ontology" / "qc").glob("ic-*-violation.rq"))
    assert len(checks) == 21

    def broken(data: list[ox.Quad]) -> dict[str, int]:
        store = datacube_store(
            ROOT, [ox.Quad(q.subject, q.predicate, q.object, graph) for q in data]
        )
        try:
            found = {check.name: len(rows(store, QcQuery(check))) for check in checks}
        finally:
            store.close()
        return {name: n for name, n in found.items() if n}

    after = [q for quads in migrated.values() for q in quads]
    assert broken(vocabulary + after) == {}
    before = [q for path in FIXTURES for q in _parse(path)]
    assert set(broken(vocabulary + before)) == {
        "ic-01-unique-dataset-violation.rq", "ic-02-unique-dsd-violation.rq",
    }  # fmt: skip


def test_the_migration_is_idempotent(migrated: dict[str, list[ox.Quad]]) -> None:

    body = rdfio.serialize(migrated["kauniainen-235.ttl"], RdfFormat.TURTLE)
    again = migrate(body, to="1.0", fmt=RdfFormat.TURTLE, root=ROOT)
    assert [(o.removed, o.added) for o in again.outcomes] == [(0, 0)] * len(again.outcomes)


def test_the_documented_commands(tmp_path: Path) -> None:
    """docs/migration-1.0.md: migrate into a directory, then validate the result (exit 0)."""
    source = next(p for p in FIXTURES if p.name == "kauniainen-235.ttl")
    out = tmp_path / "1.0"
    assert main(["migrate", str(source), "--to", "1.0", "--output-dir", str(out)]) == 0
    assert main(["validate", str(out / source.name)]) == 0
    guide = (ROOT / "docs" / "migration-1.0.md").read_text("utf-8")
    assert "servicenet migrate" in guide and "--to 1.0" in guide
    for step in STEPS.glob("*.ru"):
        assert step.stem in guide, f"docs/migration-1.0.md does not describe {step.name}"


def test_a_0_1_catchment_area_still_needs_the_city() -> None:
    """What the guide says a city must add: the migration cannot derive a catchment area's kind,
    sites, language or school year, so a 0.1 catchment area is refused until the city adds them."""

    area = PREFIXES + (
        "ex:area\\/ca-1 a sn:CatchmentArea ; <http://www.w3.org/2000/01/rdf-schema#label> "
        '"Kilonpuiston oppilaaksiottoalue"@fi , "Kilonpuistos elevupptagningsområde"@sv ; '
        'sn:areaCode "ca-1" ; sn:areaLevel code:area-level\\/catchment-area ; '
        "sn:partOfArea code:municipality\\/049 .\n"
    )
    result = migrate(area.encode(), to="1.0", fmt=RdfFormat.TURTLE, root=ROOT)
    assert all(o.removed == o.added == 0 for o in result.outcomes)
    paths = {
        r.path for r in validate_quads(result.quads).results if r.severity == Severity.VIOLATION
    }
    assert paths == {
        SN + "catchmentKind",
        SN + "servedBy",
        SN + "serviceLanguage",
        SN + "schoolYear",
    }
