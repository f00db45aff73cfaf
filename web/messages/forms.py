"""The one form of the messages blueprint: a message's text."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

MAX_BODY = 4000


def _normalise_text(value: str | None) -> str | None:
    """Browsers send CRLF line ends; count and store plain newlines, without outer blanks."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


class MessageForm(FlaskForm):
    # After the filter a message of only spaces is empty, so DataRequired refuses it.
    body = TextAreaField(
        "Message",
        filters=[_normalise_text],
        validators=[
            DataRequired(message="Write a message first."),
            Length(max=MAX_BODY, message=f"A message has at most {MAX_BODY:,} characters."),
        ],
    )
