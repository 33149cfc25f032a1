"""The package as a city's CI installs it: `python -m build`, a fresh venv, the wheel, and
`servicenet validate` from a directory outside the repository."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from servicenet_vocab import __version__

ROOT = Path(__file__).resolve().parents[1]
CARRIED = (  # what the wheel must hold for the commands to work without a checkout
    "servicenet_vocab/vocabulary/data/ontology/servicenet.ttl",
    "servicenet_vocab/vocabulary/data/ontology/codelists/municipality.ttl",
    "servicenet_vocab/vocabulary/data/ontology/alignments/org.ttl",
    "servicenet_vocab/vocabulary/data/ontology/catalog.ttl",
    "servicenet_vocab/vocabulary/data/shapes/units.ttl",
    "servicenet_vocab/vocabulary/data/context/servicenet.jsonld",
    "servicenet_vocab/vocabulary/data/examples/valid/helsinki-091.ttl",
    "servicenet_vocab/queries/lineage.rq",
    "servicenet_vocab/queries/answers/reach.py",
    "servicenet_vocab/planning/semantics.py",
    "servicenet_vocab/sources/mappings/evaka.mapping.yaml",
    "servicenet_vocab/sources/mappings/varda.mapping.yaml",
    "servicenet_vocab/convert/data/postcode-municipality.csv",
    "servicenet_api/templates/base.html",
    "servicenet_api/templates/map.html",
    "servicenet_api/static/map.js",
    "servicenet_api/static/vendor/leaflet-1.9.4/leaflet.js",
    "servicenet_api/static/vendor/leaflet-1.9.4/LICENSE",
    "servicenet_api/static/vendor/vega-embed-7.3.0/vega-embed.min.js",
)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


@pytest.mark.slow
def test_the_wheel_carries_the_vocabulary(dist: Path) -> None:
    wheel = dist / f"servicenet_vocab-{__version__}-py3-none-any.whl"
    assert (dist / f"servicenet_vocab-{__version__}.tar.gz").is_file()
    names = set(zipfile.ZipFile(wheel).namelist())
    assert [name for name in CARRIED if name not in names] == []
    shapes = {n for n in names if n.startswith("servicenet_vocab/vocabulary/data/shapes/")}
    assert len(shapes) == len(list((ROOT / "shapes").glob("*.ttl")))


@pytest.mark.slow
def test_installed_anywhere_it_validates(dist: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    wheel = dist / f"servicenet_vocab-{__version__}-py3-none-any.whl"
    subprocess.run([*pip, str(wheel)], check=True, capture_output=True, timeout=600)
    city = tmp_path / "city-repo"  # a city's data repository: no ontology/, no shapes/
    city.mkdir()
    shutil.copy(ROOT / "examples" / "valid" / "kauniainen-235.ttl", city)
    shutil.copy(ROOT / "examples" / "invalid" / "negative-capacity.ttl", city)
    servicenet = str(env_dir / "bin" / "servicenet")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [servicenet, *args], cwd=city, capture_output=True, text=True, timeout=300
        )

    assert run("--version").stdout.strip() == f"servicenet {__version__}"
    valid = run("validate", "kauniainen-235.ttl")
    assert (valid.returncode, valid.stdout.strip()) == (0, "Conforms: no results.")
    invalid = run("validate", "negative-capacity.ttl", "--format", "github")
    assert invalid.returncode == 1
    assert "::error file=negative-capacity.ttl,line=" in invalid.stdout
    assert "must not be negative" in invalid.stdout
    assert run("lint", "--vocabulary", str(city)).returncode == 2  # not a tree: said, not passed
