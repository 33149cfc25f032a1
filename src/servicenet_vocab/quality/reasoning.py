"""OWL consistency check of the ontology (and alignments) with HermiT through owlready2.

Why it is shaped this way (see docs/architecture.md, "Containment"):
- owlready2 follows ``owl:imports`` over HTTP and runs HermiT without a timeout, so we parse the Turtle
  ourselves with rdflib, drop every ``owl:imports``, write RDF/XML into a private temp directory and run
  owlready2 + HermiT in a child process that is killed (with its Java child) after ``timeout`` seconds.
- HermiT implements only the OWL 2 datatype map; ranges such as ``xsd:date`` make it abort. For the check
  those ranges are relaxed to ``rdfs:Literal`` and listed in the report (they cannot cause inconsistency
  without data values, and the check reasons over the TBox only).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import rdflib
from pydantic import BaseModel
from rdflib.namespace import OWL, RDFS, XSD

from servicenet_vocab.errors import InputError, LimitExceededError, Location
from servicenet_vocab.vocabulary.files import project_root

__all__ = ["ReasonerReport", "check_consistency", "reasoner_files"]

_OWL2_XSD = {
    "anyURI", "base64Binary", "boolean", "byte", "dateTime", "dateTimeStamp", "decimal", "double",
    "float", "hexBinary", "int", "integer", "language", "long", "Name", "NCName", "negativeInteger",
    "NMTOKEN", "nonNegativeInteger", "nonPositiveInteger", "normalizedString", "positiveInteger",
    "short", "string", "token", "unsignedByte", "unsignedInt", "unsignedLong", "unsignedShort",
}  # fmt: skip
_OWL2_OTHER = {str(RDFS.Literal), str(rdflib.RDF.PlainLiteral), str(rdflib.RDF.XMLLiteral)}
_OWL2_OTHER |= {str(OWL.real), str(OWL.rational)}


class _WorkerResult(BaseModel):
    consistent: bool
    unsatisfiable: list[str]


class ReasonerReport(BaseModel):
    """What HermiT concluded about the TBox."""

    consistent: bool
    unsatisfiable: list[str]
    relaxed_datatypes: list[str]
    axioms: int
    seconds: float

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable


def reasoner_files(root: Path | None = None) -> list[Path]:
    """The core ontology and its alignments: what the reasoner checks by default."""
    onto = (root or project_root()) / "ontology"
    return [onto / "servicenet.ttl", *sorted(onto.glob("alignments/*.ttl"))]


def _is_owl2_datatype(iri: str) -> bool:
    if iri.startswith(str(XSD)):
        return iri[len(str(XSD)) :] in _OWL2_XSD
    return iri in _OWL2_OTHER


def _prepare(files: Sequence[Path], extra_turtle: str | None) -> tuple[rdflib.Graph, list[str]]:
    graph = rdflib.Graph()
    for path in files:
        graph.parse(path, format="turtle")
    if extra_turtle:
        graph.parse(data=extra_turtle, format="turtle")
    graph.remove((None, OWL.imports, None))
    relaxed: set[str] = set()
    for prop, datatype in list(graph.subject_objects(RDFS.range)):
        if (prop, rdflib.RDF.type, OWL.DatatypeProperty) not in graph:
            continue
        if isinstance(datatype, rdflib.URIRef) and not _is_owl2_datatype(str(datatype)):
            graph.remove((prop, RDFS.range, datatype))
            graph.add((prop, RDFS.range, RDFS.Literal))
            relaxed.add(str(datatype))
    return graph, sorted(relaxed)


def check_consistency(
    files: Sequence[Path] | None = None, *, extra_turtle: str | None = None, timeout: float = 180.0
) -> ReasonerReport:
    """Run HermiT over ``files`` (default: ontology + alignments) plus optional extra axioms."""
    graph, relaxed = _prepare(files or reasoner_files(), extra_turtle)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="servicenet-reasoner-") as tmp:
        owl_file = Path(tmp) / "tbox.owl"
        graph.serialize(owl_file, format="xml")
        result = _run_worker(owl_file, timeout)
    return ReasonerReport(
        consistent=result.consistent,
        unsatisfiable=result.unsatisfiable,
        relaxed_datatypes=relaxed,
        axioms=len(graph),
        seconds=round(time.monotonic() - started, 2),
    )


def _run_worker(owl_file: Path, timeout: float) -> _WorkerResult:
    command = [sys.executable, "-m", "servicenet_vocab.quality.reasoning", str(owl_file)]
    # A new session so a timeout kills the Java grandchild too.
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True, text=True
    ) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise LimitExceededError(f"the reasoner ran past {timeout:g} s") from None
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = err.strip().splitlines()[-3:]
        raise InputError(
            "the reasoner failed: " + " | ".join(tail), location=Location(source="reasoner")
        )
    return _WorkerResult.model_validate_json(lines[-1])


def _worker(owl_file: str) -> None:  # pragma: no cover - runs in the child process
    import owlready2

    owlready2.reasoning.JAVA_MEMORY = 1000
    world = owlready2.World()
    onto = world.get_ontology(Path(owl_file).as_uri()).load(only_local=True)
    try:
        with onto:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError:
        print(json.dumps({"consistent": False, "unsatisfiable": []}))
        return
    unsat = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
    print(json.dumps({"consistent": True, "unsatisfiable": unsat}))


if __name__ == "__main__":  # pragma: no cover
    _worker(sys.argv[1])
