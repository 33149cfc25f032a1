"""The PxWeb formats read as one shape: a ``Table`` of dimensions and a stream of cells.

Statistics Finland (StatFin, Paavo) and the Helsinki region's Aluesarjat serve the same tables as
JSON-stat 2.0 (``json-stat2``), PxWeb's own ``json`` (``columns`` / ``data``), a CSV export (a title
line, then a header whose last columns are years) and the ``.px`` file itself. Each reader here
gives the table's dimensions (code, names in every language, value codes and texts) and its cells
in the order they are published, as ``(record, value codes, value)``; ``record`` is the number an
error or a ``# file row N`` comment names (the cell's position, or the CSV line). The ``.px`` and
CSV readers stream their data; the two JSON shapes are single documents and are parsed whole.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from servicenet_vocab.errors import InputError, Location

__all__ = ["Cell", "Dimension", "Table", "read_table"]

Cell = tuple[int, tuple[str, ...], Any]  # record number, one value code per dimension, the value


@dataclass
class Dimension:
    """One variable of the table (``Alue``, ``Ikä``, ``Vuosi``...)."""

    code: str
    names: dict[str, str]  # language -> the variable's name ("" when the language is not known)
    codes: list[str] = field(default_factory=list)
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> code -> text
    time: bool = False
    role: str | None = None  # JSON-stat role: geo, time, metric
    contents: bool = False  # the measure's variable ("Tiedot", a json 'c' column)

    @property
    def label(self) -> str:
        return next(iter(self.names.values()), self.code) or self.code

    def text(self, code: str) -> str:
        for texts in self.texts.values():
            if code in texts:
                return texts[code]
        return code


@dataclass
class Table:
    """A table's description and its cells (an iterator: read once)."""

    source: str
    format: str
    titles: dict[str, str]  # language -> title
    dimensions: list[Dimension]
    cells: Iterator[Cell]
    updated: str | None = None  # ISO date of the table's last update, where given


def read_table(path: Path) -> Table:
    """The table in ``path`` (``InputError`` for a file that is none of the PxWeb formats)."""
    name = path.name
    with path.open("rb") as handle:
        start = handle.read(4096)
    text_start = start.lstrip(codecs.BOM_UTF8).lstrip()
    if path.suffix.lower() == ".px" or re.match(rb"^[A-Z][A-Z-]*(\[[a-z]+\])?=", text_start):
        return _px(path)
    if text_start.startswith((b"{", b"[")):
        return _json(path)
    if path.suffix.lower() in {".csv", ".txt"} or b'","' in start or b";" in start:
        return _csv(path)
    raise InputError(
        "not a PxWeb file: expected .px, JSON-stat 2 or PxWeb JSON, or a PxWeb CSV export",
        location=Location(source=name),
    )


# --- JSON-stat 2.0 and PxWeb json --------------------------------------------------------------


def _json(path: Path) -> Table:
    name = path.name
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise InputError(
            f"not valid JSON: {getattr(error, 'msg', error)}",
            location=Location(source=name, line=line),
        ) from None
    if isinstance(data, list) and len(data) == 1 and isinstance(data[0], dict):
        data = data[0]
    if not isinstance(data, dict):
        raise InputError("a PxWeb response is a JSON object", location=Location(source=name))
    if data.get("class") == "dataset" or ("id" in data and "dimension" in data):
        return _json_stat2(name, data)
    if "columns" in data and "data" in data:
        return _pxweb_json(name, data)
    if "variables" in data:
        variables = ", ".join(str(v.get("code")) for v in data["variables"] if isinstance(v, dict))
        raise InputError(
            "this is a table's metadata (variables "
            f"{variables}), not its data: POST a query to the table and ask for json-stat2",
            location=Location(source=name, path="variables"),
        )
    raise InputError(
        "not a PxWeb response: expected JSON-stat 2 ('id', 'dimension', 'value') or "
        "PxWeb json ('columns', 'data')",
        location=Location(source=name),
    )


