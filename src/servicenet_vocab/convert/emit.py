"""RDF terms for the converters as ready-made N-Triples tokens, and a streaming Turtle writer.

Terms are strings (``<iri>``, ``"text"@fi``, ``"3"^^<…#integer>``, ``_:b1``) rather than pyoxigraph
objects: building a few dozen engine objects per row cost more than everything else the converter
does (measured in benchmarks/bench_convert.py), while strings are cheap and already serialised.
A row's triples are written at once, preceded in Turtle by a ``# <file> row N`` comment, so the
output traces every subject to its source row and memory stays flat. IRIs made from city data are
checked (``checked_iri``); vocabulary IRIs are constants.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from servicenet_vocab.namespaces import SN, XSD, prefix_table

__all__ = [
    "BAD_IRI_CHARS",
    "IRI_SCHEME",
    "SEPARATOR",
    "TYPE",
    "XSD_DECIMAL",
    "XSD_INTEGER",
    "RdfWriter",
    "Triple",
    "bnode",
    "boolean",
    "checked_iri",
    "decimal",
    "escaped",
    "integer",
    "iri",
    "plain",
    "sn",
    "tagged",
    "to_ntriples",
    "turtle",
    "typed",
    "xsd_date",
]

Triple = tuple[str, str, str]

PREFIXES = prefix_table("sn", "rdf", "rdfs", "xsd", "skos", "dct", "dcat", "qb", "geo")

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
BAD_IRI_CHARS = _BAD_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')
IRI_SCHEME = _SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_blank_ids = itertools.count(1)


_PREFIX_OF = {ns: name for name, ns in PREFIXES.items()}
_LOCAL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


@lru_cache(maxsize=8192)
def iri(value: str) -> str:
    """A token for a trusted IRI (vocabulary terms, concepts): prefixed where it can be, cached."""
    for namespace, prefix in _PREFIX_OF.items():
        if value.startswith(namespace) and _LOCAL_NAME.match(value[len(namespace) :]):
            return f"{prefix}:{value[len(namespace) :]}"
    return f"<{value}>"


def checked_iri(value: str) -> str | None:
    """An IRI token for an IRI built from data, or None when it is not a valid absolute IRI."""
    if _BAD_IRI.search(value) or not _SCHEME.match(value):
        return None
    return f"<{value}>"


@lru_cache(maxsize=256)
def sn(name: str) -> str:
    return iri(SN + name)


TYPE = "a"
_XSD_DATE = iri(XSD + "date")
XSD_INTEGER = _XSD_INTEGER = iri(XSD + "integer")
XSD_DECIMAL = _XSD_DECIMAL = iri(XSD + "decimal")
_XSD_BOOLEAN = iri(XSD + "boolean")


def bnode() -> str:
    """A blank node label unique within the process (so within every output)."""
    return f"_:b{next(_blank_ids)}"


def escaped(value: str) -> str:
    """Text safe inside a Turtle ``"..."`` literal. ``str.translate`` costs microseconds on non-ASCII
    text, so it runs only when one of the four characters is there (rarely: text was normalised)."""
    if '"' in value or "\\" in value or "\n" in value or "\r" in value:
        return value.translate(_ESCAPES)
    return value


def plain(value: str) -> str:
    return f'"{escaped(value)}"'


def tagged(value: str, language: str) -> str:
    return f'"{escaped(value)}"@{language}'


def typed(value: str, datatype: str) -> str:
    """A literal with a datatype given as an IRI token."""
    return f'"{escaped(value)}"^^{datatype}'


@lru_cache(maxsize=8192)  # exports repeat the same dates on many rows
def xsd_date(value: date) -> str:
    return f'"{value.isoformat()}"^^{_XSD_DATE}'


def integer(value: int) -> str:
    return f'"{value}"^^{_XSD_INTEGER}'


def decimal(value: Decimal) -> str:
    text = format(value, "f")
    if "." not in text:
        text += ".0"
    return f'"{text}"^^{_XSD_DECIMAL}'


def boolean(value: bool) -> str:
    return f'"{"true" if value else "false"}"^^{_XSD_BOOLEAN}'


def turtle(triples: Iterable[Triple]) -> tuple[str, int]:
    """Triples as Turtle statements, consecutive ones about one subject sharing it (``;``), and
    how many there were."""
    parts = []
    count = 0
    for subject, group in groupby(triples, key=_SUBJECT):
        pairs = [f"{p} {o}" for _, p, o in group]
        count += len(pairs)
        parts.append(f"{subject} {SEPARATOR.join(pairs)} .\n")
    return "".join(parts), count


_SUBJECT = itemgetter(0)
SEPARATOR = " ;\n    "  # between the predicate-object pairs of one subject


class RdfWriter:
    """Writes Turtle text to a binary stream as one document (N-Triples is made from it afterwards
    with ``to_ntriples``). Text is collected and written in chunks of about ``chunk`` characters:
    one ``write`` per row cost more than encoding the row."""

    def __init__(self, out: IO[bytes], *, chunk: int = 1 << 18) -> None:
        self.out = out
        self.triples = 0
        self.chunk = chunk
        self._parts: list[str] = []
        self._size = 0
        out.write("".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()).encode())

    def comment(self, text: str) -> None:
        self.text("\n# " + text.replace("\n", " ") + "\n", 0)

    def write(self, triples: Iterable[Triple]) -> None:
        """Write triples; consecutive ones about the same subject share it (``;``)."""
        self.text(*turtle(triples))

    def text(self, statements: str, triples: int) -> None:
        """Write ready Turtle statements holding ``triples`` triples."""
        self._parts.append(statements)
        self.triples += triples
        self._size += len(statements)
        if self._size >= self.chunk:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            self.out.write("".join(self._parts).encode("utf-8"))
            self._parts.clear()
            self._size = 0


def to_ntriples(turtle: Path, target: IO[bytes]) -> None:
    """Re-serialise a converted Turtle file as N-Triples, streaming (pyoxigraph, trusted input)."""
    with turtle.open("rb") as source:
        ox.serialize(ox.parse(source, ox.RdfFormat.TURTLE), target, ox.RdfFormat.N_TRIPLES)
