"""Messages between a buyer and a seller: one conversation per (listing, buyer), an inbox, mail
to the recipient of each new message."""

from flask import Blueprint

bp = Blueprint("messages", __name__)

from web.messages import routes  # noqa: E402,F401  (attach to bp)
