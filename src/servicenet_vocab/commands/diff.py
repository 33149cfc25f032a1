"""``diff``: term-level changes between two versions, classified breaking or not."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from servicenet_vocab.steward.diff import diff_versions, load_version, to_json, to_markdown


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="term-level changes between two vocabulary versions and the semver bump they imply",
        description="OLD and NEW are directories (the project, releases/<version>/), Turtle files "
        "or git refs (e.g. main, v1.0.0, HEAD~3). Each change is classified breaking or not for a "
        "dataset that conformed to OLD; the output names the next version implied.",
    )
    parser.add_argument("old", metavar="OLD")
    parser.add_argument("new", metavar="NEW")
    parser.add_argument("--format", choices=["markdown", "json"], default="markdown")
    parser.add_argument(
        "--repo", type=Path, default=Path.cwd(), help="git repository for refs (default: .)"
    )
    parser.set_defaults(handler=run_diff)


def run_diff(args: argparse.Namespace) -> int:
    result = diff_versions(
        load_version(args.old, repo=args.repo), load_version(args.new, repo=args.repo)
    )
    if args.format == "json":
        sys.stdout.write(json.dumps(to_json(result), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(to_markdown(result))
    return 0
