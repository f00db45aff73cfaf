"""Forms of the listings blueprint; each field is validated again on the server, whatever the
browser already checked."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    MultipleFileField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from models import Category, Condition, ReportReason
from search.geo import Place, UnknownPlace, resolve
from web.categories.tree import sections, uses_condition, uses_salary
from web.listings.prices import parse_price
from web.text_input import multi_line, single_line

CURRENCIES = [
    SelectChoice("USD", "USD $"),
    SelectChoice("CAD", "CAD CA$"),
    SelectChoice("EUR", "EUR €"),
    SelectChoice("GBP", "GBP £"),
]
CONDITIONS = [
    SelectChoice("", "Not stated"),
    SelectChoice(Condition.new.value, "New"),
    SelectChoice(Condition.like_new.value, "Like new"),
    SelectChoice(Condition.good.value, "Good"),
    SelectChoice(Condition.fair.value, "Fair"),
    SelectChoice(Condition.for_parts.value, "For parts"),
]
REPORT_REASONS = [
    SelectChoice(ReportReason.spam.value, "Spam or advertising"),
    SelectChoice(ReportReason.scam.value, "Scam or fraud"),
    SelectChoice(ReportReason.prohibited.value, "Prohibited item or service"),
    SelectChoice(ReportReason.wrong_category.value, "Wrong category"),
    SelectChoice(ReportReason.offensive.value, "Offensive content"),
    SelectChoice(ReportReason.other.value, "Something else"),
]


def _optional_int(value) -> int | None:
    """Coerce a select's value to an id; garbage becomes None (then 'choose a category')."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ListingForm(FlaskForm):
    """Post or edit a listing. Call `setup(...)` before validating."""

    title = StringField(
        "Title",
        filters=[single_line],
        validators=[
            DataRequired(message="Give your listing a title."),
            Length(5, 120, message="A title has 5 to 120 characters."),
        ],
    )
    description = TextAreaField(
        "Description",
        filters=[multi_line],
        validators=[
            DataRequired(message="Describe what you offer."),
            Length(20, 5000, message="A description has 20 to 5,000 characters."),
        ],
    )
    category_id = SelectField("Category", coerce=_optional_int, validate_choice=False)
    # No Optional(): it would stop the chain before validate_price, which decides what empty means.
    price = StringField("Price", filters=[single_line], validators=[Length(max=30)])
    free = BooleanField("It's free")
    currency = SelectField("Currency", choices=CURRENCIES, default="USD")
    condition = SelectField("Condition", choices=CONDITIONS, default="")
    location = StringField(
        "ZIP code or city",
        filters=[single_line],
        validators=[DataRequired(message="Enter a ZIP code or a city."), Length(max=100)],
    )
    photos = MultipleFileField("Photos")
    remove_photos = SelectMultipleField("Remove", coerce=int, choices=[])
    cover_photo = RadioField("Main photo", coerce=_optional_int, choices=[], validate_choice=False)

    def setup(
        self, postable: dict[int, Category], max_photos: int, existing_photos: int = 0
    ) -> None:
        """Give the form the categories one may post in and the photo limit it works to."""
        self.postable = postable
        self.max_photos = max_photos
        self.existing_photos = existing_photos
        self.place: Place | None = None
        self.price_minor = 0
        choices = [SelectChoice("", "Choose a category…")]
        for section in sections():
            choices += [
                SelectChoice(child.id, child.name, optgroup=section.name)
                for child in section.children
                if child.id in postable
            ]
        self.category_id.choices = choices
        self.condition_ids = [cid for cid, c in postable.items() if uses_condition(c)]
        self.salary_ids = [cid for cid, c in postable.items() if uses_salary(c)]

    @property
    def category(self) -> Category | None:
        return self.postable.get(self.category_id.data)

    def validate_category_id(self, field) -> None:
        if field.data is None:
            raise ValidationError("Choose a category.")
        if field.data not in self.postable:
            raise ValidationError("Choose one of the listed categories.")

    def validate_price(self, field) -> None:
        category = self.category
        if self.free.data and not (category and uses_salary(category)):
            self.price_minor = 0
            return
        if not field.data:
            label = "salary" if category and uses_salary(category) else "price"
            raise ValidationError(f"Enter a {label}, or tick \u201cIt's free\u201d.")
        try:
            self.price_minor = parse_price(field.data)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def validate_free(self, field) -> None:
        if field.data and self.category and uses_salary(self.category):
            raise ValidationError("A job pays a salary: enter it instead of ticking free.")

    def validate_location(self, field) -> None:
        try:
            self.place = resolve(field.data)
        except UnknownPlace as exc:
            raise ValidationError(str(exc)) from None

    def validate_photos(self, field) -> None:
        chosen = len(self.new_photos())
        kept = self.existing_photos - len(set(self.remove_photos.data or []))
        slots = max(0, self.max_photos - kept)
        if chosen > slots:
            raise ValidationError(
                f"A listing has at most {self.max_photos} photos: you can add {slots} more "
                f"(you chose {chosen})."
            )

    def new_photos(self) -> list:
        """The files actually chosen (a browser sends an empty part when none is)."""
        return [f for f in (self.photos.data or []) if getattr(f, "filename", "")]

    def chosen_condition(self) -> Condition | None:
        """The stated condition, kept only where the category has one (goods, vehicles)."""
        if not self.condition.data or not (self.category and uses_condition(self.category)):
            return None
        return Condition(self.condition.data)


class ReportForm(FlaskForm):
    reason = SelectField("Reason", choices=REPORT_REASONS)
    details = TextAreaField(
        "Details (optional)", filters=[multi_line], validators=[Optional(), Length(max=2000)]
    )


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token is checked."""
