"""Term-level differences between two versions of the vocabulary, each classified as breaking or not
for a dataset that conformed to the old version, and the semantic version the changes imply.

A version is a directory holding ``ontology/servicenet.ttl``, ``ontology/codelists/*.ttl`` and
``shapes/*.ttl`` (the project, a fixture or ``releases/<version>/``), a single Turtle file, or a git
ref (read with ``git show REF:path``).

Classification, for data that conformed before:
- breaking (major): a term or concept removed; a domain, range or superclass narrowed or dropped
  where data relied on it; a constraint tightened (minCount up, maxCount down, a narrower datatype,
  class or sh:in list, a new required property, a new target) at severity Violation.
- compatible (minor): terms and concepts added, deprecations and renames (``owl:deprecated`` +
  ``dct:isReplacedBy``), constraints loosened or removed, tightening at Warning/Info severity.
- documentation (patch): labels, definitions and shape messages per language.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import rdflib
from rdflib import OWL, RDFS, SKOS, Literal, URIRef
from rdflib.namespace import DCTERMS

from servicenet_vocab import namespaces as ns
from servicenet_vocab.quality.vocab import named_terms, short
from servicenet_vocab.steward.shape_changes import shape_changes
from servicenet_vocab.steward.versions import (
    VERSION_PATHS,
    Bump,
    Change,
    Diff,
    SemVer,
    Version,
    load_version,
    widens,
)

__all__ = [
    "VERSION_PATHS",
    "Bump",
    "Change",
    "Diff",
    "SemVer",
    "Version",
    "changes_table",
    "diff_versions",
    "load_version",
    "to_json",
    "to_markdown",
]


# --- comparing terms -------------------------------------------------------------------------


def diff_versions(old: Version, new: Version) -> Diff:
    changes = [*_term_changes(old, new), *_concept_changes(old, new), *shape_changes(old, new)]
    return Diff(old, new, changes)


_LABELS = (RDFS.label, SKOS.prefLabel, DCTERMS.title)


def _ontology_terms(version: Version) -> set[URIRef]:
    graph = version.ontology
    return {t for t in named_terms(graph) if str(t).startswith(ns.SN)}


def _term_changes(old: Version, new: Version) -> Iterator[Change]:
    before, after = _ontology_terms(old), _ontology_terms(new)
    for term in sorted(after - before):
        yield Change("added", str(term), f"new term {short(str(term))}", False, Bump.MINOR)
    for term in sorted(before - after):
        yield Change("removed", str(term), f"{short(str(term))} removed", True, Bump.MAJOR)
    for term in sorted(before & after):
        yield from _deprecation(old.ontology, new.ontology, term)
        yield from _literal_changes(old.ontology, new.ontology, term)
        yield from _axiom_changes(old.ontology, new, term)


def _deprecated(graph: rdflib.Graph, term: URIRef) -> bool:
    value = graph.value(term, OWL.deprecated)
    return isinstance(value, Literal) and str(value).lower() in ("true", "1")


def _deprecation(old: rdflib.Graph, new: rdflib.Graph, term: URIRef) -> Iterator[Change]:
    if _deprecated(new, term) and not _deprecated(old, term):
        replacement = new.value(term, DCTERMS.isReplacedBy)
        if replacement is not None:
            detail = f"{short(str(term))} renamed to {short(str(replacement))} (old IRI deprecated)"
            yield Change(
                "renamed", str(term), detail, False, Bump.MINOR, str(term), str(replacement)
            )
        else:
            yield Change(
                "deprecated", str(term), f"{short(str(term))} deprecated", False, Bump.MINOR
            )


def _by_language(
    graph: rdflib.Graph, term: URIRef, predicates: tuple[URIRef, ...]
) -> dict[str, str]:
    found: dict[str, str] = {}
    for predicate in predicates:
        for value in graph.objects(term, predicate):
            if isinstance(value, Literal):
                found.setdefault(value.language or "", str(value))
    return found


def _literal_changes(old: rdflib.Graph, new: rdflib.Graph, term: URIRef) -> Iterator[Change]:
    for kind, predicates in (("label", _LABELS), ("definition", (SKOS.definition,))):
        before, after = _by_language(old, term, predicates), _by_language(new, term, predicates)
        for lang in sorted(set(before) | set(after)):
            if before.get(lang) != after.get(lang):
                what = (
                    "added" if lang not in before else "removed" if lang not in after else "changed"
                )
                detail = f"{kind} @{lang or '(none)'} {what}"
                yield Change(
                    kind, str(term), detail, False, Bump.PATCH, before.get(lang), after.get(lang)
                )


def _axiom_changes(old: rdflib.Graph, new: Version, term: URIRef) -> Iterator[Change]:
    for kind, predicate in (
        ("domain", RDFS.domain),
        ("range", RDFS.range),
        ("superclass", RDFS.subClassOf),
    ):
        before = {v for v in old.objects(term, predicate) if isinstance(v, URIRef)}
        after = {v for v in new.ontology.objects(term, predicate) if isinstance(v, URIRef)}
        if before == after:
            continue
        old_text, new_text = _names(before), _names(after)
        if kind == "superclass":
            breaking = bool(before - after)  # instances no longer count as the dropped superclass
        elif not after:
            breaking = False  # the restriction was dropped: anything allowed before still is
        else:
            breaking = not widens(new.terms, before, after)
        verb = "narrowed or changed" if breaking else "widened or relaxed"
        detail = (
            f"{kind} of {short(str(term))} {verb}: {old_text or '(none)'} -> {new_text or '(none)'}"
        )
        yield Change(
            kind,
            str(term),
            detail,
            breaking,
            Bump.MAJOR if breaking else Bump.MINOR,
            old_text,
            new_text,
        )


def _names(values: set[URIRef]) -> str:
    return ", ".join(sorted(short(str(v)) for v in values))


# --- concepts in schemes ---------------------------------------------------------------------


def _memberships(graph: rdflib.Graph) -> set[tuple[URIRef, URIRef]]:
    return {
        (c, s)
        for c, s in graph.subject_objects(SKOS.inScheme)
        if isinstance(c, URIRef) and isinstance(s, URIRef)
    }


def _concept_changes(old: Version, new: Version) -> Iterator[Change]:
    before, after = _memberships(old.codelists), _memberships(new.codelists)
    for concept, scheme in sorted(after - before):
        detail = f"concept {short(str(concept))} added to {short(str(scheme))}"
        yield Change(
            "concept-added", str(concept), detail, False, Bump.MINOR, None, short(str(scheme))
        )
    for concept, scheme in sorted(before - after):
        detail = f"concept {short(str(concept))} removed from {short(str(scheme))}"
        yield Change(
            "concept-removed", str(concept), detail, True, Bump.MAJOR, short(str(scheme)), None
        )
    kept = {c for c, _ in before & after}
    old_schemes = {s for _, s in before}
    for term in sorted(kept | (old_schemes & {s for _, s in after})):
        yield from _deprecation(old.codelists, new.codelists, term)
        yield from _literal_changes(old.codelists, new.codelists, term)


# --- output ----------------------------------------------------------------------------------


def to_json(result: Diff) -> dict[str, Any]:
    return {
        "old": {"source": result.old.label, "version": result.old.version_info},
        "new": {"source": result.new.label, "version": result.new.version_info},
        "bump": result.bump.label,
        "next_version": result.next_version,
        "breaking": len(result.breaking),
        "changes": [c.to_dict() for c in result.changes],
    }


def changes_table(result: Diff) -> str:
    """The changes as a Markdown table (the release changelog uses it too)."""
    if not result.changes:
        return "No term-level changes.\n"
    rows = [
        "| change | term | details | old | new | breaking | bump |",
        "|---|---|---|---|---|---|---|",
    ]
    for c in result.changes:
        cells = [c.kind, f"`{short(c.term)}`", c.detail, c.old or "", c.new or ""]
        cells += ["**yes**" if c.breaking else "no", c.bump.label]
        rows.append("| " + " | ".join(_cell(x) for x in cells) + " |")
    return "\n".join(rows) + "\n"


def to_markdown(result: Diff) -> str:
    old = result.old.version_info or "?"
    head = f"# Changes from {result.old.label} ({old}) to {result.new.label}\n\n"
    summary = f"Implied version bump: **{result.bump.label}**"
    if result.next_version:
        summary += f"; next version **{result.next_version}**"
    summary += f". {len(result.changes)} change(s), {len(result.breaking)} breaking.\n\n"
    return head + summary + changes_table(result)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
