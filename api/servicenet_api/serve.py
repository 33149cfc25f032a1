"""``serve``: run the HTTP facade with uvicorn."""

from __future__ import annotations

import argparse

from servicenet_vocab.commands.common import settings_from, store_parent

GRACEFUL_SECONDS = 3


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    serve = subparsers.add_parser(
        "serve",
        parents=[store_parent()],
        help="serve the SPARQL facade (loads vocabulary and examples into an empty store)",
    )
    serve.add_argument("--host", help="bind address (default: $SERVICENET_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: $SERVICENET_PORT or 8000)")
    serve.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from servicenet_api.app import create_app

    settings = settings_from(args)
    updates = {k: v for k, v in (("host", args.host), ("port", args.port)) if v is not None}
    settings = settings.model_copy(update=updates)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level="info",
        access_log=settings.access_log,
        # SIGTERM: stop waiting for in-flight requests after this; the lifespan then kills the
        # workers, so the server is gone within 10 s even with long queries running.
        timeout_graceful_shutdown=GRACEFUL_SECONDS,
    )
    return 0
