"""Provenance of published city data, kept as DCAT/PROV in the system graph.

Each municipality graph is described once as a ``dcat:Dataset`` whose ``dct:modified``,
``void:triples`` and ``prov:wasGeneratedBy`` follow the latest accepted write; every accepted write
adds a ``prov:Activity``::

    <.../dataset/municipality/091> a dcat:Dataset ; sn:namedGraph <.../graph/municipality/091> ;
        dct:spatial <.../code/municipality/091> ; dct:modified "..."^^xsd:dateTime ;
        void:triples 1234 ; prov:wasGeneratedBy <.../activity/UUID> .
    <.../activity/UUID> a prov:Activity ; snp:method "PUT" ; snp:graph <.../graph/municipality/091> ;
        prov:wasAssociatedWith <.../agent/hki-ci> ; prov:startedAtTime ... ; prov:endedAtTime ... ;
        prov:generated <.../dataset/municipality/091> ; snp:uploadedTriples 1234 ;
        snp:triplesAfter 1234 ; snp:conforms true ; snp:warnings 2 ; snp:infos 0 .

``record_update`` returns SPARQL update operations that the publisher sends in the same request as
the data, so data and its record commit in one transaction. The ``snp:`` terms (publishing
bookkeeping, not part of the domain ontology) are listed in docs/publishing.md.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

import pyoxigraph as ox

from servicenet_vocab.namespaces import (
    BASE,
    CODE,
    DCAT,
    DCT,
    PROV,
    RDFS,
    SN,
    SYSTEM_GRAPH,
    VOID,
    XSD,
    municipality_of_graph,
)
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.protocol import Store

__all__ = [
    "SNP",
    "DatasetInfo",
    "WriteRecord",
    "dataset_iri",
    "datasets",
    "datasets_graph",
    "record_update",
]

SNP = BASE + "publishing#"
ACTIVITY_BASE = BASE + "activity/"
AGENT_BASE = BASE + "agent/"

_PREFIXES = (
    f"PREFIX dcat: <{DCAT}>\nPREFIX dct: <{DCT}>\nPREFIX prov: <{PROV}>\nPREFIX void: <{VOID}>\n"
    f"PREFIX sn: <{SN}>\nPREFIX snp: <{SNP}>\nPREFIX xsd: <{XSD}>\nPREFIX rdfs: <{RDFS}>\n"
)


@dataclass(frozen=True)
class WriteRecord:
    """One accepted write, as the publisher knows it when it commits."""

    graph: str
    method: str  # PUT, POST or DELETE
    agent: str  # the token name
    started: datetime
    ended: datetime
    uploaded: int
    triples_after: int
    conforms: bool = True
    warnings: int = 0
    infos: int = 0


@dataclass(frozen=True)
class DatasetInfo:
    """A municipality graph and what the system graph says about it (None when never published)."""

    graph: str
    municipality: str
    triples: int
    dataset: str
    modified: str | None = None
    last_activity: str | None = None
    last_method: str | None = None
    last_agent: str | None = None
    conforms: bool | None = None
    warnings: int | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "graph": self.graph,
            "municipality": self.municipality,
            "dataset": self.dataset,
            "triples": self.triples,
            "modified": self.modified,
            "last_activity": self.last_activity,
            "last_method": self.last_method,
            "last_agent": self.last_agent,
            "conforms": self.conforms,
            "warnings": self.warnings,
        }


def dataset_iri(graph: str) -> str:
    code = municipality_of_graph(graph)
    if code is None:
        raise ValueError(f"not a municipality graph: {graph}")
    return f"{BASE}dataset/municipality/{code}"


def new_activity_iri() -> str:
    return ACTIVITY_BASE + uuid.uuid4().hex


def agent_iri(name: str) -> str:
    return AGENT_BASE + quote(name, safe="")


def record_update(record: WriteRecord, activity: str, data_operations: str = "") -> str:
    """One SPARQL update request: ``data_operations`` (full IRIs, each ending in ``;``), then
    the operations recording ``record`` as ``activity`` in the system graph."""
    dataset = dataset_iri(record.graph)
    code = municipality_of_graph(record.graph)
    system = f"<{SYSTEM_GRAPH}>"
    drop_current = "".join(
        f"DELETE WHERE {{ GRAPH {system} {{ <{dataset}> {prop} ?old }} }} ;\n"
        for prop in ("dct:modified", "void:triples", "prov:wasGeneratedBy")
    )
    ended = _datetime(record.ended)
    activity_triples = (
        f"<{activity}> a prov:Activity ; snp:method {_string(record.method)} ;\n"
        f"  snp:graph <{record.graph}> ; prov:wasAssociatedWith <{agent_iri(record.agent)}> ;\n"
        f"  prov:startedAtTime {_datetime(record.started)} ; prov:endedAtTime {ended} ;\n"
        f"  snp:uploadedTriples {record.uploaded} ; snp:triplesAfter {record.triples_after} ;\n"
        f"  snp:conforms {'true' if record.conforms else 'false'} ;\n"
        f"  snp:warnings {record.warnings} ; snp:infos {record.infos} ;\n"
        f"  {'prov:invalidated' if record.method == 'DELETE' else 'prov:generated'} <{dataset}> .\n"
        f"<{agent_iri(record.agent)}> a prov:Agent ; rdfs:label {_string(record.agent)} .\n"
    )
    if record.method == "DELETE":
        described = ""
        drop_current = f"DELETE WHERE {{ GRAPH {system} {{ <{dataset}> ?p ?o }} }} ;\n"
    else:
        described = (
            f"<{dataset}> a dcat:Dataset ; sn:namedGraph <{record.graph}> ;\n"
            f'  dct:title "Kunnan {code} palveluverkkoaineisto"@fi ,\n'
            f'    "Kommunens {code} servicenätsdata"@sv ,\n'
            f'    "Service-network dataset of municipality {code}"@en ;\n'
            f"  dct:spatial <{CODE}municipality/{code}> ;\n"
            f"  dct:modified {ended} ; void:triples {record.triples_after} ;\n"
            f"  prov:wasGeneratedBy <{activity}> .\n"
        )
    return (
        f"{_PREFIXES}{data_operations}{drop_current}"
        f"INSERT DATA {{ GRAPH {system} {{\n{activity_triples}{described}}} }}"
    )


_DATASETS = (
    _PREFIXES
    + """SELECT ?graph ?dataset ?modified ?activity ?method ?agent ?conforms ?warnings WHERE {
  GRAPH <SYSTEM> {
    ?dataset a dcat:Dataset ; sn:namedGraph ?graph .
    OPTIONAL { ?dataset dct:modified ?modified }
    OPTIONAL {
      ?dataset prov:wasGeneratedBy ?activity .
      OPTIONAL { ?activity snp:method ?method }
      OPTIONAL { ?activity prov:wasAssociatedWith/rdfs:label ?agent }
      OPTIONAL { ?activity snp:conforms ?conforms }
      OPTIONAL { ?activity snp:warnings ?warnings }
    }
  }
}""".replace("SYSTEM", SYSTEM_GRAPH)
)


def datasets(store: Store) -> list[DatasetInfo]:
    """Every municipality graph in the store, with its provenance where it has any."""
    recorded = {row["graph"]: row for row in store.query(_DATASETS).rows()}
    found = []
    for info in store.graphs():
        code = municipality_of_graph(info.iri)
        if code is None:
            continue
        row = recorded.get(info.iri, {})
        conforms = row.get("conforms")
        warnings = row.get("warnings")
        found.append(
            DatasetInfo(
                graph=info.iri,
                municipality=code,
                triples=info.triples,
                dataset=row.get("dataset") or dataset_iri(info.iri),
                modified=row.get("modified"),
                last_activity=row.get("activity"),
                last_method=row.get("method"),
                last_agent=row.get("agent"),
                conforms=None if conforms is None else conforms == "true",
                warnings=None if warnings is None else int(warnings),
            )
        )
    return found


_DESCRIPTIONS = (
    _PREFIXES
    + """CONSTRUCT { ?dataset ?p ?o . ?activity ?ap ?ao . ?agent rdfs:label ?name . }
WHERE { GRAPH <SYSTEM> {
  ?dataset a dcat:Dataset ; ?p ?o .
  OPTIONAL { ?dataset prov:wasGeneratedBy ?activity . ?activity ?ap ?ao .
    OPTIONAL { ?activity prov:wasAssociatedWith ?agent . ?agent rdfs:label ?name } }
} }""".replace("SYSTEM", SYSTEM_GRAPH)
)


def datasets_graph(store: Store, fmt: RdfFormat) -> bytes:
    """The dataset descriptions and their latest activities, serialised (e.g. JSON-LD)."""
    return store.query(_DESCRIPTIONS).serialize(fmt)


def _datetime(moment: datetime) -> str:
    return f'"{moment.isoformat()}"^^xsd:dateTime'


def _string(text: str) -> str:
    return str(ox.Literal(text))
