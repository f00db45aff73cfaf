"""Helpers for the listing tests: pictures to upload and a valid post-a-listing form."""

from __future__ import annotations

from io import BytesIO

from PIL import Image


def picture(
    fmt: str = "JPEG", size: tuple[int, int] = (64, 48), color=(200, 30, 30), **save
) -> bytes:
    """The bytes of a small solid-colour picture."""
    buffer = BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt, **save)
    return buffer.getvalue()


def upload(data: bytes, filename: str = "photo.jpg") -> tuple:
    """One file part for a multipart test POST: `data={"photos": [upload(...), ...]}`."""
    return (BytesIO(data), filename)


def listing_form(category_id: int | None, **fields) -> dict:
    """A valid post-a-listing form (without the CSRF token); keyword arguments override fields,
    and a field set to None is left out."""
    form = {
        "title": "Vintage road bike",
        "description": "A lovely steel frame road bike, recently serviced, new tyres.",
        "category_id": str(category_id),
        "price": "250",
        "currency": "USD",
        "condition": "good",
        "location": "94103",
    }
    form.update(fields)
    return {name: value for name, value in form.items() if value is not None}
