"""A planning answer on the map: the rows of a named query's SPARQL JSON results joined to the
features their IRIs name. The spatial column is found from the answer itself (whichever way the
query is computed): the variable whose values name the most distinct features, the later one on
a tie (``municipality, area, unit``: the unit). Each joined row is one feature with the row's
values as properties (numbers as numbers) and the geometry of the thing it is about.

>>> from shapely.geometry import Point
>>> index = {"urn:u1": Feature("u1", "urn:u1", Point(25, 60), {"name": "U1"})}
>>> results = {"head": {"vars": ["area", "unit", "rate"]}, "results": {"bindings": [
...     {"unit": {"type": "uri", "value": "urn:u1"},
...      "rate": {"type": "literal", "value": "0.9",
...               "datatype": "http://www.w3.org/2001/XMLSchema#decimal"}}]}}
>>> answer = join_answer(results, index)
>>> answer.column, [(f.id, f.properties["rate"], f.properties["name"]) for f in answer.features]
('unit', [('1', 0.9, 'U1')])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from servicenet_vocab.features.model import Feature
from servicenet_vocab.features.sources import plain

__all__ = ["Answer", "join_answer", "measures"]


@dataclass
class Answer:
    column: str | None  # the variable the rows are placed by; None: nothing joined
    features: list[Feature] = field(default_factory=list)
    variables: list[str] = field(default_factory=list)


def _bindings(results: Mapping[str, Any]) -> tuple[list[str], list[Mapping[str, Any]]]:
    head = results.get("head", {}) if isinstance(results, Mapping) else {}
    body = results.get("results", {}) if isinstance(results, Mapping) else {}
    variables = [str(v) for v in head.get("vars", [])]
    rows = [row for row in body.get("bindings", []) if isinstance(row, Mapping)]
    return variables, rows


def join_answer(results: Mapping[str, Any], index: Mapping[str, Feature]) -> Answer:
    """The rows of ``results`` placed on the features of ``index`` (by IRI)."""
    variables, rows = _bindings(results)
    found: dict[str, set[str]] = {name: set() for name in variables}
    for row in rows:
        for name in variables:
            term = row.get(name)
            if term and term.get("type") == "uri" and term["value"] in index:
                found[name].add(term["value"])
    best = max(
        ((len(values), position, name) for position, (name, values) in enumerate(found.items())),
        default=(0, 0, None),
    )
    column = best[2] if best[0] else None
    answer = Answer(column=column, variables=variables)
    if column is None:
        return answer
    for number, row in enumerate(rows, start=1):
        term = row.get(column)
        target = index.get(term["value"]) if term else None
        if target is None:
            continue
        properties: dict[str, Any] = {
            "feature": target.id,
            "name": target.properties.get("name"),
        }
        properties.update({name: plain(row.get(name)) for name in variables})
        answer.features.append(
            Feature(
                id=str(number),
                iri=target.iri,
                geometry=target.geometry,
                properties=properties,
                start=target.start,
                end=target.end,
                municipality=target.municipality,
            )
        )
    return answer


def measures(answer: Answer) -> list[str]:
    """The variables whose values are numbers in every joined row that has them."""
    numeric = []
    for name in answer.variables:
        values = [f.properties.get(name) for f in answer.features]
        present = [v for v in values if v is not None]
        if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
            numeric.append(name)
    return numeric
