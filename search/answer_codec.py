"""A SearchResult as signed bytes, so that web processes can share answers through Redis
(search.answers).

JSON (orjson writes the dataclasses as they are), not pickle: reading an answer back builds
only our own dataclasses. Signed with the app's secret key: whoever can write to Redis still
cannot put markup on a page (a hit's `title_html` is shown as it is) or make a search lie.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import orjson
from itsdangerous import BadSignature, Signer
from markupsafe import Markup

from search.query import Location
from search.results import DistanceBand, Facets, FacetValue, ListingHit, PriceBand, SearchResult


class UnreadableAnswer(ValueError):
    """Bytes that are not an answer this code wrote with this secret key."""


def signer(secret_key: str) -> Signer:
    return Signer(secret_key, salt="search-answers", digest_method=hashlib.sha256)


def encode(signer: Signer, asked: int, result: SearchResult) -> bytes:
    """`result`, asked at `asked` (microseconds on Redis's clock), signed."""
    return signer.sign(orjson.dumps([asked, result]))


def decode(signer: Signer, data: bytes) -> tuple[int, SearchResult]:
    """(asked, result) from `encode`'s bytes (raises UnreadableAnswer)."""
    try:
        asked, raw = orjson.loads(signer.unsign(data))
        return asked, _result(raw)
    except (BadSignature, orjson.JSONDecodeError, TypeError, KeyError, ValueError) as error:
        # A forged or damaged entry, or one written by another version of this code.
        raise UnreadableAnswer(str(error)) from error


def _result(raw: dict) -> SearchResult:
    location = raw["location"]
    return SearchResult(
        hits=[_hit(hit) for hit in raw["hits"]],
        total=raw["total"],
        facets=_facets(raw["facets"]),
        location=Location(**location) if location is not None else None,
        next_cursor=raw["next_cursor"],
        took=raw["took"],
        page=raw["page"],
        per_page=raw["per_page"],
    )


def _hit(raw: dict) -> ListingHit:
    raw["title_html"] = Markup(raw["title_html"])  # signed: escaped by us when it was written
    raw["created_at"] = datetime.fromisoformat(raw["created_at"])
    return ListingHit(**raw)


def _facets(raw: dict) -> Facets:
    return Facets(
        **{
            name: [FacetValue(**value) for value in raw[name]]
            for name in ("category", "condition", "posted", "photo")
        },
        price=[PriceBand(**band) for band in raw["price"]],
        distance=[DistanceBand(**band) for band in raw["distance"]],
    )
