"""Demo people: unique usernames, one shared password hashed once, homes in real places.

Usernames never collide with accounts already in the database (compared case-insensitively,
as the unique indexes do), so the seed command can run again and again.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from faker import Faker
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from models import User
from scripts.seed_places import PlaceSampler
from scripts.seed_random import pick
from scripts.seed_store import RowStore
from search.geo import Place, lookup_zip

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password-123"  # also the password of every seeded account
DEMO_HOME_ZIP = "94103"  # San Francisco
BIOS = (
    "Selling things I no longer need.",
    "Quick replies, pickup preferred.",
    "Weekend garage-sale hunter.",
    "Cash or Venmo, no shipping.",
    "Moving soon, everything must go.",
    "",
    "",
    "",
)
_NOT_USERNAME = re.compile(r"[^a-z0-9_]")
# What the seed writes of an account: its id and every column `_row` fills.
USER_COLUMNS = (
    "id",
    "username",
    "email",
    "display_name",
    "bio",
    "password_hash",
    "password_changed_at",
    "zip_code",
    "city",
    "state",
    "latitude",
    "longitude",
    "is_admin",
    "active",
    "avatar_key",
    "created_at",
    "updated_at",
    "last_login_at",
)


@dataclass(frozen=True)
class Owner:
    """A seeded account that posts listings: where it lives and how busy a seller it is."""

    id: int
    home: Place
    activity: float


def shared_password_hash() -> str:
    """One Argon2 hash for every seeded account: hashing is slow by design, so do it once."""
    user = User()
    user.set_password(DEMO_PASSWORD)
    return user.password_hash


def demo_owner(session: Session, password_hash: str, now: datetime) -> tuple[Owner, bool]:
    """The `demo` account, created unless it exists; returns it and whether it was created."""
    table = User.__table__
    found = session.execute(
        select(table.c.id, *_place_columns()).where(func.lower(table.c.username) == DEMO_USERNAME)
    ).first()
    if found is not None:
        home = _place(found) if found.latitude is not None else lookup_zip(DEMO_HOME_ZIP)
        return Owner(found.id, home, activity=1.0), False
    home = lookup_zip(DEMO_HOME_ZIP)
    email = "demo@example.com"
    if session.scalar(select(func.count()).where(func.lower(table.c.email) == email)):
        email = f"demo.{now:%Y%m%d%H%M%S}@example.com"  # someone took the address, not the name
    row = _row(
        DEMO_USERNAME,
        email,
        "Demo User",
        "I try things out.",
        home,
        password_hash,
        joined=now - timedelta(days=365),
        now=now,
    )
    user_id = session.execute(insert(table).returning(table.c.id), row).scalar_one()
    return Owner(user_id, home, activity=1.0), True


def create_users(
    store: RowStore,
    count: int,
    rng: random.Random,
    faker: Faker,
    places: PlaceSampler,
    password_hash: str,
    now: datetime,
) -> list[Owner]:
    """Add `count` people with unique names and homes drawn from `places`, ids reserved first."""
    if count <= 0:
        return []
    usernames = _Usernames(store.session, rng)
    first_id = store.reserve_ids(User.__tablename__, count)
    rows, owners = [], []
    for user_id in range(first_id, first_id + count):
        first, last = faker.first_name(), faker.last_name()
        username = usernames.new(first, last)
        home = places.home()
        row = _row(
            username,
            f"{username}@example.com",
            f"{first} {last[0]}.",
            pick(rng, BIOS),
            home,
            password_hash,
            joined=now - timedelta(days=rng.uniform(46, 900)),
            now=now,
            last_login=now - timedelta(days=rng.uniform(0, 30)),
        )
        row["id"] = user_id
        rows.append(tuple(row[column] for column in USER_COLUMNS))
        # Pareto activity: most people post a few ads, a few post dozens, as on a real site.
        owners.append(Owner(user_id, home, activity=min(rng.paretovariate(3.0), 20.0)))
    store.write(User.__tablename__, USER_COLUMNS, rows)
    return owners


class _Usernames:
    """Hands out usernames whose name and `name@example.com` address are free.

    Compared in lower case, as the unique indexes compare them; the ones taken in the database
    are read once, so a second run of the seed command picks around them.
    """

    def __init__(self, session: Session, rng: random.Random):
        self.rng = rng
        self.taken = set(session.scalars(select(func.lower(User.username)))) | {DEMO_USERNAME}
        self.emails = set(session.scalars(select(func.lower(User.email))))

    def new(self, first: str, last: str) -> str:
        pattern = self.rng.choice(
            (
                f"{first}{last}",
                f"{first}_{last}",
                f"{first[0]}{last}",
                f"{first}{last[0]}",
                f"{last}{first[0]}",
            )
        )
        base = _NOT_USERNAME.sub("", pattern.lower())[:20] or "user"
        name = base
        while len(name) < 3 or name in self.taken or f"{name}@example.com" in self.emails:
            name = f"{base}{self.rng.randint(1, 9999)}"
        self.taken.add(name)
        return name


def _row(
    username: str,
    email: str,
    display_name: str,
    bio: str,
    home: Place,
    password_hash: str,
    joined: datetime,
    now: datetime,
    last_login: datetime | None = None,
) -> dict:
    return {
        "username": username,
        "email": email,
        "display_name": display_name,
        "bio": bio,
        "password_hash": password_hash,
        "password_changed_at": joined,
        "zip_code": home.zip_code,
        "city": home.city,
        "state": home.state,
        "latitude": home.latitude,
        "longitude": home.longitude,
        "is_admin": False,
        "active": True,
        "avatar_key": None,
        "created_at": joined,
        "updated_at": joined,
        "last_login_at": last_login or now,
    }


def _place_columns():
    table = User.__table__
    return (table.c.zip_code, table.c.city, table.c.state, table.c.latitude, table.c.longitude)


def _place(row) -> Place:
    return Place(row.zip_code, row.city, row.state, row.latitude, row.longitude)
