"""`manage.py alerts status` and `manage.py alerts run`."""

from __future__ import annotations

from tests.integration.alerts.conftest import alerted


def test_status_shows_the_backlog_and_run_clears_it(app, save_search, make_listing):
    search = save_search("q=road bike")
    listing = make_listing()
    runner = app.test_cli_runner()

    before = runner.invoke(args=["alerts", "status"])
    assert before.exit_code == 0
    assert "saved searches     1 (0 paused)" in before.output
    assert "listings queued    1 (the oldest for" in before.output

    ran = runner.invoke(args=["alerts", "run"])
    assert ran.exit_code == 0 and "notifications      1" in ran.output
    assert alerted(search) == [listing.id]
    assert "listings queued    0" in runner.invoke(args=["alerts", "status"]).output
