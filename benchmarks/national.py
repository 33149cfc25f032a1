"""A national dataset: every one of the 308 municipalities of the code list, each graph built from
one of the example cities (examples/valid/*.ttl) by moving it to that municipality and repeating it.

A copy keeps the example's shape exactly (its units, premises, capacity and enrolment
observations, areas, forecasts, surveys, offers, dataset records); only its own IRIs change:
the example's base (``https://data.hel.fi/servicenet/``) becomes one per municipality and copy,
the example's municipality code becomes the target's, and blank nodes are fresh per copy. So the
named queries and the shapes mean on it what they mean on the examples.

    from national import national, city_upload
    quads = national(5_000_000)          # N-Quads bytes, the vocabulary graphs included
    upload = city_upload("837", 50_000)   # N-Triples bytes: one city's graph of ~50k triples
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from servicenet_vocab.namespaces import municipality_graph
from servicenet_vocab.store.embedded import open_store
from servicenet_vocab.vocabulary import files as vocabulary

ROOT = Path(__file__).resolve().parents[1]
CODE = "https://w3id.org/servicenet/code/municipality/"
SKOS_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"
_BASE = re.compile(r"<(https?://[^/>]+/servicenet/)")
_BLANK = re.compile(r"_:([A-Za-z0-9]+)")


@dataclass(frozen=True)
class Template:
    code: str  # the example's municipality
    base: str  # the example's own IRIs start with this
    ntriples: str
    triples: int


@cache
def templates() -> tuple[Template, ...]:
    found = []
    for path in sorted((ROOT / "examples" / "valid").glob("*-[0-9][0-9][0-9].ttl")):
        code = path.stem.rsplit("-", 1)[1]
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        text = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES)
        assert isinstance(text, bytes)
        ntriples = text.decode()
        bases = {b for b in _BASE.findall(ntriples) if "w3id.org" not in b}
        assert len(bases) == 1, f"{path.name}: one base expected, found {bases}"
        found.append(Template(code, bases.pop(), ntriples, len(quads)))
    return tuple(found)


@cache
def municipalities() -> tuple[str, ...]:
    """The 308 codes of ontology/codelists/municipality.ttl, in order."""
    graph = ox.parse(path=str(ROOT / "ontology" / "codelists" / "municipality.ttl"))
    codes = {
        q.object.value
        for q in graph
        if q.predicate.value == SKOS_NOTATION and q.subject.value.startswith(CODE)
    }
    return tuple(sorted(codes))


def copy(template: Template, code: str, index: int) -> str:
    """One copy of ``template`` moved to municipality ``code``: its own IRIs, blank nodes."""
    text = template.ntriples.replace(template.base, f"https://data.example.fi/{code}/{index}/")
    text = text.replace(f"{CODE}{template.code}>", f"{CODE}{code}>")
    text = text.replace(f"{municipality_graph(template.code)}>", f"{municipality_graph(code)}>")
    # the code too: copies of one template in two cities must not share a blank node
    return _BLANK.sub(lambda m: f"_:m{code}c{index}x{m.group(1)}", text)


def city(code: str, triples: int, template: Template | None = None) -> str:
    """Municipality ``code``'s graph of about ``triples`` triples, as N-Triples."""
    chosen = template or templates()[municipalities().index(code) % len(templates())]
    copies = max(1, round(triples / chosen.triples))
    return "".join(copy(chosen, code, index) for index in range(copies))


def city_upload(code: str, triples: int) -> bytes:
    """What one city uploads: its graph of about ``triples`` triples (the largest example's shape)."""
    largest = max(templates(), key=lambda t: t.triples)
    return city(code, triples, largest).encode()


def vocabulary_nquads() -> bytes:
    store = open_store("memory")
    vocabulary.load_vocabulary(store)
    data = store.dump(vocabulary.rdfio.RdfFormat.NQUADS)
    store.close()
    return data


def national(triples: int, cities: int | None = None) -> bytes:
    """The vocabulary graphs and all municipalities' graphs (or the first ``cities``),
    ``triples`` in all (about; at least one copy of an example per municipality)."""
    codes = municipalities()[:cities] if cities else municipalities()
    per_city = triples / len(codes)
    parts = [vocabulary_nquads()]
    for code in codes:
        graph = f" <{municipality_graph(code)}> .\n"
        body = city(code, round(per_city))
        parts.append(body.replace(" .\n", graph).encode())
    return b"".join(parts)


if __name__ == "__main__":
    import sys

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000
    sys.stdout.buffer.write(national(size))
