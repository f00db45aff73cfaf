"""Prices as people type them (major units, "1,234.50") and as they are stored (minor units)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from models import MAX_PRICE_MINOR

MAX_PRICE = Decimal(MAX_PRICE_MINOR).scaleb(-2)


def parse_price(raw: str) -> int:
    """'1,234.50' or '$250' -> minor units (123450, 25000); ValueError with a message if not."""
    text = raw.strip().replace(",", "").removeprefix("$").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError("Enter the price as a number, like 250 or 19.99.") from None
    if not amount.is_finite():
        raise ValueError("Enter the price as a number, like 250 or 19.99.")
    if amount < 0:
        raise ValueError("The price cannot be negative.")
    # Compared before any arithmetic: absurd values like 1e999999999 overflow a Decimal context.
    if amount > MAX_PRICE:
        raise ValueError(f"The price cannot be above {MAX_PRICE_MINOR // 100:,}.")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("Use at most two decimal places.")
    return int(amount * 100)


def format_price_input(minor: int) -> str:
    """Minor units back to what a person types: 25000 -> '250', 1999 -> '19.99'."""
    major, cents = divmod(minor, 100)
    return str(major) if cents == 0 else f"{major}.{cents:02d}"
