"""Reading one vector layer through GDAL (pyogrio): its fields, CRS and features in batches.

Features stream as Arrow batches (``pyogrio.raw.open_arrow``, read with nanoarrow, no pandas), so
memory holds one batch however large the layer. GML is first checked to be well-formed XML with
expat (GDAL's GML driver reads a truncated file as an empty layer and says nothing), and GDAL is
told not to write its ``.gfs`` schema file beside the input.
"""

from __future__ import annotations

import warnings
import xml.parsers.expat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nanoarrow
import pyogrio
from pyogrio.errors import DataLayerError, DataSourceError
from pyogrio.raw import open_arrow

from servicenet_vocab.errors import InputError, Location

__all__ = ["BATCH", "LayerInfo", "check_xml", "features", "layer_info"]

BATCH = 500  # features per Arrow batch: a few MB of coordinates at most
_GML = (".gml", ".xml")
_OPEN = {"WRITE_GFS": "NO"}  # GML: never write a .gfs file beside the input


@dataclass(frozen=True)
class LayerInfo:
    """What the layer is: its name, fields (as written), geometry column, CRS and size."""

    name: str
    fields: tuple[str, ...]
    crs: str | None
    count: int  # -1 when the driver cannot tell without reading

    def field(self, *candidates: str) -> str | None:
        """The layer's field matching one of ``candidates`` (case-insensitive), first wins."""
        lower = {name.lower(): name for name in self.fields}
        for candidate in candidates:
            found = lower.get(candidate.lower())
            if found:
                return found
        return None


def _open_kwargs(path: Path) -> dict[str, str]:
    return dict(_OPEN) if path.suffix.lower() in _GML else {}


def check_xml(path: Path) -> None:
    """A GML file must be well-formed XML without a DOCTYPE (``InputError`` with line and column)."""
    if path.suffix.lower() not in _GML:
        return
    parser = xml.parsers.expat.ParserCreate()

    def refuse_doctype(*_: Any) -> None:
        raise InputError(
            "the GML has a DOCTYPE declaration; entities are not read",
            location=Location(source=path.name, line=parser.CurrentLineNumber),
        )

    parser.StartDoctypeDeclHandler = refuse_doctype
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError as error:
        raise InputError(
            f"the GML is not well-formed XML: {xml.parsers.expat.errors.messages[error.code]}",
            location=Location(source=path.name, line=error.lineno, column=error.offset + 1),
        ) from None


def layer_info(path: Path, layer: str | None) -> LayerInfo:
    """The layer to read: the one named, or the file's only layer (``InputError`` otherwise)."""
    check_xml(path)
    where = Location(source=path.name)
    if path.suffix.lower() in _GML:  # list_layers would write a .gfs: read_info takes the option
        return _info(path, layer, where)
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(path)]
    except (DataSourceError, DataLayerError, OSError) as error:
        raise InputError(f"GDAL cannot read the file: {error}", location=where) from None
    if layer is None:
        if len(layers) != 1:
            raise InputError(
                f"the file has {len(layers)} layers ({', '.join(layers) or 'none'}); "
                "give --option layer=NAME",
                location=where,
            )
        layer = layers[0]
    elif layer not in layers:
        raise InputError(
            f"no layer {layer!r}; the file's layers: {', '.join(layers)}", location=where
        )
    return _info(path, layer, where)


def _info(path: Path, layer: str | None, where: Location) -> LayerInfo:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            info = pyogrio.read_info(path, layer=layer, **_open_kwargs(path))
    except (DataSourceError, DataLayerError, OSError) as error:
        what = f"layer {layer!r}" if layer else "the file"
        raise InputError(f"GDAL cannot read {what}: {error}", location=where) from None
    if info.get("geometry_type") is None and int(info["features"]) <= 0:
        raise InputError("the file has no features GDAL can read", location=where)
    return LayerInfo(
        name=str(info["layer_name"]),
        fields=tuple(str(name) for name in info["fields"]),
        crs=info["crs"],
        count=int(info["features"]),
    )


def features(
    path: Path,
    info: LayerInfo,
    *,
    columns: list[str] | None = None,
    geometry: bool = True,
    batch: int = BATCH,
) -> Iterator[list[dict[str, Any]]]:
    """The layer's features in batches, each a dict of field values (``None`` for missing); with
    ``geometry`` the WKB is under the key ``None``."""
    try:
        with (
            warnings.catch_warnings(),
            open_arrow(
                path,
                layer=info.name,
                columns=columns,
                read_geometry=geometry,
                batch_size=batch,
                **_open_kwargs(path),
            ) as (meta, reader),
        ):
            warnings.simplefilter("ignore")  # geoarrow.wkb is read as its binary storage
            geometry_key = meta["geometry_name"] or "wkb_geometry"
            for array in nanoarrow.ArrayStream(reader):
                rows = list(array.iter_py())
                if geometry:
                    for row in rows:
                        row[None] = row.pop(geometry_key, None)
                yield rows
    except (DataSourceError, DataLayerError) as error:
        raise InputError(
            f"GDAL cannot read layer {info.name!r}: {error}", location=Location(source=path.name)
        ) from None
