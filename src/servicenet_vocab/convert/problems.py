"""Row errors: each names the file, row, column and offending value, and says what was expected.

They are collected over the whole input and reported together ("units.csv, row 14, column
'Kapasiteetti': '12,5' is not a whole number"), so an integrator fixes a file in one round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from servicenet_vocab.convert.mapping import Mapping
from servicenet_vocab.errors import DataInvalidError, Location

__all__ = [
    "RowError",
    "RowProblem",
    "RowsInvalidError",
    "format_report",
    "problem_error",
    "validation_error",
]

MAX_LISTED = 200


@dataclass(frozen=True)
class RowError:
    """One problem in one row (``column`` is None for problems of the whole row)."""

    source: str
    row: int
    column: str | None
    message: str
    value: str | None = None

    @property
    def location(self) -> Location:
        return Location(source=self.source, row=self.row, field=self.column)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"source": self.source, "row": self.row, "message": self.message}
        if self.column is not None:
            body["column"] = self.column
        if self.value is not None:
            body["value"] = self.value
        return body


def format_report(errors: Sequence[RowError], *, limit: int = MAX_LISTED) -> str:
    """All errors, one per line (the first ``limit``, then how many more)."""
    lines = [str(error) for error in errors[:limit]]
    if len(errors) > limit:
        lines.append(f"... and {len(errors) - limit} more")
    return "\n".join(lines)


class RowsInvalidError(DataInvalidError):
    """Rows of a CSV/JSON export that do not convert (a ``DataInvalidError``: CLI exit 1)."""

    code = "ROWS_INVALID"

    def __init__(self, errors: Sequence[RowError], *, source: str, rows: int) -> None:
        bad_rows = len({error.row for error in errors})
        summary = (
            f"{len(errors)} error{'s' if len(errors) != 1 else ''} in {bad_rows} of {rows} "
            f"row{'s' if rows != 1 else ''}; nothing was written (use --skip-invalid to convert "
            "the valid rows and list the skipped ones)"
        )
        super().__init__(summary + "\n" + format_report(errors), location=Location(source=source))
        self.summary = summary
        self.errors = list(errors)

    def __str__(self) -> str:
        return self.message

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        body["message"] = self.summary
        body["errors"] = [error.to_dict() for error in self.errors]
        return body


class RowProblem(Exception):
    """Raised while turning a valid row into RDF (e.g. an IRI template gives an invalid IRI)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def problem_error(
    problem: RowProblem, picked: dict[str, Any], number: int, mapping: Mapping, source: str
) -> RowError:
    """A ``RowProblem`` met while writing a valid row, worded with the value and its column."""
    column = mapping.columns.get(problem.field or "", problem.field)
    raw: dict[str, Any] = {**mapping.constants, **picked}
    value = raw.get(problem.field or "")
    message = f"'{value}' {problem.message}" if value is not None else problem.message
    return RowError(source, number, column, message, _text(value))


def validation_error(
    error: Any, number: int, mapping: Mapping, source: str, raw: dict[str, Any]
) -> RowError:
    """One pydantic error of a row model, named by the city's column and worded for people."""
    loc = error.get("loc") or ()
    ctx = error.get("ctx") or {}
    field_name = str(loc[0]) if loc else ctx.get("field")
    column = mapping.columns.get(field_name, field_name) if field_name else None
    if error["type"] == "missing":
        what = f"'{field_name}' " if column == field_name else ""
        return RowError(source, number, column, f"{what}is empty; a value is required")
    message = error["msg"]
    if error["type"] not in _OWN_MESSAGES and field_name in raw and not message.startswith("'"):
        message = f"'{raw[field_name]}': {message}"
    return RowError(source, number, column, message, _text(raw.get(field_name or "")))


_OWN_MESSAGES = {
    "whole_number",
    "decimal",
    "date",
    "year",
    "boolean",
    "text",
    "negative",
    "unknown_code",
    "ambiguous_code",
    "row_rule",
}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
