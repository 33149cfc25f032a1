"""What a lint run produces: findings with a check id, a severity, a term and where it is written."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from servicenet_vocab.quality.sources import Sources


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Issue:
    """What a check found, before the engine adds the severity and the location."""

    term: str
    message: str
    file: Path | None = None  # set when the check knows better than the index (e.g. a use site)
    line: int | None = None


@dataclass(frozen=True)
class Finding:
    check: str
    severity: Severity
    term: str
    message: str
    file: str | None
    line: int | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "severity": self.severity.value,
            "term": self.term,
            "message": self.message,
            "file": self.file,
            "line": self.line,
        }


CheckFunction = Callable[[Sources], Iterable[Issue]]


@dataclass(frozen=True)
class Check:
    """A Python check: an id, the qSKOS quality issue it follows (if any), and the function."""

    id: str
    run: CheckFunction
    qskos: str | None = None
    summary: str = ""


REGISTRY: dict[str, Check] = {}


def check(check_id: str, *, qskos: str | None = None) -> Callable[[CheckFunction], CheckFunction]:
    """Register a check function under an id (its docstring's first line is its summary)."""

    def register(function: CheckFunction) -> CheckFunction:
        summary = (function.__doc__ or "").strip().splitlines()[0] if function.__doc__ else ""
        REGISTRY[check_id] = Check(check_id, function, qskos, summary)
        return function

    return register
