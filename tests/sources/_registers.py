"""What the tests of the unit-register sources (varda, servicemap, turku, evaka) share."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import rdflib
from rdflib import Namespace, URIRef

from servicenet_vocab.convert.engine import ConversionResult
from servicenet_vocab.sources import SourceOptions, convert_source, get_source
from servicenet_vocab.validation import Severity, validate
from servicenet_vocab.validation import formats as report_formats
from servicenet_vocab.vocabulary.files import project_root

DATA = Path(__file__).resolve().parents[1] / "data" / "sources"
EXAMPLES = project_root() / "examples" / "sources"
SN = Namespace("https://w3id.org/servicenet/ontology#")
CODE = "https://w3id.org/servicenet/code/"
BASE = "https://w3id.org/servicenet/data/"
DATE = "2025-01-31"


def code(scheme: str, notation: str) -> URIRef:
    return URIRef(f"{CODE}{scheme}/{notation}")


def convert(
    source: str,
    path: Path,
    out: Path,
    *,
    municipality: str | None = None,
    skip_invalid: bool = False,
    **extra: str,
) -> ConversionResult:
    return convert_source(
        get_source(source),
        path,
        options=SourceOptions(municipality=municipality, extra={"date": DATE, **extra}),
        output=out,
        skip_invalid=skip_invalid,
    )


def graph(path: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(path, format="turtle")


def assert_conforms(*paths: Path) -> None:
    report = validate(list(paths))
    violations = [r for r in report.results if r.severity is Severity.VIOLATION]
    assert violations == [], report_formats.text(report)


def units(g: rdflib.Graph) -> dict[str, dict[str, Any]]:
    """Each unit by its first label: municipality, classes, type, forms, services, systems."""
    found: dict[str, dict[str, Any]] = {}
    for unit in g.subjects(rdflib.RDF.type, SN.ServiceUnit):
        name = str(sorted(g.objects(unit, rdflib.RDFS.label))[0])
        found[name] = {
            "iri": unit,
            "municipality": str(g.value(unit, SN.municipality)).rsplit("/", 1)[1],
            "classes": {str(c).rsplit("#", 1)[1] for c in g.objects(unit, rdflib.RDF.type)},
            "type": str(g.value(unit, SN.unitType)).rsplit("/", 1)[1],
            "forms": {str(f).rsplit("/", 1)[1] for f in g.objects(unit, SN.organisationForm)},
            "services": {
                str(g.value(o, SN.serviceType)).rsplit("/", 1)[1]
                for o in g.objects(unit, SN.offers)
            },
            "systems": {str(s).rsplit("/", 1)[1] for s in g.objects(unit, SN.pedagogicalSystem)},
            "provider": g.value(unit, SN.provider),
            "visiting": _address(g, g.value(unit, SN.hasAddress)),
            "postal": _address(g, g.value(unit, SN.postalAddress)),
        }
    return found


def _address(g: rdflib.Graph, node: Any) -> tuple[str | None, str | None] | None:
    if node is None:
        return None
    street = g.value(node, SN.streetAddress)
    postcode = g.value(node, SN.postalCode)
    return (str(street) if street else None, str(postcode) if postcode else None)
