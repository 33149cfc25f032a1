"""Read city exports as records: CSV (encoding and delimiter detected) or JSON, streamed.

CSV: UTF-8 with or without a BOM, otherwise Windows-1252 or Latin-1 (what Excel writes on Finnish
Windows); the delimiter is the one of ``;`` ``,`` or tab that occurs most in the header line. Rows are
numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2. JSON: a list
of objects, at the top or under a dotted path (``results``, ``data.units``); a record's row is its
1-based position in that list. Records are yielded one at a time, so memory does not grow with the
file (JSON is read whole: unit-register exports are small).
"""

from __future__ import annotations

import codecs
import csv
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from servicenet_vocab import rdfio
from servicenet_vocab.errors import InputError, Location

__all__ = ["Export", "Record", "detect_delimiter", "detect_encoding", "open_export", "read_records"]

SAMPLE_BYTES = 64 * 1024
BLOCK_BYTES = 1 << 18  # lines are read and decoded about 256 KB at a time
DELIMITERS = (";", ",", "\t")
_C1_CONTROLS = bytes(range(0x80, 0xA0))


@dataclass(frozen=True)
class Record:
    """One row of an export: its number and its values by column name (or JSON path)."""

    row: int
    values: dict[str, Any]
    problem: str | None = None  # set when the row itself is malformed (wrong number of values)


def detect_encoding(sample: bytes) -> str:
    """``utf-8-sig`` with a BOM, ``utf-8`` if the sample decodes, else ``cp1252`` or ``latin-1``."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # Latin-1 and cp1252 agree on 0xA0-0xFF; bytes 0x80-0x9F are C1 controls in Latin-1 (never
    # real text) but €, „, ” and the like in cp1252.
    if any(byte in _C1_CONTROLS for byte in sample):
        try:
            sample.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            pass
    return "latin-1"


def detect_delimiter(header: str) -> str:
    """The delimiter occurring most often in the header line outside quotes (``;`` on a tie)."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


# (row number, values, problem): values are a list in header order (CSV) or the JSON object
RawRow = tuple[int, Any, str | None]


@dataclass(frozen=True)
class Export:
    """An opened export: its columns (for JSON, the keys found in any record) and its rows."""

    header: list[str]
    rows: Iterator[RawRow]
    is_json: bool


def read_records(
    path: Path,
    *,
    fmt: str | None = None,
    encoding: str = "auto",
    delimiter: str = "auto",
    records: str | None = None,
) -> tuple[list[str], Iterator[Record]]:
    """The column names (for JSON, the keys found in any record) and the records."""
    export = open_export(path, fmt=fmt, encoding=encoding, delimiter=delimiter, records=records)
    header = export.header
    if export.is_json:
        return header, (Record(row, values, problem) for row, values, problem in export.rows)
    return header, (
        Record(row, dict(zip(header, values, strict=False)), problem)
        for row, values, problem in export.rows
    )


def open_export(
    path: Path,
    *,
    fmt: str | None = None,
    encoding: str = "auto",
    delimiter: str = "auto",
    records: str | None = None,
) -> Export:
    """Open an export for reading its rows one at a time (``InputError`` if it cannot be read)."""
    kind = fmt or ("json" if path.suffix.lower() in (".json", ".jsonl") else "csv")
    try:
        handle = path.open("rb")
    except OSError as error:
        raise InputError(
            f"cannot read input file: {error.strerror}", location=Location(source=path.name)
        ) from None
    if kind == "json":
        with handle:
            return _json_records(handle, path.name, records)
    return _csv_records(handle, path.name, encoding, delimiter)


def _csv_records(handle: BinaryIO, name: str, encoding: str, delimiter: str) -> Export:
    sample = handle.read(SAMPLE_BYTES)
    handle.seek(0)
    chosen = detect_encoding(sample) if encoding == "auto" else encoding
    try:
        codec = codecs.lookup(chosen).name
    except LookupError:
        handle.close()
        raise InputError(f"unknown encoding {encoding!r}", location=Location(source=name)) from None
    lines = _decoded_lines(handle, codec, name)
    first = next(lines, "")
    if not first.strip():
        handle.close()
        raise InputError(
            "the file is empty or its first line is blank", location=Location(source=name, row=1)
        )
    sep = detect_delimiter(first) if delimiter == "auto" else delimiter
    header = [column.strip() for column in next(csv.reader([first], delimiter=sep))]
    _check_header(header, name)
    return Export(header, _csv_rows(handle, lines, len(header), sep, name), is_json=False)


