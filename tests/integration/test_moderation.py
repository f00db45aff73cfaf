"""Moderation: reports from people, the admin queue, and hide / restore / dismiss."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models import Listing, ListingStatus, Report, ReportReason, db, utcnow
from search.backends import database
from search.query import ListingQuery
from tests.helpers import submit

S = ListingStatus


@pytest.fixture
def admin(make_user):
    return make_user(username="moderator", is_admin=True)


def report(
    client, listing: Listing, reason: str = "scam", details: str = "Asks for a wire transfer."
):
    page = f"/listings/{listing.id}"
    return submit(client, f"{page}/report", {"reason": reason, "details": details}, form_url=page)


def reports_of(listing: Listing) -> list[Report]:
    db.session.expire_all()
    return list(db.session.scalars(select(Report).where(Report.listing_id == listing.id)))


def test_report_a_listing_once(client, make_user, make_listing, login_as):
    listing = make_listing()
    reporter = login_as(make_user())
    response = report(client, listing)
    assert response.status_code == 302
    assert "moderators will look" in client.get(response.headers["Location"]).get_data(as_text=True)
    [saved] = reports_of(listing)
    assert (saved.reporter_id, saved.reason, saved.details) == (
        reporter.id,
        ReportReason.scam,
        "Asks for a wire transfer.",
    )
    response = report(client, listing, "spam")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "already reported" in html
    assert len(reports_of(listing)) == 1


def test_a_race_on_the_unique_constraint_is_a_friendly_message(
    client, make_user, make_listing, login_as, monkeypatch
):
    listing = make_listing()
    reporter = login_as(make_user())
    db.session.add(Report(listing_id=listing.id, reporter_id=reporter.id, reason=ReportReason.spam))
    db.session.commit()
    # Pretend the pre-check ran before the other request committed: the constraint must answer.
    monkeypatch.setattr("web.listings.reports.select", lambda *a: select(Report.id).where(False))
    response = report(client, listing)
    assert response.status_code == 302
    assert "already reported" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert len(reports_of(listing)) == 1


@pytest.mark.parametrize(("reason", "details"), [("bogus", "x"), ("spam", "x" * 2001)])
def test_bad_reports_are_refused(client, make_user, make_listing, login_as, reason, details):
    listing = make_listing()
    login_as(make_user())
    response = report(client, listing, reason, details)
    assert "Report not sent" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert reports_of(listing) == []


def test_owners_cannot_report_their_own_listing(client, make_user, make_listing, login_as):
    owner = login_as(make_user())
    listing = make_listing(owner=owner)
    report(client, listing)
    assert reports_of(listing) == []


def test_the_queue_is_for_admins_only(client, make_user, login_as, admin):
    assert client.get("/admin/reports").status_code in (302, 401, 404)
    login_as(make_user())
    assert client.get("/admin/reports").status_code == 404
    login_as(admin)
    assert client.get("/admin/reports").status_code == 200


def test_queue_groups_open_reports_by_listing(client, make_user, make_listing, login_as, admin):
    busy, quiet = make_listing(title="Too good to be true"), make_listing(title="Slightly off")
    for _ in range(2):
        login_as(make_user())
        report(client, busy)
    report(client, quiet, "wrong_category", "")
    login_as(admin)
    html = client.get("/admin/reports").get_data(as_text=True)
    assert html.count('data-testid="report-group"') == 2
    assert html.index("Too good to be true") < html.index("Slightly off")  # most reported first
    assert "2 reports" in html and "wire transfer" in html


def test_hide_takes_the_listing_out_of_sight_and_search(
    client, make_user, make_listing, login_as, admin
):
    listing = make_listing(title="Suspicious cheap laptop")
    login_as(make_user())
    report(client, listing)
    assert [hit.id for hit in database.search(ListingQuery(text="suspicious")).hits] == [listing.id]

    login_as(admin)
    response = submit(client, f"/admin/listings/{listing.id}/hide", form_url="/admin/reports")
    assert response.status_code == 302

    db.session.expire_all()
    assert db.session.get(Listing, listing.id).status is S.hidden
    assert [r.resolution for r in reports_of(listing)] == ["hidden"]
    assert database.search(ListingQuery(text="suspicious")).hits == []
    html = client.get("/admin/reports").get_data(as_text=True)
    assert 'data-testid="report-group"' not in html
    assert 'data-testid="hidden-listings"' in html
    login_as(make_user())
    assert client.get(f"/listings/{listing.id}").status_code == 404


@pytest.mark.parametrize(("days_left", "restored_to"), [(5, S.active), (-1, S.expired)])
def test_restore_brings_a_hidden_listing_back(
    client, make_listing, login_as, admin, days_left, restored_to
):
    listing = make_listing(status=S.hidden, expires_at=utcnow() + timedelta(days=days_left))
    login_as(admin)
    submit(client, f"/admin/listings/{listing.id}/restore", form_url="/admin/reports")
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).status is restored_to


def test_dismiss_closes_reports_and_leaves_the_listing(
    client, make_user, make_listing, login_as, admin
):
    listing = make_listing()
    login_as(make_user())
    report(client, listing)
    login_as(admin)
    submit(client, f"/admin/listings/{listing.id}/dismiss", form_url="/admin/reports")
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).status is S.active
    [closed] = reports_of(listing)
    assert closed.resolution == "dismissed" and closed.resolved_at is not None
    assert 'data-testid="report-group"' not in client.get("/admin/reports").get_data(as_text=True)


def test_moderation_actions_are_refused_to_others(client, make_user, make_listing, login_as):
    listing = make_listing()
    login_as(make_user())
    for action in ("hide", "restore", "dismiss"):
        response = submit(client, f"/admin/listings/{listing.id}/{action}", form_url="/")
        assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Listing, listing.id).status is S.active


def test_restoring_an_active_listing_is_a_message(client, make_listing, login_as, admin):
    listing = make_listing()
    login_as(admin)
    response = submit(client, f"/admin/listings/{listing.id}/restore", form_url="/admin/reports")
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Only a hidden listing can be restored" in html
    assert (
        submit(client, "/admin/listings/999999/hide", form_url="/admin/reports").status_code == 302
    )
