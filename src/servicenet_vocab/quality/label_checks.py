"""Language coverage and label hygiene. Labels are counted per language: one rdfs:label each in fi,
sv and en is correct (ROBOT's default report would flag it as a duplicate label)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rdflib import SKOS, Literal

from servicenet_vocab.quality.model import Issue, check
from servicenet_vocab.quality.sources import Role, Sources
from servicenet_vocab.quality.vocab import (
    LABEL_PROPERTIES,
    REQUIRED_LANGUAGES,
    label_property,
    languages,
    named_terms,
    short,
)

_STRAY_SPACE = re.compile(r"^\s|\s$|\s{2,}|[\t\n\r]")


@check("missing-language-label", qskos="Incomplete Language Coverage")
def missing_language_labels(sources: Sources) -> Iterator[Issue]:
    """A term with a label but none in one of fi, sv, en."""
    graph = sources.vocabulary()
    for term in sorted(named_terms(graph)):
        predicate = label_property(graph, term)
        present = languages(graph, term, predicate)
        missing = [lang for lang in REQUIRED_LANGUAGES if lang not in present]
        if present and missing:
            yield Issue(
                str(term),
                f"no {short(str(predicate))} in {', '.join(missing)} (has {_list(present)})",
            )


@check("missing-language-definition", qskos="Incomplete Language Coverage")
def missing_language_definitions(sources: Sources) -> Iterator[Issue]:
    """A term without a skos:definition in one of fi, sv, en."""
    graph = sources.vocabulary()
    for term in sorted(named_terms(graph)):
        present = languages(graph, term, SKOS.definition)
        missing = [lang for lang in REQUIRED_LANGUAGES if lang not in present]
        if missing:
            yield Issue(str(term), f"no skos:definition in {', '.join(missing)}")


@check("label-without-language")
def labels_without_language(sources: Sources) -> Iterator[Issue]:
    """A label of a term written without a language tag."""
    graph = sources.vocabulary()
    for term in sorted(named_terms(graph)):
        for predicate in LABEL_PROPERTIES:
            for value in graph.objects(term, predicate):
                if isinstance(value, Literal) and not value.language:
                    yield Issue(str(term), f'{short(str(predicate))} "{value}" has no language tag')


@check("label-whitespace")
def label_whitespace(sources: Sources) -> Iterator[Issue]:
    """A label with leading or trailing whitespace, a double space, a tab or a line break."""
    graphs = (sources.vocabulary(), sources.graph(Role.SHAPES))
    for graph in graphs:
        for predicate in LABEL_PROPERTIES:
            for term, value in sorted(graph.subject_objects(predicate)):
                if isinstance(value, Literal) and _STRAY_SPACE.search(str(value)):
                    tag = f"@{value.language}" if value.language else ""
                    yield Issue(
                        str(term),
                        f"{short(str(predicate))} {str(value)!r}{tag} has stray whitespace",
                    )


def _list(values: set[str]) -> str:
    return ", ".join(sorted(v or "(none)" for v in values))
