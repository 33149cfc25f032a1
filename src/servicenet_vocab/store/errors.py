"""Failures of a remote SPARQL engine, told apart so the facade can answer as a gateway does.

    StoreError (servicenet_vocab.errors)
    └── EngineError              the engine failed the request: 5xx, malformed results   (HTTP 502)
        ├── EngineUnavailableError  cannot connect, connection lost, or 503 from it      (HTTP 503)
        └── EngineTimeoutError      no complete answer within the HTTP deadline          (HTTP 504)

A query that runs past ``query_timeout`` is the query's own limit, ``QueryTimeoutError`` (503), on
every backend; these are for the engine itself misbehaving. Each message names the engine's URL
and what went wrong, never the credentials.
"""

from __future__ import annotations

from servicenet_vocab.errors import StoreError

__all__ = ["EngineError", "EngineTimeoutError", "EngineUnavailableError"]


class EngineError(StoreError):
    code = "ENGINE_ERROR"


class EngineUnavailableError(EngineError):
    code = "ENGINE_UNAVAILABLE"


class EngineTimeoutError(EngineError):
    code = "ENGINE_TIMEOUT"
