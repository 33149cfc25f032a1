"""Literals the store does not keep as written, and how to get the written form back.

pyoxigraph's store keeps literal *values*: "4.0"^^xsd:decimal comes back as "4", "1"^^xsd:boolean
as "true", and every derived integer type (xsd:byte, xsd:int, xsd:nonNegativeInteger, ...) as
xsd:integer. Value comparisons are unaffected, but sh:datatype and the term-identity components
need the literal as written. This index finds the literals that change (one round trip of the
distinct typed literals through a scratch store) and remembers, per subject and predicate, what
was written, so the engine can decide on and report the original terms.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

from servicenet_vocab.namespaces import RDF, XSD

_KEPT = {XSD + "string", RDF + "langString"}
_SCRATCH = "urn:x-servicenet:validation:literal"


class LiteralIndex:
    def __init__(self, quads: Iterable[ox.Quad]) -> None:
        quads = list(quads)
        typed = list(
            {
                q.object
                for q in quads
                if isinstance(q.object, ox.Literal) and q.object.datatype.value not in _KEPT
            }
        )
        self.canonical: dict[ox.Literal, ox.Literal] = {}
        self.originals: dict[ox.Literal, list[ox.Literal]] = defaultdict(list)
        self.by_subject: dict[tuple[object, ox.NamedNode], list[ox.Literal]] = defaultdict(list)
        if not typed:
            return
        scratch = ox.Store()
        predicate = ox.NamedNode(_SCRATCH)
        scratch.extend(
            ox.Quad(ox.NamedNode(f"{_SCRATCH}/{i}"), predicate, lit) for i, lit in enumerate(typed)
        )
        for quad in scratch:
            original = typed[int(quad.subject.value.rsplit("/", 1)[1])]
            stored = quad.object
            assert isinstance(stored, ox.Literal)
            if stored != original:
                self.canonical[original] = stored
                self.originals[stored].append(original)
        if self.canonical:
            for q in quads:
                if q.object in self.canonical:
                    self.by_subject[(q.subject, q.predicate)].append(q.object)  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        return bool(self.canonical)

    def written(
        self, stored: object, subject: object = None, predicate: object = None
    ) -> list[object]:
        """The literals as written that the store holds as ``stored`` (itself if unchanged)."""
        if not isinstance(stored, ox.Literal) or stored not in self.originals:
            return [stored]
        if subject is not None and isinstance(predicate, ox.NamedNode):
            here = [
                lit
                for lit in self.by_subject.get((subject, predicate), [])
                if self.canonical[lit] == stored
            ]
            if here:
                return list(here)
        return [self.originals[stored][0]]
