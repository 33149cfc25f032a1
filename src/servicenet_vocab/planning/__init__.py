"""Planners' answers: the shared semantics every named query uses, implemented once.

``semantics`` (forecast choice, as-of windows, small-cell suppression, language of places, area
levels and roll-up), ``bands`` (age ranges from band intervals), ``facts`` (the narrow SPARQL
SELECTs the answers read, typed), ``geometry`` (distances and point-in-polygon with pyproj and
shapely, which the engine lacks), ``table`` (an answer's result and its SPARQL-results
serialisations) and ``run`` (an answer in a worker, or beside a remote engine). The rules are
written in ``docs/queries.md``.
"""
