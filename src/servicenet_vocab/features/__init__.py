"""Features for maps and GIS tools: the service units, planning areas and catchment areas of the
municipality graphs as GeoJSON features, and planning answers joined to them.

- ``crs``: CRS84 (stored), EPSG:4326 and EPSG:3067 (ETRS-TM35FIN) by their OGC URIs, pyproj;
- ``model``: ``Feature`` and WKT / coordinates to geometry;
- ``sources``: the SPARQL that reads them and its rows to features;
- ``items``: OGC API – Features ``items`` parameters, filters and paging;
- ``answers``: a named query's results joined to the features its rows name;
- ``uploads``: an uploaded dataset's located things with its validation results (a worker job).

The facade serves them as OGC API – Features (``servicenet_api.routes.ogc``) and draws them on
the web page's maps.
"""

from __future__ import annotations

from servicenet_vocab.features.answers import Answer, join_answer, measures
from servicenet_vocab.features.crs import CRS84, SUPPORTED, TM35FIN, Crs
from servicenet_vocab.features.items import ItemsQuery, Page, extent, page_of, parse_items
from servicenet_vocab.features.model import Feature, feature_collection
from servicenet_vocab.features.sources import KINDS, features_of, kind_queries

__all__ = [
    "CRS84",
    "KINDS",
    "SUPPORTED",
    "TM35FIN",
    "Answer",
    "Crs",
    "Feature",
    "ItemsQuery",
    "Page",
    "extent",
    "feature_collection",
    "features_of",
    "join_answer",
    "kind_queries",
    "measures",
    "page_of",
    "parse_items",
]
