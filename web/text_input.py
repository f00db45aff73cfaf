"""The one normaliser of text people type, used as a WTForms filter by every form.

Single-line fields (titles, names, places, addresses) end up in page titles, mail subjects and
other headers: a line break there is a header injection, and `EmailMessage` refuses one outright.
So every kind of whitespace and line break becomes one space, and control characters go.
Paragraph fields (descriptions, messages, bios) keep their line breaks, as plain newlines.
Both are composed to NFC, so one letter is stored one way (what length limits and uniqueness
see is what the reader sees).
"""

from __future__ import annotations

import unicodedata

_KEPT_IN_PARAGRAPHS = frozenset("\n\t")


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc"


def single_line(value: str | None) -> str | None:
    """One clean line: whitespace runs (line breaks too) become one space, controls go, trimmed."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", value)
    text = "".join(ch for ch in text if ch.isspace() or not _is_control(ch))
    return " ".join(text.split())


def multi_line(value: str | None) -> str | None:
    """Paragraphs: CRLF and CR become newlines, controls other than newline and tab go, and
    blank space around the whole text is trimmed."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFC", value)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in _KEPT_IN_PARAGRAPHS or not _is_control(ch))
    return text.strip()
