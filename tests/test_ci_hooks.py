"""CI for a city's data repository: the pre-commit hook run by the real `pre-commit` tool in a
temporary git repository, and the GitHub composite action's validation step run as the runner would."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
VALID = ROOT / "examples" / "valid" / "kauniainen-235.ttl"
INVALID = ROOT / "examples" / "invalid" / "negative-capacity.ttl"
BIN = Path(sys.executable).parent


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, timeout=60
    )
    return done.stdout.strip()


@pytest.fixture()
def city(tmp_path: Path) -> Path:
    """A city's data repository holding one valid and one invalid dataset."""
    repo = tmp_path / "kauniainen-data"
    (repo / "data").mkdir(parents=True)
    shutil.copy(VALID, repo / "data")
    shutil.copy(INVALID, repo / "data")
    git(repo, "init", "--quiet")
    git(repo, "config", "user.email", "ci@example.invalid")
    git(repo, "config", "user.name", "city ci")
    return repo


@pytest.mark.slow
def test_the_pre_commit_hook_refuses_the_invalid_file(
    city: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    rev = git(ROOT, "rev-parse", "HEAD")
    if not git(ROOT, "ls-tree", "--name-only", rev, ".pre-commit-hooks.yaml"):
        pytest.fail(".pre-commit-hooks.yaml must be committed: pre-commit installs hooks at a rev")
    config = {"repos": [{"repo": str(ROOT), "rev": rev, "hooks": [{"id": "servicenet-validate"}]}]}
    (city / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(city, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path_factory.mktemp("pre-commit-home"))}

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "pre-commit"), "run", "--all-files", "--color", "never"],
            cwd=city,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,  # the first run builds the hook's environment (pip install of the rev)
        )

    refused = run()
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "servicenet validate" in refused.stdout and "Failed" in refused.stdout
    assert "must not be negative" in refused.stdout  # the invalid file's violation, reported
    git(city, "rm", "--quiet", "--force", "data/negative-capacity.ttl")
    passed = run()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def _validate_step() -> str:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    assert {"files", "junit", "fail-on", "lang"} <= set(action["inputs"])
    (step,) = [s for s in action["runs"]["steps"] if s.get("name") == "Validate"]
    assert step["shell"] == "bash"
    return str(step["run"])


def _as_the_runner(script: str, inputs: dict[str, str]) -> str:
    """Expand ``${{ inputs.NAME }}`` as GitHub does before the shell sees the script."""

    def value(match: re.Match[str]) -> str:
        return inputs[match.group(1)]

    return re.sub(r"\$\{\{\s*inputs\.([\w-]+)\s*\}\}", value, script)


@pytest.mark.parametrize(
    ("files", "code", "failures"),
    [("data/**/*.ttl", 1, True), ("data/kauniainen-235.ttl", 0, False), ("nothing/*.ttl", 0, None)],
    ids=["one-invalid", "valid-only", "no-match"],
)
def test_the_action_annotates_and_writes_junit(
    city: Path, files: str, code: int, failures: bool | None
) -> None:
    inputs = {
        "files": files,
        "junit": "reports/servicenet.xml",
        "fail-on": "violation",
        "lang": "fi",
    }
    script = _as_the_runner(_validate_step(), inputs)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "-e", "-c", script], cwd=city, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == code, done.stdout + done.stderr
    report = city / "reports" / "servicenet.xml"
    if failures is None:
        assert "::notice::" in done.stdout and not report.exists()
        return
    suite = ET.parse(report).getroot()
    assert (int(suite.get("failures", "0")) > 0) is failures
    if failures:
        assert re.search(r"^::error file=data/negative-capacity\.ttl,line=\d+", done.stdout, re.M)
        assert "ei saa olla negatiivinen" in done.stdout  # --lang fi reached the messages
