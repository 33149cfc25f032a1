"""Report serialisations: Turtle (a standard sh:ValidationReport), text for people, JUnit, GitHub."""

from __future__ import annotations

from collections import defaultdict
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from servicenet_vocab.namespaces import RDF, SH, XSD
from servicenet_vocab.validation.messages import term_short
from servicenet_vocab.validation.report import Severity, ValidationReport, ValidationResult
from servicenet_vocab.validation.shapes import path_triples


def _sh(name: str) -> ox.NamedNode:
    return ox.NamedNode(SH + name)


def _term(text: str | None) -> ox.NamedNode | ox.BlankNode | ox.Literal | None:
    if text is None:
        return None
    if text.startswith("_:"):
        return ox.BlankNode(text[2:])
    try:
        return ox.NamedNode(text)
    except ValueError:
        return ox.Literal(text)


def turtle(report: ValidationReport) -> str:
    """The report as the standard ``sh:ValidationReport`` graph (SHACL §3.6)."""
    root = ox.BlankNode()
    triples = [
        ox.Triple(root, ox.NamedNode(RDF + "type"), _sh("ValidationReport")),
        ox.Triple(
            root,
            _sh("conforms"),
            ox.Literal(str(report.conforms).lower(), datatype=ox.NamedNode(XSD + "boolean")),
        ),
    ]
    for result in report.results:
        node = ox.BlankNode()
        triples.append(ox.Triple(root, _sh("result"), node))
        triples += _result_triples(node, result)
    prefixes = {"sh": SH, "xsd": XSD, "rdf": RDF}
    data = ox.serialize(triples, None, ox.RdfFormat.TURTLE, prefixes=prefixes)
    assert isinstance(data, bytes)
    return data.decode("utf-8")


def _result_triples(node: ox.BlankNode, result: ValidationResult) -> list[ox.Triple]:
    terms = result.terms
    out = [ox.Triple(node, ox.NamedNode(RDF + "type"), _sh("ValidationResult"))]
    focus = terms.focus_node if terms else _term(result.focus_node)
    value = terms.value if terms else _term(result.value)
    shape = terms.source_shape if terms else _term(result.source_shape)
    assert focus is not None and shape is not None
    out.append(ox.Triple(node, _sh("focusNode"), focus))
    if value is not None:
        out.append(ox.Triple(node, _sh("value"), value))
    path = terms.path if terms else None
    if isinstance(path, tuple):
        head, more = path_triples(path)
        out += more
        out.append(ox.Triple(node, _sh("resultPath"), head))
    elif isinstance(path, ox.NamedNode):
        out.append(ox.Triple(node, _sh("resultPath"), path))
    elif result.path and terms is None:
        out.append(ox.Triple(node, _sh("resultPath"), ox.NamedNode(result.path)))
    severity = terms.severity if terms else result.severity.iri
    out.append(ox.Triple(node, _sh("resultSeverity"), ox.NamedNode(severity)))
    out.append(ox.Triple(node, _sh("sourceShape"), shape))
    out.append(ox.Triple(node, _sh("sourceConstraintComponent"), ox.NamedNode(result.constraint)))
    if terms is not None and terms.constraint_node is not None:
        out.append(ox.Triple(node, _sh("sourceConstraint"), terms.constraint_node))
    if result.message:
        out.append(ox.Triple(node, _sh("resultMessage"), ox.Literal(result.message)))
    return out


def _where(result: ValidationResult) -> str:
    if result.file is None:
        return ""
    return f" ({result.file}:{result.line})" if result.line else f" ({result.file})"


def text(report: ValidationReport) -> str:
    """Results grouped by focus node, most severe first, with where each node is described."""
    if not report.results:
        return "Conforms: no results.\n"
    groups: dict[str, list[ValidationResult]] = defaultdict(list)
    for result in report.results:
        groups[result.focus_node].append(result)
    lines = [_summary(report), ""]
    for focus, results in sorted(groups.items()):
        lines.append(f"{focus}{_where(results[0])}")
        for r in sorted(results, key=lambda r: (-r.severity.rank, r.path or "", r.message)):
            path = f" [{r.path}]" if r.path else ""
            value = (
                f" (value: {_value_text(r)})" if r.value is not None and r.value != focus else ""
            )
            lines.append(f"  {r.severity.value.upper():9} {r.message}{path}{value}")
            lines.append(f"            shape {r.source_shape}, {r.constraint.rsplit('#', 1)[-1]}")
        lines.append("")
    return "\n".join(lines)


def _value_text(result: ValidationResult) -> str:
    """The value as written, with its datatype or language when it is a typed literal."""
    term = result.terms.value if result.terms else None
    if isinstance(term, ox.Literal):
        if term.language:
            return f'"{term.value}"@{term.language}'
        if term.datatype.value != XSD + "string":
            return f'"{term.value}"^^{term_short(term.datatype)}'
        return f'"{term.value}"'
    return result.value or ""


def _summary(report: ValidationReport) -> str:
    # SHACL's sh:conforms is false for any result; a person needs to know whether anything
    # breaks exchange (a violation) or only degrades it (warnings, infos).
    if report.conforms:
        verdict = "Conforms"
    elif report.count(Severity.VIOLATION):
        verdict = "Does not conform"
    else:
        verdict = "No violations (SHACL: does not conform, warnings and infos are results)"
    counts = ", ".join(
        f"{report.count(s)} {s.value.lower()}{'s' if report.count(s) != 1 else ''}"
        for s in type(report.results[0].severity)
    )
    return f"{verdict}: {counts}."


def junit(report: ValidationReport) -> str:
    """One test case per focus node; a failure per result of that node."""
    groups: dict[str, list[ValidationResult]] = defaultdict(list)
    for result in report.results:
        groups[result.focus_node].append(result)
    failures = sum(len(v) for v in groups.values())
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuite name="servicenet validate" tests="{max(len(groups), 1)}" '
        f'failures="{failures}" errors="0">',
    ]
    if not groups:
        out.append('  <testcase classname="shacl" name="conforms"/>')
    for focus, results in sorted(groups.items()):
        file_attr = f" file={quoteattr(results[0].file)}" if results[0].file else ""
        out.append(f'  <testcase classname="shacl" name={quoteattr(focus)}{file_attr}>')
        for r in results:
            where = _where(r).strip(" ()")
            out.append(
                f"    <failure type={quoteattr(r.severity.value)} message={quoteattr(r.message)}>"
                f"{escape(f'{r.source_shape} {r.constraint} path={r.path} value={r.value} {where}')}"
                "</failure>"
            )
        out.append("  </testcase>")
    out.append("</testsuite>")
    return "\n".join(out) + "\n"


_GITHUB_LEVEL = {"Violation": "error", "Warning": "warning", "Info": "notice"}


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(report: ValidationReport) -> str:
    """GitHub Actions workflow commands: ``::error file=..,line=..::message``."""
    lines = []
    for r in report.results:
        props = []
        if r.file:
            props.append(f"file={_escape_property(r.file)}")
            if r.line:
                props.append(f"line={r.line}")
        props.append(f"title={_escape_property(r.constraint.rsplit('#', 1)[-1])}")
        message = f"{r.focus_node}: {r.message}"
        lines.append(
            f"::{_GITHUB_LEVEL[r.severity.value]} {','.join(props)}::{_escape_data(message)}"
        )
    return "\n".join(lines) + ("\n" if lines else "")
