"""``migrate``: bring a city's dataset to a newer vocabulary version with the shipped updates."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from servicenet_vocab.errors import InputError
from servicenet_vocab.steward.migrate import migrate, summary


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "migrate",
        help="migrate datasets to a newer vocabulary version (the SPARQL Updates it ships)",
        description="Apply ontology/migrations/<from>-to-<to>/*.ru in order to each FILE and write "
        "Turtle: to --output (one input), into --output-dir, or over the input with --in-place. "
        "A summary of each step goes to stderr. Validate the result with `servicenet validate`.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--to", required=True, metavar="VERSION", help="target version, e.g. 1.0")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", type=Path, help="output file (one input only)")
    where.add_argument("--output-dir", type=Path, help="directory for the migrated files")
    where.add_argument("--in-place", action="store_true", help="overwrite each input")
    parser.set_defaults(handler=run_migrate)


def run_migrate(args: argparse.Namespace) -> int:
    if args.output and len(args.files) != 1:
        raise InputError("--output takes one input file; use --output-dir for several")
    results = [(path, migrate(path, to=args.to)) for path in args.files]
    for path, result in results:  # every input migrated before anything is written
        sys.stderr.write(f"{path}: {summary(result)}")
        body = result.turtle()
        if args.in_place:
            path.write_bytes(body)
        elif args.output:
            args.output.write_bytes(body)
        elif args.output_dir:
            args.output_dir.mkdir(parents=True, exist_ok=True)
            (args.output_dir / path.name).write_bytes(body)
        else:
            sys.stdout.buffer.write(body)
    return 0
