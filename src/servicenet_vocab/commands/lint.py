"""``lint``: every vocabulary QC check, with severities from the profile."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from servicenet_vocab.quality import lint
from servicenet_vocab.quality.report import FORMATS, render


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "lint",
        help="check the vocabulary: QC queries, SKOS quality, fi/sv/en coverage, shapes",
        description="Run every QC check over ontology/, shapes/ and examples/valid/. Each finding "
        "names its check, severity, term and the file and line where the term is defined. "
        "Exit 1 when any finding is an error.",
    )
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="FILE",
        help="severity profile (default: ontology/qc/severity-profile.yaml)",
    )
    parser.add_argument(
        "--root", type=Path, metavar="DIR", help="vocabulary tree to lint (default: the project)"
    )
    parser.set_defaults(handler=run_lint)


def run_lint(args: argparse.Namespace) -> int:
    report = lint(args.root, profile=args.profile)
    sys.stdout.write(render(report, args.format))
    return 0 if report.ok else 1
