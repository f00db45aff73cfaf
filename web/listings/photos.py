"""A listing's photos: storing uploads, attaching them, removing and reordering them.

Files and rows are kept in step by ordering: new files are written before the commit (and
removed again if it fails); files of removed photos are deleted only after the commit, so a
rolled-back edit never loses a picture that is still in use.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from models import Listing, ListingImage
from web.media.images import ImageRejected, StoredImage, delete_image, store_image


def store_uploads(files: Iterable, media_root: Path) -> list[StoredImage]:
    """Store every upload, or none: on a rejected file the ones already stored are removed."""
    stored: list[StoredImage] = []
    for upload in files:
        try:
            stored.append(store_image(upload, media_root))
        except ImageRejected as exc:
            discard(media_root, [image.key for image in stored])
            name = (upload.filename or "a file")[:80]
            raise ImageRejected(f"{name}: {exc}") from None
    return stored


def attach(listing: Listing, stored: list[StoredImage]) -> None:
    """Add stored pictures after the listing's current photos."""
    start = len(listing.images)
    for offset, image in enumerate(stored):
        listing.images.append(
            ListingImage(
                position=start + offset,
                storage_key=image.key,
                width=image.width,
                height=image.height,
            )
        )


def remove(listing: Listing, image_ids: Iterable[int]) -> list[str]:
    """Drop the listing's photos with these ids; returns their keys, to delete after commit."""
    doomed = set(image_ids)
    keys = [image.storage_key for image in listing.images if image.id in doomed]
    listing.images = [image for image in listing.images if image.id not in doomed]
    _renumber(listing)
    return keys


def make_cover(listing: Listing, image_id: int | None) -> None:
    """Move one photo to the front: the first photo is the one cards and searches show."""
    chosen = [image for image in listing.images if image.id == image_id]
    if not chosen or listing.images[0] is chosen[0]:
        return
    listing.images = chosen + [image for image in listing.images if image is not chosen[0]]
    _renumber(listing)


def discard(media_root: Path, keys: Iterable[str]) -> None:
    for key in keys:
        delete_image(media_root, key)


def _renumber(listing: Listing) -> None:
    for position, image in enumerate(listing.images):
        if image.position != position:
            image.position = position