def _decoded_lines(handle: BinaryIO, codec: str, name: str) -> Iterator[str]:
    """Lines decoded a block at a time; a BOM is dropped; an encoding error names its line."""
    return itertools.chain.from_iterable(_decoded_blocks(handle, codec, name))


def _decoded_blocks(handle: BinaryIO, codec: str, name: str) -> Iterator[list[str]]:
    codec = "utf-8" if codec == "utf-8-sig" else codec
    first = handle.readline()  # the header alone: the rows' errors come with the rows
    if first.startswith(codecs.BOM_UTF8) and codec == "utf-8":
        first = first[len(codecs.BOM_UTF8) :]
    block = [first] if first else []
    done = 0  # lines before this block
    while block:
        try:
            yield [line.decode(codec) for line in block]
        except UnicodeDecodeError:
            yield from _up_to_undecodable(block, codec, name, done)
        done += len(block)
        block = handle.readlines(BLOCK_BYTES)


def _up_to_undecodable(block: list[bytes], codec: str, name: str, done: int) -> Iterator[list[str]]:
    """The lines before the first undecodable one, then an error naming that line."""
    decoded = []
    for number, line in enumerate(block, start=done + 1):
        try:
            decoded.append(line.decode(codec))
        except UnicodeDecodeError as error:
            yield decoded
            raise InputError(
                f"the file is not valid {codec} text ({error.reason} at byte {error.start} of the "
                "line); save it as UTF-8 or name its encoding in the mapping "
                "(source: encoding: latin-1)",
                location=Location(source=name, row=number),
            ) from None
    yield decoded  # pragma: no cover - the block failed to decode, so some line does


def _check_header(header: list[str], name: str) -> None:
    seen: set[str] = set()
    for number, column in enumerate(header, start=1):
        if not column:
            continue
        if column in seen:
            raise InputError(
                f"column name {column!r} appears twice in the header",
                location=Location(source=name, row=1, column=number),
            )
        seen.add(column)


def _csv_rows(
    handle: BinaryIO, lines: Iterator[str], width: int, sep: str, name: str
) -> Iterator[RawRow]:
    reader = csv.reader(lines, delimiter=sep)
    row = 1
    try:
        with handle:
            for values in reader:
                row += 1
                if not values or (len(values) == 1 and not values[0].strip()):
                    continue  # blank lines in spreadsheets are noise, not rows
                if len(values) == width:
                    yield row, values, None
                else:
                    problem = f"the row has {len(values)} values but the header has {width} columns"
                    yield row, values, problem
    except csv.Error as error:
        raise InputError(
            f"malformed CSV: {error}", location=Location(source=name, row=row + 1)
        ) from None


def _json_records(handle: BinaryIO, name: str, records: str | None) -> Export:
    data = rdfio.load_json(handle.read(), source=name)
    found = dig(data, records) if records else data
    if not isinstance(found, list):
        where = f"at {records!r}" if records else "at the top level"
        raise InputError(
            f"expected a list of records {where}, found {type(found).__name__}; "
            "name the list with 'source: records:' in the mapping",
            location=Location(source=name),
        )
    keys = sorted({key for item in found if isinstance(item, dict) for key in item})
    return Export(keys, _json_rows(found), is_json=True)


def _json_rows(items: list[Any]) -> Iterator[RawRow]:
    for number, item in enumerate(items, start=1):
        if isinstance(item, dict):
            yield number, item, None
        else:
            yield number, {}, f"expected an object, found {type(item).__name__}"


_MISSING = object()


def dig(data: Any, path: str) -> Any:
    """The value at a dotted path (``a.b.0.c``), or ``None`` when any step is absent."""
    current = data
    for step in path.split("."):
        if isinstance(current, dict):
            current = current.get(step, _MISSING)
        elif isinstance(current, list) and step.isdigit() and int(step) < len(current):
            current = current[int(step)]
        else:
            return None
        if current is _MISSING:
            return None
    return current
