"""The JSON endpoint's `next_cursor`: where the next page starts, as an opaque string.

A cursor carries the sort values of the last hit of a page (the key of a keyset page, as
Elasticsearch's `search_after` takes it), the sort it belongs to and a fingerprint of the
search's filters. It is not signed but validated: a cursor that does not decode, belongs to
another sort or search, or holds anything but two finite numbers is refused with a message.
An edited but well-formed cursor is harmless: it only moves where a page starts.
"""

from __future__ import annotations

import base64
import binascii
import json
import math


class InvalidCursor(ValueError):
    """The cursor cannot continue this search (the message says why)."""


def encode(sort: str, fingerprint: str, values: list | tuple) -> str:
    """The cursor after a hit whose sort values are `values` (the sort key, then the id)."""
    payload = json.dumps({"s": sort, "f": fingerprint, "k": list(values)}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode(token: str, sort: str, fingerprint: str) -> tuple[float | int, int]:
    """The sort values in `token`, checked against the search it is used with."""
    try:
        padded = token + "=" * (-len(token) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error):
        raise InvalidCursor(
            "This cursor is not one we gave out; start from the first page."
        ) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("k"), list):
        raise InvalidCursor("This cursor is not one we gave out; start from the first page.")
    if payload.get("s") != sort or payload.get("f") != fingerprint:
        raise InvalidCursor("This cursor belongs to another search; start from the first page.")
    values = payload["k"]
    if len(values) != 2 or not all(_is_number(v) for v in values) or not isinstance(values[1], int):
        raise InvalidCursor("This cursor is damaged; start from the first page.")
    return values[0], values[1]


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) < 2**63
    return isinstance(value, float) and math.isfinite(value)
