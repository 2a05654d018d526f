"""Forms for the completions import: the upload, and the confirmation that carries the stored file's token."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired, FileSize
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput
from wtforms import HiddenField, SubmitField
from wtforms.validators import DataRequired, Regexp

from lnd.core.imports import TOKEN_PATTERN

MAX_IMPORT_BYTES = 10 * 1024 * 1024   # about 10,000 xAPI statements, or far more CSV rows
EXTENSIONS = ["csv", "json", "jsonl", "ndjson"]


class CompletionsUploadForm(FlaskForm):
    file = FileField(
        "Upload the completions file",
        description="A CSV file, or xAPI statements as a JSON file, saved as UTF-8 and smaller than 10 MB.",
        widget=GovFileInput(),
        validators=[
            FileRequired(message="Select a CSV or JSON file of completions to import"),
            FileAllowed(EXTENSIONS, message="The selected file must be a CSV or JSON file"),
            FileSize(max_size=MAX_IMPORT_BYTES, message="The selected file must be smaller than 10 MB"),
        ],
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class ConfirmCompletionsForm(FlaskForm):
    token = HiddenField(validators=[DataRequired(), Regexp(TOKEN_PATTERN)])
