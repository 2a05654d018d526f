"""Forms for the ASYE. Fields parse what was typed; the services decide what is acceptable and say
why not, and the views put their sentences beside the field and in the error summary."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput, GovFileInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput,
)
from wtforms import Field, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice

from lnd.asye import rules
from lnd.asye.entry_kinds import EntryKind, lower_first
from lnd.asye.entry_services import EntryDetails
from lnd.asye.services import ReviewPart
from lnd.bookings.forms import GovDateField


def optional_int(value):
    """A choice's id, or None for the empty ‘Select …’ option (the service then says what is missing)."""
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() else None


class FteField(Field):
    """A full-time equivalent such as 0.8 (a percentage such as 80 is read as 0.8)."""

    widget = GovTextInput()

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return f"{self.data.normalize():f}" if self.data is not None else ""

    def process_formdata(self, valuelist):
        text = (valuelist[0] if valuelist else "").strip().rstrip("%").strip()
        self.data = None
        if not text:
            return
        try:
            value = Decimal(text)
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise ValueError("Enter the full-time equivalent as a number, like 0.8") from None
        if value > 1:
            value = value / 100
        self.data = value.quantize(Decimal("0.01"))


class EnrolmentForm(FlaskForm):
    nqsw_email = StringField("The NQSW’s email address", widget=GovTextInput())
    start_date = GovDateField("Start date of the ASYE", what="the start date of the ASYE",
                              description="For example, 7 9 2026")
    assessor_id = SelectField("Assessor", widget=GovSelect(), coerce=optional_int, validate_choice=False,
                              description="A registered social worker who holds the ASYE assessor role.")
    line_manager_email = StringField(
        "The line manager’s email address (optional)", widget=GovTextInput(),
        description="Leave empty to use the NQSW’s line manager from their staff record.")
    framework_id = SelectField("Version of the standards", widget=GovSelect(), coerce=optional_int, validate_choice=False)
    working_pattern = RadioField("Working pattern", widget=GovRadioInput(), validate_choice=False,
                                 choices=[SelectChoice(k, v) for k, v in rules.WORKING_PATTERNS.items()])
    fte = FteField("Full-time equivalent (FTE) for part-time work",
                   description="For example, 0.8 for four days a week. The year is extended pro rata.")
    submit = SubmitField("Save enrolment", widget=GovSubmitInput())


class AbsenceForm(FlaskForm):
    starts_on = GovDateField("First day of the absence", what="the first day of the absence")
    ends_on = GovDateField("Last day of the absence", what="the last day of the absence")
    reason = StringField("Reason (optional)", widget=GovTextInput(),
                         description="For example, parental leave or long-term sickness. Keep health details out.")
    submit = SubmitField("Record absence", widget=GovSubmitInput())


class EntryForm(FlaskForm):
    """Every question any kind of entry asks; `for_kind` sets the labels and the stage choices and
    the template shows only the kind's questions."""

    title = StringField("Title", widget=GovTextInput())
    stage = RadioField("When in the year", widget=GovRadioInput(), validate_choice=False, choices=[])
    occurred_on = GovDateField("Date", what="the date")
    source = TextAreaField("Who gave the feedback", widget=GovTextArea())
    context = TextAreaField("Context", widget=GovTextArea())
    body = TextAreaField("Your reflection", widget=GovTextArea())
    development = TextAreaField("Development", widget=GovTextArea())
    standard_ids = SelectMultipleField("Standards this evidence shows", widget=GovCheckboxesInput(), coerce=int,
                                       validate_choice=False, choices=[])
    submit = SubmitField("Save", widget=GovSubmitInput())

    def for_kind(self, kind: EntryKind, standards) -> "EntryForm":
        for question in kind.questions:
            field = self[question.name]
            field.label.text = question.label
            field.description = question.hint
            if question.name == "occurred_on":
                field.what = lower_first(question.label)
        self.stage.choices = [SelectChoice(code, label) for code, label in kind.stages.items()]
        self.standard_ids.choices = [SelectChoice(s.id, f"{s.short_name}: {s.title}") for s in standards]
        self.standard_ids.description = "Select every standard this evidence shows. Select at least one."
        self.submit.label.text = "Save " + lower_first(kind.label)
        return self

    def details(self) -> EntryDetails:
        return EntryDetails(title=self.title.data or "", occurred_on=self.occurred_on.data,
                            stage=self.stage.data or "", source=self.source.data or "",
                            context=self.context.data or "", body=self.body.data or "",
                            development=self.development.data or "", standard_ids=list(self.standard_ids.data or []))

    def fill(self, details: EntryDetails) -> None:
        for name in ("title", "occurred_on", "stage", "source", "context", "body", "development", "standard_ids"):
            self[name].data = getattr(details, name)


class ReviewPartForm(FlaskForm):
    held_on = GovDateField("Date the review was held", what="the date the review was held", required=False)
    judgement = RadioField("Judgement", widget=GovRadioInput(), validate_choice=False, choices=[])
    comments = TextAreaField("Comments", widget=GovTextArea())
    submit = SubmitField("Save comments", widget=GovSubmitInput())

    def for_part(self, kind: str, part: str) -> "ReviewPartForm":
        self.comments.label.text = rules.REVIEW_PARTS[part]
        if kind == rules.FINAL:
            self.judgement.label.text = "The assessor’s recommendation"
            self.judgement.choices = [SelectChoice(k, v) for k, v in rules.RECOMMENDATIONS.items()]
        else:
            self.judgement.label.text = "Is the NQSW on track to complete the ASYE?"
            self.judgement.choices = [SelectChoice(k, v) for k, v in rules.PROGRESS.items()]
        return self

    def details(self) -> ReviewPart:
        return ReviewPart(comments=self.comments.data or "", held_on=self.held_on.data,
                          judgement=self.judgement.data or "")


class ModerationForm(FlaskForm):
    outcome = RadioField("The moderation panel’s outcome", widget=GovRadioInput(), validate_choice=False,
                         choices=[SelectChoice(k, v) for k, v in rules.MODERATION_OUTCOMES.items()])
    moderated_on = GovDateField("Date of the moderation panel", what="the date of the moderation panel")
    extended_to = GovDateField("If an extension was agreed: the date the extended ASYE ends",
                               what="the date the extended ASYE ends", required=False)
    notes = TextAreaField("The panel’s notes (optional)", widget=GovTextArea())
    submit = SubmitField("Record outcome", widget=GovSubmitInput())


class CohortBookingForm(FlaskForm):
    enrolments = SelectMultipleField("NQSWs to book", widget=GovCheckboxesInput(), coerce=int,
                                     validate_choice=False, choices=[])
    submit = SubmitField("Book places", widget=GovSubmitInput())


class AttachmentForm(FlaskForm):
    file = FileField("Upload a file", widget=GovFileInput(), validators=[FileRequired("Select a file to upload")])
    submit = SubmitField("Upload file", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField("Confirm", widget=GovSubmitInput())
