"""When a conversation closes: both sides still read it, with a notice, but nobody writes in it.

A moderator hiding a listing (a scam, say) or its seller deleting it ends the talk about it, and
so does a disabled account on either side: a removed scam must not keep its seller talking to
buyers. A sold or expired listing keeps its conversations open, since the sale is still being
arranged.
"""

from __future__ import annotations

from models import Conversation, ListingStatus


def closed_notice(conversation: Conversation) -> str | None:
    """Why no one may write in `conversation` any more, or None while it is open."""
    status = conversation.listing.status
    if status is ListingStatus.hidden:
        return (
            "A moderator removed this listing, so this conversation is closed. Do not send "
            "money, codes or personal details to anyone about it."
        )
    if status is ListingStatus.deleted:
        return "The seller deleted this listing, so this conversation is closed."
    if not (conversation.buyer.is_active and conversation.seller.is_active):
        return "One of you no longer has an account here, so this conversation is closed."
    return None
