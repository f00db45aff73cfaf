"""The classic sections of a classifieds site and their subcategories, and how to install them."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.category import Category

CATEGORY_TREE: dict[str, list[str]] = {
    "For Sale": [
        "Antiques",
        "Appliances",
        "Arts & Crafts",
        "Baby & Kids",
        "Bikes",
        "Books & Magazines",
        "Cell Phones",
        "Clothing & Accessories",
        "Collectibles",
        "Computers",
        "Electronics",
        "Farm & Garden",
        "Free Stuff",
        "Furniture",
        "Household Items",
        "Jewelry",
        "Musical Instruments",
        "Photo & Video",
        "Sporting Goods",
        "Tickets",
        "Tools",
        "Toys & Games",
        "Video Gaming",
    ],
    "Vehicles": [
        "Cars & Trucks",
        "Motorcycles",
        "Boats",
        "RVs & Campers",
        "Auto Parts",
        "Trailers",
    ],
    "Housing": [
        "Apartments for Rent",
        "Rooms & Shares",
        "Sublets & Temporary",
        "Houses for Sale",
        "Vacation Rentals",
        "Parking & Storage",
        "Office & Commercial",
    ],
    "Jobs": [
        "Accounting & Finance",
        "Admin & Office",
        "Customer Service",
        "Education & Teaching",
        "Food & Hospitality",
        "Healthcare",
        "Retail & Wholesale",
        "Skilled Trades",
        "Software & IT",
        "Transport & Logistics",
    ],
    "Services": [
        "Automotive Services",
        "Beauty & Wellness",
        "Computer Repair",
        "Creative Services",
        "Household Services",
        "Lessons & Tutoring",
        "Moving & Hauling",
        "Pet Services",
        "Skilled Trade Services",
    ],
    "Community": [
        "Activities",
        "Events",
        "Lost & Found",
        "Volunteers",
        "Classes",
        "Groups",
    ],
    "Gigs": [
        "Computer Gigs",
        "Creative Gigs",
        "Crew Gigs",
        "Domestic Gigs",
        "Event Gigs",
        "Labor Gigs",
        "Writing Gigs",
    ],
}


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("&", "and")).strip("-")


def install_category_tree(session: Session) -> int:
    """Create the sections and subcategories that are missing; returns how many were added.

    Idempotent: existing categories (found by slug) are left as they are.
    """
    existing = {c.slug: c for c in session.scalars(select(Category))}
    added = 0
    for position, (section_name, children) in enumerate(CATEGORY_TREE.items()):
        section = existing.get(slugify(section_name))
        if section is None:
            section = Category(slug=slugify(section_name), name=section_name, position=position)
            session.add(section)
            added += 1
        for child_position, child_name in enumerate(children):
            slug = slugify(child_name)  # names are unique across the whole tree
            if slug not in existing:
                session.add(
                    Category(slug=slug, name=child_name, position=child_position, parent=section)
                )
                added += 1
    session.flush()
    return added
