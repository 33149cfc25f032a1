"""The conversion loop: records in, validated rows out as RDF, every row error collected.

``convert_stream`` reads the export record by record, validates each with the kind's row model
(through the compiled ``RowPlan``; the model itself words the errors of a row the plan declines),
writes its Turtle at once and keeps only the errors, so memory stays flat. ``convert_file`` adds the
all-or-nothing rule: output goes to a temporary file that replaces the target only when no row failed
(or ``skip_invalid`` is set, and then the skipped rows are returned with their errors).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from servicenet_vocab.convert.codes import CodeLists, load_code_lists
from servicenet_vocab.convert.dataset import dataset_triples, publisher_node
from servicenet_vocab.convert.emit import RdfWriter, Triple, checked_iri, to_ntriples, turtle
from servicenet_vocab.convert.iris import IriTemplate
from servicenet_vocab.convert.mapping import Mapping, load_mapping
from servicenet_vocab.convert.plan import RowPlan
from servicenet_vocab.convert.problems import (
    RowError,
    RowsInvalidError,
    problem_error,
    validation_error,
)
from servicenet_vocab.convert.reading import Export, dig, open_export, parse_path, path_head
from servicenet_vocab.convert.rows import (
    CodeScheme,
    ConversionContext,
    RowModel,
    RowProblem,
    marker,
    words_for,
)
from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.rdfio import RdfFormat

__all__ = [
    "ConversionResult",
    "Kind",
    "convert_file",
    "convert_stream",
    "prepare",
    "rendered_triples",
    "write_conversion",
]

# Read once at import (os.umask sets it too, which is not safe once threads convert files).
_UMASK = os.umask(0o022)
os.umask(_UMASK)

Emitter = Callable[[Any, ConversionContext], Iterable[Triple]]
# A valid row -> its Turtle statements and how many triples they hold (RowProblem if it cannot).
Renderer = Callable[[Any, ConversionContext], tuple[str, int]]


@dataclass(frozen=True)
class Kind:
    """One input kind: its row model, how a row becomes Turtle, and its IRI patterns."""

    name: str
    row_model: type[RowModel]
    render: Renderer
    title: dict[str, str]
    iris: dict[str, str]  # template name -> default pattern (relative to the base IRI)


def rendered_triples(emit: Emitter) -> Renderer:
    """A renderer for a kind whose rows are emitted as triples (grouped by subject)."""

    def render(row: Any, context: ConversionContext) -> tuple[str, int]:
        return turtle(emit(row, context))

    return render


@dataclass
class ConversionResult:
    """What a conversion did: rows read and written, triples, skipped rows with their errors."""

    source: str
    mapping: Mapping | None = None
    rows: int = 0
    converted: int = 0
    triples: int = 0
    errors: list[RowError] = field(default_factory=list)
    left_out: int = 0  # records without a value at the mapping's source.where (not errors)

    @property
    def skipped_rows(self) -> list[int]:
        return sorted({error.row for error in self.errors})


def prepare(
    kind: Kind,
    mapping: Mapping,
    *,
    source: str,
    municipality: str | None = None,
    codes: CodeLists | None = None,
) -> ConversionContext:
    """Check the mapping against the kind and build the run's context (``InputError`` if wrong)."""
    where = f"mapping for {source}"
    if mapping.kind != kind.name:
        raise InputError(
            f"the mapping is for kind {mapping.kind!r}, not {kind.name!r}",
            location=Location(source=where, path="kind"),
        )
    model = kind.row_model
    fields = set(model.model_fields)
    for section in ("columns", "constants", "values"):
        unknown = sorted(set(getattr(mapping, section)) - fields)
        if unknown:
            raise InputError(
                f"{', '.join(unknown)} {'is not a field' if len(unknown) == 1 else 'are not fields'}"
                f" of kind {kind.name!r}; fields: {', '.join(model.model_fields)}",
                location=Location(source=where, path=section),
            )
    missing = sorted(model.required_fields() - set(mapping.columns) - set(mapping.constants))
    if missing:
        raise InputError(
            f"required field{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
            "must be mapped to a column or given as a constant",
            location=Location(source=where, path="columns"),
        )
    schemes = model.code_schemes()
    not_codes = sorted(set(mapping.values) - set(schemes))
    if not_codes:
        raise InputError(
            f"values: {', '.join(not_codes)} hold no code-list values",
            location=Location(source=where, path="values"),
        )
    codes = codes or load_code_lists()
    chosen = municipality or mapping.municipality
    if not chosen:
        raise InputError(
            "the municipality is not known: give --municipality CODE or 'municipality:' in the mapping",
            location=Location(source=where),
        )
    if f"{codes['municipality'].scheme}/{chosen}" not in codes["municipality"].notations:
        raise InputError(
            f"'{chosen}' is not a municipality code of the code list",
            location=Location(source=where),
        )
    try:
        words = words_for(mapping, codes, schemes)
    except PydanticCustomError as error:  # a word mapped to no concept: the mapping is wrong
        raise InputError(str(error), location=Location(source=where, path="values")) from None
    picks = _picks(model, mapping, codes, where)
    multiple = _multiple_fields(model)
    for name, table in mapping.values.items():
        if name in multiple or name in picks:
            continue
        several = [w for w, t in table.items() if isinstance(t, list) and len(t) != 1]
        if several:
            raise InputError(
                f"{', '.join(repr(w) for w in several)} must map to one concept: {name} takes one "
                f"value (give its column a pick: list to choose among several)",
                location=Location(source=where, path=f"values.{name}"),
            )
    _check_paths(mapping, where)
    templates = _templates(kind, mapping, where)
    dataset = mapping.dataset.iri or f"{mapping.base_iri}dataset/{kind.name}"
    return ConversionContext(
        mapping=mapping,
        codes=codes,
        municipality=chosen,
        source=source,
        dataset=_named(dataset, where, "dataset.iri"),
        publisher=_named(publisher_node(mapping), where, "publisher.iri"),
        words=words,
        picks=picks,
        templates=templates,
    )


