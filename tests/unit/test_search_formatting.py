"""How result cards say when a listing was posted and how far away it is."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from web.search_page.formatting import ago, miles

NOW = datetime(2026, 11, 27, 12, 0, 0)


@pytest.mark.parametrize(
    ("age", "said"),
    [
        (timedelta(seconds=20), "just now"),
        (timedelta(minutes=1), "1 minute ago"),
        (timedelta(minutes=59, seconds=59), "59 minutes ago"),
        (timedelta(hours=3, minutes=10), "3 hours ago"),
        (timedelta(hours=30), "yesterday"),
        (timedelta(days=6), "6 days ago"),
        (timedelta(days=15), "2 weeks ago"),
        (timedelta(days=70), "on Sep 18, 2026"),
        (timedelta(seconds=-30), "just now"),  # a clock a little ahead is not "in the future"
    ],
)
def test_age_is_said_in_the_largest_unit_that_fits(age, said):
    assert ago(NOW - age, now=NOW) == said


@pytest.mark.parametrize(
    ("distance", "said"),
    [
        (0.04, "under 0.1 mi"),
        (0.25, "0.2 mi"),
        (8.44, "8.4 mi"),
        (12.6, "13 mi"),
        (1234.0, "1,234 mi"),
    ],
)
def test_distance_is_precise_when_near_and_rounded_when_far(distance, said):
    assert miles(distance) == said
