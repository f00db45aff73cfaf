"""Browsing by category: the index of sections and the page of each category."""

from __future__ import annotations

from datetime import timedelta

from models import ListingStatus, utcnow


def test_index_lists_every_section_with_counts_of_active_listings(client, categories, make_listing):
    make_listing(category=categories["bikes"])
    make_listing(category=categories["bikes"])
    make_listing(category=categories["furniture"])
    make_listing(category=categories["furniture"], status=ListingStatus.sold)
    make_listing(category=categories["boats"], status=ListingStatus.hidden)
    html = client.get("/categories").get_data(as_text=True)
    for name in ("For Sale", "Vehicles", "Housing", "Jobs", "Services", "Community", "Gigs"):
        assert name in html
    assert 'data-testid="count-for-sale">3<' in html
    assert 'data-testid="count-bikes">2<' in html
    assert 'data-testid="count-furniture">1<' in html
    assert 'data-testid="count-vehicles">0<' in html
    assert 'data-testid="count-boats">0<' in html


def test_section_page_shows_subcategories_breadcrumbs_and_listings(
    client, categories, make_listing
):
    bike = make_listing(category=categories["bikes"], title="Blue mountain bike")
    sofa = make_listing(category=categories["furniture"], title="Green velvet sofa")
    hidden = make_listing(
        category=categories["bikes"], title="Hidden scam bike", status=ListingStatus.hidden
    )
    expired = make_listing(
        category=categories["bikes"], title="Old expired bike", status=ListingStatus.expired
    )
    car = make_listing(category=categories["cars-and-trucks"], title="Red pickup truck")

    html = client.get("/c/for-sale").get_data(as_text=True)
    assert 'data-testid="total">2 active listings' in html
    assert bike.title in html and sofa.title in html
    assert hidden.title not in html and expired.title not in html and car.title not in html
    assert 'href="/c/bikes"' in html and 'href="/categories"' in html

    html = client.get("/c/bikes").get_data(as_text=True)
    assert bike.title in html and sofa.title not in html
    assert '<a href="/c/for-sale">For Sale</a>' in html  # breadcrumb up to the section


def test_listings_are_newest_first_and_paginated(client, categories, make_listing):
    now = utcnow()
    for n in range(26):
        make_listing(title=f"Bike number {n:02d}", created_at=now - timedelta(minutes=n))
    first = client.get("/c/bikes").get_data(as_text=True)
    assert first.index("Bike number 00") < first.index("Bike number 01")
    assert "Bike number 24" not in first
    assert "Page 1 of 2" in first and "/c/bikes?page=2" in first
    second = client.get("/c/bikes?page=2").get_data(as_text=True)
    assert "Bike number 24" in second and "Bike number 25" in second
    assert "Bike number 00" not in second


def test_bad_slugs_and_pages(client, categories):
    assert client.get("/c/no-such-category").status_code == 404
    # Page numbers are clamped (web/pagination.py), never an error.
    assert client.get("/c/bikes?page=0").status_code == 200
    assert client.get("/c/bikes?page=99999").status_code == 200
    assert client.get("/c/bikes?page=abc").status_code == 200
    assert client.get("/c/bikes?page=7").status_code == 200  # beyond the end: an empty page
    assert client.get("/c/" + "x" * 500).status_code == 404


def test_empty_tree_is_handled(client, app):
    html = client.get("/categories").get_data(as_text=True)
    assert "init-categories" in html
    assert client.get("/").status_code == 200


def test_navbar_and_home_link_to_category_pages(client, categories):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/c/for-sale"' in html
