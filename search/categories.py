"""The category tree as search needs it: slugs to check, names to label facets, parents to roll
counts up — read from the database at most once a minute per process.

Every search needs the tree, and on the Elasticsearch backend it would otherwise be the only
reason to touch the database. The tree changes only when an administrator installs or edits
categories: a change flushed in this process drops the cached copy at once, other processes
see it within CACHE_SECONDS.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from models import Category, db

CACHE_SECONDS = 60
_EXTENSION = "search.categories"


@dataclass(frozen=True)
class CategoryTree:
    slug: Mapping[int, str]
    name: Mapping[str, str]  # by slug
    parent: Mapping[int, int | None]

    @property
    def slugs(self) -> frozenset[str]:
        return frozenset(self.name)

    def subtree_ids(self, slugs: Collection[str]) -> set[int]:
        """Ids of the categories named and of all their descendants."""
        chosen = {id_ for id_, slug in self.slug.items() if slug in slugs}
        return {id_ for id_ in self.slug if self.path(id_) & chosen}

    def rolled_up(self, counts: Mapping[int, int]) -> dict[str, int]:
        """Counts per category id -> counts per slug, each including its descendants."""
        totals: Counter = Counter()
        for id_, count in counts.items():
            for node in self.path(id_):
                totals[self.slug[node]] += count
        return dict(totals)

    def path(self, id_: int) -> set[int]:
        """The category and its ancestors."""
        path: set[int] = set()
        node: int | None = id_
        while node is not None and node in self.slug and node not in path:
            path.add(node)
            node = self.parent.get(node)
        return path


def category_tree() -> CategoryTree:
    """The current tree (cached per app for CACHE_SECONDS)."""
    cached = current_app.extensions.get(_EXTENSION)
    now = time.monotonic()
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    rows = db.session.execute(
        select(Category.id, Category.slug, Category.name, Category.parent_id)
    ).all()
    tree = CategoryTree(
        slug={row.id: row.slug for row in rows},
        name={row.slug: row.name for row in rows},
        parent={row.id: row.parent_id for row in rows},
    )
    current_app.extensions[_EXTENSION] = (now, tree)
    return tree


@event.listens_for(Session, "after_flush")
def _forget_changed_tree(session: Session, flush_context) -> None:
    touched = session.new | session.dirty | session.deleted
    if has_app_context() and any(isinstance(obj, Category) for obj in touched):
        current_app.extensions.pop(_EXTENSION, None)
