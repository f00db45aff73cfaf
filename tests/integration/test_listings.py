"""Posting, editing and showing listings through the web forms."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from models import Condition, Listing, ListingStatus, PriceKind, db
from tests.helpers import submit
from tests.listing_helpers import listing_form


def newest() -> Listing:
    return db.session.scalars(select(Listing).order_by(Listing.id.desc())).first()


def post(client, data: dict, **kwargs):
    return submit(client, "/listings/new", data, content_type="multipart/form-data", **kwargs)


@pytest.fixture
def seller(make_user, login_as):
    return login_as(make_user(username="seller", display_name="Sam Seller"))


def test_posting_needs_a_login(client, categories):
    response = client.get("/listings/new")
    assert response.status_code in (302, 401)


def test_form_offers_subcategories_grouped_by_section_not_sections(client, categories, seller):
    html = client.get("/listings/new").get_data(as_text=True)
    assert '<optgroup label="For Sale">' in html
    assert f'value="{categories["bikes"].id}"' in html
    assert f'value="{categories["for-sale"].id}"' not in html


def test_post_a_listing(client, categories, seller):
    response = post(client, listing_form(categories["bikes"].id, price="1,234.50"))
    listing = newest()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/listings/{listing.id}")
    assert listing.owner_id == seller.id
    assert listing.title == "Vintage road bike"
    assert (listing.price_minor, listing.price_kind, listing.currency) == (
        123450,
        PriceKind.fixed,
        "USD",
    )
    assert listing.condition is Condition.good
    assert (listing.zip_code, listing.city, listing.state) == ("94103", "San Francisco", "CA")
    assert listing.status is ListingStatus.active
    assert 29 <= (listing.expires_at - listing.created_at).days <= 30
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert "Vintage road bike" in page and "$1,234.50" in page


def test_text_is_normalised_on_input(client, categories, seller):
    # A title goes into mail subjects: a line break in it would be a header injection.
    form = listing_form(
        categories["bikes"].id,
        title="Road bike\r\nBcc: victim@example.com\x07",
        description="\r\n  Steel frame,\r\nnew tyres.\x00 Barely used, honest.  ",
        location=" 94103\n",
    )
    assert post(client, form).status_code == 302
    listing = newest()
    assert listing.title == "Road bike Bcc: victim@example.com"
    assert listing.description == "Steel frame,\nnew tyres. Barely used, honest."
    assert listing.zip_code == "94103"


def test_free_item(client, categories, seller):
    post(client, listing_form(categories["free-stuff"].id, price="", free="y"))
    listing = newest()
    assert (listing.price_kind, listing.price_minor) == (PriceKind.free, 0)


def test_a_job_has_a_salary_and_no_condition(client, categories, seller):
    post(client, listing_form(categories["software-and-it"].id, price="95000", condition="new"))
    listing = newest()
    assert (listing.price_kind, listing.price_minor) == (PriceKind.salary, 9_500_000)
    assert listing.condition is None
    assert "$95,000/yr" in client.get(f"/listings/{listing.id}").get_data(as_text=True)


def test_a_job_cannot_be_free(client, categories, seller):
    response = post(client, listing_form(categories["software-and-it"].id, price="", free="y"))
    assert response.status_code == 400
    assert "salary" in response.get_data(as_text=True)


def test_city_and_state_resolve_offline(client, categories, seller):
    post(client, listing_form(categories["bikes"].id, location="Austin, TX"))
    listing = newest()
    assert (listing.city, listing.state, listing.zip_code) == ("Austin", "TX", None)
    assert 30 < listing.latitude < 31


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "Bike"}, "A title has 5 to 120 characters"),
        ({"title": "x" * 121}, "A title has 5 to 120 characters"),
        ({"title": "    "}, "Give your listing a title"),
        ({"title": None}, "Give your listing a title"),
        ({"description": "too short"}, "A description has 20 to 5,000 characters"),
        ({"description": "x" * 5001}, "A description has 20 to 5,000 characters"),
        ({"price": "-5"}, "cannot be negative"),
        ({"price": "1e30"}, "cannot be above"),
        ({"price": "100000000001"}, "cannot be above"),
        ({"price": "12.345"}, "two decimal places"),
        ({"price": "cheap"}, "as a number"),
        ({"price": "NaN"}, "as a number"),
        ({"price": "Infinity"}, "as a number"),
        ({"price": ""}, "Enter a price"),
        ({"currency": "XYZ"}, "Not a valid choice"),
        ({"condition": "mint"}, "Not a valid choice"),
        ({"category_id": "999999"}, "Choose one of the listed categories"),
        ({"category_id": "abc"}, "Choose a category"),
        ({"category_id": None}, "Choose a category"),
        ({"location": "00000"}, "We don&#39;t know the ZIP code 00000"),
        ({"location": "Atlantis, ZZ"}, "We don&#39;t know a city"),
        ({"location": ""}, "Enter a ZIP code or a city"),
    ],
)
def test_bad_input_is_a_form_error_not_a_listing(client, categories, seller, fields, message):
    data = {**listing_form(categories["bikes"].id), **fields}
    response = post(client, {name: value for name, value in data.items() if value is not None})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert newest() is None


def test_a_section_is_not_postable(client, categories, seller):
    response = post(client, listing_form(categories["for-sale"].id))
    assert response.status_code == 400
    assert newest() is None


def test_the_form_is_refused_without_its_csrf_token(client, categories, seller):
    response = client.post("/listings/new", data=listing_form(categories["bikes"].id))
    assert response.status_code == 400
    assert newest() is None


@pytest.mark.parametrize("settings_overrides", [{"LISTINGS_PER_DAY": 2}])
def test_daily_cap_on_new_listings(client, categories, seller, make_listing):
    make_listing(owner=seller)
    make_listing(owner=seller, status=ListingStatus.deleted)  # deleting does not free a slot
    response = post(client, listing_form(categories["bikes"].id))
    assert response.status_code == 400
    assert "2 listings a day" in response.get_data(as_text=True)
    assert db.session.scalar(select(db.func.count(Listing.id))) == 2


def test_the_form_copes_with_an_empty_category_tree(client, make_user, login_as):
    login_as(make_user())
    response = client.get("/listings/new")
    assert response.status_code == 200
    assert "init-categories" in response.get_data(as_text=True)


def test_edit_a_listing(client, categories, seller, make_listing):
    listing = make_listing(owner=seller)
    form = client.get(f"/listings/{listing.id}/edit").get_data(as_text=True)
    assert 'value="Road bike, 56 cm frame"' in form
    assert 'value="94103"' in form
    response = submit(
        client,
        f"/listings/{listing.id}/edit",
        listing_form(
            categories["bikes"].id,
            title="Road bike, now cheaper",
            price="199.99",
            location="Boise, ID",
        ),
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    db.session.refresh(listing)
    assert (listing.title, listing.price_minor, listing.city) == (
        "Road bike, now cheaper",
        19999,
        "Boise",
    )


def test_bad_edit_changes_nothing(client, categories, seller, make_listing):
    listing = make_listing(owner=seller)
    response = submit(
        client,
        f"/listings/{listing.id}/edit",
        listing_form(categories["bikes"].id, price="-1"),
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    db.session.refresh(listing)
    assert listing.price_minor == 25_000 and listing.version == 1


def test_someone_else_cannot_edit(client, categories, make_user, make_listing, login_as):
    listing = make_listing()
    login_as(make_user())
    assert client.get(f"/listings/{listing.id}/edit").status_code == 403
    response = client.post(
        f"/listings/{listing.id}/edit", data=listing_form(categories["bikes"].id)
    )
    assert response.status_code in (400, 403)  # refused before or at the CSRF check
    token_page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', token_page)
    if token:
        data = {
            **listing_form(categories["bikes"].id, title="Hijacked title"),
            "csrf_token": token[1],
        }
        assert client.post(f"/listings/{listing.id}/edit", data=data).status_code == 403
    db.session.refresh(listing)
    assert listing.title == "Road bike, 56 cm frame"


def test_an_admin_can_edit_anyones_listing(client, categories, make_user, make_listing, login_as):
    listing = make_listing()
    login_as(make_user(is_admin=True))
    assert client.get(f"/listings/{listing.id}/edit").status_code == 200


def test_listing_page_shows_its_parts(client, make_listing):
    listing = make_listing(description="Line one\nLine two of a long description.")
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert 'data-testid="listing-title">Road bike, 56 cm frame' in page
    assert "$250" in page
    assert 'data-lat="37.7725"' in page and 'data-lon="-122.4147"' in page
    assert "js/listing-map.js" in page and "vendor/leaflet/leaflet.js" in page
    assert "https://www.facebook.com/sharer/sharer.php?u=" in page
    assert "https://wa.me/?text=" in page and "https://twitter.com/intent/tweet" in page
    assert f'data-copy="http://localhost:5000/listings/{listing.id}"' in page
    assert 'data-testid="owner-controls"' not in page  # a stranger sees no owner buttons
    assert "<script>" not in page and "style=" not in page  # the CSP allows neither


def test_owner_sees_controls(client, make_listing, seller):
    listing = make_listing(owner=seller)
    page = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert 'data-testid="owner-controls"' in page
    for action in ("edit", "sold", "delete"):
        assert f"/listings/{listing.id}/{action}" in page


def test_unknown_listing_is_404(client, categories):
    assert client.get("/listings/999999").status_code == 404
    assert client.get("/listings/abc").status_code == 404
