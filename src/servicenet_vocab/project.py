"""Where the project's own files are: ontology/, shapes/, examples/ under the repository root.

The package is installed editable, so the root is the nearest ancestor of this file holding
``pyproject.toml``; ``SERVICENET_VOCAB_DIR`` overrides it (a deployment that ships the vocabulary
elsewhere). One place, so the CLI, the validator and the vocabulary loader agree.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "SERVICENET_VOCAB_DIR"


def project_dir() -> Path:
    """The directory holding ontology/ and shapes/ (``$SERVICENET_VOCAB_DIR`` wins)."""
    override = os.environ.get(ENV_VAR)
    if override:
        return Path(override)
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "pyproject.toml").is_file():
            return parent
    return Path.cwd()  # pragma: no cover - only when installed without the sources


def shapes_files() -> list[Path]:
    """The project's SHACL shapes: ``shapes/*.ttl``, sorted."""
    return sorted((project_dir() / "shapes").glob("*.ttl"))


def context_files() -> list[Path]:
    """The ontology, alignments and code lists: the vocabulary data is read against."""
    root = project_dir() / "ontology"
    core = [root / "servicenet.ttl"] if (root / "servicenet.ttl").is_file() else []
    return (
        core
        + sorted((root / "alignments").glob("*.ttl"))
        + sorted((root / "codelists").glob("*.ttl"))
    )
