"""Forms for the catalogue: course search (GET) and the OD team's course and section forms."""
from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput, GovCheckboxInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput,
)
from wtforms import (
    BooleanField, IntegerField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from lnd.courses.models import ACTIVE, IN_DEVELOPMENT

try:
    from wtforms.fields.choices import SelectChoice
except ImportError:  # WTForms before 3.3 takes (value, label) tuples, which 3.3 deprecates
    def SelectChoice(value, label):  # noqa: N802
        return (value, label)


def choices(pairs) -> list:
    return [SelectChoice(value, label) for value, label in pairs]


STATUS_CHOICES = choices([
    (ACTIVE, "Available – people can book or record it"),
    (IN_DEVELOPMENT, "In development – shown in the offer but not yet bookable"),
])


class WholeNumberField(IntegerField):
    """An integer field with a sentence, not 'Not a valid integer value', when the text is not a number."""

    def __init__(self, label=None, validators=None, *, not_a_number: str = "Enter a whole number", **kwargs):
        super().__init__(label, validators, **kwargs)
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


class ChoiceList(SelectMultipleField):
    """Checkboxes whose values are checked by the service (which names the field in its error)."""

    def pre_validate(self, form):
        values = {str(value) for value, *_ in self.iter_choices()}
        if any(str(item) not in values for item in (self.data or [])):
            raise ValidationError("Choose from the options on the page")


class ChosenSelect(SelectField):
    def pre_validate(self, form):
        if self.data in (None, ""):
            return
        if str(self.data) not in {str(value) for value, *_ in self.iter_choices()}:
            raise ValidationError("Choose from the list")


class CourseSearchForm(FlaskForm):
    """The catalogue's filters, sent by GET: shareable addresses and no CSRF token needed."""

    class Meta:
        csrf = False

    q = StringField("Search by words in the title or description", widget=GovTextInput(),
                    validators=[Length(max=200)])
    section = SelectField("Section of the offer", widget=GovSelect(), validate_choice=False)
    method = SelectField("How it is delivered", widget=GovSelect(), validate_choice=False)
    audience = SelectField("Who it is for", widget=GovSelect(), validate_choice=False)
    retired = BooleanField("Include retired courses", widget=GovCheckboxInput(), false_values=("", "0", "false"))

    def set_choices(self, options) -> None:
        self.section.choices = choices([("", "All sections")] + [(s.slug, s.title) for s in options.sections])
        self.method.choices = choices([("", "Any delivery method")] + [(m.code, m.label) for m in options.methods])
        self.audience.choices = choices([("", "Anyone")] + [(a.code, a.label) for a in options.audiences])


class CourseForm(FlaskForm):
    title = StringField("Course title", widget=GovTextInput(),
                        validators=[InputRequired("Enter the course title"),
                                    Length(max=200, message="The course title must be 200 characters or fewer")])
    section = ChosenSelect("Section of the offer", widget=GovSelect(),
                           validators=[InputRequired("Choose the section of the offer the course belongs to")])
    group = ChosenSelect("Course group (optional)", widget=GovSelect(),
                         description="The table of the offer the course is listed in. It must be a group of "
                                     "the section chosen above.")
    summary = TextAreaField("Summary", widget=GovTextArea(),
                            description="One or two sentences shown in course lists and search results.",
                            validators=[InputRequired("Enter a short summary of the course"),
                                        Length(max=600, message="The summary must be 600 characters or fewer")])
    description = TextAreaField(
        "Full description (optional)", widget=GovTextArea(),
        description="Leave a blank line between paragraphs. Start a line with “- ” for a bullet point "
                    "or with “1. ” for a numbered list.",
        validators=[Length(max=20000, message="The description must be 20,000 characters or fewer")])
    provider = StringField("Provider", widget=GovTextInput(), default="Middlesbrough Council",
                           description="Who delivers the course, for example Middlesbrough Council or "
                                       "Centre for Practice Excellence.",
                           validators=[Length(max=160, message="The provider must be 160 characters or fewer")])
    status = RadioField("Can people book it yet?", widget=GovRadioInput(), choices=STATUS_CHOICES, default=ACTIVE,
                        validate_choice=False,
                        validators=[InputRequired("Choose whether the course is available or in development")])
    delivery_methods = ChoiceList("How it is delivered (optional)", widget=GovCheckboxesInput(),
                                  description="Select all that apply. Leave empty if it is not decided yet.")
    audiences = ChoiceList("Who it is for", widget=GovCheckboxesInput(), description="Select all that apply.",
                           validators=[InputRequired("Choose who the course is for")])
    parts = WholeNumberField("Number of parts", widget=GovTextInput(), default=1,
                             not_a_number="Enter the number of parts as a whole number, like 2",
                             description="For example, 2 if the course is delivered over 2 workshops.",
                             validators=[InputRequired("Enter the number of parts, like 1"),
                                         NumberRange(min=1, max=50,
                                                     message="The number of parts must be between 1 and 50")])
    module_number = WholeNumberField("ASYE module number (optional)", widget=GovTextInput(),
                                     not_a_number="Enter the module number as a whole number, like 3",
                                     validators=[Optional(), NumberRange(
                                         min=1, max=99, message="The module number must be between 1 and 99")])
    standards = ChoiceList("Standards the course covers (optional)", widget=GovCheckboxesInput(),
                           description="For ASYE modules: the knowledge and skills statements the module maps to.")
    link_url = StringField("Web address of the course (optional)", widget=GovTextInput(),
                           description="For e-learning or information pages, for example a Middlesbrough Learns page.",
                           validators=[Length(max=500, message="The web address must be 500 characters or fewer")])
    external_id = StringField(
        "E-learning platform id (optional)", widget=GovTextInput(),
        description="The id the council's e-learning platform gives the course, exactly as its exports "
                    "show it (for xAPI, the activity id), so that imported completions are matched to it.",
        validators=[Length(max=200, message="The e-learning platform id must be 200 characters or fewer")])
    default_note = TextAreaField("How this course is applied (optional)", widget=GovTextArea(),
                                 description="Anything people should know about how the course counts, "
                                             "for example that either delivery method completes it.",
                                 validators=[Length(max=4000, message="The note must be 4,000 characters or fewer")])
    submit = SubmitField("Save course", widget=GovSubmitInput())

    def set_choices(self, sections, groups, methods, audiences, standards) -> None:
        self.section.choices = choices([("", "Choose a section")] + [(str(s.id), s.title) for s in sections])
        self.group.choices = choices([("", "No group")] + [
            (str(g.id), f"{g.section.title}: {g.title}") for g in groups])
        self.delivery_methods.choices = choices((m.code, m.label) for m in methods)
        self.audiences.choices = choices((a.code, a.label) for a in audiences)
        self.standards.choices = choices((str(s.id), f"{s.short_name}: {s.title}") for s in standards)


class SectionForm(FlaskForm):
    title = StringField("Section title", widget=GovTextInput(),
                        validators=[InputRequired("Enter the section title"),
                                    Length(max=160, message="The section title must be 160 characters or fewer")])
    purpose = TextAreaField("Purpose", widget=GovTextArea(),
                            description="One or two sentences shown on the offer page, saying what the section is for.",
                            validators=[InputRequired("Enter the purpose of the section"),
                                        Length(max=1000, message="The purpose must be 1,000 characters or fewer")])
    description = TextAreaField(
        "Description (optional)", widget=GovTextArea(),
        description="Shown at the top of the section's page. Leave a blank line between paragraphs.",
        validators=[Length(max=20000, message="The description must be 20,000 characters or fewer")])
    submit = SubmitField("Save section", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button, and the CSRF token that comes with every POST."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class ReinstateForm(FlaskForm):
    status = RadioField("Reinstate the course as", widget=GovRadioInput(), choices=STATUS_CHOICES,
                        default=ACTIVE, validate_choice=False,
                        validators=[InputRequired("Choose whether the course is available or in development")])
    submit = SubmitField("Reinstate course", widget=GovSubmitInput())
