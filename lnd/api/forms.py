"""Forms of the OD team's API client pages."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length

from lnd.api.models import NAME_MAX, PURPOSE_MAX


class NewClientForm(FlaskForm):
    name = StringField("Name of the tool or team using the token", widget=GovTextInput(),
                       description="For example, Power BI workforce dashboard",
                       validators=[InputRequired("Enter the name of the tool or team that will use the token"),
                                   Length(max=NAME_MAX, message=f"The name must be {NAME_MAX} characters or fewer")])
    purpose = TextAreaField("What will it be used for? (optional)", widget=GovTextArea(),
                            description="Who owns it and which reports it feeds, so that anyone can tell later "
                                        "whether it is still needed",
                            validators=[Length(max=PURPOSE_MAX,
                                               message=f"The purpose must be {PURPOSE_MAX:,} characters or fewer")])
    submit = SubmitField("Issue the token", widget=GovSubmitInput())


class RevokeForm(FlaskForm):
    submit = SubmitField("Revoke the token", widget=GovSubmitInput())
