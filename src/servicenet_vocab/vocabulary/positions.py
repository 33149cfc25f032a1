"""Where each node is first described as a subject: file and line, for reports people can act on.

pyoxigraph's parser gives no per-triple positions (``QuadParser`` has only ``prefixes`` and
``base_iri`` in 0.5.13), so this is a cheap scan of the source text: the first token of each
statement in Turtle/TriG/N-Triples/N-Quads (full IRIs, and prefixed names resolved through the
file's own ``@prefix``/``PREFIX`` lines), ``"@id"`` in JSON-LD, ``rdf:about`` in RDF/XML.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from servicenet_vocab.rdfio import RdfFormat

_PREFIX = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.IGNORECASE)
_BASE = re.compile(r"^\s*(?:@base|BASE)\s+<([^>]*)>", re.IGNORECASE)
_FIRST = re.compile(r"^\s*(<[^>\s]*>|[A-Za-z][\w.-]*:[^\s;,]*|:[^\s;,]*|_:[^\s;,]+)")
_JSONLD_ID = re.compile(rb'"@id"\s*:\s*"([^"]+)"')
_RDFXML_ABOUT = re.compile(rb'rdf:about="([^"]+)"')
_NT_SUBJECT = re.compile(rb"^[ \t]*(<[^>]*>|_:\S+)", re.MULTILINE)


def subject_lines(
    data: bytes, fmt: RdfFormat, base: str | None = None, *, wanted: set[str] | None = None
) -> dict[str, int]:
    """Map each IRI (or ``_:label``) to the 1-based line where it first starts a statement;
    with ``wanted``, only those nodes (much cheaper on big N-Triples files)."""
    if fmt is RdfFormat.JSONLD:
        found = _by_regex(data, _JSONLD_ID)
    elif fmt is RdfFormat.RDFXML:
        found = _by_regex(data, _RDFXML_ABOUT)
    elif fmt in (RdfFormat.NTRIPLES, RdfFormat.NQUADS):
        return _line_subjects(data, wanted)
    else:
        found = _turtle_like(data.decode("utf-8", errors="replace"), base)
    return found if wanted is None else {k: v for k, v in found.items() if k in wanted}


def _line_subjects(data: bytes, wanted: set[str] | None) -> dict[str, int]:
    """N-Triples/N-Quads: one statement per line, the subject first."""
    tokens = None
    if wanted is not None:
        tokens = {(k if k.startswith("_:") else f"<{k}>").encode() for k in wanted}
    found: dict[str, int] = {}
    line, last = 1, 0
    for match in _NT_SUBJECT.finditer(data):
        raw = match.group(1)
        if tokens is not None and raw not in tokens:
            continue
        token = raw.decode("utf-8", errors="replace")
        key = token[1:-1] if token.startswith("<") else token
        if key not in found:
            line += data.count(b"\n", last, match.start())
            last = match.start()
            found[key] = line
    return found


def _by_regex(data: bytes, pattern: re.Pattern[bytes]) -> dict[str, int]:
    found: dict[str, int] = {}
    for match in pattern.finditer(data):
        iri = match.group(1).decode("utf-8", errors="replace")
        if iri not in found:
            found[iri] = data.count(b"\n", 0, match.start()) + 1
    return found


def _turtle_like(text: str, base: str | None) -> dict[str, int]:
    prefixes: dict[str, str] = {}
    found: dict[str, int] = {}
    at_statement_start = True
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.split(" #", 1)[0].strip() if "#" in line else line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        prefix = _PREFIX.match(line)
        base_match = _BASE.match(line)
        if prefix:
            prefixes[prefix.group(1) or ""] = _resolve(prefix.group(2), base)
            at_statement_start = True
            continue
        if base_match:
            base = _resolve(base_match.group(1), base)
            at_statement_start = True
            continue
        if at_statement_start:
            token = _FIRST.match(line)
            if token:
                iri = _expand(token.group(1), prefixes, base)
                if iri is not None and iri not in found:
                    found[iri] = number
        at_statement_start = stripped.endswith((".", "{", "}"))
    return found


def _resolve(iri: str, base: str | None) -> str:
    return urljoin(base, iri) if base and ":" not in iri else iri


def _expand(token: str, prefixes: dict[str, str], base: str | None) -> str | None:
    if token.startswith("<"):
        return _resolve(token[1:-1], base)
    if token.startswith("_:"):
        return token
    name, _, local = token.partition(":")
    namespace = prefixes.get(name)
    if namespace is None:
        return None
    return namespace + local.rstrip(".")
