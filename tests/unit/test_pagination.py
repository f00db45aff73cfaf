"""The one page model (web.pagination.Page): its counts and links, and the cap on depth."""

from __future__ import annotations

import pytest

from web.pagination import MAX_PAGE, PER_PAGE, Page


def page(number: int, total: int) -> Page:
    return Page(items=[], total=total, number=number)


def test_a_middle_page_links_both_ways():
    middle = page(2, 3 * PER_PAGE)
    assert (middle.pages, middle.has_prev, middle.has_next) == (3, True, True)
    assert (middle.prev_num, middle.next_num) == (1, 3)


@pytest.mark.parametrize(("total", "pages"), [(0, 1), (1, 1), (PER_PAGE, 1), (PER_PAGE + 1, 2)])
def test_pages_round_up_and_there_is_always_one(total, pages):
    only = page(1, total)
    assert only.pages == pages
    assert not only.has_prev and only.prev_num is None


def test_the_last_page_has_no_next():
    last = page(2, 2 * PER_PAGE)
    assert not last.has_next and last.next_num is None


def test_the_last_allowed_page_has_no_next_however_many_results():
    # ?page= past MAX_PAGE is refused (search) or clamped (lists): "Next" must not lead there.
    deepest = page(MAX_PAGE, 100 * MAX_PAGE * PER_PAGE)
    assert deepest.pages == MAX_PAGE
    assert not deepest.has_next and deepest.next_num is None


def test_a_page_past_the_end_goes_back_to_the_last_one():
    beyond = page(9, PER_PAGE + 1)
    assert beyond.has_prev and beyond.prev_num == 2 and not beyond.has_next
