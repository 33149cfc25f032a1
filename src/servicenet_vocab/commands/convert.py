"""``convert``: a city's CSV/JSON export → RDF in the project's vocabulary (Turtle or N-Triples).

Exit codes: 0 converted (and conforming, with --validate); 1 rows that do not convert (each listed
with file, row, column and value; nothing is written unless --skip-invalid) or, with --validate, an
output that does not conform to the shapes; 2 an unreadable input or mapping, or a mapping that does
not fit the kind or the file.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from servicenet_vocab.convert import KINDS, ConversionResult, Mapping, convert_file, get_kind
from servicenet_vocab.convert.problems import format_report
from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.sources import SourceOptions, convert_source, get_source, source_names
from servicenet_vocab.validation import formats as report_formats

EPILOG = (
    """sources (real exports, no mapping needed; see docs/integrator.md):
  """
    + ", ".join(source_names())
    + """

kinds (a city's own spreadsheet or JSON, with a mapping file):
  units      service units: names, type, organisation form, address, coordinates, places
  premises   premises: building, floor area, tenure, condition, units using them
  capacity   places and enrolled children per unit, date and age group
  forecast   population forecast per area, year and age group
  survey     customer survey results per question and unit or area
  offers     proactive place offers per area and school year
  jsonld     JSON already in the vocabulary's terms with "@context": "https://w3id.org/servicenet/context.jsonld"
             (the context is inlined from the project, never fetched)

exit codes: 0 ok; 1 rows that do not convert (all listed, nothing written unless --skip-invalid)
or --validate found violations; 2 unreadable input or mapping. See docs/integrator.md."""
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "convert",
        help="convert a CSV/JSON export to RDF (Turtle) with row-and-column errors",
        description="Convert a city's CSV or JSON export to RDF in the servicenet vocabulary. "
        "A mapping file (YAML) names the columns and the city's code words.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "kind",
        choices=[*source_names(), *sorted(KINDS), "jsonld"],
        metavar="SOURCE|KIND",
        help="the export's source (ptv, pxweb, areas, ...) or, with a mapping, what the rows are",
    )
    parser.add_argument("input", type=Path, metavar="INPUT", help="the export file")
    parser.add_argument(
        "--mapping",
        type=Path,
        metavar="FILE",
        help="the mapping file (default: INPUT's name with .mapping.yaml beside it)",
    )
    parser.add_argument(
        "--municipality", metavar="CODE", help="3-digit municipality code (overrides the mapping)"
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="OUT", help="output file (.ttl or .nt; default stdout)"
    )
    parser.add_argument(
        "--skip-invalid",
        action="store_true",
        help="write the rows that convert and list the skipped ones (exit 0)",
    )
    parser.add_argument(
        "--validate",
        action="store_true",
        help="validate the output with the project's shapes and print the report",
    )
    parser.add_argument(
        "--validate-with",
        action="append",
        type=Path,
        default=[],
        metavar="DATA",
        help="RDF the output refers to (e.g. the city's converted units), validated together with "
        "it so references resolve (repeatable)",
    )
    parser.add_argument(
        "--base-iri", metavar="IRI", help="sources: the base of the IRIs minted for records"
    )
    parser.add_argument(
        "--repair",
        action="store_true",
        help="areas: repair invalid geometry (reported as an error otherwise)",
    )
    parser.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a source's own option (repeatable; each source lists its options in its errors)",
    )
    parser.add_argument("--lang", choices=("fi", "sv", "en"), default="en", help="report language")
    parser.set_defaults(handler=run_convert)


def run_convert(args: argparse.Namespace) -> int:
    if args.kind == "jsonld":
        return _convert_jsonld(args)
    output: Path | None = args.output
    scratch: tempfile.TemporaryDirectory[str] | None = None
    if args.validate and output is None:  # validation needs a file; stdout gets it afterwards
        scratch = tempfile.TemporaryDirectory(prefix="servicenet-convert-")
        output = Path(scratch.name) / "converted.ttl"
    fmt = RdfFormat.NTRIPLES if output is not None and output.suffix == ".nt" else None
    try:
        result: ConversionResult
        if args.kind in source_names():
            if args.mapping is not None:
                raise InputError(
                    f"source {args.kind!r} reads its export as published: it takes no --mapping",
                    location=Location(field="--mapping"),
                )
            result = convert_source(
                get_source(args.kind),
                args.input,
                options=SourceOptions.parsed(
                    args.option,
                    name="--option",
                    municipality=args.municipality,
                    base_iri=args.base_iri,
                    repair=args.repair,
                ),
                output=output,
                skip_invalid=args.skip_invalid,
                fmt=fmt,
            )
        else:
            result = convert_file(
                get_kind(args.kind),
                args.input,
                mapping=args.mapping,
                output=output,
                municipality=args.municipality,
                skip_invalid=args.skip_invalid,
                fmt=fmt,
            )
        target = str(args.output) if args.output else "stdout"
        print(
            f"converted {result.converted} of {result.rows} rows of {result.source} "
            f"into {result.triples} triples -> {target}",
            file=sys.stderr,
        )
        if result.errors:
            print(
                f"skipped {len(result.skipped_rows)} rows: "
                + ", ".join(str(r) for r in result.skipped_rows),
                file=sys.stderr,
            )
            print(format_report(result.errors), file=sys.stderr)
        if not args.validate or output is None:
            return 0
        code = _validate(
            [output, *args.validate_with],
            args.lang,
            to_stderr=args.output is None,
            trace=(output, result.mapping),
        )
        if args.output is None:
            sys.stdout.buffer.write(output.read_bytes())
            sys.stdout.flush()
        return code
    finally:
        if scratch is not None:
            scratch.cleanup()


def _validate(
    paths: list[Path],
    lang: str,
    *,
    to_stderr: bool,
    trace: tuple[Path, Mapping | None] | None = None,
) -> int:
    from servicenet_vocab.convert.lineage import traced_lines
    from servicenet_vocab.validation import Severity, validate

    report = validate(list(paths), lang=lang)
    stream = sys.stderr if to_stderr else sys.stdout
    stream.write(report_formats.text(report))
    if trace is not None:
        traced = list(traced_lines(report.results, trace[0], trace[1]))
        if traced:
            stream.write("\nIn the source export:\n" + "\n".join(traced) + "\n")
    stream.flush()
    return 1 if report.fails(Severity.VIOLATION) else 0


def _convert_jsonld(args: argparse.Namespace) -> int:
    from servicenet_vocab import rdfio
    from servicenet_vocab.errors import InputError, Location
    from servicenet_vocab.vocabulary.context import parse_jsonld

    try:
        data = args.input.read_bytes()
    except OSError as error:
        raise InputError(
            f"cannot read input file: {error.strerror}", location=Location(source=str(args.input))
        ) from None
    quads = parse_jsonld(data, source=args.input.name)
    fmt = RdfFormat.NTRIPLES if args.output and args.output.suffix == ".nt" else RdfFormat.TURTLE
    out = rdfio.serialize(quads, fmt)
    if args.output:
        args.output.write_bytes(out)
    else:
        sys.stdout.buffer.write(out)
        sys.stdout.flush()
    print(f"converted {args.input.name} into {len(quads)} triples", file=sys.stderr)
    if args.validate and args.output:
        return _validate([args.output, *args.validate_with], args.lang, to_stderr=False)
    return 0
