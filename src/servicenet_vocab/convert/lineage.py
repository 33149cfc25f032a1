"""Violations traced back to the export: which source row (and column) a validation result is about.

The converter writes ``# <file> row N`` before each row's triples, and the validator reports the
output line where a focus node is described; the last row comment above that line names the row.
The result's property is turned back into the mapping's column where the names correspond
(``sn:places`` → field ``places`` → column ``Kapasiteetti``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from pathlib import Path

from servicenet_vocab.convert.mapping import Mapping
from servicenet_vocab.validation import Severity, ValidationResult

__all__ = ["RowIndex", "traced_lines"]

_ROW_COMMENT = re.compile(r"^# (.+) row (\d+)$")
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
# Properties whose field names differ from their local names.
_FIELDS = {
    "label": "name_fi",
    "hasGeometry": "latitude",
    "streetAddress": "street_address_fi",
    "unit": "unit_id",
    "area": "area_code",
    "enrolledChildren": "enrolled",
}


class RowIndex:
    """Output line → (source file, source row), read from the row comments of a converted file."""

    def __init__(self, turtle: Path) -> None:
        self.lines: list[int] = []
        self.rows: list[tuple[str, int]] = []
        with turtle.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                found = _ROW_COMMENT.match(line.rstrip("\n"))
                if found:
                    self.lines.append(number)
                    self.rows.append((found.group(1), int(found.group(2))))

    def row_of(self, line: int) -> tuple[str, int] | None:
        position = bisect_right(self.lines, line)
        return self.rows[position - 1] if position else None


def column_of(path: str | None, mapping: Mapping | None) -> str | None:
    """The mapped column a result's property most likely came from (none without a mapping)."""
    if not path or mapping is None:
        return None
    local = re.split(r"[#/]", path.strip("<>"))[-1]
    field = _FIELDS.get(local, _CAMEL.sub("_", local).lower())
    return mapping.columns.get(field)


def traced_lines(
    results: Sequence[ValidationResult], output: Path, mapping: Mapping | None
) -> Iterator[str]:
    """One line per result in the converted file: severity, source row and column, message."""
    index = RowIndex(output)
    for result in sorted(results, key=lambda r: (r.line or 0, -r.severity.rank)):
        if (
            result.file is None
            or Path(result.file).resolve() != output.resolve()
            or not result.line
        ):
            continue
        found = index.row_of(result.line)
        if found is None:
            continue
        source, row = found
        column = column_of(result.path, mapping)
        where = f"{source}, row {row}" + (f", column {column!r}" if column else "")
        label = (
            "VIOLATION" if result.severity is Severity.VIOLATION else result.severity.value.upper()
        )
        yield f"{label:9} {where}: {result.message}"
