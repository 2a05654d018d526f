"""Forms for supervision agreements, sessions, records, actions and training needs."""
from __future__ import annotations

from datetime import datetime

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput, GovCheckboxInput, GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from lnd.bookings.forms import GovDateField, TimeOfDayField, WholeNumber
from lnd.core.clock import LONDON
from lnd.supervision.models import PLACE_MAX
from lnd.supervision.rules import ACTION_OWNERS, AGENDA_AREAS, FREQUENCIES, KINDS
from lnd.supervision.services import ACTION_MAX, COMMENT_MAX, REASON_MAX, TEXT_MAX


def choices(mapping) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in dict(mapping).items()]


def _length(limit: int, what: str) -> Length:
    return Length(max=limit, message=f"{what} must be {limit:,} characters or fewer")


class AgreementDetailsForm(FlaskForm):
    frequency = RadioField("How often is supervision held?", widget=GovRadioInput(),
                           choices=choices(FREQUENCIES),
                           description="Newly qualified social workers are supervised weekly for their first 6 weeks "
                                       "and at least fortnightly after that, whatever is chosen here; everyone else "
                                       "at least monthly.",
                           validators=[InputRequired("Select how often supervision is held")])
    usual_place = StringField("Where is supervision usually held?", widget=GovTextInput(),
                              description="An appropriate place, free of interruption: for example, the school's "
                                          "meeting room",
                              validators=[InputRequired("Enter where supervision is usually held"),
                                          _length(PLACE_MAX, "The usual place")])
    starts_on = GovDateField("When does the agreement start?", what="the date the agreement starts",
                             description="For example, 2 11 2026")
    review_due_on = GovDateField("When will the agreement be reviewed? (optional)", what="the review date",
                                 required=False,
                                 description="Leave empty to review it 12 months after it starts. Agreements are "
                                             "reviewed at least once a year.")


class NewAgreementForm(AgreementDetailsForm):
    supervisee_email = StringField("Supervisee's email address", widget=GovTextInput(),
                                   description="A member of staff, or someone at a school or setting such as a "
                                               "Designated Safeguarding Lead. They must already use this service.",
                                   validators=[InputRequired("Enter the supervisee's email address"),
                                               _length(254, "The email address")])
    kind = RadioField("What kind of supervision is it?", widget=GovRadioInput(), choices=choices(KINDS),
                      validators=[InputRequired("Select the kind of supervision")])
    submit = SubmitField("Save the agreement", widget=GovSubmitInput())


class ChangeAgreementForm(AgreementDetailsForm):
    purpose = TextAreaField("Purpose of supervision", widget=GovTextArea(),
                            description="Leave empty to use the standard wording for this kind of supervision",
                            validators=[_length(TEXT_MAX, "The purpose")])
    terms = TextAreaField("What we agree", widget=GovTextArea(),
                          description="Leave empty to use the standard wording for this kind of supervision",
                          validators=[_length(TEXT_MAX, "The terms")])
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class SignForm(FlaskForm):
    confirm = BooleanField("I have read this supervision agreement and I agree to it", widget=GovCheckboxInput(),
                           validators=[InputRequired("Confirm that you have read the agreement and agree to it")])
    submit = SubmitField("Sign the agreement", widget=GovSubmitInput())


class EndAgreementForm(FlaskForm):
    reason = TextAreaField("Why is the agreement ending?", widget=GovTextArea(),
                           description="For example, the supervisee has a new supervisor",
                           validators=[InputRequired("Enter why the agreement is ending"),
                                       _length(REASON_MAX, "The reason")])
    submit = SubmitField("End the agreement", widget=GovSubmitInput(), render_kw={"class": "govuk-button--warning"})


