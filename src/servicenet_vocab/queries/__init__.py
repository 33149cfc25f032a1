"""Named planning queries: ``*.rq`` files beside this module, each with a header that documents it.

Header lines (``#`` comments before the query)::

    # @title Utilisation per unit
    # @description One line on what it answers.
    # @param date xsd:date 2025-10-01 Reference date of capacity and enrolment

Parameters are bound safely: every value is parsed and validated for its declared type, rendered as a
SPARQL term by us, and placed in a ``VALUES`` row at the ``# @bind`` line inside the query's WHERE
clause (one row per marker; subqueries need their own). User text is never pasted in as SPARQL.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from pydantic import BaseModel

from servicenet_vocab.errors import InputError, Location, NotFoundError

__all__ = ["NamedQuery", "QueryParam", "bind", "get_query", "list_queries"]

QUERY_DIR = Path(__file__).resolve().parent
BIND_MARKER = "# @bind"
XSD = "http://www.w3.org/2001/XMLSchema#"
DATATYPES = ("xsd:integer", "xsd:decimal", "xsd:date", "xsd:string", "xsd:boolean", "iri")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_VAR = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_HEADER = re.compile(r"^#\s*@(\w+)\s*(.*)$")


class QueryParam(BaseModel):
    """One typed parameter of a named query."""

    name: str
    datatype: str
    default: str
    description: str = ""


class NamedQuery(BaseModel):
    """A planning query with its documentation and parameters."""

    name: str
    title: str
    description: str
    params: list[QueryParam]
    text: str


def _parse(path: Path) -> NamedQuery:
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
    _term(param, param.default)  # the default itself must be valid
    return param


def _at(path: Path, line: int | None = None) -> Location:
    return Location(source=path.name, line=line)


@cache
def _registry() -> dict[str, NamedQuery]:
    return {q.name: q for q in map(_parse, sorted(QUERY_DIR.glob("*.rq")))}


def list_queries() -> list[NamedQuery]:
    """Every named query, ordered by name."""
    return list(_registry().values())


def get_query(name: str) -> NamedQuery:
    """One named query; ``NotFoundError`` for an unknown name."""
    if not _NAME.match(name) or name not in _registry():
        raise NotFoundError(f"no named query {name!r}")
    return _registry()[name]


def _term(param: QueryParam, value: object) -> str:
    """Render a value as a SPARQL term of the parameter's type, or raise ``InputError``."""
    raw = str(value).strip()
    where = Location(field=param.name)
    try:
        if param.datatype == "xsd:integer":
            if isinstance(value, bool) or not re.fullmatch(r"[+-]?\d{1,18}", raw):
                raise ValueError
            return str(int(raw))
        if param.datatype == "xsd:decimal":
            number = Decimal(raw)
            if not number.is_finite() or isinstance(value, bool):
                raise ValueError
            return f'"{number}"^^<{XSD}decimal>'
        if param.datatype == "xsd:date":
            return f'"{date.fromisoformat(raw).isoformat()}"^^<{XSD}date>'
        if param.datatype == "xsd:boolean":
            if raw.lower() not in ("true", "false"):
                raise ValueError
            return raw.lower()
        if param.datatype == "iri":
            if not _IRI.match(raw):
                raise ValueError
            return f"<{raw}>"
        if len(raw) > 200 or any(ord(ch) < 32 for ch in raw):
            raise ValueError
        return '"' + raw.replace("\\", "\\\\").replace('"', '\\"') + '"'
    except (ValueError, InvalidOperation):
        raise InputError(
            f"parameter {param.name!r} must be {param.datatype}, not {raw[:40]!r}", location=where
        ) from None


def bind(query: NamedQuery, values: Mapping[str, object] | None = None) -> str:
    """The query text with every parameter bound (given values or defaults) in a VALUES row."""
    given = dict(values or {})
    unknown = sorted(set(given) - {p.name for p in query.params})
    if unknown:
        raise InputError(f"unknown parameter(s) for {query.name}: {', '.join(unknown)}")
    if not query.params:
        return query.text
    names = " ".join(f"?{p.name}" for p in query.params)
    terms = " ".join(_term(p, given.get(p.name, p.default)) for p in query.params)
    # Every "# @bind" line gets the row: subqueries are evaluated on their own, so a query that
    # aggregates in subqueries carries one marker in each.
    return query.text.replace(BIND_MARKER, f"VALUES ({names}) {{ ({terms}) }}")