def _json_stat2(name: str, data: dict[str, Any]) -> Table:
    ids = data.get("id")
    sizes = data.get("size")
    dims_data = data.get("dimension")
    if not isinstance(ids, list) or not isinstance(sizes, list) or not isinstance(dims_data, dict):
        raise InputError(
            "JSON-stat 2: 'id', 'size' and 'dimension' are required",
            location=Location(source=name, path="id"),
        )
    roles: dict[str, str] = {}
    for role, members in (data.get("role") or {}).items():
        for member in members or []:
            roles[member] = role
    dimensions = []
    for number, (dim_id, size) in enumerate(zip(ids, sizes, strict=False)):
        entry = dims_data.get(dim_id)
        if not isinstance(entry, dict) or not isinstance(entry.get("category"), dict):
            raise InputError(
                f"dimension {dim_id!r} has no category",
                location=Location(source=name, path=f"dimension.{dim_id}"),
            )
        category = entry["category"]
        index = category.get("index")
        if isinstance(index, dict):
            codes = [code for code, _ in sorted(index.items(), key=lambda item: item[1])]
        elif isinstance(index, list):
            codes = [str(code) for code in index]
        else:
            codes = list((category.get("label") or {}).keys())
        if len(codes) != size:
            raise InputError(
                f"dimension {dim_id!r} has {len(codes)} categories but size[{number}] is {size}",
                location=Location(source=name, path=f"dimension.{dim_id}.category"),
            )
        labels = {str(k): str(v) for k, v in (category.get("label") or {}).items()}
        dimensions.append(
            Dimension(
                code=str(dim_id),
                names={"": str(entry.get("label") or dim_id)},
                codes=codes,
                texts={"": labels},
                time=roles.get(dim_id) == "time",
                role=roles.get(dim_id),
                contents=roles.get(dim_id) == "metric",
            )
        )
    values = data.get("value")
    total = 1
    for size in sizes:
        total *= size
    if isinstance(values, list) and len(values) != total:
        raise InputError(
            f"'value' has {len(values)} cells but the dimensions' sizes give {total}",
            location=Location(source=name, path="value"),
        )
    if not isinstance(values, list | dict):
        raise InputError("JSON-stat 2: 'value' is missing", location=Location(source=name))
    status = data.get("status")

    def cells() -> Iterator[Cell]:
        for position, combination in enumerate(itertools.product(*(d.codes for d in dimensions))):
            value = values[position] if isinstance(values, list) else values.get(str(position))
            if value is None:
                value = _status_of(status, position) or ".."
            yield position + 1, combination, value

    titles = {"": str(data.get("label") or "")}
    return Table(name, "json-stat2", titles, dimensions, cells(), _iso_date(data.get("updated")))


def _status_of(status: Any, position: int) -> str | None:
    if isinstance(status, str):
        return status
    if isinstance(status, list):
        return status[position] if position < len(status) else None
    if isinstance(status, dict):
        found = status.get(str(position))
        return str(found) if found is not None else None
    return None


