"""Demo ads: a title, a description, a price and a condition that fit the category.

The words come from scripts.seed_vocabulary; everything random comes from one seeded
`random.Random`, so the same seed writes the same ads.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from models import Condition, PriceKind
from scripts.seed_random import pick, pick_two
from scripts.seed_vocabulary import (
    AREAS,
    CONDITION_ADJECTIVES,
    CONDITION_LINES,
    DAYS,
    HOUSING_ADJECTIVES,
    KINDS,
    SERVICE_ADJECTIVES,
    TIMES,
    VEHICLE_CONDITION_LINES,
    VENUES,
    Vocab,
)
from search.geo import Place

TITLE_MAX = 120  # listings.title is VARCHAR(120)

CONDITION_WEIGHTS = {
    "goods": {
        Condition.new: 10,
        Condition.like_new: 25,
        Condition.good: 40,
        Condition.fair: 20,
        Condition.for_parts: 5,
    },
    "vehicle": {
        Condition.new: 2,
        Condition.like_new: 18,
        Condition.good: 50,
        Condition.fair: 25,
        Condition.for_parts: 5,
    },
}
# The same weights as running totals, so each draw skips adding them up (random.choices).
_CONDITION_DRAW = {
    kind: (tuple(weights), tuple(itertools.accumulate(weights.values())))
    for kind, weights in CONDITION_WEIGHTS.items()
}
# What a second-hand buyer pays relative to a good used one.
CONDITION_PRICE = {
    Condition.new: 1.3,
    Condition.like_new: 1.1,
    Condition.good: 1.0,
    Condition.fair: 0.7,
    Condition.for_parts: 0.35,
}


class Ad(NamedTuple):  # a tuple: a million of them are made, dataclasses are slower to build
    title: str
    description: str
    price_minor: int
    price_kind: PriceKind
    condition: Condition | None


class AdWriter:
    """Writes one ad at a time for a category's vocabulary, a place and a posting time."""

    def __init__(self, rng: random.Random, companies: Sequence[str], streets: Sequence[str]):
        self.rng = rng
        self.companies = companies
        self.streets = streets

    def write(self, vocab: Vocab, place: Place, posted: datetime) -> Ad:
        """An ad whose title, text, price and condition agree with each other."""
        kind = KINDS[vocab.kind]
        condition = self._condition(vocab)
        fields = _Fields(self, vocab, place, posted, condition)
        price_kind, dollars = self._price(vocab, condition, fields)
        fields.price_kind, fields.dollars = price_kind, dollars
        fields["price"] = f"{dollars:,}"
        rng = self.rng
        templates = [pick(rng, vocab.titles or kind.titles)]
        templates += [pick(rng, slot) for slot in vocab.body or kind.body]
        title, *sentences = _render(templates, fields)
        description = " ".join(s for s in sentences if s)
        return Ad(_clip(title, TITLE_MAX), description, dollars * 100, price_kind, condition)

    def _condition(self, vocab: Vocab) -> Condition | None:
        draw = _CONDITION_DRAW.get(vocab.kind)
        if draw is None or not vocab.has_condition:
            return None
        conditions, cum_weights = draw
        return self.rng.choices(conditions, cum_weights=cum_weights)[0]

    def _price(
        self, vocab: Vocab, condition: Condition | None, fields: _Fields
    ) -> tuple[PriceKind, int]:
        """The price kind and whole dollars: a yearly salary for jobs, rent per unit, or a price."""
        rng = self.rng
        if vocab.kind == "job":
            return PriceKind.salary, int(round(_log_uniform(rng, *vocab.price), -3))
        if vocab.price == (0, 0) or rng.random() < vocab.free_share:
            return PriceKind.free, 0
        factor = CONDITION_PRICE.get(condition, 1.0)
        if vocab.kind == "vehicle":
            # Cars lose roughly a seventh of their value a year; even a wreck has a floor.
            age = max(fields.posted.year - int(fields["year"]), 0)
            dollars = vocab.price[1] * 0.86**age * rng.uniform(0.7, 1.1) * factor
            dollars = max(dollars, vocab.price[0] * rng.uniform(0.6, 1.0))
        elif vocab.kind == "service":
            dollars = rng.uniform(*vocab.price)
        else:
            dollars = _log_uniform(rng, *vocab.price) * factor
        return PriceKind.fixed, nice_price(dollars)


