"""Lint output: a text listing, JSON, or GitHub workflow annotations."""

from __future__ import annotations

import json

from servicenet_vocab.quality.engine import LintReport
from servicenet_vocab.quality.model import Severity

FORMATS = ("text", "json", "github")
_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def summary(report: LintReport) -> str:
    return (
        f"{report.errors} error(s), {report.count(Severity.WARNING)} warning(s), "
        f"{report.count(Severity.INFO)} info ({len(report.checks_run)} checks)"
    )


def render(report: LintReport, fmt: str) -> str:
    if fmt == "json":
        body = {
            "ok": report.ok,
            "summary": {s.value: report.count(s) for s in Severity},
            "checks": report.checks_run,
            "findings": [f.to_dict() for f in report.findings],
        }
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        lines = []
        for f in report.findings:
            where = f"file={f.file},line={f.line or 1}," if f.file else ""
            text = _escape(f"{f.term}: {f.message}")
            lines.append(f"::{_GITHUB_LEVEL[f.severity]} {where}title={f.check}::{text}")
        return "\n".join([*lines, summary(report)]) + "\n"
    lines = [
        f"{f.file or '?'}:{f.line or '?'}: {f.severity.value} [{f.check}] <{f.term}> {f.message}"
        for f in report.findings
    ]
    return "\n".join([*lines, summary(report)]) + "\n"


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
