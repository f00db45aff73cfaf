"""The merge of database and index entries (indexer.compare): every kind of difference, in order."""

from __future__ import annotations

from indexer.compare import Entry, Kind, batches, classify, differences


def test_merging_two_sorted_streams_finds_every_kind_of_difference():
    db = [Entry(1, 3, "active"), Entry(2, 1, "active"), Entry(4, 2, "sold"), Entry(5, 2, "active")]
    index = [
        Entry(2, 1, "active"),
        Entry(3, 1, "active"),
        Entry(4, 1, "active"),
        Entry(5, 2, "hidden"),
    ]

    found = [(d.kind, d.listing_id) for d in differences(db, index)]

    assert found == [
        (Kind.missing, 1),
        (Kind.extra, 3),
        (Kind.stale, 4),
        (Kind.diverged, 5),
    ]


def test_an_index_ahead_of_the_database_has_diverged():
    assert classify(Entry(7, 2, "active"), Entry(7, 5, "active")) is Kind.diverged
    assert classify(Entry(7, 2, "active"), Entry(7, 2, "active")) is None


def test_trailing_entries_on_either_side_are_reported():
    assert [d.kind for d in differences([Entry(1, 1, "active")], [])] == [Kind.missing]
    assert [d.kind for d in differences([], [Entry(1, 1, "active")])] == [Kind.extra]


def test_batches_cut_a_stream_into_lists():
    assert list(batches(range(5), 2)) == [[0, 1], [2, 3], [4]]
