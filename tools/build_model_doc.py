"""Write the term tables of docs/model.md from the ontology and code lists.

    .venv/bin/python tools/build_model_doc.py > docs/model.md
The prose at the top is kept in this script so the document stays one generated file.
"""

from __future__ import annotations

import sys
from pathlib import Path

import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parent.parent
SN = "https://w3id.org/servicenet/ontology#"
INTRO = (ROOT / "tools" / "model_intro.md").read_text("utf-8")
PREFIXES = {
    SN: "sn:",
    str(SKOS): "skos:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:",
    str(RDFS): "rdfs:",
    str(OWL): "owl:",
    "http://purl.org/linked-data/cube#": "qb:",
    "http://www.opengis.net/ont/geosparql#": "geo:",
    "http://www.w3.org/ns/dcat#": "dcat:",
    "http://qudt.org/vocab/unit/": "unit:",
}


def _short(node: object) -> str:
    text = str(node)
    for base, prefix in PREFIXES.items():
        if text.startswith(base):
            return prefix + text[len(base) :]
    return f"<{text}>"


def _en(graph: rdflib.Graph, node: rdflib.term.Node, prop: rdflib.URIRef) -> str:
    for value in graph.objects(node, prop):
        if isinstance(value, rdflib.Literal) and value.language == "en":
            return str(value).replace("|", "\\|")
    return ""


def _classes(graph: rdflib.Graph) -> list[str]:
    rows = ["| class | en label | subclass of | definition |", "|---|---|---|---|"]
    for cls in sorted(s for s in graph.subjects(RDF.type, OWL.Class) if str(s).startswith(SN)):
        supers = ", ".join(sorted(_short(o) for o in graph.objects(cls, RDFS.subClassOf)))
        rows.append(
            f"| `{_short(cls)}` | {_en(graph, cls, RDFS.label)} | {supers} "
            f"| {_en(graph, cls, SKOS.definition)} |"
        )
    return rows


def _properties(graph: rdflib.Graph) -> list[str]:
    rows = ["| property | en label | kind | domain → range | definition |", "|---|---|---|---|---|"]
    kinds = {OWL.ObjectProperty: "object", OWL.DatatypeProperty: "data"}
    props = {s for k in kinds for s in graph.subjects(RDF.type, k) if str(s).startswith(SN)}
    for prop in sorted(props):
        kind = next(v for k, v in kinds.items() if (prop, RDF.type, k) in graph)
        if (prop, RDF.type, OWL.FunctionalProperty) in graph:
            kind += ", functional"
        domain = ", ".join(_short(o) for o in graph.objects(prop, RDFS.domain)) or "*(any)*"
        rng = ", ".join(_short(o) for o in graph.objects(prop, RDFS.range))
        unit = next(graph.objects(prop, rdflib.URIRef(SN + "unitOfMeasure")), None)
        if unit is not None:
            rng += f" [{_short(unit)}]"
        rows.append(
            f"| `{_short(prop)}` | {_en(graph, prop, RDFS.label)} | {kind} | {domain} → {rng} "
            f"| {_en(graph, prop, SKOS.definition)} |"
        )
    return rows


def _codelists() -> list[str]:
    rows = ["| scheme | file | concepts | notations |", "|---|---|---|---|"]
    for path in sorted((ROOT / "ontology" / "codelists").glob("*.ttl")):
        graph = rdflib.Graph().parse(path)
        scheme = next(graph.subjects(RDF.type, SKOS.ConceptScheme))
        notations = sorted(str(n) for n in graph.objects(None, SKOS.notation))
        shown = ", ".join(notations[:12]) + (" …" if len(notations) > 12 else "")
        rows.append(f"| `{scheme}` | `{path.name}` | {len(notations)} | {shown} |")
    return rows


def _queries() -> list[str]:
    sys.path.insert(0, str(ROOT / "src"))
    from servicenet_vocab.queries import list_queries

    rows = ["| query | answers | parameters (type, default) |", "|---|---|---|"]
    for query in list_queries():
        params = ", ".join(f"`{p.name}` {p.datatype} {p.default}" for p in query.params) or "–"
        rows.append(f"| `{query.name}` | {query.title} | {params} |")
    return rows


def build() -> str:
    graph = rdflib.Graph().parse(ROOT / "ontology" / "servicenet.ttl")
    parts = [INTRO, "## Classes", *_classes(graph), "", "## Properties", *_properties(graph)]
    parts += ["", "## Code lists", *_codelists(), ""]
    parts += ["## Named planning queries (`src/servicenet_vocab/queries/*.rq`)", *_queries(), ""]
    return "\n".join(parts)


if __name__ == "__main__":
    sys.stdout.write(build())
