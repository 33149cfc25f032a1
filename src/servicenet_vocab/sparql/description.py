"""SPARQL 1.1 Service Description of the endpoint, with a VoID description of its dataset.

    <endpoint> a sd:Service ; sd:endpoint <endpoint> ; sd:supportedLanguage sd:SPARQL11Query ;
        sd:resultFormat ... ; sd:feature sd:UnionDefaultGraph ;
        sd:defaultDataset [ a sd:Dataset, void:Dataset ; void:triples N ;
            sd:defaultGraph [ a sd:Graph ; void:triples N ] ;
            sd:namedGraph [ a sd:NamedGraph ; sd:name <g> ; sd:graph [ a sd:Graph, void:Dataset ;
                void:triples n ] ] ; void:subset ... ] .

See https://www.w3.org/TR/sparql11-service-description/ and https://www.w3.org/TR/void/.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from servicenet_vocab.formats import FORMATS, RdfFormat
from servicenet_vocab.rdfio import serialize
from servicenet_vocab.store.protocol import GraphInfo

__all__ = ["describe_service", "service_description"]

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(SD + name)


def _void(name: str) -> ox.NamedNode:
    return ox.NamedNode(VOID + name)


def _count(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=XSD_INTEGER)


def describe_service(
    endpoint: str, graphs: Sequence[GraphInfo], *, federated: bool = False
) -> list[ox.Triple]:
    """The description as triples; ``federated`` when an allow-list makes SERVICE usable."""
    service = ox.NamedNode(endpoint)
    dataset, default_graph = ox.BlankNode("dataset"), ox.BlankNode("default")
    total = sum(info.triples for info in graphs)
    triples = [
        ox.Triple(service, RDF_TYPE, _sd("Service")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, RDF_TYPE, _sd("Dataset")),
        ox.Triple(dataset, RDF_TYPE, _void("Dataset")),
        ox.Triple(
            dataset, ox.NamedNode(DCT + "title"), ox.Literal("servicenet-vocab", language="en")
        ),
        ox.Triple(dataset, _void("sparqlEndpoint"), service),
        ox.Triple(dataset, _void("triples"), _count(total)),
        ox.Triple(dataset, _sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, RDF_TYPE, _sd("Graph")),
        ox.Triple(default_graph, _void("triples"), _count(total)),
    ]
    # Every format of the table: results for SELECT and ASK, RDF for CONSTRUCT and DESCRIBE.
    triples += [ox.Triple(service, _sd("resultFormat"), ox.NamedNode(row.iri)) for row in FORMATS]
    if federated:
        triples.append(ox.Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
    for index, info in enumerate(graphs):
        named, graph = ox.BlankNode(f"named{index}"), ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, RDF_TYPE, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(info.iri)),
            ox.Triple(named, _sd("graph"), graph),
            ox.Triple(graph, RDF_TYPE, _sd("Graph")),
            ox.Triple(graph, RDF_TYPE, _void("Dataset")),
            ox.Triple(graph, _void("triples"), _count(info.triples)),
            ox.Triple(dataset, _void("subset"), graph),
        ]
    return triples


def service_description(
    endpoint: str, graphs: Sequence[GraphInfo], fmt: RdfFormat, *, federated: bool = False
) -> bytes:
    """The description serialised in ``fmt`` (quads formats put it in the default graph)."""
    return serialize(describe_service(endpoint, graphs, federated=federated), fmt)
