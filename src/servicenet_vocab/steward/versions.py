"""The versions a steward compares: how one is read (a directory, a Turtle file or a git ref) and
the model of their differences (``Change``, ``Diff``, the ``SemVer`` they imply)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import asdict, dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

import rdflib
from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.namespace import XSD

from servicenet_vocab import namespaces as ns
from servicenet_vocab import rdfio
from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.quality.sources import to_graph
from servicenet_vocab.vocabulary.files import require_tree

__all__ = [
    "VERSION_PATHS",
    "Bump",
    "Change",
    "Diff",
    "SemVer",
    "Version",
    "load_version",
    "widens",
]


VERSION_PATHS = ("ontology/servicenet.ttl", "ontology/codelists", "shapes")


class Bump(IntEnum):
    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    @property
    def label(self) -> str:
        return self.name.lower()


_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?$")


@dataclass(frozen=True, order=True)
class SemVer:
    major: int
    minor: int
    patch: int
    pre: str = "~"  # "~" sorts after any pre-release tag, so 1.0.0 > 1.0.0-rc.1

    @classmethod
    def parse(cls, text: str) -> SemVer:
        found = _SEMVER.match(text.strip())
        if not found:
            raise InputError(f"{text!r} is not a semantic version MAJOR.MINOR.PATCH")
        major, minor, patch, pre = found.groups()
        return cls(int(major), int(minor), int(patch), pre or "~")

    def bump(self, level: Bump) -> SemVer:
        if level is Bump.MAJOR:
            return SemVer(self.major + 1, 0, 0)
        if level is Bump.MINOR:
            return SemVer(self.major, self.minor + 1, 0)
        if level is Bump.PATCH:
            return SemVer(self.major, self.minor, self.patch + 1)
        return self

    def __str__(self) -> str:
        core = f"{self.major}.{self.minor}.{self.patch}"
        return core if self.pre == "~" else f"{core}-{self.pre}"


@dataclass(frozen=True)
class Change:
    kind: str
    term: str
    detail: str
    breaking: bool
    bump: Bump
    old: str | None = None
    new: str | None = None

    def to_dict(self) -> dict[str, Any]:
        body = asdict(self)
        body["bump"] = self.bump.label
        return body


@dataclass
class Version:
    """One version of the vocabulary: ontology, code lists and shapes as rdflib graphs."""

    label: str
    ontology: rdflib.Graph
    codelists: rdflib.Graph
    shapes: rdflib.Graph

    @property
    def version_info(self) -> str | None:
        value = self.ontology.value(URIRef(ns.ONTOLOGY_IRI), OWL.versionInfo)
        return str(value) if value is not None else None

    @property
    def terms(self) -> rdflib.Graph:
        return self.ontology + self.codelists


@dataclass
class Diff:
    old: Version
    new: Version
    changes: list[Change]

    @property
    def bump(self) -> Bump:
        return max((c.bump for c in self.changes), default=Bump.NONE)

    @property
    def breaking(self) -> list[Change]:
        return [c for c in self.changes if c.breaking]

    @property
    def next_version(self) -> str | None:
        if self.old.version_info is None:
            return None
        try:
            return str(SemVer.parse(self.old.version_info).bump(self.bump))
        except InputError:
            return None


# --- loading ---------------------------------------------------------------------------------


def load_version(spec: str | Path, *, repo: Path | None = None) -> Version:
    """A directory, a Turtle file, or a git ref of ``repo`` (default: the current directory)."""
    path = Path(spec)
    if path.is_dir():
        return _from_files(str(spec), _version_files(require_tree(path)))
    if path.is_file():
        graph = to_graph(rdfio.parse(path, source_name=str(path)))
        return Version(str(spec), graph, graph, graph)
    return _from_git(str(spec), repo or Path.cwd())


def _version_files(root: Path) -> dict[str, list[tuple[str, bytes]]]:
    onto = root / "ontology" / "servicenet.ttl"
    return {
        "ontology": [(str(onto), onto.read_bytes())] if onto.is_file() else [],
        "codelists": [
            (str(p), p.read_bytes()) for p in sorted(root.glob("ontology/codelists/*.ttl"))
        ],
        "shapes": [(str(p), p.read_bytes()) for p in sorted(root.glob("shapes/*.ttl"))],
    }


def _from_files(label: str, files: dict[str, list[tuple[str, bytes]]]) -> Version:
    graphs = {
        part: to_graph(
            [
                q
                for name, data in items
                for q in rdfio.parse(data, rdfio.RdfFormat.TURTLE, source_name=name)
            ]
        )
        for part, items in files.items()
    }
    return Version(label, graphs["ontology"], graphs["codelists"], graphs["shapes"])


def _git(repo: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], capture_output=True, check=False, timeout=60
        )
    except OSError as error:
        raise InputError(f"cannot run git: {error.strerror}") from None
    if done.returncode != 0:
        raise InputError(
            done.stderr.decode("utf-8", "replace").strip() or "git failed",
            location=Location(source=f"git {' '.join(args)}"),
        )
    return done.stdout


def _from_git(ref: str, repo: Path) -> Version:
    if ref.startswith("-"):
        raise InputError(f"{ref!r} is not a file, a directory or a git ref")
    try:
        _git(repo, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except InputError:
        raise InputError(
            f"{ref!r} is neither a file, a directory nor a git ref of {repo}"
        ) from None
    names = _git(repo, "ls-tree", "-r", "--name-only", ref, "--", *VERSION_PATHS).decode().split()
    files: dict[str, list[tuple[str, bytes]]] = {"ontology": [], "codelists": [], "shapes": []}
    for name in sorted(n for n in names if n.endswith(".ttl")):
        part = (
            "shapes"
            if name.startswith("shapes/")
            else "codelists"
            if "/codelists/" in name
            else "ontology"
        )
        files[part].append((f"{ref}:{name}", _git(repo, "show", f"{ref}:{name}")))
    return _from_files(ref, files)


# --- what a class or datatype widens to ---------------------------------------------------

_XSD_PARENTS = {
    XSD.integer: XSD.decimal,
    XSD.nonNegativeInteger: XSD.integer,
    XSD.positiveInteger: XSD.nonNegativeInteger,
    XSD.decimal: RDFS.Literal,
    XSD.string: RDFS.Literal,
    XSD.date: RDFS.Literal,
    XSD.dateTime: RDFS.Literal,
    XSD.boolean: RDFS.Literal,
    RDF.langString: RDFS.Literal,
}


def _superclasses(graph: rdflib.Graph, term: URIRef) -> set[URIRef]:
    """``term`` and every named class above it (rdfs:subClassOf*), plus the XSD hierarchy."""
    seen: set[URIRef] = set()
    todo = [term]
    while todo:
        node = todo.pop()
        if node in seen:
            continue
        seen.add(node)
        todo += [p for p in graph.objects(node, RDFS.subClassOf) if isinstance(p, URIRef)]
        if node in _XSD_PARENTS:
            todo.append(_XSD_PARENTS[node])
    return seen


def widens(new_graph: rdflib.Graph, old_values: set[URIRef], new_values: set[URIRef]) -> bool:
    """Every new value is an old value or above one: nothing that was allowed becomes disallowed."""
    return bool(old_values) and all(
        any(n in _superclasses(new_graph, o) for o in old_values) for n in new_values
    )
