"""PxWeb conversion speed and memory: a generated table of ~1M cells (Helsinki's 190 statistical
areas x 101 ages 0..99, 100- x 52 years, a few cells suppressed) as JSON-stat 2 and as a .px file,
converted to Turtle.

Compares, each run in a fresh process so peak RSS is the run's own:
  servicenet   ``servicenet convert pxweb FILE -o OUT`` (in-process ``cli.main``): cells streamed
               (.px) or walked (JSON-stat 2) and written as Turtle text, areas and ages resolved
               once per code
  pandas       the obvious way: the cells into a DataFrame (JSON-stat 2: ``json.load`` then
               ``MultiIndex.from_product`` + the value list; .px: the DATA tokens read with
               ``str.split``), the long table iterated with ``itertuples`` and written as the same
               Turtle text (no checks; suppressed cells dropped)
  rdflib       the same DataFrame into an ``rdflib.Graph`` then ``serialize``, on 100k cells only
               (at 1M cells it holds ~7M triples in memory)

Records/s are wall-clock cells per second including reading the file; the machine is shared, so
each line also gives CPU seconds and the load average.

    .venv/bin/python benchmarks/bench_pxweb.py              # 1M cells, both formats
    .venv/bin/python benchmarks/bench_pxweb.py --cells 100000
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from servicenet_vocab.sources.pxweb_areas import helsinki  # noqa: E402

AGES = [f"{a:03d}" for a in range(100)] + ["100-"]


def dimensions(cells: int) -> dict[str, list[str]]:
    areas = sorted(helsinki().areas)
    years = max(1, round(cells / (len(areas) * len(AGES))))
    return {
        "Alue": areas,
        "Ikä": AGES,
        "Vuosi": [str(2000 + y) for y in range(years)],
        "Tiedot": ["vaesto"],
    }


def figure(position: int) -> int | None:
    return None if position % 997 == 0 else (position * 37) % 900


def write_json_stat2(path: Path, dims: dict[str, list[str]]) -> int:
    total = 1
    for codes in dims.values():
        total *= len(codes)
    doc = {
        "version": "2.0",
        "class": "dataset",
        "label": "Väestö 31.12. (generated)",
        "updated": "2026-01-01T00:00:00Z",
        "id": list(dims),
        "size": [len(c) for c in dims.values()],
        "role": {"geo": ["Alue"], "time": ["Vuosi"], "metric": ["Tiedot"]},
        "dimension": {
            name: {
                "label": name,
                "category": {
                    "index": {c: i for i, c in enumerate(codes)},
                    "label": {c: c for c in codes},
                },
            }
            for name, codes in dims.items()
        },
        "value": [figure(i) for i in range(total)],
        "status": {str(i): ".." for i in range(0, total, 997)},
    }
    path.write_text(json.dumps(doc), "utf-8")
    return total


def write_px(path: Path, dims: dict[str, list[str]]) -> int:
    def strings(values: list[str]) -> str:
        return ",".join(f'"{v}"' for v in values)

    lines = [
        'CHARSET="ANSI";',
        'CODEPAGE="iso-8859-15";',
        'LANGUAGE="fi";',
        "DECIMALS=0;",
        'TITLE="Väestö 31.12. (generated)";',
        'STUB="Alue","Ikä";',
        'HEADING="Vuosi","Tiedot";',
        'CONTVARIABLE="Tiedot";',
    ]
    for name, codes in dims.items():
        lines.append(f'VALUES("{name}")={strings(codes)};')
        lines.append(f'CODES("{name}")={strings(codes)};')
    lines.append('VARIABLE-TYPE("Vuosi")="Time";')
    lines.append("DATA=")
    total = 1
    for codes in dims.values():
        total *= len(codes)
    width = len(dims["Vuosi"]) * len(dims["Tiedot"])
    with path.open("w", encoding="iso-8859-15", newline="\r\n") as handle:
        handle.write("\n".join(lines) + "\n")
        for start in range(0, total, width):
            row = (figure(i) for i in range(start, start + width))
            handle.write(" ".join('".."' if v is None else str(v) for v in row) + "\n")
        handle.write(";\n")
    return total


RUN_SERVICENET = """
import resource, sys, time
from servicenet_vocab.cli import main
start, cpu = time.perf_counter(), time.process_time()
code = main(["convert", "pxweb", sys.argv[1], "--municipality", "091", "-o", sys.argv[2]])
print(code, time.perf_counter() - start, time.process_time() - cpu,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""

RUN_PANDAS = """
import json, resource, sys, time
import pandas as pd
start, cpu = time.perf_counter(), time.process_time()
source, target, mode = sys.argv[1], sys.argv[2], sys.argv[3]
if source.endswith(".json"):
    doc = json.load(open(source, encoding="utf-8"))
    codes = [list(doc["dimension"][d]["category"]["index"]) for d in doc["id"]]
    values = doc["value"]
else:
    text = open(source, encoding="iso-8859-15").read()
    head, data = text.split("DATA=", 1)
    codes = []
    for name in ("Alue", "Ikä", "Vuosi", "Tiedot"):
        line = head.split(f'CODES("{name}")=', 1)[1].split(";", 1)[0]
        codes.append([c.strip('"') for c in line.split(",")])
    values = [None if t == '".."' else int(t) for t in data.replace(";", " ").split()]
index = pd.MultiIndex.from_product(codes, names=["Alue", "Ikä", "Vuosi", "Tiedot"])
frame = pd.DataFrame({"value": values}, index=index).reset_index()  # the long ("melted") table
frame = frame.dropna(subset=["value"])
base = "https://w3id.org/servicenet/data/"
if mode == "text":
    with open(target, "w", encoding="utf-8") as out:
        out.write("@prefix sn: <https://w3id.org/servicenet/ontology#> .\\n")
        for area, age, year, _, value in frame.itertuples(index=False):
            band = "100-" if age == "100-" else str(int(age))
            out.write(
                f"<{base}population/{year}-12-31/{area}/{band}> a sn:PopulationObservation ;\\n"
                f"    sn:area <{base}area/{area}> ;\\n"
                f'    sn:referenceDate "{year}-12-31"^^<http://www.w3.org/2001/XMLSchema#date> ;\\n'
                f"    sn:ageGroup <https://w3id.org/servicenet/code/age-group/{band}> ;\\n"
                f"    sn:population {int(value)} .\\n"
            )
else:
    import rdflib
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF, XSD
    sn = rdflib.Namespace("https://w3id.org/servicenet/ontology#")
    g = rdflib.Graph()
    for area, age, year, _, value in frame.itertuples(index=False):
        band = "100-" if age == "100-" else str(int(age))
        obs = URIRef(f"{base}population/{year}-12-31/{area}/{band}")
        g.add((obs, RDF.type, sn.PopulationObservation))
        g.add((obs, sn.area, URIRef(f"{base}area/{area}")))
        g.add((obs, sn.referenceDate, Literal(f"{year}-12-31", datatype=XSD.date)))
        g.add((obs, sn.ageGroup, URIRef(f"https://w3id.org/servicenet/code/age-group/{band}")))
        g.add((obs, sn.population, Literal(int(value))))
    g.serialize(target, format="turtle")
print(0, time.perf_counter() - start, time.process_time() - cpu,
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run(script: str, *args: str) -> tuple[float, float, int]:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT / 'api'}"}
    done = subprocess.run(
        [sys.executable, "-c", script, *args], capture_output=True, text=True, env=env, check=False
    )
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    parts = last.split()
    if done.returncode != 0 or len(parts) != 4 or parts[0] != "0":
        raise SystemExit(f"run failed: {done.stderr[-2000:]}\n{done.stdout[-500:]}")
    return float(parts[1]), float(parts[2]), int(parts[3]) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", type=int, default=1_000_000)
    parser.add_argument("--rdflib-cells", type=int, default=100_000)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}, python {sys.version.split()[0]}")
    print(
        f"{'format':10} {'engine':10} {'cells':>9} {'wall s':>7} {'cells/s':>9} {'cpu s':>7} {'peak MB':>8}"
    )
    with tempfile.TemporaryDirectory(prefix="bench-pxweb-") as scratch:
        directory = Path(scratch)
        for fmt, writer in (("json-stat2", write_json_stat2), ("px", write_px)):
            for engine, cells in (
                ("servicenet", args.cells),
                ("pandas", args.cells),
                ("rdflib", args.rdflib_cells),
            ):
                source = directory / f"table-{cells}.{'json' if fmt == 'json-stat2' else 'px'}"
                if not source.exists():
                    total = writer(source, dimensions(cells))
                else:
                    total = 1
                    for codes in dimensions(cells).values():
                        total *= len(codes)
                out = directory / "out.ttl"
                if engine == "servicenet":
                    wall, cpu, peak = run(RUN_SERVICENET, str(source), str(out))
                else:
                    mode = "text" if engine == "pandas" else "rdflib"
                    wall, cpu, peak = run(RUN_PANDAS, str(source), str(out), mode)
                print(
                    f"{fmt:10} {engine:10} {total:9d} {wall:7.1f} {total / wall:9.0f} "
                    f"{cpu:7.1f} {peak:8d}",
                    flush=True,
                )
    print(f"load average {os.getloadavg()[0]:.2f}; peak RSS is ru_maxrss of each run")


if __name__ == "__main__":
    main()
