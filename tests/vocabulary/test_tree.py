"""Which vocabulary tree a command reads, and the refusal of a folder that is not one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from servicenet_vocab.cli import main
from servicenet_vocab.errors import InputError
from servicenet_vocab.vocabulary.files import project_root, require_tree

ROOT = Path(__file__).resolve().parents[2]


def test_the_checkout_is_the_tree_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SERVICENET_VOCAB_DIR", raising=False)
    assert project_root() == ROOT


def test_the_setting_wins_and_must_be_a_tree(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("SERVICENET_VOCAB_DIR", str(tmp_path))
    with pytest.raises(
        InputError, match=r"is not a vocabulary tree: it has no ontology/servicenet\.ttl"
    ):
        project_root()
    assert require_tree(ROOT) == ROOT


@pytest.mark.parametrize(
    "argv",
    [
        ["lint"],
        ["docs", "-o", "{tmp}/site"],
        ["release", "9.9.9", "--out", "{tmp}/releases"],
        ["validate", str(ROOT / "examples" / "valid" / "kauniainen-235.ttl")],
    ],
    ids=["lint", "docs", "release", "validate"],
)
def test_commands_given_no_tree_say_so_and_exit_2(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in argv]
    assert main([*args, "--vocabulary", str(empty)]) == 2
    assert f"{empty} is not a vocabulary tree" in capsys.readouterr().err
    assert not (tmp_path / "site").exists() and not (tmp_path / "releases").exists()


def test_diff_of_two_ontology_folders_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two ontology/ folders are not two trees: this used to print "No term-level changes"."""
    old, new = tmp_path / "ontology.orig", tmp_path / "ontology"
    for folder in (old, new):
        (folder / "codelists").mkdir(parents=True)
    assert main(["diff", str(old), str(new)]) == 2
    assert "is not a vocabulary tree" in capsys.readouterr().err


def test_vocabulary_selects_a_working_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(ROOT / "ontology", copy / "ontology")
    shutil.copytree(ROOT / "shapes", copy / "shapes")
    (copy / "shapes" / "capacity.ttl").unlink()  # the working copy drops the capacity shapes
    invalid = ROOT / "examples" / "invalid" / "negative-capacity.ttl"
    monkeypatch.delenv("SERVICENET_VOCAB_DIR", raising=False)
    assert main(["validate", str(invalid)]) == 1
    assert main(["validate", str(invalid), "--vocabulary", str(copy)]) == 0
    assert main(["validate", str(invalid)]) == 1  # the setting lasted one command only
