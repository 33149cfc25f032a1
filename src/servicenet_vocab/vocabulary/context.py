"""The JSON-LD context of the vocabulary, generated from ``ontology/servicenet.ttl``.

One source of truth: every class and property of the ontology becomes a term (``ServiceUnit``,
``places``), object properties take IRIs (``"@type": "@id"``), typed data properties their datatype
and language texts a language map (``"label": {"fi": "...", "sv": "..."}``). The same bytes are
written to ``context/servicenet.jsonld`` (checked in tests) and served by the facade at
``/context.jsonld``. Contexts are never fetched: a document naming this context by its IRI gets the
local copy inlined before parsing (``parse_jsonld``).

    python -m servicenet_vocab.vocabulary.context   # rewrite context/servicenet.jsonld after an ontology edit
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from servicenet_vocab import rdfio
from servicenet_vocab.errors import Location, RefusedInputError
from servicenet_vocab.namespaces import (
    OWL,
    RDF,
    RDFS,
    SN,
    XSD,
    prefix_table,
)
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.vocabulary.files import project_root

__all__ = [
    "CONTEXT_IRI",
    "build_context",
    "context_bytes",
    "context_file",
    "parse_jsonld",
    "write_context",
]

CONTEXT_IRI = "https://w3id.org/servicenet/context.jsonld"
# Names by which a document may refer to this context; all resolve to the local copy.
KNOWN_REFERENCES = (CONTEXT_IRI, "/context.jsonld", "/ns/context.jsonld", "servicenet.jsonld")

PREFIXES = prefix_table("sn", "code", "rdf", "rdfs", "xsd", "skos", "dct", "dcat", "qb", "geo")
# Terms from other vocabularies that city datasets use (see docs/model.md).
EXTRA_TERMS: dict[str, Any] = {
    "id": "@id",
    "type": "@type",
    "label": {"@id": "rdfs:label", "@container": "@language"},
    "Dataset": "dcat:Dataset",
    "DataSet": "qb:DataSet",
    "Observation": "qb:Observation",
    "dataSet": {"@id": "qb:dataSet", "@type": "@id"},
    "title": {"@id": "dct:title", "@container": "@language"},
    "description": {"@id": "dct:description", "@container": "@language"},
    "publisher": {"@id": "dct:publisher", "@type": "@id"},
    "license": {"@id": "dct:license", "@type": "@id"},
    "modified": {"@id": "dct:modified", "@type": "xsd:date"},
    "issued": {"@id": "dct:issued", "@type": "xsd:date"},
    "temporal": {"@id": "dct:temporal", "@type": "@id"},
    "PeriodOfTime": "dct:PeriodOfTime",
    "startDate": {"@id": "dcat:startDate", "@type": "xsd:date"},
    "endDate": {"@id": "dcat:endDate", "@type": "xsd:date"},
    "Geometry": "geo:Geometry",
    "hasGeometry": {"@id": "geo:hasGeometry", "@type": "@id"},
    "asWKT": {"@id": "geo:asWKT", "@type": "geo:wktLiteral"},
}
_LANGUAGE_RANGES = {RDFS + "Literal", RDF + "langString"}


def context_file(root: Path | None = None) -> Path:
    """Where the generated context is kept: ``context/servicenet.jsonld`` in the project."""
    return (root or project_root()) / "context" / "servicenet.jsonld"


def build_context(ontology: Path | None = None) -> dict[str, Any]:
    """The context document (``{"@context": {...}}``) for the ontology's terms."""
    path = ontology or project_root() / "ontology" / "servicenet.ttl"
    terms: dict[str, Any] = dict(PREFIXES)
    terms.update(EXTRA_TERMS)
    for name, definition in sorted(_terms(rdfio.parse(path))):
        terms[name] = definition
    return {"@context": terms}


def _terms(quads: list[ox.Quad]) -> Iterator[tuple[str, Any]]:
    types: dict[str, set[str]] = {}
    ranges: dict[str, str] = {}
    for quad in quads:
        subject = quad.subject
        if not isinstance(subject, ox.NamedNode) or not subject.value.startswith(SN):
            continue
        if quad.predicate.value == RDF + "type":
            types.setdefault(subject.value, set()).add(quad.object.value)  # type: ignore[union-attr]
        elif quad.predicate.value == RDFS + "range" and isinstance(quad.object, ox.NamedNode):
            ranges[subject.value] = quad.object.value
    for iri, kinds in types.items():
        name = iri[len(SN) :]
        curie = "sn:" + name
        if OWL + "Class" in kinds:
            yield name, curie
        elif OWL + "ObjectProperty" in kinds:
            yield name, {"@id": curie, "@type": "@id"}
        elif OWL + "DatatypeProperty" in kinds:
            yield name, _datatype_term(curie, ranges.get(iri))
        elif OWL + "AnnotationProperty" in kinds:
            yield name, curie


def _datatype_term(curie: str, range_iri: str | None) -> Any:
    if range_iri in _LANGUAGE_RANGES:
        return {"@id": curie, "@container": "@language"}
    if range_iri and range_iri.startswith(XSD) and range_iri != XSD + "string":
        return {"@id": curie, "@type": "xsd:" + range_iri[len(XSD) :]}
    return curie


def _render(context: dict[str, Any]) -> bytes:
    return (json.dumps(context, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@lru_cache(maxsize=4)
def context_bytes(ontology: Path | None = None) -> bytes:
    """The context as served: generated from the ontology once per process."""
    return _render(build_context(ontology))


def write_context(target: Path | None = None) -> Path:
    path = target or context_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_render(build_context()))
    return path


def parse_jsonld(data: bytes, *, source: str = "input") -> list[ox.Quad]:
    """Parse JSON-LD that names this context by reference, with the local context inlined.

    Any other remote context is refused (``rdfio`` never fetches); errors carry the source.
    """
    document = rdfio.load_json(data, source=source)
    inlined = _inline(document, json.loads(context_bytes())["@context"], source)
    return rdfio.parse(json.dumps(inlined).encode("utf-8"), RdfFormat.JSONLD, source_name=source)


def _inline(node: Any, local: dict[str, Any], source: str) -> Any:
    """Replace references to our context with the context itself, in the top object or list."""
    if isinstance(node, list):
        return [_inline(item, local, source) for item in node]
    if not isinstance(node, dict) or "@context" not in node:
        return node
    context = node["@context"]
    items = context if isinstance(context, list) else [context]
    resolved: list[Any] = []
    for item in items:
        if isinstance(item, str):
            if not item.endswith(KNOWN_REFERENCES):
                raise RefusedInputError(
                    f"remote JSON-LD context {item!r} is never fetched; use {CONTEXT_IRI}",
                    location=Location(source=source),
                )
            resolved.append(local)
        else:
            resolved.append(item)
    if all(isinstance(item, dict) for item in resolved):
        # One merged object (later terms win, as in a context list): rdfio's remote-context scan
        # reads a list holding IRIs as a remote reference.
        merged: dict[str, Any] = {}
        for item in resolved:
            merged.update(item)
        return {**node, "@context": merged}
    return {**node, "@context": resolved}


if __name__ == "__main__":  # pragma: no cover
    print(f"wrote {write_context()}")
