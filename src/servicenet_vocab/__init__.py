"""Shared vocabularies, shapes and tools for Finnish municipal service-network planning.

The library's public face; everything else is reached through its rooms (``store``, ``sparql``,
``workers``, ``publishing``, ``vocabulary``, ``validation``, ``convert``, ``quality``, ``steward``).

>>> import servicenet_vocab as sv
>>> store = sv.open_store("memory")
>>> store.load(b'<urn:x:unit> <urn:x:places> "42" .', sv.RdfFormat.NTRIPLES, graph="urn:x:g")
1
>>> [row["n"] for row in store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").rows()]
['1']
>>> sv.RdfFormat.TURTLE.media_type
'text/turtle'

Validating a city's file against the project's shapes (the vocabulary's ontology and code lists
are read as context)::

    report = sv.validate("espoo-049.ttl", lang="fi")
    report.conforms, [result.message for result in report.results]
"""

from servicenet_vocab import convert
from servicenet_vocab.config import Settings
from servicenet_vocab.formats import RdfFormat, ResultFormat
from servicenet_vocab.quality import LintReport, lint
from servicenet_vocab.store.embedded import open_store
from servicenet_vocab.store.protocol import QueryResult, Store
from servicenet_vocab.validation import ValidationReport, validate

__version__ = "1.0.0"
__all__ = [
    "LintReport",
    "QueryResult",
    "RdfFormat",
    "ResultFormat",
    "Settings",
    "Store",
    "ValidationReport",
    "__version__",
    "convert",
    "lint",
    "open_store",
    "validate",
]
