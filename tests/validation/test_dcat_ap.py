"""DCAT-AP: the vocabulary catalogue and every example dataset conform to the official DCAT-AP SHACL
shapes and avoindata.fi's extension (vendored in tests/data/dcat-ap/, see its README), and to the
recommended properties of every dataset (description, distribution, contact point, theme, spatial).

The catalogue is validated on its own statements (alignments as context): its entries reuse the
vocabularies' IRIs, whose headers carry dct:source / dct:creator literals meant for SKOS/OWL readers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from servicenet_vocab.validation import ValidationReport, validate
from servicenet_vocab.validation.pipeline import default_context

ROOT = Path(__file__).resolve().parents[2]
DCAT_AP = ROOT / "tests" / "data" / "dcat-ap"
MANDATORY = [
    DCAT_AP / "dcat-ap_3.0.0_html_shacl_shapes.ttl",
    DCAT_AP / "avoindata_dcat-ap_shacl.ttl",
]
RECOMMENDED = DCAT_AP / "dcat-ap_2.1.1_shacl_shapes_recommended.ttl"
VOCABULARIES = DCAT_AP / "vocabularies.ttl"
EXAMPLES = sorted((ROOT / "examples" / "valid").glob("*.ttl"))
CATALOG = ROOT / "ontology" / "catalog.ttl"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
FOAF = "http://xmlns.com/foaf/0.1/"
# Recommended, and not adopted: bounding boxes and centroids of areas (their geometry is
# geo:hasGeometry), release dates of the catalogue, a homepage, the contributors' publisher type, and
# a temporal coverage of vocabularies (they have none).
NOT_ADOPTED = {
    DCAT + "bbox",
    DCAT + "centroid",
    DCT + "issued",
    DCT + "modified",
    FOAF + "homepage",
}


def _context() -> list[Path]:
    return [*default_context(), VOCABULARIES]


def _catalog_context() -> list[Path]:
    return [*sorted((ROOT / "ontology" / "alignments").glob("*.ttl")), VOCABULARIES]


def _describe(report: ValidationReport) -> str:
    return "\n".join(
        f"{r.severity.value} {r.focus_node} {r.path}: {r.message}" for r in report.results[:20]
    )


def _datasets(data: Path, context: list[Path]) -> set[str]:
    """The dcat:Dataset and dcat:Catalog nodes of a file (recommended properties are required there)."""
    import pyoxigraph as ox

    store = ox.Store()
    for path in [data, *context]:
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    query = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT DISTINCT ?d WHERE { "
        f"?d a/rdfs:subClassOf* ?c VALUES ?c {{ <{DCAT}Dataset> }} }}"
    )
    mentioned = data.read_text("utf-8")
    return {
        row["d"].value
        for row in store.query(query)  # type: ignore[union-attr]
        if isinstance(row["d"], ox.NamedNode) and row["d"].value.rsplit("/", 1)[-1] in mentioned
    }


CASES = [(path, _context) for path in EXAMPLES] + [(CATALOG, _catalog_context)]


@pytest.mark.parametrize(("data", "context"), CASES, ids=[p.name for p, _ in CASES])
def test_conforms_to_the_mandatory_dcat_ap_shapes(data: Path, context: object) -> None:
    report = validate(data=[data], shapes=MANDATORY, context=context())  # type: ignore[operator]
    assert report.conforms, _describe(report)
    assert not report.results, _describe(report)


@pytest.mark.parametrize(("data", "context"), CASES, ids=[p.name for p, _ in CASES])
def test_every_dataset_has_the_recommended_properties(data: Path, context: object) -> None:
    contexts = context()  # type: ignore[operator]
    report = validate(data=[data], shapes=[RECOMMENDED], context=contexts)
    datasets = _datasets(data, contexts)
    assert datasets
    missing = [r for r in report.results if r.focus_node in datasets and r.path != DCT + "temporal"]
    if data != CATALOG:  # a city's datasets cover a period; the vocabularies do not
        missing += [
            r for r in report.results if r.focus_node in datasets and r.path == DCT + "temporal"
        ]
    assert not missing, "\n".join(f"{r.focus_node} {r.path}" for r in missing)
    others = {r.path for r in report.results if r.focus_node not in datasets}
    assert others <= NOT_ADOPTED | {DCT + "type"}, others


def test_a_dataset_without_description_is_refused(tmp_path: Path) -> None:
    """The shapes do bite: the Kauniainen example with one dct:description removed fails."""
    source = next(p for p in EXAMPLES if p.name.startswith("kauniainen"))
    lines = source.read_text("utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if "dataset/capacity-2025> a qb:DataSet" in line)
    cut = next(i for i in range(start, len(lines)) if "dct:description" in lines[i])
    broken = tmp_path / "broken.ttl"
    broken.write_text("".join(lines[:cut] + lines[cut + 1 :]), "utf-8")
    report = validate(data=[broken], shapes=MANDATORY, context=_context())
    assert not report.conforms
    focus = {(r.focus_node.rsplit("/", 1)[-1], r.path) for r in report.results}
    assert ("capacity-2025", DCT + "description") in focus
