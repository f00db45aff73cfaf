"""`GET /api/v1/search` (the search contract's JSON) and `GET /api/v1/places?q=` (ZIP and city
suggestions from the offline gazetteer)."""

from __future__ import annotations

from flask import jsonify, request

from search import engine, geo
from web.api import bp

MAX_PLACE_QUERY = 100


@bp.get("/search")
def search():
    """One page of a search as JSON; 400 with a reason per argument for bad arguments."""
    query = engine.parse(request.args)
    if query.errors:
        return _bad_request(query.errors)
    try:
        result = engine.run(query)
    except engine.SearchUnavailable:
        return jsonify(error="Search unavailable", message="Try again in a minute."), 503
    return jsonify(result.to_json())


@bp.get("/places")
def places():
    """Up to ten places whose ZIP code or "City, ST" starts with `q`."""
    text = " ".join(request.args.get("q", "").split())
    if not text:
        return _bad_request({"q": "Type the start of a ZIP code or a city."})
    if len(text) > MAX_PLACE_QUERY:
        return _bad_request({"q": f"Type at most {MAX_PLACE_QUERY} characters."})
    suggestions = [
        {
            "label": place.label,
            "value": place.zip_code or f"{place.city}, {place.state}",
            "zip_code": place.zip_code,
            "city": place.city,
            "state": place.state,
            "lat": place.latitude,
            "lon": place.longitude,
        }
        for place in geo.suggest(text)
    ]
    return jsonify(places=suggestions)


def _bad_request(errors: dict[str, str]):
    return jsonify(error="Invalid arguments", errors=errors), 400
