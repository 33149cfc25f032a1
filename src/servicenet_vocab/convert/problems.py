"""Row errors: each names the file, row, column and offending value, and says what was expected.

They are collected over the whole input and reported together ("units.csv, row 14, column
'Kapasiteetti': '12,5' is not a whole number"), so an integrator fixes a file in one round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from servicenet_vocab.errors import DataInvalidError, Location

__all__ = ["RowError", "RowProblem", "RowsInvalidError", "format_report"]

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
