"""Forms for CPD records and their evidence."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput, GovFileInput, GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput,
)
from wtforms import Field, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, StopValidation

from lnd.cpd.models import ACTIVITY_TYPES, PEER_NAME_MAX, PEER_ROLES, TITLE_MAX
from lnd.cpd.services import TEXT_MAX, CpdDetails


class DayMonthYearField(Field):
    """A GOV.UK date input (day, month and year boxes) with errors written as sentences."""

    widget = GovDateInput()

    def __init__(self, label=None, validators=None, *, what: str = "The date", **kwargs):
        super().__init__(label, validators, **kwargs)
        self.what = what

    def _value(self):
        return ""

    def process_formdata(self, valuelist):
        # Always three boxes, whatever was sent, so the widget can show back what was typed.
        parts = [(v or "").strip() for v in list(valuelist)[:3]] + [""] * (3 - min(len(valuelist), 3))
        self.raw_data = parts
        self.data = None
        if not any(parts):
            return
        missing = [name for name, value in zip(("day", "month", "year"), parts) if not value]
        if missing:
            raise ValueError(f"{self.what} must include a {' and a '.join(missing)}")
        try:
            day, month, year = (int(p) for p in parts)
            if year < 1900 or year > 2999:
                raise ValueError
            self.data = date(year, month, day)
        except ValueError:
            raise ValueError(f"{self.what} must be a real date, like 27 3 2026") from None


class HoursField(Field):
    widget = GovTextInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data.normalize():f}" if self.data is not None else ""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip().replace(",", ".")
        self.data = None
        if not text:
            return
        try:
            value = Decimal(text)
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise ValueError("Enter the hours as a number, like 3 or 1.5") from None
        if not (Decimal("0") < value <= Decimal("999")):
            raise ValueError("Hours must be more than 0 and no more than 999")
        self.data = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class DateRequired:
    """Like InputRequired, but keeps a more precise message about a half-entered or unreal date."""

    def __init__(self, message: str):
        self.message = message

    def __call__(self, form, field):
        if field.errors:
            raise StopValidation()
        if field.data is None:
            raise StopValidation(self.message)


DETAIL_FIELDS = ("activity_type", "title", "activity_date", "description", "learning", "impact", "hours",
                 "peer_name", "peer_role", "peer_discussed_on", "peer_learning")


def _length(limit: int, what: str) -> Length:
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer")


PEER_REQUIRED = {
    "peer_name": "Enter the name of the peer you discussed the CPD with",
    "peer_role": "Select who the peer is",
    "peer_learning": "Enter what you learnt from discussing the CPD with your peer",
}


class CpdRecordForm(FlaskForm):
    activity_type = RadioField(
        "Type of CPD activity", widget=GovRadioInput(), validate_choice=False,
        choices=[SelectChoice(value, label) for value, label in ACTIVITY_TYPES.items()],
        validators=[InputRequired("Select the type of CPD activity")])
    title = StringField(
        "Title", widget=GovTextInput(), description="A short name for the CPD, for example the name of the course.",
        validators=[InputRequired("Enter a title for the CPD"), _length(TITLE_MAX, "The title")])
    activity_date = DayMonthYearField(
        "Date of the CPD activity", what="The date of the CPD activity",
        description="For example, 27 3 2026. For learning over several days, use the day it finished.",
        validators=[DateRequired("Enter the date of the CPD activity")])
    hours = HoursField("Hours (optional)", description="How long the learning took, for example 3 or 1.5.")
    description = TextAreaField(
        "Description of the activity and why it is relevant to you", widget=GovTextArea(),
        validators=[InputRequired("Enter a description of the activity and why it is relevant to you"),
                    _length(TEXT_MAX, "The description")])
    learning = TextAreaField(
        "What you learnt from the activity", widget=GovTextArea(),
        validators=[InputRequired("Enter what you learnt from the activity"), _length(TEXT_MAX, "What you learnt")])
    impact = TextAreaField(
        "The impact on your practice and on the people you work with", widget=GovTextArea(),
        description="How it has changed, or will change, what you do, and what difference that makes to "
                    "children, young people and families.",
        validators=[InputRequired("Enter the impact on your practice and on the people you work with"),
                    _length(TEXT_MAX, "The impact")])
    peer_name = StringField("Name of the peer", widget=GovTextInput(),
                            validators=[_length(PEER_NAME_MAX, "The peer’s name")])
    peer_role = RadioField("Who the peer is", widget=GovRadioInput(), validate_choice=False,
                           choices=[SelectChoice(value, label) for value, label in PEER_ROLES.items()])
    peer_discussed_on = DayMonthYearField("Date of the discussion (optional)", what="The date of the discussion")
    peer_learning = TextAreaField("What you learnt from discussing the CPD with your peer", widget=GovTextArea(),
                                  validators=[_length(TEXT_MAX, "What you learnt from the discussion")])
    submit = SubmitField("Save CPD record", widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        started = any([(self.peer_name.data or "").strip(), self.peer_role.data,
                       (self.peer_learning.data or "").strip(), self.peer_discussed_on.data])
        if started:
            for name, message in PEER_REQUIRED.items():
                field = self[name]
                if not (field.data or "").strip() and not field.errors:
                    field.errors = list(field.errors) + [message]
                    valid = False
        return valid

    def details(self) -> CpdDetails:
        return CpdDetails(
            activity_type=self.activity_type.data or "", title=self.title.data or "",
            activity_date=self.activity_date.data, description=self.description.data or "",
            learning=self.learning.data or "", impact=self.impact.data or "", hours=self.hours.data,
            peer_name=self.peer_name.data or "", peer_role=self.peer_role.data or "",
            peer_discussed_on=self.peer_discussed_on.data, peer_learning=self.peer_learning.data or "")

    def fill(self, details: CpdDetails) -> None:
        for name in DETAIL_FIELDS:
            self[name].data = getattr(details, name)


class AttachmentForm(FlaskForm):
    file = FileField("Upload a file", widget=GovFileInput(),
                     validators=[FileRequired("Select a file to upload")])
    submit = SubmitField("Upload file", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button, and the CSRF token that comes with every POST."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())
