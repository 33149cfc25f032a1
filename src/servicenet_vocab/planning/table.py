"""An answer's result: typed columns and rows, written as the SPARQL results formats a ``SELECT``
gives (JSON, XML, CSV, TSV), so a client cannot tell a Python answer from a ``.rq`` query."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from servicenet_vocab.formats import ResultFormat

__all__ = ["Column", "Table", "Value", "lexical"]

XSD = "http://www.w3.org/2001/XMLSchema#"
Value = str | int | Decimal | bool | date | None
DATATYPES = ("iri", "xsd:string", "xsd:integer", "xsd:decimal", "xsd:boolean", "xsd:date")


@dataclass(frozen=True)
class Column:
    name: str
    datatype: str = "xsd:string"  # one of DATATYPES; "iri" cells are IRIs
    description: str = ""


def lexical(value: Value) -> str | None:
    """The lexical form a SPARQL engine would give the value (decimals without exponent or
    trailing zeros, booleans in lower case)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text if "." in text or "E" not in text else str(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass
class Table:
    columns: Sequence[Column]
    rows: list[tuple[Value, ...]] = field(default_factory=list)

    @property
    def variables(self) -> list[str]:
        return [c.name for c in self.columns]

    def add(self, *values: Value) -> None:
        assert len(values) == len(self.columns), (values, self.variables)
        self.rows.append(values)

    def records(self) -> Iterator[dict[str, str | None]]:
        """Rows as ``QueryResult.rows`` gives them: lexical strings, None where unbound."""
        names = self.variables
        for row in self.rows:
            yield {n: lexical(v) for n, v in zip(names, row, strict=True)}

    def sparql_json(self) -> dict[str, Any]:
        bindings = []
        for row in self.rows:
            binding = {}
            for column, value in zip(self.columns, row, strict=True):
                if value is not None:
                    binding[column.name] = _term(column, value)
            bindings.append(binding)
        return {"head": {"vars": self.variables}, "results": {"bindings": bindings}}

    def serialize(self, fmt: ResultFormat) -> bytes:
        if fmt is ResultFormat.JSON:
            return json.dumps(self.sparql_json(), ensure_ascii=False).encode()
        if fmt is ResultFormat.CSV:
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(self.variables)
            for record in self.records():
                writer.writerow(["" if v is None else v for v in record.values()])
            return out.getvalue().encode()
        if fmt is ResultFormat.TSV:
            lines = ["\t".join(f"?{n}" for n in self.variables)]
            for row in self.rows:
                lines.append("\t".join(_tsv(c, v) for c, v in zip(self.columns, row, strict=True)))
            return ("\n".join(lines) + "\n").encode()
        return self._xml().encode()

    def _xml(self) -> str:
        parts = [
            '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head>',
            *(f"<variable name={quoteattr(n)}/>" for n in self.variables),
            "</head><results>",
        ]
        for row in self.rows:
            parts.append("<result>")
            for column, value in zip(self.columns, row, strict=True):
                if value is None:
                    continue
                term = _term(column, value)
                if term["type"] == "uri":
                    inner = f"<uri>{escape(term['value'])}</uri>"
                else:
                    kind = f" datatype={quoteattr(term['datatype'])}" if "datatype" in term else ""
                    inner = f"<literal{kind}>{escape(term['value'])}</literal>"
                parts.append(f"<binding name={quoteattr(column.name)}>{inner}</binding>")
            parts.append("</result>")
        parts.append("</results></sparql>")
        return "".join(parts)


def _term(column: Column, value: Value) -> dict[str, str]:
    text = lexical(value) or ""
    if column.datatype == "iri":
        return {"type": "uri", "value": text}
    if column.datatype == "xsd:string":
        return {"type": "literal", "value": text}
    return {"type": "literal", "datatype": XSD + column.datatype[4:], "value": text}


def _tsv(column: Column, value: Value) -> str:
    if value is None:
        return ""
    text = lexical(value) or ""
    if column.datatype == "iri":
        return f"<{text}>"
    if column.datatype in ("xsd:integer", "xsd:decimal", "xsd:boolean"):
        return text
    quoted = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    if column.datatype == "xsd:string":
        return f'"{quoted}"'
    return f'"{quoted}"^^<{XSD}{column.datatype[4:]}>'
