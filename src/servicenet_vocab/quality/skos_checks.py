"""SKOS quality checks in the spirit of qSKOS (Mader et al.); each names the qSKOS issue it follows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

import rdflib
from rdflib import SKOS, URIRef

from servicenet_vocab.quality.model import Issue, check
from servicenet_vocab.quality.sources import Sources
from servicenet_vocab.quality.vocab import concepts, label_property, named_terms, schemes, short

_HIERARCHY = (SKOS.broader, SKOS.narrower, SKOS.broaderTransitive, SKOS.narrowerTransitive)
_DOCUMENTATION = (
    SKOS.definition,
    SKOS.scopeNote,
    SKOS.note,
    SKOS.example,
    SKOS.historyNote,
    SKOS.editorialNote,
    SKOS.changeNote,
)
SKOS_TERMS = {
    "Concept", "ConceptScheme", "Collection", "OrderedCollection", "inScheme", "hasTopConcept",
    "topConceptOf", "prefLabel", "altLabel", "hiddenLabel", "notation", "note", "changeNote",
    "definition", "editorialNote", "example", "historyNote", "scopeNote", "semanticRelation",
    "broader", "narrower", "related", "broaderTransitive", "narrowerTransitive", "member",
    "memberList", "mappingRelation", "closeMatch", "exactMatch", "broadMatch", "narrowMatch",
    "relatedMatch",
}  # fmt: skip


def _vocabulary(sources: Sources) -> rdflib.Graph:
    return sources.vocabulary()


def _is_top(graph: rdflib.Graph, concept: URIRef) -> bool:
    return any(graph.objects(concept, SKOS.topConceptOf)) or any(
        graph.subjects(SKOS.hasTopConcept, concept)
    )


@check("orphan-concept", qskos="Orphan Concepts")
def orphan_concepts(sources: Sources) -> Iterator[Issue]:
    """A concept outside every hierarchy: no broader or narrower concept and not a top concept."""
    graph = _vocabulary(sources)
    for concept in sorted(concepts(graph)):
        linked = any((concept, p, None) in graph for p in _HIERARCHY) or any(
            (None, p, concept) in graph for p in _HIERARCHY
        )
        if not linked and not _is_top(graph, concept):
            yield Issue(str(concept), "concept is neither a top concept nor in any hierarchy")


@check("missing-in-scheme", qskos="Omitted or Invalid inScheme Statement")
def missing_in_scheme(sources: Sources) -> Iterator[Issue]:
    """A concept without skos:inScheme, or in a scheme that is not a skos:ConceptScheme."""
    graph = _vocabulary(sources)
    known = schemes(graph)
    for concept in sorted(concepts(graph)):
        targets = list(graph.objects(concept, SKOS.inScheme))
        if not targets:
            yield Issue(str(concept), "concept has no skos:inScheme")
        for target in targets:
            if target not in known:
                yield Issue(str(concept), f"skos:inScheme {short(str(target))} is not a scheme")


@check("omitted-top-concept", qskos="Omitted Top Concepts")
def omitted_top_concepts(sources: Sources) -> Iterator[Issue]:
    """A concept scheme without any top concept."""
    graph = _vocabulary(sources)
    for scheme in sorted(schemes(graph)):
        if not any(graph.objects(scheme, SKOS.hasTopConcept)) and not any(
            graph.subjects(SKOS.topConceptOf, scheme)
        ):
            yield Issue(str(scheme), "concept scheme has no top concept (skos:hasTopConcept)")


@check("top-concept-having-broader", qskos="Top Concepts Having Broader Concepts")
def top_concept_having_broader(sources: Sources) -> Iterator[Issue]:
    """A top concept that also has a broader concept."""
    graph = _vocabulary(sources)
    for concept in sorted(concepts(graph)):
        broader = list(graph.objects(concept, SKOS.broader))
        if broader and _is_top(graph, concept):
            names = ", ".join(short(str(b)) for b in broader)
            yield Issue(str(concept), f"top concept has a broader concept: {names}")


@check("cyclic-hierarchy", qskos="Cyclic Hierarchical Relations")
def cyclic_hierarchy(sources: Sources) -> Iterator[Issue]:
    """A cycle in skos:broader (or inverse skos:narrower)."""
    graph = _vocabulary(sources)
    up: dict[URIRef, set[URIRef]] = defaultdict(set)
    for s, o in graph.subject_objects(SKOS.broader):
        up[s].add(o)  # type: ignore[index,arg-type]
    for s, o in graph.subject_objects(SKOS.narrower):
        up[o].add(s)  # type: ignore[index,arg-type]
    reported: set[URIRef] = set()
    for start in sorted(up):
        cycle = _cycle_from(start, up)
        if cycle and not reported.intersection(cycle):
            reported.update(cycle)
            path = " -> ".join(short(str(c)) for c in [*cycle, cycle[0]])
            yield Issue(str(min(cycle)), f"cyclic hierarchy: {path}")


def _cycle_from(start: URIRef, up: dict[URIRef, set[URIRef]]) -> list[URIRef] | None:
    """The cycle through ``start`` along broader links, iteratively (no recursion)."""
    stack: list[tuple[URIRef, list[URIRef]]] = [(start, [start])]
    seen: set[URIRef] = set()
    while stack:
        node, path = stack.pop()
        for parent in sorted(up.get(node, ())):
            if parent == start:
                return path
            if parent not in seen:
                seen.add(parent)
                stack.append((parent, [*path, parent]))
    return None


@check("overlapping-labels", qskos="Overlapping Labels")
def overlapping_labels(sources: Sources) -> Iterator[Issue]:
    """Two concepts of one scheme with the same label in the same language (case-insensitive)."""
    graph = _vocabulary(sources)
    owners: dict[tuple[str, str, str], set[URIRef]] = defaultdict(set)
    for concept in concepts(graph):
        for scheme in graph.objects(concept, SKOS.inScheme):
            for predicate in (SKOS.prefLabel, SKOS.altLabel):
                for label in graph.objects(concept, predicate):
                    key = (str(scheme), str(label).strip().casefold(), label.language or "")  # type: ignore[attr-defined]
                    owners[key].add(concept)
    for (_scheme, text, lang), found in sorted(owners.items()):
        if len(found) > 1:
            first, *others = sorted(found)
            names = ", ".join(short(str(o)) for o in others)
            yield Issue(str(first), f'label "{text}"@{lang} is also a label of {names}')


@check("inconsistent-pref-labels", qskos="Inconsistent Preferred Labels")
def inconsistent_pref_labels(sources: Sources) -> Iterator[Issue]:
    """More than one skos:prefLabel in one language (several languages are correct)."""
    graph = _vocabulary(sources)
    for concept in sorted(concepts(graph) | schemes(graph)):
        per_language: dict[str, list[str]] = defaultdict(list)
        for label in graph.objects(concept, SKOS.prefLabel):
            per_language[getattr(label, "language", None) or ""].append(str(label))
        for lang, labels in sorted(per_language.items()):
            if len(labels) > 1:
                yield Issue(
                    str(concept), f"{len(labels)} prefLabels @{lang or '(none)'}: {sorted(labels)}"
                )


@check("disjoint-labels", qskos="Disjoint Labels Violation")
def disjoint_labels(sources: Sources) -> Iterator[Issue]:
    """A label that is both preferred and alternative (or hidden) for one concept."""
    graph = _vocabulary(sources)
    for concept in sorted(concepts(graph)):
        preferred = set(graph.objects(concept, SKOS.prefLabel))
        others = set(graph.objects(concept, SKOS.altLabel)) | set(
            graph.objects(concept, SKOS.hiddenLabel)
        )
        for label in sorted(preferred & others, key=str):
            yield Issue(str(concept), f'"{label}" is both a prefLabel and an alt/hidden label')


@check("undocumented-concept", qskos="Undocumented Concepts")
def undocumented_concepts(sources: Sources) -> Iterator[Issue]:
    """A concept without any documentation (definition, scope note, note, example...)."""
    graph = _vocabulary(sources)
    for concept in sorted(concepts(graph)):
        if not any((concept, p, None) in graph for p in _DOCUMENTATION):
            yield Issue(str(concept), "concept has no skos:definition or other note")


@check("missing-label", qskos="Missing Labels")
def missing_labels(sources: Sources) -> Iterator[Issue]:
    """A class, property, concept or scheme without any label."""
    graph = _vocabulary(sources)
    for term in sorted(named_terms(graph)):
        predicate = label_property(graph, term)
        if not any(graph.objects(term, predicate)):
            yield Issue(str(term), f"no label ({short(str(predicate))})")


@check("missing-notation")
def missing_notation(sources: Sources) -> Iterator[Issue]:
    """A code-list concept without skos:notation (converters map codes by notation)."""
    graph = sources.vocabulary()
    for concept in sorted(concepts(graph)):
        if not any(graph.objects(concept, SKOS.notation)):
            yield Issue(str(concept), "concept has no skos:notation")


@check("undefined-skos-resource", qskos="Undefined SKOS Resources")
def undefined_skos_resources(sources: Sources) -> Iterator[Issue]:
    """An IRI in the SKOS namespace that SKOS does not define (usually a typo)."""
    skos = str(SKOS)
    for item in sources.files:
        for name in sorted(item.iris()):
            if name.startswith(skos) and name[len(skos) :] not in SKOS_TERMS:
                where = sources.index.first_use(name, [item.path])
                yield Issue(
                    name,
                    f"{short(name)} is not a SKOS term",
                    item.path,
                    where.line if where else None,
                )
