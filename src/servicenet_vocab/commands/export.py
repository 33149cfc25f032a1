"""``export``: the vocabulary in the Interoperability Platform's import forms.

servicenet export koodistot -o DIR          a code-list workbook (.xlsx) per SKOS code list
servicenet export core-vocabulary -o DIR    the OWL 2 EL core and its application profile
servicenet export terminology -o DIR        the classes and properties as a SKOS terminology
servicenet export json-schema -o DIR        JSON Schema and OpenAPI of the JSON exchange (--examples)
servicenet export cpsv-ap FILE... -o DIR    city datasets as CPSV-AP 3.2.0 public services
"""

from __future__ import annotations

import argparse
from pathlib import Path

import rdflib

from servicenet_vocab import namespaces as ns
from servicenet_vocab.quality.sources import parse_file, to_graph
from servicenet_vocab.quality.vocab import short
from servicenet_vocab.steward import cpsv_ap, koodistot, profiles, terminology
from servicenet_vocab.vocabulary.files import project_root, vocabulary_files


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write the vocabulary for the Interoperability Platform (code lists, core "
        "vocabulary, terminology)",
        description="Write the code lists as koodistot.suomi.fi import workbooks, the OWL 2 EL "
        "core vocabulary with its application profile, or a SKOS terminology of the terms.",
    )
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-o", "--out", type=Path, required=True, help="output directory")
    common.add_argument(
        "--vocabulary",
        type=Path,
        metavar="PATH",
        help="vocabulary tree to read (default: $SERVICENET_VOCAB_DIR, else the project)",
    )
    codes = kinds.add_parser(
        "koodistot",
        parents=[common],
        help="a code-list service import workbook (sheets CodeSchemes, Codes) per code list",
    )
    codes.add_argument(
        "--scheme",
        action="append",
        default=[],
        metavar="NAME",
        help="only this code list (the scheme IRI's last segment, e.g. age-group); repeatable",
    )
    codes.add_argument(
        "--information-domain",
        metavar="CODE",
        help="INFORMATIONDOMAIN of the schemes (a code of the service's information domains)",
    )
    codes.set_defaults(handler=run_koodistot)
    core = kinds.add_parser(
        "core-vocabulary",
        parents=[common],
        help="the OWL 2 EL core vocabulary, the application profile (SHACL) and the list of "
        "axioms moved out of the core",
    )
    core.set_defaults(handler=run_core_vocabulary)
    terms = kinds.add_parser(
        "terminology",
        parents=[common],
        help="the ontology's classes and properties as skos:Concepts of one scheme (fi/sv/en)",
    )
    terms.set_defaults(handler=run_terminology)
    services = kinds.add_parser(
        "cpsv-ap",
        parents=[common],
        help="city datasets' offerings and units as CPSV-AP 3.2.0 public services, channels, "
        "contact points and opening hours (cpsv-ap.ttl)",
    )
    services.add_argument(
        "data", nargs="+", type=Path, metavar="FILE", help="city dataset file(s), read together"
    )
    services.set_defaults(handler=run_cpsv_ap)
    schema = kinds.add_parser(
        "json-schema",
        parents=[common],
        help="JSON Schema (2020-12) and OpenAPI 3.1 of the dataset document, from the shapes",
    )
    schema.add_argument(
        "--examples",
        action="store_true",
        help="also write each examples/valid/*.ttl as the dataset document (examples/NAME.json)",
    )
    schema.set_defaults(handler=run_json_schema)


def _graph(graph_name: str) -> rdflib.Graph:
    files = [
        f.path for f in vocabulary_files(project_root(), shapes=False) if f.graph == graph_name
    ]
    return to_graph([quad for path in files for quad in parse_file(path)])


def run_koodistot(args: argparse.Namespace) -> int:
    graph = _graph(ns.CODELISTS_GRAPH)
    exports = koodistot.export_schemes(graph, args.scheme)
    for export in exports:
        path = args.out / f"{export.scheme.code_value}.xlsx"
        _, codes = koodistot.write_workbook(
            export, path, information_domain=args.information_domain
        )
        print(f"wrote {path}: 1 code scheme, {codes} codes")
        for warning in export.warnings:
            print(f"  note: {warning}")
        if export.not_carried:
            counts = ", ".join(f"{name} ({n})" for name, n in sorted(export.not_carried.items()))
            print(f"  not carried (no column for them): {counts}")
    print(f"{len(exports)} workbooks in {args.out}")
    return 0


