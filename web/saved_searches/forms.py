"""Forms of saved searches: saving one from the results page, and changing one."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from models import AlertFrequency
from models.saved_search import MAX_NAME

FREQUENCIES = [
    SelectChoice(AlertFrequency.instant.value, "At once"),
    SelectChoice(AlertFrequency.daily.value, "Once a day"),
    SelectChoice(AlertFrequency.weekly.value, "Once a week"),
    SelectChoice(AlertFrequency.never.value, "Never by mail (only on the site)"),
]
FREQUENCY_LABELS = {choice.value: choice.label for choice in FREQUENCIES}
MAX_QUERY = 4000  # a canonical query string is far shorter; anything longer is not ours
SAVE_PREFIX = "save"  # the results page's save form


def _one_line(value: str | None) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) else value


class _NameAndFrequency(FlaskForm):
    name = StringField(
        "Name",
        filters=[_one_line],
        validators=[
            DataRequired(message="Give the search a name."),
            Length(max=MAX_NAME, message=f"A name has at most {MAX_NAME} characters."),
        ],
    )
    frequency = SelectField(
        "Mail me new matches",
        choices=FREQUENCIES,
        default=AlertFrequency.daily.value,
        description="New matches always show under Notifications; this is how often mail comes.",
    )


class SaveSearchForm(_NameAndFrequency):
    """On the results page: its fields are prefixed ("save-name"), as the page has others."""

    query = HiddenField(validators=[Length(max=MAX_QUERY, message="This search is too long.")])
    submit = SubmitField("Save")


class EditSearchForm(_NameAndFrequency):
    submit = SubmitField("Save changes")
