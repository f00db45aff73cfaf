"""The notification settings form: one choice per kind, built from the registered kinds."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, SubmitField

from indexer.notifications import kinds
from models import Delivery

CHOICES = [
    SelectChoice(Delivery.mail.value, "In the app and by mail"),
    SelectChoice(Delivery.app.value, "In the app only"),
    SelectChoice(Delivery.off.value, "Off"),
]


class SettingsForm(FlaskForm):
    submit = SubmitField("Save notification settings")

    def kind_fields(self) -> list[tuple[kinds.Kind, RadioField]]:
        return [(kind, self[name]) for name, kind in kinds.KINDS.items()]


def settings_form(current: dict[str, Delivery]) -> SettingsForm:
    """The form with a field per kind, preset to the person's current choices."""

    class Form(SettingsForm):
        pass

    for name, kind in kinds.KINDS.items():
        field = RadioField(
            kind.label,
            choices=CHOICES,
            default=current[name].value,
            description=kind.description,
        )
        setattr(Form, name, field)
    return Form()
