"""One rule for "publicly searchable" (models.visibility), in three forms that must agree: the
Python predicate, the SQL clause (pages, the embedded backend) and the index filters
(search.document.searchable_filter) on documents written by the pipeline."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlalchemy import select

from models import Listing, ListingStatus, db, utcnow
from models.visibility import is_public, is_searchable, public, searchable
from search.index import get_client
from tests.conftest import TEST_INDEX
from tests.index_helpers import searchable_ids


def test_python_sql_and_index_forms_of_the_rule_agree(app, make_user, make_listing, listing_index):
    active_owner, disabled_owner = make_user(), make_user()
    for status, days, owner in itertools.product(
        ListingStatus, (-1, 1), (active_owner, disabled_owner)
    ):
        # Past its date but still `active`: the hourly job has not run yet.
        make_listing(status=status, owner=owner, expires_at=utcnow() + timedelta(days=days))
    disabled_owner.active = False
    db.session.commit()

    listings = db.session.scalars(select(Listing)).all()
    in_python = {x.id for x in listings if is_searchable(x)}
    in_sql = set(db.session.scalars(select(Listing.id).where(searchable())))
    in_index = searchable_ids(get_client(app.extensions["settings"]), TEST_INDEX)

    [expected] = [
        x.id
        for x in listings
        if x.status is ListingStatus.active and x.expires_at > utcnow() and x.owner.active
    ]
    assert in_python == in_sql == in_index == {expected}

    public_python = {x.id for x in listings if is_public(x)}
    assert public_python == set(db.session.scalars(select(Listing.id).where(public())))
    assert len(public_python) == 3  # the searchable one and the active owner's sold ones
