"""Property: any query without text gets the same answer from every backend — the same ids in
the same order (no text means no relevance order), the same total and the same facet counts —
and that answer is the contract's (tests/search_catalogue.Reference)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from search.query import CONDITIONS, ListingQuery
from tests.integration.search.conftest import BACKENDS
from tests.search_catalogue import facets_as_dicts

CATEGORIES = ["bikes", "for-sale", "furniture", "appliances", "vehicles", "housing", "jobs"]
PRICES = ["0", "0.01", "24.99", "25", "100", "250", "450", "1000", "20000"]
PLACES = ["94103", "94612", "95814", "Los Angeles, CA", "99546", "New York, NY"]
RADII = ["1", "5", "8.5", "10", "25", "50", "100", "500"]
BOXES = ["-123,37,-121,39", "170,40,-170,60", "-125,30,-70,45", "-180,-90,180,90"]


@st.composite
def searches(draw) -> list[tuple[str, str]]:
    """Random arguments of the contract, without `q`."""
    args = [("category", slug) for slug in draw(st.sets(st.sampled_from(CATEGORIES), max_size=3))]
    args += [("condition", c) for c in draw(st.sets(st.sampled_from(CONDITIONS), max_size=3))]
    for name in ("min_price", "max_price"):
        if draw(st.booleans()):
            args.append((name, draw(st.sampled_from(PRICES))))
    place = draw(st.sampled_from([None, "near", "coordinates"]))
    if place == "near":
        args.append(("near", draw(st.sampled_from(PLACES))))
    elif place == "coordinates":
        args.append(("lat", str(draw(st.floats(30, 45).map(lambda v: round(v, 3))))))
        args.append(("lon", str(draw(st.floats(-125, -70).map(lambda v: round(v, 3))))))
    if place and draw(st.booleans()):
        args.append(("radius", draw(st.sampled_from(RADII))))
    if draw(st.booleans()):
        args.append(("bbox", draw(st.sampled_from(BOXES))))
    posted = draw(st.sampled_from([None, "1d", "7d", "30d"]))
    if posted:
        args.append(("posted", posted))
    if draw(st.booleans()):
        args.append(("photo", "1"))
    sorts = ["newest", "price_asc", "price_desc"] + (["distance"] if place else [])
    sort = draw(st.sampled_from([None, *sorts]))
    if sort:
        args.append(("sort", sort))
    return args


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(args=searches())
def test_backends_agree_on_queries_without_text(catalogue, args):
    query = ListingQuery.from_args(MultiDict(args))
    answers = {
        backend: catalogue.get(backend, [*args, ("per_page", "100")]) for backend in BACKENDS
    }
    statuses = {backend: status for backend, (status, _) in answers.items()}
    if query.errors:  # e.g. a minimum above the maximum: the same 400 everywhere
        assert set(statuses.values()) == {400}
        return
    assert set(statuses.values()) == {200}, answers
    expected_ids = catalogue.reference.ids(query)
    expected_facets = catalogue.reference.facets(query)
    for backend, (_, body) in answers.items():
        assert [hit["id"] for hit in body["hits"]] == expected_ids, backend
        assert body["total"] == len(expected_ids), backend
        assert facets_as_dicts(body["facets"]) == expected_facets, backend