def _multiple_fields(model: type[RowModel]) -> set[str]:
    """The fields holding several code values (``Codes``)."""
    found = set()
    for name, info in model.model_fields.items():
        scheme = marker(info, CodeScheme)
        if scheme is not None and scheme.multiple:
            found.add(name)
    return found


def _picks(
    model: type[RowModel], mapping: Mapping, codes: CodeLists, where: str
) -> dict[str, tuple[str, ...]]:
    """Each ``pick`` list as concepts, checked: only single-valued code fields have one."""
    schemes = model.code_schemes()
    multiple = _multiple_fields(model)
    picks: dict[str, tuple[str, ...]] = {}
    for name, order in mapping.picks.items():
        key = f"columns.{name}.pick"
        if name not in mapping.columns:
            raise InputError(
                f"{name} has a pick list but no column", location=Location(source=where, path=key)
            )
        if name not in schemes or name in multiple:
            raise InputError(
                f"pick chooses one code among several: {name} is not a single-valued code field"
                + (" (it keeps every value already)" if name in multiple else ""),
                location=Location(source=where, path=key),
            )
        try:
            picks[name] = tuple(codes[schemes[name]].lookup(item) for item in order)
        except PydanticCustomError as error:
            raise InputError(str(error), location=Location(source=where, path=key)) from None
    return picks


def _check_paths(mapping: Mapping, where: str) -> None:
    """Every JSON path (with its conditions) parses."""
    paths = [(f"columns.{f}", c) for f, c in mapping.columns.items()]
    if mapping.source.where:
        paths.append(("source.where", mapping.source.where))
    for key, path in paths:
        if "[" in path:
            try:
                parse_path(path)
            except ValueError as error:
                raise InputError(str(error), location=Location(source=where, path=key)) from None


def _named(value: str, where: str, key: str) -> str:
    token = checked_iri(value)
    if token is None:
        raise InputError(f"'{value}' is not a valid IRI", location=Location(source=where, path=key))
    return token


def _templates(kind: Kind, mapping: Mapping, where: str) -> dict[str, IriTemplate]:
    unknown = sorted(set(mapping.iris) - set(kind.iris))
    if unknown:
        raise InputError(
            f"{', '.join(unknown)}: kind {kind.name!r} has IRI patterns {', '.join(kind.iris)} only",
            location=Location(source=where, path="iris"),
        )
    templates = {}
    for name, default in kind.iris.items():
        pattern = mapping.iris.get(name, default)
        if not pattern.startswith(("http://", "https://", "urn:")):
            pattern = mapping.base_iri + pattern
        template = IriTemplate(name, pattern)
        bad = [f for f in template.fields() if f not in kind.row_model.model_fields]
        if bad:
            raise InputError(
                f"the {name} IRI pattern uses {', '.join(bad)}, not fields of kind {kind.name!r}",
                location=Location(source=where, path=f"iris.{name}"),
            )
        templates[name] = template
    return templates


