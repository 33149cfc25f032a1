"""``docs``: the static HTML reference of the vocabulary."""

from __future__ import annotations

import argparse
from pathlib import Path

from servicenet_vocab.steward.docs_site import build_site
from servicenet_vocab.vocabulary.files import project_root


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "docs",
        help="generate the HTML reference (a page per class and code list, fi/sv/en, diagram)",
        description="Write a static site that works offline from the file system: open "
        "OUT/index.html. The output directory is replaced.",
    )
    parser.add_argument("-o", "--out", type=Path, help="output directory (default: docs/reference)")
    parser.add_argument("--root", type=Path, help="vocabulary tree (default: the project)")
    parser.set_defaults(handler=run_docs)


def run_docs(args: argparse.Namespace) -> int:
    out = args.out or (args.root or project_root()) / "docs" / "reference"
    pages = build_site(out, root=args.root)
    print(f"wrote {len(pages)} files to {out}; open {out / 'index.html'}")
    return 0
