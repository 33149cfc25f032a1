"""``validate``: check RDF files against SHACL shapes and print a report.

Exit codes: 0 conforms (results below ``--fail-on`` allowed), 1 does not conform, 2 usage or input
error (a syntax error names file, line and column).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from servicenet_vocab.validation import Severity, ValidationReport, validate
from servicenet_vocab.validation import formats as report_formats

FORMATS = ("text", "json", "turtle", "junit", "github")
FAIL_ON = {"violation": Severity.VIOLATION, "warning": Severity.WARNING, "info": Severity.INFO}


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="validate RDF files against SHACL shapes (default: the project's shapes/)",
        description="Validate RDF data against SHACL shapes, with the project's ontology and code "
        "lists as context. With --shapes it works as a general SHACL validator.",
    )
    parser.add_argument("data", nargs="+", type=Path, metavar="DATA", help="RDF files to check")
    parser.add_argument(
        "--shapes",
        action="append",
        type=Path,
        metavar="PATH",
        help="a SHACL shapes file (repeatable; default: shapes/*.ttl of the project)",
    )
    parser.add_argument(
        "--context",
        action="append",
        type=Path,
        metavar="PATH",
        help="background RDF (ontology, code lists) read but not validated "
        "(repeatable; default: the project's ontology/)",
    )
    parser.add_argument("--lang", choices=("fi", "sv", "en"), default="en", help="message language")
    parser.add_argument("--format", choices=FORMATS, default="text", help="report format")
    parser.add_argument(
        "--junit",
        type=Path,
        metavar="FILE",
        help="also write the report as JUnit XML to FILE (for CI test reports)",
    )
    parser.add_argument(
        "--fail-on",
        choices=tuple(FAIL_ON),
        default="violation",
        help="the least severe result that makes the exit code 1 (default: violation)",
    )
    parser.add_argument(
        "--engine",
        choices=("auto", "sparql", "pyshacl"),
        default="auto",
        help="auto: the SPARQL engine, pyshacl for constructs it does not cover",
    )
    parser.set_defaults(handler=run_validate)


def run_validate(args: argparse.Namespace) -> int:
    report = validate(
        args.data,
        shapes=args.shapes,
        lang=args.lang,
        context=args.context,
        engine=args.engine,
    )
    sys.stdout.write(render(report, args.format))
    sys.stdout.flush()
    if args.junit:
        args.junit.parent.mkdir(parents=True, exist_ok=True)
        args.junit.write_text(report_formats.junit(report), "utf-8")
    return 1 if report.fails(FAIL_ON[args.fail_on]) else 0


def render(report: ValidationReport, fmt: str) -> str:
    if fmt == "json":
        return report.to_json() + "\n"
    if fmt == "turtle":
        return report_formats.turtle(report)
    if fmt == "junit":
        return report_formats.junit(report)
    if fmt == "github":
        return report_formats.github(report)
    return report_formats.text(report)
