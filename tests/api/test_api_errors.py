"""The one HTTP error table: every library error has its row, every status a route answers or
documents comes from it, headers travel with their errors, and docs/api.md lists the same rows."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from conftest import LiveServer, run_live_server
from fastapi import FastAPI
from servicenet_api.errors import (
    TABLE,
    MethodNotAllowedError,
    install_error_handlers,
    row_for,
    status_of,
)

from servicenet_vocab import errors as e
from servicenet_vocab.namespaces import ONTOLOGY_GRAPH, municipality_graph
from servicenet_vocab.publishing.tokens import TokenFile
from servicenet_vocab.store import errors as engine_errors

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"
HELSINKI = municipality_graph("091")


def library_errors() -> list[type[e.ServicenetError]]:
    """The library's error classes: its one tree, and the remote engine's failures."""
    return [
        cls
        for module in (e, engine_errors)
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, e.ServicenetError) and cls.__module__ == module.__name__
    ]


@pytest.mark.parametrize(
    "kind", [*library_errors(), MethodNotAllowedError], ids=lambda k: k.__name__
)
def test_every_error_class_has_its_own_row(kind: type[e.ServicenetError]) -> None:
    assert row_for(kind).kind is kind, f"{kind.__name__} answers its parent's row"


def test_rows_are_unique_and_well_formed() -> None:
    kinds = [row.kind for row in TABLE]
    assert len(kinds) == len(set(kinds))
    assert len({row.code for row in TABLE}) == len(TABLE)
    assert all(400 <= row.status < 600 and row.when for row in TABLE)


def test_docs_table_matches_the_error_table() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("\n## Errors\n", 1)[1].split("\n## ", 1)[0]
    documented = [
        (int(status), code)
        for status, code in re.findall(r"^\| (\d{3}) \| `([A-Z_]+)` \|", section, re.M)
    ]
    assert len(documented) == len(set(documented)), "a row is documented twice"
    assert set(documented) == {(row.status, row.code) for row in TABLE}
    for row in TABLE:
        for header, _ in row.header_doc:
            line = next(line for line in section.splitlines() if f"`{row.code}`" in line)
            assert header in line, f"docs/api.md does not name the {header} of {row.code}"


# --- raised anywhere: the table answers, with the row's headers -------------------------------


class Bare:
    """Requests to an in-process app (ASGI, no server)."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def get(self, path: str, **options: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bare") as client:
                return await client.get(path, **options)

        return anyio.run(call)


@pytest.fixture(scope="module")
def bare() -> Bare:
    """An app with only the error handlers and routes that raise: the status comes from the
    table, not from the route that raised."""
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/auth")
    async def auth() -> None:
        raise e.AuthenticationRequiredError("a write needs 'Authorization: Bearer <token>'")

    @app.get("/denied")
    async def denied() -> None:
        raise e.AccessDeniedError("not this graph")

    @app.get("/read-only")
    async def read_only() -> None:
        raise MethodNotAllowedError("read-only", allow=("GET", "HEAD"))

    @app.get("/number")
    async def number(n: int) -> int:
        return n

    failures = {
        "failed": engine_errors.EngineError("the engine at http://e/q failed the query (HTTP 500)"),
        "down": engine_errors.EngineUnavailableError("cannot reach the engine at http://e/q"),
        "late": engine_errors.EngineTimeoutError("the engine did not answer within 60 s"),
    }

    @app.get("/engine/{how}")
    async def engine(how: str) -> None:
        raise failures[how]

    return Bare(app)


def test_authentication_required_is_401_with_a_challenge_from_any_route(bare: Bare) -> None:
    response = bare.get("/auth")
    assert response.status_code == 401  # was 403: the error had no row, so AccessDenied's
    assert response.headers["www-authenticate"] == 'Bearer realm="servicenet"'
    assert response.json() == {
        "error": "AUTHENTICATION_REQUIRED",
        "message": "a write needs 'Authorization: Bearer <token>'",
    }
    with_token = bare.get("/auth", headers={"Authorization": "Bearer snt_x.y"})
    assert with_token.headers["www-authenticate"].endswith(', error="invalid_token"')
    assert bare.get("/denied").status_code == 403


def test_method_not_allowed_carries_its_allow_header(bare: Bare) -> None:
    response = bare.get("/read-only")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD"
    assert response.json()["error"] == "METHOD_NOT_ALLOWED"


