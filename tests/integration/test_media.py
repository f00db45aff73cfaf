"""Serving stored pictures: /media/<key>/<size>."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from tests.listing_helpers import picture
from web.media.images import store_image


@pytest.fixture
def stored(app):
    data = BytesIO(picture(size=(2000, 1500)))
    return store_image(FileStorage(data, "p.jpg"), app.extensions["settings"].MEDIA_ROOT)


@pytest.mark.parametrize(("size", "longest"), [("large", 1600), ("medium", 800), ("thumb", 400)])
def test_each_size_is_served_as_a_cacheable_jpeg(client, stored, size, longest):
    response = client.get(f"/media/{stored.key}/{size}")
    assert response.status_code == 200
    assert response.mimetype == "image/jpeg"
    assert "max-age=31536000" in response.headers["Cache-Control"]
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert max(Image.open(BytesIO(response.data)).size) == longest


@pytest.mark.parametrize(
    "path",
    [
        "/media/{key}/original",  # not a size we serve
        "/media/{key}/../../secret_key",
        "/media/{upper}/thumb",  # keys are lower-case hex
        "/media/../../etc/passwd/thumb",
        "/media/%2e%2e%2f%2e%2e/thumb",
        "/media/0123456789abcdef0123456789abcdef/thumb",  # well-formed, never stored
        "/media/{key}x/thumb",
    ],
)
def test_anything_else_is_a_404(client, stored, path):
    url = path.format(key=stored.key, upper=stored.key.upper())
    assert client.get(url).status_code == 404
