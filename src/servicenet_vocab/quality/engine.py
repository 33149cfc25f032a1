"""Run every check over a vocabulary tree and place each finding in its source file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from servicenet_vocab.quality import label_checks, shape_checks, skos_checks, term_checks
from servicenet_vocab.quality.model import REGISTRY, Finding, Issue, Severity
from servicenet_vocab.quality.profile import SeverityProfile, default_profile_path, load_profile
from servicenet_vocab.quality.sources import Sources, load_sources
from servicenet_vocab.quality.sparql_checks import qc_queries, run_qc_queries
from servicenet_vocab.vocabulary import files as vocabulary

CHECK_MODULES = (skos_checks, label_checks, term_checks, shape_checks)  # importing registers them


@dataclass
class LintReport:
    findings: list[Finding]
    checks_run: list[str]

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def ok(self) -> bool:
        return self.errors == 0


def lint(
    root: Path | None = None,
    *,
    profile: SeverityProfile | Path | None = None,
    sources: Sources | None = None,
) -> LintReport:
    """Lint the vocabulary under ``root`` (default: the project) with a severity profile
    (default: ``ontology/qc/severity-profile.yaml`` under the root, when it exists)."""
    base = vocabulary.require_tree(root) if root else vocabulary.project_root()
    chosen = _profile(base, profile)
    tree = sources or load_sources(base)
    findings: list[Finding] = []
    for item in REGISTRY.values():
        findings += [_finding(item.id, issue, chosen, tree, base) for issue in item.run(tree)]
    checks_run = list(REGISTRY) + [q.check_id for q in qc_queries(base)]
    for query, issue in run_qc_queries(base):
        findings.append(_finding(query.check_id, issue, chosen, tree, base))
    findings.sort(key=lambda f: (f.file or "~", f.line or 0, f.check, f.term))
    return LintReport(findings, checks_run)


def _profile(root: Path, profile: SeverityProfile | Path | None) -> SeverityProfile:
    if isinstance(profile, SeverityProfile):
        return profile
    path = profile or default_profile_path(root)
    if profile is None and not path.is_file():
        return SeverityProfile()
    return load_profile(path)


def _finding(
    check_id: str, issue: Issue, profile: SeverityProfile, sources: Sources, root: Path
) -> Finding:
    file, line = issue.file, issue.line
    if file is None:
        position = sources.index.locate(issue.term)
        if position is not None:
            file, line = position.file, position.line
    return Finding(
        check=check_id,
        severity=profile.severity(check_id),
        term=issue.term,
        message=issue.message,
        file=_relative(file, root) if file else None,
        line=line,
    )


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)
