"""The build hook that puts the vocabulary into the wheel; everything else is in pyproject.toml.

A wheel carries ontology/, shapes/, context/ and the valid examples as package data under
servicenet_vocab/vocabulary/data/, so `servicenet validate FILE` works wherever the package is
installed. An editable install reads the checkout itself and gets no copy.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

VOCABULARY = ("ontology", "shapes", "context", "examples/valid")


class BuildPyWithVocabulary(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "servicenet_vocab" / "vocabulary" / "data"
        for name in VOCABULARY:
            source = Path(name)
            if not source.is_dir():
                raise SystemExit(f"setup.py: {source} is missing: the wheel must carry it")
            shutil.copytree(source, target / name, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildPyWithVocabulary})
