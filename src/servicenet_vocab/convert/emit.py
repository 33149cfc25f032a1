"""RDF terms for the converters, and a writer that streams Turtle or N-Triples row by row.

Each row's triples are serialised by pyoxigraph as they come and written at once, preceded in
Turtle by a ``# <file> row N`` comment, so the output traces every subject back to its source row
and memory stays flat however long the input is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import IO

import pyoxigraph as ox

from servicenet_vocab.namespaces import DCAT, DCT, GEO, QB, RDF, RDFS, SKOS, SN, XSD
from servicenet_vocab.rdfio import RdfFormat

__all__ = [
    "TYPE",
    "RdfWriter",
    "boolean",
    "decimal",
    "integer",
    "iri",
    "plain",
    "sn",
    "tagged",
    "xsd_date",
]

PREFIXES = {
    "sn": SN,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "skos": SKOS,
    "dct": DCT,
    "dcat": DCAT,
    "qb": QB,
    "geo": GEO,
}

TYPE = ox.NamedNode(RDF + "type")
_XSD_DATE = ox.NamedNode(XSD + "date")
_XSD_INTEGER = ox.NamedNode(XSD + "integer")
_XSD_DECIMAL = ox.NamedNode(XSD + "decimal")
_XSD_BOOLEAN = ox.NamedNode(XSD + "boolean")


@lru_cache(maxsize=4096)
def iri(value: str) -> ox.NamedNode:
    """A named node, cached: vocabulary terms and concepts recur in every row."""
    return ox.NamedNode(value)


def sn(name: str) -> ox.NamedNode:
    return iri(SN + name)


def xsd_date(value: date) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=_XSD_DATE)


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_XSD_INTEGER)


def decimal(value: Decimal) -> ox.Literal:
    text = format(value, "f")
    if "." not in text:
        text += ".0"
    return ox.Literal(text, datatype=_XSD_DECIMAL)


def boolean(value: bool) -> ox.Literal:
    return ox.Literal("true" if value else "false", datatype=_XSD_BOOLEAN)


def tagged(value: str, language: str) -> ox.Literal:
    return ox.Literal(value, language=language)


def plain(value: str) -> ox.Literal:
    return ox.Literal(value)


class RdfWriter:
    """Writes chunks of triples to a binary stream as one Turtle (or N-Triples) document."""

    def __init__(self, out: IO[bytes], fmt: RdfFormat = RdfFormat.TURTLE) -> None:
        if fmt not in (RdfFormat.TURTLE, RdfFormat.NTRIPLES):
            raise ValueError("the converter writes Turtle or N-Triples")
        self.out = out
        self.fmt = fmt
        self.triples = 0
        if fmt is RdfFormat.TURTLE:
            out.write(b"".join(f"@prefix {p}: <{ns}> .\n".encode() for p, ns in PREFIXES.items()))

    def comment(self, text: str) -> None:
        if self.fmt is RdfFormat.TURTLE:
            self.out.write(b"\n# " + text.replace("\n", " ").encode("utf-8") + b"\n")

    def write(self, triples: Iterable[ox.Triple]) -> None:
        items = list(triples)
        if not items:
            return
        if self.fmt is RdfFormat.TURTLE:
            chunk = ox.serialize(items, None, self.fmt.engine, prefixes=PREFIXES) or b""
            self.out.write(memoryview(chunk)[_body_start(chunk) :])
        else:
            self.out.write(ox.serialize(items, None, self.fmt.engine) or b"")
        self.triples += len(items)


def _body_start(chunk: bytes) -> int:
    """Where the triples begin: after the ``@prefix`` lines pyoxigraph writes (in any order)."""
    position = 0
    while chunk.startswith(b"@prefix ", position):
        position = chunk.index(b"\n", position) + 1
    return position
