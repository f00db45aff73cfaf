"""Header-safe single-line text: every mail subject goes through `safe_subject`.

A title typed with a line break (or any control character) must not reach a header: Python's
`EmailMessage` refuses it (and the mail would be lost), and a lenient library would let the
text inject headers of its own.
"""

from __future__ import annotations

import unicodedata

MAX_SUBJECT = 150  # well under the 200 the column holds and the 998 a header line may have
ELLIPSIS = "\u2026"

# Line and paragraph separators, and the bidirectional overrides that can make a subject read
# differently from what it says, are not control characters to Python but are to a reader.
_INVISIBLE = {"\u2028", "\u2029", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e"}


def _is_unsafe(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _INVISIBLE


def safe_subject(text: str, max_length: int = MAX_SUBJECT) -> str:
    """`text` on one line: control characters become spaces, runs of white space one space,
    and the result is cut at a word boundary to `max_length` characters with an ellipsis."""
    cleaned = "".join(" " if _is_unsafe(char) else char for char in text)
    line = " ".join(cleaned.split())
    if len(line) <= max_length:
        return line
    cut = line[: max_length - 1]
    if " " in cut[max_length // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:-") + ELLIPSIS
