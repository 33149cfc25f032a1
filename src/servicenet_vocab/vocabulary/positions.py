"""Where each node is written in its source file: the line on which it first starts a statement (its
description, for validation reports and lint findings) and the line on which it is first used at all.

pyoxigraph's parser gives no per-triple positions (``QuadParser`` has only ``prefixes`` and
``base_iri`` in 0.5.13), so this is one small token scanner of the source text, shared by validation
(``subject_lines``) and the quality checks (``scan_turtle``, ``LineIndex``). For Turtle and TriG,
strings, IRIs and comments are matched whole, brackets are counted, and the first term after a
statement's final ``.`` (outside any ``[ ]`` or ``( )``, and not a TriG graph name) is a subject;
prefixed names are expanded with the file's own ``@prefix``/``PREFIX`` lines and relative IRIs
resolved against ``@base``/``BASE``. N-Triples and N-Quads are read line by line (the subject comes
first), JSON-LD by its ``"@id"`` keys and RDF/XML by its ``rdf:about`` attributes. Blank nodes are
keyed by their ``_:label``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from servicenet_vocab.namespaces import RDF
from servicenet_vocab.rdfio import RdfFormat

__all__ = ["RDF_TYPE", "FileLines", "LineIndex", "Position", "scan_turtle", "subject_lines"]

RDF_TYPE = RDF + "type"

# One token after optional whitespace; the group says its kind. Words come first: they are most
# tokens, and no other kind can start with a character a word may start with.
_TOKEN = re.compile(
    r"\s*(?:"
    r"([^\s\[\](){};,\"'<>\#]+)"  # 1: prefixed name, keyword, number, blank node label, "."
    r"|([\[\](){};,])"  # 2: punctuation
    r"|(<[^>\s]*>)"  # 3: IRI
    r'|("""(?:[^"\\]|\\.|"(?!""))*"""'  # 4: strings and comments, skipped whole
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|\#[^\n]*))"
)
_WORD, _PUNCT, _IRI, _SKIP = 1, 2, 3, 4
_DIRECTIVES = {"@prefix", "@base", "prefix", "base"}
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_JSONLD_ID = re.compile(rb'"@id"\s*:\s*"([^"]+)"')
_RDFXML_ABOUT = re.compile(rb'rdf:about="([^"]+)"')
_NT_SUBJECT = re.compile(rb"^[ \t]*(<[^>]*>|_:\S+)", re.MULTILINE)


@dataclass(frozen=True)
class Position:
    """A place in a source file (``line`` counts from 1)."""

    file: Path
    line: int


@dataclass
class FileLines:
    """The subjects and uses of one file: IRI (or ``_:label``) -> first line."""

    path: Path
    subjects: dict[str, int] = field(default_factory=dict)
    uses: dict[str, int] = field(default_factory=dict)


def scan_turtle(text: str, path: Path, *, base: str | None = None) -> FileLines:
    """Index one Turtle or TriG document (N-Triples and N-Quads are Turtle and TriG too)."""
    result = FileLines(path)
    _scan(text, base, result, uses=True, wanted=None)
    return result


def subject_lines(
    data: bytes, fmt: RdfFormat, base: str | None = None, *, wanted: set[str] | None = None
) -> dict[str, int]:
    """Map each IRI (or ``_:label``) to the 1-based line where it first starts a statement;
    with ``wanted``, only those nodes (the scan stops once all are found)."""
    if fmt is RdfFormat.JSONLD:
        found = _by_regex(data, _JSONLD_ID)
    elif fmt is RdfFormat.RDFXML:
        found = _by_regex(data, _RDFXML_ABOUT)
    elif fmt in (RdfFormat.NTRIPLES, RdfFormat.NQUADS):
        return _line_subjects(data, wanted)
    else:
        result = FileLines(Path())
        _scan(data.decode("utf-8", errors="replace"), base, result, uses=False, wanted=wanted)
        found = result.subjects
    return found if wanted is None else {k: v for k, v in found.items() if k in wanted}


class LineIndex:
    """Terms -> where they are defined (first as a subject) or, failing that, first used."""

    def __init__(self, files: list[FileLines]) -> None:
        self.files = files

    @classmethod
    def build(cls, paths: list[Path]) -> LineIndex:
        return cls([scan_turtle(p.read_text("utf-8"), p) for p in paths])

    def definition(self, iri: str) -> Position | None:
        for item in self.files:
            if iri in item.subjects:
                return Position(item.path, item.subjects[iri])
        return None

    def first_use(self, iri: str, within: list[Path] | None = None) -> Position | None:
        for item in self.files:
            if (within is None or item.path in within) and iri in item.uses:
                return Position(item.path, item.uses[iri])
        return None

    def locate(self, iri: str) -> Position | None:
        """Where a term is defined, else where it is first used."""
        return self.definition(iri) or self.first_use(iri)


# --- the Turtle/TriG scanner -----------------------------------------------------------------


def _scan(
    text: str, base: str | None, result: FileLines, *, uses: bool, wanted: set[str] | None
) -> None:
    """Fill ``result`` from ``text``. Terms are resolved and lines counted only where they are
    recorded, and a term in subject position waits for the next token: before ``{`` it names a
    TriG graph."""
    prefixes: dict[str, str] = {}
    base = base or ""
    depth = 0
    expect_subject = True
    directive: list[str] = []  # tokens of the directive being read
    pending: tuple[str, int] | None = None  # (term, offset) of a subject not yet confirmed
    line, counted = 1, 0
    missing = len(wanted) if wanted is not None else -1  # wanted terms not found yet
    if not missing:
        return

    def line_at(offset: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, offset)
        counted = offset
        return line

    for match in _TOKEN.finditer(text):
        kind = match.lastindex
        if kind == _SKIP or kind is None:
            continue
        token = match.group(kind)
        if pending is not None:
            if token != "{" and pending[0] not in result.subjects:
                result.subjects[pending[0]] = line_at(pending[1])
                if wanted is not None and pending[0] in wanted:
                    missing -= 1
                    if not missing:
                        return
            pending = None
        ends_statement = False
        if kind == _WORD and token[-1] == "." and token[0] != ".":
            token, ends_statement = token.rstrip("."), True
        if directive or (
            expect_subject and depth == 0 and kind == _WORD and token.lower() in _DIRECTIVES
        ):
            directive.append(token)
            if _directive_done(directive, ends_statement):
                base = _apply_directive(directive, prefixes, base)
                directive = []
                expect_subject = True
            continue
        if kind == _PUNCT:
            if token in "[(":
                depth += 1
                expect_subject = False
            elif token in "])":
                depth = max(0, depth - 1)
            elif token in "{}":
                depth, expect_subject = 0, True
        elif token == ".":
            if depth == 0:
                expect_subject = True
        else:
            subject = expect_subject and depth == 0
            if subject or uses:
                iri = _resolve(token, prefixes, base)
                if iri is not None:
                    if uses and iri not in result.uses:
                        result.uses[iri] = line_at(match.start(kind))
                    if subject:
                        pending = (iri, match.start(kind))
            expect_subject = False
        if ends_statement and depth == 0:
            expect_subject = True
    if pending is not None:
        result.subjects.setdefault(pending[0], line_at(pending[1]))


def _directive_done(tokens: list[str], ends_statement: bool) -> bool:
    keyword = tokens[0].lower()
    wanted = 3 if keyword.endswith("prefix") else 2
    if keyword.startswith("@"):
        return ends_statement or (len(tokens) > wanted and tokens[-1] == ".")
    return len(tokens) >= wanted


def _apply_directive(tokens: list[str], prefixes: dict[str, str], base: str) -> str:
    values = [t for t in tokens[1:] if t != "."]
    if tokens[0].lower().endswith("prefix") and len(values) >= 2:
        prefixes[values[0].rstrip(":")] = _join(base, values[1].strip("<>"))
    elif values:
        base = _join(base, values[0].strip("<>"))
    return base


def _resolve(token: str, prefixes: dict[str, str], base: str) -> str | None:
    if token.startswith("<"):
        return _join(base, token[1:-1])
    if token == "a":
        return RDF_TYPE
    if token.startswith("_:"):
        return token
    if token.startswith(("@", "^^")) or ":" not in token:
        return None
    name, local = token.split(":", 1)
    if name not in prefixes:
        return None
    return prefixes[name] + (re.sub(r"\\(.)", r"\1", local) if "\\" in local else local)


def _join(base: str, reference: str) -> str:
    """Resolve a relative reference; an absolute IRI is kept exactly as written (as the parser
    keeps it: ``urljoin`` would also remove its dot segments)."""
    return urljoin(base, reference) if base and not _SCHEME.match(reference) else reference


# --- the other formats -----------------------------------------------------------------------


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
