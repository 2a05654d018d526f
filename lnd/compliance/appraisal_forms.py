"""The appraisal form (GOV.UK components; errors as sentences, listed at the top and by the field)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput, GovTextArea
from wtforms import SelectMultipleField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from lnd.bookings.forms import GovDateField
from lnd.compliance.appraisal_services import REQUIRED_TEXT, TEXT_MAX, AppraisalDetails


def _text(label: str, name: str, description: str = "") -> TextAreaField:
    return TextAreaField(label, widget=GovTextArea(), description=description, validators=[
        InputRequired(REQUIRED_TEXT[name]), Length(max=TEXT_MAX, message=f"This must be {TEXT_MAX:,} characters or fewer")])


class AppraisalForm(FlaskForm):
    held_on = GovDateField("Date of the appraisal", what="the date of the appraisal",
                           description="For example, 20 11 2026")
    achievements = _text("Achievements in the past 12 months", "achievements")
    development_needs = _text("Development needs", "development_needs",
                              "Include the actions needed to address needs found in supervision and case discussions.")
    goals = _text("Goals for the coming year", "goals")
    course_ids = SelectMultipleField(
        "Developmental Offer courses agreed (optional)", widget=GovCheckboxesInput(), coerce=int, choices=[],
        validate_choice=False,
        description="Each course you tick is pre-approved: they can book a session without asking you again.")
    submit = SubmitField("Save appraisal", widget=GovSubmitInput())

    def offer(self, courses) -> "AppraisalForm":
        self.course_ids.choices = [SelectChoice(course.id, course.title) for course in courses]
        return self

    def details(self) -> AppraisalDetails:
        return AppraisalDetails(held_on=self.held_on.data, achievements=self.achievements.data or "",
                                development_needs=self.development_needs.data or "", goals=self.goals.data or "",
                                course_ids=list(self.course_ids.data or []))
