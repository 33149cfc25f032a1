"""SKOS code lists to and from the Interoperability Platform's code-list service (koodistot.suomi.fi).

The service imports an Excel workbook with a ``CodeSchemes`` sheet (one row per scheme) and a
``Codes`` sheet (one row per code); its column names are those of the service's content-intake
(``ApiConstants`` in VRK-YTI/yti-codelist-common-model): ``CODEVALUE``, ``URI``, ``BROADER``,
``STATUS``, ``PREFLABEL_<LANG>``, ``DEFINITION_<LANG>``, ``DESCRIPTION_<LANG>``, ``ORDER``,
``STARTDATE``, ``ENDDATE``, ... Its public API exports codes as CSV with the same headers and as
JSON objects (``codeValue``, ``uri``, ``status``, ``order``, ``prefLabel``/``definition``/
``description`` maps per language, ``startDate``, ``endDate``, ``broaderCode`` or
``broaderCodeId``), see ``CodeDTO`` and ``CodeExporter`` of the same projects.

The mapping (one table, read both ways):

    skos:notation (else the IRI's last segment)  CODEVALUE
    the concept's / scheme's IRI                 URI
    skos:broader (one; the rest: see below)      BROADER
    owl:deprecated true                          STATUS SUPERSEDED (with dct:isReplacedBy) or RETIRED
    skos:prefLabel / dct:title (schemes)         PREFLABEL_<LANG>
    skos:definition                              DEFINITION_<LANG>
    skos:scopeNote / dct:description (schemes)   DESCRIPTION_<LANG>
    schema:position                              ORDER
    sn:validFrom, sn:validTo                     STARTDATE, ENDDATE
    dct:source (schemes)                         SOURCE

The service keeps one broader code; a concept with several (e.g. age bands that lie in two wider
bands) gets the first in BROADER and the others in ``ADDITIONAL_BROADER`` (space-separated code
values), a column of ours the service does not read. Everything else a concept states (other
types, notes, exactMatch links, project properties) is not carried: ``Export.not_carried`` counts
it, and ``skos_projection`` is exactly the part that survives a round trip.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import rdflib
from rdflib import OWL, RDF, SKOS, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from servicenet_vocab import namespaces as ns
from servicenet_vocab import rdfio
from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.quality.vocab import short

__all__ = [
    "CODES_SHEET",
    "SCHEMES_SHEET",
    "STATUSES",
    "CodeRow",
    "Export",
    "SchemeRow",
    "export_schemes",
    "read_koodistot",
    "schemes_in",
    "skos_projection",
    "to_graph",
    "write_workbook",
]

SCHEMES_SHEET = "CodeSchemes"
CODES_SHEET = "Codes"
STATUSES = ("VALID", "DRAFT", "INCOMPLETE", "SUPERSEDED", "RETIRED", "INVALID")
RETIRED_STATUSES = frozenset({"SUPERSEDED", "RETIRED", "INVALID"})
LANGUAGES = ("fi", "sv", "en")  # always given a column, in this order; others follow sorted

SN = rdflib.Namespace(ns.SN)
SCHEMA = rdflib.Namespace(ns.SCHEMA)
VALID_FROM, VALID_TO, POSITION = SN.validFrom, SN.validTo, SCHEMA.position
ADDITIONAL_BROADER = "ADDITIONAL_BROADER"

# What a concept and a scheme may state that the workbook carries; the rest is counted, not kept.
CONCEPT_CARRIED = frozenset(
    {
        RDF.type,
        SKOS.inScheme,
        SKOS.topConceptOf,
        SKOS.notation,
        SKOS.prefLabel,
        SKOS.definition,
        SKOS.scopeNote,
        SKOS.broader,
        POSITION,
        VALID_FROM,
        VALID_TO,
        OWL.deprecated,
    }
)
SCHEME_CARRIED = frozenset(
    {
        RDF.type,
        DCTERMS.title,
        SKOS.definition,
        DCTERMS.description,
        DCTERMS.source,
        SKOS.hasTopConcept,
        VALID_FROM,
        VALID_TO,
        OWL.deprecated,
    }
)
_LOCALISED = {
    "PREFLABEL_": "pref_label",
    "DEFINITION_": "definition",
    "DESCRIPTION_": "description",
}


@dataclass
class CodeRow:
    code_value: str
    uri: str
    status: str = "VALID"
    broader: list[str] = field(default_factory=list)
    pref_label: dict[str, str] = field(default_factory=dict)
    definition: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    order: int | None = None
    start: date | None = None
    end: date | None = None


@dataclass
class SchemeRow:
    code_value: str
    uri: str
    status: str = "VALID"
    source: str | None = None
    pref_label: dict[str, str] = field(default_factory=dict)
    definition: dict[str, str] = field(default_factory=dict)
    description: dict[str, str] = field(default_factory=dict)
    start: date | None = None
    end: date | None = None
    codes: list[CodeRow] = field(default_factory=list)


@dataclass
class Export:
    """One scheme as workbook rows, with what the workbook could not carry."""

    scheme: SchemeRow
    not_carried: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)


# --- SKOS -> rows -------------------------------------------------------------------------------


def schemes_in(graph: rdflib.Graph) -> list[URIRef]:
    return sorted(s for s in graph.subjects(RDF.type, SKOS.ConceptScheme) if isinstance(s, URIRef))


def members(graph: rdflib.Graph, scheme: URIRef) -> set[URIRef]:
    found = set(graph.subjects(SKOS.inScheme, scheme)) | set(
        graph.subjects(SKOS.topConceptOf, scheme)
    )
    found |= set(graph.objects(scheme, SKOS.hasTopConcept))
    return {c for c in found if isinstance(c, URIRef)}


def last_segment(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/#"))[-1]


def _code_value(graph: rdflib.Graph, concept: URIRef) -> str:
    notations = sorted(str(n) for n in graph.objects(concept, SKOS.notation))
    return notations[0] if notations else last_segment(concept)


def _by_language(
    graph: rdflib.Graph, subject: URIRef, predicate: URIRef, warnings: list[str]
) -> dict[str, str]:
    values: dict[str, str] = {}
    for literal in sorted(o for o in graph.objects(subject, predicate) if isinstance(o, Literal)):
        if not literal.language:
            continue  # counted as not carried by _not_carried
        if literal.language in values:
            warnings.append(
                f"{short(subject)}: more than one {short(predicate)} in {literal.language}; "
                "the workbook holds one, the first is kept"
            )
            continue
        values[literal.language] = str(literal)
    return values


def _date(graph: rdflib.Graph, subject: URIRef, predicate: URIRef) -> date | None:
    for value in graph.objects(subject, predicate):
        if isinstance(value, Literal) and isinstance(value.toPython(), date):
            found = value.toPython()
            return found.date() if isinstance(found, datetime) else found
    return None


def _deprecated(graph: rdflib.Graph, subject: URIRef) -> bool:
    return any(
        isinstance(v, Literal) and v.toPython() is True
        for v in graph.objects(subject, OWL.deprecated)
    )


def _status(graph: rdflib.Graph, subject: URIRef) -> str:
    if not _deprecated(graph, subject):
        return "VALID"
    return "SUPERSEDED" if (subject, DCTERMS.isReplacedBy, None) in graph else "RETIRED"


def _not_carried(
    graph: rdflib.Graph, subject: URIRef, carried: frozenset[URIRef], own_type: URIRef
) -> Iterator[str]:
    for predicate, value in graph.predicate_objects(subject):
        if predicate == RDF.type and value == own_type:
            continue
        if predicate in carried and predicate != RDF.type:
            untagged = isinstance(value, Literal) and not value.language
            if not (untagged and predicate in (SKOS.prefLabel, SKOS.definition, SKOS.scopeNote)):
                continue
        name = short(str(predicate))
        yield f"{name} {short(str(value))}" if predicate == RDF.type else name


def export_scheme(graph: rdflib.Graph, scheme: URIRef) -> Export:
    """The rows of one scheme; raises InputError when two concepts share a code value."""
    warnings: list[str] = []
    not_carried: Counter[str] = Counter(
        _not_carried(graph, scheme, SCHEME_CARRIED, SKOS.ConceptScheme)
    )
    sources = sorted(str(s) for s in graph.objects(scheme, DCTERMS.source))
    if len(sources) > 1:
        warnings.append(f"{short(scheme)}: {len(sources)} dct:source values; the first is kept")
    row = SchemeRow(
        code_value=last_segment(scheme),
        uri=str(scheme),
        status=_status(graph, scheme),
        source=sources[0] if sources else None,
        pref_label=_by_language(graph, scheme, DCTERMS.title, warnings),
        definition=_by_language(graph, scheme, SKOS.definition, warnings),
        description=_by_language(graph, scheme, DCTERMS.description, warnings),
        start=_date(graph, scheme, VALID_FROM),
        end=_date(graph, scheme, VALID_TO),
    )
    concepts = members(graph, scheme)
    values: dict[URIRef, str] = {}
    seen: dict[str, URIRef] = {}
    for concept in sorted(concepts):
        value = _code_value(graph, concept)
        if value in seen:
            raise InputError(
                f"{short(concept)} and {short(seen[value])} share the code value {value!r}; "
                "a code list needs one code value per concept",
                location=Location(focus_node=str(concept)),
            )
        seen[value] = concept
        values[concept] = value
    for concept in sorted(concepts, key=lambda c: _sort_key(graph, c, values[c])):
        broader: list[str] = []
        for parent in sorted(_broader(graph, concept)):
            if parent in values:
                broader.append(values[parent])
            else:
                warnings.append(
                    f"{short(concept)}: broader {short(parent)} is not in {short(scheme)}; not carried"
                )
        broader.sort()
        order = _position(graph, concept)
        row.codes.append(
            CodeRow(
                code_value=values[concept],
                uri=str(concept),
                status=_status(graph, concept),
                broader=broader,
                pref_label=_by_language(graph, concept, SKOS.prefLabel, warnings),
                definition=_by_language(graph, concept, SKOS.definition, warnings),
                description=_by_language(graph, concept, SKOS.scopeNote, warnings),
                order=order,
                start=_date(graph, concept, VALID_FROM),
                end=_date(graph, concept, VALID_TO),
            )
        )
        not_carried.update(_not_carried(graph, concept, CONCEPT_CARRIED, SKOS.Concept))
    several = [c.code_value for c in row.codes if len(c.broader) > 1]
    if several:
        warnings.append(
            f"{short(scheme)}: {len(several)} codes have more than one broader "
            f"({', '.join(several[:5])}{', ...' if len(several) > 5 else ''}); the service keeps "
            f"BROADER, the others are in {ADDITIONAL_BROADER}"
        )
    return Export(row, not_carried, warnings)


def _broader(graph: rdflib.Graph, concept: URIRef) -> set[URIRef]:
    found = set(graph.objects(concept, SKOS.broader)) | set(graph.subjects(SKOS.narrower, concept))
    return {c for c in found if isinstance(c, URIRef)}


def _position(graph: rdflib.Graph, concept: URIRef) -> int | None:
    for value in graph.objects(concept, POSITION):
        if isinstance(value, Literal) and isinstance(value.toPython(), int):
            return int(value.toPython())
    return None


def _sort_key(graph: rdflib.Graph, concept: URIRef, value: str) -> tuple[int, int, str]:
    order = _position(graph, concept)
    if order is not None:
        return (0, order, value)
    return (1, 0, value)


def export_schemes(graph: rdflib.Graph, names: Sequence[str] = ()) -> list[Export]:
    """Every scheme of the graph (or those whose IRI ends in one of ``names``)."""
    chosen = schemes_in(graph)
    if names:
        by_name = {last_segment(s): s for s in chosen}
        unknown = [n for n in names if n not in by_name]
        if unknown:
            raise InputError(
                f"no code list named {', '.join(unknown)}; the code lists are: "
                + ", ".join(sorted(by_name)),
                location=Location(field="--scheme"),
            )
        chosen = [by_name[n] for n in names]
    return [export_scheme(graph, scheme) for scheme in chosen]


# --- rows -> workbook ---------------------------------------------------------------------------


def _languages(rows: Iterable[SchemeRow | CodeRow], attribute: str) -> list[str]:
    found = {lang for row in rows for lang in getattr(row, attribute)}
    return [*LANGUAGES, *sorted(found - set(LANGUAGES))]


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def write_workbook(
    export: Export, path: Path, *, information_domain: str | None = None
) -> tuple[int, int]:
    """Write the import workbook of one scheme; returns (schemes, codes) written."""
    scheme, codes = export.scheme, export.scheme.codes
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = SCHEMES_SHEET
    scheme_languages = {a: _languages([scheme], a) for a in _LOCALISED.values()}
    all_languages = sorted(
        {lang for row in [scheme, *codes] for a in _LOCALISED.values() for lang in getattr(row, a)}
    )
    header = ["CODEVALUE", "URI", "INFORMATIONDOMAIN", "LANGUAGECODE", "STATUS", "SOURCE"]
    header += [p + lang.upper() for p, a in _LOCALISED.items() for lang in scheme_languages[a]]
    header += ["STARTDATE", "ENDDATE"]
    sheet.append(header)
    values: list[Any] = [
        scheme.code_value,
        scheme.uri,
        information_domain or "",
        ";".join(all_languages),
        scheme.status,
        scheme.source or "",
    ]
    values += [
        getattr(scheme, a).get(lang, "")
        for a in _LOCALISED.values()
        for lang in scheme_languages[a]
    ]
    values += [_iso(scheme.start), _iso(scheme.end)]
    sheet.append(values)

    sheet = workbook.create_sheet(CODES_SHEET)
    code_languages = {a: _languages(codes, a) for a in _LOCALISED.values()}
    extra = any(len(c.broader) > 1 for c in codes)
    header = ["CODEVALUE", "URI", "BROADER", "STATUS"]
    header += [p + lang.upper() for p, a in _LOCALISED.items() for lang in code_languages[a]]
    header += ["ORDER", "STARTDATE", "ENDDATE"] + ([ADDITIONAL_BROADER] if extra else [])
    sheet.append(header)
    for code in codes:
        values = [code.code_value, code.uri, code.broader[0] if code.broader else "", code.status]
        values += [
            getattr(code, a).get(lang, "")
            for a in _LOCALISED.values()
            for lang in code_languages[a]
        ]
        values += ["" if code.order is None else code.order, _iso(code.start), _iso(code.end)]
        if extra:
            values.append(" ".join(code.broader[1:]))
        sheet.append(values)
    for column_cells in sheet.columns:  # code values such as "005" stay text in Excel
        for cell in column_cells:
            if isinstance(cell.value, str):
                cell.number_format = "@"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return 1, len(codes)


# --- workbook / CSV / JSON -> rows --------------------------------------------------------------


@dataclass(frozen=True)
class _Cell:
    """Where one value was read, for error messages."""

    source: str
    row: int
    column: str

    def location(self) -> Location:
        return Location(source=self.source, row=self.row, field=self.column)


def _fail(cell: _Cell, message: str) -> InputError:
    return InputError(message, location=cell.location())


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _parse_date(value: Any, cell: _Cell) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[T ].*)?", text)
    try:
        if match:
            return date.fromisoformat(match.group(1))
    except ValueError:
        pass
    raise _fail(cell, f"{text!r} is not a date (YYYY-MM-DD)")


def _parse_order(value: Any, cell: _Cell) -> int | None:
    text = _text(value)
    if not text:
        return None
    if not re.fullmatch(r"-?\d+", text):
        raise _fail(cell, f"{text!r} is not a whole number")
    return int(text)


def _parse_status(value: Any, cell: _Cell) -> str:
    text = _text(value).upper()
    if text not in STATUSES:
        raise _fail(cell, f"status {_text(value)!r} is not one of {', '.join(STATUSES)}")
    return text


@dataclass
class _Table:
    """Rows of one sheet or CSV file, keyed by upper-case header."""

    source: str
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]]

    def require(self, *columns: str) -> None:
        missing = [c for c in columns if c not in self.header]
        if missing:
            raise InputError(
                f"missing column {', '.join(missing)} (the header row has: "
                f"{', '.join(h for h in self.header if h) or 'nothing'})",
                location=Location(source=self.source, row=1),
            )


def _table(source: str, rows: Iterable[Sequence[Any]]) -> _Table:
    iterator = iter(rows)
    first = next(iterator, None)
    header = [_text(h).upper() for h in (first or [])]
    body: list[tuple[int, dict[str, Any]]] = []
    for number, values in enumerate(iterator, start=2):
        if all(_text(v) == "" for v in values):
            continue
        body.append((number, {h: v for h, v in zip(header, values, strict=False) if h}))
    return _Table(source, header, body)


def _localised(table: _Table, record: dict[str, Any], attribute: str) -> dict[str, str]:
    prefix = next(p for p, a in _LOCALISED.items() if a == attribute)
    return {
        h[len(prefix) :].lower(): _text(record.get(h))
        for h in table.header
        if h.startswith(prefix) and len(h) > len(prefix) and _text(record.get(h))
    }


def _scheme_rows(table: _Table) -> list[SchemeRow]:
    table.require("CODEVALUE", "STATUS")
    schemes = []
    for number, record in table.rows:
        cell = lambda column, n=number: _Cell(table.source, n, column)  # noqa: E731
        value = _text(record.get("CODEVALUE"))
        if not value:
            raise _fail(cell("CODEVALUE"), "a code scheme needs a CODEVALUE")
        schemes.append(
            SchemeRow(
                code_value=value,
                uri=_text(record.get("URI")),
                status=_parse_status(record.get("STATUS"), cell("STATUS")),
                source=_text(record.get("SOURCE")) or None,
                pref_label=_localised(table, record, "pref_label"),
                definition=_localised(table, record, "definition"),
                description=_localised(table, record, "description"),
                start=_parse_date(record.get("STARTDATE"), cell("STARTDATE")),
                end=_parse_date(record.get("ENDDATE"), cell("ENDDATE")),
            )
        )
    return schemes


def _code_rows(table: _Table) -> list[tuple[CodeRow, dict[str, _Cell]]]:
    table.require("CODEVALUE", "STATUS")
    codes: list[tuple[CodeRow, dict[str, _Cell]]] = []
    seen: dict[str, int] = {}
    for number, record in table.rows:
        cells = {c: _Cell(table.source, number, c) for c in table.header}
        value = _text(record.get("CODEVALUE"))
        if not value:
            raise _fail(cells["CODEVALUE"], "a code needs a CODEVALUE")
        if value in seen:
            raise _fail(cells["CODEVALUE"], f"code value {value!r} is already on row {seen[value]}")
        seen[value] = number
        broader = [_text(record.get("BROADER"))] if _text(record.get("BROADER")) else []
        broader += _text(record.get(ADDITIONAL_BROADER)).split()
        code = CodeRow(
            code_value=value,
            uri=_text(record.get("URI")),
            status=_parse_status(record.get("STATUS"), cells["STATUS"]),
            broader=broader,
            pref_label=_localised(table, record, "pref_label"),
            definition=_localised(table, record, "definition"),
            description=_localised(table, record, "description"),
            order=_parse_order(record.get("ORDER"), cells.get("ORDER", cells["CODEVALUE"])),
            start=_parse_date(record.get("STARTDATE"), cells.get("STARTDATE", cells["CODEVALUE"])),
            end=_parse_date(record.get("ENDDATE"), cells.get("ENDDATE", cells["CODEVALUE"])),
        )
        codes.append((code, cells))
    return codes


def _check_broader(codes: list[tuple[CodeRow, dict[str, _Cell]]]) -> None:
    values = {code.code_value for code, _ in codes}
    for code, cells in codes:
        for index, parent in enumerate(code.broader):
            if parent not in values:
                column = "BROADER" if index == 0 else ADDITIONAL_BROADER
                raise _fail(
                    cells.get(column, cells["CODEVALUE"]),
                    f"broader code {parent!r} is not a code of this list",
                )
            if parent == code.code_value:
                raise _fail(
                    cells.get(column, cells["CODEVALUE"]), "a code cannot be its own broader code"
                )


def _read_workbook(path: Path) -> list[SchemeRow]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise InputError(
            f"not an Excel workbook (.xlsx): {error}", location=Location(source=str(path))
        ) from None
    try:
        sheets = {name: workbook[name] for name in workbook.sheetnames}
        if SCHEMES_SHEET not in sheets:
            raise InputError(
                f"no sheet {SCHEMES_SHEET!r} (the workbook has: {', '.join(sheets)})",
                location=Location(source=str(path)),
            )

        def table(name: str) -> _Table:
            rows = sheets[name].iter_rows(values_only=True)
            return _table(f"{path}, sheet {name!r}", rows)

        schemes_table = table(SCHEMES_SHEET)
        schemes = _scheme_rows(schemes_table)
        if not schemes:
            raise InputError(
                "no code scheme row", location=Location(source=schemes_table.source, row=2)
            )
        sheet_of = {
            number: _text(record.get("CODESSHEET")) or None for number, record in schemes_table.rows
        }
        for (number, _), scheme in zip(schemes_table.rows, schemes, strict=True):
            name = sheet_of[number] or (CODES_SHEET if len(schemes) == 1 else None)
            if name is None:
                raise InputError(
                    "with more than one code scheme, each names its codes sheet in CODESSHEET",
                    location=Location(source=schemes_table.source, row=number, field="CODESSHEET"),
                )
            if name not in sheets:
                raise InputError(
                    f"no sheet {name!r} (the workbook has: {', '.join(sheets)})",
                    location=Location(source=schemes_table.source, row=number, field="CODESSHEET"),
                )
            codes = _code_rows(table(name))
            _check_broader(codes)
            scheme.codes = [code for code, _ in codes]
        return schemes
    finally:
        workbook.close()


def _read_csv(path: Path, scheme: SchemeRow | None) -> list[SchemeRow]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"CSV must be UTF-8: {error.reason}", location=Location(source=str(path))
        ) from None
    codes = _code_rows(_table(str(path), csv.reader(io.StringIO(text))))
    _check_broader(codes)
    if scheme is None:
        scheme = _scheme_from(None, [code for code, _ in codes], str(path))
    scheme.codes = [code for code, _ in codes]
    return [scheme]


def _json_codes(document: Any, source: str) -> list[dict[str, Any]]:
    if isinstance(document, dict):
        for key in ("results", "codes"):
            if isinstance(document.get(key), list):
                document = document[key]
                break
    if not isinstance(document, list) or not all(isinstance(item, dict) for item in document):
        raise InputError(
            "expected the service's JSON of codes: a list of code objects, or an object with "
            "'results' (the codelist-api's response)",
            location=Location(source=source),
        )
    return document


def _map(item: dict[str, Any], key: str, cell: _Cell) -> dict[str, str]:
    value = item.get(key) or {}
    if not isinstance(value, dict):
        raise _fail(cell, f"{key} must be an object of language: text")
    return {
        str(lang).lower(): str(text).strip()
        for lang, text in value.items()
        if text and str(text).strip()
    }


def _read_json(path: Path, scheme: SchemeRow | None) -> list[SchemeRow]:
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(
            f"cannot read file: {error.strerror}", location=Location(source=source)
        ) from None
    items = _json_codes(rdfio.load_json(data, source=source), source)
    by_id: dict[str, str] = {}
    for item in items:
        if item.get("id") and item.get("codeValue"):
            by_id[str(item["id"])] = str(item["codeValue"])
    codes: list[tuple[CodeRow, dict[str, _Cell]]] = []
    seen: dict[str, int] = {}
    found_scheme: dict[str, Any] | None = None
    for number, item in enumerate(items, start=1):
        cells = {k: _Cell(source, number, k) for k in (*item, "codeValue", "status")}
        value = _text(item.get("codeValue"))
        if not value:
            raise _fail(cells["codeValue"], "a code needs a codeValue")
        if value in seen:
            raise _fail(cells["codeValue"], f"code value {value!r} is already code {seen[value]}")
        seen[value] = number
        broader_value = ""
        broader = item.get("broaderCode")
        if isinstance(broader, dict):
            broader_value = _text(broader.get("codeValue")) or by_id.get(str(broader.get("id")), "")
        elif item.get("broaderCodeId"):
            broader_value = by_id.get(str(item["broaderCodeId"]), "")
            if not broader_value:
                raise _fail(
                    cells["broaderCodeId"], f"no code in this file has id {item['broaderCodeId']}"
                )
        if isinstance(item.get("codeScheme"), dict) and found_scheme is None:
            found_scheme = item["codeScheme"]
        codes.append(
            (
                CodeRow(
                    code_value=value,
                    uri=_text(item.get("uri")),
                    status=_parse_status(item.get("status") or "VALID", cells["status"]),
                    broader=[broader_value] if broader_value else [],
                    pref_label=_map(item, "prefLabel", cells["codeValue"]),
                    definition=_map(item, "definition", cells["codeValue"]),
                    description=_map(item, "description", cells["codeValue"]),
                    order=_parse_order(item.get("order"), cells.get("order", cells["codeValue"])),
                    start=_parse_date(
                        item.get("startDate"), cells.get("startDate", cells["codeValue"])
                    ),
                    end=_parse_date(item.get("endDate"), cells.get("endDate", cells["codeValue"])),
                ),
                {
                    "BROADER": cells.get("broaderCode", cells["codeValue"]),
                    "CODEVALUE": cells["codeValue"],
                },
            )
        )
    _check_broader(codes)
    if scheme is None:
        scheme = _scheme_from(found_scheme, [c for c, _ in codes], source)
    scheme.codes = [code for code, _ in codes]
    return [scheme]


def _scheme_from(found: dict[str, Any] | None, codes: list[CodeRow], source: str) -> SchemeRow:
    if found and _text(found.get("uri")):
        uri = _text(found["uri"])
        return SchemeRow(
            code_value=_text(found.get("codeValue")) or last_segment(uri),
            uri=uri,
            pref_label={k.lower(): str(v) for k, v in (found.get("prefLabel") or {}).items() if v},
        )
    uris = {c.uri.rsplit("/code/", 1)[0] for c in codes if "/code/" in c.uri}
    if len(uris) == 1:
        uri = uris.pop()
        return SchemeRow(code_value=last_segment(uri), uri=uri)
    raise InputError(
        "the codes do not name their code scheme (no codeScheme, no code URIs of the form "
        ".../<scheme>/code/<value>): give the scheme IRI with --scheme",
        location=Location(source=source),
    )


def read_koodistot(path: Path, *, scheme_iri: str | None = None) -> list[SchemeRow]:
    """Read a code-list workbook (.xlsx), or the service's CSV or JSON export of codes."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise InputError("no such file", location=Location(source=str(path)))
    given = SchemeRow(code_value=last_segment(scheme_iri), uri=scheme_iri) if scheme_iri else None
    if suffix in (".xlsx", ".xlsm"):
        schemes = _read_workbook(path)
        if given is not None:
            if len(schemes) != 1:
                raise InputError(
                    "--scheme names one scheme; the workbook has several",
                    location=Location(source=str(path)),
                )
            schemes[0].uri = given.uri
        return schemes
    if suffix == ".csv":
        return _read_csv(path, given)
    if suffix == ".json":
        return _read_json(path, given)
    raise InputError(
        f"unknown input type {suffix or '(none)'}: give a .xlsx workbook, or the service's .csv or .json export",
        location=Location(source=str(path)),
    )


