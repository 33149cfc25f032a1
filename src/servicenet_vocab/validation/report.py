"""The typed validation report: what the CLI prints, the facade returns and tests compare.
Its Turtle, text, JUnit and GitHub forms are written by ``validation.formats``.

Terms are given as strings people can read: IRIs bare, blank nodes ``_:id``, literals by their
lexical form. The exact RDF terms stay on each result (``terms``) for the Turtle report and for
comparing result sets.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

import pyoxigraph as ox
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from servicenet_vocab.namespaces import SH

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class Severity(StrEnum):
    """``sh:Violation`` > ``sh:Warning`` > ``sh:Info``; a custom severity counts as a violation."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @property
    def iri(self) -> str:
        return SH + self.value

    @property
    def rank(self) -> int:
        return {Severity.INFO: 0, Severity.WARNING: 1, Severity.VIOLATION: 2}[self]

    @classmethod
    def from_iri(cls, iri: str) -> Severity:
        for severity in cls:
            if iri == severity.iri:
                return severity
        return cls.VIOLATION


def term_text(term: Term | None) -> str | None:
    """A term as people read it: an IRI bare, a blank node ``_:id``, a literal's lexical form."""
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


class ResultTerms(BaseModel):
    """The exact RDF terms of one result (not serialised to JSON)."""

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    focus_node: Any
    path: Any = None  # a SHACL path structure (see ``shapes.Path``) or None
    value: Any = None
    source_shape: Any
    constraint_node: Any = None  # the sh:sparql constraint node, when there is one
    severity: str = Severity.VIOLATION.iri


class ValidationResult(BaseModel):
    """One ``sh:ValidationResult``, plus where the focus node is described in the sources."""

    model_config = ConfigDict(frozen=True)

    focus_node: str
    path: str | None = None
    value: str | None = None
    severity: Severity = Severity.VIOLATION
    message: str = ""
    source_shape: str
    constraint: str
    file: str | None = None
    line: int | None = None
    _terms: ResultTerms | None = PrivateAttr(default=None)

    @property
    def terms(self) -> ResultTerms | None:
        return self._terms

    def with_terms(self, terms: ResultTerms) -> ValidationResult:
        self._terms = terms
        return self

    def key(self) -> tuple[str | None, ...]:
        """What identifies a result when two engines are compared (the message is not in it)."""
        return (
            self.focus_node,
            self.path,
            self.value,
            self.severity.value,
            self.source_shape,
            self.constraint,
        )


class ValidationReport(BaseModel):
    """``conforms`` follows SHACL: true only when there is no result of any severity (the CLI's
    exit code and ``--fail-on`` decide which severities fail a run)."""

    conforms: bool
    results: list[ValidationResult] = Field(default_factory=list)
    engine: str = "sparql"
    fallback_reasons: list[str] = Field(default_factory=list)
    seconds: float = 0.0

    def count(self, severity: Severity) -> int:
        return sum(1 for result in self.results if result.severity is severity)

    def fails(self, fail_on: Severity = Severity.VIOLATION) -> bool:
        """Whether any result is at least as severe as ``fail_on``."""
        return any(result.severity.rank >= fail_on.rank for result in self.results)

    def keys(self) -> set[tuple[str | None, ...]]:
        return {result.key() for result in self.results}

    def to_dict(self) -> dict[str, Any]:
        fields = ("focus_node", "path", "value", "severity", "message", "source_shape")
        rows = []
        for result in self.results:
            row: dict[str, Any] = {name: getattr(result, name) for name in fields}
            row["severity"] = result.severity.value
            row["constraint"] = result.constraint
            row["file"], row["line"] = result.file, result.line
            rows.append(row)
        return {"conforms": self.conforms, "results": rows}

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)
