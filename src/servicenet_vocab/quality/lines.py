"""Where each term is written: for every Turtle file, the line on which an IRI first appears as a
subject (its definition) and the line on which it is first used at all.

RDF parsers drop positions, so this is a small token scanner of its own: strings, IRIs and comments are
matched whole, brackets are counted, and the first term after a statement's final ``.`` (outside any
``[ ]`` or ``( )``) is a subject. Prefixed names are expanded with the file's own ``@prefix`` lines.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_TOKEN = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^>\s]*>"
    r"|\#[^\n]*"
    r"|[\[\]\(\);,]"
    r"|[^\s\[\]\(\);,\"'<>\#]+",
)
_DIRECTIVES = {"@prefix", "@base", "prefix", "base"}


@dataclass(frozen=True)
class Position:
    """A place in a source file (``line`` counts from 1)."""

    file: Path
    line: int


@dataclass
class FileLines:
    """The subjects and uses of one file, IRI -> first line."""

    path: Path
    subjects: dict[str, int] = field(default_factory=dict)
    uses: dict[str, int] = field(default_factory=dict)


def scan_turtle(text: str, path: Path) -> FileLines:
    """Index one Turtle document."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    result = FileLines(path)
    prefixes: dict[str, str] = {}
    base = ""
    depth = 0
    expect_subject = True
    directive: list[str] = []  # tokens of the directive being read
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0] in "#\"'":
            continue
        line = bisect.bisect_right(starts, match.start())
        ends_statement = False
        if token[0] not in "<[]();," and token.endswith(".") and not token.startswith("."):
            token, ends_statement = token.rstrip("."), True
        if directive or (expect_subject and depth == 0 and token.lower() in _DIRECTIVES):
            directive.append(token)
            if _directive_done(directive, ends_statement):
                base = _apply_directive(directive, prefixes, base)
                directive = []
                expect_subject = True
            continue
        if token in "[(":
            depth += 1
            expect_subject = False
        elif token in "])":
            depth = max(0, depth - 1)
        elif token == "." and depth == 0:
            expect_subject = True
        elif token not in ";,.":
            iri = _resolve(token, prefixes, base)
            if iri is not None:
                result.uses.setdefault(iri, line)
                if expect_subject and depth == 0:
                    result.subjects.setdefault(iri, line)
            expect_subject = False
        if ends_statement and depth == 0:
            expect_subject = True
    return result


def _directive_done(tokens: list[str], ends_statement: bool) -> bool:
    keyword = tokens[0].lower()
    wanted = 3 if keyword.endswith("prefix") else 2
    if keyword.startswith("@"):
        return ends_statement or (len(tokens) > wanted and tokens[-1] == ".")
    return len(tokens) >= wanted


def _apply_directive(tokens: list[str], prefixes: dict[str, str], base: str) -> str:
    values = [t for t in tokens[1:] if t != "."]
    if tokens[0].lower().endswith("prefix") and len(values) >= 2:
        prefixes[values[0].rstrip(":")] = urljoin(base, values[1].strip("<>"))
    elif values:
        base = urljoin(base, values[0].strip("<>"))
    return base


def _resolve(token: str, prefixes: dict[str, str], base: str) -> str | None:
    if token.startswith("<"):
        return urljoin(base, token[1:-1]) if base else token[1:-1]
    if token == "a":
        return RDF_TYPE
    if token.startswith(("@", "^^", "_:")) or ":" not in token:
        return None
    name, local = token.split(":", 1)
    if name not in prefixes:
        return None
    return prefixes[name] + re.sub(r"\\(.)", r"\1", local)


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
