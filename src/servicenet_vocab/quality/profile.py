"""The severity profile: which severity each check reports with (``ontology/qc/severity-profile.yaml``).

    checks:
      orphan-concept: warning
      qc:label-count: error
    qc-default: error        # any QC query not listed

A check missing from the profile reports as ``warning``; an unknown check id or severity is an
input error naming the file and line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from servicenet_vocab.errors import InputError, Location
from servicenet_vocab.quality.model import REGISTRY, Severity
from servicenet_vocab.vocabulary import files as vocabulary

PROFILE_PATH = Path("ontology") / "qc" / "severity-profile.yaml"


@dataclass
class SeverityProfile:
    checks: dict[str, Severity] = field(default_factory=dict)
    qc_default: Severity = Severity.ERROR
    fallback: Severity = Severity.WARNING

    def severity(self, check_id: str) -> Severity:
        if check_id in self.checks:
            return self.checks[check_id]
        return self.qc_default if check_id.startswith("qc:") else self.fallback


def default_profile_path(root: Path | None = None) -> Path:
    return (root or vocabulary.project_root()) / PROFILE_PATH


def load_profile(path: Path) -> SeverityProfile:
    """Read and check a profile file."""
    try:
        node = yaml.compose(path.read_text("utf-8"))
    except OSError as error:
        raise InputError(
            f"cannot read: {error.strerror}", location=Location(source=str(path))
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise InputError(
            f"not valid YAML: {getattr(error, 'problem', error)}",
            location=Location(source=str(path), line=mark.line + 1 if mark else None),
        ) from None
    profile = SeverityProfile()
    if not isinstance(node, yaml.MappingNode):
        return profile
    for key, value in node.value:
        if key.value == "qc-default":
            profile.qc_default = _severity(value, path)
        elif key.value == "checks" and isinstance(value, yaml.MappingNode):
            for check_key, check_value in value.value:
                _known(check_key, path)
                profile.checks[check_key.value] = _severity(check_value, path)
        else:
            raise _error(key, path, f"unknown key {key.value!r} (use 'checks' or 'qc-default')")
    return profile


def _known(node: yaml.Node, path: Path) -> None:
    if node.value not in REGISTRY and not str(node.value).startswith("qc:"):
        raise _error(node, path, f"unknown check {node.value!r}")


def _severity(node: yaml.Node, path: Path) -> Severity:
    try:
        return Severity(str(node.value))
    except ValueError:
        raise _error(
            node, path, f"severity must be error, warning or info, not {node.value!r}"
        ) from None


def _error(node: yaml.Node, path: Path, message: str) -> InputError:
    return InputError(
        message,
        location=Location(
            source=str(path), line=node.start_mark.line + 1, column=node.start_mark.column + 1
        ),
    )
