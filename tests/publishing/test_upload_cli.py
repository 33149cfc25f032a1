"""``servicenet upload`` against a real uvicorn: exit 0 accepted, 1 refused (422), 2 other errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import LiveServer, run_live_server

from servicenet_vocab.cli import main
from servicenet_vocab.namespaces import municipality_graph
from servicenet_vocab.publishing.tokens import TokenFile
from servicenet_vocab.rdfio import RdfFormat

SN = "https://w3id.org/servicenet/ontology#"
SHAPES = Path(__file__).parents[1] / "fixtures" / "publishing" / "shapes.ttl"
HELSINKI = municipality_graph("091")


@pytest.fixture(scope="module")
def token_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    directory = tmp_path_factory.mktemp("upload")
    tokens = TokenFile(directory / "tokens.json")
    (directory / "hki.token").write_text(tokens.create("hki", ["091"]) + "\n")
    return tokens.path, directory / "hki.token"


@pytest.fixture(scope="module")
def server(token_file: tuple[Path, Path], backend: str) -> Iterator[LiveServer]:
    with run_live_server(
        backend,
        tokens_file=str(token_file[0]),
        max_upload_bytes=10_000,
        publish_shapes=[SHAPES],
        publish_context=[],
    ) as live:
        yield live


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def upload(server: LiveServer, token: Path, file: Path, *extra: str) -> int:
    return main(
        [
            *("upload", str(file), "--municipality", "091", "--url", server.url),
            *("--token-file", str(token), *extra),
        ]
    )


def test_accepted_upload_exits_0_and_prints_warnings(
    server: LiveServer,
    token_file: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = write(
        tmp_path, "units.ttl", f'<https://hel.example/u/1> <{SN}places> 3 ; <{SN}name> "A" .'
    )
    assert upload(server, token_file[1], data, "--replace") == 0
    assert "accepted (201)" in capsys.readouterr().err
    warned = write(
        tmp_path,
        "more.nt",
        f'<https://hel.example/u/2> <{SN}places> "4"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
    )
    assert upload(server, token_file[1], warned) == 0
    out = capsys.readouterr()
    assert "hel.example/u/2" in out.out and "accepted (200)" in out.err
    assert server.store.triple_count(HELSINKI) == 3


def test_non_conforming_upload_exits_1_with_the_report(
    server: LiveServer,
    token_file: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    before = server.store.dump(RdfFormat.NQUADS)
    bad = write(
        tmp_path, "bad.ttl", f'<https://hel.example/u/9> <{SN}places> "many" ; <{SN}name> "B" .'
    )
    assert upload(server, token_file[1], bad, "--json") == 1
    printed = capsys.readouterr()
    assert json.loads(printed.out)["report"]["conforms"] is False
    assert "refused: the data would make" in printed.err
    assert upload(server, token_file[1], bad) == 1
    assert "hel.example/u/9" in capsys.readouterr().out
    assert server.store.dump(RdfFormat.NQUADS) == before


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("syntax", "line 1"),
        ("wrong-token", "AUTHENTICATION_REQUIRED"),
        ("missing-file", "cannot read file"),
        ("bad-code", "three digits"),
        ("empty-token", "token file is empty"),
        ("unreachable", "cannot reach the server"),
        ("oversize", "PAYLOAD_TOO_LARGE"),
    ],
)
def test_other_errors_exit_2(
    server: LiveServer,
    token_file: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
    message: str,
) -> None:
    data = write(tmp_path, "ok.ttl", f"<https://hel.example/u/5> <{SN}places> 1 .")
    token = token_file[1]
    args = ["upload", str(data), "-m", "091", "--url", server.url, "--token-file", str(token)]
    if case == "syntax":
        args[1] = str(write(tmp_path, "broken.ttl", "<urn:a> <urn:b> ."))
    elif case == "wrong-token":
        args[-1] = str(write(tmp_path, "wrong.token", "snt_00.nope"))
    elif case == "missing-file":
        args[1] = str(tmp_path / "absent.ttl")
    elif case == "bad-code":
        args[3] = "91"
    elif case == "empty-token":
        args[-1] = str(write(tmp_path, "empty.token", "\n"))
    elif case == "unreachable":
        args[5] = "http://127.0.0.1:9"
    elif case == "oversize":
        args[1] = str(
            write(tmp_path, "big.ttl", f"<https://hel.example/u/5> <{SN}places> 1 .\n" * 500)
        )
    assert main(args) == 2
    assert message in capsys.readouterr().err
