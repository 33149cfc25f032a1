"""``upload``: publish a dataset file to a municipality graph of a running facade.

    servicenet upload helsinki.ttl --municipality 091 --url https://servicenet.example \\
        --token-file ~/.servicenet-token [--replace]

POST adds to the graph, ``--replace`` PUTs (replaces it). The server validates the graph as it
will be after the write; the report is printed. Exit codes: 0 accepted (warnings allowed), 1 refused
because the result would not conform (HTTP 422), 2 any other error (file, token, syntax, access,
network).
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from servicenet_vocab.errors import DataInvalidError, InputError, Location
from servicenet_vocab.formats import FormatKind, RdfFormat, names, rdf_format_argument
from servicenet_vocab.namespaces import municipality_graph
from servicenet_vocab.rdfio import format_for_path
from servicenet_vocab.validation import ValidationReport, ValidationResult
from servicenet_vocab.validation import formats as report_formats

TIMEOUT = 600.0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "upload",
        help="publish a dataset to a municipality graph of a servicenet server",
        description="Send a dataset to /graph-store; the server validates before it writes.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="the dataset (RDF)")
    parser.add_argument("--municipality", "-m", required=True, metavar="CODE", help="e.g. 091")
    parser.add_argument("--url", required=True, help="the server's base URL")
    parser.add_argument(
        "--token-file", required=True, type=Path, metavar="PATH", help="file holding the token"
    )
    parser.add_argument(
        "--replace", action="store_true", help="replace the graph (PUT) instead of adding (POST)"
    )
    parser.add_argument(
        "--format",
        type=rdf_format_argument,
        choices=names(FormatKind.RDF),
        help="RDF format (default: by extension)",
    )
    parser.add_argument("--lang", choices=("fi", "sv", "en"), default="en", help="report language")
    parser.add_argument("--json", action="store_true", help="print the server's JSON answer")
    parser.set_defaults(handler=run_upload)


def run_upload(args: argparse.Namespace) -> int:
    try:
        graph = municipality_graph(args.municipality)
    except ValueError as error:
        raise InputError(str(error)) from None
    fmt = RdfFormat(args.format) if args.format else format_for_path(args.file)
    data = _read(args.file)
    token = _read(args.token_file).decode("utf-8").strip()
    if not token:
        raise InputError("the token file is empty", location=Location(source=str(args.token_file)))
    url = f"{args.url.rstrip('/')}/graph-store?{urlencode({'graph': graph, 'lang': args.lang})}"
    request = urllib.request.Request(
        url,
        data=data,
        method="PUT" if args.replace else "POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": fmt.media_type,
            "Accept": "application/json",
        },
    )
    status, body = _send(request)
    answer = _json(body)
    if args.json and answer is not None:
        print(json.dumps(answer, indent=2, ensure_ascii=False))
    elif answer and "report" in answer:
        sys.stdout.write(report_formats.text(_report(answer["report"])))
    if status in (200, 201, 204):
        verb = "replaced" if args.replace else "added to"
        print(f"accepted ({status}): {verb} <{graph}>", file=sys.stderr)
        return 0
    if status == 422:
        raise DataInvalidError(f"refused: the data would make <{graph}> not conform")
    raise InputError(_error_text(status, answer, body), location=Location(source=url))


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InputError(
            f"cannot read file: {error.strerror}", location=Location(source=str(path))
        ) from None


def _send(request: urllib.request.Request) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as error:
        return int(error.code), error.read()
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise InputError(
            f"cannot reach the server: {reason}", location=Location(source=request.full_url)
        ) from None


def _json(body: bytes) -> Any:
    if not body:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def _report(data: dict[str, Any]) -> ValidationReport:
    results = [ValidationResult(**row) for row in data.get("results", [])]
    return ValidationReport(conforms=bool(data.get("conforms")), results=results)


def _error_text(status: int, answer: Any, body: bytes) -> str:
    if isinstance(answer, dict) and "message" in answer:
        where = answer.get("location") or {}
        at = ", ".join(f"{key} {value}" for key, value in where.items() if key != "source")
        return f"HTTP {status} {answer.get('error', '')}: {answer['message']}" + (
            f" ({at})" if at else ""
        )
    return f"HTTP {status}: {body[:200].decode('utf-8', 'replace')}"
