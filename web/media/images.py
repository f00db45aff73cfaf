"""Uploaded pictures: checked by their content, cleaned, resized and stored under random names.

Public API (listing photos and avatars both use it):

    store_image(file_storage, media_root) -> StoredImage(key, width, height)   or ImageRejected
    delete_image(media_root, key)
    image_path(media_root, key, size) -> Path

An upload is trusted for nothing: the type comes from Pillow reading the bytes (never the file
name or the client's MIME type), the pixel count is capped before decoding (decompression
bombs), the EXIF orientation is applied and every byte of metadata (GPS position, camera serial,
ICC profile) is dropped by re-encoding the pixels alone.
"""

from __future__ import annotations

import os
import re
import secrets
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import IO, Protocol

from flask import current_app, has_app_context
from PIL import Image, ImageOps, UnidentifiedImageError

# Longest side of each stored version, in pixels; every version is a JPEG.
SIZES: dict[str, int] = {"large": 1600, "medium": 800, "thumb": 400}
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_PIXELS = 40_000_000
DEFAULT_MAX_BYTES = 10 * 2**20
JPEG_QUALITY = 85
KEY_PATTERN = re.compile(r"[0-9a-f]{32}")  # used with fullmatch: "$" lets "\n" by

# Pillow warns above MAX_IMAGE_PIXELS and raises above twice that; store_image turns the
# warning into an error too, so nothing above MAX_PIXELS is ever decoded.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageRejected(ValueError):
    """The upload is not a picture we accept; the message can be shown to the person as is."""


@dataclass(frozen=True)
class StoredImage:
    key: str  # 32 hex characters; the files are <media_root>/<key[:2]>/<key>-<size>.jpg
    width: int  # of the "large" version
    height: int


class FileLike(Protocol):
    """What store_image needs from an upload: werkzeug's FileStorage fits."""

    stream: IO[bytes]


def is_valid_key(key: str) -> bool:
    return bool(KEY_PATTERN.fullmatch(key or ""))


def image_path(media_root: Path, key: str, size: str) -> Path:
    """Where the `size` version of image `key` lives (the key and size must be valid)."""
    if not is_valid_key(key) or size not in SIZES:
        raise ValueError(f"invalid image key or size: {key!r}, {size!r}")
    return Path(media_root) / key[:2] / f"{key}-{size}.jpg"


def store_image(
    file_storage: FileLike, media_root: Path, *, max_bytes: int | None = None
) -> StoredImage:
    """Check, clean and store one uploaded picture in every size; returns its key and size.

    Raises ImageRejected with a user-facing message when the upload is empty, too big (bytes or
    pixels), or not a JPEG, PNG, WebP or GIF picture Pillow can decode.
    """
    limit = max_bytes if max_bytes is not None else _configured_max_bytes()
    data = file_storage.stream.read(limit + 1)
    if not data:
        raise ImageRejected("The file is empty.")
    if len(data) > limit:
        raise ImageRejected(f"The picture is larger than {limit // 2**20} MB.")
    image = _decode(data)
    return _write_versions(image, Path(media_root))


def delete_image(media_root: Path, key: str) -> None:
    """Remove every stored version of image `key`; a missing file or bad key is not an error."""
    if not is_valid_key(key):
        return
    for size in SIZES:
        image_path(media_root, key, size).unlink(missing_ok=True)


def _configured_max_bytes() -> int:
    if has_app_context() and "settings" in current_app.extensions:
        return current_app.extensions["settings"].MAX_UPLOAD_MB * 2**20
    return DEFAULT_MAX_BYTES


def _decode(data: bytes) -> Image.Image:
    """The picture's first frame, upright, as RGB pixels with no metadata attached."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            # `formats` stops Pillow from trying its other, rarer (and riskier) parsers.
            with Image.open(BytesIO(data), formats=ALLOWED_FORMATS) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ImageRejected(_too_many_pixels())
                image.seek(0)  # an animated GIF or WebP keeps only its first frame
                image.load()
                upright = ImageOps.exif_transpose(image)
                return _flatten(upright)
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ImageRejected(_too_many_pixels()) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            # Truncated or corrupt data surfaces as any of these, depending on the decoder.
            raise ImageRejected(
                "That file is not a picture we can read. Upload a JPEG, PNG, WebP or GIF image."
            ) from None


def _too_many_pixels() -> str:
    return f"The picture has too many pixels (at most {MAX_PIXELS // 1_000_000} megapixels)."


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels; transparent areas become white (JPEG has no transparency)."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _write_versions(image: Image.Image, media_root: Path) -> StoredImage:
    """Save each size under a fresh random key; on any failure no file is left behind."""
    key = secrets.token_hex(16)
    folder = media_root / key[:2]
    folder.mkdir(parents=True, exist_ok=True)
    large_size = image.size
    try:
        for size, longest in SIZES.items():
            version = image.copy()
            version.thumbnail((longest, longest), Image.Resampling.LANCZOS)
            if size == "large":
                large_size = version.size
            _save_atomically(version, image_path(media_root, key, size))
    except OSError as exc:
        delete_image(media_root, key)
        raise ImageRejected("The picture could not be saved. Try again.") from exc
    return StoredImage(key=key, width=large_size[0], height=large_size[1])


def _save_atomically(image: Image.Image, path: Path) -> None:
    # Written beside its final name then renamed, so a reader never sees half a file.
    partial = path.with_suffix(".part")
    # No exif= or icc_profile= argument: the saved file carries pixels only.
    image.save(partial, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    os.replace(partial, path)
