"""search.analysis's ASCII shortcuts: they fold and split exactly as the full Unicode path does."""

from __future__ import annotations

import random
import re
import string
import unicodedata

from search.analysis import fold, words


def _full_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def test_every_ascii_character_folds_as_the_unicode_path_folds_it():
    ascii_text = "".join(map(chr, range(128)))
    assert fold(ascii_text) == _full_fold(ascii_text)
    assert fold(string.printable) == string.printable.lower()


def test_text_with_accents_still_takes_the_unicode_path():
    assert fold("Café Crème, ÆSIR ß") == _full_fold("Café Crème, ÆSIR ß") == "cafe creme, æsir ss"


def _full_words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", _full_fold(text))


def test_ascii_text_splits_into_the_words_the_unicode_path_finds():
    every_character = "".join(map(chr, range(128)))
    assert words(every_character) == _full_words(every_character)
    chooser = random.Random(7)
    for _ in range(2_000):
        text = "".join(chr(chooser.randrange(128)) for _ in range(chooser.randrange(40)))
        assert words(text) == _full_words(text), repr(text)


def test_words_split_on_punctuation_and_underscores_and_keep_digits():
    assert words("iPhone-13, snake_case\tTAB") == ["iphone", "13", "snake", "case", "tab"]
    assert words("Café-Crème 2") == ["cafe", "creme", "2"]