def _pxweb_json(name: str, data: dict[str, Any]) -> Table:
    columns = data["columns"]
    if not isinstance(columns, list) or not all(isinstance(c, dict) for c in columns):
        raise InputError("'columns' must be a list of objects", location=Location(source=name))
    keys = [c for c in columns if c.get("type", "d") in {"d", "t"}]
    contents = [c for c in columns if c.get("type") == "c"]
    if not contents:
        raise InputError(
            "no value column (type 'c') in 'columns'",
            location=Location(source=name, path="columns"),
        )
    dimensions = [
        Dimension(
            code=str(c.get("code")),
            names={"": str(c.get("text") or c.get("code"))},
            texts={"": {}},
            time=c.get("type") == "t",
        )
        for c in keys
    ]
    measure = Dimension(
        code="contents",
        names={"": "Tiedot"},
        codes=[str(c.get("code")) for c in contents],
        texts={"": {str(c.get("code")): str(c.get("text") or c.get("code")) for c in contents}},
        contents=True,
    )
    dimensions.append(measure)
    records = data["data"]
    if not isinstance(records, list):
        raise InputError("'data' must be a list", location=Location(source=name, path="data"))
    for record in records:  # the codes of each variable, known before the cells are read
        key = record.get("key") if isinstance(record, dict) else None
        if isinstance(key, list) and len(key) == len(keys):
            for dimension, code in zip(dimensions, key, strict=False):
                if str(code) not in dimension.texts[""]:
                    dimension.texts[""][str(code)] = str(code)
                    dimension.codes.append(str(code))
    metadata = data.get("metadata") or [{}]
    first = metadata[0] if isinstance(metadata, list) and metadata else {}
    titles = {"": str(first.get("label") or "")} if isinstance(first, dict) else {"": ""}
    updated = _iso_date(first.get("updated")) if isinstance(first, dict) else None

    def cells() -> Iterator[Cell]:
        number = 0
        for position, record in enumerate(records):
            key = record.get("key") if isinstance(record, dict) else None
            values = record.get("values") if isinstance(record, dict) else None
            if not isinstance(key, list) or not isinstance(values, list):
                raise InputError(
                    "a 'data' record needs 'key' and 'values' lists",
                    location=Location(source=name, path=f"data[{position}]"),
                )
            if len(key) != len(keys) or len(values) != len(contents):
                raise InputError(
                    f"record has {len(key)} keys and {len(values)} values; 'columns' has "
                    f"{len(keys)} and {len(contents)}",
                    location=Location(source=name, path=f"data[{position}]"),
                )
            for content, value in zip(measure.codes, values, strict=True):
                number += 1
                yield number, (*(str(k) for k in key), content), value

    return Table(name, "json", titles, dimensions, cells(), updated)


