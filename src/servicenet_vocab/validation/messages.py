"""Result messages: the shape's ``sh:message`` in the reader's language, or one made from the constraint.

Language choice: the requested language, then English, then a message without a language tag, then
any. ``{$param}`` / ``{?var}`` placeholders are filled from the constraint's parameters or the
SPARQL solution (SHACL §5.3.2).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pyoxigraph as ox

from servicenet_vocab.validation.report import Term, term_text

_PLACEHOLDER = re.compile(r"\{[$?]([A-Za-z_][A-Za-z0-9_]*)\}")


def pick(messages: Sequence[ox.Literal], lang: str) -> ox.Literal | None:
    """The message in ``lang``, else English, else untagged, else the first one."""
    if not messages:
        return None
    by_lang = {(m.language or "").lower(): m for m in reversed(messages)}
    for wanted in (lang.lower(), "en", ""):
        if wanted in by_lang:
            return by_lang[wanted]
        for message in messages:  # a regional tag such as fi-FI counts for fi
            if (message.language or "").lower().split("-")[0] == wanted and wanted:
                return message
    return messages[0]


def fill(template: str, bindings: Mapping[str, Term | None]) -> str:
    """Replace ``{$name}`` and ``{?name}`` with the bound terms; unknown names stay as written."""

    def replace(match: re.Match[str]) -> str:
        term = bindings.get(match.group(1))
        return term_text(term) or match.group(0) if term is not None else match.group(0)

    return _PLACEHOLDER.sub(replace, template)


def _short(iri: str) -> str:
    from servicenet_vocab.namespaces import PREFIXES

    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and len(iri) > len(base):
            return f"{prefix}:{iri[len(base) :]}"
    return f"<{iri}>"


def term_short(term: Term | None) -> str:
    if term is None:
        return "(none)"
    if isinstance(term, ox.NamedNode):
        return _short(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if term.language:
        return f'"{term.value}"@{term.language}'
    return f'"{term.value}"'


_TEMPLATES = {
    "Class": "sh:class {p}: the value {value} must be an instance of {arg}",
    "Datatype": "sh:datatype {p}: the value {value} must be a well-formed {arg} literal",
    "NodeKind": "sh:nodeKind {p}: the value {value} must be of node kind {arg}",
    "MinCount": "sh:minCount {arg}: at least {arg} value(s) of {path} required, found {count}",
    "MaxCount": "sh:maxCount {arg}: at most {arg} value(s) of {path} allowed, found {count}",
    "MinExclusive": "sh:minExclusive {p}: the value {value} must be greater than {arg}",
    "MinInclusive": "sh:minInclusive {p}: the value {value} must be at least {arg}",
    "MaxExclusive": "sh:maxExclusive {p}: the value {value} must be less than {arg}",
    "MaxInclusive": "sh:maxInclusive {p}: the value {value} must be at most {arg}",
    "MinLength": "sh:minLength {p}: the value {value} must have at least {arg} characters",
    "MaxLength": "sh:maxLength {p}: the value {value} must have at most {arg} characters",
    "Pattern": "sh:pattern {p}: the value {value} must match the pattern {arg}",
    "LanguageIn": "sh:languageIn {p}: the value {value} must have one of the language tags {arg}",
    "UniqueLang": "sh:uniqueLang {p}: more than one value of {path} has the language tag {arg}",
    "Equals": "sh:equals {p}: the value {value} must also be a value of {arg} (and vice versa)",
    "Disjoint": "sh:disjoint {p}: the value {value} must not also be a value of {arg}",
    "LessThan": "sh:lessThan {p}: the value {value} must be less than every value of {arg}",
    "LessThanOrEquals": "sh:lessThanOrEquals {p}: the value {value} must not be greater than "
    "any value of {arg}",
    "In": "sh:in {p}: the value {value} is not one of the allowed values {arg}",
    "HasValue": "sh:hasValue {p}: the value {arg} is required",
    "Node": "sh:node {p}: the value {value} does not conform to the shape {arg}",
    "Not": "sh:not {p}: the value {value} must not conform to the shape {arg}",
    "And": "sh:and {p}: the value {value} must conform to all of the shapes {arg}",
    "Or": "sh:or {p}: the value {value} must conform to at least one of the shapes {arg}",
    "Xone": "sh:xone {p}: the value {value} must conform to exactly one of the shapes {arg}",
    "Closed": "sh:closed: the property {path} is not allowed on a closed shape (value {value})",
    "QualifiedMinCount": "sh:qualifiedMinCount {arg}: at least {arg} value(s) of {path} must "
    "conform to the qualified shape, found {count}",
    "QualifiedMaxCount": "sh:qualifiedMaxCount {arg}: at most {arg} value(s) of {path} may "
    "conform to the qualified shape, found {count}",
    "SPARQL": "the SPARQL constraint {arg} is not met (value {value})",
}


def generated(
    component: str,
    *,
    path: str | None,
    value: Term | None,
    arg: str,
    count: int | None = None,
) -> str:
    """A readable English message for a result whose shape has no ``sh:message``."""
    template = _TEMPLATES.get(component, "the constraint {component} is not met (value {value})")
    if path and " " not in path and path.startswith(("http:", "https:", "urn:")):
        path = _short(path)
    on = f"on {path}" if path else "on the focus node"
    return template.format(
        p=on,
        path=path or "the focus node",
        value=term_short(value),
        arg=arg,
        count="?" if count is None else count,
        component=component,
    )
