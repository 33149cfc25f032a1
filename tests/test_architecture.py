"""The house rules, checked from the code's own imports (every ``import`` statement, also those
inside functions): no import cycle among the modules of ``src/`` and ``api/``, and the library in
``src/`` never imports the facade in ``api/``."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TREES = {"servicenet_vocab": ROOT / "src", "servicenet_api": ROOT / "api"}


def module_files() -> dict[str, Path]:
    modules = {}
    for package, tree in TREES.items():
        for path in sorted((tree / package).rglob("*.py")):
            parts = list(path.relative_to(tree).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def imported(module: str, path: Path, known: set[str]) -> Iterator[str]:
    """The project modules ``module`` imports; ``from pkg import name`` names the submodule
    ``pkg.name`` when there is one, else ``pkg``."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield from _known(alias.name, known)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, node.module, node.level, is_package)
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                yield from _known(candidate if candidate in known else base, known)


def _absolute(module: str, name: str | None, level: int, is_package: bool) -> str:
    if level == 0:
        return name or ""
    parts = module.split(".")
    anchor = parts if is_package else parts[:-1]
    anchor = anchor[: len(anchor) - (level - 1)]
    return ".".join([*anchor, *([name] if name else [])])


def _known(name: str, known: set[str]) -> Iterator[str]:
    while name and name not in known:
        name = name.rpartition(".")[0]
    if name:
        yield name


def import_graph() -> dict[str, set[str]]:
    files = module_files()
    known = set(files)
    return {
        module: {target for target in imported(module, path, known) if target != module}
        for module, path in files.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path of modules that starts and ends at the same module, or None."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_graph_sees_the_modules_and_their_imports() -> None:
    graph = import_graph()
    assert "servicenet_vocab.store.embedded" in graph
    assert "servicenet_vocab.errors" in graph["servicenet_vocab.store.embedded"]
    assert "servicenet_vocab.store.embedded" in graph["servicenet_api.app"] | {
        target.rpartition(".")[0] for target in graph["servicenet_api.app"]
    }


def test_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_library_never_imports_the_facade() -> None:
    offending = {
        module: sorted(t for t in targets if t.startswith("servicenet_api"))
        for module, targets in import_graph().items()
        if module.startswith("servicenet_vocab")
    }
    assert {m: t for m, t in offending.items() if t} == {}


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"b"}, "b": {"b2"}, "b2": {"b"}}, ["b", "b2", "b"]),
    ],
)
def test_find_cycle(graph: dict[str, set[str]], expected: list[str] | None) -> None:
    assert find_cycle(graph) == expected


def test_imports_inside_functions_and_relative_imports_count(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from .sibling import thing\n    import pkg.other\n")
    found = set(imported("pkg.m", source, {"pkg.m", "pkg.sibling", "pkg.other", "pkg"}))
    assert found == {"pkg.sibling", "pkg.other"}
