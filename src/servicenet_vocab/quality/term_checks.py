"""Terms used but not defined: sn: terms and code-list concepts referenced from shapes, examples,
code lists or alignments that the ontology or the code lists do not declare."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import OWL, Literal, URIRef
from rdflib.namespace import DCTERMS

from servicenet_vocab import namespaces as ns
from servicenet_vocab.quality.model import Issue, check
from servicenet_vocab.quality.sources import Role, SourceFile, Sources
from servicenet_vocab.quality.vocab import short
from servicenet_vocab.vocabulary.positions import RDF_TYPE


def _declared(sources: Sources, *roles: Role) -> set[str]:
    """Subjects given an rdf:type in files of these roles."""
    return {
        q.subject.value
        for f in sources.files
        if f.role in roles
        for q in f.quads
        if q.predicate.value == RDF_TYPE and isinstance(q.subject, ox.NamedNode)
    }


def _used(item: SourceFile, namespace: str) -> set[str]:
    return {iri for iri in item.iris() if iri.startswith(namespace)}


def _undefined(sources: Sources, namespace: str, declared: set[str], what: str) -> Iterator[Issue]:
    for item in sources.files:
        for term in sorted(_used(item, namespace) - declared):
            where = sources.index.first_use(term, [item.path])
            yield Issue(
                term,
                f"{short(term)} is used in {item.role.value} {item.path.name} but is not {what}",
                item.path,
                where.line if where else None,
            )


@check("undefined-term")
def undefined_terms(sources: Sources) -> Iterator[Issue]:
    """An sn: term used anywhere that the ontology does not declare."""
    declared = _declared(sources, Role.ONTOLOGY)
    yield from _undefined(sources, ns.SN, declared, "declared in the ontology")


@check("undefined-concept")
def undefined_concepts(sources: Sources) -> Iterator[Issue]:
    """A code-list IRI (…/code/…) used anywhere that no code list defines."""
    declared = _declared(sources, Role.CODELIST, Role.CATALOG)
    yield from _undefined(sources, ns.CODE, declared, "defined in a code list")


@check("deprecated-term-used")
def deprecated_terms_used(sources: Sources) -> Iterator[Issue]:
    """A shape or example that still uses a deprecated term (owl:deprecated true)."""
    vocab = sources.vocabulary()
    deprecated = {
        str(s)
        for s, o in vocab.subject_objects(OWL.deprecated)
        if _true(o) and isinstance(s, URIRef)
    }
    for item in sources.files:
        if item.role not in (Role.SHAPES, Role.EXAMPLE):
            continue
        for term in sorted(item.iris() & deprecated):
            replacement = vocab.value(URIRef(term), DCTERMS.isReplacedBy)
            hint = f"; use {short(str(replacement))}" if replacement else ""
            where = sources.index.first_use(term, [item.path])
            yield Issue(
                term,
                f"{short(term)} is deprecated{hint}",
                item.path,
                where.line if where else None,
            )


@check("deprecated-without-replacement")
def deprecated_without_replacement(sources: Sources) -> Iterator[Issue]:
    """A deprecated term without dct:isReplacedBy (users cannot tell what to use instead)."""
    vocab = sources.vocabulary()
    for term, value in sorted(vocab.subject_objects(OWL.deprecated)):
        if _true(value) and vocab.value(term, DCTERMS.isReplacedBy) is None:
            yield Issue(str(term), "deprecated without dct:isReplacedBy")


def _true(value: object) -> bool:
    return isinstance(value, Literal) and str(value).lower() in ("true", "1")
