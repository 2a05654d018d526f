"""The training matrix's filters: a GET form (no CSRF token: it changes nothing)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from lnd.bookings.forms import GovDateField
from lnd.reports.matrix_queries import MatrixFilters


def _id_or_none(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1   # not a choice: reported as such


def _text_or_none(value):
    return value or None


def _options(everything: str, pairs) -> list[SelectChoice]:
    """'No filter' first, then each (value, name) as an option."""
    return [SelectChoice("", everything)] + [SelectChoice(str(value), name) for value, name in pairs]


class ChoiceField(SelectField):
    """A select whose 'not in the list' error says what to do."""

    def __init__(self, label, *, what: str, **kwargs):
        super().__init__(label, widget=GovSelect(), **kwargs)
        self.what = what

    def pre_validate(self, form):
        if self.data is not None and self.data not in {self.coerce(choice.value) for choice in self.iter_choices()}:
            raise ValidationError(f"Select {self.what} from the list")


class MatrixFilterForm(FlaskForm):
    class Meta:
        csrf = False

    team = ChoiceField("Team", what="a team", coerce=_id_or_none)
    job_role = ChoiceField("Job role", what="a job role", coerce=_id_or_none)
    manager = ChoiceField("Manager (their direct and indirect reports)", what="a manager", coerce=_id_or_none)
    section = ChoiceField("Section of the offer (the columns)", what="a section of the offer", coerce=_text_or_none)
    started_from = GovDateField("Started on or after", what="the earliest start date", required=False,
                                description="For example, 1 4 2025")
    started_to = GovDateField("Started on or before", what="the latest start date", required=False,
                              description="For example, 31 3 2026")
    leavers = BooleanField("Include people who have left", widget=GovCheckboxInput())

    def set_choices(self, teams, job_roles, managers, sections) -> None:
        self.team.choices = _options("All teams", teams)
        self.job_role.choices = _options("All job roles", job_roles)
        self.manager.choices = _options("Any manager", managers)
        self.section.choices = _options("All required learning", sections)

    def validate_started_to(self, field) -> None:
        if field.data and self.started_from.data and self.started_from.data > field.data:
            raise ValidationError("The latest start date must be the same as or after the earliest start date")

    def filters(self) -> MatrixFilters:
        return MatrixFilters(team_id=self.team.data, job_role_id=self.job_role.data, manager_id=self.manager.data,
                             section_slug=self.section.data, started_from=self.started_from.data,
                             started_to=self.started_to.data, include_leavers=bool(self.leavers.data))
