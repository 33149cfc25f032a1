"""``import``: code lists from the Interoperability Platform and the OPH koodisto service as SKOS.

servicenet import koodistot FILE -o OUT.ttl       a workbook (.xlsx), or the service's .csv/.json
servicenet import oph-koodisto FILE -o OUT.ttl    the OPH koodisto service's JSON of codes
"""

from __future__ import annotations

import argparse
from pathlib import Path

import rdflib

from servicenet_vocab.steward import koodistot, oph_koodisto


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "import",
        help="read code lists from koodistot.suomi.fi or the OPH koodisto service into SKOS",
        description="Read a code list in another service's form and write it as SKOS Turtle.",
    )
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    codes = kinds.add_parser(
        "koodistot",
        help="a code-list workbook (.xlsx, sheets CodeSchemes and Codes), or the service's CSV "
        "or JSON export of codes",
    )
    codes.add_argument("input", type=Path, metavar="FILE")
    codes.add_argument("-o", "--out", type=Path, required=True, help="output Turtle file")
    codes.add_argument(
        "--scheme",
        metavar="IRI",
        help="the code scheme's IRI (needed for a CSV/JSON export whose codes do not name it)",
    )
    codes.set_defaults(handler=run_koodistot)
    oph = kinds.add_parser(
        "oph-koodisto",
        help="the OPH koodisto service's JSON of codes (e.g. a Varda code list, oppilaitosnumero)",
    )
    oph.add_argument("input", type=Path, metavar="FILE")
    oph.add_argument("-o", "--out", type=Path, required=True, help="output Turtle file")
    oph.add_argument(
        "--koodisto",
        metavar="URI",
        help="the koodisto (e.g. kunta) when the codes carry no koodiUri",
    )
    oph.add_argument(
        "--metadata",
        type=Path,
        metavar="FILE",
        help="the koodisto's own JSON (or the service's list of koodistos) for the scheme's "
        "names, description and validity",
    )
    oph.set_defaults(handler=run_oph_koodisto)


def _write(graph: rdflib.Graph, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    graph.serialize(out, format="turtle")


def run_koodistot(args: argparse.Namespace) -> int:
    schemes = koodistot.read_koodistot(args.input, scheme_iri=args.scheme)
    graph, warnings = koodistot.to_graph(schemes)
    _write(graph, args.out)
    codes = sum(len(s.codes) for s in schemes)
    print(
        f"wrote {args.out}: {len(schemes)} concept schemes, {codes} concepts, {len(graph)} triples"
    )
    for warning in warnings:
        print(f"  note: {warning}")
    return 0


def run_oph_koodisto(args: argparse.Namespace) -> int:
    result = oph_koodisto.read_oph_koodisto(
        args.input, koodisto=args.koodisto, metadata=args.metadata
    )
    _write(result.graph, args.out)
    print(
        f"wrote {args.out}: koodisto {result.koodisto}, {result.codes} concepts, "
        f"{len(result.graph)} triples"
    )
    for warning in result.warnings:
        print(f"  note: {warning}")
    return 0
