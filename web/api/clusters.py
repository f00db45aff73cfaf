"""`GET /api/v1/search/clusters`: the search's matches grouped into map cells (the map view).

It takes the search contract's arguments (paging and sort are ignored: they do not change what
matches) and `zoom`, the map's zoom level, and answers search.clusters.Clusters as JSON. Bad
arguments get 400 with a reason per argument, as `GET /api/v1/search` does.
"""

from __future__ import annotations

from flask import jsonify, request
from werkzeug.datastructures import MultiDict

from search import clusters as map_clusters
from search import engine
from search.query import PAGING_ARGUMENTS
from web.api import bp

# The order and the page do not change which listings match.
IGNORED = (*PAGING_ARGUMENTS, "sort")


@bp.get("/search/clusters")
def search_clusters():
    """Every match of the search in map cells for `zoom`; the counts add up to `total`."""
    args = MultiDict(request.args)
    for name in IGNORED:
        args.poplist(name)
    query = engine.parse(args)
    errors = dict(query.errors)
    zoom = _zoom(request.args.get("zoom", ""), errors)
    if errors:
        return jsonify(error="Invalid arguments", errors=errors), 400
    try:
        answer = map_clusters.clusters(query, zoom)
    except engine.SearchUnavailable:
        return jsonify(error="Search unavailable", message="Try again in a minute."), 503
    return jsonify(answer.to_json())


def _zoom(raw: str, errors: dict[str, str]) -> int:
    low, high = map_clusters.MIN_ZOOM, map_clusters.MAX_ZOOM
    message = f"Give the map's zoom level as a whole number from {low} to {high}."
    try:
        zoom = int(raw.strip())
    except ValueError:
        errors["zoom"] = message
        return low
    if not low <= zoom <= high:
        errors["zoom"] = message
    return zoom
