"""Read and write RDF safely: strict parsers with located errors, and no network access ever.

Parsing is pyoxigraph's (it rejects invalid RDF and reports line and column; it refuses remote
JSON-LD contexts). Before a parser sees untrusted bytes, a cheap non-recursive scan refuses what
would crash or leak: nesting deeper than a limit (the engine overflows its stack), entity
declarations in RDF/XML (entity bombs) and remote ``@context`` references.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
import rdflib

from servicenet_vocab import formats
from servicenet_vocab.errors import (
    InputError,
    Location,
    RdfSyntaxError,
    RefusedInputError,
    UnsupportedFormatError,
    rdf_syntax_error,
)
from servicenet_vocab.formats import RdfFormat
from servicenet_vocab.namespaces import prefix_table

DEFAULT_MAX_DEPTH = 64


def format_for_path(path: str | Path) -> RdfFormat:
    """The format a file name implies by its extension."""
    return formats.for_extension(path).rdf


def format_for_media_type(media_type: str) -> RdfFormat:
    """The format a Content-Type names (parameters such as charset are ignored)."""
    return formats.for_media_type(media_type).rdf


def supported_media_types() -> list[str]:
    return [row.media_type for row in formats.rows(formats.FormatKind.RDF)]


def parse(
    source: str | Path | bytes,
    fmt: RdfFormat | None = None,
    *,
    source_name: str | None = None,
    base_iri: str | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> list[ox.Quad]:
    """Parse a file path or bytes into quads (default-graph triples carry ``ox.DefaultGraph``).

    Raises ``RdfSyntaxError`` with the source, line and column, or ``RefusedInputError``.
    """
    data, name, fmt = _read(source, fmt, source_name)
    return list(iter_parse(data, fmt, source_name=name, base_iri=base_iri, max_depth=max_depth))


def iter_parse(
    data: bytes | IO[bytes],
    fmt: RdfFormat,
    *,
    source_name: str = "input",
    base_iri: str | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Iterator[ox.Quad]:
    """Stream quads from bytes or a binary file object, translating errors as ``parse`` does."""
    if isinstance(data, bytes):
        preflight(data, fmt, source_name=source_name, max_depth=max_depth)
    try:
        yield from ox.parse(data, fmt.engine, base_iri=base_iri)
    except SyntaxError as error:
        raise located_syntax_error(
            error, data if isinstance(data, bytes) else None, source_name
        ) from None
    except ValueError as error:  # e.g. a relative IRI without a base
        raise RdfSyntaxError(str(error), location=Location(source=source_name)) from None


def located_syntax_error(error: SyntaxError, data: bytes | None, source: str) -> RdfSyntaxError:
    """Our error for a parser's ``SyntaxError``, with the position found even where the parser
    gives none (its RDF/XML errors name the offending token only)."""
    located = rdf_syntax_error(error, source)
    if located.location and located.location.line is None and data is not None:
        located = _locate_by_token(located, data, source)
    return located


_QUOTED = re.compile(r"`([^`]+)`")
_PREFIX = re.compile(r"Unknown prefix ([\w.-]*:)")


def _locate_by_token(error: RdfSyntaxError, data: bytes, source: str) -> RdfSyntaxError:
    """The RDF/XML parser names the offending token but not its position: find the token."""
    found = _PREFIX.search(error.message)
    needles = [b"<" + found.group(1).encode()] if found else []
    needles += [token.encode() for token in reversed(_QUOTED.findall(error.message))]
    for needle in needles:
        offset = data.find(needle)
        if offset >= 0:
            return RdfSyntaxError(error.message, location=_offset_location(data, offset, source))
    return error


def load_json(data: bytes, *, source: str = "input") -> Any:
    """Decode a JSON document; a decoding error names the source, line and column."""
    try:
        return json.loads(data)
    except json.JSONDecodeError as error:
        raise InputError(
            f"not valid JSON: {error.msg}",
            location=Location(source=source, line=error.lineno, column=error.colno),
        ) from None
    except UnicodeDecodeError as error:
        raise InputError(
            f"JSON must be UTF-8: {error.reason}", location=Location(source=source)
        ) from None


def _read(
    source: str | Path | bytes, fmt: RdfFormat | None, source_name: str | None
) -> tuple[bytes, str, RdfFormat]:
    if isinstance(source, bytes):
        if fmt is None:
            raise UnsupportedFormatError("the RDF format must be named for in-memory data")
        return source, source_name or "input", fmt
    path = Path(source)
    fmt = fmt or format_for_path(path)
    try:
        return path.read_bytes(), source_name or str(path), fmt
    except OSError as error:
        raise RefusedInputError(
            f"cannot read file: {error.strerror}", location=Location(source=str(path))
        ) from None


def serialize(quads: Iterable[ox.Quad | ox.Triple], fmt: RdfFormat) -> bytes:
    """Write quads or triples in a format; quads collapse to triples in a graph-only format."""
    items = list(quads)
    if not fmt.is_dataset:
        items = [q.triple if isinstance(q, ox.Quad) else q for q in items]
    prefixes = _WRITE_PREFIXES if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG) else None
    out = ox.serialize(items, None, fmt.engine, prefixes=prefixes)  # type: ignore[arg-type]
    assert isinstance(out, bytes)
    return out


def to_rdflib(quads: Iterable[ox.Quad | ox.Triple]) -> rdflib.Graph:
    """An rdflib Graph of the triples, for tools that need rdflib (pyshacl, owlready2 export).

    Built term by term from terms pyoxigraph already parsed (each distinct term converted once),
    so rdflib never parses untrusted input, and blank nodes keep their labels: a report from an
    rdflib-based tool names the same blank nodes as the data.
    """
    graph = rdflib.Graph()
    for prefix, iri in _WRITE_PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    cache: dict[object, rdflib.term.Node] = {}

    def term(value: object) -> rdflib.term.Node:
        found = cache.get(value)
        if found is None:
            found = cache[value] = to_rdflib_term(value)
        return found

    graph.addN((term(q.subject), term(q.predicate), term(q.object), graph) for q in quads)
    return graph


def to_rdflib_term(term: object) -> rdflib.term.Identifier:
    """One pyoxigraph term as the equivalent rdflib term."""
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if not isinstance(term, ox.Literal):
        raise UnsupportedFormatError(f"RDF 1.2 triple terms are not supported here: {term}")
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))


# --- pre-flight scans ------------------------------------------------------------------------

_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_REMOTE_CONTEXT = re.compile(rb'"@context"\s*:\s*(\[[^\]]*)?"(https?|file|ftp):', re.IGNORECASE)


def preflight(data: bytes, fmt: RdfFormat, *, source_name: str = "input", max_depth: int) -> None:
    """Refuse input that would crash the parser or make it reach outside; cheap and linear."""
    if fmt is RdfFormat.RDFXML and _ENTITY.search(data):
        raise RefusedInputError(
            "RDF/XML with <!ENTITY declarations is refused (entity expansion is unbounded)",
            location=_location_of(data, _ENTITY.search(data), source_name),
        )
    if fmt is RdfFormat.JSONLD:
        found = _REMOTE_CONTEXT.search(data)
        if found:
            raise RefusedInputError(
                "remote JSON-LD @context is never fetched; inline the context or use the "
                "project's context",
                location=_location_of(data, found, source_name),
            )
    if fmt in (RdfFormat.JSONLD, RdfFormat.TURTLE, RdfFormat.TRIG) or b"<<" in data:
        check_depth(data, fmt, source_name, max_depth)  # N-Triples nest only in triple terms


def _location_of(data: bytes, match: re.Match[bytes] | None, source: str) -> Location:
    return _offset_location(data, match.start() if match else 0, source)


def _offset_location(data: bytes, offset: int, source: str) -> Location:
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return Location(source=source, line=line, column=column)


# Strings, IRIs and comments are matched whole so brackets inside them are not counted; the
# regex engine does the scanning and Python only sees tokens, so a large file scans quickly.
_TURTLE_TOKENS = re.compile(
    rb'"""(?:[^"\\]|\\.|"(?!""))*"""'
    rb"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    rb'|"(?:[^"\\\n]|\\.)*"'
    rb"|'(?:[^'\\\n]|\\.)*'"
    rb"|<[^>\s]*>|#[^\n]*|[\[\(\]\)]"
)
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\{\]\}]')


def check_depth(
    data: bytes, fmt: RdfFormat, source: str, max_depth: int = DEFAULT_MAX_DEPTH
) -> None:
    """Refuse nesting deeper than ``max_depth`` before any parser (or ``json``) recurses."""
    """Refuse bracket nesting deeper than ``max_depth``, in one pass with no recursion."""
    tokens = _JSON_TOKENS if fmt is RdfFormat.JSONLD else _TURTLE_TOKENS
    depth = 0
    for token in tokens.finditer(data):
        text = token.group()
        if len(text) != 1:
            continue
        if text in b"[({":
            depth += 1
            if depth > max_depth:
                raise RefusedInputError(
                    f"nesting deeper than {max_depth} levels is refused",
                    location=_location_of(data, token, source),
                )
        else:
            depth = max(0, depth - 1)


_WRITE_PREFIXES = prefix_table("sn", "rdf", "rdfs", "owl", "xsd", "skos", "sh", "dct", "dcat")