def convert_stream(
    kind: Kind,
    input_path: Path,
    mapping: Mapping,
    out: IO[bytes],
    *,
    municipality: str | None = None,
    codes: CodeLists | None = None,
) -> ConversionResult:
    """Convert every record, writing Turtle as it comes; errors are returned, not raised."""
    source = input_path.name
    context = prepare(kind, mapping, source=source, municipality=municipality, codes=codes)
    export = open_export(
        input_path,
        fmt=mapping.source.format,
        encoding=mapping.source.encoding,
        delimiter=mapping.source.delimiter,
        records=mapping.source.records,
    )
    is_json = (mapping.source.format or "") == "json" or input_path.suffix.lower() == ".json"
    header = export.header
    _check_columns(mapping, header, source, is_json)
    present = {f: c for f, c in mapping.columns.items() if export.is_json or c in header}
    plan = RowPlan(
        kind.row_model,
        context,
        {} if export.is_json else {f: header.index(c) for f, c in present.items()},
    )
    writer = RdfWriter(out)
    writer.comment(f"converted from {source} ({kind.name}) by servicenet convert")
    writer.write(dataset_triples(kind.title, context))
    result = ConversionResult(source=source, mapping=mapping)
    _convert_rows(kind, export, plan, context, writer, result, is_json=is_json)
    writer.flush()
    result.triples = writer.triples
    return result


def _convert_rows(
    kind: Kind,
    export: Export,
    plan: RowPlan,
    context: ConversionContext,
    writer: RdfWriter,
    result: ConversionResult,
    *,
    is_json: bool,
) -> None:
    """The loop over the rows: the plan's fast path, the row model when the plan declines."""
    source, mapping, header = context.source, context.mapping, export.header
    table = not export.is_json  # CSV rows are lists in header order
    label = source.replace("\n", " ")
    parse, render, write = plan.parse, kind.render, writer.text  # looked up once, not per row
    keep = mapping.source.where
    single = set(mapping.columns) - _multiple_fields(kind.row_model) - set(mapping.picks)
    rows = converted = 0
    for number, values, malformed in export.rows:
        rows += 1
        context.row = number
        if malformed:
            result.errors.append(RowError(source, number, None, malformed))
            continue
        if keep and _absent(dig(dict(zip(header, values, strict=True)) if table else values, keep)):
            result.left_out += 1
            continue
        try:
            raw = None if table else _picked(mapping, values, is_json, single)
        except _SeveralValues as several:
            result.errors.append(several.error(source, number, mapping))
            continue
        row = parse(values) if raw is None else plan.parse_picked(raw)
        if row is None:  # the row model decides, and words the errors
            if raw is None:
                raw = _picked(mapping, dict(zip(header, values, strict=True)), False, single)
            row, errors = _validated(kind, raw, number, context)
            if row is None:
                result.errors += errors
                continue
        try:
            text, count = render(row, context)
        except RowProblem as problem:
            if raw is None:
                raw = _picked(mapping, dict(zip(header, values, strict=True)), False, single)
            result.errors.append(
                problem_error(problem, raw, number, context.mapping, context.source)
            )
            continue
        write(f"\n# {label} row {number}\n{text}", count)
        converted += 1
    result.rows, result.converted = rows, converted


def _check_columns(mapping: Mapping, header: list[str], source: str, is_json: bool) -> None:
    optional = set(mapping.source.optional)
    named = [*mapping.columns.values(), *([mapping.source.where] if mapping.source.where else [])]
    if is_json:
        if not header:
            return
        missing = sorted(
            c for c in named if path_head(c) not in header and path_head(c) not in optional
        )
    else:
        missing = sorted(c for c in named if path_head(c) not in header and c not in optional)
    if missing:
        raise InputError(
            f"column{'s' if len(missing) > 1 else ''} {', '.join(repr(c) for c in missing)} "
            f"named in the mapping {'are' if len(missing) > 1 else 'is'} not in the file; "
            f"its columns are: {', '.join(repr(c) for c in header)}",
            location=Location(source=source, row=1),
        )


def _absent(value: Any) -> bool:
    return value is None or value == "" or value == []


class _SeveralValues(Exception):
    """A single-valued field whose path gives several different values."""

    def __init__(self, field: str, values: list[Any]) -> None:
        super().__init__(field)
        self.field, self.values = field, values

    def error(self, source: str, number: int, mapping: Mapping) -> RowError:
        shown = ", ".join(repr(str(v)) for v in self.values[:5])
        return RowError(
            source,
            number,
            mapping.columns.get(self.field, self.field),
            f"gives {len(self.values)} values ({shown}) but {self.field} takes one: narrow the "
            "path with a condition (key[field=value]) or, for a code, give the column a pick: list",
            shown,
        )


