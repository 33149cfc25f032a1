"""Load a generated 1M-triple N-Triples file into the project's store and into an rdflib Graph.

Usage: .venv/bin/python benchmarks/bench_load.py [--triples N]
Each loader runs in its own subprocess so peak memory (max RSS) is its own.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SN = "https://w3id.org/servicenet/ontology#"
GRAPH = "https://w3id.org/servicenet/graph/municipality/091"
CACHE = Path(__file__).parent / ".cache"


def generate(path: Path, triples: int, seed: int = 7) -> None:
    """Daycare units with names, places, enrolment, dates and codes: about 10 triples per unit."""
    rng = random.Random(seed)
    lines = []
    unit = 0
    while len(lines) < triples:
        s = f"<https://data.hel.fi/servicenet/unit/{unit}>"
        places = rng.randint(12, 180)
        lines += [
            f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{SN}DaycareCentre> .",
            f'{s} <{SN}name> "Päiväkoti {unit}"@fi .',
            f'{s} <{SN}name> "Daghemmet {unit}"@sv .',
            f'{s} <{SN}places> "{places}"^^<http://www.w3.org/2001/XMLSchema#integer> .',
            f'{s} <{SN}enrolled> "{rng.randint(0, places + 10)}"^^<http://www.w3.org/2001/XMLSchema#integer> .',
            f'{s} <{SN}openingDate> "{rng.randint(1970, 2024)}-08-01"^^<http://www.w3.org/2001/XMLSchema#date> .',
            f"{s} <{SN}municipality> <https://w3id.org/servicenet/code/municipality/091> .",
            f"{s} <{SN}area> <https://data.hel.fi/servicenet/area/{unit % 148}> .",
            f'{s} <{SN}postalCode> "00{rng.randint(100, 990)}" .',
            f"{s} <{SN}organisationForm> <https://w3id.org/servicenet/code/organisation-form/jm0{rng.randint(1, 4)}> .",
        ]
        unit += 1
    path.write_text("\n".join(lines[:triples]) + "\n", encoding="utf-8")


def run_one(loader: str, path: Path) -> dict[str, float]:
    started = time.perf_counter()
    if loader == "servicenet-memory":
        from servicenet_vocab.store.embedded import open_store

        store = open_store("memory")
        count = store.load(path, graph=GRAPH)
    elif loader == "servicenet-disk":
        from servicenet_vocab.store.embedded import open_store

        with tempfile.TemporaryDirectory() as tmp:
            store = open_store(Path(tmp) / "store")
            count = store.load(path, graph=GRAPH)
            store.close()
    else:
        import rdflib

        graph = rdflib.Graph()
        graph.parse(path, format="nt")
        count = len(graph)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "triples": count, "peak_mb": peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one, args.path)))
        return

    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"city-{args.triples}.nt"
    if not path.exists():
        generate(path, args.triples)
    size_mb = path.stat().st_size / 1e6
    print(f"input: {path.name}, {args.triples:,} triples, {size_mb:.0f} MB")
    results = {}
    for loader in ("servicenet-memory", "servicenet-disk", "rdflib"):
        done = subprocess.run(
            [sys.executable, __file__, "--one", loader, "--path", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        results[loader] = json.loads(done.stdout.splitlines()[-1])
        r = results[loader]
        print(
            f"{loader:18} {r['seconds']:7.2f} s  {r['triples'] / r['seconds']:>10,.0f} triples/s  peak {r['peak_mb']:6.0f} MB"
        )
    base = results["rdflib"]["seconds"]
    for loader in ("servicenet-memory", "servicenet-disk"):
        print(f"speed-up vs rdflib ({loader}): {base / results[loader]['seconds']:.1f}x")


if __name__ == "__main__":
    main()
