"""The seed command's randomness: one generator per block of listings, and a fast pick.

Every block of listings draws from its own `random.Random`, derived from the `--seed` and the
block's number alone. So the data depend only on the seed, never on how many processes write
them or in which order the blocks are made.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def block_rng(seed: int, block: int) -> random.Random:
    """The generator of one block; a string seed is hashed (SHA-512), stable across runs."""
    return random.Random(f"classifieds-seed/{seed}/{block}")


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """One of `options`, uniformly.

    `random.choice` draws bits until they fall in range, about three times slower than this
    floor of `random() * n` (what `random.choices` itself does); at millions of draws it shows.
    """
    return options[int(rng.random() * len(options))]


def pick_two(rng: random.Random, options: Sequence[T]) -> tuple[T, T]:
    """Two different elements of `options` (the same one twice if there is only one)."""
    count = len(options)
    if count < 2:
        return options[0], options[0]
    first = int(rng.random() * count)
    second = int(rng.random() * (count - 1))
    return options[first], options[second + (second >= first)]
