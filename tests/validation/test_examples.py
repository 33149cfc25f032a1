"""Every example is a test: valid/ conforms, invalid/ gives exactly its expected report.

An invalid example ``examples/invalid/<what-it-breaks>.ttl`` sits beside
``<what-it-breaks>.expected.json``, which lists the results as (focus_node, path, severity,
source_shape, constraint); the comparison is result by result (a multiset: a missing or an extra
result fails). Blank nodes have no stable label, so a blank focus node is written ``_:blank``.
After a deliberate change of the shapes, regenerate the expected reports with
``SERVICENET_UPDATE_EXPECTED=1 .venv/bin/python -m pytest tests/validation/test_examples.py`` and review the diff.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from servicenet_vocab.validation import ValidationReport, validate

ROOT = Path(__file__).resolve().parents[2]
VALID = sorted((ROOT / "examples" / "valid").glob("*.ttl"))
INVALID = sorted((ROOT / "examples" / "invalid").glob("*.ttl"))
FIELDS = ("focus_node", "path", "severity", "source_shape", "constraint")
UPDATE = os.environ.get("SERVICENET_UPDATE_EXPECTED") == "1"

Row = tuple[str | None, ...]


def rows(report: ValidationReport) -> list[Row]:
    """The report's results as comparable tuples, blank focus nodes normalised."""
    found = []
    for result in report.results:
        row = result.model_dump(include=set(FIELDS))
        row["severity"] = result.severity.value
        if row["focus_node"].startswith("_:"):
            row["focus_node"] = "_:blank"
        found.append(tuple(row[name] for name in FIELDS))
    return sorted(found, key=lambda r: tuple(x or "" for x in r))


def expected_path(example: Path) -> Path:
    return example.with_suffix(".expected.json")


def breaks(example: Path) -> str:
    """The example's second comment line: what it breaks, in words."""
    lines = example.read_text(encoding="utf-8").splitlines()
    return lines[1].removeprefix("#").strip() if len(lines) > 1 else ""


def write_expected(example: Path, found: list[Row]) -> None:
    document = {
        "example": example.name,
        "breaks": breaks(example),
        "results": [dict(zip(FIELDS, row, strict=True)) for row in found],
    }
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    expected_path(example).write_text(text, encoding="utf-8")


def load_expected(example: Path) -> list[Row]:
    document = json.loads(expected_path(example).read_text(encoding="utf-8"))
    return [tuple(item[name] for name in FIELDS) for item in document["results"]]


def test_there_are_examples() -> None:
    assert len(VALID) >= 1
    assert len(INVALID) >= 20


@pytest.mark.parametrize("example", VALID, ids=[p.name for p in VALID])
def test_valid_example_conforms(example: Path) -> None:
    """SHACL's conformance: no result at all, warnings and infos included (small cells are merged
    or withheld before a dataset is an example)."""
    report = validate(data=[example])
    assert report.conforms
    assert not report.results, "\n".join(
        f"{r.severity.value} {r.focus_node} {r.path} {r.source_shape}: {r.message} ({r.file}:{r.line})"
        for r in report.results[:20]
    )


@pytest.mark.parametrize("example", INVALID, ids=[p.name for p in INVALID])
def test_invalid_example_gives_its_expected_report(example: Path) -> None:
    found = rows(validate(data=[example]))
    if UPDATE:
        write_expected(example, found)
    assert expected_path(example).is_file(), f"{example.name} has no expected report"
    expected = load_expected(example)
    missing = Counter(expected) - Counter(found)
    extra = Counter(found) - Counter(expected)
    assert not missing and not extra, (
        f"missing: {sorted(missing.elements(), key=str)}\nextra: {sorted(extra.elements(), key=str)}"
    )
    assert found, "an invalid example must produce at least one result"


def test_every_expected_report_has_its_example() -> None:
    reports = sorted((ROOT / "examples" / "invalid").glob("*.expected.json"))
    orphans = [
        p.name
        for p in reports
        if not p.with_name(p.name.replace(".expected.json", ".ttl")).is_file()
    ]
    assert not orphans


def test_every_shapes_file_is_exercised_by_an_invalid_example() -> None:
    """Each shapes file's checks fail somewhere in examples/invalid (else its shapes are untested)."""
    fired = {row[3] for example in INVALID for row in load_expected(example)}
    import pyoxigraph as ox

    unexercised = []
    for shapes_file in sorted((ROOT / "shapes").glob("*.ttl")):
        if shapes_file.name == "common.ttl":  # untargeted building blocks, used through the others
            continue
        named = {
            q.subject.value
            for q in ox.parse(path=shapes_file)
            if isinstance(q.subject, ox.NamedNode)
        }
        if not named & fired:
            unexercised.append(shapes_file.name)
    assert not unexercised


def test_invalid_examples_cover_every_severity() -> None:
    severities = {row[2] for example in INVALID for row in load_expected(example)}
    assert severities == {"Violation", "Warning", "Info"}
