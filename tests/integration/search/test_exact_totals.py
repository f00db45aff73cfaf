"""Beyond 10,000 matches Elasticsearch only estimates unless asked: totals and facet counts must
stay exact, and the cursor must reach the last match (there is no 10,000-hit wall)."""

from __future__ import annotations

from datetime import timedelta

from models import utcnow
from search import index
from tests.search_helpers import load_documents

COUNT = 10_050


def _documents(now):
    expires = (now + timedelta(days=10)).isoformat() + "Z"
    for n in range(1, COUNT + 1):
        created = (now - timedelta(minutes=n)).isoformat() + "Z"
        yield {
            "listing_id": n,
            "version": 1,
            "title": f"Bike {n}",
            "description": "A bike.",
            "title_terms": "bike",
            "text_terms": "bike a bike",
            "category": "bikes" if n % 2 else "furniture",
            "category_path": ["for-sale", "bikes" if n % 2 else "furniture"],
            "condition": "good",
            "price_kind": "fixed",
            "currency": "USD",
            "price_minor": n * 100,
            "city": "San Francisco",
            "state": "CA",
            "zip_code": "94103",
            "location": {"lat": 37.7725, "lon": -122.4147},
            "has_photo": False,
            "thumbnail_key": None,
            "photo_count": 0,
            "seller_id": 1,
            "status": "active",
            "owner_active": True,
            "expires_at": expires,
            "created_at": created,
            "updated_at": created,
            "visible_at": created,
        }


def test_totals_and_facets_are_exact_and_the_cursor_goes_to_the_end(app, client, categories):
    settings = app.extensions["settings"]
    es = index.get_client(settings)
    (target,) = index.write_targets(es, settings)
    load_documents(es, target, _documents(utcnow()))

    body = client.get("/api/v1/search?q=bikes&near=94103").get_json()
    assert body["total"] == COUNT
    facets = {item["value"]: item["count"] for item in body["facets"]["category"]}
    assert facets == {"for-sale": COUNT, "bikes": COUNT // 2, "furniture": COUNT // 2}
    assert body["facets"]["distance"][0] == {"to_mi": 5, "count": COUNT}
    assert client.get("/api/v1/search?category=bikes").get_json()["total"] == COUNT // 2

    seen, cursor = set(), ""
    while True:
        page = client.get(f"/api/v1/search?sort=price_desc&per_page=100&cursor={cursor}")
        body = page.get_json()
        assert body["total"] == COUNT
        seen.update(hit["id"] for hit in body["hits"])
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == COUNT
