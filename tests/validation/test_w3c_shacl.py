"""The W3C SHACL test suite, data-driven through ``validate()``: one case per test IRI and engine.

The suite is vendored in ``tests/data/w3c/shacl`` (see the README there). Each test compares ``conforms`` and
the results as a multiset of (focus node, path, value, severity, source shape, constraint component),
blank nodes compared as "some blank node" and paths in SPARQL syntax; ``sht:Failure`` tests expect
the validator to refuse the shapes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyoxigraph as ox
import pytest

from servicenet_vocab.errors import ShapesError
from servicenet_vocab.namespaces import SH
from servicenet_vocab.validation import validate
from servicenet_vocab.validation.shapes import Graph, path_sparql, read_path

SUITE = Path(__file__).resolve().parents[1] / "data" / "w3c" / "shacl"
CANONICAL = "http://datashapes.org/sh/tests/"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"

# Known deviations, each with its reason; strict, so a fix turns them into failures to remove.
XFAIL: dict[str, str] = {}


@dataclass(frozen=True)
class W3CTest:
    iri: str
    data: Path
    shapes: Path
    expect_failure: bool
    conforms: bool
    results: tuple[tuple[str, ...], ...]


def _n(name: str, base: str = SH) -> ox.NamedNode:
    return ox.NamedNode(base + name)


def _file(iri: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Path:
    assert isinstance(iri, ox.NamedNode)
    return Path(unquote(urlparse(iri.value).path))


def _key(term: object) -> str:
    if term is None:
        return "-"
    if isinstance(term, ox.BlankNode):
        return "_:"
    return str(term)


def _path_key(path: object) -> str:
    if path is None:
        return "-"
    if isinstance(path, ox.NamedNode):
        return str(path)
    return path_sparql(path)  # type: ignore[arg-type]


def _load_tests() -> list[W3CTest]:
    tests: list[W3CTest] = []
    pending = [SUITE / "manifest.ttl"]
    while pending:
        manifest = pending.pop(0)
        base = manifest.resolve().as_uri()
        graph = Graph(ox.parse(path=str(manifest), format=ox.RdfFormat.TURTLE, base_iri=base))
        root = ox.NamedNode(base)
        pending += [_file(i) for i in graph.objects(root, _n("include", MF))]
        for entries in graph.objects(root, _n("entries", MF)):
            for entry in graph.items(entries):
                tests.append(_read_test(graph, entry))
    return tests


def _read_test(graph: Graph, entry: ox.NamedNode | ox.BlankNode | ox.Literal) -> W3CTest:
    action = graph.value(entry, _n("action", MF))
    assert action is not None
    result = graph.value(entry, _n("result", MF))
    local = _file(entry).relative_to(SUITE)
    iri = CANONICAL + str(local)
    failure = result == _n("Failure", SHT)
    rows: list[tuple[str, ...]] = []
    conforms = True
    if not failure and result is not None:
        conforms = graph.value(result, _n("conforms")) == ox.Literal(
            "true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
        )
        for node in graph.objects(result, _n("result")):
            path = graph.value(node, _n("resultPath"))
            rows.append(
                (
                    _key(graph.value(node, _n("focusNode"))),
                    _path_key(read_path(graph, path) if path is not None else None),
                    _key(graph.value(node, _n("value"))),
                    _key(graph.value(node, _n("resultSeverity"))),
                    _key(graph.value(node, _n("sourceShape"))),
                    _key(graph.value(node, _n("sourceConstraintComponent"))),
                )
            )
    return W3CTest(
        iri,
        _file(graph.value(action, _n("dataGraph", SHT))),
        _file(graph.value(action, _n("shapesGraph", SHT))),
        failure,
        conforms,
        tuple(sorted(rows)),
    )


def _cases() -> list[object]:
    cases = []
    for test in _load_tests():
        for engine in ("sparql", "auto"):
            marks = []
            if test.iri in XFAIL:
                marks.append(pytest.mark.xfail(reason=XFAIL[test.iri], strict=True))
            cases.append(pytest.param(test, engine, id=f"{test.iri}[{engine}]", marks=marks))
    return cases


def _ours(test: W3CTest, engine: str) -> tuple[bool, Counter[tuple[str, ...]]]:
    report = validate([test.data], shapes=[test.shapes], context=[], engine=engine)  # type: ignore[arg-type]
    rows: Counter[tuple[str, ...]] = Counter()
    for result in report.results:
        terms = result.terms
        assert terms is not None
        rows[
            (
                _key(terms.focus_node),
                _path_key(terms.path),
                _key(terms.value),
                _key(ox.NamedNode(terms.severity)),
                _key(terms.source_shape),
                _key(ox.NamedNode(result.constraint)),
            )
        ] += 1
    return report.conforms, rows


@pytest.mark.parametrize(("test", "engine"), _cases())
def test_w3c(test: W3CTest, engine: str) -> None:
    if test.expect_failure:
        with pytest.raises(ShapesError):
            validate([test.data], shapes=[test.shapes], context=[], engine=engine)  # type: ignore[arg-type]
        return
    conforms, rows = _ours(test, engine)
    assert Counter(test.results) == rows
    assert conforms == test.conforms


def test_the_suite_has_the_98_core_tests() -> None:
    tests = _load_tests()
    core = [t for t in tests if t.iri.startswith(CANONICAL + "core/")]
    sparql = [t for t in tests if t.iri.startswith(CANONICAL + "sparql/")]
    assert (len(core), len(sparql), len(tests)) == (98, 22, 120)
    # Every data and shapes graph the manifests name is vendored here, not read from elsewhere.
    named = {path for t in tests for path in (t.data, t.shapes)}
    assert sorted(p for p in named if not p.is_file() or not p.is_relative_to(SUITE)) == []
