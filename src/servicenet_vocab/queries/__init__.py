"""Named planning queries: ``*.rq`` files beside this module, each with a header that documents it.

Header lines (``#`` comments before the query)::

    # @title Utilisation per unit
    # @description One line on what it answers.
    # @param date xsd:date 2025-10-01 Reference date of capacity and enrolment

Parameters are bound safely: every value is parsed and validated for its declared type, rendered as a
SPARQL term by us, and placed in a ``VALUES`` row at the ``# @bind`` line inside the query's WHERE
clause (one row per marker; subqueries need their own). User text is never pasted in as SPARQL.

Beside the ``.rq`` files, Python answers (``queries.answers``: typed parameters, one or more
narrow SELECTs through ``servicenet_vocab.planning.facts``, the shared semantics of
``servicenet_vocab.planning.semantics``, a ``Table``) are registered under the same names and
headers; ``NamedQuery.kind`` tells them apart, and the facade serves both alike.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from servicenet_vocab.errors import InputError, Location, NotFoundError
from servicenet_vocab.queries.params import DATATYPES, QueryParam, term, value

if TYPE_CHECKING:
    from servicenet_vocab.planning.facts import Fetch
    from servicenet_vocab.planning.table import Table
    from servicenet_vocab.queries.answers import Answer

__all__ = [
    "NamedQuery",
    "QueryParam",
    "answer",
    "bind",
    "get_answer",
    "get_query",
    "list_queries",
    "parse_query_file",
    "values",
]

QUERY_DIR = Path(__file__).resolve().parent
BIND_MARKER = "# @bind"
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_VAR = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_HEADER = re.compile(r"^#\s*@(\w+)\s*(.*)$")


class NamedQuery(BaseModel):
    """A planning query with its documentation and parameters."""

    name: str
    title: str
    description: str
    params: list[QueryParam]
    text: str
    kind: Literal["sparql", "python"] = "sparql"


def parse_query_file(path: Path) -> NamedQuery:
    """A ``.rq`` file's named query: ``@title``, ``@description`` and ``@param`` header lines."""
    text = path.read_text("utf-8")
    fields: dict[str, str] = {}
    params: list[QueryParam] = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _HEADER.match(line.strip())
        if not match or match.group(1) == "bind":
            continue
        key, value = match.groups()
        if key == "param":
            params.append(_param(value, path, number))
        else:
            fields[key] = value.strip()
    if params and BIND_MARKER not in text:
        raise InputError(f"query has parameters but no '{BIND_MARKER}' line", location=_at(path))
    return NamedQuery(
        name=path.stem,
        title=fields.get("title", path.stem),
        description=fields.get("description", ""),
        params=params,
        text=text,
    )


def _param(spec: str, path: Path, line: int) -> QueryParam:
    parts = spec.split(maxsplit=3)
    if len(parts) < 3 or not _VAR.match(parts[0]) or parts[1] not in DATATYPES:
        raise InputError(f"bad @param line: {spec!r}", location=_at(path, line))
    param = QueryParam(
        name=parts[0], datatype=parts[1], default=parts[2], description=" ".join(parts[3:])
    )
    term(param, param.default)  # the default itself must be valid
    return param


def _at(path: Path, line: int | None = None) -> Location:
    return Location(source=path.name, line=line)


@cache
def _registry() -> dict[str, NamedQuery]:
    from servicenet_vocab.queries.answers import ANSWERS

    found = {q.name: q for q in map(parse_query_file, sorted(QUERY_DIR.glob("*.rq")))}
    for name, python in ANSWERS.items():
        if name in found:
            raise InputError(f"named query {name!r} is both a .rq file and a Python answer")
        found[name] = NamedQuery(
            name=name,
            title=python.title,
            description=python.description,
            params=list(python.params),
            text="",
            kind="python",
        )
    return dict(sorted(found.items()))


def list_queries() -> list[NamedQuery]:
    """Every named query, ordered by name."""
    return list(_registry().values())


def get_query(name: str) -> NamedQuery:
    """One named query; ``NotFoundError`` for an unknown name."""
    if not _NAME.match(name) or name not in _registry():
        raise NotFoundError(f"no named query {name!r}")
    return _registry()[name]


def _given(query: NamedQuery, values: Mapping[str, object] | None) -> dict[str, object]:
    given = dict(values or {})
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        raise InputError(f"unknown parameter(s) for {query.name}: {', '.join(unknown)}")
    return given


def bind(query: NamedQuery, values: Mapping[str, object] | None = None) -> str:
    """The query text with every parameter bound (given values or defaults) in a VALUES row."""
    if query.kind != "sparql":
        raise InputError(f"{query.name} is a Python answer, not a SPARQL text to bind")
    given = _given(query, values)
    if not query.params:
        return query.text
    names = " ".join(f"?{p.name}" for p in query.params)
    terms = " ".join(term(p, given.get(p.name, p.default)) for p in query.params)
    # Every "# @bind" line gets the row: subqueries are evaluated on their own, so a query that
    # aggregates in subqueries carries one marker in each.
    return query.text.replace(BIND_MARKER, f"VALUES ({names}) {{ ({terms}) }}")


def values(query: NamedQuery, given: Mapping[str, object] | None = None) -> dict[str, object]:
    """Every parameter's validated Python value (given or default); ``InputError`` naming a bad
    or unknown one."""
    chosen = _given(query, given)
    return {p.name: value(p, chosen.get(p.name, p.default)) for p in query.params}


def get_answer(name: str) -> Answer:
    """The Python answer of that name; ``NotFoundError`` for an unknown one."""
    from servicenet_vocab.queries.answers import ANSWERS

    if get_query(name).kind != "python":
        raise NotFoundError(f"{name!r} is not a Python answer")
    return ANSWERS[name]


def answer(fetch: Fetch, name: str, given: Mapping[str, object] | None = None) -> Table:
    """Run the Python answer ``name`` with its SELECTs going through ``fetch`` (trusted caller:
    the worker job, a test, the benchmark)."""
    python = get_answer(name)
    return python.compute(fetch, values(get_query(name), given))