# --- rows -> SKOS -------------------------------------------------------------------------------


def _lang_literals(values: dict[str, str]) -> Iterator[Literal]:
    for lang, text in sorted(values.items()):
        yield Literal(text, lang=lang)


def _source_term(text: str) -> URIRef | Literal:
    return URIRef(text) if re.fullmatch(r"https?://\S+", text) else Literal(text)


def to_graph(
    schemes: Sequence[SchemeRow], *, base: str = ns.CODE
) -> tuple[rdflib.Graph, list[str]]:
    """SKOS for the rows; returns the graph and warnings (statuses SKOS cannot state)."""
    graph = rdflib.Graph()
    for prefix, iri in ns.PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    warnings: list[str] = []
    for scheme in schemes:
        s = URIRef(scheme.uri or base + scheme.code_value)
        graph.add((s, RDF.type, SKOS.ConceptScheme))
        for literal in _lang_literals(scheme.pref_label):
            graph.add((s, DCTERMS.title, literal))
        for literal in _lang_literals(scheme.definition):
            graph.add((s, SKOS.definition, literal))
        for literal in _lang_literals(scheme.description):
            graph.add((s, DCTERMS.description, literal))
        if scheme.source:
            graph.add((s, DCTERMS.source, _source_term(scheme.source)))
        _validity(graph, s, scheme.status, scheme.start, scheme.end, warnings, scheme.code_value)
        iris = {c.code_value: URIRef(c.uri or f"{s}/{c.code_value}") for c in scheme.codes}
        for code in scheme.codes:
            c = iris[code.code_value]
            graph.add((c, RDF.type, SKOS.Concept))
            graph.add((c, SKOS.inScheme, s))
            graph.add((c, SKOS.notation, Literal(code.code_value)))
            for literal in _lang_literals(code.pref_label):
                graph.add((c, SKOS.prefLabel, literal))
            for literal in _lang_literals(code.definition):
                graph.add((c, SKOS.definition, literal))
            for literal in _lang_literals(code.description):
                graph.add((c, SKOS.scopeNote, literal))
            for parent in code.broader:
                graph.add((c, SKOS.broader, iris[parent]))
            if not code.broader:
                graph.add((c, SKOS.topConceptOf, s))
                graph.add((s, SKOS.hasTopConcept, c))
            if code.order is not None:
                graph.add((c, POSITION, Literal(code.order, datatype=XSD.integer)))
            _validity(graph, c, code.status, code.start, code.end, warnings, code.code_value)
    return graph, warnings


