"""Open OGC API – Features collections in QGIS (PyQGIS, headless) and print what QGIS sees as JSON.

Run with the Python that has QGIS's bindings (Debian ``python3-qgis``), not the project's venv:

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/api/qgis_open.py URL COLLECTION ... [--to EPSG:3067]

For each collection: whether the layer is valid, its provider's CRS, feature count, extent, fields
and every feature's attributes and geometry (WKT, in the layer's CRS), and with ``--to`` its
vertices and area transformed by QGIS into that CRS. ``test_ogc_qgis.py`` compares
them with the HTTP API. A layer QGIS refuses exits 1 with QGIS's error.
"""

from __future__ import annotations

import json
import sys

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QVariant


def plain(value: object) -> object:
    """A QGIS attribute as JSON: NULL as null, dates as ISO 8601."""
    if isinstance(value, QVariant):
        return None if value.isNull() else plain(value.value())
    if isinstance(value, (QDate, QDateTime)):
        return value.toString(Qt.ISODate) if value.isValid() else None
    return value if isinstance(value, (bool, int, float, str, type(None))) else str(value)


def vertices(geometry: QgsGeometry) -> list[list[float]]:
    return [[vertex.x(), vertex.y()] for vertex in geometry.vertices()]


def describe(url: str, collection: str, target: str | None) -> dict[str, object]:
    # The data source as QGIS's "Add WFS / OGC API – Features Layer" dialog writes it.
    uri = f"url='{url}' typename='{collection}' pagingEnabled='true' restrictToRequestBBOX='0'"
    layer = QgsVectorLayer(uri, collection, "OAPIF")
    if not layer.isValid():
        error = layer.dataProvider().error().message() if layer.dataProvider() else "no provider"
        raise SystemExit(f"QGIS refused {collection}: {error}")
    extent = layer.extent()
    transform = None
    if target:
        crs = QgsCoordinateReferenceSystem(target)
        transform = QgsCoordinateTransform(layer.crs(), crs, QgsProject.instance())
    features = []
    for feature in layer.getFeatures(QgsFeatureRequest()):
        attributes = {
            field.name(): plain(value)
            for field, value in zip(layer.fields(), feature.attributes(), strict=True)
        }
        geometry = feature.geometry()
        described: dict[str, object] = {
            "attributes": attributes,
            "wkt": None if geometry.isNull() else geometry.asWkt(6),
        }
        if transform is not None and not geometry.isNull():
            moved = QgsGeometry(geometry)
            moved.transform(transform)
            described["tm35fin" if target == "EPSG:3067" else target] = vertices(moved)
            described["area"] = moved.area()  # in the target CRS's units (m² for EPSG:3067)
        features.append(described)
    return {
        "valid": True,
        "provider": layer.dataProvider().name(),
        "crs": layer.crs().authid(),
        "geometryType": layer.geometryType(),
        "featureCount": layer.featureCount(),
        "extent": [extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()],
        "fields": {field.name(): field.typeName() for field in layer.fields()},
        "features": features,
    }


def main() -> None:
    arguments = sys.argv[1:]
    target = None
    if "--to" in arguments:
        at = arguments.index("--to")
        target = arguments[at + 1]
        del arguments[at : at + 2]
    url, *collections = arguments
    app = QgsApplication([], False)
    app.initQgis()
    try:
        print(json.dumps({name: describe(url, name, target) for name in collections}))
    finally:
        app.exitQgis()


if __name__ == "__main__":
    main()
