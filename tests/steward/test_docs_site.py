"""servicenet docs: the generated reference, checked in a real headless Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from chromium import dump_dom

from servicenet_vocab.cli import main
from servicenet_vocab.steward.docs_site.build import pick
from servicenet_vocab.steward.docs_site.diagram import layout, render_svg

BROKEN = Path(__file__).parents[1] / "fixtures" / "steward" / "broken"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "reference"
    assert main(["docs", "-o", str(out)]) == 0
    return out


@pytest.mark.browser
def test_class_page_in_chromium_shows_labels_and_properties(site: Path, tmp_path: Path) -> None:
    dom = dump_dom((site / "en" / "class" / "ServiceUnit.html").as_uri(), tmp_path / "profile")
    labels = re.search(r'<table class="labels">(.*?)</table>', dom, re.S)
    assert labels is not None
    for text in ("toimipaikka", "verksamhetsställe", "service unit"):
        assert text in labels.group(1)
    properties = re.findall(r'<tr class="property"><td>([^<]+)</td><td><code>([^<]+)</code>', dom)
    assert ("opening date", "sn:openingDate") in properties
    assert ("provider", "sn:provider") in properties
    assert "sn-shapes:ServiceUnitShape" in dom  # the shapes that constrain it


@pytest.mark.browser
def test_language_switch_works_without_scripts(site: Path, tmp_path: Path) -> None:
    dom = dump_dom((site / "sv" / "class" / "ServiceUnit.html").as_uri(), tmp_path / "profile")
    assert "<h1>verksamhetsställe</h1>" in dom
    assert 'href="../../fi/class/ServiceUnit.html"' in dom
    assert "<script" not in dom


def test_every_page_links_only_to_local_files(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert len(pages) > 100
    for page in pages:
        text = page.read_text("utf-8")
        assert "http://cdn" not in text and "<script" not in text
        for target in re.findall(r'href="([^"#?]+)"', text):
            assert not target.startswith(("http:", "https:", "//")), (page, target)
            assert (page.parent / target).resolve().is_file(), (page, target)


def test_codelist_page_has_notation_labels_and_hierarchy(site: Path) -> None:
    text = (site / "fi" / "codelist" / "age-group.html").read_text("utf-8")
    assert '<tr class="concept depth-0" id="0-6">' in text
    assert '<tr class="concept depth-1" id="0-2">' in text
    for label in ("alle 3-vuotiaat", "barn under 3 år", "under 3"):
        assert label in text


def test_index_and_diagram(site: Path) -> None:
    index = (site / "en" / "index.html").read_text("utf-8")
    assert 'href="class/ServiceUnit.html"' in index
    assert 'href="codelist/municipality.html"' in index
    svg = (site / "fi" / "diagram.svg").read_text("utf-8")
    assert svg.startswith("<svg") and 'href="class/DaycareCentre.html"' in svg
    assert "päiväkoti" in svg
    assert 'class="subclass"' in svg
    assert (site / "index.html").is_file() and (site / "style.css").is_file()


def test_examples_and_broken_vocabularies_render(tmp_path: Path) -> None:
    # A broken tree (cycles, missing labels) still renders: concepts of a cycle are listed flat.
    assert main(["docs", "--root", str(BROKEN), "-o", str(tmp_path / "out")]) == 0
    colours = (tmp_path / "out" / "en" / "codelist" / "colour.html").read_text("utf-8")
    assert "dark" in colours and "red" in colours
    good = (tmp_path / "out" / "en" / "class" / "Good.html").read_text("utf-8")
    assert "https://example.org/town/thing/1" in good  # the example instance
    assert "sn-shapes:MalformedShape" in good


def test_layout_wraps_rows_and_breaks_cycles() -> None:
    classes = {f"urn:c{i}": (f"class number {i}", f"c{i}.html") for i in range(40)}
    parents = {"urn:c1": ["urn:c2"], "urn:c2": ["urn:c1"]}
    boxes, width, _height = layout(classes, parents)
    assert len({b.y for b in boxes.values()}) > 2
    assert width <= 1400 + 300
    svg = render_svg(classes, parents, [("rel", "urn:c3", "urn:c4")], "t")
    assert 'class="property"' in svg


def test_pick_falls_back() -> None:
    assert pick({"fi": "a", "en": "b"}, "sv") == "b"
    assert pick({"": "x"}, "fi") == "x"
    assert pick({"de": "y"}, "fi") == "y"
    assert pick({}, "fi", "z") == "z"
