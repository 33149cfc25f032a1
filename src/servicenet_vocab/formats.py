"""The one table of the formats the project reads and writes: RDF serialisations and SPARQL result
serialisations, each row with its media type and the other media types that mean it, its file
extensions, its ``format=`` names, its W3C format IRI and the engine's format.

Content negotiation, the Service Description, uploads' Content-Type and the CLI's ``--format``
choices all take their facts from here, so they cannot disagree. The rows are in order of
preference: content negotiation breaks ties, and answers a missing Accept, by that order.

Lookups are per kind: ``application/json`` is an alias of SPARQL JSON results and of JSON-LD, and
which one it means depends on what is being written.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pyoxigraph as ox

from servicenet_vocab.errors import Location, UnsupportedFormatError

__all__ = [
    "FORMATS",
    "W3C_FORMATS",
    "Format",
    "FormatKind",
    "RdfFormat",
    "ResultFormat",
    "for_extension",
    "for_media_type",
    "for_name",
    "names",
    "rdf_format_argument",
    "rdf_format_named",
    "rows",
]

W3C_FORMATS = "http://www.w3.org/ns/formats/"


class FormatKind(StrEnum):
    RDF = "RDF"  # graphs and datasets: uploads, CONSTRUCT/DESCRIBE, the Graph Store
    RESULTS = "results"  # SELECT and ASK results


class RdfFormat(StrEnum):
    """The RDF serialisations the project reads and writes."""

    TURTLE = "turtle"
    NTRIPLES = "ntriples"
    NQUADS = "nquads"
    TRIG = "trig"
    JSONLD = "jsonld"
    RDFXML = "rdfxml"

    @property
    def row(self) -> Format:
        return _ROW[self]

    @property
    def engine(self) -> ox.RdfFormat:
        return _RDF_ENGINE[self]

    @property
    def media_type(self) -> str:
        return _ROW[self].media_type

    @property
    def extension(self) -> str:
        return _ROW[self].extensions[0]

    @property
    def is_dataset(self) -> bool:
        """Whether the project writes named graphs in this format (else quads become triples)."""
        return _ROW[self].is_dataset


class ResultFormat(StrEnum):
    """Serialisations of SELECT and ASK results."""

    JSON = "json"
    XML = "xml"
    CSV = "csv"
    TSV = "tsv"

    @property
    def row(self) -> Format:
        return _ROW[self]

    @property
    def engine(self) -> ox.QueryResultsFormat:
        return _RESULT_ENGINE[self]

    @property
    def media_type(self) -> str:
        return _ROW[self].media_type


@dataclass(frozen=True)
class Format:
    """One row of the table."""

    fmt: RdfFormat | ResultFormat
    media_type: str  # what a Content-Type we write says
    aliases: tuple[str, ...]  # other media types a client may send or ask for
    extensions: tuple[str, ...]  # the first is the one we write
    names: tuple[str, ...]  # format= names; the first is the enum value
    w3c: str  # local name under http://www.w3.org/ns/formats/
    engine: ox.RdfFormat | ox.QueryResultsFormat
    is_dataset: bool = False

    @property
    def kind(self) -> FormatKind:
        return FormatKind.RDF if isinstance(self.fmt, RdfFormat) else FormatKind.RESULTS

    @property
    def iri(self) -> str:
        return W3C_FORMATS + self.w3c

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    @property
    def rdf(self) -> RdfFormat:
        """The RDF format of an RDF row (the RDF lookups return only those)."""
        if not isinstance(self.fmt, RdfFormat):
            raise TypeError(f"{self.media_type} is not an RDF format")
        return self.fmt


FORMATS: tuple[Format, ...] = (
    Format(
        ResultFormat.JSON,
        "application/sparql-results+json",
        ("application/json",),
        (".srj",),
        ("json", "srj"),
        "SPARQL_Results_JSON",
        ox.QueryResultsFormat.JSON,
    ),
    Format(
        ResultFormat.XML,
        "application/sparql-results+xml",
        ("application/xml",),
        (".srx",),
        ("xml", "srx"),
        "SPARQL_Results_XML",
        ox.QueryResultsFormat.XML,
    ),
    Format(
        ResultFormat.CSV,
        "text/csv",
        (),
        (".csv",),
        ("csv",),
        "SPARQL_Results_CSV",
        ox.QueryResultsFormat.CSV,
    ),
    Format(
        ResultFormat.TSV,
        "text/tab-separated-values",
        (),
        (".tsv",),
        ("tsv",),
        "SPARQL_Results_TSV",
        ox.QueryResultsFormat.TSV,
    ),
    Format(
        RdfFormat.TURTLE,
        "text/turtle",
        ("application/x-turtle",),
        (".ttl", ".turtle"),
        ("turtle", "ttl"),
        "Turtle",
        ox.RdfFormat.TURTLE,
    ),
    Format(
        RdfFormat.NTRIPLES,
        "application/n-triples",
        ("text/plain",),
        (".nt",),
        ("ntriples", "nt"),
        "N-Triples",
        ox.RdfFormat.N_TRIPLES,
    ),
    Format(
        RdfFormat.JSONLD,
        "application/ld+json",
        ("application/json",),
        (".jsonld", ".json"),
        ("jsonld", "json"),
        "JSON-LD",
        ox.RdfFormat.JSON_LD,
    ),
    Format(
        RdfFormat.RDFXML,
        "application/rdf+xml",
        ("application/xml", "text/xml"),
        (".rdf", ".owl", ".xml"),
        ("rdfxml", "rdf", "xml"),
        "RDF_XML",
        ox.RdfFormat.RDF_XML,
    ),
    Format(
        RdfFormat.NQUADS,
        "application/n-quads",
        ("text/x-nquads",),
        (".nq",),
        ("nquads", "nq"),
        "N-Quads",
        ox.RdfFormat.N_QUADS,
        is_dataset=True,
    ),
    Format(
        RdfFormat.TRIG,
        "application/trig",
        (),
        (".trig",),
        ("trig",),
        "TriG",
        ox.RdfFormat.TRIG,
        is_dataset=True,
    ),
)


def _index() -> tuple[
    dict[RdfFormat | ResultFormat, Format],
    dict[RdfFormat, ox.RdfFormat],
    dict[ResultFormat, ox.QueryResultsFormat],
]:
    """Index the table, refusing (at import) a row whose engine format is of the wrong kind or an
    enum member without exactly one row."""
    by_format: dict[RdfFormat | ResultFormat, Format] = {}
    rdf: dict[RdfFormat, ox.RdfFormat] = {}
    results: dict[ResultFormat, ox.QueryResultsFormat] = {}
    for row in FORMATS:
        if row.fmt in by_format:
            raise RuntimeError(f"format table: {row.fmt!r} has two rows")
        by_format[row.fmt] = row
        if isinstance(row.fmt, RdfFormat) and isinstance(row.engine, ox.RdfFormat):
            rdf[row.fmt] = row.engine
        elif isinstance(row.fmt, ResultFormat) and isinstance(row.engine, ox.QueryResultsFormat):
            results[row.fmt] = row.engine
        else:
            raise RuntimeError(f"format table: {row.fmt!r} has engine format {row.engine!r}")
    missing = [f for f in (*RdfFormat, *ResultFormat) if f not in by_format]
    if missing:
        raise RuntimeError(f"format table: no row for {missing!r}")
    return by_format, rdf, results


_ROW, _RDF_ENGINE, _RESULT_ENGINE = _index()
_ROWS = {kind: tuple(row for row in FORMATS if row.kind is kind) for kind in FormatKind}


def _lookup(key: str) -> Mapping[FormatKind, dict[str, Format]]:
    table: dict[FormatKind, dict[str, Format]] = {kind: {} for kind in FormatKind}
    for row in FORMATS:
        values = getattr(row, key)
        for value in values:
            if value in table[row.kind]:
                raise RuntimeError(f"format table: {key} {value!r} names two {row.kind} formats")
            table[row.kind][value] = row
    return table


_BY_MEDIA_TYPE = _lookup("media_types")
_BY_EXTENSION = _lookup("extensions")
_BY_NAME = _lookup("names")


def rows(kind: FormatKind) -> tuple[Format, ...]:
    """The rows of one kind, in order of preference."""
    return _ROWS[kind]


def names(kind: FormatKind) -> list[str]:
    """The first ``format=`` name of each row of a kind (the enum values), for CLI choices."""
    return [row.names[0] for row in _ROWS[kind]]


def for_media_type(media_type: str, kind: FormatKind = FormatKind.RDF) -> Format:
    """The row a Content-Type or Accept entry names (parameters such as charset are ignored)."""
    bare = media_type.split(";", 1)[0].strip().lower()
    found = _BY_MEDIA_TYPE[kind].get(bare)
    if found is None:
        known = ", ".join(row.media_type for row in _ROWS[kind])
        raise UnsupportedFormatError(
            f"unsupported {kind} media type {bare!r}; supported media types: {known}"
        )
    return found


def for_extension(path: str | Path, kind: FormatKind = FormatKind.RDF) -> Format:
    """The row a file name implies by its extension (case-insensitive)."""
    suffix = Path(path).suffix.lower()
    found = _BY_EXTENSION[kind].get(suffix)
    if found is None:
        known = ", ".join(_BY_EXTENSION[kind])
        raise UnsupportedFormatError(
            f"cannot tell the {kind} format from the extension {suffix or '(none)'!r}; "
            f"use one of {known} or name the format",
            location=Location(source=str(path)),
        )
    return found


def for_name(name: str, kind: FormatKind = FormatKind.RDF) -> Format:
    """The row a ``format=`` name (or ``--format`` value) names (case-insensitive)."""
    found = _BY_NAME[kind].get(name.strip().lower())
    if found is None:
        known = ", ".join(_BY_NAME[kind])
        raise UnsupportedFormatError(f"unknown {kind} format {name!r}; use one of {known}")
    return found


def rdf_format_named(name: str) -> RdfFormat:
    """``for_name`` for RDF, as the enum."""
    return for_name(name).rdf


def rdf_format_argument(name: str) -> RdfFormat:
    """The ``type=`` of the CLI's RDF ``--format`` options: any ``format=`` name is accepted (its
    choices list the first names), and a wrong one is a usage error naming the known ones."""
    try:
        return rdf_format_named(name)
    except UnsupportedFormatError as error:
        raise argparse.ArgumentTypeError(error.message) from None
