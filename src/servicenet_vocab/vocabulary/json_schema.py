"""JSON Schema (2020-12) for plain JSON that is compacted JSON-LD, generated from the SHACL shapes.

One definition per node shape that targets a class (``sh:targetClass``), under ``$defs``, with its
properties named as the JSON-LD context names the terms (``places``, ``label``, ``unitType``;
``dcat:keyword`` for a term the context only knows by prefix). The document a city sends is the
"dataset" document: ``{"@context": ..., "@graph": [typed objects]}``; each object of ``@graph`` is
checked against every shape whose target class (or a subclass of it) it names in ``type``.

What each SHACL constraint becomes (only shapes of severity ``sh:Violation``; warnings stay SHACL's):

    sh:minCount >= 1        "required" (and "minItems" for an array)
    sh:maxCount 1           one value; otherwise a value or an array ("maxItems")
    sh:datatype             xsd:integer -> integer, xsd:boolean -> boolean, xsd:date -> string
                            (format date), xsd:dateTime -> string (format date-time), xsd:decimal
                            -> integer or a decimal string (a JSON number with a fraction would
                            become an xsd:double lexical form in JSON-LD), rdf:langString -> a
                            language map ({"fi": ..., "sv": ...})
    sh:min/maxInclusive,    minimum / maximum / exclusiveMinimum / exclusiveMaximum
    sh:min/maxExclusive
    sh:pattern              pattern
    sh:in                   enum
    sh:hasValue             const (or an array that contains it)
    sh:node                 a code-list shape (skos:inScheme with sh:hasValue): enum of the scheme's
                            concepts, as full and as compact IRIs (``code:age-group/0-6``); any
                            other node shape: an IRI, or an embedded object checked by $ref
    sh:class, sh:nodeKind   an IRI string (or an embedded typed object)

Constraints JSON Schema cannot state (``sh:sparql``, ``sh:or``, ``sh:not``, qualified counts,
inverse paths, comparisons between properties) are listed per definition in
``x-shacl-only``: SHACL checks them when the JSON arrives as RDF (``POST /validate``).

Titles and descriptions come from ``sh:name`` / ``sh:description``, else the term's ``rdfs:label``
/ ``skos:definition``: ``title`` and ``description`` in English, all three languages in
``x-labels`` and ``x-descriptions``.

``plain_json`` writes RDF as such a document (rdflib's JSON-LD serialiser compacting with the
context, then integers and booleans as JSON numbers and booleans).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import rdflib
from rdflib import RDF, RDFS, SKOS, XSD, Namespace
from rdflib.collection import Collection
from rdflib.compare import to_canonical_graph
from rdflib.term import BNode, Literal, Node, URIRef

from servicenet_vocab import __version__, rdfio
from servicenet_vocab.vocabulary.context import CONTEXT_IRI, KNOWN_REFERENCES, context_bytes
from servicenet_vocab.vocabulary.files import project_root, vocabulary_files

__all__ = [
    "DIALECT",
    "LANGUAGES",
    "SCHEMA_BASE",
    "JsonSchemas",
    "field_name",
    "json_schemas",
    "plain_json",
    "vocabulary_version",
]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_BASE = "https://w3id.org/servicenet/schema/"
LANGUAGES = ("fi", "sv", "en")
SH = Namespace("http://www.w3.org/ns/shacl#")
OWL_VERSION_INFO = URIRef("http://www.w3.org/2002/07/owl#versionInfo")
OWL_ONTOLOGY = URIRef("http://www.w3.org/2002/07/owl#Ontology")

_DECIMAL = r"[0-9]+(\.[0-9]+)?|\.[0-9]+"
_LANGUAGE_TAG = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
_NUMERIC_BOUNDS = {
    SH.minInclusive: "minimum",
    SH.maxInclusive: "maximum",
    SH.minExclusive: "exclusiveMinimum",
    SH.maxExclusive: "exclusiveMaximum",
}
_NATIVE = {"xsd:integer": int, "xsd:boolean": bool}
# Constraints that have no JSON Schema counterpart here (named in x-shacl-only).
_SHACL_ONLY = {
    SH.sparql: "sh:sparql",
    SH["or"]: "sh:or",
    SH["not"]: "sh:not",
    SH["and"]: "sh:and",
    SH.xone: "sh:xone",
    SH.qualifiedValueShape: "sh:qualifiedValueShape",
    SH.lessThan: "sh:lessThan",
    SH.lessThanOrEquals: "sh:lessThanOrEquals",
    SH.equals: "sh:equals",
    SH.disjoint: "sh:disjoint",
    SH.closed: "sh:closed",
}


@dataclass(frozen=True)
class JsonSchemas:
    """The generated documents of one vocabulary version."""

    version: str
    schema: dict[str, Any]
    openapi: dict[str, Any]
    # Each definition's target class (compact name) -> the definitions that check it.
    classes: dict[str, list[str]] = field(default_factory=dict)

    @cached_property
    def schema_bytes(self) -> bytes:
        return _render(self.schema)

    @cached_property
    def openapi_bytes(self) -> bytes:
        return _render(self.openapi)


def _render(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def schema_iri(version: str) -> str:
    return f"{SCHEMA_BASE}{version}/servicenet.schema.json"


def openapi_iri(version: str) -> str:
    return f"{SCHEMA_BASE}{version}/openapi.json"


@lru_cache(maxsize=4)
def json_schemas(root: Path | None = None) -> JsonSchemas:
    """The JSON Schema and the OpenAPI document of the vocabulary tree ``root`` (default: the
    project's), generated once per process."""
    from servicenet_vocab.vocabulary.openapi import build_openapi

    base = root or project_root()
    graph = _vocabulary_graph(base)
    version = _version(graph)
    context = json.loads(context_bytes(base / "ontology" / "servicenet.ttl"))["@context"]
    builder = _Builder(graph, _Names(context))
    schema = builder.document(version)
    return JsonSchemas(
        version=version,
        schema=schema,
        openapi=build_openapi(schema, version),
        classes=builder.classes,
    )


def vocabulary_version(root: Path | None = None) -> str:
    """``owl:versionInfo`` of the ontology (the package's version when it has none)."""
    return json_schemas(root).version


def _vocabulary_graph(root: Path) -> rdflib.Graph:
    graph = rdflib.Graph()
    for item in vocabulary_files(root):
        graph += rdfio.to_rdflib(rdfio.parse(item.path))
    return graph


def _version(graph: rdflib.Graph) -> str:
    for ontology in graph.subjects(RDF.type, OWL_ONTOLOGY):
        info = graph.value(ontology, OWL_VERSION_INFO)
        if isinstance(ontology, URIRef) and info is not None and "servicenet" in str(ontology):
            return str(info)
    return __version__


# --- names -------------------------------------------------------------------------------------


class _Names:
    """The context's names for IRIs: terms first, then prefix:local, else the IRI itself."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.context = context
        self.prefixes = {
            name: value
            for name, value in context.items()
            if isinstance(value, str) and value.endswith(("/", "#"))
        }
        self.terms: dict[str, str] = {}
        self.coercion: dict[str, Any] = {}
        for name, definition in sorted(context.items()):
            if name in self.prefixes:
                continue
            iri = definition if isinstance(definition, str) else definition.get("@id")
            if not isinstance(iri, str) or iri.startswith("@"):
                continue
            self.terms.setdefault(self.expand(iri), name)
            self.coercion[name] = definition

    def expand(self, value: str) -> str:
        prefix, colon, local = value.partition(":")
        if colon and prefix in self.prefixes:
            return self.prefixes[prefix] + local
        return value

    def compact_iri(self, iri: str) -> str | None:
        best: tuple[int, str] | None = None
        for prefix, namespace in self.prefixes.items():
            longer = best is None or len(namespace) > best[0]
            if iri.startswith(namespace) and len(iri) > len(namespace) and longer:
                best = (len(namespace), f"{prefix}:{iri[len(namespace) :]}")
        return best[1] if best else None

    def name(self, iri: str) -> str:
        """The JSON property (or type) name of ``iri`` in compacted JSON-LD."""
        return self.terms.get(iri) or self.compact_iri(iri) or iri

    def forms(self, iri: str) -> list[str]:
        """Every string by which a document may name ``iri``: the term, compact IRI, IRI."""
        found = [self.terms.get(iri), self.compact_iri(iri), iri]
        return list(dict.fromkeys(f for f in found if f))

    def is_language_map(self, name: str) -> bool:
        definition = self.coercion.get(name)
        return isinstance(definition, dict) and definition.get("@container") == "@language"

    def type_of(self, name: str) -> str | None:
        definition = self.coercion.get(name)
        return definition.get("@type") if isinstance(definition, dict) else None


def field_name(iri: str, root: Path | None = None) -> str:
    """The JSON property that carries ``iri`` (a SHACL result's ``sh:path``) in the schema."""
    base = root or project_root()
    context = json.loads(context_bytes(base / "ontology" / "servicenet.ttl"))["@context"]
    return _Names(context).name(iri.strip("<>"))


# --- the builder -------------------------------------------------------------------------------


def _texts(graph: rdflib.Graph, subject: Node, *predicates: URIRef) -> dict[str, str]:
    """One text per language of the first predicate that has any (fi, sv, en in that order)."""
    for predicate in predicates:
        found: dict[str, str] = {}
        for value in graph.objects(subject, predicate):
            if isinstance(value, Literal) and value.language in LANGUAGES:
                found.setdefault(value.language, str(value))
        if found:
            return {lang: found[lang] for lang in LANGUAGES if lang in found}
    return {}


def _annotate(schema: dict[str, Any], labels: dict[str, str], descriptions: dict[str, str]) -> None:
    if labels:
        schema["title"] = labels.get("en") or next(iter(labels.values()))
        schema["x-labels"] = labels
    if descriptions:
        schema["description"] = descriptions.get("en") or next(iter(descriptions.values()))
        schema["x-descriptions"] = descriptions


def _local(node: Node) -> str:
    text = str(node)
    return re.split(r"[#/]", text)[-1] or text


@dataclass
class _Property:
    """What the property shapes of one path in one node shape say."""

    name: str
    path: URIRef
    schemas: list[dict[str, Any]] = field(default_factory=list)
    required: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)


class _Builder:
    def __init__(self, graph: rdflib.Graph, names: _Names) -> None:
        self.graph = graph
        self.names = names
        self.defs: dict[str, dict[str, Any]] = {}
        self.classes: dict[str, list[str]] = {}
        self._def_names: dict[Node, str] = {}
        self._pending: list[Node] = []

    # The document --------------------------------------------------------------------------

    def document(self, version: str) -> dict[str, Any]:
        g = self.graph
        targeted = sorted(
            {s for s in g.subjects(SH.targetClass, None) if (s, RDF.type, SH.NodeShape) in g},
            key=str,
        )
        dispatch: list[dict[str, Any]] = []
        for shape in targeted:
            name = self._def_name(shape)
            for target in sorted(g.objects(shape, SH.targetClass), key=str):
                type_names = sorted(
                    {
                        form
                        for cls in self._subclasses(target)
                        for form in self.names.forms(str(cls))
                    }
                )
                self.classes.setdefault(self.names.name(str(target)), []).append(name)
                dispatch.append(
                    {
                        "if": {
                            "required": ["type"],
                            "properties": {
                                "type": _one_or_many({"enum": type_names}, contains=True)
                            },
                        },
                        "then": {"$ref": f"#/$defs/{name}"},
                    }
                )
        while self._pending or any(self._def_name(s) not in self.defs for s in targeted):
            shape = (
                self._pending.pop()
                if self._pending
                else next(s for s in targeted if self._def_name(s) not in self.defs)
            )
            if self._def_name(shape) not in self.defs:
                self.defs[self._def_name(shape)] = {}  # reserved: recursion stops here
                self.defs[self._def_name(shape)] = self._node_shape(shape)
        self.defs["Node"] = {
            "title": "A typed object of the dataset",
            "description": "An object of @graph: its type names the classes whose shapes apply "
            "(a subclass's instances are checked by its superclasses' shapes too).",
            "type": "object",
            "properties": {
                "id": {"type": "string", "description": "the object's IRI (or _:name)"},
                "type": _one_or_many({"type": "string"}),
            },
            "allOf": dispatch,
        }
        labels = {
            "fi": "Palveluverkon aineisto (JSON-LD)",
            "sv": "Servicenätets datamängd (JSON-LD)",
            "en": "Service-network dataset (JSON-LD)",
        }
        descriptions = {
            "fi": "Kaupungin aineisto tavallisena JSON-dokumenttina: @context ja @graph. "
            "Kontekstin kautta siitä tulee RDF:ää, jonka SHACL-muodot tarkistavat.",
            "sv": "Stadens datamängd som ett vanligt JSON-dokument: @context och @graph. "
            "Genom kontexten blir den RDF som SHACL-formerna kontrollerar.",
            "en": "A city's dataset as a plain JSON document: @context and @graph. Through the "
            "context it becomes RDF that the SHACL shapes check.",
        }
        document: dict[str, Any] = {
            "$schema": DIALECT,
            "$id": schema_iri(version),
            "x-vocabulary-version": version,
            "x-context": CONTEXT_IRI,
        }
        _annotate(document, labels, descriptions)
        document.update(
            {
                "type": "object",
                "required": ["@context", "@graph"],
                "properties": {
                    "@context": {
                        "description": "the project's context: inlined (an object), or named "
                        f"by {CONTEXT_IRI} where the reader inlines it (servicenet convert jsonld)",
                        "anyOf": [
                            {"type": "object"},
                            {"type": "string", "enum": [CONTEXT_IRI, *KNOWN_REFERENCES[1:]]},
                            {"type": "array"},
                        ],
                    },
                    "@graph": {"type": "array", "items": {"$ref": "#/$defs/Node"}},
                },
                "$defs": dict(sorted(self.defs.items())),
            }
        )
        return document

    def _subclasses(self, cls: Node) -> set[Node]:
        found = {cls}
        todo = [cls]
        while todo:
            for sub in self.graph.subjects(RDFS.subClassOf, todo.pop()):
                if sub not in found and isinstance(sub, URIRef):
                    found.add(sub)
                    todo.append(sub)
        return found

    def _def_name(self, shape: Node) -> str:
        name = self._def_names.get(shape)
        if name is None:
            base = _local(shape) if isinstance(shape, URIRef) else f"Shape{len(self._def_names)}"
            name = base
            taken = set(self._def_names.values())
            counter = 2
            while name in taken or name == "Node":
                name, counter = f"{base}{counter}", counter + 1
            self._def_names[shape] = name
        return name

    # Node shapes ---------------------------------------------------------------------------

    def _node_shape(self, shape: Node) -> dict[str, Any]:
        g = self.graph
        schema: dict[str, Any] = {}
        _annotate(schema, _texts(g, shape, SH.name), _texts(g, shape, SH.description))
        targets = [self.names.name(str(t)) for t in g.objects(shape, SH.targetClass)]
        if targets:
            schema["x-target-class"] = targets[0] if len(targets) == 1 else targets
        schema["type"] = "object"
        shacl_only = [
            label for predicate, label in _SHACL_ONLY.items() if (shape, predicate, None) in g
        ]
        properties: dict[str, _Property] = {}
        for ps in sorted(g.objects(shape, SH.property), key=str):
            if not self._enforced(ps):
                continue
            path = g.value(ps, SH.path)
            kinds = [
                label for predicate, label in _SHACL_ONLY.items() if (ps, predicate, None) in g
            ]
            if not isinstance(path, URIRef):
                shacl_only.append(f"{_local(ps)} (path {self._path_text(path)})")
                continue
            shacl_only += [f"{_local(ps)}: {kind}" for kind in kinds]
            name = self.names.name(str(path))
            prop = properties.setdefault(name, _Property(name, path))
            self._property(ps, prop)
        required = sorted(name for name, prop in properties.items() if prop.required)
        out: dict[str, Any] = {}
        for name, prop in sorted(properties.items()):
            if not prop.schemas and not prop.required:
                continue
            body: dict[str, Any] = {}
            _annotate(body, prop.labels, prop.descriptions)
            body["x-path"] = self.names.compact_iri(str(prop.path)) or str(prop.path)
            if len(prop.schemas) == 1:
                body.update(prop.schemas[0])
            elif prop.schemas:
                body["allOf"] = prop.schemas
            out[name] = body
        schema["properties"] = out
        if required:
            schema["required"] = required
        if shacl_only:
            schema["x-shacl-only"] = shacl_only
        return schema

    def _path_text(self, path: Node | None) -> str:
        if path is None:
            return "none"
        inverse = self.graph.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + self.names.name(str(inverse))
        return "complex"

    def _enforced(self, shape: Node) -> bool:
        severity = self.graph.value(shape, SH.severity)
        deactivated = self.graph.value(shape, SH.deactivated)
        return (severity is None or severity == SH.Violation) and not (
            isinstance(deactivated, Literal) and deactivated.toPython() is True
        )

    # Property shapes -----------------------------------------------------------------------

    def _property(self, ps: Node, prop: _Property) -> None:
        g = self.graph
        if not prop.labels:
            prop.labels = _texts(g, ps, SH.name) or _texts(g, prop.path, RDFS.label)
            prop.descriptions = _texts(g, ps, SH.description) or _texts(
                g, prop.path, SKOS.definition
            )
        min_count = _int(g.value(ps, SH.minCount))
        max_count = _int(g.value(ps, SH.maxCount))
        if min_count:
            prop.required = True
        language = g.value(ps, SH.datatype) == RDF.langString or (
            (ps, SH.datatype, None) not in g
            and any((ps, p, None) in g for p in (SH.uniqueLang, SH.languageIn))
        )
        if language and self.names.is_language_map(prop.name):
            prop.schemas.append(self._language_map(ps, min_count, max_count))
            return
        item = self._value(ps, prop.name)
        has_value = [v for v in g.objects(ps, SH.hasValue)]
        schema: dict[str, Any] = {}
        if item or min_count or max_count is not None:
            if max_count == 1:
                schema = item
            else:
                array: dict[str, Any] = {"type": "array", "items": item}
                if min_count:
                    array["minItems"] = min_count
                if max_count is not None:
                    array["maxItems"] = max_count
                schema = (
                    {"anyOf": [item, array]}
                    if item
                    else {"anyOf": [{"not": {"type": "array"}}, array]}
                )
        for value in has_value:
            wanted = self._value_forms(value)
            schema = (
                {"allOf": [schema, _one_or_many({"enum": wanted}, contains=True)]}
                if schema
                else _one_or_many({"enum": wanted}, contains=True)
            )
        if schema:
            prop.schemas.append(schema)

    def _language_map(
        self, ps: Node, min_count: int | None, max_count: int | None
    ) -> dict[str, Any]:
        g = self.graph
        unique = _bool(g.value(ps, SH.uniqueLang))
        text: dict[str, Any] = {"type": "string"}
        pattern = g.value(ps, SH.pattern)
        if pattern is not None:
            text["pattern"] = str(pattern)
        value: dict[str, Any] = (
            text if unique else {"anyOf": [text, {"type": "array", "items": text, "minItems": 1}]}
        )
        schema: dict[str, Any] = {
            "type": "object",
            "description": "a language map: language tag -> text",
            "propertyNames": {"pattern": _LANGUAGE_TAG},
            "additionalProperties": value,
        }
        allowed = g.value(ps, SH.languageIn)
        if allowed is not None:
            schema["propertyNames"] = {"enum": [str(x) for x in Collection(g, allowed)]}
        if min_count:
            schema["minProperties"] = 1
        if max_count == 1:
            schema["maxProperties"] = 1
            schema["additionalProperties"] = text
        return schema

    def _value(self, shape: Node, name: str | None) -> dict[str, Any]:
        """The schema of one value under the value constraints of ``shape`` (a property shape,
        or a node shape reached through sh:node)."""
        g = self.graph
        parts: list[dict[str, Any]] = []
        datatype = g.value(shape, SH.datatype)
        if isinstance(datatype, URIRef):
            parts.append(self._datatype(shape, datatype, name))
        elif (shape, SH.pattern, None) in g:
            parts.append({"type": "string", "pattern": str(g.value(shape, SH.pattern))})
        values = g.value(shape, SH["in"])
        if values is not None:
            parts.append(
                {"enum": [v for item in Collection(g, values) for v in self._value_forms(item)]}
            )
        for node in sorted(g.objects(shape, SH.node), key=str):
            parts.append(self._node_reference(node))
        cls = g.value(shape, SH["class"])
        kind = g.value(shape, SH.nodeKind)
        if (cls is not None or kind in (SH.IRI, SH.BlankNodeOrIRI)) and not any(
            "enum" in p or "$ref" in p or "anyOf" in p for p in parts
        ):
            reference: dict[str, Any] = {"type": "string", "description": "an IRI (or _:name)"}
            if kind == SH.IRI:
                reference = {"type": "string", "format": "iri"}
            if cls is not None:
                reference["x-class"] = self.names.name(str(cls))
                if kind != SH.IRI:
                    reference = {"anyOf": [reference, {"$ref": "#/$defs/Node"}]}
            parts.append(reference)
        if not parts:
            return {}
        return parts[0] if len(parts) == 1 else {"allOf": parts}

    def _datatype(self, shape: Node, datatype: URIRef, name: str | None) -> dict[str, Any]:
        """One literal of ``datatype``: a JSON value where JSON-LD turns it into that datatype
        (a native integer or boolean; a string when the term is coerced to the datatype), else
        a value object (``{"@value": ..., "@type": ...}``, ``{"@value": ..., "@language": ...}``)."""
        g = self.graph
        bounds = {
            key: _number(g.value(shape, predicate))
            for predicate, key in _NUMERIC_BOUNDS.items()
            if (shape, predicate, None) in g
        }
        pattern = g.value(shape, SH.pattern)
        term_type = self.names.type_of(name) if name else None
        coerced = term_type is not None and self.names.expand(term_type) == str(datatype)
        text: dict[str, Any] = {"type": "string"}
        if pattern is not None:
            text["pattern"] = str(pattern)
        if datatype == XSD.integer:
            return {"type": "integer", **bounds}
        if datatype == XSD.boolean:
            return {"type": "boolean"}
        if datatype == XSD.string:
            return text
        if datatype == RDF.langString:
            return {
                "type": "object",
                "required": ["@value", "@language"],
                "properties": {"@value": text, "@language": {"type": "string"}},
            }
        if datatype == XSD.date:
            text["format"] = "date"
        elif datatype == XSD.dateTime:
            text["format"] = "date-time"
        elif datatype in (XSD.decimal, XSD.double, XSD.float):
            # A JSON number with a fraction becomes an xsd:double lexical form ("1.25E1") in
            # JSON-LD, no xsd:decimal: decimals travel as integers or decimal strings.
            non_negative = any(
                key in ("minimum", "exclusiveMinimum") and value >= 0
                for key, value in bounds.items()
            )
            sign = "[+]?" if non_negative else "[+-]?"
            text["pattern"] = f"^{sign}({_DECIMAL})$"
            if set(bounds) - {"minimum"} or any(value != 0 for value in bounds.values()):
                text["x-shacl-only"] = [f"{key} {value}" for key, value in bounds.items()]
            if coerced:
                return {"anyOf": [{"type": "integer", **bounds}, text], "x-datatype": "xsd:decimal"}
        compact = self.names.compact_iri(str(datatype)) or str(datatype)
        if coerced:
            return {**text, "x-datatype": compact}
        return {
            "type": "object",
            "required": ["@value", "@type"],
            "properties": {"@value": text, "@type": {"enum": self.names.forms(str(datatype))}},
            "x-datatype": compact,
        }

    def _node_reference(self, node: Node) -> dict[str, Any]:
        scheme = self._code_scheme(node)
        if scheme is not None:
            key = "code-" + _local(scheme)
            if key not in self.defs:
                concepts = sorted(self.graph.subjects(SKOS.inScheme, scheme), key=str)
                labels = _texts(self.graph, scheme, SKOS.prefLabel, RDFS.label)
                definition: dict[str, Any] = {}
                _annotate(definition, labels, _texts(self.graph, scheme, SKOS.definition))
                definition["x-scheme"] = self.names.compact_iri(str(scheme)) or str(scheme)
                definition["type"] = "string"
                definition["enum"] = [form for c in concepts for form in self._iri_forms(c)]
                self.defs[key] = definition
            return {"$ref": f"#/$defs/{key}"}
        if (node, SH.property, None) in self.graph:
            name = self._def_name(node)
            if name not in self.defs:
                self._pending.append(node)
            return {
                "anyOf": [{"type": "string", "description": "an IRI"}, {"$ref": f"#/$defs/{name}"}]
            }
        return self._value(node, None)

    def _code_scheme(self, node: Node) -> Node | None:
        for ps in self.graph.objects(node, SH.property):
            if self.graph.value(ps, SH.path) == SKOS.inScheme:
                scheme = self.graph.value(ps, SH.hasValue)
                if scheme is not None:
                    return scheme
        return None

    def _iri_forms(self, iri: Node) -> list[str]:
        text = str(iri)
        compact = self.names.compact_iri(text)
        return [text, compact] if compact else [text]

    def _value_forms(self, value: Node) -> list[Any]:
        if isinstance(value, URIRef):
            return self._iri_forms(value)
        if isinstance(value, Literal):
            python = value.toPython()
            return [python if isinstance(python, int | bool | str) else str(value)]
        return [str(value)]


def _one_or_many(item: dict[str, Any], *, contains: bool = False) -> dict[str, Any]:
    array: dict[str, Any] = {"type": "array"}
    array["contains" if contains else "items"] = item
    return {"anyOf": [item, array]}


def _int(value: Node | None) -> int | None:
    return int(value) if isinstance(value, Literal) else None


def _bool(value: Node | None) -> bool:
    return isinstance(value, Literal) and value.toPython() is True


def _number(value: Node | None) -> float | int:
    python = value.toPython() if isinstance(value, Literal) else 0
    if isinstance(python, int):
        return python
    number = float(python)
    return int(number) if number.is_integer() else number


# --- RDF as plain JSON --------------------------------------------------------------------------


def plain_json(
    quads: Iterable[ox.Quad] | Sequence[ox.Triple], root: Path | None = None
) -> dict[str, Any]:
    """RDF as the dataset document: compacted JSON-LD (``@context`` names the project's context
    by its IRI, ``@graph`` the typed objects), integers and booleans as JSON values.

    Inline the context (``json.loads(context_bytes())``) before sending it to a reader that does
    not know the IRI (``POST /validate``, the Graph Store: remote contexts are never fetched)."""
    base = root or project_root()
    context = json.loads(context_bytes(base / "ontology" / "servicenet.ttl"))["@context"]
    names = _Names(context)
    graph = _stable_blank_nodes(rdfio.to_rdflib(quads))
    nodes = _compacted(graph, context)
    # rdflib drops a blank node that is only the value of a term coerced to @id (it writes the
    # reference, never the node): each such node is written from its own triples.
    written = {node.get("id") for node in nodes}
    for subject in sorted({s for s in graph.subjects() if isinstance(s, BNode)}, key=str):
        if subject.n3() not in written:
            own = rdflib.Graph()
            for triple in graph.triples((subject, None, None)):
                own.add(triple)
            nodes += _compacted(own, context)
    nodes = [_native(node, names) for node in nodes]
    nodes.sort(key=lambda node: str(node.get("id", "")))
    return {"@context": CONTEXT_IRI, "@graph": nodes}


def _stable_blank_nodes(graph: rdflib.Graph) -> rdflib.Graph:
    """The graph with blank nodes named from its content (``_:b1``, ``_:b2``, ...), so the same
    data is written the same way twice."""
    canonical = to_canonical_graph(graph)
    labels: dict[Node, Node] = {
        node: BNode(f"b{number}")
        for number, node in enumerate(
            sorted({n for t in canonical for n in t if isinstance(n, BNode)}, key=str), 1
        )
    }
    stable = rdflib.Graph()
    for triple in canonical:
        stable.add(tuple(labels.get(n, n) for n in triple))  # type: ignore[arg-type]
    return stable


def _compacted(graph: rdflib.Graph, context: dict[str, Any]) -> list[dict[str, Any]]:
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    if "@graph" in document:
        return list(document["@graph"])
    node = {k: v for k, v in document.items() if k != "@context"}
    return [node] if node else []


def _native(node: dict[str, Any], names: _Names) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in node.items():
        convert = _NATIVE.get(names.type_of(key) or "")
        out[key] = _convert(value, convert) if convert else value
    return out


def _convert(value: Any, kind: type) -> Any:
    if isinstance(value, list):
        return [_convert(item, kind) for item in value]
    if not isinstance(value, str):
        return value
    if kind is bool:
        return {"true": True, "1": True, "false": False, "0": False}.get(value, value)
    try:
        return int(value)
    except ValueError:
        return value
