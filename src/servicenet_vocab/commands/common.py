"""Options every command shares."""

from __future__ import annotations

import argparse

from servicenet_vocab.config import Settings
from servicenet_vocab.store.protocol import Store
from servicenet_vocab.store.remote import open_configured_store


def store_parent() -> argparse.ArgumentParser:
    """A parent parser adding ``--store PATH`` (a directory, or 'memory')."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--store",
        metavar="PATH",
        help="store directory or 'memory' (default: $SERVICENET_STORE or ./data/store)",
    )
    return parent


def settings_from(args: argparse.Namespace) -> Settings:
    overrides = {"store": args.store} if getattr(args, "store", None) else {}
    return Settings(**overrides)


def store_from(args: argparse.Namespace) -> Store:
    """The store the settings name: the embedded one at ``--store``, or the remote engine of
    ``SERVICENET_BACKEND=remote`` (its URLs and credentials from the environment)."""
    return open_configured_store(settings_from(args))
