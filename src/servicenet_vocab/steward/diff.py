"""Term-level differences between two versions of the vocabulary, each classified as breaking or not
for a dataset that conformed to the old version, and the semantic version the changes imply.

A version is a directory holding ``ontology/servicenet.ttl``, ``ontology/codelists/*.ttl`` and
``shapes/*.ttl`` (the project, a fixture or ``releases/<version>/``), a single Turtle file, or a git
ref (read with ``git show REF:path``).

Classification, for data that conformed before:
- breaking (major): a term or concept removed; a domain, range or superclass narrowed or dropped
  where data relied on it; a constraint tightened (minCount up, maxCount down, a narrower datatype,
  class or sh:in list, a new required property, a new target) at severity Violation.
- compatible (minor): terms and concepts added, deprecations and renames (``owl:deprecated`` +
  ``dct:isReplacedBy``), constraints loosened or removed, tightening at Warning/Info severity.
- documentation (patch): labels, definitions and shape messages per language.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, BNode, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SH, XSD

from servicenet_vocab import namespaces as ns
from servicenet_vocab import rdfio
from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.quality.sources import to_graph
from servicenet_vocab.quality.vocab import named_terms, short

__all__ = [
    "Bump",
    "Change",
    "Diff",
    "SemVer",
    "Version",
    "changes_table",
    "diff_versions",
    "load_version",
    "to_json",
    "to_markdown",
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
        return _from_files(str(spec), _version_files(path))
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


# --- comparing terms -------------------------------------------------------------------------


def diff_versions(old: Version, new: Version) -> Diff:
    changes = [*_term_changes(old, new), *_concept_changes(old, new), *_shape_changes(old, new)]
    return Diff(old, new, changes)


_LABELS = (RDFS.label, SKOS.prefLabel, DCTERMS.title)
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


def _ontology_terms(version: Version) -> set[URIRef]:
    graph = version.ontology
    return {t for t in named_terms(graph) if str(t).startswith(ns.SN)}


def _term_changes(old: Version, new: Version) -> Iterator[Change]:
    before, after = _ontology_terms(old), _ontology_terms(new)
    for term in sorted(after - before):
        yield Change("added", str(term), f"new term {short(str(term))}", False, Bump.MINOR)
    for term in sorted(before - after):
        yield Change("removed", str(term), f"{short(str(term))} removed", True, Bump.MAJOR)
    for term in sorted(before & after):
        yield from _deprecation(old.ontology, new.ontology, term)
        yield from _literal_changes(old.ontology, new.ontology, term)
        yield from _axiom_changes(old.ontology, new, term)


def _deprecated(graph: rdflib.Graph, term: URIRef) -> bool:
    value = graph.value(term, OWL.deprecated)
    return isinstance(value, Literal) and str(value).lower() in ("true", "1")


def _deprecation(old: rdflib.Graph, new: rdflib.Graph, term: URIRef) -> Iterator[Change]:
    if _deprecated(new, term) and not _deprecated(old, term):
        replacement = new.value(term, DCTERMS.isReplacedBy)
        if replacement is not None:
            detail = f"{short(str(term))} renamed to {short(str(replacement))} (old IRI deprecated)"
            yield Change(
                "renamed", str(term), detail, False, Bump.MINOR, str(term), str(replacement)
            )
        else:
            yield Change(
                "deprecated", str(term), f"{short(str(term))} deprecated", False, Bump.MINOR
            )


def _by_language(
    graph: rdflib.Graph, term: URIRef, predicates: tuple[URIRef, ...]
) -> dict[str, str]:
    found: dict[str, str] = {}
    for predicate in predicates:
        for value in graph.objects(term, predicate):
            if isinstance(value, Literal):
                found.setdefault(value.language or "", str(value))
    return found


def _literal_changes(old: rdflib.Graph, new: rdflib.Graph, term: URIRef) -> Iterator[Change]:
    for kind, predicates in (("label", _LABELS), ("definition", (SKOS.definition,))):
        before, after = _by_language(old, term, predicates), _by_language(new, term, predicates)
        for lang in sorted(set(before) | set(after)):
            if before.get(lang) != after.get(lang):
                what = (
                    "added" if lang not in before else "removed" if lang not in after else "changed"
                )
                detail = f"{kind} @{lang or '(none)'} {what}"
                yield Change(
                    kind, str(term), detail, False, Bump.PATCH, before.get(lang), after.get(lang)
                )


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


def _widens(new_graph: rdflib.Graph, old_values: set[URIRef], new_values: set[URIRef]) -> bool:
    """Every new value is an old value or above one: nothing that was allowed becomes disallowed."""
    return bool(old_values) and all(
        any(n in _superclasses(new_graph, o) for o in old_values) for n in new_values
    )


def _axiom_changes(old: rdflib.Graph, new: Version, term: URIRef) -> Iterator[Change]:
    for kind, predicate in (
        ("domain", RDFS.domain),
        ("range", RDFS.range),
        ("superclass", RDFS.subClassOf),
    ):
        before = {v for v in old.objects(term, predicate) if isinstance(v, URIRef)}
        after = {v for v in new.ontology.objects(term, predicate) if isinstance(v, URIRef)}
        if before == after:
            continue
        old_text, new_text = _names(before), _names(after)
        if kind == "superclass":
            breaking = bool(before - after)  # instances no longer count as the dropped superclass
        elif not after:
            breaking = False  # the restriction was dropped: anything allowed before still is
        else:
            breaking = not _widens(new.terms, before, after)
        verb = "narrowed or changed" if breaking else "widened or relaxed"
        detail = (
            f"{kind} of {short(str(term))} {verb}: {old_text or '(none)'} -> {new_text or '(none)'}"
        )
        yield Change(
            kind,
            str(term),
            detail,
            breaking,
            Bump.MAJOR if breaking else Bump.MINOR,
            old_text,
            new_text,
        )


def _names(values: set[URIRef]) -> str:
    return ", ".join(sorted(short(str(v)) for v in values))


# --- concepts in schemes ---------------------------------------------------------------------


def _memberships(graph: rdflib.Graph) -> set[tuple[URIRef, URIRef]]:
    return {
        (c, s)
        for c, s in graph.subject_objects(SKOS.inScheme)
        if isinstance(c, URIRef) and isinstance(s, URIRef)
    }


def _concept_changes(old: Version, new: Version) -> Iterator[Change]:
    before, after = _memberships(old.codelists), _memberships(new.codelists)
    for concept, scheme in sorted(after - before):
        detail = f"concept {short(str(concept))} added to {short(str(scheme))}"
        yield Change(
            "concept-added", str(concept), detail, False, Bump.MINOR, None, short(str(scheme))
        )
    for concept, scheme in sorted(before - after):
        detail = f"concept {short(str(concept))} removed from {short(str(scheme))}"
        yield Change(
            "concept-removed", str(concept), detail, True, Bump.MAJOR, short(str(scheme)), None
        )
    kept = {c for c, _ in before & after}
    old_schemes = {s for _, s in before}
    for term in sorted(kept | (old_schemes & {s for _, s in after})):
        yield from _deprecation(old.codelists, new.codelists, term)
        yield from _literal_changes(old.codelists, new.codelists, term)


# --- shapes ----------------------------------------------------------------------------------

_LOWER_BOUNDS = {SH.minCount, SH.minLength, SH.minInclusive, SH.minExclusive}
_UPPER_BOUNDS = {SH.maxCount, SH.maxLength, SH.maxInclusive, SH.maxExclusive}
_WIDENABLE = {SH.datatype, SH["class"]}
_DOCS = {SH.message, SH.name, SH.description, RDFS.comment, RDFS.label}
_IGNORED = {RDF.type, SH.property, SH.path, SH.order, SH.group, RDFS.isDefinedBy}
_SEVERITY_RANK = {SH.Info: 0, SH.Warning: 1, SH.Violation: 2}

ShapeKey = tuple[str, str]  # (named shape, path of a property shape or "")


def _shapes(graph: rdflib.Graph) -> dict[ShapeKey, rdflib.term.Node]:
    found: dict[ShapeKey, rdflib.term.Node] = {}
    for shape in set(graph.subjects(RDF.type, SH.NodeShape)) | set(
        graph.subjects(SH.targetClass, None)
    ):
        if isinstance(shape, URIRef):
            found[(str(shape), "")] = shape
            for prop in graph.objects(shape, SH.property):
                path = graph.value(prop, SH.path)
                found[(str(shape), _path_text(graph, path))] = prop
    for shape in graph.subjects(RDF.type, SH.PropertyShape):
        if isinstance(shape, URIRef) and not any(graph.subjects(SH.property, shape)):
            found[(str(shape), _path_text(graph, graph.value(shape, SH.path)))] = shape
    return found


def _path_text(graph: rdflib.Graph, path: rdflib.term.Node | None) -> str:
    if isinstance(path, URIRef):
        return short(str(path))
    if isinstance(path, BNode):
        inverse = graph.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + _path_text(graph, inverse)
        if graph.value(path, RDF.first) is not None:
            return "/".join(_path_text(graph, p) for p in Collection(graph, path))
    return str(path)


def _constraints(graph: rdflib.Graph, node: rdflib.term.Node) -> dict[URIRef, Any]:
    params: dict[URIRef, Any] = {}
    for predicate, value in graph.predicate_objects(node):
        if predicate in _IGNORED or not isinstance(predicate, URIRef):
            continue
        if predicate == SH["in"]:
            params[predicate] = frozenset(short(str(v)) for v in Collection(graph, value))
        elif predicate in _DOCS:
            params.setdefault(predicate, {})[getattr(value, "language", None) or ""] = str(value)
        elif isinstance(value, BNode):
            params[predicate] = _canonical(graph, value)
        else:
            params.setdefault(predicate, set()).add(value)
    return {p: (frozenset(v) if isinstance(v, set) else v) for p, v in params.items()}


def _canonical(graph: rdflib.Graph, node: rdflib.term.Node, depth: int = 0) -> str:
    """A blank-node structure (sh:or lists, nested shapes) as text that does not depend on blank
    node labels, so the same shapes parsed twice compare equal."""
    if not isinstance(node, BNode):
        return short(str(node)) if isinstance(node, URIRef) else repr(str(node))
    if depth > 12:
        return "[...]"
    if graph.value(node, RDF.first) is not None:
        return (
            "("
            + " ".join(_canonical(graph, item, depth + 1) for item in Collection(graph, node))
            + ")"
        )
    parts = sorted(
        f"{short(str(p))} {_canonical(graph, o, depth + 1)}"
        for p, o in graph.predicate_objects(node)
    )
    return "[" + "; ".join(parts) + "]"


def _is_warning(graph: rdflib.Graph, node: rdflib.term.Node, owner: rdflib.term.Node) -> bool:
    severity = graph.value(node, SH.severity) or graph.value(owner, SH.severity) or SH.Violation
    return severity != SH.Violation


def _shape_changes(old: Version, new: Version) -> Iterator[Change]:
    before, after = _shapes(old.shapes), _shapes(new.shapes)
    for key in sorted(set(after) - set(before)):
        node = after[key]
        params = _constraints(new.shapes, node)
        binding = {p for p in params if p not in _DOCS and p != SH.severity}
        soft = _is_warning(new.shapes, node, URIRef(key[0]))
        required = _count(params.get(SH.minCount)) >= 1
        breaking = bool(binding) and not soft
        what = (
            "new required property"
            if required and key[1]
            else "new shape"
            if not key[1]
            else "new property shape"
        )
        detail = f"{what} {_shape_name(key)}" + (f" ({_params_text(params)})" if binding else "")
        yield Change(
            "shape-added", key[0], detail, breaking, Bump.MAJOR if breaking else Bump.MINOR
        )
    for key in sorted(set(before) - set(after)):
        yield Change(
            "shape-removed",
            key[0],
            f"shape {_shape_name(key)} removed (loosened)",
            False,
            Bump.MINOR,
        )
    for key in sorted(set(before) & set(after)):
        yield from _constraint_changes(old, new, key, before[key], after[key])


def _constraint_changes(
    old: Version,
    new: Version,
    key: ShapeKey,
    old_node: rdflib.term.Node,
    new_node: rdflib.term.Node,
) -> Iterator[Change]:
    was, now = _constraints(old.shapes, old_node), _constraints(new.shapes, new_node)
    soft = _is_warning(new.shapes, new_node, URIRef(key[0]))
    for param in sorted(set(was) | set(now)):
        a, b = was.get(param), now.get(param)
        if a == b:
            continue
        name = short(str(param))
        if param in _DOCS:
            detail = f"{name} of {_shape_name(key)} changed"
            yield Change(
                "shape-documentation", key[0], detail, False, Bump.PATCH, _text(a), _text(b)
            )
            continue
        direction = _direction(param, a, b, new.terms)
        breaking = direction in ("tightened", "changed") and not soft
        detail = f"{name} {direction} on {_shape_name(key)}"
        if soft and direction in ("tightened", "changed"):
            detail += " (at Warning/Info severity: data still conforms)"
        yield Change(
            f"constraint-{direction}",
            key[0],
            detail,
            breaking,
            Bump.MAJOR if breaking else Bump.MINOR,
            _text(a),
            _text(b),
        )


def _direction(param: URIRef, a: Any, b: Any, terms: rdflib.Graph) -> str:
    if param == SH.severity:
        rank_a = _SEVERITY_RANK.get(next(iter(a), SH.Violation), 2) if a else 2
        rank_b = _SEVERITY_RANK.get(next(iter(b), SH.Violation), 2) if b else 2
        return "tightened" if rank_b > rank_a else "loosened"
    if a is None:
        return "loosened" if param == SH.closed and not _true(b) else "tightened"
    if b is None:
        return "loosened"
    if param in _LOWER_BOUNDS or param in _UPPER_BOUNDS:
        x, y = _number(a), _number(b)
        up = y > x
        return "tightened" if up == (param in _LOWER_BOUNDS) else "loosened"
    if param == SH["in"]:
        return "tightened" if b < a else "loosened" if b > a else "changed"
    if param == SH.closed:
        return "tightened" if _true(b) else "loosened"
    if param in _WIDENABLE:
        olds = {URIRef(str(v)) for v in a}
        news = {URIRef(str(v)) for v in b}
        return (
            "loosened"
            if _widens(terms, olds, news)
            else "tightened"
            if _widens(terms, news, olds)
            else "changed"
        )
    return "changed"


def _count(values: Any) -> float:
    return _number(values) if values else 0


def _number(values: Any) -> float:
    try:
        return max(float(str(v)) for v in values)
    except ValueError:
        return 0.0


def _true(values: Any) -> bool:
    return any(str(v).lower() == "true" for v in values or ())


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return "; ".join(f"{v}@{k}" if k else v for k, v in sorted(value.items()))
    if isinstance(value, frozenset):
        return ", ".join(sorted(short(str(v)) if isinstance(v, URIRef) else str(v) for v in value))
    return str(value)


def _params_text(params: dict[URIRef, Any]) -> str:
    return "; ".join(
        f"{short(str(p))} {_text(v)}" for p, v in sorted(params.items()) if p not in _DOCS
    )


def _shape_name(key: ShapeKey) -> str:
    return short(key[0]) + (f" path {key[1]}" if key[1] else "")


# --- output ----------------------------------------------------------------------------------


def to_json(result: Diff) -> dict[str, Any]:
    return {
        "old": {"source": result.old.label, "version": result.old.version_info},
        "new": {"source": result.new.label, "version": result.new.version_info},
        "bump": result.bump.label,
        "next_version": result.next_version,
        "breaking": len(result.breaking),
        "changes": [c.to_dict() for c in result.changes],
    }


def changes_table(result: Diff) -> str:
    """The changes as a Markdown table (the release changelog uses it too)."""
    if not result.changes:
        return "No term-level changes.\n"
    rows = [
        "| change | term | details | old | new | breaking | bump |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in result.changes:
        cells = [c.kind, f"`{short(c.term)}`", c.detail, c.old or "", c.new or ""]
        cells += ["**yes**" if c.breaking else "no", c.bump.label]
        rows.append("| " + " | ".join(_cell(x) for x in cells) + " |")
    return "\n".join(rows) + "\n"


def to_markdown(result: Diff) -> str:
    old = result.old.version_info or "?"
    head = f"# Changes from {result.old.label} ({old}) to {result.new.label}\n\n"
    summary = f"Implied version bump: **{result.bump.label}**"
    if result.next_version:
        summary += f"; next version **{result.next_version}**"
    summary += f". {len(result.changes)} change(s), {len(result.breaking)} breaking.\n\n"
    return head + summary + changes_table(result)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
