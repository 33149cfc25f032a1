"""The CLI: commands, output formats and the documented exit codes (0 ok, 1 invalid, 2 usage/input)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from servicenet_vocab import __version__
from servicenet_vocab.cli import EXIT_OK, EXIT_USAGE, main

GRAPH = "https://w3id.org/servicenet/graph/municipality/235"
UNITS = (
    b"@prefix sn: <https://w3id.org/servicenet/ontology#> .\n"
    b'<https://www.kauniainen.fi/unit/1> sn:places 84 ; sn:name "Villa Bruno"@fi .\n'
    b'<https://www.kauniainen.fi/unit/2> sn:places 63 ; sn:name "Mausby"@sv .\n'
)


@pytest.fixture
def store_dir(tmp_path: Path) -> str:
    return str(tmp_path / "store")


@pytest.fixture
def units_file(tmp_path: Path) -> Path:
    path = tmp_path / "kauniainen.ttl"
    path.write_bytes(UNITS)
    return path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_help_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "exit codes" in out and "invalid data" in out


def test_no_command_is_a_usage_error() -> None:
    assert main([]) == EXIT_USAGE


def test_unknown_option_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as caught:
        main(["graphs", "--no-such-option"])
    assert caught.value.code == EXIT_USAGE


def test_load_query_graphs(
    store_dir: str, units_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["load", str(units_file), "--graph", GRAPH, "--store", store_dir]) == EXIT_OK
    assert "loaded 4 triples" in capsys.readouterr().out
    assert main(["graphs", "--store", store_dir]) == EXIT_OK
    out = capsys.readouterr().out
    assert GRAPH in out and " 4" in out

    query = "PREFIX sn: <https://w3id.org/servicenet/ontology#> SELECT ?u ?n WHERE { ?u sn:places ?n } ORDER BY ?n"
    assert main(["query", query, "--store", store_dir]) == EXIT_OK
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["u", "|", "n"]
    assert "https://www.kauniainen.fi/unit/2" in table[2] and "(2 rows)" in table[-1]

    assert main(["query", query, "--format", "json", "--store", store_dir]) == EXIT_OK
    bindings = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert [b["n"]["value"] for b in bindings] == ["63", "84"]

    assert main(["query", query, "--format", "csv", "--store", store_dir]) == EXIT_OK
    assert capsys.readouterr().out.splitlines()[0] == "u,n"

    assert main(["query", "ASK { ?s ?p ?o }", "--store", store_dir]) == EXIT_OK
    assert capsys.readouterr().out.strip() == "true"

    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert main(["query", construct, "--format", "json", "--store", store_dir]) == EXIT_OK
    assert "kauniainen.fi/unit/1" in capsys.readouterr().out


def test_query_from_file(
    store_dir: str, units_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["load", str(units_file), "--graph", GRAPH, "--store", store_dir])
    query_file = tmp_path / "count.rq"
    query_file.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    capsys.readouterr()
    assert main(["query", f"@{query_file}", "--format", "tsv", "--store", store_dir]) == EXIT_OK
    assert capsys.readouterr().out.splitlines() == ["?n", "4"]


def test_syntax_error_exits_2_with_location_and_loads_nothing(
    store_dir: str, units_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_bytes(UNITS + b"<urn:x> sn:places .\n")
    code = main(["load", str(units_file), str(bad), "--graph", GRAPH, "--store", store_dir])
    assert code == EXIT_USAGE
    err = capsys.readouterr().err
    assert f"{bad}, line 4, column" in err
    # The first file was loaded and committed; the broken one added nothing.
    main(["graphs", "--store", store_dir])
    assert " 4\n" in capsys.readouterr().out


def test_bad_query_exits_2_with_location(
    store_dir: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["query", "SELECT * WHERE { ?s ?p }", "--store", store_dir]) == EXIT_USAGE
    assert "query, line 1, column" in capsys.readouterr().err


def test_missing_file_and_triples_without_graph(
    store_dir: str, units_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["load", str(tmp_path / "absent.ttl"), "--graph", GRAPH, "--store", store_dir])
        == EXIT_USAGE
    )
    assert "absent.ttl" in capsys.readouterr().err
    assert main(["load", str(units_file), "--store", store_dir]) == EXIT_USAGE
    assert "name the target graph" in capsys.readouterr().err


def test_store_setting_from_environment(
    units_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SERVICENET_STORE", str(tmp_path / "env-store"))
    assert main(["load", str(units_file), "--graph", GRAPH]) == EXIT_OK
    assert (tmp_path / "env-store").is_dir()


def test_console_script_runs_as_a_process(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "servicenet_vocab.cli", "graphs", "--store", str(tmp_path / "s")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "total" in done.stdout
