"""No page answers 500 to hostile or malformed input: every GET route, anonymous and logged
in, with odd query strings and ids that do not exist."""

from __future__ import annotations

import pytest

from tests.helpers import csrf_token

HOSTILE_QUERIES = [
    "",
    "?page=-1",
    "?page=abc",
    "?page=99999999999999999999",
    "?tab=../../etc/passwd",
    "?q=%3Cscript%3Ealert(1)%3C/script%3E",
    "?q=" + "x" * 5000,
    "?min_price=1e999&max_price=-0",
    "?category=%00&sort=%27;DROP TABLE listings;--",
    "?next=//evil.example.com",
]

# Values for URL arguments: one that exists in the fixture data and some that cannot.
ARGUMENTS = {
    "listing_id": ["{listing}", "999999"],
    "id": ["{listing}", "999999"],
    "conversation_id": ["1", "999999"],
    "slug": ["bikes", "no-such-category", "%2e%2e"],
    "username": ["{username}", "nobody-here", "%3Cb%3E"],
    "key": ["0" * 32, "not-hex"],
    "size": ["thumb", "huge"],
    "token": ["garbage.token.value"],
    "filename": ["css/site.css", "../settings.py"],
}


def _urls_for(rule, listing_id: int, username: str) -> list[str]:
    """Concrete URLs for a route, one per combination of ARGUMENTS values."""
    paths = [rule.rule]
    for name in rule.arguments:
        values = ARGUMENTS.get(name, ["1"])
        paths = [
            p.replace(f"<{conv}{name}>", v)
            for p in paths
            for v in values
            for conv in ("", "int:", "string:", "path:")
            if f"<{conv}{name}>" in p
        ]
    return sorted({p.format(listing=listing_id, username=username) for p in paths})


def _urls(app, listing_id: int, username: str) -> list[str]:
    rules = [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods]
    return sorted({url for rule in rules for url in _urls_for(rule, listing_id, username)})


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_no_get_route_fails_with_a_server_error(app, client, make_listing, login_as, logged_in):
    listing = make_listing()
    if logged_in:
        login_as(listing.owner)
    failures = []
    for url in _urls(app, listing.id, listing.owner.username):
        for query in HOSTILE_QUERIES:
            response = client.get(url + query)
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {url}{query[:60]}")
    assert failures == []


GARBAGE_FORMS = [
    {},
    {"title": "x" * 10_000, "price": "1e999", "page": "-1", "reason": "nonsense"},
    {"body": "\x00", "email": "<script>", "username": "a" * 300, "password": "\u202e"},
    {"photos": "not a file", "remove_photos": "abc", "cover_photo": "-5", "next": "//evil"},
]


@pytest.mark.parametrize("logged_in", [False, True], ids=["anonymous", "logged-in"])
def test_no_post_route_fails_with_a_server_error(app, client, make_listing, login_as, logged_in):
    listing = make_listing()
    if logged_in:
        login_as(listing.owner)
    token = csrf_token(client, "/listings/new" if logged_in else "/login")
    failures = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        for url in _urls_for(rule, listing.id, listing.owner.username):
            for form in GARBAGE_FORMS:
                response = client.post(url, data={**form, "csrf_token": token})
                if response.status_code >= 500:
                    failures.append(f"{response.status_code} POST {url} {sorted(form)}")
    assert failures == []
