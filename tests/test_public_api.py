"""The declared public API: what ``servicenet_vocab`` and ``servicenet_api`` promise to keep."""

from __future__ import annotations

from importlib.metadata import version

import servicenet_api

import servicenet_vocab


def test_the_library_exports_what_it_declares() -> None:
    expected = {
        "open_store",
        "Store",
        "QueryResult",
        "RdfFormat",
        "ResultFormat",
        "validate",
        "ValidationReport",
        "lint",
        "LintReport",
        "convert",
        "Settings",
        "__version__",
    }
    assert set(servicenet_vocab.__all__) == expected
    missing = [name for name in servicenet_vocab.__all__ if not hasattr(servicenet_vocab, name)]
    assert missing == []
    assert callable(servicenet_vocab.convert.convert_file)


def test_the_facade_exports_only_its_factory() -> None:
    assert servicenet_api.__all__ == ["create_app"]
    assert callable(servicenet_api.create_app)


def test_the_version_is_the_installed_distributions() -> None:
    assert servicenet_vocab.__version__ == version("servicenet-vocab")
