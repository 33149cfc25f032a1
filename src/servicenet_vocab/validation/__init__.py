"""SHACL validation: data files (or quads) against the project's shapes, with the vocabulary as context.

>>> from servicenet_vocab.validation import validate
>>> report = validate(
...     data=(b'<urn:x> a <urn:C> .', "ntriples"),
...     shapes=[],
... )  # doctest: +SKIP

Engines: ``"sparql"`` compiles SHACL Core and SHACL-SPARQL to SPARQL on pyoxigraph (fast, the
default); ``"pyshacl"`` is the reference implementation; ``"auto"`` uses the SPARQL engine unless the
shapes use a construct it does not evaluate (SHACL-AF targets or rules), and then says why in
``report.fallback_reasons``. See docs/validation.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from servicenet_vocab.store.embedded import OxigraphStore
from servicenet_vocab.validation.pipeline import EngineName, Source, run
from servicenet_vocab.validation.report import Severity, ValidationReport, ValidationResult

__all__ = [
    "Severity",
    "ValidationReport",
    "ValidationResult",
    "validate",
    "validate_quads",
    "validate_store_graph",
]

ShapesArg = Sequence[Path | str] | Sequence[ox.Quad] | None


def validate(
    data: Source | Sequence[Source],
    shapes: ShapesArg = None,
    *,
    lang: str = "en",
    context: Sequence[Path | str] | None = None,
    engine: EngineName = "auto",
) -> ValidationReport:
    """Validate data against SHACL shapes.

    ``data``: a file path, a ``(bytes, format)`` pair, a list of quads, or a list of these.
    ``shapes``: shapes files or quads; ``None`` means the project's ``shapes/*.ttl``.
    ``context``: files read as background knowledge (rdfs:subClassOf for sh:class, code lists) but
    never validated; ``None`` means the project's ontology, alignments and code lists.
    ``lang``: the language of messages (fi, sv or en; falls back to English, then any).
    Raises ``InputError`` (bad data, located) or ``ShapesError`` (shapes that cannot be evaluated).
    """
    return run(data, shapes=shapes, lang=lang, context=context, engine=engine)


def validate_quads(
    quads: Sequence[ox.Quad],
    shapes: ShapesArg = None,
    *,
    lang: str = "en",
    context: Sequence[Path | str] | None = None,
    engine: EngineName = "auto",
) -> ValidationReport:
    """Validate quads held in memory (e.g. what a graph will contain after a write)."""
    return run([list(quads)], shapes=shapes, lang=lang, context=context, engine=engine)


def validate_store_graph(
    store: OxigraphStore,
    graph: str,
    shapes: ShapesArg = None,
    *,
    extra: Sequence[ox.Quad] = (),
    lang: str = "en",
    context: Sequence[Path | str] | None = None,
    engine: EngineName = "auto",
) -> ValidationReport:
    """Validate one named graph of a store, plus ``extra`` quads about to be added to it.

    The store keeps literal values, not their written form: "5"^^xsd:int comes back as
    xsd:integer. So here sh:datatype accepts an xsd:integer in the value range of a derived
    integer type (xsd:nonNegativeInteger...). Validate parsed quads before they are stored
    (``validate_quads``) for the strict check.
    """
    quads = [*store.quads(graph), *extra]
    return run([quads], shapes=shapes, lang=lang, context=context, engine=engine, from_store=True)
