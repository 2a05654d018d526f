from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length


class LoginForm(FlaskForm):
    email = EmailField(
        "Email address", widget=GovTextInput(),
        validators=[DataRequired(message="Enter your email address"),
                    Email(message="Enter an email address in the correct format, like name@example.org",
                          check_deliverability=False)],
    )
    password = PasswordField("Password", widget=GovPasswordInput(),
                             validators=[DataRequired(message="Enter your password")])
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class PeopleSearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Search by name, email or employee number", widget=GovTextInput(),
                    validators=[Length(max=100)])
