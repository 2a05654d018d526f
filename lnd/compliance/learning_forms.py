"""Forms for the team grid's filters and the OD team's exemptions."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextArea
from wtforms import RadioField, SelectField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from lnd.compliance.exemptions import REASON_MAX


class TeamFilterForm(FlaskForm):
    """The team grid's filters, sent by GET: shareable addresses and no CSRF token needed."""

    class Meta:
        csrf = False

    relation = RadioField("Show", widget=GovRadioInput(), validate_choice=False, default="",
                          choices=[SelectChoice("", "Everyone I manage"), SelectChoice("direct", "My direct reports"),
                                   SelectChoice("indirect", "People my reports manage")])
    team = SelectField("Team", widget=GovSelect(), validate_choice=False, default="")

    def set_teams(self, teams) -> None:
        self.team.choices = [SelectChoice("", "All teams")] + [SelectChoice(str(t.id), t.name) for t in teams]


class ExemptionForm(FlaskForm):
    course = SelectField("Course they need not complete", widget=GovSelect(),
                         validators=[InputRequired("Choose the course they need not complete")])
    reason = TextAreaField("Reason", widget=GovTextArea(),
                           description="For example, the prior learning it rests on: the course, where and when.",
                           validators=[InputRequired("Enter the reason, for example the prior learning it rests on"),
                                       Length(max=REASON_MAX,
                                              message=f"The reason must be {REASON_MAX:,} characters or fewer")])
    submit = SubmitField("Record exemption", widget=GovSubmitInput())

    def set_courses(self, courses) -> None:
        self.course.choices = [SelectChoice("", "Choose a course")] + [
            SelectChoice(str(c.id), c.title) for c in courses]


class RemoveExemptionForm(FlaskForm):
    submit = SubmitField("Remove exemption", widget=GovSubmitInput())
