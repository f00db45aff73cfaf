"""The edit-profile form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from search.geo import Place, UnknownPlace, resolve
from web.text_input import multi_line, single_line

MAX_BIO = 1000
MAX_DISPLAY_NAME = 60  # the column's width


class ProfileForm(FlaskForm):
    display_name = StringField(
        "Display name",
        filters=[single_line],
        validators=[Optional(), Length(max=MAX_DISPLAY_NAME)],
        description="Shown instead of your username. Leave empty to use your username.",
    )
    bio = TextAreaField(
        "About you",
        filters=[multi_line],
        validators=[Optional(), Length(max=MAX_BIO, message=f"At most {MAX_BIO} characters.")],
        description=f"Up to {MAX_BIO} characters, shown on your public profile.",
        render_kw={"rows": 5, "maxlength": MAX_BIO},
    )
    location = StringField(
        "ZIP code or city",
        filters=[single_line],
        validators=[Optional(), Length(max=100)],
        description="Like 94103 or Austin, TX. Only the city is shown to others.",
        render_kw={"autocomplete": "postal-code"},
    )
    avatar = FileField(
        "Profile picture",
        description="A JPEG, PNG, WebP or GIF picture.",
        render_kw={"accept": "image/jpeg,image/png,image/webp,image/gif"},
    )
    remove_avatar = BooleanField("Remove my current picture")
    submit = SubmitField("Save profile")

    # Set by validate_location: the resolved place, or None when the field was left empty.
    place: Place | None = None

    def validate_location(self, field: StringField) -> None:
        self.place = None
        if not field.data:
            return
        try:
            self.place = resolve(field.data)
        except UnknownPlace as error:
            raise ValidationError(str(error)) from None