class _Fields(dict):
    """Template values, each drawn the first time a template asks for it, then kept."""

    def __init__(
        self,
        writer: AdWriter,
        vocab: Vocab,
        place: Place,
        posted: datetime,
        condition: Condition | None,
    ):
        super().__init__(
            city=place.city, state=place.state, zip=place.zip_code or "", unit=vocab.unit
        )
        self.rng = writer.rng
        self.writer = writer
        self.vocab = vocab
        self.posted = posted
        self.condition = condition
        self.price_kind = PriceKind.fixed
        self.dollars = 0

    def __missing__(self, key: str) -> str:
        draw = _DRAWS.get(key)
        if draw is None:  # "{Detail}": the same value as "{detail}", capitalised
            self[key] = _capitalize(self[key[0].lower() + key[1:]])
        else:
            self[key] = draw(self)
        return self[key]

    def _pick(self, options: Sequence[str]) -> str:
        return pick(self.rng, options)

    def _draw_item(self) -> str:
        item = self._pick(self.vocab.items)
        if self.vocab.brands and self.rng.random() < 0.75:
            return f"{self._pick(self.vocab.brands)} {item}"
        return item

    def _draw_a_item(self) -> str:
        item = self["item"]
        return f"{'an' if item[:1].lower() in 'aeiou' else 'a'} {item}"

    def _draw_detail(self) -> str:
        details = self.vocab.details or KINDS[self.vocab.kind].details
        first, second = pick_two(self.rng, details)
        self["detail2"] = second
        return first

    def _draw_detail2(self) -> str:
        self["detail"]  # noqa: B018  (drawing the pair sets detail2)
        return self["detail2"]

    def _draw_adj(self) -> str:
        if self.vocab.kind == "housing":
            return self._pick(HOUSING_ADJECTIVES)
        if self.vocab.kind == "service":
            return self._pick(SERVICE_ADJECTIVES)
        return self._pick(CONDITION_ADJECTIVES[self.condition or Condition.good])

    def _draw_condition_line(self) -> str:
        if self.condition is None:
            return ""
        lines = VEHICLE_CONDITION_LINES if self.vocab.kind == "vehicle" else CONDITION_LINES
        return self._pick(lines[self.condition])

    def _draw_year(self) -> str:
        # Most second-hand vehicles are a few years old; a few are twenty.
        return str(self.posted.year - int(self.rng.triangular(0, 20, 5)))

    def _draw_trim(self) -> str:
        return self._pick(self.vocab.trims) if self.vocab.trims else ""

    def _draw_usage(self) -> str:
        age = max(self.posted.year - int(self["year"]), 0.5)
        amount = age * self.rng.uniform(*self.vocab.usage)
        step = 1000 if self.vocab.usage_unit == "miles" else 10
        return f"{max(step, round(amount / step) * step):,} {self.vocab.usage_unit}"

    def _draw_title_status(self) -> str:
        return self.rng.choices(_TITLE_STATUSES, cum_weights=_TITLE_STATUS_CUM_WEIGHTS)[0]

    def _draw_beds(self) -> str:
        return str(self.rng.randint(*self.vocab.beds))

    def _draw_baths(self) -> str:
        return str(self.rng.randint(1, max(1, min(int(self["beds"]), 3))))

    def _draw_sqft(self) -> str:
        if self.vocab.sqft != (0, 0):
            return f"{round(self.rng.randint(*self.vocab.sqft), -1):,}"
        return f"{round(int(self['beds']) * self.rng.uniform(380, 600) + 150, -1):,.0f}"

    def _draw_guests(self) -> str:
        return str(int(self["beds"]) * 2)

    def _draw_year_built(self) -> str:
        return str(self.rng.randint(1925, self.posted.year - 1))

    def _draw_available(self) -> str:
        if self.rng.random() < 0.4:
            return "now"
        day = self.posted + timedelta(days=self.rng.randint(5, 45))
        return f"{day:%B} {day.day}"

    def _draw_deposit(self) -> str:
        return self._pick(
            (
                "one month's deposit",
                "$500 deposit",
                "first and last month up front",
                "deposit equal to one month's rent",
            )
        )

    def _draw_area(self) -> str:
        return self._pick(AREAS)

    def _draw_company(self) -> str:
        return self._pick(self.writer.companies)

    def _draw_employment(self) -> str:
        return self._pick(
            ("Full-time", "Full-time", "Part-time", "Contract", "Full-time, benefits")
        )

    def _draw_benefit(self) -> str:
        return self._pick(
            (
                "health insurance",
                "a 401(k) match",
                "paid time off",
                "dental and vision",
                "an employee discount",
            )
        )

    def _draw_pay_k(self) -> str:
        return str(round(self.dollars / 1000))

    def _draw_years(self) -> str:
        return str(self.rng.randint(3, 25))

    def _draw_admission(self) -> str:
        return "free" if self.price_kind is PriceKind.free else f"${self['price']}"

    def _draw_lost_found(self) -> str:
        return self._pick(("Lost", "Found"))

    def _draw_lost_found_line(self) -> str:
        if self["lost_found"] == "Lost":
            return self._pick(("Reward offered, no questions asked.", "We miss them terribly."))
        return self._pick(("Describe it and it's yours.", "Safe with me until the owner calls."))

    def _draw_street(self) -> str:
        return self._pick(self.writer.streets)

    def _draw_day(self) -> str:
        return self._pick(DAYS)

    def _draw_time(self) -> str:
        return self._pick(TIMES)

    def _draw_venue(self) -> str:
        return self._pick(VENUES)

    def _draw_n(self) -> str:
        return str(self.rng.randint(2, 6))


