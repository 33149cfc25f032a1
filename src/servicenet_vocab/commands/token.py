"""``token``: create, list and revoke the write tokens of municipality graphs.

The token file comes from ``--tokens-file`` or ``$SERVICENET_TOKENS_FILE``; a created token is
printed once and never stored in clear.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from servicenet_vocab.config import Settings
from servicenet_vocab.errors import InputError
from servicenet_vocab.publishing.tokens import TokenFile


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "token",
        help="manage write tokens for municipality graphs",
        description="Write tokens grant PUT/POST/DELETE on municipality graphs of /graph-store.",
    )
    commands = parser.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    file_option = argparse.ArgumentParser(add_help=False)
    file_option.add_argument(
        "--tokens-file",
        type=Path,
        metavar="PATH",
        help="the token file (default: $SERVICENET_TOKENS_FILE)",
    )

    create = commands.add_parser(
        "create", parents=[file_option], help="add a token and print it (only this once)"
    )
    create.add_argument(
        "--municipality",
        "-m",
        action="append",
        required=True,
        metavar="CODE",
        help="3-digit municipality code the token may write (repeatable), e.g. 091",
    )
    create.add_argument("--name", "-n", required=True, help="a name for the token, e.g. hki-ci")
    create.set_defaults(handler=run_create)

    listing = commands.add_parser("list", parents=[file_option], help="list tokens (no secrets)")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=run_list)

    revoke = commands.add_parser("revoke", parents=[file_option], help="remove a token by name")
    revoke.add_argument("name")
    revoke.set_defaults(handler=run_revoke)


def token_file(args: argparse.Namespace) -> TokenFile:
    path = args.tokens_file or Settings().tokens_file
    if path is None:
        raise InputError("no token file: give --tokens-file or set SERVICENET_TOKENS_FILE")
    return TokenFile(path)


def run_create(args: argparse.Namespace) -> int:
    token = token_file(args).create(args.name, args.municipality)
    print(token)
    print("store this token now: it is not kept anywhere in clear", file=sys.stderr)
    return 0


def run_list(args: argparse.Namespace) -> int:
    records = token_file(args).records()
    if args.json:
        print(json.dumps([r.public() for r in records], indent=2))
        return 0
    for record in records:
        print(f"{record.name}\t{', '.join(record.municipalities)}\t{record.created}")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    record = token_file(args).revoke(args.name)
    print(f"revoked {record.name}", file=sys.stderr)
    return 0