def _validity(
    graph: rdflib.Graph,
    subject: URIRef,
    status: str,
    start: date | None,
    end: date | None,
    warnings: list[str],
    name: str,
) -> None:
    if status in RETIRED_STATUSES:
        graph.add((subject, OWL.deprecated, Literal(True)))
    elif status != "VALID":
        warnings.append(
            f"{name}: status {status} has no SKOS counterpart; imported as a current concept"
        )
    if start:
        graph.add((subject, VALID_FROM, Literal(start, datatype=XSD.date)))
    if end:
        graph.add((subject, VALID_TO, Literal(end, datatype=XSD.date)))


# --- the part of SKOS a round trip keeps --------------------------------------------------------


class _PlainGraph(rdflib.Graph):
    """A graph that stores ``"x"^^xsd:string`` as ``"x"``."""

    def add(self, triple: Any) -> _PlainGraph:
        s, p, o = triple
        if isinstance(o, Literal) and o.datatype == XSD.string:
            o = Literal(str(o))
        super().add((s, p, o))
        return self


def skos_projection(graph: rdflib.Graph, schemes: Iterable[URIRef] | None = None) -> rdflib.Graph:
    """What the workbook carries of ``graph``'s schemes, normalised: skos:narrower read as
    skos:broader, top concepts stated both ways, ``owl:deprecated false`` as absent, broader links
    within the scheme only, language-tagged texts only, ``xsd:string`` literals as plain ones (the
    same literal in RDF 1.1; rdflib keeps them apart). Export then import gives this back."""
    out = _PlainGraph()
    for scheme in schemes if schemes is not None else schemes_in(graph):
        out.add((scheme, RDF.type, SKOS.ConceptScheme))
        for predicate in (DCTERMS.title, SKOS.definition, DCTERMS.description):
            for value in graph.objects(scheme, predicate):
                if isinstance(value, Literal) and value.language:
                    out.add((scheme, predicate, value))
        for predicate in (DCTERMS.source, VALID_FROM, VALID_TO):
            for value in sorted(graph.objects(scheme, predicate), key=str)[:1]:
                out.add((scheme, predicate, value))
        if _deprecated(graph, scheme):
            out.add((scheme, OWL.deprecated, Literal(True)))
        concepts = members(graph, scheme)
        for concept in concepts:
            out.add((concept, RDF.type, SKOS.Concept))
            out.add((concept, SKOS.inScheme, scheme))
            out.add((concept, SKOS.notation, Literal(_code_value(graph, concept))))
            for predicate in (SKOS.prefLabel, SKOS.definition, SKOS.scopeNote):
                for value in graph.objects(concept, predicate):
                    if isinstance(value, Literal) and value.language:
                        out.add((concept, predicate, value))
            parents = _broader(graph, concept) & concepts
            for parent in parents:
                out.add((concept, SKOS.broader, parent))
            if not parents:
                out.add((concept, SKOS.topConceptOf, scheme))
                out.add((scheme, SKOS.hasTopConcept, concept))
            for predicate in (POSITION, VALID_FROM, VALID_TO):
                for value in graph.objects(concept, predicate):
                    out.add((concept, predicate, value))
            if _deprecated(graph, concept):
                out.add((concept, OWL.deprecated, Literal(True)))
    return out
