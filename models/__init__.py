"""SQLAlchemy models, one module per aggregate; importing this package registers them all."""

from models.alerts import AlertMailItem, AlertQueueEntry
from models.base import Base, db, utcnow
from models.category import Category
from models.favorite import Favorite
from models.listing import (
    MAX_PRICE_MINOR,
    Condition,
    Listing,
    ListingImage,
    ListingStatus,
    PriceKind,
    Report,
    ReportReason,
)
from models.mail import MailStatus, OutgoingMail
from models.message import Conversation, Message
from models.notification import Delivery, Notification, NotificationPreference
from models.outbox import OutboxEntry, OutboxOp
from models.saved_search import AlertFrequency, SavedSearch
from models.search_terms import ListingTerms, SearchVocabulary
from models.user import User

__all__ = [
    "MAX_PRICE_MINOR",
    "AlertFrequency",
    "AlertMailItem",
    "AlertQueueEntry",
    "Base",
    "Category",
    "Condition",
    "Conversation",
    "Delivery",
    "Favorite",
    "Listing",
    "ListingImage",
    "ListingStatus",
    "ListingTerms",
    "MailStatus",
    "Message",
    "Notification",
    "NotificationPreference",
    "OutboxEntry",
    "OutboxOp",
    "OutgoingMail",
    "PriceKind",
    "Report",
    "ReportReason",
    "SavedSearch",
    "SearchVocabulary",
    "User",
    "db",
    "utcnow",
]
