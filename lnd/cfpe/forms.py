"""Forms for the Centre for Practice Excellence pages."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from lnd.bookings.forms import GovDateField
from lnd.cfpe import rules
from lnd.cfpe.services import DETAIL_MAX, NOTE_MAX, TOPIC_MAX


class ContactForm(FlaskForm):
    contacted_on = GovDateField("Date of the contact", what="the date of the contact",
                                description="For example, 20 11 2026")
    note = TextAreaField("Note (optional)", widget=GovTextArea(),
                         description="For example, how you made contact and what they would like to do next.",
                         validators=[Length(max=NOTE_MAX, message=f"The note must be {NOTE_MAX:,} characters or fewer")])
    submit = SubmitField("Save contact", widget=GovSubmitInput())


class ConsultationForm(FlaskForm):
    topic = TextAreaField(
        "What would you like to talk about?", widget=GovTextArea(),
        description="For example, progression, development or your career aspirations.",
        validators=[InputRequired("Enter what you would like to talk about"),
                    Length(max=TOPIC_MAX, message=f"This must be {TOPIC_MAX:,} characters or fewer")])
    contact_preference = RadioField(
        "How would you like us to contact you?", widget=GovRadioInput(),
        choices=[SelectChoice(value, label) for value, label in rules.CONTACT_PREFERENCES.items()],
        validators=[InputRequired("Select how you would like us to contact you")])
    contact_detail = StringField(
        "Phone number or other contact details (optional)", widget=GovTextInput(),
        description="We use your work email address unless you tell us otherwise.",
        validators=[Length(max=DETAIL_MAX, message=f"Contact details must be {DETAIL_MAX} characters or fewer")])
    submit = SubmitField("Send request", widget=GovSubmitInput())


class ConsultationUpdateForm(FlaskForm):
    status = RadioField("Status", widget=GovRadioInput(), choices=[],
                        validators=[InputRequired("Select the status of the consultation")])
    note = TextAreaField(
        "Note for the person", widget=GovTextArea(),
        description="For example, when and how the consultation will happen, or what was agreed.",
        validators=[InputRequired("Enter a note, for example when and how the consultation will happen"),
                    Length(max=NOTE_MAX, message=f"The note must be {NOTE_MAX:,} characters or fewer")])
    submit = SubmitField("Save", widget=GovSubmitInput())

    def for_status(self, current: str) -> "ConsultationUpdateForm":
        self.status.choices = [SelectChoice(s, rules.CONSULTATION_STATUSES[s]) for s in rules.NEXT_STATUSES[current]]
        return self
