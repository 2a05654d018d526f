"""Forms for bookings, approvals, feedback, sessions, the register and recording learning."""
from __future__ import annotations

import re
from datetime import date, datetime, time

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput, GovDateInput, GovFileInput, GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput,
)
from wtforms import (
    DateField, FieldList, Form, FormField, IntegerField, RadioField, SelectMultipleField, StringField, SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from lnd.bookings.models import RATINGS
from lnd.bookings.rules import LONDON

_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$|^(\d{2})(\d{2})$")


class GovDateField(DateField):
    """A GOV.UK date input (day, month, year) that explains itself in sentences."""

    def __init__(self, label=None, validators=None, *, what: str = "the date", required: bool = True, **kwargs):
        super().__init__(label, validators, format="%d %m %Y", widget=GovDateInput(), **kwargs)
        self.what = what
        self.required = required

    def process_formdata(self, valuelist):
        if len(valuelist) != 3:
            # The widget shows day, month and year back from raw_data, so it needs all three.
            self.raw_data = (list(valuelist) + ["", "", ""])[:3]
        if not valuelist or not any(v.strip() for v in valuelist):
            self.data = None
            if self.required:
                raise ValueError(f"Enter {self.what}")
            return
        if len(valuelist) != 3 or not all(v.strip() for v in valuelist):
            self.data = None
            raise ValueError(f"{self.what[0].upper()}{self.what[1:]} must include a day, month and year")
        try:
            day, month, year = (int(v) for v in valuelist)
            self.data = date(year, month, day)
        except ValueError:
            self.data = None
            raise ValueError(f"{self.what[0].upper()}{self.what[1:]} must be a real date") from None
        if not 2000 <= self.data.year <= 2100:
            self.data = None
            raise ValueError(f"{self.what[0].upper()}{self.what[1:]} must have a 4-digit year, like 2027")


class TimeOfDayField(StringField):
    """A time written as 09:30 (also 9.30 or 0930), kept as a `time`."""

    def __init__(self, label=None, validators=None, *, what: str = "the time", **kwargs):
        kwargs.setdefault("description", "Use the 24-hour clock, for example 09:30 or 14:00")
        super().__init__(label, validators, widget=GovTextInput(), **kwargs)
        self.what = what
        self.time = None

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        self.time = None
        text = (self.data or "").strip()
        if not text:
            raise ValueError(f"Enter {self.what}")
        match = _TIME.match(text)
        if not match:
            raise ValueError(f"Enter {self.what} in the 24-hour clock, for example 09:30")
        hour, minute = (int(g) for g in match.groups() if g is not None)
        if hour > 23 or minute > 59:
            raise ValueError(f"Enter {self.what} in the 24-hour clock, for example 09:30")
        self.time = time(hour, minute)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return self.data or ""


class WholeNumber(IntegerField):
    def __init__(self, label=None, validators=None, *, not_a_number: str = "Enter a whole number", **kwargs):
        super().__init__(label, validators, widget=GovTextInput(), **kwargs)
        self.not_a_number = not_a_number

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = int(valuelist[0].strip())
        except ValueError:
            self.data = None
            raise ValueError(self.not_a_number) from None


class ConfirmForm(FlaskForm):
    submit = SubmitField("Confirm", widget=GovSubmitInput())


class CancelBookingForm(FlaskForm):
    reason = TextAreaField("Why are you cancelling? (optional)", widget=GovTextArea(),
                           validators=[Length(max=1000, message="The reason must be 1,000 characters or fewer")])
    submit = SubmitField("Cancel this booking", widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    decision = RadioField("Do you approve this request?", widget=GovRadioInput(),
                          choices=[SelectChoice("approve", "Yes, approve it"), SelectChoice("decline", "No, decline it")],
                          validators=[InputRequired("Select whether you approve the request")])
    reason = TextAreaField("Reason", widget=GovTextArea(),
                           description="Required if you decline. The person sees what you write.",
                           validators=[Length(max=1000, message="The reason must be 1,000 characters or fewer")])
    submit = SubmitField("Save decision", widget=GovSubmitInput())

    def validate_reason(self, field):
        if self.decision.data == "decline" and not (field.data or "").strip():
            raise ValidationError("Enter the reason for declining the request")


_RATING_CHOICES = [SelectChoice(str(value), label) for value, label in RATINGS.items()]


class FeedbackForm(FlaskForm):
    usefulness = RadioField("How useful was the session for your work?", widget=GovRadioInput(),
                            choices=_RATING_CHOICES, validators=[InputRequired("Select how useful the session was")])
    delivery = RadioField("How well was it delivered?", widget=GovRadioInput(), choices=_RATING_CHOICES,
                          validators=[InputRequired("Select how well the session was delivered")])
    will_do_differently = TextAreaField(
        "What will you do differently in your practice?", widget=GovTextArea(),
        validators=[InputRequired("Enter what you will do differently"),
                    Length(max=2000, message="Your answer must be 2,000 characters or fewer")])
    comments = TextAreaField("Anything else you want to tell us? (optional)", widget=GovTextArea(),
                             validators=[Length(max=2000, message="Your comments must be 2,000 characters or fewer")])
    submit = SubmitField("Send feedback", widget=GovSubmitInput())


class PartForm(Form):
    """One part of a session (a subform: the page's CSRF token covers it)."""

    day = GovDateField("Date", what="the date of this part")
    start_time = TimeOfDayField("Start time", what="the start time")
    end_time = TimeOfDayField("End time", what="the end time")
    venue = StringField("Venue", widget=GovTextInput(),
                        description="Leave empty if the part is online only",
                        validators=[Length(max=500, message="The venue must be 500 characters or fewer")])
    joining_url = StringField("Online joining link", widget=GovTextInput(),
                              description="For example https://teams.microsoft.com/… (optional)",
                              validators=[Optional(), Length(max=500, message="The link must be 500 characters "
                                                                             "or fewer")])

    def starts_at(self) -> datetime | None:
        if self.day.data is None or self.start_time.time is None:
            return None
        return datetime.combine(self.day.data, self.start_time.time, tzinfo=LONDON)

    def ends_at(self) -> datetime | None:
        if self.day.data is None or self.end_time.time is None:
            return None
        return datetime.combine(self.day.data, self.end_time.time, tzinfo=LONDON)


class SessionForm(FlaskForm):
    capacity = WholeNumber("Number of places", not_a_number="Number of places must be a whole number, like 20")
    booking_closes_on = GovDateField("Bookings close on (optional)", what="the date bookings close",
                                     required=False,
                                     description="Leave empty to take bookings until the session starts")
    facilitator = StringField("Facilitator", widget=GovTextInput(),
                              validators=[Length(max=200, message="The facilitator must be 200 characters or fewer")])
    facilitator_email = StringField(
        "Facilitator's work email address (optional)", widget=GovTextInput(),
        description="If the facilitator works here, they can then mark the register",
        validators=[Length(max=254, message="The email address must be 254 characters or fewer")])
    notes = TextAreaField("Notes for people booking (optional)", widget=GovTextArea(),
                          validators=[Length(max=2000, message="Notes must be 2,000 characters or fewer")])
    parts = FieldList(FormField(PartForm), min_entries=1)
    submit = SubmitField("Save session", widget=GovSubmitInput())

    def validate_capacity(self, field):
        if field.data is None:
            raise ValidationError("Enter the number of places")
        if field.data < 1:
            raise ValidationError("Number of places must be 1 or more")


class CapacityForm(FlaskForm):
    capacity = WholeNumber("Number of places", not_a_number="Number of places must be a whole number, like 20",
                           validators=[InputRequired("Enter the number of places")])
    submit = SubmitField("Change number of places", widget=GovSubmitInput())


class CancelSessionForm(FlaskForm):
    reason = TextAreaField("Why is the session cancelled?", widget=GovTextArea(),
                           description="Everyone booked, waiting or awaiting approval is emailed this reason",
                           validators=[InputRequired("Enter the reason for cancelling the session"),
                                       Length(max=1000, message="The reason must be 1,000 characters or fewer")])
    submit = SubmitField("Cancel the session", widget=GovSubmitInput())


class RegisterForm(FlaskForm):
    present = SelectMultipleField("Who was present?", widget=GovCheckboxesInput(), coerce=int, choices=[],
                                  validate_choice=True)
    submit = SubmitField("Save the register", widget=GovSubmitInput())


class RecordDoneForm(FlaskForm):
    completed_on = GovDateField("When did you complete it?", what="the date you completed it",
                                description="For example, 27 3 2026")
    certificate = FileField("Upload your certificate (optional)", widget=GovFileInput(),
                            description="A PDF, PNG, JPEG or Word (.docx) file")
    note = TextAreaField("Notes (optional)", widget=GovTextArea(),
                         validators=[Length(max=1000, message="Notes must be 1,000 characters or fewer")])
    submit = SubmitField("Record as done", widget=GovSubmitInput())
