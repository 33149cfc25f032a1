"""One exception tree for the library; the CLI maps it to exit codes and the facade to HTTP statuses.

    ServicenetError                  base; carries a stable ``code`` and an optional ``Location``
    ├── InputError                   the caller's input is wrong          (CLI exit 2, HTTP 400)
    │   ├── RdfSyntaxError           RDF that does not parse: source, line, column
    │   ├── QuerySyntaxError         SPARQL that does not parse: line, column in the query
    │   ├── UnsupportedFormatError   an RDF or result format we do not read or write (HTTP 415/406)
    │   ├── RefusedInputError        well-formed but refused: too deep, SERVICE, LOAD, entities...
    │   │   └── UpdateNotAllowedError  an update sent to a read-only endpoint          (HTTP 403)
    │   ├── NotAcceptableError       no result format the client accepts               (HTTP 406)
    │   ├── ShapesError              SHACL shapes that cannot be evaluated: shape, constraint, why
    │   └── PayloadTooLargeError     over a configured size limit                      (HTTP 413)
    ├── DataInvalidError             the data parses but does not conform (CLI exit 1, HTTP 422)
    │   └── RowsInvalidError         rows of a CSV/JSON export that do not convert (convert.problems)
    ├── NotFoundError                a graph, term or query that does not exist        (HTTP 404)
    ├── AccessDeniedError            no or wrong credentials for a write          (HTTP 401 / 403)
    │   └── AuthenticationRequiredError  no token, or one that is unknown or revoked  (HTTP 401)
    ├── LimitExceededError           a query ran past its time or result limit    (HTTP 503 / 413)
    │   ├── QueryTimeoutError        past the wall-clock limit; its worker was killed  (HTTP 503)
    │   └── ResultLimitError         more rows or bytes than allowed; never truncated  (HTTP 413)
    ├── WorkerCrashedError           a worker process died on an input            (HTTP 400 / 503)
    └── StoreError                   the store itself failed (I/O, lock held by another process)

Lower-layer exceptions (pyoxigraph ``SyntaxError``/``OSError``, rdflib, pyshacl) are translated at the
boundary where they are raised, so callers only ever catch these.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Location:
    """Where an error is: any subset of these fields, the ones that are known."""

    source: str | None = None
    line: int | None = None
    column: int | None = None
    row: int | None = None
    field: str | None = None
    focus_node: str | None = None
    path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value is not None}

    def __str__(self) -> str:
        """The known fields, in reading order, as an error message quotes them.

        >>> str(Location(source="units.csv", row=12, field="opening_date"))
        "units.csv, row 12, column 'opening_date'"
        >>> str(Location(source="query", line=2, column=7))
        'query, line 2, column 7'
        >>> str(Location())
        ''
        """
        parts = [self.source or ""]
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field is not None:
            parts.append(f"column {self.field!r}")
        if self.focus_node is not None:
            parts.append(f"focus node {self.focus_node}")
        if self.path is not None:
            parts.append(f"path {self.path}")
        return ", ".join(part for part in parts if part)


class ServicenetError(Exception):
    """Base of every error the library raises on purpose."""

    code = "SERVICENET_ERROR"

    def __init__(self, message: str, *, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        where = str(self.location) if self.location else ""
        return f"{where}: {self.message}" if where else self.message

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"error": self.code, "message": self.message}
        if self.location is not None:
            body["location"] = self.location.to_dict()
        return body


class InputError(ServicenetError):
    code = "INVALID_INPUT"


class RdfSyntaxError(InputError):
    code = "RDF_SYNTAX_ERROR"


class QuerySyntaxError(InputError):
    code = "QUERY_SYNTAX_ERROR"


class UnsupportedFormatError(InputError):
    code = "UNSUPPORTED_FORMAT"


class RefusedInputError(InputError):
    code = "INPUT_REFUSED"


class ShapesError(InputError):
    code = "INVALID_SHAPES"


class PayloadTooLargeError(InputError):
    code = "PAYLOAD_TOO_LARGE"


class DataInvalidError(ServicenetError):
    code = "DATA_INVALID"


class NotFoundError(ServicenetError):
    code = "NOT_FOUND"


class AccessDeniedError(ServicenetError):
    code = "ACCESS_DENIED"


class AuthenticationRequiredError(AccessDeniedError):
    code = "AUTHENTICATION_REQUIRED"


class LimitExceededError(ServicenetError):
    code = "LIMIT_EXCEEDED"


class UpdateNotAllowedError(RefusedInputError):
    code = "UPDATE_NOT_ALLOWED"


class NotAcceptableError(InputError):
    code = "NOT_ACCEPTABLE"


class QueryTimeoutError(LimitExceededError):
    code = "QUERY_TIMEOUT"


class ResultLimitError(LimitExceededError):
    code = "RESULT_LIMIT_EXCEEDED"


class WorkerCrashedError(ServicenetError):
    code = "WORKER_CRASHED"


class StoreError(ServicenetError):
    code = "STORE_ERROR"


_OX_RANGE = re.compile(r"line (\d+) column (\d+)")
_OX_QUERY = re.compile(r"error at (\d+):(\d+)")


def rdf_syntax_error(error: SyntaxError, source: str) -> RdfSyntaxError:
    """Translate a pyoxigraph parser ``SyntaxError`` into ours, keeping line and column."""
    line, column = error.lineno, error.offset
    if line is None:
        found = _OX_RANGE.search(str(error))
        if found:
            line, column = int(found.group(1)), int(found.group(2))
    message = error.msg if isinstance(error.msg, str) and error.msg else str(error)
    return RdfSyntaxError(message, location=Location(source=source, line=line, column=column))


def query_syntax_error(error: SyntaxError) -> QuerySyntaxError:
    """Translate a pyoxigraph SPARQL ``SyntaxError`` ("error at 1:25: ...") into ours."""
    text = str(error)
    found = _OX_QUERY.search(text)
    if not found:
        return QuerySyntaxError(text, location=Location(source="query"))
    message = text[found.end() :].lstrip(": ") or text
    if "Prefix not found" in message:
        # The engine lists every character class it expected; the cause is one undeclared prefix.
        message = "undeclared prefix: declare it with PREFIX name: <namespace IRI>"
    return QuerySyntaxError(
        message,
        location=Location(source="query", line=int(found.group(1)), column=int(found.group(2))),
    )
