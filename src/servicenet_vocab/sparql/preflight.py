"""A cheap pre-flight scan of an untrusted SPARQL query, before any engine sees it.

One linear pass of a tokenizer (a regular expression with no nested quantifiers; no recursion),
aware of strings, IRIs, comments, variables and prefixed names, so a keyword inside a literal or an
IRI is never mistaken for one. It refuses, with the line and column of the offending token:

- a query longer than the limit (``PayloadTooLargeError``, HTTP 413);
- brackets ``{ ( [`` nested deeper than the limit, runs of unary operators and an excessive number of
  operators or ``OPTIONAL``/``UNION``/``MINUS``: pyoxigraph overflows its stack and kills the whole
  process on such queries (measured: ~2,400 nested ``{``, ~5,000 nested ``(``, 20,000 ``!``);
- update operations (``INSERT``, ``DELETE``, ``LOAD``...) on the query endpoint
  (``UpdateNotAllowedError``, HTTP 403);
- ``SERVICE`` unless its IRI is on the allow-list (a variable target is never allowed): both engines
  open outbound connections for it;
- ``FROM``/``FROM NAMED`` naming a graph that is not stored.

It also reports the query form (SELECT, ASK, CONSTRUCT, DESCRIBE) so the caller can negotiate the
response format before running anything, and whether the query declares its own dataset.
The scan is a guard, not a parser: syntax errors are left to the engine, which locates them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urljoin

from servicenet_vocab.errors import (
    Location,
    PayloadTooLargeError,
    RefusedInputError,
    UpdateNotAllowedError,
)
from servicenet_vocab.namespaces import PREFIXES

__all__ = ["QueryForm", "QueryLimits", "ScannedQuery", "scan_query"]

UPDATE_KEYWORDS = frozenset(
    ["INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH", "USING"]
)
TREE_KEYWORDS = frozenset({"OPTIONAL", "UNION", "MINUS"})
# Operators plus OPTIONAL/UNION/MINUS: far above any real query, far below a crash.
MAX_OPERATORS = 4_000


class QueryForm(StrEnum):
    SELECT = "SELECT"
    ASK = "ASK"
    CONSTRUCT = "CONSTRUCT"
    DESCRIBE = "DESCRIBE"

    @property
    def returns_graph(self) -> bool:
        return self in (QueryForm.CONSTRUCT, QueryForm.DESCRIBE)


@dataclass(frozen=True)
class QueryLimits:
    max_length: int = 100_000
    max_depth: int = 64
    service_allowlist: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ScannedQuery:
    form: QueryForm | None  # None when the scan found no form keyword: the engine will say why
    from_graphs: tuple[str, ...] = ()
    from_named_graphs: tuple[str, ...] = ()
    # Predeclared prefixes (namespaces.PREFIXES) the query uses without declaring: a remote
    # engine must be told them. Derived from the text, so not part of the verdict's equality.
    undeclared_prefixes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def declares_dataset(self) -> bool:
        return bool(self.from_graphs or self.from_named_graphs)


_TOKEN = re.compile(  # whitespace and comments are skipped inside the match, never yielded
    r"""
    (?:\s|\#[^\n]*)*
    (?: (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
               |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n\r]|\\.)*'
               |"(?:[^"\\\n\r]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][\w\u00B7]+)
    | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    | (?P<pname>(?:[^\W\d][\w\-.\u00B7]*)?:(?:[\w\-.:%\u00B7]|\\.)*)
    | (?P<word>[^\W\d][\w\-]*)
    | (?P<open>[{(\[])
    | (?P<close>[})\]])
    | (?P<datatype>\^\^)
    | (?P<op>&&|\|\||!=|<=|>=|[!=<>+\-*/|^])
    | (?P<number>\d[\d.eE]*)
    | (?P<other>[.,;]+|.)
    | (?P<end>\Z) )
    """,
    re.VERBOSE | re.DOTALL,
)
_UNARY = frozenset("!+-")


def scan_query(
    text: str,
    limits: QueryLimits,
    *,
    is_stored_graph: Callable[[str], bool] | None = None,
) -> ScannedQuery:
    """Scan ``text``; raise a located ``InputError`` subclass for anything refused."""
    if len(text) > limits.max_length:
        raise PayloadTooLargeError(
            f"the query is {len(text):,} characters long; the limit is {limits.max_length:,}",
            location=Location(source="query"),
        )
    return _Scan(text, limits, is_stored_graph).run()


class _Scan:
    def __init__(
        self, text: str, limits: QueryLimits, is_stored: Callable[[str], bool] | None
    ) -> None:
        self.text = text
        self.limits = limits
        self.is_stored = is_stored
        self.prefixes: dict[str, str] = dict(PREFIXES)  # the store predeclares these
        self.base = ""
        self.form: QueryForm | None = None
        self.from_graphs: list[str] = []
        self.from_named: list[str] = []
        self.declared: set[str] = set()
        self.used: set[str] = set()

    def run(self) -> ScannedQuery:
        depth = operators = unary_run = 0
        tokens = _Tokens(_TOKEN.finditer(self.text))
        for kind, value, offset in tokens:
            if kind == "open":
                depth += 1
                if depth > self.limits.max_depth:
                    self._refuse(
                        f"nesting deeper than {self.limits.max_depth} levels is refused", offset
                    )
            elif kind == "close":
                depth = max(0, depth - 1)
            elif kind == "op":
                operators += 1
                unary_run = unary_run + 1 if value in _UNARY else 0
                if unary_run > self.limits.max_depth:
                    self._refuse(
                        f"more than {self.limits.max_depth} operators in a row are refused", offset
                    )
            elif kind == "word":
                operators += self._keyword(value.upper(), depth, offset, tokens)
            elif kind == "pname":
                self.used.add(value.partition(":")[0])
            if kind != "op":
                unary_run = 0
            if operators > MAX_OPERATORS:
                self._refuse(
                    f"more than {MAX_OPERATORS} operators and OPTIONAL/UNION/MINUS are refused",
                    offset,
                )
        undeclared = tuple(name for name in PREFIXES if name in self.used - self.declared)
        return ScannedQuery(self.form, tuple(self.from_graphs), tuple(self.from_named), undeclared)

    def _keyword(self, word: str, depth: int, offset: int, tokens: _Tokens) -> int:
        if word in UPDATE_KEYWORDS:
            raise UpdateNotAllowedError(
                f"{word} is an update operation; this endpoint is read-only",
                location=self._where(offset),
            )
        if word in TREE_KEYWORDS:
            return 1
        if word in QueryForm.__members__ and self.form is None and depth == 0:
            self.form = QueryForm(word)
        elif word == "PREFIX":
            self._prefix(tokens)
        elif word == "BASE":
            kind, value, _ = tokens.next()
            if kind == "iri":
                self.base = self._resolve_iri(value[1:-1])
        elif word == "SERVICE":
            self._service(tokens, offset)
        elif word == "FROM":
            self._from(tokens, offset)
        return 0

    def _prefix(self, tokens: _Tokens) -> None:
        kind, name, _ = tokens.next()
        if kind != "pname" or not name.endswith(":"):
            return
        self.declared.add(name[:-1])
        kind, iri, _ = tokens.next()
        if kind == "iri":
            self.prefixes[name[:-1]] = self._resolve_iri(iri[1:-1])

    def _service(self, tokens: _Tokens, offset: int) -> None:
        kind, value, at = tokens.next()
        if kind == "word" and value.upper() == "SILENT":
            kind, value, at = tokens.next()
        target = self._term_iri(kind, value)
        if target is None:
            self._refuse("SERVICE is refused without an allow-listed endpoint IRI", offset)
        elif target not in self.limits.service_allowlist:
            allowed = ", ".join(sorted(self.limits.service_allowlist)) or "none"
            self._refuse(
                f"SERVICE <{target}> is refused: queries may only reach allow-listed "
                f"endpoints (allowed: {allowed})",
                at,
            )

    def _from(self, tokens: _Tokens, offset: int) -> None:
        kind, value, at = tokens.next()
        named = kind == "word" and value.upper() == "NAMED"
        if named:
            kind, value, at = tokens.next()
        target = self._term_iri(kind, value)
        if target is None:
            self._refuse("FROM is refused without a graph IRI", offset)
            return
        if self.is_stored is not None and not self.is_stored(target):
            self._refuse(
                f"FROM {'NAMED ' if named else ''}<{target}> is refused: not a stored graph", at
            )
        (self.from_named if named else self.from_graphs).append(target)

    def _term_iri(self, kind: str, value: str) -> str | None:
        if kind == "iri":
            return self._resolve_iri(value[1:-1])
        if kind == "pname":
            prefix, _, local = value.rstrip(".").partition(":")
            self.used.add(prefix)
            if prefix in self.prefixes:
                return self.prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
            return value  # undeclared prefix: the engine reports it; never on an allow-list
        return None

    def _resolve_iri(self, iri: str) -> str:
        return urljoin(self.base, iri) if self.base else iri

    def _refuse(self, message: str, offset: int) -> None:
        raise RefusedInputError(message, location=self._where(offset))

    def _where(self, offset: int) -> Location:
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return Location(source="query", line=line, column=column)


class _Tokens:
    """The significant tokens as (kind, text, offset)."""

    def __init__(self, matches: Iterable[re.Match[str]]) -> None:
        self._matches = iter(matches)

    def __iter__(self) -> _Tokens:
        return self

    def __next__(self) -> tuple[str, str, int]:
        for match in self._matches:
            kind = match.lastgroup
            if kind is None or kind == "end":  # trailing whitespace or comment
                break
            return kind, match.group(kind), match.start(kind)
        raise StopIteration

    def next(self) -> tuple[str, str, int]:
        return next(self, ("end", "", -1))
