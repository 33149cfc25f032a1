"""Build a release: ``releases/<version>/`` from the sources, never by hand.

    releases/<version>/
      ontology/servicenet.{ttl,nt,jsonld,rdf}       owl:versionIRI .../ontology/<version>, versionInfo
      ontology/codelists/<scheme>.{ttl,nt,jsonld,rdf} owl:versionInfo on each scheme
      ontology/alignments/*.ttl  ontology/catalog.ttl  shapes/*.ttl
      ontology/migrations/<from>-to-<to>/*.ru       the SPARQL Updates `servicenet migrate` applies
      context/servicenet.jsonld                     generated from the ontology (context.py)
      CHANGELOG.md                                  `diff` against the previous release

The release is refused (``DataInvalidError``, exit 1) when the version is not semver or not greater
than the previous release, when lint reports errors, or when the changes since the previous release
are breaking and the version is not a major bump. It is written to a temporary directory and renamed
into place, so a failure never leaves half a release.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from servicenet_vocab import namespaces as ns
from servicenet_vocab import rdfio
from servicenet_vocab.errors import DataInvalidError, InputError
from servicenet_vocab.quality import LintReport, Severity, lint
from servicenet_vocab.steward.diff import Diff, SemVer, changes_table, diff_versions, load_version
from servicenet_vocab.vocabulary import files as vocabulary

__all__ = ["ReleaseResult", "find_releases", "release"]

FORMATS = (
    rdfio.RdfFormat.TURTLE,
    rdfio.RdfFormat.NTRIPLES,
    rdfio.RdfFormat.JSONLD,
    rdfio.RdfFormat.RDFXML,
)
_OWL_VERSION_INFO = ox.NamedNode(ns.OWL + "versionInfo")
_OWL_VERSION_IRI = ox.NamedNode(ns.OWL + "versionIRI")
_OWL_PRIOR = ox.NamedNode(ns.OWL + "priorVersion")
_DCAT_VERSION = ox.NamedNode(ns.DCAT + "version")
_RDF_TYPE = ox.NamedNode(ns.RDF + "type")
_STAMPED = {_OWL_VERSION_INFO.value, _OWL_VERSION_IRI.value, _OWL_PRIOR.value, _DCAT_VERSION.value}
_PREFIXES = {**ns.PREFIXES, "code": ns.CODE}


@dataclass
class ReleaseResult:
    version: str
    directory: Path
    previous: str | None
    files: list[Path]
    diff: Diff | None


def find_releases(out: Path) -> list[SemVer]:
    """The versions already released under ``out`` (directories named by semver), ascending."""
    found = []
    for child in out.glob("*") if out.is_dir() else []:
        if child.is_dir():
            try:
                found.append(SemVer.parse(child.name))
            except InputError:
                continue
    return sorted(found)


def release(version: str, *, root: Path | None = None, out: Path | None = None) -> ReleaseResult:
    """Check, diff and write release ``version`` of the vocabulary under ``root``."""
    base = vocabulary.require_tree(root) if root else vocabulary.project_root()
    target_root = out or base / "releases"
    new = _parse_version(version)
    released = find_releases(target_root)
    previous = released[-1] if released else None
    if previous is not None and new <= previous:
        raise DataInvalidError(f"version {new} is not greater than the previous release {previous}")
    _require_clean_lint(lint(base))
    changes = None
    if previous is not None:
        changes = diff_versions(load_version(target_root / str(previous)), load_version(base))
        if changes.breaking and new.major == previous.major:
            first = "; ".join(c.detail for c in changes.breaking[:3])
            raise DataInvalidError(
                f"{len(changes.breaking)} breaking change(s) since {previous} ({first}) need a "
                f"major version: release {previous.bump(changes.bump)} instead of {new}"
            )
    files = _write(base, target_root, str(new), str(previous) if previous else None, changes)
    return ReleaseResult(
        str(new), target_root / str(new), str(previous) if previous else None, files, changes
    )


def _parse_version(version: str) -> SemVer:
    try:
        return SemVer.parse(version)
    except InputError as error:
        raise DataInvalidError(error.message) from None


def _require_clean_lint(report: LintReport) -> None:
    if report.ok:
        return
    errors = [f for f in report.findings if f.severity is Severity.ERROR]
    listed = "\n".join(
        f"  {f.file}:{f.line}: [{f.check}] <{f.term}> {f.message}" for f in errors[:10]
    )
    more = f"\n  ... and {len(errors) - 10} more" if len(errors) > 10 else ""
    raise DataInvalidError(
        f"lint reports {len(errors)} error(s); fix them before releasing:\n{listed}{more}"
    )


def _write(
    base: Path, out: Path, version: str, previous: str | None, changes: Diff | None
) -> list[Path]:
    staging = out / f".{version}.partial"
    if staging.exists():
        shutil.rmtree(staging)
    try:
        written = _write_into(base, staging, version, previous, changes)
        final = out / version
        staging.rename(final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [final / p.relative_to(staging) for p in written]


def _write_into(
    base: Path, staging: Path, version: str, previous: str | None, changes: Diff | None
) -> list[Path]:
    written: list[Path] = []
    onto = base / "ontology"
    core = _stamp(_parse(onto / "servicenet.ttl"), version, previous)
    written += _all_formats(core, staging / "ontology" / "servicenet")
    for path in sorted(onto.glob("codelists/*.ttl")):
        stamped = _stamp_schemes(_parse(path), version)
        written += _all_formats(stamped, staging / "ontology" / "codelists" / path.stem)
    for path in sorted(onto.glob("alignments/*.ttl")):
        written.append(_turtle(_parse(path), staging / "ontology" / "alignments" / path.name))
    if (onto / "catalog.ttl").is_file():
        catalog = _stamp_catalog(_parse(onto / "catalog.ttl"), version)
        written.append(_turtle(catalog, staging / "ontology" / "catalog.ttl"))
    for path in sorted(base.glob("shapes/*.ttl")):
        written.append(
            _turtle(_stamp(_parse(path), version, previous), staging / "shapes" / path.name)
        )
    for path in sorted(onto.glob("migrations/*/*.ru")):  # SPARQL text: shipped as written
        target = staging / path.relative_to(base)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        written.append(target)
    written.append(_context(onto / "servicenet.ttl", staging / "context" / "servicenet.jsonld"))
    written.append(_changelog(staging / "CHANGELOG.md", version, previous, changes))
    return written


def _parse(path: Path) -> list[ox.Quad]:
    return rdfio.parse(path, rdfio.RdfFormat.TURTLE, source_name=str(path))


def _with_stamps(
    quads: Iterable[ox.Quad], subjects: set[str], stamps: list[ox.Quad]
) -> list[ox.Quad]:
    """Old version statements of ``subjects`` dropped, ``stamps`` added right after the subjects'
    other statements (so a Turtle writer keeps each header in one block)."""
    head: list[ox.Quad] = []
    rest: list[ox.Quad] = []
    for q in quads:
        mine = isinstance(q.subject, ox.NamedNode) and q.subject.value in subjects
        if mine and q.predicate.value in _STAMPED:
            continue
        (head if mine else rest).append(q)
    head.sort(key=lambda q: q.subject.value)  # type: ignore[union-attr]
    return head + stamps + rest


def _typed(quads: list[ox.Quad], type_iri: str) -> set[str]:
    return {
        q.subject.value
        for q in quads
        if q.predicate == _RDF_TYPE
        and isinstance(q.subject, ox.NamedNode)
        and q.object == ox.NamedNode(type_iri)
    }


def _stamp(quads: list[ox.Quad], version: str, previous: str | None) -> list[ox.Quad]:
    """Every owl:Ontology gets owl:versionIRI <its IRI>/<version>, owl:versionInfo and, when
    there is one, owl:priorVersion <its IRI>/<previous>."""
    ontologies = _typed(quads, ns.OWL + "Ontology")
    stamps = []
    for iri in sorted(ontologies):
        subject = ox.NamedNode(iri)
        stamps.append(ox.Quad(subject, _OWL_VERSION_IRI, ox.NamedNode(f"{iri}/{version}")))
        stamps.append(ox.Quad(subject, _OWL_VERSION_INFO, ox.Literal(version)))
        if previous:
            stamps.append(ox.Quad(subject, _OWL_PRIOR, ox.NamedNode(f"{iri}/{previous}")))
    return _with_stamps(quads, ontologies, stamps)


def _stamp_schemes(quads: list[ox.Quad], version: str) -> list[ox.Quad]:
    schemes = _typed(quads, ns.SKOS + "ConceptScheme")
    stamps = [
        ox.Quad(ox.NamedNode(s), _OWL_VERSION_INFO, ox.Literal(version)) for s in sorted(schemes)
    ]
    return _with_stamps(quads, schemes, stamps)


def _stamp_catalog(quads: list[ox.Quad], version: str) -> list[ox.Quad]:
    datasets = _typed(quads, ns.DCAT + "Dataset")
    stamps = []
    for iri in sorted(datasets):
        stamps.append(ox.Quad(ox.NamedNode(iri), _DCAT_VERSION, ox.Literal(version)))
        stamps.append(ox.Quad(ox.NamedNode(iri), _OWL_VERSION_INFO, ox.Literal(version)))
    return _with_stamps(quads, datasets, stamps)


def _serialize(quads: list[ox.Quad], fmt: rdfio.RdfFormat) -> bytes:
    triples = [q.triple for q in quads]
    prefixes = _PREFIXES if fmt in (rdfio.RdfFormat.TURTLE, rdfio.RdfFormat.RDFXML) else None
    data = ox.serialize(triples, None, fmt.engine, prefixes=prefixes)
    assert isinstance(data, bytes)
    return data


def _all_formats(quads: list[ox.Quad], stem: Path) -> list[Path]:
    paths = []
    for fmt in FORMATS:
        path = stem.with_name(stem.name + fmt.extension)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_serialize(quads, fmt))
        paths.append(path)
    return paths


def _turtle(quads: list[ox.Quad], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_serialize(quads, rdfio.RdfFormat.TURTLE))
    return path


def _context(ontology: Path, path: Path) -> Path:
    from servicenet_vocab.vocabulary.context import build_context

    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(build_context(ontology), ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, "utf-8")
    return path


def _changelog(path: Path, version: str, previous: str | None, changes: Diff | None) -> Path:
    lines = [f"# servicenet {version}", ""]
    if previous is None or changes is None:
        lines += ["Initial release.", ""]
        body = ""
    else:
        lines += [
            f"Changes since {previous}: {len(changes.changes)}, of which "
            f"{len(changes.breaking)} breaking for data that conformed to {previous}; "
            f"implied bump **{changes.bump.label}**.",
            "",
        ]
        body = changes_table(changes)
    path.write_text("\n".join(lines) + body, "utf-8")
    return path
