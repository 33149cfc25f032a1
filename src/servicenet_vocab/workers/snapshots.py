"""Where workers read their data: per-graph N-Triples snapshots the single writer publishes, or an
on-disk store opened read-only.

The writer's ``SnapshotPublisher`` writes one file per named graph plus a manifest naming each
graph's version; a worker's ``StoreView`` reloads only the graphs whose version changed when a call
carries a newer generation (see docs/api.md, "Freshness").
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from servicenet_vocab.errors import Location, StoreError
from servicenet_vocab.rdfio import RdfFormat
from servicenet_vocab.store.embedded import OxigraphStore, open_store

__all__ = ["MANIFEST", "SnapshotPublisher", "StoreSource", "StoreView"]

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class StoreSource:
    """Where workers read data from: ``snapshot`` files, a ``read_only`` on-disk store, or none."""

    kind: str = "none"
    path: str = ""

    @classmethod
    def snapshot(cls, directory: str | Path) -> StoreSource:
        return cls("snapshot", str(directory))

    @classmethod
    def read_only(cls, store_path: str | Path) -> StoreSource:
        return cls("read_only", str(store_path))


@dataclass
class SnapshotPublisher:
    """Writes one N-Triples file per named graph plus a manifest naming each graph's version.

    Only changed graphs are rewritten, so workers reload only those. Files of older versions are
    removed one publication later (a worker may still be reading the previous one).
    """

    directory: Path
    generation: int = 0
    graphs: dict[str, dict[str, Any]] = field(default_factory=dict)
    _stale: list[Path] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def publish(self, store: OxigraphStore, graphs: Iterable[str] | None = None) -> int:
        """Snapshot ``graphs`` (default: every graph) of ``store``; returns the new generation."""
        with self._lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            stale, self._stale = self._stale, []
            if graphs is None:
                names = [info.iri for info in store.graphs()]
                gone = set(self.graphs) - set(names)
            else:
                names = [g for g in graphs if store.has_graph(g)]
                gone = {g for g in graphs if not store.has_graph(g)}
            for iri in gone & set(self.graphs):  # a graph never published has no file
                self._stale.append(self.directory / self.graphs.pop(iri)["file"])
            for iri in names:
                self._write_graph(store, iri)
            self.generation += 1
            manifest = {"generation": self.generation, "graphs": self.graphs}
            tmp = self.directory / f".{MANIFEST}.tmp"
            tmp.write_text(json.dumps(manifest), "utf-8")
            os.replace(tmp, self.directory / MANIFEST)
            for path in stale:
                path.unlink(missing_ok=True)
            return self.generation

    def _write_graph(self, store: OxigraphStore, iri: str) -> None:
        old = self.graphs.get(iri)
        # the generation being published: a graph dropped and written again never reuses a
        # version, so its new file is not the stale one removed next, nor taken for the old one
        version = self.generation + 1
        name = f"{hashlib.sha1(iri.encode()).hexdigest()[:16]}-{version}.nt"
        path = self.directory / name
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(store.dump(RdfFormat.NTRIPLES, graph=iri))
        os.replace(tmp, path)
        if old:
            self._stale.append(self.directory / old["file"])
        self.graphs[iri] = {"file": name, "version": version}


class StoreView:
    """A worker's view of the data, refreshed when a call carries a newer generation."""

    def __init__(self, source: StoreSource) -> None:
        self.source = source
        self.generation = -1
        self.versions: dict[str, int] = {}
        self._store: OxigraphStore | None = None

    def get(self, generation: int) -> OxigraphStore:
        if self._store is None or generation != self.generation:
            self._refresh()
            self.generation = generation
        assert self._store is not None
        return self._store

    def _refresh(self) -> None:
        if self.source.kind == "read_only":
            if self._store is not None:
                self._store.close()
                self._store = None
            self._store = open_read_only(self.source.path)
        elif self.source.kind == "snapshot":
            self._store = self._store or open_store("memory")
            self._reload_snapshot(self._store, Path(self.source.path))
        else:
            self._store = self._store or open_store("memory")

    def _reload_snapshot(self, store: OxigraphStore, directory: Path) -> None:
        try:
            manifest = json.loads((directory / MANIFEST).read_text("utf-8"))
        except FileNotFoundError:
            return  # nothing published yet: an empty store
        graphs: dict[str, dict[str, Any]] = manifest["graphs"]
        for iri in set(self.versions) - set(graphs):
            store.clear_graph(iri)
            del self.versions[iri]
        for iri, entry in graphs.items():
            if self.versions.get(iri) == entry["version"]:
                continue
            if iri in self.versions:
                store.clear_graph(iri)
            store.load(directory / entry["file"], RdfFormat.NTRIPLES, graph=iri)
            self.versions[iri] = entry["version"]


def open_read_only(path: str, attempts: int = 5) -> OxigraphStore:
    """Open read-only, retrying: RocksDB may be replacing files under a concurrent writer."""
    for attempt in range(1, attempts + 1):
        try:
            return open_store(path, read_only=True)
        except (StoreError, RuntimeError) as error:  # RuntimeError: "Corruption: ... No such file"
            if attempt == attempts:
                raise StoreError(
                    f"cannot open the store read-only: {error}", location=Location(source=path)
                ) from None
            time.sleep(0.05 * attempt)  # back off while the writer finishes its compaction
    raise AssertionError("unreachable")
