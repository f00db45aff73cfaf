"""The alerts' prefilter never drops a listing a search matches: on the search catalogue, for
random searches (text with typos included), whatever each backend finds is among the listings
the prefilter keeps. It may keep more; the backend decides."""

from __future__ import annotations

import math
import random

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from indexer.alerts import matching
from indexer.alerts.prefilter import NewListing, Prefilter
from models import Listing, db
from search import analysis, engine, geo
from search.query import ListingQuery
from tests.integration.search.conftest import BACKENDS
from tests.integration.search.test_backends_agree import searches
from tests.search_catalogue import SPECS

WORDS = sorted({word for spec in SPECS for word in analysis.words(spec.title) if len(word) > 2})


@st.composite
def texts(draw) -> str:
    """One or two words of the catalogue's titles, sometimes with a typo."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=2))
    if draw(st.booleans()):
        rng = random.Random(draw(st.integers(0, 1000)))
        word = words[0]
        if len(word) >= 5:
            i = rng.randrange(1, len(word) - 1)
            words[0] = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return " ".join(words)


def everything_found(query: ListingQuery) -> set[int]:
    found, page = set(), 1
    while True:
        result = engine.run(query.replace(page=page, per_page=100))
        found |= {hit.id for hit in result.hits}
        if page * result.per_page >= result.total:
            assert len(found) == result.total
            return found
        page += 1


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(args=searches(), text=st.one_of(st.none(), texts()))
def test_the_prefilter_keeps_every_listing_a_backend_finds(catalogue, args, text):
    args = [(name, value) for name, value in args if name != "sort"]
    if text:
        args.append(("q", text))
    for backend in BACKENDS:
        with catalogue.apps[backend].app_context():
            query = engine.parse(MultiDict(args))
            assume(not query.errors)  # the strategy may put the minimum price above the maximum
            ids = list(db.session.scalars(select(Listing.id)))
            documents = matching.indexed_documents(ids)
            prefilter = Prefilter(NewListing.from_document(d) for d in documents.values())
            kept = set(prefilter.possible(query, searcher_id=0))
            found = everything_found(query)
            assert found <= kept, (backend, args, found - kept)


def test_the_prefilter_drops_what_cannot_match(catalogue):
    with catalogue.apps["elasticsearch"].app_context():
        ids = list(db.session.scalars(select(Listing.id)))
        documents = matching.indexed_documents(ids)
        prefilter = Prefilter(NewListing.from_document(d) for d in documents.values())
        query = engine.parse(MultiDict([("q", "zzzzqx"), ("near", "10001"), ("radius", "1")]))
        assert prefilter.possible(query, searcher_id=0) == []
        bikes = engine.parse(MultiDict([("category", "bikes"), ("max_price", "300")]))
        kept = prefilter.possible(bikes, searcher_id=0)
        assert kept and all(
            "bikes" in documents[i]["category_path"] and documents[i]["price_minor"] <= 30_000
            for i in kept
        )


def test_the_prefilter_keeps_listings_on_the_edge_of_the_radius(catalogue):
    centre = (37.7725, -122.4147)
    for backend in BACKENDS:
        with catalogue.apps[backend].app_context():
            ids = list(db.session.scalars(select(Listing.id)))
            documents = matching.indexed_documents(ids)
            prefilter = Prefilter(NewListing.from_document(d) for d in documents.values())
            for document in documents.values():
                point = document["location"]
                miles = geo.distance_miles(centre, (point["lat"], point["lon"]))
                if not 1 <= miles <= 500:
                    continue
                radius = math.ceil(miles * 1e6) / 1e6  # the listing just inside
                args = [("lat", centre[0]), ("lon", centre[1]), ("radius", radius)]
                query = engine.parse(MultiDict([(k, str(v)) for k, v in args]))
                found = everything_found(query)
                assert found <= set(prefilter.possible(query, searcher_id=0)), (backend, radius)


def test_the_prefilter_keeps_listings_found_through_a_typo(catalogue):
    typos = [word[0] + word[2] + word[1] + word[3:] for word in WORDS if len(word) >= 5]
    with catalogue.apps["elasticsearch"].app_context():
        ids = list(db.session.scalars(select(Listing.id)))
        documents = matching.indexed_documents(ids)
        prefilter = Prefilter(NewListing.from_document(d) for d in documents.values())
        found_any = False
        for typo in typos:
            query = engine.parse(MultiDict([("q", typo)]))
            found = everything_found(query)
            found_any = found_any or bool(found)
            assert found <= set(prefilter.possible(query, searcher_id=0)), typo
        assert found_any, "the typos must find something for this test to mean anything"
