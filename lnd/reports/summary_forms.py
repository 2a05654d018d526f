"""Filters of the summary reports, sent by GET: shareable addresses and no CSRF token needed."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice

from lnd.bookings.forms import GovDateField


class TeamFilterForm(FlaskForm):
    class Meta:
        csrf = False

    team = SelectField("Team", widget=GovSelect(), validate_choice=False, default="")

    def set_teams(self, teams: list[tuple[int, str]]) -> None:
        self.team.choices = [SelectChoice("", "All teams")] + [SelectChoice(str(team_id), name)
                                                               for team_id, name in teams]

    def chosen(self, teams: list[tuple[int, str]]) -> tuple[int, str] | None:
        """The team asked for, if it is one the viewer may filter by."""
        value = self.team.data or ""
        return next(((team_id, name) for team_id, name in teams if str(team_id) == value), None)


class DateRangeForm(FlaskForm):
    class Meta:
        csrf = False

    starts_on = GovDateField("From", what="the first day of the period", required=False)
    ends_on = GovDateField("To", what="the last day of the period", required=False)

    def validate_ends_on(self, field) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            from wtforms.validators import ValidationError

            raise ValidationError("The last day of the period must be the same as or after the first day")