def _iso_date(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    found = re.match(r"^(\d{4})-?(\d{2})-?(\d{2})", value.strip())
    return f"{found.group(1)}-{found.group(2)}-{found.group(3)}" if found else None


# --- the .px file ------------------------------------------------------------------------------

_PX_KEY = re.compile(r"^([A-Z][A-Z0-9-]*)(?:\[([A-Za-z_-]+)\])?(?:\((.*)\))?$", re.S)
_PX_STRING = re.compile(r'"([^"]*)"')
_CODEPAGES = {"ansi": "windows-1252", "iso-8859-1": "iso-8859-1", "utf-8": "utf-8"}


def _px(path: Path) -> Table:
    name = path.name
    handle = path.open("rb")
    head = bytearray()
    while True:  # the keywords come before DATA=; read them, leave the data in the file
        line = handle.readline()
        if not line:
            handle.close()
            raise InputError(
                "no DATA= keyword: not a complete .px file", location=Location(source=name)
            )
        if line.lstrip().upper().startswith(b"DATA="):
            rest = line.split(b"=", 1)[1]
            break
        head += line
    codepage = "iso-8859-1"
    found = re.search(rb'CODEPAGE="([^"]+)"', head)
    if found:
        codepage = found.group(1).decode("ascii", "replace").lower()
    codepage = _CODEPAGES.get(codepage, codepage)
    try:
        decoder_factory = codecs.getincrementaldecoder(codepage)
    except LookupError:
        handle.close()
        raise InputError(
            f"unknown CODEPAGE {codepage!r}", location=Location(source=name, path="CODEPAGE")
        ) from None
    text = head.decode(codepage, "replace")
    keywords = _px_keywords(text, name)
    language = _first(keywords.get(("LANGUAGE", None, None))) or "fi"

    def get(key: str, lang: str | None = None, arg: str | None = None) -> list[str] | None:
        return keywords.get((key, None if lang == language else lang, arg))

    stub = get("STUB") or []
    heading = get("HEADING") or []
    languages = get("LANGUAGES") or [language]
    dimensions = []
    for number, variable in enumerate([*stub, *heading]):
        names = {language: variable}
        for lang in languages:
            translated = get("STUB", lang) if number < len(stub) else get("HEADING", lang)
            position = number if number < len(stub) else number - len(stub)
            if lang != language and translated and position < len(translated):
                names[lang] = translated[position]
        values = get("VALUES", None, variable) or []
        codes = get("CODES", None, variable) or values
        if len(codes) != len(values):
            handle.close()
            raise InputError(
                f"variable {variable!r} has {len(values)} VALUES but {len(codes)} CODES",
                location=Location(source=name, path=f'CODES("{variable}")'),
            )
        texts = {language: dict(zip(codes, values, strict=True))}
        for lang, translated_name in names.items():
            if lang != language:
                translated = get("VALUES", lang, translated_name)
                if translated and len(translated) == len(codes):
                    texts[lang] = dict(zip(codes, translated, strict=True))
        kind = _first(get("VARIABLE-TYPE", None, variable)) or ""
        contents = variable == _first(get("CONTVARIABLE"))
        dimensions.append(
            Dimension(
                code=_first(get("VARIABLECODE", None, variable)) or variable,
                names=names,
                codes=list(codes),
                texts=texts,
                time=kind.lower() == "time" or get("TIMEVAL", None, variable) is not None,
                contents=contents,
            )
        )
    titles = {language: _first(get("TITLE")) or ""}
    for lang in languages:
        if lang != language and get("TITLE", lang):
            titles[lang] = _first(get("TITLE", lang)) or ""
    updated = None
    for (key, _, _), value in keywords.items():
        if key == "LAST-UPDATED" and value:
            updated = _iso_date(value[0])
            break
    if updated is None:
        updated = _iso_date(_first(get("CREATION-DATE")))
    total = 1
    for dimension in dimensions:
        total *= len(dimension.codes)

    def cells() -> Iterator[Cell]:
        decoder = decoder_factory("replace")
        combinations = itertools.product(*(d.codes for d in dimensions))
        number = 0
        try:
            for token in _px_data(handle, decoder, rest):
                combination = next(combinations, None)
                if combination is None:
                    raise InputError(
                        f"DATA has more than the {total} cells its variables give",
                        location=Location(source=name, path="DATA"),
                    )
                number += 1
                yield number, combination, token
        finally:
            handle.close()
        if number != total:
            raise InputError(
                f"DATA has {number} cells but its variables give {total}",
                location=Location(source=name, path="DATA"),
            )

    return Table(name, "px", titles, dimensions, cells(), updated)


def _px_data(handle: Any, decoder: Any, rest: bytes) -> Iterator[str]:
    """The data tokens, read in chunks: numbers and quoted symbols, up to the closing ';'."""
    carry = ""
    chunk = rest
    while True:
        text = carry + decoder.decode(chunk, final=not chunk)
        end = text.find(";")
        if end >= 0:
            for token in text[:end].replace(",", " ").split():
                yield token.strip('"')
            return
        if not chunk:
            for token in text.replace(",", " ").split():
                yield token.strip('"')
            return
        cut = max(text.rfind(" "), text.rfind("\n"), text.rfind("\t"))
        carry = text[cut + 1 :] if cut >= 0 else text
        for token in (text[: cut + 1] if cut >= 0 else "").replace(",", " ").split():
            yield token.strip('"')
        chunk = handle.read(1 << 16)


def _px_keywords(text: str, name: str) -> dict[tuple[str, str | None, str | None], list[str]]:
    """Each ``KEY[lang]("arg")=value;`` statement: the value as a list of its strings (quoted
    strings next to each other on continuation lines are one string, as the format says)."""
    keywords: dict[tuple[str, str | None, str | None], list[str]] = {}
    statement: list[str] = []
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            _px_statement("".join(statement), keywords, name)
            statement = []
        else:
            statement.append(char)
    return keywords


def _px_statement(
    statement: str, keywords: dict[tuple[str, str | None, str | None], list[str]], name: str
) -> None:
    statement = statement.strip()
    if not statement:
        return
    key_part, equals, value = _split_outside_quotes(statement)
    if not equals:
        raise InputError(
            f"a .px keyword line without '=': {statement[:40]!r}", location=Location(source=name)
        )
    found = _PX_KEY.match(key_part.strip())
    if not found:
        return  # a keyword this reader does not need, written in a form it does not know
    keyword, lang, args = found.groups()
    arg = None
    if args:
        strings = _PX_STRING.findall(args)
        arg = ",".join(strings) if strings else args
    values: list[str] = []
    value = value.strip()
    position = 0
    pending: str | None = None
    while position < len(value):
        char = value[position]
        if char == '"':
            end = value.find('"', position + 1)
            end = len(value) if end < 0 else end
            piece = value[position + 1 : end]
            pending = piece if pending is None else pending + piece
            position = end + 1
        elif char == ",":
            if pending is not None:
                values.append(pending)
            pending = None
            position += 1
        elif char.isspace():
            position += 1
        else:
            end = position
            while end < len(value) and value[end] not in ',"' and not value[end].isspace():
                end += 1
            bare = value[position:end]
            pending = bare if pending is None else pending + bare
            position = end
    if pending is not None:
        values.append(pending)
    keywords[(keyword, lang, arg)] = values


def _split_outside_quotes(statement: str) -> tuple[str, str, str]:
    quoted = False
    for position, char in enumerate(statement):
        if char == '"':
            quoted = not quoted
        elif char == "=" and not quoted:
            return statement[:position], "=", statement[position + 1 :]
    return statement, "", ""


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None


# --- the CSV export ----------------------------------------------------------------------------

_YEAR_COLUMN = re.compile(r"^\s*(\d{4})\s*$")


def _csv(path: Path) -> Table:
    name = path.name
    raw = path.open("rb")
    sample = raw.read(1 << 16)
    raw.seek(0)
    encoding = "utf-8-sig"
    try:
        sample.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if error.start < len(sample) - 4:  # not just a character cut at the sample's end
            encoding = "iso-8859-15"
    stream = io.TextIOWrapper(raw, encoding=encoding, newline="")
    first_lines = sample.decode(encoding, "replace").splitlines()
    delimiter = ","
    for line in first_lines[:5]:
        if line.count(";") > line.count(",") and line.count(";") >= 1:
            delimiter = ";"
        elif line.count("\t") > line.count(","):
            delimiter = "\t"
    reader = csv.reader(stream, delimiter=delimiter)
    title = ""
    header: list[str] | None = None
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) == 1 and header is None and not title:
            title = row[0].strip()
            continue
        header = row
        break
    if header is None:
        stream.close()
        raise InputError("the CSV has no header line", location=Location(source=name))
    years = [position for position, column in enumerate(header) if _YEAR_COLUMN.match(column)]
    if not years or years != list(range(years[0], len(header))):
        stream.close()
        raise InputError(
            'a PxWeb CSV export names its value columns by year ("2023"); this header has '
            f"{', '.join(repr(c) for c in header)}",
            location=Location(source=name, row=reader.line_num),
        )
    dimensions = [
        Dimension(code=column.strip(), names={"": column.strip()}, texts={"": {}})
        for column in header[: years[0]]
    ]
    time = Dimension(
        code="Vuosi",
        names={"": "Vuosi"},
        codes=[header[p].strip() for p in years],
        texts={"": {header[p].strip(): header[p].strip() for p in years}},
        time=True,
    )
    dimensions.append(time)
    width = len(header)

    def cells() -> Iterator[Cell]:
        try:
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                line = reader.line_num
                if len(row) != width:
                    raise InputError(
                        f"the line has {len(row)} cells; the header has {width}",
                        location=Location(source=name, row=line),
                    )
                key = [cell.strip() for cell in row[: years[0]]]
                for dimension, code in zip(dimensions, key, strict=False):
                    if code not in dimension.texts[""]:
                        dimension.texts[""][code] = code
                        dimension.codes.append(code)
                for position, year in zip(years, time.codes, strict=True):
                    yield line, (*key, year), row[position].strip()
        finally:
            stream.close()

    return Table(name, "csv", {"": title}, dimensions, cells())
