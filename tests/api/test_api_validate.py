"""``POST /validate`` on a real uvicorn: a report in JSON, Turtle or HTML; nothing stored."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from conftest import LiveServer, run_live_server

from servicenet_vocab.rdfio import RdfFormat

SN = "https://w3id.org/servicenet/ontology#"
SHAPES = Path(__file__).parents[1] / "fixtures" / "publishing" / "shapes.ttl"
ROOT = Path(__file__).resolve().parents[2]
LIMIT = 50_000
VALID = f'<https://hel.example/u/1> <{SN}places> 3 ; <{SN}name> "A" .'.encode()
WARNS = f"<https://hel.example/u/2> <{SN}places> 3 .".encode()
INVALID = f'<https://hel.example/u/3> <{SN}places> "x<script>" ; <{SN}name> "C" .'.encode()
TURTLE = {"Content-Type": "text/turtle"}


@pytest.fixture(scope="module")
def server(backend: str) -> Iterator[LiveServer]:
    with run_live_server(
        backend, max_upload_bytes=LIMIT, publish_shapes=[SHAPES], publish_context=[]
    ) as live:
        yield live


def test_json_report_by_default_and_nothing_stored(server: LiveServer) -> None:
    before = server.store.dump(RdfFormat.NQUADS)
    conforming = server.client.post("/validate", content=VALID, headers=TURTLE)
    assert conforming.status_code == 200
    assert conforming.json()["conforms"] is True and conforming.json()["report"]["results"] == []
    failing = server.client.post("/validate", content=WARNS + INVALID, headers=TURTLE)
    assert failing.status_code == 200
    severities = sorted(r["severity"] for r in failing.json()["report"]["results"])
    assert severities == ["Violation", "Warning"]
    assert server.store.dump(RdfFormat.NQUADS) == before


def test_turtle_report(server: LiveServer) -> None:
    response = server.client.post(
        "/validate", content=INVALID, headers={**TURTLE, "Accept": "text/turtle"}
    )
    assert response.headers["content-type"].startswith("text/turtle")
    report = list(ox.parse(response.content, ox.RdfFormat.TURTLE))
    assert any(q.object.value == "x<script>" for q in report)


def test_html_report_escapes_values(server: LiveServer) -> None:
    response = server.client.post(
        "/validate", content=INVALID, headers={**TURTLE, "Accept": "text/html"}
    )
    assert response.headers["content-type"].startswith("text/html")
    assert "does not conform" in response.text
    assert "x&lt;script&gt;" in response.text and "x<script>" not in response.text


def test_multipart_form_upload_takes_the_format_from_the_file_name(server: LiveServer) -> None:
    response = server.client.post(
        "/validate", files={"file": ("units.ttl", WARNS, "application/octet-stream")}
    )
    assert response.status_code == 200
    [result] = response.json()["report"]["results"]
    assert result["focus_node"] == "https://hel.example/u/2"
    missing = server.client.post("/validate", files={"other": ("x.ttl", WARNS, "text/turtle")})
    assert missing.status_code == 400
    unknown = server.client.post("/validate", files={"file": ("x.pdf", b"%PDF", "text/turtle")})
    assert unknown.status_code == 415


def test_messages_in_the_requested_language(server: LiveServer) -> None:
    response = server.client.post("/validate", content=WARNS, params={"lang": "fi"}, headers=TURTLE)
    assert response.json()["report"]["results"][0]["message"]


@pytest.mark.parametrize(
    ("headers", "body", "status", "error"),
    [
        ({"Content-Type": "application/pdf"}, VALID, 415, "UNSUPPORTED_FORMAT"),
        (TURTLE, b"<urn:a> <urn:b> .", 400, "RDF_SYNTAX_ERROR"),
        (TURTLE, VALID * 2000, 413, "PAYLOAD_TOO_LARGE"),
        ({**TURTLE, "Accept": "image/png"}, VALID, 406, "NOT_ACCEPTABLE"),
        (
            {"Content-Type": "application/rdf+xml"},
            b'<!DOCTYPE x [<!ENTITY a "b">]><x/>',
            400,
            "INPUT_REFUSED",
        ),
    ],
    ids=["media-type", "syntax", "oversize", "not-acceptable", "entity"],
)
def test_errors(
    server: LiveServer, headers: dict[str, str], body: bytes, status: int, error: str
) -> None:
    response = server.client.post("/validate", content=body, headers=headers)
    assert response.status_code == status
    assert response.json()["error"] == error


def test_oversize_multipart_is_413(server: LiveServer) -> None:
    response = server.client.post(
        "/validate", files={"file": ("big.ttl", VALID * 2000, "text/turtle")}
    )
    assert response.status_code == 413


def test_the_project_shapes_by_default(live_server_factory: Callable[..., Any]) -> None:
    """Without test shapes the server validates against shapes/*.ttl with the vocabulary."""
    examples = sorted((ROOT / "examples" / "valid").glob("*.ttl"))
    assert examples, "examples/valid/*.ttl are the datasets every city starts from"
    with live_server_factory() as live:
        response = live.client.post("/validate", content=examples[0].read_bytes(), headers=TURTLE)
        assert response.status_code == 200
        report = response.json()["report"]
        assert not [r for r in report["results"] if r["severity"] == "Violation"], report
        bad = live.client.post(
            "/validate",
            content=b"@prefix sn: <%s> . <https://x.example/u> a sn:ServiceUnit ." % SN.encode(),
            headers=TURTLE,
        )
        assert bad.json()["conforms"] is False


def test_oversize_chunked_multipart_is_413(server: LiveServer) -> None:
    boundary = "xyzzy"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.ttl"\r\n'
        "Content-Type: text/turtle\r\n\r\n"
    ).encode()

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while it streams
        yield head
        for _ in range(40):
            yield VALID * 100
        yield f"\r\n--{boundary}--\r\n".encode()

    response = server.client.post(
        "/validate",
        content=chunks(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 413


def test_writes_are_refused_when_no_token_file_is_configured(server: LiveServer) -> None:
    response = server.client.put(
        "/graph-store",
        params={"graph": "https://w3id.org/servicenet/graph/municipality/091"},
        content=VALID,
        headers={**TURTLE, "Authorization": "Bearer snt_x.y"},
    )
    assert response.status_code == 401
    assert "no token file" in response.json()["message"]