def run_core_vocabulary(args: argparse.Namespace) -> int:
    split = profiles.split_core(_graph(ns.ONTOLOGY_GRAPH))
    args.out.mkdir(parents=True, exist_ok=True)
    core, shapes = args.out / "core-vocabulary.ttl", args.out / "application-profile.ttl"
    outside, listing = args.out / "outside-el.ttl", args.out / "application-profile.md"
    split.core.serialize(core, format="turtle")
    split.shapes.serialize(shapes, format="turtle")
    split.outside.serialize(outside, format="turtle")
    listing.write_text(_listing(split), encoding="utf-8")
    remaining = profiles.el_violations(split.core)
    print(f"wrote {core}: {len(split.core)} triples, {len(remaining)} axioms outside OWL 2 EL")
    print(f"wrote {shapes}: {len(split.restated)} SHACL shapes restating moved axioms")
    print(f"wrote {outside}: the {len(split.violations)} axioms moved out of the core")
    print(f"wrote {listing}: each moved axiom with its reason")
    return 0


def _listing(split: profiles.Split) -> str:
    lines = [
        "# Application profile: what the OWL 2 EL core vocabulary does not state",
        "",
        "Generated by `servicenet export core-vocabulary`. Each axiom of the ontology outside",
        "OWL 2 EL was moved out of `core-vocabulary.ttl` (its triples are in `outside-el.ttl`);",
        "where SHACL can state it, `application-profile.ttl` has the shape.",
        "",
        "| subject | construct | reason | SHACL shape |",
        "|---|---|---|---|",
    ]
    for violation in split.violations:
        shape = split.restated.get(violation)
        lines.append(
            f"| `{short(str(violation.subject))}` | {violation.construct} | {violation.reason} | "
            + (f"`{short(str(shape))}`" if shape else "none (listed only)")
            + " |"
        )
    return "\n".join(lines) + "\n"


def run_terminology(args: argparse.Namespace) -> int:
    result = terminology.terminology(_graph(ns.ONTOLOGY_GRAPH))
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "terminology.ttl"
    result.graph.serialize(path, format="turtle")
    print(f"wrote {path}: 1 concept scheme, {result.concepts} concepts")
    for language, terms in result.missing.items():
        print(
            f"  note: {len(terms)} without a {language} label or definition: {', '.join(terms[:5])}"
        )
    return 0


def run_json_schema(args: argparse.Namespace) -> int:
    import json

    from servicenet_vocab import rdfio
    from servicenet_vocab.vocabulary.json_schema import json_schemas, plain_json

    root = project_root()
    schemas = json_schemas(root)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in (
        ("servicenet.schema.json", schemas.schema_bytes),
        ("openapi.json", schemas.openapi_bytes),
    ):
        (args.out / name).write_bytes(data)
        print(f"wrote {args.out / name} (vocabulary {schemas.version})")
    if args.examples:
        (args.out / "examples").mkdir(exist_ok=True)
        for example in sorted((root / "examples" / "valid").glob("*.ttl")):
            document = plain_json(rdfio.parse(example), root)
            target = args.out / "examples" / f"{example.stem}.json"
            text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target}: {len(document['@graph'])} objects")
    return 0


def run_cpsv_ap(args: argparse.Namespace) -> int:
    result = cpsv_ap.export(args.data, args.vocabulary)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "cpsv-ap.ttl"
    result.graph.serialize(path, format="turtle")
    print(
        f"wrote {path}: {result.services} public services, {result.channels} channels, "
        f"{result.organisations} organisations"
    )
    for reason, offerings in sorted(result.skipped.items()):
        print(f"  not exported ({reason}): {len(offerings)}: {', '.join(offerings[:5])}")
    for what, count in sorted(result.not_carried.items()):
        print(f"  not carried: {what} ({count})")
    return 0
