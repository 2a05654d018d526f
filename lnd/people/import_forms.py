"""Forms for the HR import: the upload, and the confirmation that carries the stored file's token."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired, Regexp

from lnd.core.imports import TOKEN_PATTERN

MAX_IMPORT_BYTES = 5 * 1024 * 1024   # about 40,000 staff rows; far more than the service employs


class ImportUploadForm(FlaskForm):
    file = FileField(
        "Upload the staff list",
        description="A CSV file saved as UTF-8, smaller than 5 MB.",
        widget=GovFileInput(),
        validators=[
            FileRequired(message="Select a CSV file of staff to import"),
            FileAllowed(["csv"], message="The selected file must be a CSV file"),
            FileSize(max_size=MAX_IMPORT_BYTES, message="The selected file must be smaller than 5 MB"),
        ],
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class ConfirmImportForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Regexp(TOKEN_PATTERN)])
