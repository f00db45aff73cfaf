"""search.analysis.fold: the ASCII shortcut folds exactly as the full Unicode path does."""

from __future__ import annotations

import string
import unicodedata

from search.analysis import fold


def _full_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def test_every_ascii_character_folds_as_the_unicode_path_folds_it():
    ascii_text = "".join(map(chr, range(128)))
    assert fold(ascii_text) == _full_fold(ascii_text)
    assert fold(string.printable) == string.printable.lower()


def test_text_with_accents_still_takes_the_unicode_path():
    assert fold("Café Crème, ÆSIR ß") == _full_fold("Café Crème, ÆSIR ß") == "cafe creme, æsir ss"
