"""The image pipeline: what it accepts, what it refuses, and what it leaves in the stored files."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from PIL import ExifTags, Image
from werkzeug.datastructures import FileStorage

from web.media.images import (
    MAX_PIXELS,
    SIZES,
    ImageRejected,
    StoredImage,
    delete_image,
    image_path,
    is_valid_key,
    store_image,
)


def picture(fmt: str = "JPEG", size=(64, 48), color=(200, 30, 30), mode="RGB", **save) -> bytes:
    buffer = BytesIO()
    Image.new(mode, size, color).save(buffer, fmt, **save)
    return buffer.getvalue()


def upload(data: bytes, filename: str = "photo.jpg", content_type: str = "image/jpeg"):
    return FileStorage(BytesIO(data), filename=filename, content_type=content_type)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width` x `height` pixels but holds a few bytes: a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def stored(media_root: Path, result: StoredImage, size: str = "large") -> Image.Image:
    return Image.open(image_path(media_root, result.key, size))


@pytest.mark.parametrize(
    ("fmt", "mode"), [("JPEG", "RGB"), ("PNG", "RGBA"), ("WEBP", "RGB"), ("GIF", "P")]
)
def test_accepted_formats_are_stored_as_jpeg_in_every_size(tmp_path, fmt, mode):
    result = store_image(upload(picture(fmt, (2000, 1000), mode=mode)), tmp_path)
    assert is_valid_key(result.key)
    assert (result.width, result.height) == (1600, 800)
    for size, longest in SIZES.items():
        image = stored(tmp_path, result, size)
        assert image.format == "JPEG"
        assert max(image.size) == longest
    assert image_path(tmp_path, result.key, "thumb").parent.name == result.key[:2]


def test_small_pictures_are_not_enlarged(tmp_path):
    result = store_image(upload(picture(size=(120, 90))), tmp_path)
    assert (result.width, result.height) == (120, 90)
    assert stored(tmp_path, result, "thumb").size == (120, 90)


def test_every_upload_gets_a_fresh_random_key(tmp_path):
    data = picture()
    keys = {store_image(upload(data), tmp_path).key for _ in range(3)}
    assert len(keys) == 3


def test_type_is_read_from_content_not_from_name_or_mime(tmp_path):
    # A real PNG with a misleading name is fine; text dressed up as a JPEG is not.
    store_image(upload(picture("PNG"), "notes.txt", "text/plain"), tmp_path)
    with pytest.raises(ImageRejected, match="not a picture"):
        store_image(upload(b"hello, I am text" * 10, "photo.jpg", "image/jpeg"), tmp_path)


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO"])
def test_other_image_formats_are_refused(tmp_path, fmt):
    with pytest.raises(ImageRejected, match="JPEG, PNG, WebP or GIF"):
        store_image(upload(picture(fmt, (32, 32))), tmp_path)


def test_empty_and_truncated_files_are_refused(tmp_path):
    with pytest.raises(ImageRejected, match="empty"):
        store_image(upload(b""), tmp_path)
    with pytest.raises(ImageRejected, match="not a picture"):
        store_image(upload(picture(size=(800, 600))[:300]), tmp_path)
    assert list(tmp_path.rglob("*.jpg")) == []


def test_files_above_the_byte_limit_are_refused(tmp_path):
    data = picture("PNG", (400, 400))
    with pytest.raises(ImageRejected, match="larger than"):
        store_image(upload(data), tmp_path, max_bytes=len(data) - 1)
    store_image(upload(data), tmp_path, max_bytes=len(data))


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (8_000, 6_000),  # 48 megapixels: above our limit, below Pillow's hard error
        (50_000, 50_000),  # 2.5 gigapixels: Pillow's DecompressionBombError
        (2**31 - 1, 1),
    ],
)
def test_decompression_bombs_are_refused_without_decoding(tmp_path, width, height):
    bomb = png_header_only(width, height)
    assert len(bomb) < 200
    with pytest.raises(ImageRejected, match="too many pixels"):
        store_image(upload(bomb), tmp_path)
    assert width * height > MAX_PIXELS


def test_exif_orientation_is_applied_and_metadata_stripped(tmp_path):
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # "rotate 90° clockwise to display"
    exif[ExifTags.Base.Make] = "SpyCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (37.0, 46.0, 30.0)
    source = picture("JPEG", (400, 200), exif=exif.tobytes(), icc_profile=b"")
    original = Image.open(BytesIO(source))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the fixture really carries GPS

    result = store_image(upload(source), tmp_path)

    assert (result.width, result.height) == (200, 400)  # upright: portrait now
    for size in SIZES:
        image = stored(tmp_path, result, size)
        assert image.height > image.width
        assert not image.getexif()
        assert "exif" not in image.info
        raw = image_path(tmp_path, result.key, size).read_bytes()
        assert b"SpyCam" not in raw and b"Exif" not in raw


def test_animated_gif_keeps_its_first_frame(tmp_path):
    frames = [Image.new("RGB", (50, 50), c) for c in ((255, 0, 0), (0, 0, 255))]
    buffer = BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    result = store_image(upload(buffer.getvalue()), tmp_path)
    red, green, blue = stored(tmp_path, result).convert("RGB").getpixel((25, 25))
    assert red > 200 and blue < 60


def test_transparency_becomes_white(tmp_path):
    result = store_image(upload(picture("PNG", (40, 40), (0, 0, 0, 0), mode="RGBA")), tmp_path)
    assert min(stored(tmp_path, result).convert("RGB").getpixel((20, 20))) > 245


def test_delete_image_removes_every_size_and_ignores_bad_keys(tmp_path):
    result = store_image(upload(picture()), tmp_path)
    delete_image(tmp_path, result.key)
    assert list(tmp_path.rglob("*.jpg")) == []
    delete_image(tmp_path, result.key)  # again: nothing left, no error
    delete_image(tmp_path, "../../etc/passwd")


@pytest.mark.parametrize(
    ("key", "size"), [("../" * 10 + "x" * 2, "thumb"), ("a" * 32, "huge"), ("A" * 32, "thumb")]
)
def test_image_path_refuses_anything_but_hex_keys_and_known_sizes(key, size):
    with pytest.raises(ValueError):
        image_path(Path("/tmp"), key, size)


@pytest.mark.parametrize("key", ["a" * 32 + "\n", "a" * 33, "a" * 31, " " + "a" * 32])
def test_a_key_is_exactly_32_hex_characters(key):
    assert not is_valid_key(key)
    assert is_valid_key("0123456789abcdef" * 2)
