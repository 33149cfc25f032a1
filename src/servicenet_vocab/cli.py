"""``servicenet``: the command line of servicenet-vocab.

Exit codes: 0 ok, 1 invalid data (the input parsed but does not conform), 2 usage or input error.
Each command group lives in ``servicenet_vocab.commands.<name>`` and registers its own parser, so
adding a command never means editing another's code. Packages on top of the library add theirs
through the ``servicenet_vocab.commands`` entry-point group: the facade contributes ``serve`` that
way, so the library never imports the facade.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib.metadata import entry_points
from pathlib import Path

from servicenet_vocab import __version__
from servicenet_vocab.errors import DataInvalidError, ServicenetError
from servicenet_vocab.vocabulary.files import require_tree

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

# Order is the order of `servicenet --help`.
COMMAND_MODULES = [
    "servicenet_vocab.commands.store_commands",
    "servicenet_vocab.commands.validate",
    "servicenet_vocab.commands.convert",
    "servicenet_vocab.commands.token",
    "servicenet_vocab.commands.upload",
    "servicenet_vocab.commands.lint",
    "servicenet_vocab.commands.diff",
    "servicenet_vocab.commands.release",
    "servicenet_vocab.commands.migrate",
    "servicenet_vocab.commands.docs",
    "servicenet_vocab.commands.export",
    "servicenet_vocab.commands.import_vocab",
]

COMMAND_GROUP = "servicenet_vocab.commands"
# Commands that read the vocabulary tree; each takes --vocabulary PATH.
VOCABULARY_COMMANDS = (
    "load",
    "validate",
    "convert",
    "lint",
    "diff",
    "docs",
    "release",
    "migrate",
    "serve",
)
VOCAB_DIR_VARIABLE = (
    "SERVICENET_VOCAB_DIR"  # Settings.vocab_dir  # entry points: callables taking the subparsers
)

EPILOG = """exit codes:
  0  ok (data conforms; warnings allowed unless --fail-on warning)
  1  invalid data: the input parsed but does not conform
  2  usage or input error: bad arguments, unreadable file, syntax error (with its location)

Settings come from SERVICENET_* environment variables (see docs/cli.md); --store overrides the
store location for one command."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="servicenet",
        description="Shared vocabularies, SHACL validation and a SPARQL store for Finnish "
        "service-network planning.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"servicenet {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    for plugin in sorted(entry_points(group=COMMAND_GROUP), key=lambda point: point.name):
        plugin.load()(subparsers)
    for name in VOCABULARY_COMMANDS:
        subparsers.choices[name].add_argument(
            "--vocabulary",
            type=Path,
            metavar="PATH",
            help="vocabulary tree to use (a steward's working copy, releases/<version>/); "
            "default: $SERVICENET_VOCAB_DIR, else the copy installed with servicenet",
        )
    return parser


@contextmanager
def vocabulary_setting(path: Path | None) -> Iterator[None]:
    """``--vocabulary`` is the ``vocab_dir`` setting for this one command."""
    if path is None:
        yield
        return
    previous = os.environ.get(VOCAB_DIR_VARIABLE)
    os.environ[VOCAB_DIR_VARIABLE] = str(require_tree(path.resolve()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ[VOCAB_DIR_VARIABLE]
        else:
            os.environ[VOCAB_DIR_VARIABLE] = previous


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        with vocabulary_setting(getattr(args, "vocabulary", None)):
            return int(args.handler(args))
    except DataInvalidError as error:
        print(f"servicenet: {error}", file=sys.stderr)
        return EXIT_INVALID
    except ServicenetError as error:
        print(f"servicenet: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
