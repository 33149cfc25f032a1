"""Areas: ``servicenet convert areas`` against the obvious geopandas way, on generated polygons.

10,000 polygons (32 vertices each, on a grid over Helsinki) in ETRS-GK25 (EPSG:3879), written as a
GeoPackage and as GeoJSON. Each run is a fresh process whose peak RSS is read with getrusage:

- ``servicenet``: ``servicenet convert areas FILE --option level=sub-district`` (Arrow batches,
  vectorised validity check, transform and WKT, Turtle text written as it goes);
- ``geopandas``: ``geopandas.read_file``, ``to_crs(4326)``, a loop over the rows adding the same
  triples to an rdflib graph, ``serialize`` as Turtle.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/bench_areas.py [--features 10000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import shapely
from pyogrio.raw import write

OURS = """
import resource, sys
from servicenet_vocab.cli import main
code = main(["convert", "areas", sys.argv[1], "--option", "level=sub-district",
             "--municipality", "091", "-o", sys.argv[2]])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, code)
"""

GEOPANDAS = """
import resource, sys
import geopandas, rdflib
from rdflib import RDF, RDFS, Literal, Namespace, URIRef, BNode
SN = Namespace("https://w3id.org/servicenet/ontology#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
frame = geopandas.read_file(sys.argv[1]).to_crs(4326)
graph = rdflib.Graph()
level = URIRef("https://w3id.org/servicenet/code/area-level/sub-district")
city = URIRef("https://w3id.org/servicenet/code/municipality/091")
for row in frame.itertuples():
    node = URIRef("https://w3id.org/servicenet/data/area/" + row.tunnus)
    graph.add((node, RDF.type, SN.SubDistrict))
    graph.add((node, RDF.type, SN.PlanningArea))
    graph.add((node, SN.areaLevel, level))
    graph.add((node, SN.areaCode, Literal(row.tunnus)))
    graph.add((node, RDFS.label, Literal(row.nimi_fi, lang="fi")))
    graph.add((node, RDFS.label, Literal(row.nimi_se, lang="sv")))
    graph.add((node, SN.partOfArea, city))
    shape = BNode()
    graph.add((node, GEO.hasGeometry, shape))
    graph.add((shape, RDF.type, GEO.Geometry))
    graph.add((shape, GEO.asWKT, Literal(row.geometry.wkt, datatype=GEO.wktLiteral)))
graph.serialize(sys.argv[2], format="turtle")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, 0)
"""


def generate(count: int, directory: Path) -> list[Path]:
    side = int(np.ceil(np.sqrt(count)))
    index = np.arange(count)
    x = 25_490_000 + (index % side) * 200.0
    y = 6_670_000 + (index // side) * 200.0
    polygons = shapely.buffer(shapely.points(x, y), 90, quad_segs=8)  # 32 vertices
    fields = [
        np.array([f"S{i:05d}" for i in index], dtype=object),
        np.array([f"Alue {i}" for i in index], dtype=object),
        np.array([f"Område {i}" for i in index], dtype=object),
    ]
    paths = []
    for name, driver in (("areas.gpkg", "GPKG"), ("areas.geojson", "GeoJSON")):
        path = directory / name
        write(
            path,
            shapely.to_wkb(polygons),
            fields,
            ["tunnus", "nimi_fi", "nimi_se"],
            driver=driver,
            geometry_type="Polygon",
            crs="EPSG:3879",
        )
        paths.append(path)
    return paths


def run(script: str, source: Path, target: Path) -> tuple[float, float]:
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script, str(source), str(target)],
        check=True,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    peak_kib, code = done.stdout.split()[-2:]
    if code != "0":
        raise SystemExit(f"failed: {done.stderr}")
    return seconds, int(peak_kib) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--features", type=int, default=10_000)
    count = parser.parse_args().features
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        for path in generate(count, Path(scratch)):
            for name, script in (("servicenet", OURS), ("geopandas + rdflib", GEOPANDAS)):
                seconds, peak = run(script, path, Path(scratch) / f"{name[:3]}.ttl")
                results.append(
                    {
                        "file": path.suffix[1:],
                        "way": name,
                        "seconds": round(seconds, 2),
                        "features_per_s": round(count / seconds),
                        "peak_mb": round(peak),
                    }
                )
                print(json.dumps(results[-1]), flush=True)


if __name__ == "__main__":
    main()
