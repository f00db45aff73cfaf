"""Listings, their photos and the reports people file against them."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Timestamped, db, utcnow
from models.category import Category
from models.user import User

# Ten billion in minor units: a price above this is a typo, not a classified ad.
MAX_PRICE_MINOR = 10_000_000_000_00


class ListingStatus(enum.StrEnum):
    active = "active"
    sold = "sold"
    expired = "expired"
    hidden = "hidden"
    deleted = "deleted"


class PriceKind(enum.StrEnum):
    fixed = "fixed"
    free = "free"
    salary = "salary"  # a yearly salary, for jobs


class Condition(enum.StrEnum):
    new = "new"
    like_new = "like_new"
    good = "good"
    fair = "fair"
    for_parts = "for_parts"


class ReportReason(enum.StrEnum):
    spam = "spam"
    scam = "scam"
    prohibited = "prohibited"
    wrong_category = "wrong_category"
    offensive = "offensive"
    other = "other"


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as VARCHAR with a CHECK (native_enum=False) so adding a value is a plain migration
    # on PostgreSQL and SQLite alike.
    return Enum(cls, name=name, native_enum=False, create_constraint=True, length=20)


class Listing(Timestamped, db.Model):
    __tablename__ = "listings"
    __table_args__ = (
        CheckConstraint("price_minor >= 0", name="price_not_negative"),
        CheckConstraint(f"price_minor <= {MAX_PRICE_MINOR}", name="price_sane"),
        CheckConstraint("price_kind != 'free' OR price_minor = 0", name="free_is_zero"),
        CheckConstraint("length(currency) = 3", name="currency_code"),
        CheckConstraint("latitude BETWEEN -90 AND 90", name="latitude_range"),
        CheckConstraint("longitude BETWEEN -180 AND 180", name="longitude_range"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_listings_status_created", "status", "created_at"),
        Index("ix_listings_owner_status", "owner_id", "status"),
        Index("ix_listings_category_status", "category_id", "status"),
        Index("ix_listings_status_expires", "status", "expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    price_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    price_kind: Mapped[PriceKind] = mapped_column(
        _enum(PriceKind, "price_kind"), default=PriceKind.fixed
    )
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    condition: Mapped[Condition | None] = mapped_column(_enum(Condition, "listing_condition"))
    status: Mapped[ListingStatus] = mapped_column(
        _enum(ListingStatus, "listing_status"), default=ListingStatus.active
    )
    zip_code: Mapped[str | None] = mapped_column(String(10))
    city: Mapped[str] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(2))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    # Bookkeeping of the expiry job: no document shows it, so setting it is not a new version.
    expiry_warned_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The moment the listing last became searchable (posted, renewed, restored), set by the
    # outbox hook; None while it never was. Saved-search alerts look for listings newer than
    # their last run by this, so a renewed listing counts as new again.
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    # Every change increments the version (models.outbox does it in the flush); the search
    # index uses it as an external version, and concurrent edits of a stale copy fail.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    owner: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    category: Mapped[Category] = relationship(lazy="joined", innerjoin=True)
    images: Mapped[list[ListingImage]] = relationship(
        back_populates="listing", order_by="ListingImage.position", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    @property
    def is_visible(self) -> bool:
        """Whether others than the owner and admins may see the listing (models.visibility)."""
        from models.visibility import is_public

        return is_public(self)

    @property
    def is_free(self) -> bool:
        return self.price_kind is PriceKind.free

    @property
    def is_expired_by_date(self) -> bool:
        return self.expires_at <= utcnow()


class ListingImage(db.Model):
    __tablename__ = "listing_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(
        ForeignKey("listings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Random base name of the stored files (original, resized versions, thumbnail).
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    listing: Mapped[Listing] = relationship(back_populates="images")


class Report(db.Model):
    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("listing_id", "reporter_id", name="uq_reports_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[ReportReason] = mapped_column(_enum(ReportReason, "report_reason"))
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)
    resolution: Mapped[str | None] = mapped_column(String(20))

    listing: Mapped[Listing] = relationship()
    reporter: Mapped[User] = relationship()
