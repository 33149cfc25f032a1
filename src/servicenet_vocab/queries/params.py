"""Typed parameters of the named queries: declared in a ``.rq`` header or by a Python answer,
validated the same way, rendered as a SPARQL term (``term``) or as a Python value (``value``)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from pydantic import BaseModel

from servicenet_vocab.errors import InputError, Location

__all__ = ["DATATYPES", "QueryParam", "term", "value"]

XSD = "http://www.w3.org/2001/XMLSchema#"
DATATYPES = ("xsd:integer", "xsd:decimal", "xsd:date", "xsd:string", "xsd:boolean", "iri")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


class QueryParam(BaseModel):
    """One typed parameter of a named query."""

    name: str
    datatype: str
    default: str
    description: str = ""


def term(param: QueryParam, value: object) -> str:
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


def value(param: QueryParam, given: object) -> object:
    """The validated value as Python: int, Decimal, date, bool or str."""
    rendered = term(param, given)  # raises InputError for a bad value
    raw = str(given).strip()
    if param.datatype == "xsd:integer":
        return int(rendered)
    if param.datatype == "xsd:decimal":
        return Decimal(raw)
    if param.datatype == "xsd:date":
        return date.fromisoformat(raw)
    if param.datatype == "xsd:boolean":
        return raw.lower() == "true"
    return raw
