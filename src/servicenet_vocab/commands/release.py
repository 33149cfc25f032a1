"""``release``: build releases/<version>/ from the sources, stamping the version."""

from __future__ import annotations

import argparse
from pathlib import Path

from servicenet_vocab.steward.release import release


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "release",
        help="write releases/<VERSION>/: stamped ontology, code lists, shapes, context, changelog",
        description="Stamp owl:versionIRI and owl:versionInfo into the output (never the sources), "
        "write Turtle, N-Triples, JSON-LD and RDF/XML, the shapes, the JSON-LD context and a "
        "changelog from `diff` against the previous release. Refused (exit 1) when VERSION is not "
        "semver or not above the previous release, when lint has errors, or when a breaking "
        "change comes without a major version bump.",
    )
    parser.add_argument("version", metavar="VERSION", help="semantic version, e.g. 1.0.0")
    parser.add_argument("--out", type=Path, help="releases directory (default: releases/)")
    parser.add_argument("--root", type=Path, help="vocabulary tree (default: the project)")
    parser.set_defaults(handler=run_release)


def run_release(args: argparse.Namespace) -> int:
    result = release(args.version, root=args.root, out=args.out)
    since = f" (changes since {result.previous} in CHANGELOG.md)" if result.previous else ""
    print(f"released {result.version} into {result.directory}: {len(result.files)} files{since}")
    return 0
