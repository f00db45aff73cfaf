"""The life of a listing: sold, deleted, renewed, expired by the periodic task with a warning
mail before, and who can see it at each stage. Every change bumps the version and writes an
outbox entry in the same transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from indexer.lifecycle import expire_listings
from models import Listing, ListingStatus, OutboxEntry, db, utcnow
from tests.helpers import submit
from tests.listing_helpers import listing_form, picture, upload

S = ListingStatus


@pytest.fixture
def owner(make_user, login_as):
    return login_as(make_user(username="owner", email="owner@example.com"))


def act(client, listing: Listing, action: str):
    page = f"/listings/{listing.id}"
    return submit(client, f"{page}/{action}", form_url="/")


def reloaded(listing: Listing) -> Listing:
    db.session.expire_all()
    return db.session.get(Listing, listing.id)


def outbox_versions(listing: Listing) -> list[int]:
    return list(
        db.session.scalars(
            select(OutboxEntry.version)
            .where(OutboxEntry.listing_id == listing.id)
            .order_by(OutboxEntry.id)
        )
    )


def test_mark_sold_keeps_the_listing_visible_and_marked(
    client, owner, make_listing, make_user, login_as
):
    listing = make_listing(owner=owner)
    response = act(client, listing, "sold")
    assert response.status_code == 302
    assert reloaded(listing).status is S.sold
    login_as(make_user())
    html = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert "This item has been sold" in html


def test_delete_makes_the_listing_gone_for_everyone_but_admins(
    client, owner, make_listing, make_user, login_as
):
    listing = make_listing(owner=owner)
    response = act(client, listing, "delete")
    assert response.status_code == 302
    assert reloaded(listing).status is S.deleted
    assert client.get(f"/listings/{listing.id}").status_code == 404  # the owner too
    assert act(client, listing, "renew").status_code == 404
    login_as(make_user())
    assert client.get(f"/listings/{listing.id}").status_code == 404
    login_as(make_user(is_admin=True))
    assert client.get(f"/listings/{listing.id}").status_code == 200


def test_only_the_owner_can_change_it(client, owner, make_listing, make_user, login_as):
    listing = make_listing()  # someone else's
    for action in ("sold", "delete", "renew"):
        assert act(client, listing, action).status_code == 403
    assert reloaded(listing).status is S.active


def test_actions_need_post_and_the_csrf_token(client, owner, make_listing):
    listing = make_listing(owner=owner)
    assert client.get(f"/listings/{listing.id}/delete").status_code == 405
    assert client.post(f"/listings/{listing.id}/delete").status_code == 400
    assert reloaded(listing).status is S.active


def test_renew_an_expired_listing(client, owner, make_listing):
    listing = make_listing(
        owner=owner,
        status=S.expired,
        expires_at=utcnow() - timedelta(days=2),
        expiry_warned_at=utcnow() - timedelta(days=5),
    )
    html = client.get(f"/listings/{listing.id}").get_data(as_text=True)
    assert "has expired" in html and f"/listings/{listing.id}/renew" in html
    act(client, listing, "renew")
    listing = reloaded(listing)
    assert listing.status is S.active and listing.expiry_warned_at is None
    assert listing.expires_at > utcnow() + timedelta(days=29)


def test_an_invalid_transition_is_a_message_not_an_error(client, owner, make_listing):
    listing = make_listing(owner=owner, status=S.sold)
    response = act(client, listing, "sold")
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Only an active listing can be marked as sold" in html
    hidden = make_listing(owner=owner, status=S.hidden)
    act(client, hidden, "renew")
    assert reloaded(hidden).status is S.hidden


def test_hidden_and_expired_are_visible_to_owner_and_admin_only(
    client, owner, make_listing, make_user, login_as
):
    hidden = make_listing(owner=owner, status=S.hidden)
    expired = make_listing(owner=owner, status=S.expired)
    for listing in (hidden, expired):
        assert client.get(f"/listings/{listing.id}").status_code == 200
    login_as(make_user())
    for listing in (hidden, expired):
        assert client.get(f"/listings/{listing.id}").status_code == 404
    login_as(make_user(is_admin=True))
    for listing in (hidden, expired):
        assert client.get(f"/listings/{listing.id}").status_code == 200


def test_every_change_through_the_site_gets_a_version_and_an_outbox_entry(
    client, owner, categories
):
    submit(
        client,
        "/listings/new",
        listing_form(categories["bikes"].id),
        content_type="multipart/form-data",
    )
    listing = db.session.scalars(select(Listing)).one()
    assert (listing.version, outbox_versions(listing)) == (1, [1])

    edit_url = f"/listings/{listing.id}/edit"
    submit(
        client,
        edit_url,
        listing_form(categories["bikes"].id, title="Vintage road bike, 58 cm"),
        content_type="multipart/form-data",
    )
    assert (reloaded(listing).version, outbox_versions(listing)) == (2, [1, 2])

    submit(
        client,
        edit_url,
        listing_form(categories["bikes"].id, photos=[upload(picture())]),
        content_type="multipart/form-data",
    )
    assert (reloaded(listing).version, outbox_versions(listing)) == (3, [1, 2, 3])

    act(client, listing, "sold")
    assert (reloaded(listing).version, outbox_versions(listing)) == (4, [1, 2, 3, 4])

    act(client, listing, "delete")
    assert (reloaded(listing).version, outbox_versions(listing)) == (5, [1, 2, 3, 4, 5])
    assert reloaded(listing).status is S.deleted


def test_expiry_task_warns_once_then_expires(app, owner, make_listing, mailbox):
    soon = make_listing(owner=owner, title="Expiring soon", expires_at=utcnow() + timedelta(days=2))
    later = make_listing(
        owner=owner, title="Plenty of time", expires_at=utcnow() + timedelta(days=20)
    )
    past = make_listing(
        owner=owner, title="Past its date", expires_at=utcnow() - timedelta(minutes=1)
    )
    hidden = make_listing(owner=owner, status=S.hidden, expires_at=utcnow() - timedelta(days=1))

    result = expire_listings.apply().get()

    assert result == {"warned": 1, "expired": 1}
    [mail] = mailbox.wait_for(1)
    assert mail["To"] == "owner@example.com"
    assert "Expiring soon" in mail["Subject"]
    assert f"http://localhost:5000/listings/{soon.id}" in mailbox.body(mail)
    assert reloaded(soon).expiry_warned_at is not None and reloaded(soon).status is S.active
    assert reloaded(later).expiry_warned_at is None
    assert reloaded(past).status is S.expired
    assert reloaded(hidden).status is S.hidden  # moderation decides about hidden ones

    # Running again sends nothing new and expires nothing twice.
    assert expire_listings.apply().get() == {"warned": 0, "expired": 0}
    assert len(mailbox.messages) == 1


@pytest.mark.parametrize("settings_overrides", [{"LISTING_EXPIRY_WARNING_DAYS": 0}])
def test_no_warnings_when_the_warning_period_is_zero(app, make_listing, mailbox):
    make_listing(expires_at=utcnow() + timedelta(hours=1))
    assert expire_listings.apply().get() == {"warned": 0, "expired": 0}
    assert mailbox.messages == []


def test_expiry_is_scheduled_hourly():
    from indexer.celery_app import BEAT_SCHEDULE

    entry = next(e for e in BEAT_SCHEDULE.values() if e["task"] == "indexer.tasks.expire_listings")
    assert entry["schedule"] <= 3600


def test_renewing_an_about_to_expire_listing_extends_it(client, owner, make_listing):
    listing = make_listing(
        owner=owner, expires_at=utcnow() + timedelta(days=1), expiry_warned_at=utcnow()
    )
    assert f"/listings/{listing.id}/renew" in client.get(f"/listings/{listing.id}").get_data(
        as_text=True
    )
    act(client, listing, "renew")
    listing = reloaded(listing)
    assert listing.status is S.active and listing.expiry_warned_at is None
    assert listing.expires_at > utcnow() + timedelta(days=29)
