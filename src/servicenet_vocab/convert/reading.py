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
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from servicenet_vocab import rdfio
from servicenet_vocab.errors import InputError, Location

__all__ = [
    "Condition",
    "Export",
    "Record",
    "detect_delimiter",
    "detect_encoding",
    "dig",
    "open_export",
    "parse_path",
    "path_head",
    "read_records",
]

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


@dataclass(frozen=True)
class Condition:
    """Which items of a list a path step keeps: every item (``*``), the items whose value (or
    whose ``key``) is one of ``values`` (``=``) or none of them (``!=``), or that have ``key``."""

    key: str | None  # None: the item itself
    values: frozenset[str] | None  # None: the key merely has a value
    negated: bool = False

    def matches(self, item: Any) -> bool:
        value = item if self.key is None else dig(item, self.key)
        if value is None or value == "" or value == []:
            return self.values is not None and self.negated
        if self.values is None:
            return True
        texts = {_text(v) for v in value} if isinstance(value, list) else {_text(value)}
        return bool(texts & self.values) != self.negated


# One step of a path: a key (or a list position) and the conditions on the list it leads to.
Step = tuple[str | None, tuple[Condition | None, ...]]

_STEP = re.compile(r"^([^\[\]]*)((?:\[[^\[\]]*\])*)$")
_CONDITION = re.compile(r"^\s*(?:(\*)|([^=!]*?)\s*(?:(!?=)\s*(.*?))?)\s*$")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return " ".join(str(value).split()).casefold()


@lru_cache(maxsize=1024)
def parse_path(path: str) -> tuple[Step, ...]:
    """``a.b[c=x|y].d`` → its steps; ``ValueError`` naming what is wrong.

    A step is a key (or a list position, ``osoitteet.0``) optionally followed by conditions in
    brackets, which keep items of the list it leads to: ``[*]`` every item, ``[=x|y]`` items
    equal to x or y, ``[key=x|y]`` objects whose key (a dotted path) is x or y, ``[key!=x]``
    objects whose key is not x, ``[key]`` objects that have a value for key. Values are compared
    as text, ignoring case and extra spaces; ``|`` separates alternatives.
    """
    steps: list[Step] = []
    for part in _split_steps(path):
        found = _STEP.match(part)
        if found is None or (not found.group(1) and not found.group(2)):
            raise ValueError(f"{part!r} is not a path step (key, key.0 or key[condition])")
        key = found.group(1).strip() or None
        conditions = tuple(
            _condition(text) for text in re.findall(r"\[([^\[\]]*)\]", found.group(2))
        )
        steps.append((key, conditions))
    return tuple(steps)


def _split_steps(path: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for char in path:
        if char == "[":
            depth += 1
        elif char == "]":
            depth -= 1
            if depth < 0:
                raise ValueError(f"unbalanced ']' in {path!r}")
        if char == "." and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    if depth:
        raise ValueError(f"unbalanced '[' in {path!r}")
    parts.append("".join(current))
    return parts


def _condition(text: str) -> Condition | None:
    found = _CONDITION.match(text)
    if found is None or not text.strip():
        raise ValueError(f"[{text}] is not a condition ([*], [=a|b], [key=a|b], [key!=a], [key])")
    if found.group(1):
        return None  # every item
    key = found.group(2).strip() or None
    operator, values = found.group(3), found.group(4)
    if operator is None:
        if key is None:
            raise ValueError(f"[{text}] is not a condition ([*], [=a|b], [key=a|b], [key])")
        return Condition(key, None)
    alternatives = frozenset(_text(v) for v in values.split("|"))
    return Condition(key, alternatives, negated=operator == "!=")


def has_conditions(path: str) -> bool:
    return "[" in path


def path_head(path: str) -> str:
    """The first key of a path (the record's own field it starts from)."""
    return re.split(r"[.\[]", path, maxsplit=1)[0].strip()


def dig(data: Any, path: str) -> Any:
    """The value at a dotted path (``a.b.0.c``), or ``None`` when any step is absent.

    With a condition in the path (``osoitteet[tyyppi=visiting].postinumero``) the value is the
    list of what every kept item leads to (``None`` when nothing), in order.
    """
    if "[" not in path:
        return _dig_plain(data, path)
    current: list[Any] = [data]
    for key, conditions in parse_path(path):
        reached: list[Any] = []
        for item in current:
            value = item if key is None else _step(item, key)
            if value is _MISSING:
                continue
            if not conditions:
                reached.append(value)
                continue
            items = value if isinstance(value, list) else [value]
            for condition in conditions:
                items = [i for i in items if condition is None or condition.matches(i)]
            reached += items
        current = reached
    found = [value for value in current if value is not None and value != "" and value != []]
    flat: list[Any] = []
    for value in found:
        flat += value if isinstance(value, list) else [value]
    return flat or None


def _step(current: Any, step: str) -> Any:
    if isinstance(current, dict):
        return current.get(step, _MISSING)
    if isinstance(current, list) and step.isdigit() and int(step) < len(current):
        return current[int(step)]
    return _MISSING


def _dig_plain(data: Any, path: str) -> Any:
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
