"""Saving a search from the results page, and the page of one's saved searches: counts, open,
rename, frequency, pause, delete, the cap, and clear messages for bad input."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from models import (
    AlertFrequency,
    AlertMailItem,
    ListingStatus,
    SavedSearch,
    db,
    lifecycle,
    utcnow,
)
from models.saved_search import MAX_PER_USER
from tests.helpers import csrf_token, submit

SEARCH = "/search?" + urlencode({"q": "road bike", "max_price": "300", "near": "94103"})
CANONICAL = "q=road+bike&max_price=300&near=94103"


@pytest.fixture
def me(make_user, login_as):
    return login_as(make_user(username="saver"))


def mine(user) -> list[SavedSearch]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.id)
        )
    )


def page_text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def save(client, query: str = CANONICAL, **fields):
    data = {"query": query, "name": "My search", "frequency": "daily", **fields}
    prefixed = {f"save-{name}": value for name, value in data.items()}
    return submit(client, "/saved-searches", prefixed, form_url=SEARCH)


def listed_ids(text: str) -> list[str]:
    return re.findall(r'data-listing-id="(\d+)"', text)


def test_the_results_page_offers_to_save_the_search_with_a_suggested_name(client, me, categories):
    text = page_text(client.get(SEARCH))
    assert "Save this search" in text
    suggested = re.search(r'id="save-name"[^>]*value="([^"]*)"', text) or re.search(
        r'value="([^"]*)"[^>]*id="save-name"', text
    )
    assert suggested and suggested.group(1) == (
        "road bike, Up to $300, Within 25 mi of San Francisco, CA 94103"
    )
    assert f'name="query" type="hidden" value="{CANONICAL}"' in text or (
        f'value="{CANONICAL}"' in text
    )

    saved = page_text(client.get(save(client, name=suggested.group(1)).headers["Location"]))
    assert "Saved “road bike, Up to $300, Within 25 mi of San Francisco, CA 94103”." in saved
    assert "““" not in saved


def test_someone_logged_out_is_asked_to_log_in_first(client, categories):
    text = page_text(client.get(SEARCH))
    assert "Log in to save this search" in text
    assert "/login?next=" in text


def test_saving_keeps_the_canonical_search_and_shows_the_same_results_again(
    client, me, categories, make_listing
):
    make_listing()
    response = save(client, query="near=94103&max_price=300.00&q=road%20bike", frequency="instant")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/search?{CANONICAL}"
    (search,) = mine(me)
    assert (search.name, search.query, search.frequency) == (
        "My search",
        CANONICAL,
        AlertFrequency.instant,
    )
    text = page_text(client.get(response.headers["Location"]))
    assert "Saved “My search”" in text and "as soon as new listings match" in text
    assert "Saved as “My search”" in text, "the page knows it is saved"


def test_the_same_search_is_saved_once(client, me, categories):
    save(client)
    response = save(client, name="Again")
    assert "You saved this search already, as “My search”." in page_text(
        client.get(response.headers["Location"])
    )
    assert len(mine(me)) == 1


def test_the_cap_per_person_is_explained(client, me, categories):
    for n in range(MAX_PER_USER):
        db.session.add(SavedSearch(user_id=me.id, name=f"s{n}", query=f"q=thing{n}"))
    db.session.commit()

    assert "You keep the most saved searches one person can" in page_text(client.get(SEARCH))
    response = save(client)
    text = page_text(client.get(response.headers["Location"]))
    assert f"You have {MAX_PER_USER} saved searches, the most one person can keep" in text
    assert len(mine(me)) == MAX_PER_USER


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"query": "category=no-such-thing"}, "We don't know the category"),
        ({"query": "near=00000"}, "We don't know the ZIP code 00000"),
        ({"name": ""}, "Give the search a name."),
        ({"name": "x" * 101}, "A name has at most 100 characters."),
        ({"frequency": "hourly"}, "Not a valid choice"),
        ({"query": "q=" + "x" * 5000}, "This search is too long."),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(client, me, categories, fields, message):
    response = save(client, **fields)
    assert response.status_code == 302
    assert message in page_text(client.get(response.headers["Location"]))
    assert mine(me) == []


def test_my_saved_searches_show_matches_now_and_new_since_my_last_visit(
    client, me, categories, make_listing
):
    make_listing()
    make_listing(title="Road bike, 54 cm")
    save(client)
    make_listing(title="Road bike, 58 cm")

    text = page_text(client.get("/saved-searches"))
    assert "My search" in text
    assert "3 matches now" in text and "1 new since your last visit" in text
    assert "Mail: Once a day" in text

    (search,) = mine(me)
    opened = client.get(f"/saved-searches/{search.id}/open")
    assert opened.headers["Location"] == f"/search?{CANONICAL}"
    assert listed_ids(page_text(client.get(opened.headers["Location"]))) == listed_ids(
        page_text(client.get(SEARCH))
    ), "opening it reproduces the results page it was saved from"
    assert "0 new since your last visit" in page_text(client.get("/saved-searches"))


def test_rename_change_frequency_pause_resume_and_delete(client, me, categories, make_listing):
    save(client)
    (search,) = mine(me)
    waiting = make_listing()
    db.session.add(AlertMailItem(saved_search_id=search.id, listing_id=waiting.id))
    db.session.commit()
    prefix = f"s{search.id}"
    token = csrf_token(client, "/saved-searches")
    fields = {"csrf_token": token, "name": "Bikes", "frequency": "never"}
    client.post(
        f"/saved-searches/{search.id}/edit",
        data={f"{prefix}-{name}": value for name, value in fields.items()},
    )
    (search,) = mine(me)
    assert (search.name, search.frequency) == ("Bikes", AlertFrequency.never)
    assert db.session.query(AlertMailItem).count() == 0, "no mail pending for a search without"

    submit(client, f"/saved-searches/{search.id}/pause", form_url="/saved-searches")
    text = page_text(client.get("/saved-searches"))
    assert "Paused" in text and "No alerts while paused" in text
    assert mine(me)[0].paused_at is not None

    submit(client, f"/saved-searches/{search.id}/resume", form_url="/saved-searches")
    assert mine(me)[0].paused_at is None

    submit(client, f"/saved-searches/{search.id}/delete", form_url="/saved-searches")
    assert mine(me) == []
    assert "You have no saved searches yet" in page_text(client.get("/saved-searches"))


def test_a_bad_edit_is_explained_and_changes_nothing(client, me, categories):
    save(client)
    (search,) = mine(me)
    prefix = f"s{search.id}"
    token = csrf_token(client, "/saved-searches")
    response = client.post(
        f"/saved-searches/{search.id}/edit",
        data={f"{prefix}-csrf_token": token, f"{prefix}-name": " ", f"{prefix}-frequency": "x"},
    )
    assert "was not changed: Give the search a name." in page_text(
        client.get(response.headers["Location"])
    )
    assert mine(me)[0].name == "My search"


def test_other_peoples_saved_searches_do_not_exist_for_me(client, categories, make_user, login_as):
    owner = make_user()
    theirs = SavedSearch(user_id=owner.id, name="Theirs", query="q=bike")
    db.session.add(theirs)
    db.session.commit()
    login_as(make_user())

    assert client.get(f"/saved-searches/{theirs.id}/open").status_code == 404
    for action in ("edit", "pause", "resume", "delete"):
        response = submit(
            client, f"/saved-searches/{theirs.id}/{action}", form_url="/saved-searches"
        )
        assert response.status_code == 404
    assert "Theirs" not in page_text(client.get("/saved-searches"))
    assert client.get("/saved-searches/999999/open").status_code == 404


def test_the_pages_need_a_login(client):
    assert client.get("/saved-searches").status_code == 302
    assert client.get("/saved-searches/1/open").status_code == 302


def test_a_search_that_no_longer_runs_says_why(client, me, categories):
    db.session.add(SavedSearch(user_id=me.id, name="Gone", query="category=gone-category"))
    db.session.commit()
    text = page_text(client.get("/saved-searches"))
    assert "This search no longer runs: We don't know the category 'gone-category'." in text


@pytest.mark.parametrize("settings_overrides", [{"ELASTICSEARCH_URL": None}])
def test_counts_on_the_embedded_backend(client, me, categories, make_listing, settings_overrides):
    make_listing()
    save(client)
    make_listing(title="Road bike, 58 cm")
    text = page_text(client.get("/saved-searches"))
    assert "2 matches now" in text and "1 new since your last visit" in text


@pytest.mark.parametrize("settings_overrides", [{}, {"ELASTICSEARCH_URL": None}])
def test_a_listing_renewed_since_my_last_visit_counts_as_new_on_both_backends(
    client, me, categories, make_listing, settings_overrides
):
    old = make_listing(
        status=ListingStatus.expired,
        created_at=utcnow() - timedelta(days=40),
        expires_at=utcnow() - timedelta(days=10),
    )
    make_listing(title="Road bike, 54 cm")
    save(client)
    lifecycle.renew(old, ttl_days=30)
    db.session.commit()  # searchable again from now on
    text = page_text(client.get("/saved-searches"))
    assert "2 matches now" in text and "1 new since your last visit" in text
