"""Alert mail on the real SMTP server: what it says, when it goes (at once and gathered, daily,
weekly, never), its one-click unsubscribe, and who gets none."""

from __future__ import annotations

from datetime import timedelta

from indexer.alerts.mailing import INSTANT_GAP
from indexer.notifications import kinds
from indexer.notifications.preferences import set_delivery
from models import AlertFrequency, Delivery, ListingImage, ListingStatus, SavedSearch, db, utcnow
from tests.integration.alerts.conftest import alert_mails, alerted
from tests.mailbox import Mailbox

SITE = "http://localhost:5000"


def unsubscribe_path(mail) -> str:
    header = mail["List-Unsubscribe"]
    assert header.startswith(f"<{SITE}/unsubscribe/") and header.endswith(">")
    return header[1:-1].removeprefix(SITE)


def test_an_alert_mail_names_the_search_and_shows_each_listing(
    save_search, make_listing, run, mailbox
):
    search = save_search("q=bike&max_price=300", name="Cheap bikes")
    plain = make_listing(title="Road bike", price_minor=25_000)
    pictured = make_listing(
        title="Kids bike", price_minor=0, price_kind="free", city="Oakland", zip_code="94612"
    )
    pictured.images.append(ListingImage(storage_key="b" * 32, width=640, height=480))
    db.session.commit()

    run()

    (mail,) = mailbox.wait_for(1)
    assert mail["Subject"] == "2 new listings for “Cheap bikes”"
    text = Mailbox.body(mail)
    html = mail.get_body(("html",)).get_content()
    assert "2 new listings match your saved search “Cheap bikes”" in text
    shown = [(plain, "$250", "San Francisco, CA"), (pictured, "Free", "Oakland, CA")]
    for listing, price, place in shown:
        link = f"{SITE}/listings/{listing.id}"
        assert listing.title in text and price in text and place in text and link in text
        assert listing.title in html and price in html and place in html and link in html
    assert text.index("Kids bike") < text.index("Road bike"), "newest first"
    assert f'<img src="{SITE}/media/{"b" * 32}/thumb"' in html
    assert f"{SITE}/saved-searches/{search.id}/open" in text
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"{SITE}{unsubscribe_path(mail)}" in text


def test_instant_mail_goes_at_once_then_gathers_what_comes_within_the_gap(
    save_search, make_listing, run, mailbox
):
    search = save_search("q=road bike", frequency=AlertFrequency.instant)
    make_listing(title="Road bike one")
    run()
    assert [m["Subject"] for m in mailbox.wait_for(1)] == [
        "New for “Search q=road bike”: Road bike one"
    ]

    make_listing(title="Road bike two")
    make_listing(title="Road bike three")
    soon = run(now=utcnow() + INSTANT_GAP / 2)
    assert soon.notifications == 2 and soon.mails == 0, "within the gap: in the app only"
    assert len(alerted(search)) == 3

    later = run(now=utcnow() + INSTANT_GAP + timedelta(seconds=1))
    assert later.mails == 1
    first, second = mailbox.wait_for(2)
    assert second["Subject"] == "2 new listings for “Search q=road bike”"
    assert "Road bike two" in Mailbox.body(second) and "Road bike three" in Mailbox.body(second)
    assert "Road bike one" not in Mailbox.body(second)


def test_a_daily_digest_comes_once_a_day_with_everything_since_the_last(
    save_search, make_listing, run, mailbox
):
    search = save_search("q=road bike", frequency=AlertFrequency.daily)
    make_listing(title="Road bike one")
    run()
    make_listing(title="Road bike two")
    run(now=utcnow() + timedelta(hours=12))
    assert len(alerted(search)) == 2 and alert_mails(search.user) == []

    digest = run(now=utcnow() + timedelta(days=1, minutes=1))
    assert digest.mails == 1
    (mail,) = mailbox.wait_for(1)
    assert mail["Subject"] == "Your daily digest: 2 new listings for “Search q=road bike”"

    make_listing(title="Road bike three")
    assert run(now=utcnow() + timedelta(days=1, hours=12)).mails == 0
    assert run(now=utcnow() + timedelta(days=2, minutes=2)).mails == 1


def test_a_weekly_digest_waits_a_week(save_search, make_listing, run, mailbox):
    search = save_search("q=road bike", frequency=AlertFrequency.weekly)
    make_listing()
    assert run(now=utcnow() + timedelta(days=6)).mails == 0
    assert run(now=utcnow() + timedelta(days=7, minutes=1)).mails == 1
    assert mailbox.wait_for(1)[0]["Subject"].startswith("Your weekly digest: New for")
    assert len(alerted(search)) == 1


def test_a_listing_sold_before_its_digest_is_left_out_of_it(
    save_search, make_listing, run, mailbox
):
    search = save_search("q=road bike", frequency=AlertFrequency.daily)
    sold = make_listing(title="Road bike sold")
    kept = make_listing(title="Road bike kept")
    run()
    sold.status = ListingStatus.sold
    db.session.commit()

    run(now=utcnow() + timedelta(days=1, minutes=1))

    (mail,) = mailbox.wait_for(1)
    assert "Road bike kept" in Mailbox.body(mail) and "Road bike sold" not in Mailbox.body(mail)
    assert sorted(alerted(search)) == sorted([sold.id, kept.id])


def test_the_unsubscribe_link_stops_mail_for_that_search_only(
    app, save_search, make_user, make_listing, run, mailbox
):
    user = make_user()
    bikes = save_search("q=road bike", user=user, name="Bikes")
    frames = save_search("q=frame", user=user, name="Frames")
    make_listing(title="Road bike, 56 cm frame")
    run()
    bike_mail = next(m for m in mailbox.wait_for(2) if "Bikes" in m["Subject"])
    link = unsubscribe_path(bike_mail)

    mail_client = app.test_client()  # no session, no CSRF token: the signature is enough
    assert mail_client.get(link).status_code == 200
    assert db.session.get(SavedSearch, bikes.id).frequency is AlertFrequency.instant
    done = mail_client.post(link, data={"List-Unsubscribe": "One-Click"})
    assert "no more mail about “Bikes”" in done.get_data(as_text=True)
    db.session.expire_all()
    assert bikes.frequency is AlertFrequency.never
    assert frames.frequency is AlertFrequency.instant

    mailbox.clear()
    make_listing(title="Road bike with a new frame")
    run(now=utcnow() + timedelta(hours=1))
    assert len(alerted(bikes)) == 2, "the notifications still come"
    assert [m["Subject"] for m in mailbox.wait_for(1)] == [
        "New for “Frames”: Road bike with a new frame"
    ]


def test_no_mail_for_people_who_turned_it_off_or_whose_account_is_disabled(
    save_search, make_listing, run, mailbox
):
    app_only = save_search("q=road bike", frequency=AlertFrequency.daily)
    disabled = save_search("q=road bike", frequency=AlertFrequency.daily)
    make_listing()
    run()
    # Both change their minds after the match, before the digest.
    set_delivery(app_only.user_id, kinds.SAVED_SEARCH_MATCH.name, Delivery.app)
    disabled.user.active = False
    db.session.commit()

    digest = run(now=utcnow() + timedelta(days=1, minutes=1))

    assert digest.mails == 0
    assert alert_mails(app_only.user) == alert_mails(disabled.user) == []
    assert mailbox.messages == []