def _picked(
    mapping: Mapping, values: dict[str, Any], is_json: bool, single: set[str] | frozenset[str]
) -> dict[str, Any]:
    """The row's non-empty values by field (JSON: by dotted path), over the mapping's constants.

    A list for a ``single``-valued field (a JSON list, the items a condition kept) gives its
    one distinct value, or ``_SeveralValues``."""
    if is_json:
        picked = {
            field_name: value
            for field_name, column in mapping.columns.items()
            if (value := dig(values, column)) is not None and value != "" and value != []
        }
        for name, value in list(picked.items()):
            if name in single and isinstance(value, list):
                distinct = list(dict.fromkeys(_hashable(v) for v in value))
                if len(distinct) > 1:
                    raise _SeveralValues(name, distinct)
                picked[name] = value[0]
        return picked
    return {
        field: values[column] for field, column in mapping.columns.items() if values.get(column)
    }


def _hashable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) else repr(value)


def _validated(
    kind: Kind, picked: dict[str, Any], number: int, context: ConversionContext
) -> tuple[BaseModel | None, list[RowError]]:
    """The row as the row model validates it, or its errors."""
    raw: dict[str, Any] = {**context.mapping.constants, **picked}
    try:
        return kind.row_model.model_validate(raw, context=context), []
    except ValidationError as error:
        return None, [
            validation_error(e, number, context.mapping, context.source, raw)
            for e in error.errors()
        ]


def convert_file(
    kind: Kind,
    input_path: Path,
    *,
    mapping: Mapping | Path | None = None,
    output: Path | None = None,
    municipality: str | None = None,
    skip_invalid: bool = False,
    fmt: RdfFormat | None = None,
    stdout: BinaryIO | None = None,
) -> ConversionResult:
    """Convert a file; write ``output`` (or stdout) only if every row converted or ``skip_invalid``.

    Raises ``RowsInvalidError`` (a ``DataInvalidError``) listing every row error, or ``InputError``.
    """
    chosen = _mapping_for(input_path, mapping)
    return write_conversion(
        lambda part: convert_stream(kind, input_path, chosen, part, municipality=municipality),
        output=output,
        skip_invalid=skip_invalid,
        fmt=fmt,
        stdout=stdout,
    )


def write_conversion(
    produce: Callable[[IO[bytes]], ConversionResult],
    *,
    output: Path | None = None,
    skip_invalid: bool = False,
    fmt: RdfFormat | None = None,
    stdout: BinaryIO | None = None,
) -> ConversionResult:
    """Run ``produce`` into a temporary file that becomes ``output`` (or goes to stdout) only if
    no record failed, or ``skip_invalid`` is set: a failed conversion leaves the target untouched.
    """
    fmt = fmt or (RdfFormat.NTRIPLES if output and output.suffix == ".nt" else RdfFormat.TURTLE)
    target_dir = output.parent if output else None
    with tempfile.NamedTemporaryFile(
        "w+b", dir=target_dir, prefix=".convert-", suffix=".part", delete=False
    ) as part:
        try:
            result = produce(part)
        except BaseException:
            part.close()
            os.unlink(part.name)
            raise
    if result.errors and not skip_invalid:
        os.unlink(part.name)
        raise RowsInvalidError(result.errors, source=result.source, rows=result.rows)
    finished = Path(part.name)
    try:
        if fmt is RdfFormat.NTRIPLES:
            if output is None:
                to_ntriples(finished, stdout or sys.stdout.buffer)
            else:
                with output.open("wb") as target:
                    to_ntriples(finished, target)
        elif output is None:
            with finished.open("rb") as source:
                shutil.copyfileobj(source, stdout or sys.stdout.buffer)
        else:
            # A temporary file is private (0600); the output gets the mode any new file would.
            os.chmod(finished, 0o666 & ~_UMASK)
            os.replace(finished, output)
    finally:
        finished.unlink(missing_ok=True)
    return result


def _mapping_for(input_path: Path, mapping: Mapping | Path | None) -> Mapping:
    if isinstance(mapping, Mapping):
        return mapping
    if mapping is not None:
        return load_mapping(mapping)
    for candidate in _sidecars(input_path):
        if candidate.is_file():
            return load_mapping(candidate)
    raise InputError(
        "no mapping file: give --mapping FILE (or put "
        f"{input_path.stem}.mapping.yaml beside the input)",
        location=Location(source=input_path.name),
    )


def _sidecars(input_path: Path) -> Iterator[Path]:
    yield input_path.with_name(input_path.stem + ".mapping.yaml")
    yield input_path.with_name(input_path.stem + ".mapping.yml")
