"""``servicenet export cpsv-ap``: the example cities as CPSV-AP 3.2.0, checked with the official
CPSV-AP SHACL shapes (vendored in tests/data/cpsv-ap/, see its README) by this project's validator
and by pyshacl, with the CPSV-AP vocabulary as context (it makes a cv:PublicOrganisation an
org:Organization and a foaf:Agent, so the Agent shape applies to organisations too).
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib import RDF, RDFS, XSD, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SH

from servicenet_vocab import namespaces as ns
from servicenet_vocab.cli import main
from servicenet_vocab.steward.cpsv_ap import export, parse_opening_hours
from servicenet_vocab.validation import validate

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "cpsv-ap"
SHAPES = DATA / "cpsv-ap-3.2.0_SHACL.ttl"
VOCABULARY = DATA / "cpsv-ap-3.2.0.ttl"
OFFICIAL_EXAMPLE = DATA / "cpsv-ap-3.2.0_example_public_service.ttl"
EXAMPLES = sorted((ROOT / "examples" / "valid").glob("*.ttl"))
KAUNIAINEN = next(p for p in EXAMPLES if p.name.startswith("kauniainen"))

SN = Namespace(ns.SN)
CPSV = Namespace(ns.CPSV)
CV = Namespace(ns.CV)
TIME = Namespace("http://www.w3.org/2006/time#")
BASE = "https://data.kauniainen.fi/servicenet/"
MANTYLA = URIRef(BASE + "unit/mantyla")
CITY = URIRef(BASE + "organisation/city")
PUBLIC_TYPES = {URIRef(ns.CODE + "provider-type/" + t) for t in ("municipality", "state")} | {
    URIRef(ns.CODE + "provider-type/joint-municipal-authority")
}


def _ours(path: Path) -> set[tuple[str, str | None, str]]:
    report = validate(data=[path], shapes=[SHAPES], context=[VOCABULARY])
    assert report.fallback_reasons == []  # the SPARQL engine evaluated every shape itself
    return {(r.focus_node, r.path, r.severity.value) for r in report.results}


def _pyshacl(path: Path) -> set[tuple[str, str | None, str]]:
    conforms, results, _ = pyshacl.validate(
        rdflib.Graph().parse(path),
        shacl_graph=rdflib.Graph().parse(SHAPES),
        ont_graph=rdflib.Graph().parse(VOCABULARY),
        inference="none",
    )
    assert isinstance(results, rdflib.Graph)
    found: set[tuple[str, str | None, str]] = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        result_path = results.value(result, SH.resultPath)
        severity = str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1]
        focus = str(results.value(result, SH.focusNode))
        found.add((focus, None if result_path is None else str(result_path), severity))
    assert conforms == (not any(s == "Violation" for _, _, s in found))
    return found


def _export(sources: list[Path], out: Path) -> tuple[Path, rdflib.Graph]:
    result = export(sources)
    path = out / "cpsv-ap.ttl"
    result.graph.serialize(path, format="turtle")
    return path, rdflib.Graph().parse(path)


@pytest.mark.parametrize("source", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_city_conforms_to_the_official_shapes(source: Path, tmp_path: Path) -> None:
    result = export([source])
    path = tmp_path / "cpsv-ap.ttl"
    result.graph.serialize(path, format="turtle")
    assert _ours(path) == set()  # no violation, no warning, no info
    assert _pyshacl(path) == set()

    data = rdflib.Graph().parse(source)
    offerings = set(data.subjects(RDF.type, SN.ServiceOffering))
    services = set(result.graph.subjects(RDF.type, CPSV.PublicService))
    skipped = {o for values in result.skipped.values() for o in values}
    assert services and result.services == len(services)
    assert services | {URIRef(o) for o in skipped} == offerings
    assert not services & {URIRef(o) for o in skipped}
    for offering in skipped:  # only offerings of a private organiser are left out
        unit = data.value(predicate=SN.offers, object=URIRef(offering))
        organiser = data.value(unit, SN.organiser)
        assert data.value(organiser, SN.providerType) not in PUBLIC_TYPES
    for service in services:
        unit = data.value(predicate=SN.offers, object=service)
        assert (service, CV.hasChannel, unit) in result.graph
        authority = result.graph.value(service, CV.hasCompetentAuthority)
        assert authority == data.value(unit, SN.organiser)
        assert data.value(authority, SN.providerType) in PUBLIC_TYPES
        names = {getattr(n, "language", None) for n in data.objects(unit, RDFS.label)}
        titles = {
            getattr(t, "language", None) for t in result.graph.objects(service, DCTERMS.title)
        }
        assert names | {"en"} <= titles  # fi/sv names kept, English added
        hours = [str(h) for h in data.objects(service, SN.openingHours)]
        contact = result.graph.value(service, CV.contactPoint)
        openings = {o for h in hours for o in parse_opening_hours(h) or []}
        assert len(set(result.graph.objects(contact, CV.openingHours))) == len(openings) > 0


def test_helsinki_leaves_out_its_two_private_ecec_offerings() -> None:
    result = export([next(p for p in EXAMPLES if p.name.startswith("helsinki"))])
    assert {k: len(v) for k, v in result.skipped.items()} == {
        "its organiser is not a public organisation": 2
    }


def test_a_unit_and_its_services_in_cpsv_ap_terms(tmp_path: Path) -> None:
    _, graph = _export([KAUNIAINEN], tmp_path)
    ecec = URIRef(BASE + "unit/mantyla/offering/ecec")
    assert set(graph.objects(ecec, DCTERMS.title)) == {
        Literal("Päiväkoti Mäntylä: varhaiskasvatus", lang="fi"),
        Literal("Daghemmet Mäntylä: småbarnspedagogik", lang="sv"),
        Literal("Päiväkoti Mäntylä: early childhood education and care", lang="en"),
    }
    ptv = URIRef("http://uri.suomi.fi/codelist/ptv/ptvserclass2/code/P3.4")
    assert (ecec, CV.thematicArea, ptv) in graph
    assert (ecec, DCTERMS.language, URIRef("http://id.loc.gov/vocabulary/iso639-1/fi")) in graph
    assert (CITY, RDF.type, CV.PublicOrganisation) in graph
    assert graph.value(CITY, DCTERMS.identifier) == Literal("0203026-2")
    assert (MANTYLA, RDF.type, CV.Channel) in graph
    assert graph.value(MANTYLA, CV.ownedBy) == CITY
    contact = graph.value(ecec, CV.contactPoint)
    address = graph.value(contact, URIRef(ns.LOCN + "address"))
    assert graph.value(address, URIRef(ns.LOCN + "thoroughfare")) == Literal(
        "Kauppalantie 10", lang="fi"
    )
    # "Mo-Fr 06:30-17:30": five weekly openings from 06:30 to 17:30
    openings = set(graph.objects(contact, CV.openingHours))
    days = set()
    for opening in openings:
        begin = graph.value(graph.value(opening, TIME.hasBeginning), TIME.inDateTime)
        end = graph.value(graph.value(opening, TIME.hasEnd), TIME.inDateTime)
        assert (graph.value(begin, TIME.hour), graph.value(begin, TIME.minute)) == (
            Literal(6, datatype=XSD.nonNegativeInteger),
            Literal(30, datatype=XSD.nonNegativeInteger),
        )
        assert (graph.value(end, TIME.hour), graph.value(end, TIME.minute)) == (
            Literal(17, datatype=XSD.nonNegativeInteger),
            Literal(30, datatype=XSD.nonNegativeInteger),
        )
        days.add(graph.value(begin, TIME.dayOfWeek))
    assert days == {TIME[d] for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")}
    # the channel is open whenever one of its services is (ECEC and pre-school)
    assert set(graph.objects(MANTYLA, CV.openingHours)) > openings


def _without(source: Path, out: Path, subject: URIRef, predicate: URIRef) -> Path:
    graph = rdflib.Graph().parse(source)
    assert (subject, predicate, None) in graph
    graph.remove((subject, predicate, None))
    path = out / "mutated.ttl"
    graph.serialize(path, format="turtle")
    return path


MUTATIONS = [
    # the unit's name: its services have no dct:title
    (MANTYLA, RDFS.label, [BASE + "unit/mantyla/offering/ecec"], DCTERMS.title),
    # the unit's local identifier: the channel has no dct:identifier
    (MANTYLA, SN.localIdentifier, [str(MANTYLA)], DCTERMS.identifier),
    # the organiser's business id: the public organisation (an agent) has no dct:identifier
    (CITY, SN.businessId, [str(CITY)], DCTERMS.identifier),
    # the organiser's municipality: the public organisation has no dct:spatial
    (CITY, SN.municipality, [str(CITY)], DCTERMS.spatial),
    # the unit's organiser: its services have no competent authority
    (MANTYLA, SN.organiser, [BASE + "unit/mantyla/offering/pre-school"], CV.hasCompetentAuthority),
]


@pytest.mark.parametrize(
    ("subject", "predicate", "focus", "path"),
    MUTATIONS,
    ids=["unit-name", "unit-identifier", "business-id", "municipality", "organiser"],
)
def test_a_missing_mandatory_source_value_is_reported_on_the_exported_node(
    tmp_path: Path, subject: URIRef, predicate: URIRef, focus: list[str], path: URIRef
) -> None:
    source = _without(KAUNIAINEN, tmp_path, subject, predicate)
    exported, _ = _export([source], tmp_path)
    for found in (_ours(exported), _pyshacl(exported)):
        for node in focus:
            assert (node, str(path), "Violation") in found, sorted(found)


def test_both_engines_agree_on_the_official_example() -> None:
    """The official example itself breaks its shapes (untyped concepts, an organisation without
    the Agent's identifier and name): both engines report the same eight results."""
    ours = _ours(OFFICIAL_EXAMPLE)
    assert len(ours) == 8
    assert ours == _pyshacl(OFFICIAL_EXAMPLE)
    assert ("http://example.com/publicOrganisation1", ns.DCT + "identifier", "Violation") in ours


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mo-Fr 06:30-17:30", [f"{d}-0630-1730" for d in ("mo", "tu", "we", "th", "fr")]),
        ("Tu,Th 09:00-12:00", ["tu-0900-1200", "th-0900-1200"]),
        (
            "Mo-Su 00:00-24:00",
            [f"{d}-0000-2400" for d in ("mo", "tu", "we", "th", "fr", "sa", "su")],
        ),
        ("Sa 08:00-10:00,12:00-14:00", ["sa-0800-1000", "sa-1200-1400"]),
        ("Fr-Mo 08:00-10:00", None),
        ("Mo-Fr 17:30-06:30", None),
        ("Mo-Fr 06:30-25:00", None),
        ("weekdays 8-16", None),
    ],
)
def test_opening_hours(text: str, expected: list[str] | None) -> None:
    openings = parse_opening_hours(text)
    assert (None if openings is None else [o.key for o in openings]) == expected


