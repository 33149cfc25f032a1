"""Look up the vocabulary: classes, properties, concept schemes and concepts, one term's
description, and label search in fi/sv/en.

The vocabulary graphs (ontology, code lists, alignments, catalogue: about 8,000 triples) are read
once into an in-memory index, so lookups cost microseconds and never run SPARQL built from user
text. The facade and the CLI share it::

    vocabulary = Vocabulary.from_store(store)
    vocabulary.search("päiväkoti")          # every language; each hit names its label's language
    vocabulary.term(SN + "ServiceUnit").labels["sv"]     # 'verksamhetsställe'

Search folds case and accents (``paivakoti`` finds ``päiväkoti``) and ranks an exact label before
a prefix, a word prefix and a substring match. Unlike Skosmos's REST search, no language means all
languages, not the vocabulary's default one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from servicenet_vocab import namespaces as ns
from servicenet_vocab.errors import InputError, Location, NotFoundError
from servicenet_vocab.store.protocol import Store
from servicenet_vocab.vocabulary.terms import (
    LANGUAGES,
    TERM_GRAPHS,
    TYPE_ORDER,
    Label,
    LabelKind,
    Statement,
    Term,
    TermType,
    document,
    fold,
    iter_types,
    language_order,
    read_term,
    shorten,
)

__all__ = [  # the terms' names too: the index is where callers meet them
    "LANGUAGES",
    "TERM_GRAPHS",
    "LabelKind",
    "SearchHit",
    "Statement",
    "Term",
    "TermType",
    "Vocabulary",
    "document",
    "fold",
    "iter_types",
    "shorten",
]

MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class SearchHit:
    term: Term
    label: Label  # the label that matched, with its language
    match: str  # exact, prefix, word or substring

    def to_dict(self) -> dict[str, Any]:
        return {
            "iri": self.term.iri,
            "type": self.term.type.value,
            "name": self.term.name,
            "matchedLabel": self.label.text,
            "lang": self.label.lang,
            "labelKind": self.label.kind.value,
            "match": self.match,
            "labels": self.term.labels,
            "schemes": self.term.schemes,
        }


_MATCH_RANK = ("exact", "prefix", "word", "substring")


def _match(label: str, query: str) -> str:
    """How ``query`` (known to occur in ``label``) matches it."""
    if label == query:
        return "exact"
    if label.startswith(query):
        return "prefix"
    before = label[label.find(query) - 1]
    return "word" if not before.isalnum() else "substring"


class Vocabulary:
    """The project's terms, indexed from the vocabulary graphs' quads."""

    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        self._about: dict[ox.NamedNode | ox.BlankNode, list[ox.Triple]] = defaultdict(list)
        self._ontology_triples: list[ox.Triple] = []
        ontology_graph = ox.NamedNode(ns.ONTOLOGY_GRAPH)
        for quad in quads:
            triple = ox.Triple(quad.subject, quad.predicate, quad.object)
            self._about[quad.subject].append(triple)  # type: ignore[index]
            if quad.graph_name == ontology_graph:
                self._ontology_triples.append(triple)
        self._terms: dict[str, Term] = {}
        for subject, triples in self._about.items():
            if isinstance(subject, ox.NamedNode) and subject.value.startswith(ns.BASE):
                term = read_term(subject.value, triples)
                if term is not None:
                    self._terms[term.iri] = term
        self._link_narrower()
        self._labels = [
            (label.folded, label, t) for t in self._terms.values() for label in t.all_labels
        ]
        self.languages = sorted(
            {label.lang for t in self._terms.values() for label in t.all_labels}
        )

    @classmethod
    def from_store(cls, store: Store) -> Vocabulary:
        return cls(quad for graph in TERM_GRAPHS for quad in store.quads(graph))

    def _link_narrower(self) -> None:
        for term in self._terms.values():
            for parent in term.broader:
                if parent in self._terms:
                    self._terms[parent].narrower.append(term.iri)

    # --- listings ---------------------------------------------------------------------------

    def terms(self, kind: TermType) -> list[Term]:
        return sorted((t for t in self._terms.values() if t.type is kind), key=lambda t: t.name)

    def classes(self) -> list[Term]:
        return self.terms(TermType.CLASS)

    def properties(self) -> list[Term]:
        return self.terms(TermType.PROPERTY)

    def schemes(self) -> list[Term]:
        return self.terms(TermType.SCHEME)

    def scheme(self, scheme: str) -> Term:
        """A concept scheme by its id (``service-type``) or IRI; ``NotFoundError`` otherwise."""
        iri = scheme if scheme.startswith(ns.CODE) else ns.CODE + scheme
        found = self._terms.get(iri)
        if found is None or found.type is not TermType.SCHEME:
            raise NotFoundError(f"no concept scheme {scheme!r}", location=Location(field="scheme"))
        return found

    def concepts(self, scheme: str) -> list[tuple[Term, int]]:
        """The scheme's concepts depth-first under their broader concepts, each with its depth."""
        iri = self.scheme(scheme).iri
        members = [t for t in self._terms.values() if iri in t.schemes]
        inside = {t.iri for t in members}
        roots = [t for t in members if not any(b in inside for b in t.broader)]
        ordered: list[tuple[Term, int]] = []
        seen: set[str] = set()

        def visit(term: Term, depth: int) -> None:
            if term.iri in seen:  # a cycle in skos:broader must not loop forever
                return
            seen.add(term.iri)
            ordered.append((term, depth))
            children = [self._terms[c] for c in term.narrower if c in inside]
            for child in sorted(children, key=_concept_order):
                visit(child, depth + 1)

        for root in sorted(roots, key=_concept_order):
            visit(root, 0)
        return ordered

    # --- one term ---------------------------------------------------------------------------

    def find(self, iri: str) -> Term | None:
        return self._terms.get(iri)

    def term(self, iri: str) -> Term:
        found = self._terms.get(iri)
        if found is None:
            raise NotFoundError(
                f"no term <{iri}> in the vocabulary", location=Location(field="iri")
            )
        return found

    def describe(self, iri: str) -> list[ox.Triple]:
        """The term's concise bounded description: its triples, following blank nodes."""
        if iri == ns.ONTOLOGY_IRI:
            return list(self._ontology_triples)
        self.term(iri)
        found: list[ox.Triple] = []
        pending: list[ox.NamedNode | ox.BlankNode] = [ox.NamedNode(iri)]
        seen: set[ox.NamedNode | ox.BlankNode] = set()
        while pending:
            subject = pending.pop()
            if subject in seen:
                continue
            seen.add(subject)
            for triple in self._about.get(subject, ()):
                found.append(triple)
                if isinstance(triple.object, ox.BlankNode):
                    pending.append(triple.object)
        return found

    def statements(self, iri: str) -> list[Statement]:
        """The term's own triples as predicate/value pairs, sorted (blank nodes shown as [ ])."""
        found = []
        for triple in self.describe(iri):
            if triple.subject != ox.NamedNode(iri):
                continue
            value = triple.object
            if isinstance(value, ox.Literal):
                found.append(Statement(triple.predicate.value, value.value, value.language, False))
            elif isinstance(value, ox.NamedNode):
                found.append(Statement(triple.predicate.value, value.value, None, True))
            else:
                found.append(Statement(triple.predicate.value, "[ ]", None, False))
        return sorted(found, key=lambda s: (s.predicate, s.lang or "", s.value))

    # --- search -----------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        lang: str | None = None,
        types: Iterable[TermType] = (),
        scheme: str | None = None,
        limit: int = 50,
    ) -> list[SearchHit]:
        """Terms with a label matching ``query``, best first, one hit per term."""
        wanted = fold(query.strip())
        if not wanted:
            raise InputError("the search text is empty", location=Location(field="q"))
        if len(wanted) > MAX_QUERY_LENGTH:
            raise InputError(
                f"the search text is longer than {MAX_QUERY_LENGTH} characters",
                location=Location(field="q"),
            )
        if lang is not None and lang not in self.languages:
            raise InputError(
                f"no labels in language {lang!r}; the vocabulary has {', '.join(self.languages)}",
                location=Location(field="lang"),
            )
        kinds = set(types)
        scheme_iri = self.scheme(scheme).iri if scheme else None
        if scheme_iri:
            kinds = kinds or {TermType.CONCEPT}
        best: dict[str, SearchHit] = {}
        # One substring test (C speed) over every folded label; only matches are ranked.
        for folded, label, term in self._labels:
            if wanted not in folded or (lang is not None and label.lang != lang):
                continue
            if (kinds and term.type not in kinds) or (
                scheme_iri and scheme_iri not in term.schemes
            ):
                continue
            hit = SearchHit(term, label, _match(folded, wanted))
            known = best.get(term.iri)
            if known is None or _rank(hit) < _rank(known):
                best[term.iri] = hit
        return sorted(best.values(), key=_rank)[:limit]


def _rank(hit: SearchHit) -> tuple[int, bool, int, int, tuple[int, str], str]:
    return (
        _MATCH_RANK.index(hit.match),
        hit.label.kind is LabelKind.ALT,
        len(hit.label.text),
        TYPE_ORDER.index(hit.term.type),
        language_order(hit.label.lang),
        hit.term.iri,
    )


def _concept_order(term: Term) -> tuple[str, str]:
    return (term.notation or "", term.iri)
