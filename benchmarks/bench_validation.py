"""Validation speed: this project's SPARQL engine vs plain pyshacl, same data, same shapes.

Generated city datasets (benchmarks/generate_city.py) are validated in a fresh subprocess per
(engine, size), which reports seconds (parse + validate) and its own peak RSS. The result sets
are compared: core constraints must match result for result; on the SPARQL-based constraint the
engines may differ only where rdflib compares a string with a number (``"177" > 110`` is true in
rdflib, an error - so no result - in SPARQL 1.1), and every such difference is checked to be one.

    .venv/bin/python benchmarks/bench_validation.py                        # 10k and 100k, both engines
    .venv/bin/python benchmarks/bench_validation.py --sizes 1000000 --engines sparql
    .venv/bin/python benchmarks/bench_validation.py --sizes 1000000        # pyshacl ~25 min at 1M
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_SHAPES = ROOT / "tests" / "fixtures" / "validation" / "city-shapes.ttl"
SPARQL_COMPONENT = "http://www.w3.org/ns/shacl#SPARQLConstraintComponent"
STRING_ENROLMENT = re.compile(
    r'^<([^>]+)> <https://w3id.org/servicenet/ontology#enrolledChildren> "[^"]*" \.$', re.M
)


def child(engine: str, data: Path, shapes: Path, out: Path) -> None:
    """Run one validation and write its figures and result keys as JSON."""
    from servicenet_vocab.validation import validate

    started, cpu_started = time.perf_counter(), time.process_time()
    report = validate([data], shapes=[shapes], context=[], engine=engine)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started  # CPU time: comparable even on a loaded machine
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    keys = [list(_key(r)) for r in report.results]
    out.write_text(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, "keys": keys}))


def _key(result: object) -> tuple[str | None, ...]:
    """A result's identity with blank-node shapes named by their path (labels differ per engine)."""
    key = list(result.key())  # type: ignore[attr-defined]
    if key[4] and key[4].startswith("_:"):
        key[4] = f"[path {key[1]}]"
    return tuple(key)


def measure(engine: str, data: Path, shapes: Path, workdir: Path) -> dict[str, object]:
    out = workdir / f"{engine}-{data.stem}.json"
    command = [sys.executable, __file__, "--child", engine, str(data), str(shapes), str(out)]
    subprocess.run(command, check=True)
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def compare(ours: list[list[str]], reference: list[list[str]], data: Path) -> str:
    """Assert the result sets agree (see the module docstring); return a one-line summary."""
    a = Counter(tuple(k) for k in ours)
    b = Counter(tuple(k) for k in reference)
    core_a = Counter({k: n for k, n in a.items() if k[5] != SPARQL_COMPONENT})
    core_b = Counter({k: n for k, n in b.items() if k[5] != SPARQL_COMPONENT})
    assert core_a == core_b, f"core results differ: {core_a - core_b} / {core_b - core_a}"
    sparql_a = a - core_a
    sparql_b = b - core_b
    assert not sparql_a - sparql_b, f"results only this engine reports: {sparql_a - sparql_b}"
    strings = set(STRING_ENROLMENT.findall(data.read_text("utf-8")))
    extra = sparql_b - sparql_a
    unexplained = [k for k in extra if k[0] not in strings]
    assert not unexplained, f"pyshacl-only SPARQL results not explained: {unexplained[:3]}"
    return (
        f"identical core results ({sum(core_a.values())}); SPARQL {sum(sparql_a.values())} vs "
        f"pyshacl {sum(sparql_b.values())}: {sum(extra.values())} extra where rdflib compares "
        "a string with a number"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated triple counts")
    parser.add_argument("--engines", default="sparql,pyshacl")
    parser.add_argument("--shapes", type=Path, default=DEFAULT_SHAPES)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--child", nargs=4, metavar=("ENGINE", "DATA", "SHAPES", "OUT"))
    args = parser.parse_args()
    if args.child:
        engine, data, shapes, out = args.child
        child(engine, Path(data), Path(shapes), Path(out))
        return

    sys.path.insert(0, str(HERE))
    from generate_city import generate

    engines = args.engines.split(",")
    print(
        f"shapes: {args.shapes.relative_to(ROOT) if args.shapes.is_relative_to(ROOT) else args.shapes}"
    )
    print(f"{'triples':>9} {'engine':>8} {'seconds':>9} {'CPU s':>9} {'peak MB':>8} {'results':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for size in (int(s) for s in args.sizes.split(",")):
            data = workdir / f"city-{size}.nt"
            data.write_bytes(generate(size, args.seed))
            runs = {}
            for engine in engines:
                runs[engine] = measure(engine, data, args.shapes, workdir)
                run = runs[engine]
                print(
                    f"{size:>9} {engine:>8} {run['seconds']:>9.2f} {run['cpu']:>9.2f} "
                    f"{run['peak_mb']:>8.0f} "
                    f"{len(run['keys']):>8}",  # type: ignore[arg-type]
                    flush=True,
                )
            if "sparql" in runs and "pyshacl" in runs:
                summary = compare(runs["sparql"]["keys"], runs["pyshacl"]["keys"], data)  # type: ignore[arg-type]
                ratio = runs["pyshacl"]["cpu"] / runs["sparql"]["cpu"]  # type: ignore[operator]
                print(f"{size:>9} ratio    {ratio:>8.1f}x less CPU; {summary}", flush=True)


if __name__ == "__main__":
    main()