@pytest.mark.parametrize(
    ("how", "status", "code"),
    [
        ("failed", 502, "ENGINE_ERROR"),
        ("down", 503, "ENGINE_UNAVAILABLE"),
        ("late", 504, "ENGINE_TIMEOUT"),
    ],
)
def test_engine_failures_are_gateway_statuses_from_any_route(
    bare: Bare, how: str, status: int, code: str
) -> None:
    response = bare.get(f"/engine/{how}")
    assert (response.status_code, response.json()["error"]) == (status, code)
    assert "engine" in response.json()["message"]


def test_unbindable_parameters_are_400_naming_the_parameter(bare: Bare) -> None:
    response = bare.get("/number", params={"n": "many"})
    assert response.status_code == status_of(e.InputError) == 400
    assert response.json()["error"] == "INVALID_INPUT"
    assert response.json()["location"] == {"field": "n"}


# --- the real facade ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> TokenFile:
    return TokenFile(tmp_path_factory.mktemp("tokens") / "tokens.json")


@pytest.fixture(scope="module")
def server(tokens: TokenFile, backend: str) -> Iterator[LiveServer]:
    with run_live_server(backend, tokens_file=str(tokens.path), max_upload_bytes=1000) as live:
        yield live


def test_graph_store_401_and_405_come_from_the_table(server: LiveServer) -> None:
    no_token = server.client.delete("/graph-store", params={"graph": HELSINKI})
    assert no_token.status_code == 401
    assert no_token.headers["www-authenticate"] == 'Bearer realm="servicenet"'
    bad_token = server.client.delete(
        "/graph-store", params={"graph": HELSINKI}, headers={"Authorization": "Bearer snt_a.b"}
    )
    assert bad_token.status_code == 401
    assert 'error="invalid_token"' in bad_token.headers["www-authenticate"]
    for params in ({"graph": ONTOLOGY_GRAPH}, {"default": ""}):
        read_only = server.client.put("/graph-store", params=params, content=b"")
        assert read_only.status_code == 405
        assert read_only.headers["allow"] == "GET, HEAD"
        assert read_only.json()["error"] == "METHOD_NOT_ALLOWED"


def test_framework_errors_answer_the_same_rows(server: LiveServer) -> None:
    missing = server.client.get("/no-such-path")
    assert (missing.status_code, missing.json()["error"]) == (404, "NOT_FOUND")
    wrong = server.client.put("/sparql")
    assert (wrong.status_code, wrong.json()["error"]) == (405, "METHOD_NOT_ALLOWED")
    assert "GET" in wrong.headers["allow"]


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/queries/utilisation", {"Content-Type": "application/json"}),
        ("/sparql", {"Content-Type": "application/sparql-query"}),
        ("/validate", {"Content-Type": "text/turtle"}),
        ("/graph-store?graph=" + HELSINKI, {"Content-Type": "text/turtle"}),
    ],
)
def test_every_bounded_body_is_413(
    server: LiveServer, tokens: TokenFile, path: str, headers: dict[str, str]
) -> None:
    """One body reader: the /queries one used to answer 400."""
    big = b" " * 2_000_000  # over every route's limit (/sparql: 4 x 100,000 + 4 KiB)
    method = server.client.put if path.startswith("/graph-store") else server.client.post
    if path.startswith("/graph-store"):
        token = tokens.create(f"writer-{len(tokens.records())}", ["091"])
        headers = {**headers, "Authorization": f"Bearer {token}"}
    response = method(path, content=big, headers=headers)
    assert response.status_code == 413, response.text
    assert response.json()["error"] == "PAYLOAD_TOO_LARGE"

    def streamed() -> Iterator[bytes]:  # no Content-Length: the limit holds chunk by chunk
        for _ in range(40):
            yield b" " * 50_000

    response = method(path, content=streamed(), headers=headers)
    assert response.status_code == 413, response.text
    assert response.json()["error"] == "PAYLOAD_TOO_LARGE"


def test_openapi_error_responses_are_generated_from_the_table(server: LiveServer) -> None:
    by_status: dict[int, set[str]] = {}
    for row in TABLE:
        by_status.setdefault(row.status, set()).add(row.code)
    paths = server.client.get("/openapi.json").json()["paths"]
    documented = 0
    for path, operations in paths.items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if not status.isdigit() or int(status) < 400:
                    continue
                where = f"{method.upper()} {path} {status}"
                if path == "/graph-store" and status == "422":
                    continue  # a refused write answers its validation report
                schema = response["content"]["application/json"]["schema"]
                codes = set(schema["properties"]["error"]["enum"])
                assert codes <= by_status[int(status)], where
                documented += 1
    assert documented > 40
    write = paths["/graph-store"]["put"]["responses"]
    assert "WWW-Authenticate" in write["401"]["headers"]
    assert "Allow" in write["405"]["headers"]
    assert {"400", "401", "403", "405", "413", "415", "422"} <= set(write)
