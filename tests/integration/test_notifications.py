"""Notifications through the site: the bell, the page, reading them, the settings per kind that
both notifications and mail obey, one-click unsubscribe, and the notifications the site makes
(new messages, listings about to expire, listings hidden by a moderator)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from indexer.lifecycle import expire_listings
from indexer.notifications import MailContent, kinds, notification_mail, notify
from indexer.notifications.preferences import delivery_for, set_delivery
from models import (
    Delivery,
    Notification,
    OutgoingMail,
    Report,
    ReportReason,
    SavedSearch,
    db,
    utcnow,
)
from tests.helpers import csrf_token, submit
from tests.integration.test_security import INLINE_SCRIPT, INLINE_STYLE
from tests.mailbox import Mailbox
from web.pagination import PER_PAGE

SITE = "https://classifieds.example"
TEMPLATES = Path(__file__).resolve().parents[2] / "web" / "templates"


@pytest.fixture
def settings_overrides() -> dict:
    return {"SITE_URL": SITE}


@pytest.fixture
def seller(make_user):
    return make_user(username="alice", display_name="Alice A.", email="alice@example.com")


@pytest.fixture
def buyer(make_user):
    return make_user(username="bob", display_name="Bob B.", email="bob@example.com")


@pytest.fixture
def listing(make_listing, seller):
    return make_listing(owner=seller, title="Road bike, 56 cm frame")


def write(client, listing, body="Is it still available?"):
    return submit(client, f"/listings/{listing.id}/contact", {"body": body}, form_url="/messages")


def bell(client) -> str | None:
    page = client.get("/").get_data(as_text=True)
    match = re.search(r'data-testid="notification-count">([^<]*)<', page)
    assert match, "the bell is in the navigation bar"
    return match.group(1) or None


def notes(user) -> list[Notification]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
        )
    )


def mails_to(user) -> list[OutgoingMail]:
    return list(db.session.scalars(select(OutgoingMail).where(OutgoingMail.user_id == user.id)))


def save_settings(client, **choices):
    values = {name: kind.default.value for name, kind in kinds.KINDS.items()}
    return submit(client, "/me/notifications", {**values, **choices})


# New messages


def test_a_new_message_rings_the_bell_and_is_listed(client, login_as, buyer, seller, listing):
    login_as(seller)
    assert bell(client) is None
    login_as(buyer)
    write(client, listing, "Hi Alice, <b>is it</b> still there?")
    assert bell(client) is None, "my own message is no notification to me"

    login_as(seller)
    assert bell(client) == "1"
    assert 'aria-label="Notifications, 1 unread"' in client.get("/").get_data(as_text=True)
    page = client.get("/notifications").get_data(as_text=True)
    assert "New message" in page and "Bob B." in page and "Road bike, 56 cm frame" in page
    assert "&lt;b&gt;is it&lt;/b&gt;" in page, "payloads are escaped"
    (note,) = notes(seller)
    assert (note.kind, note.conversation.buyer_id, note.listing_id) == (
        "message",
        buyer.id,
        listing.id,
    )


def test_messages_of_one_thread_gather_in_one_notification(
    client, login_as, buyer, seller, listing
):
    login_as(buyer)
    write(client, listing, "One")
    write(client, listing, "Two")
    login_as(seller)
    assert bell(client) == "1"
    (note,) = notes(seller)
    assert note.payload["count"] == 2 and note.payload["snippet"] == "Two"
    assert "2 new messages" in client.get("/notifications").get_data(as_text=True)


def test_reading_the_thread_reads_its_notification(client, login_as, buyer, seller, listing):
    login_as(buyer)
    write(client, listing)
    login_as(seller)
    (note,) = notes(seller)
    assert client.get(f"/messages/{note.conversation_id}").status_code == 200
    assert bell(client) is None
    assert notes(seller)[0].read_at is not None
    login_as(buyer)
    write(client, listing, "Another one")
    login_as(seller)
    assert bell(client) == "1", "a message after reading is new again"
    assert len(notes(seller)) == 2


# Reading notifications


def test_opening_a_notification_reads_it_and_leads_to_its_subject(
    client, login_as, buyer, seller, listing
):
    login_as(buyer)
    write(client, listing)
    login_as(seller)
    (note,) = notes(seller)
    response = client.get(f"/notifications/{note.id}/open")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/messages/{note.conversation_id}"
    assert notes(seller)[0].read_at is not None


def test_mark_one_and_mark_all_read(client, login_as, seller, make_listing, buyer):
    login_as(buyer)
    for n in range(3):
        write(client, make_listing(owner=seller, title=f"Lamp {n}"))
    login_as(seller)
    first, second, third = notes(seller)
    assert bell(client) == "3"
    response = submit(client, f"/notifications/{first.id}/read", form_url="/notifications")
    assert response.status_code == 302 and response.headers["Location"] == "/notifications"
    assert bell(client) == "2"
    assert [n.read_at is not None for n in notes(seller)] == [True, False, False]
    page = client.get("/notifications").get_data(as_text=True)
    assert f'data-testid="mark-read-{first.id}"' not in page
    assert f'data-testid="mark-read-{second.id}"' in page

    response = submit(client, "/notifications/read-all", form_url="/notifications")
    assert response.status_code == 302
    assert "2 notifications marked as read" in client.get("/notifications").get_data(as_text=True)
    assert bell(client) is None
    assert all(n.read_at is not None for n in notes(seller))


def test_reading_needs_post_and_the_csrf_token(client, login_as, buyer, seller, listing):
    login_as(buyer)
    write(client, listing)
    login_as(seller)
    (note,) = notes(seller)
    assert client.get(f"/notifications/{note.id}/read").status_code == 405
    assert client.post(f"/notifications/{note.id}/read").status_code == 400
    assert client.post("/notifications/read-all").status_code == 400
    assert bell(client) == "1"


def test_someone_elses_notifications_do_not_exist_for_me(
    client, login_as, make_user, buyer, seller, listing
):
    login_as(buyer)
    write(client, listing, "Private question")
    (note,) = notes(seller)
    login_as(make_user(username="mallory"))
    assert client.get(f"/notifications/{note.id}/open").status_code == 404
    token = csrf_token(client, "/notifications")
    assert (
        client.post(f"/notifications/{note.id}/read", data={"csrf_token": token}).status_code == 404
    )
    client.post("/notifications/read-all", data={"csrf_token": token})
    assert notes(seller)[0].read_at is None
    assert "Private question" not in client.get("/notifications").get_data(as_text=True)


def test_the_unread_count_as_json_for_the_bell_script(client, login_as, buyer, seller, listing):
    login_as(buyer)
    write(client, listing)
    login_as(seller)
    response = client.get("/notifications/unread.json")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == {"unread": 1, "badge": "1"}


def test_the_notifications_page_is_paginated(app, client, login_as, seller, make_listing):
    for n in range(PER_PAGE + 3):
        notify(
            seller,
            "listing_expiring",
            listing=make_listing(owner=seller),
            payload={"title": f"Item {n:02d}"},
        )
    db.session.commit()
    login_as(seller)
    first = client.get("/notifications").get_data(as_text=True)
    assert first.count('data-testid="notification"') == PER_PAGE and "Page 1 of 2" in first
    assert f"Item {PER_PAGE + 2}" in first and "Item 02" not in first
    assert (
        client.get("/notifications?page=2")
        .get_data(as_text=True)
        .count('data-testid="notification"')
        == 3
    )


@pytest.mark.parametrize(
    "path", ["/notifications", "/notifications/unread.json", "/me/notifications"]
)
def test_notification_pages_need_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_no_bell_for_anonymous_visitors(client):
    assert 'data-testid="notification-bell"' not in client.get("/").get_data(as_text=True)


def test_notification_pages_have_no_inline_script_or_style(
    client, login_as, buyer, seller, listing
):
    login_as(buyer)
    write(client, listing)
    login_as(seller)
    for path in ("/notifications", "/me/notifications", "/me/edit", "/"):
        page = client.get(path).get_data(as_text=True)
        assert not INLINE_SCRIPT.search(page), (path, INLINE_SCRIPT.search(page))
        assert not INLINE_STYLE.search(page), (path, INLINE_STYLE.search(page))


def test_every_kind_has_its_template():
    for kind in kinds.KINDS.values():
        assert (TEMPLATES / kind.template).is_file(), kind.template


# Expiry warnings and moderation


def test_an_expiry_warning_is_a_notification_and_a_mail(
    client, login_as, seller, make_listing, mailbox
):
    listing = make_listing(owner=seller, title="Desk", expires_at=utcnow() + timedelta(days=2))
    expire_listings.apply()
    (note,) = notes(seller)
    assert (note.kind, note.listing_id, note.payload["title"]) == (
        "listing_expiring",
        listing.id,
        "Desk",
    )
    (mail,) = mailbox.wait_for(1)
    assert mail["Subject"] == "Your listing expires soon: Desk"
    assert f"{SITE}/listings/{listing.id}" in Mailbox.body(mail)
    login_as(seller)
    assert "“Desk” expires soon" in client.get("/notifications").get_data(as_text=True)
    assert (
        client.get(f"/notifications/{note.id}/open").headers["Location"]
        == f"/listings/{listing.id}"
    )
    expire_listings.apply()
    assert len(notes(seller)) == 1, "warned once"


def test_a_moderators_hide_tells_the_owner_once(
    client, login_as, make_user, seller, buyer, listing, mailbox
):
    db.session.add(
        Report(listing_id=listing.id, reporter_id=buyer.id, reason=ReportReason.scam, details="")
    )
    db.session.commit()
    login_as(make_user(username="mod", is_admin=True))
    assert (
        submit(client, f"/admin/listings/{listing.id}/hide", form_url="/admin/reports").status_code
        == 302
    )
    submit(client, f"/admin/listings/{listing.id}/hide", form_url="/admin/reports")
    (note,) = notes(seller)
    assert (note.kind, note.payload["reasons"]) == ("listing_hidden", ["scam"])
    (mail,) = mailbox.wait_for(1)
    assert mail["To"] == "alice@example.com"
    assert mail["Subject"] == "Your listing was hidden: Road bike, 56 cm frame"
    assert "after reports of scam" in Mailbox.body(mail)
    login_as(seller)
    page = client.get("/notifications").get_data(as_text=True)
    assert "A moderator hid “Road bike, 56 cm frame”" in page


# Settings per kind, obeyed by notifications and mail


def checked(page: str, kind: str) -> list[str]:
    return re.findall(rf'<input checked[^>]*name="{kind}"[^>]*value="(\w+)"', page)


def test_settings_show_every_kind_with_the_current_choice(client, login_as, seller):
    login_as(seller)
    page = client.get("/me/notifications").get_data(as_text=True)
    for kind in kinds.KINDS.values():
        assert kind.label in page and checked(page, kind.name) == [kind.default.value]
    save_settings(client, listing_hidden="off")
    page = client.get("/me/notifications").get_data(as_text=True)
    assert "Your notification settings are saved." in page
    assert checked(page, "listing_hidden") == ["off"] and checked(page, "message") == ["mail"]
    assert "/me/notifications" in client.get("/me/edit").get_data(as_text=True)


def test_message_settings_in_app_only_and_off(client, login_as, buyer, seller, listing, mailbox):
    login_as(seller)
    response = save_settings(client, message="app")
    assert response.status_code == 302
    assert delivery_for(seller.id, "message") is Delivery.app
    login_as(buyer)
    write(client, listing, "First")
    assert len(notes(seller)) == 1 and mails_to(seller) == []

    login_as(seller)
    client.get(f"/messages/{notes(seller)[0].conversation_id}")
    save_settings(client, message="off")
    login_as(buyer)
    write(client, listing, "Second")
    assert len(notes(seller)) == 1 and mails_to(seller) == []
    login_as(seller)
    assert bell(client) is None
    assert mailbox.messages == []


def test_expiry_warning_settings_off(app, seller, make_listing, mailbox):
    set_delivery(seller.id, "listing_expiring", Delivery.off)
    db.session.commit()
    make_listing(owner=seller, expires_at=utcnow() + timedelta(days=1))
    assert expire_listings.apply().get()["warned"] == 1
    assert notes(seller) == [] and mails_to(seller) == []


def test_a_mail_recorded_before_the_setting_changed_is_not_sent(app, seller, mailbox, monkeypatch):
    from indexer.mailer import outbox

    monkeypatch.setattr(outbox, "queue", lambda ids: 0)  # as if Redis were down at the commit
    notification_mail(seller, "message", "Hello", "A message mail")
    db.session.commit()
    (mail,) = mails_to(seller)
    set_delivery(seller.id, "message", Delivery.app)
    db.session.commit()
    from indexer.mail import send_mail

    assert send_mail.apply(args=[mail.id]).get() == "suppressed"
    assert mailbox.messages == []


@pytest.mark.parametrize("value", ["sometimes", "", "mail'; --"])
def test_a_bad_setting_is_a_form_error(client, login_as, seller, value):
    login_as(seller)
    response = save_settings(client, message=value)
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert delivery_for(seller.id, "message") is Delivery.mail


def test_settings_need_the_csrf_token(client, login_as, seller):
    login_as(seller)
    assert client.post("/me/notifications", data={"message": "off"}).status_code == 400
    assert delivery_for(seller.id, "message") is Delivery.mail


def test_no_notification_for_a_disabled_account(app, seller, listing):
    seller.active = False
    db.session.commit()
    mail = MailContent(subject="s", text="t")
    assert notify(seller, "listing_hidden", listing=listing, mail=mail) is None
    db.session.commit()
    assert notes(seller) == [] and mails_to(seller) == []


# One-click unsubscribe


def unsubscribe_link(mail) -> str:
    header = mail["List-Unsubscribe"]
    assert header.startswith(f"<{SITE}/unsubscribe/") and header.endswith(">")
    return header[1:-1].removeprefix(SITE)


def test_a_message_mail_carries_a_one_click_unsubscribe(
    app, client, login_as, buyer, seller, listing, mailbox
):
    login_as(buyer)
    write(client, listing)
    (mail,) = mailbox.wait_for(1)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = unsubscribe_link(mail)
    body = Mailbox.body(mail)
    assert f"{SITE}{link}" in body and f"{SITE}/me/notifications" in body

    stranger = app.test_client()  # a mail client: no session, no CSRF token
    confirm = stranger.get(link)
    assert confirm.status_code == 200 and "New messages" in confirm.get_data(as_text=True)
    assert delivery_for(seller.id, "message") is Delivery.mail, "opening the link changes nothing"
    done = stranger.post(link, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "no more mail about" in done.get_data(as_text=True)
    assert delivery_for(seller.id, "message") is Delivery.app
    assert stranger.post(link).status_code == 200, "a second click is harmless"

    mailbox.clear()
    write(client, listing, "Still there?")
    assert len(mails_to(seller)) == 1, "no new mail after unsubscribing"
    assert notes(seller)[0].payload["count"] == 2, "the notification still comes"


@pytest.mark.parametrize("token", ["garbage", "WzEsIm1lc3NhZ2UiLG51bGxd.forged"])
def test_a_bad_unsubscribe_link_is_a_clear_400(client, token):
    for response in (client.get(f"/unsubscribe/{token}"), client.post(f"/unsubscribe/{token}")):
        assert response.status_code == 400
        assert "not valid" in response.get_data(as_text=True)


def test_a_kind_may_handle_its_own_unsubscribe(app, client, seller, mailbox, monkeypatch):
    calls = []
    kind = kinds.KINDS["saved_search_match"]
    handled = kinds.Kind(
        **{
            **kind.__dict__,
            "unsubscribe": lambda user, ref: calls.append((user.id, ref)) or "Search paused.",
        }
    )
    monkeypatch.setitem(kinds.KINDS, "saved_search_match", handled)
    notification_mail(seller, "saved_search_match", "New bikes", "Three new bikes", ref=42)
    db.session.commit()
    link = unsubscribe_link(mailbox.wait_for(1)[0])
    assert "Search paused." in client.post(link).get_data(as_text=True)
    assert calls == [(seller.id, 42)]
    assert delivery_for(seller.id, "saved_search_match") is Delivery.mail


def test_notification_mail_without_mail_preference_records_nothing(app, seller):
    set_delivery(seller.id, "saved_search_match", Delivery.app)
    assert notification_mail(seller, "saved_search_match", "s", "t") is None
    db.session.commit()
    assert db.session.scalar(select(func.count(OutgoingMail.id))) == 0


# What the saved-search alerts will use


def test_a_saved_search_match_is_shown_with_its_kinds_template(
    client, login_as, buyer, make_listing
):
    search = SavedSearch(user_id=buyer.id, name="Bikes near me", query="q=bike")
    db.session.add(search)
    listing = make_listing(title="Gravel bike")
    notify(
        buyer,
        "saved_search_match",
        listing=listing,
        saved_search=search,
        payload={"title": listing.title, "search_name": search.name},
    )
    db.session.commit()
    login_as(buyer)
    assert bell(client) == "1"
    page = client.get("/notifications").get_data(as_text=True)
    assert "New for “Bikes near me”: Gravel bike" in page
    (note,) = notes(buyer)
    assert client.get(f"/notifications/{note.id}/open").headers["Location"] == (
        f"/listings/{listing.id}"
    )


def test_an_html_mail_of_a_kind_gets_the_unsubscribe_footer(app, buyer, mailbox):
    html = "<html><body><h1>3 new bikes</h1></body></html>"
    notification_mail(buyer, "saved_search_match", "3 new bikes", "Three new bikes", html=html)
    db.session.commit()
    (mail,) = mailbox.wait_for(1)
    link = unsubscribe_link(mail)
    rich = mail.get_body(("html",)).get_content()
    assert rich.index("3 new bikes") < rich.index(f"{SITE}{link}") < rich.index("</body>")
    assert f"{SITE}/me/notifications" in rich
