"""Profile pictures, stored by the shared image pipeline (web.media.images)."""

from __future__ import annotations

from pathlib import Path

from werkzeug.datastructures import FileStorage

from models import User, db
from web.media.images import delete_image, store_image


def replace_avatar(user: User, upload: FileStorage | None, remove: bool, media_root: Path) -> None:
    """Store a new picture (or drop the current one) and commit the user.

    The old files are deleted only after the commit, and new ones are deleted if the commit
    fails, so the row never points at a missing picture and no orphan stays behind.
    Raises ImageRejected (nothing changed on disk) when the upload is not an acceptable picture.
    """
    old_key = user.avatar_key
    new_key = None
    if upload is not None and upload.filename:
        new_key = store_image(upload, media_root).key
        user.avatar_key = new_key
    elif remove:
        user.avatar_key = None
    try:
        db.session.commit()
    except Exception:
        if new_key:
            delete_image(media_root, new_key)
        raise
    if old_key and old_key != user.avatar_key:
        delete_image(media_root, old_key)
