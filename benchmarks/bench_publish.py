"""The write path of /graph-store: what validate-before-write and an atomic, recorded commit cost.

For generated city datasets (``generate_city``) of each size, measured in this one run:

- ``servicenet PUT``: ``prepare`` (safe parse + SHACL validation of the graph after the write against
  the project's shapes with the vocabulary as context) and ``apply`` (one SPARQL update holding the
  data and its provenance record, flushed), in memory and on disk;
- ``ungated load``: what an engine's own GSP PUT does (Oxigraph, Fuseki): an atomic load, no checks;
- ``rdflib + pyshacl``: the peer way to gate a write in Python (parse with rdflib, validate with
  pyshacl on the same shapes and context), smallest size only (minutes beyond it).

    .venv/bin/python benchmarks/bench_publish.py [--sizes 10000 50000] [--no-pyshacl]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_city import generate

from servicenet_vocab.namespaces import municipality_graph
from servicenet_vocab.publishing.writer import Checks, Prepared, Publisher, Upload, prepare
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.embedded import open_store
from servicenet_vocab.validation import ValidationReport
from servicenet_vocab.validation.pipeline import default_context, default_shapes
from servicenet_vocab.vocabulary import files as vocabulary

GRAPH = municipality_graph("091")


def timed(action: object) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()  # type: ignore[operator]
    return time.perf_counter() - started, result


def servicenet_put(data: bytes, store_location: str) -> tuple[float, float, int]:
    store = open_store(store_location)
    upload = Upload(data, RdfFormat.NTRIPLES, GRAPH)
    prepare_s, prepared = timed(lambda: prepare(upload, None, Checks()))
    results = len(prepared.report.results)  # type: ignore[attr-defined]

    # The generated city has defects on purpose; measure the commit as if it conformed.
    accepted = Prepared(
        ValidationReport(conforms=True),
        prepared.body,  # type: ignore[attr-defined]
        prepared.uploaded,  # type: ignore[attr-defined]
        prepared.triples_after,  # type: ignore[attr-defined]
    )
    publisher = Publisher(store, runner=lambda job, *args: accepted)
    apply_s, _ = timed(lambda: publisher.publish(upload, replace=True, agent="bench"))
    store.close()
    return prepare_s, apply_s, results


def ungated_load(data: bytes, store_location: str) -> float:
    store = open_store(store_location)
    seconds, _ = timed(lambda: store.load(data, RdfFormat.NTRIPLES, graph=GRAPH, replace=True))
    store.close()
    return seconds


def rdflib_pyshacl(data: bytes) -> tuple[float, int]:
    import pyshacl
    import rdflib

    def run() -> int:
        graph = rdflib.Graph().parse(data=data.decode(), format="nt")
        shapes = rdflib.Graph()
        for path in default_shapes():
            shapes.parse(path, format="turtle")
        context = rdflib.Graph()
        for path in default_context():
            context.parse(path, format="turtle")
        _, report, _ = pyshacl.validate(
            graph, shacl_graph=shapes, ont_graph=context, inference="none", advanced=True
        )
        return len(list(report.subjects(rdflib.RDF.type, rdflib.SH.ValidationResult)))

    seconds, results = timed(run)
    return seconds, int(results)  # type: ignore[call-overload]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", nargs="+", type=int, default=[10_000, 50_000])
    parser.add_argument("--no-pyshacl", action="store_true")
    args = parser.parse_args()
    print(f"project root: {vocabulary.project_root()}")
    print("| triples | path | store | seconds | results |")
    print("|---:|---|---|---:|---:|")
    for size in args.sizes:
        data = generate(size, seed=1)
        for kind in ("memory", "disk"):
            with tempfile.TemporaryDirectory() as directory:
                where = "memory" if kind == "memory" else str(Path(directory) / "store")
                prepare_s, apply_s, results = servicenet_put(data, where)
            print(
                f"| {size} | servicenet PUT: prepare (parse + SHACL) | {kind} | {prepare_s:.2f} | {results} |"
            )
            print(
                f"| {size} | servicenet PUT: apply (data + PROV, one update) | {kind} | {apply_s:.2f} | |"
            )
            with tempfile.TemporaryDirectory() as directory:
                where = "memory" if kind == "memory" else str(Path(directory) / "store")
                print(
                    f"| {size} | ungated atomic load (no checks) | {kind} | {ungated_load(data, where):.2f} | |"
                )
        if not args.no_pyshacl and size == min(args.sizes):
            seconds, results = rdflib_pyshacl(data)
            print(f"| {size} | rdflib parse + pyshacl validate | - | {seconds:.2f} | {results} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