class PlanSessionForm(FlaskForm):
    day = GovDateField("Date", what="the date of the supervision", description="For example, 3 12 2026")
    start_time = TimeOfDayField("Start time", what="the start time")
    minutes = WholeNumber("How long, in minutes", not_a_number="Enter the length in minutes, like 90",
                          validators=[InputRequired("Enter how long the supervision lasts, in minutes")])
    place = StringField("Where", widget=GovTextInput(), description="Somewhere appropriate and free of interruption",
                        validators=[InputRequired("Enter where the supervision will be held"),
                                    _length(PLACE_MAX, "The place")])
    submit = SubmitField("Save", widget=GovSubmitInput())

    def starts_at(self) -> datetime | None:
        if self.day.data is None or self.start_time.time is None:
            return None
        return datetime.combine(self.day.data, self.start_time.time, tzinfo=LONDON)


class CancelSessionForm(FlaskForm):
    reason = TextAreaField("Why is it cancelled? (optional)", widget=GovTextArea(),
                           validators=[_length(REASON_MAX, "The reason")])
    submit = SubmitField("Cancel the supervision", widget=GovSubmitInput(), render_kw={"class": "govuk-button--warning"})


class RecordForm(FlaskForm):
    held_on = GovDateField("Date held", what="the date the supervision was held", description="For example, 3 12 2026")
    duration_minutes = WholeNumber("How long it lasted, in minutes",
                                   not_a_number="Enter the length in minutes, like 90",
                                   validators=[InputRequired("Enter how long the supervision lasted, in minutes")])
    place = StringField("Where it was held", widget=GovTextInput(),
                        validators=[InputRequired("Enter where the supervision was held"),
                                    _length(PLACE_MAX, "The place")])
    agenda = SelectMultipleField("What did the supervision cover?", widget=GovCheckboxesInput(),
                                 choices=choices(AGENDA_AREAS), description="Select all that apply",
                                 validators=[InputRequired("Select at least one area the supervision covered")])
    discussion = TextAreaField("What was discussed", widget=GovTextArea(),
                               validators=[InputRequired("Enter what was discussed"),
                                           _length(TEXT_MAX, "What was discussed")])
    decisions = TextAreaField("Decisions (optional)", widget=GovTextArea(),
                              description="Actions, each with who owns it and when it is due, are added after saving",
                              validators=[_length(TEXT_MAX, "The decisions")])
    observation = BooleanField("This supervision records a formal observation of practice", widget=GovCheckboxInput())
    observation_notes = TextAreaField("What was observed, and the feedback given", widget=GovTextArea(),
                                      description="Only if this supervision records an observation of practice",
                                      validators=[_length(TEXT_MAX, "The observation")])
    submit = SubmitField("Save the record", widget=GovSubmitInput())


class ActionForm(FlaskForm):
    description = TextAreaField("Action", widget=GovTextArea(),
                                validators=[InputRequired("Enter the action"), _length(ACTION_MAX, "The action")])
    owner = RadioField("Who owns it?", widget=GovRadioInput(), choices=choices(ACTION_OWNERS),
                       validators=[InputRequired("Select who owns the action")])
    owner_name = StringField("Name of the person who owns it (if someone else)", widget=GovTextInput(),
                             validators=[_length(200, "The name")])
    due_on = GovDateField("Due by", what="the date the action is due", description="For example, 18 12 2026")
    submit = SubmitField("Add the action", widget=GovSubmitInput())


class AcknowledgeForm(FlaskForm):
    comments = TextAreaField("Your comments (optional)", widget=GovTextArea(),
                             description="Anything you want to add to the record, or anything you see differently",
                             validators=[_length(COMMENT_MAX, "Your comments")])
    submit = SubmitField("Acknowledge the record", widget=GovSubmitInput())


class TrainingNeedForm(FlaskForm):
    course_session = RadioField("Which date?", widget=GovRadioInput(), choices=[], validate_choice=True,
                                validators=[InputRequired("Select a date, or that there is no date yet")])
    description = TextAreaField("What is the need? (optional)", widget=GovTextArea(),
                                description="For example, preparing for a first final hearing",
                                validators=[_length(ACTION_MAX, "The description")])
    submit = SubmitField("Save the training need", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField("Confirm", widget=GovSubmitInput())
