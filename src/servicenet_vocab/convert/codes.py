"""Code text → code-list concept, read from ``ontology/codelists/*.ttl`` (the one source of truth).

A value matches a concept by its ``skos:notation``, by any ``skos:prefLabel``/``altLabel``/
``hiddenLabel`` in any language, or by its ``sn:vardaCode``/``sn:evakaCode``; matching ignores case,
repeated whitespace and the difference between a hyphen and an en dash ("0–6-vuotiaat"). A mapping
file can add a city's own words on top (``values:`` in the mapping), which win over the code list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from pydantic_core import PydanticCustomError

from servicenet_vocab import rdfio
from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.namespaces import CODE, RDFS, SKOS, SN
from servicenet_vocab.vocabulary.files import project_root

__all__ = ["CodeList", "CodeLists", "load_code_lists", "normalise"]

_SPACES = re.compile(r"[\s\u00a0]+")
_DASHES = str.maketrans({"–": "-", "—": "-", "‐": "-", "−": "-"})
_MATCHED_BY = {
    SKOS + "notation",
    SKOS + "prefLabel",
    SKOS + "altLabel",
    SKOS + "hiddenLabel",
    SN + "vardaCode",
    SN + "evakaCode",
}
_IN_SCHEME = SKOS + "inScheme"
_PREF_LABEL = SKOS + "prefLabel"
_NOTATION = SKOS + "notation"
_KEPT = {SN + "businessId", SN + "municipalityCode", RDFS + "seeAlso"}
_AMBIGUOUS = "\x00ambiguous"


def normalise(text: str) -> str:
    """The form values are compared in: case-folded, dashes unified, whitespace collapsed."""
    return _SPACES.sub(" ", text.translate(_DASHES)).strip().casefold()


@dataclass
class CodeList:
    """One concept scheme: its concepts and every text that names one of them."""

    name: str
    scheme: str
    keys: dict[str, str] = field(default_factory=dict)
    notations: dict[str, str] = field(default_factory=dict)  # concept IRI -> notation
    labels: dict[str, str] = field(default_factory=dict)  # concept IRI -> English or any label
    pref_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # concept -> lang -> label
    data: dict[str, dict[str, str]] = field(default_factory=dict)  # concept -> property -> value

    def add_key(self, text: str, concept: str) -> None:
        key = normalise(text)
        known = self.keys.get(key)
        self.keys[key] = concept if known in (None, concept) else _AMBIGUOUS

    def concept(self, notation: str) -> str:
        """The IRI of the concept with this notation (a programming error if there is none)."""
        iri = f"{self.scheme}/{notation}"
        if iri not in self.notations:
            raise KeyError(f"{self.name} has no concept {notation!r}")
        return iri

    def lookup(self, value: str, extra: Mapping[str, str] | None = None) -> str:
        """The concept IRI a text names; ``extra`` maps normalised city words to concept IRIs."""
        key = normalise(value)
        found = (extra or {}).get(key) or self.keys.get(key)
        if found == _AMBIGUOUS:
            raise PydanticCustomError(
                "ambiguous_code",
                "'{value}' names more than one concept of the {scheme} code list; use its notation",
                {"value": value, "scheme": self.name},
            )
        if found is None:
            raise PydanticCustomError(
                "unknown_code",
                "'{value}' is not {article} {scheme} code; expected {expected}",
                {
                    "value": value,
                    # "an organisation-form code", "a service-type code"
                    "article": "an" if self.name[:1] in "aeiou" else "a",
                    "scheme": self.name,
                    "expected": self.expected(),
                },
            )
        return found

    def expected(self) -> str:
        if len(self.notations) > 12:
            return f"a notation or a fi/sv/en label of <{self.scheme}>"
        names = [f"{n} ({self.labels[c]})" for c, n in sorted(self.notations.items())]
        return "one of " + ", ".join(names)


@dataclass
class CodeLists:
    """Every code list by its short name (the file name: ``organisation-form``, ``language``...)."""

    lists: dict[str, CodeList]

    def __getitem__(self, name: str) -> CodeList:
        try:
            return self.lists[name]
        except KeyError:
            known = ", ".join(sorted(self.lists))
            raise InputError(f"no code list named {name!r}; known: {known}") from None

    def __contains__(self, name: object) -> bool:
        return name in self.lists


def load_code_lists(files: Iterable[Path] | None = None) -> CodeLists:
    """Read the code lists (the project's ``ontology/codelists/*.ttl`` unless files are given)."""
    paths = tuple(files) if files is not None else _project_code_list_files()
    return _load(paths)


def _project_code_list_files() -> tuple[Path, ...]:
    return tuple(sorted((project_root() / "ontology" / "codelists").glob("*.ttl")))


@lru_cache(maxsize=4)
def _load(paths: tuple[Path, ...]) -> CodeLists:
    lists: dict[str, CodeList] = {}
    for path in paths:
        code_list = _read_one(path)
        lists[code_list.name] = code_list
    return CodeLists(lists)


def _read_one(path: Path) -> CodeList:
    quads = rdfio.parse(path)
    name = path.stem
    code_list = CodeList(name=name, scheme=CODE + name)
    texts: list[tuple[str, str]] = []
    labels = code_list.pref_labels
    for quad in quads:
        subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
        if not isinstance(subject, ox.NamedNode) or isinstance(obj, ox.Triple):
            continue
        if predicate in _KEPT:
            code_list.data.setdefault(subject.value, {})[predicate] = obj.value
        if predicate == _IN_SCHEME and obj.value == code_list.scheme:
            code_list.notations.setdefault(subject.value, "")
        elif predicate in _MATCHED_BY and isinstance(obj, ox.Literal):
            texts.append((obj.value, subject.value))
            if predicate == _NOTATION:
                code_list.notations[subject.value] = obj.value
            if predicate == _PREF_LABEL:
                labels.setdefault(subject.value, {})[obj.language or ""] = obj.value
    if not code_list.notations:
        raise InputError(
            f"no concepts of <{code_list.scheme}> found", location=Location(source=str(path))
        )
    for text, concept in texts:
        if concept in code_list.notations:
            code_list.add_key(text, concept)
    for concept in code_list.notations:
        by_lang = labels.get(concept, {})
        code_list.labels[concept] = by_lang.get("en") or next(iter(by_lang.values()), concept)
    return code_list
