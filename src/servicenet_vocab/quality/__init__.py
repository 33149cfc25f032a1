"""Vocabulary lint: the QC violation queries plus Python checks (qSKOS-style SKOS quality, fi/sv/en
coverage, label hygiene, undefined terms, shape sanity), each finding with a severity from the
profile and the file and line where its term is defined.

>>> from servicenet_vocab.quality import lint
>>> lint().ok  # doctest: +SKIP
True
"""

from servicenet_vocab.quality.engine import LintReport, lint
from servicenet_vocab.quality.model import REGISTRY, Finding, Severity
from servicenet_vocab.quality.profile import SeverityProfile, load_profile

__all__ = [
    "REGISTRY",
    "Finding",
    "LintReport",
    "Severity",
    "SeverityProfile",
    "lint",
    "load_profile",
]