# Each field's drawing method, found once instead of by name on every template field.
_DRAWS = {
    name.removeprefix("_draw_"): method
    for name, method in vars(_Fields).items()
    if name.startswith("_draw_")
}
_TITLE_STATUSES = ("clean title", "clean title in hand", "rebuilt title", "salvage title")
_TITLE_STATUS_CUM_WEIGHTS = (60, 85, 95, 100)


def nice_price(dollars: float) -> int:
    """Round to what people ask: $7, $45, $120, $1,250, $14,500, $385,000."""
    for limit, step in ((20, 1), (100, 5), (1000, 10), (5000, 50), (20000, 100), (100000, 500)):
        if dollars < limit:
            return max(1, round(dollars / step) * step)
    return round(dollars / 5000) * 5000


def _log_uniform(rng: random.Random, low: float, high: float) -> float:
    # Cheap things are listed far more often than dear ones; a log scale spreads them that way.
    return math.exp(rng.uniform(math.log(low), math.log(high)))


_SEPARATOR = "\0"  # between the templates of one ad; no template or value holds it


def _render(templates: list[str], fields: _Fields) -> list[str]:
    """The templates filled in, with the gaps of empty fields closed and capital first letters.

    All in one `format_map`: the templates share their fields anyway, and one call instead
    of seven is a good part of what an ad costs.
    """
    text = _SEPARATOR.join(templates).format_map(fields)
    # Only an empty field leaves a gap ("2015 Honda Civic , clean title"): the check is cheap,
    # the repair rarely needed (and str methods, not regexps, for it are cheaper still).
    if "  " in text or " ," in text or " ." in text:
        text = " ".join(text.split()).replace(" ,", ",").replace(" .", ".")
    return [_capitalize(part.strip()) for part in text.split(_SEPARATOR)]


def _capitalize(text: str) -> str:
    # "iPhone 13" and "eBay" keep their lower-case first letter.
    if text[:1].islower() and not text[1:2].isupper():
        return text[0].upper() + text[1:]
    return text


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    return text[: limit - 3].rsplit(" ", 1)[0].rstrip(",-: ") + "..."