def test_the_command_writes_one_file_for_several_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = rdflib.Graph()
    for source in EXAMPLES:
        data.parse(source)
    private = {
        offering
        for unit, offering in data.subject_objects(SN.offers)
        if data.value(data.value(unit, SN.organiser), SN.providerType) not in PUBLIC_TYPES
    }
    public = set(data.subjects(RDF.type, SN.ServiceOffering)) - private
    assert private and public
    assert main(["export", "cpsv-ap", *map(str, EXAMPLES), "-o", str(tmp_path)]) == 0
    out = tmp_path / "cpsv-ap.ttl"
    printed = capsys.readouterr().out
    assert f"wrote {out}: {len(public)} public services" in printed
    assert f"not exported (its organiser is not a public organisation): {len(private)}" in printed
    graph = rdflib.Graph().parse(out)
    assert set(graph.subjects(RDF.type, CPSV.PublicService)) == public
    assert _ours(out) == set()


def test_an_offering_no_unit_offers_is_listed_not_exported(tmp_path: Path) -> None:
    result = export([_without(KAUNIAINEN, tmp_path, MANTYLA, SN.offers)])
    assert result.skipped == {
        "no unit offers it": [
            BASE + "unit/mantyla/offering/ecec",
            BASE + "unit/mantyla/offering/pre-school",
        ]
    }
    assert (MANTYLA, RDF.type, CV.Channel) not in result.graph
