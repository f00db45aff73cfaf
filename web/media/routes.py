"""Serving stored pictures: /media/<key>/<size>."""

from __future__ import annotations

from flask import abort, current_app, send_from_directory

from web.media import bp
from web.media.access import Audience, audience
from web.media.images import SIZES, is_valid_key

# Keys are random and a stored file never changes, so browsers may keep a public one for a year.
ONE_YEAR = 365 * 24 * 3600
# Shared caches (proxies, CDNs) keep it for minutes only: when a listing is hidden or deleted its
# photos must drop out of them soon, and no shared cache can be told to forget.
SHARED_CACHE_SECONDS = 300


@bp.get("/media/<key>/<size>")
def image(key: str, size: str):
    """One size of one stored picture, to whoever may see what it shows; otherwise a 404."""
    if not is_valid_key(key) or size not in SIZES:
        abort(404)
    seen_by = audience(key)
    if seen_by is Audience.nobody:
        abort(404)
    media_root = current_app.extensions["settings"].MEDIA_ROOT
    public = seen_by is Audience.everyone
    response = send_from_directory(
        media_root / key[:2],
        f"{key}-{size}.jpg",
        mimetype="image/jpeg",
        max_age=ONE_YEAR if public else None,
    )
    if public:
        response.cache_control.public = True
        response.cache_control.immutable = True
        response.cache_control.s_maxage = SHARED_CACHE_SECONDS
    else:
        # Only the owner or an admin gets here: no cache may keep it, nor answer someone else.
        response.cache_control.public = False
        response.cache_control.no_cache = None
        response.cache_control.private = True
        response.cache_control.no_store = True
    return response
