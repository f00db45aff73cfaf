"""The one form of the messages blueprint: a message's text."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from web.text_input import multi_line

MAX_BODY = 4000


class MessageForm(FlaskForm):
    # After the filter a message of only spaces is empty, so DataRequired refuses it.
    body = TextAreaField(
        "Message",
        filters=[multi_line],
        validators=[
            DataRequired(message="Write a message first."),
            Length(max=MAX_BODY, message=f"A message has at most {MAX_BODY:,} characters."),
        ],
    )
