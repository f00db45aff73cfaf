"""Serving stored pictures: /media/<key>/<size>."""

from __future__ import annotations

from flask import abort, current_app, send_from_directory

from web.media import bp
from web.media.images import SIZES, is_valid_key

# Keys are random and a stored file never changes, so browsers may keep it for a year.
ONE_YEAR = 365 * 24 * 3600


@bp.get("/media/<key>/<size>")
def image(key: str, size: str):
    """One size of one stored picture; anything but a hex key and a known size is a 404."""
    if not is_valid_key(key) or size not in SIZES:
        abort(404)
    media_root = current_app.extensions["settings"].MEDIA_ROOT
    response = send_from_directory(
        media_root / key[:2], f"{key}-{size}.jpg", mimetype="image/jpeg", max_age=ONE_YEAR
    )
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response
