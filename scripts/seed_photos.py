"""Demo photos for `manage.py seed --photos`: small coloured pictures with the ad's title on them.

Each picture goes through web.media.images.store_image, the path a real upload takes, so the
stored files, keys and sizes are exactly what the site serves. That costs about 20 ms a
picture (three JPEG versions), which is why photos are optional.
"""

from __future__ import annotations

import random
import textwrap
from datetime import datetime
from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from werkzeug.datastructures import FileStorage

from web.media.images import delete_image, store_image

PHOTO_SIZE = (640, 480)
PHOTO_KINDS = frozenset({"goods", "vehicle", "housing"})  # jobs and gigs rarely show a picture
PHOTO_SHARE = 0.7  # of listings of those kinds; the rest have none, as on a real site
MAX_PHOTOS = 3
# Muted backgrounds that keep white text readable.
PALETTE = (
    (52, 94, 138),
    (120, 72, 110),
    (46, 120, 98),
    (150, 92, 50),
    (88, 88, 120),
    (130, 60, 60),
    (60, 110, 130),
    (100, 110, 60),
)


# The columns of a `listing_images` row as `PhotoMaker.rows_for` returns it (the id is the default).
IMAGE_COLUMNS = ("listing_id", "position", "storage_key", "width", "height", "created_at")


class PhotoMaker:
    """Draws and stores pictures; remembers the keys of the files not yet committed, to undo."""

    def __init__(self, media_root: Path):
        self.media_root = Path(media_root)
        self.font = ImageFont.load_default(size=34)
        self.batch_keys: list[str] = []

    def rows_for(
        self, rng: random.Random, listing_id: int, title: str, kind: str, created_at: datetime
    ) -> list[tuple]:
        """`listing_images` rows for a listing's photos (often none), files already stored."""
        if kind not in PHOTO_KINDS or rng.random() >= PHOTO_SHARE:
            return []
        rows = []
        for position in range(rng.randint(1, MAX_PHOTOS)):
            picture = BytesIO(self._draw(rng, title))
            stored = store_image(FileStorage(picture, "seed.jpg"), self.media_root)
            self.batch_keys.append(stored.key)
            rows.append((listing_id, position, stored.key, stored.width, stored.height, created_at))
        return rows

    def commit_batch(self) -> None:
        """The rows are committed: their files are in use now."""
        self.batch_keys = []

    def discard_batch(self) -> None:
        """The transaction failed: remove the files nobody will ever reference."""
        for key in self.batch_keys:
            delete_image(self.media_root, key)
        self.batch_keys = []

    def _draw(self, rng: random.Random, title: str) -> bytes:
        """A JPEG: a coloured card with a lighter panel and the title across it."""
        background = rng.choice(PALETTE)
        panel = tuple(min(255, c + 40) for c in background)
        image = Image.new("RGB", PHOTO_SIZE, background)
        draw = ImageDraw.Draw(image)
        width, height = PHOTO_SIZE
        draw.rounded_rectangle((50, 60, width - 50, height - 60), radius=28, fill=panel)
        text = "\n".join(textwrap.wrap(title, width=26)[:4])
        draw.multiline_text(
            (width // 2, height // 2),
            text,
            font=self.font,
            fill="white",
            anchor="mm",
            align="center",
            spacing=10,
        )
        buffer = BytesIO()
        image.save(buffer, "JPEG", quality=80)
        return buffer.getvalue()
