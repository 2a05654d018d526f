"""Mail goes through a real SMTP server (aiosmtpd on loopback) or, without one, to the outbox."""
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from lnd.core import mail


class Inbox(Message):
    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def test_message_with_attachment_reaches_the_smtp_server(app, smtp_server, monkeypatch):
    controller, inbox = smtp_server
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    with app.app_context():
        mail.send("sam.okafor@example.org", "Your place is booked", "See you there.",
                  [mail.Attachment("invite.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text", "calendar",
                                   {"method": "REQUEST"})])
    assert len(inbox.messages) == 1
    received = email.message_from_bytes(inbox.messages[0].as_bytes(), policy=policy.default)
    assert received["To"] == "sam.okafor@example.org"
    assert received["Subject"] == "Your place is booked"
    parts = {part.get_filename(): part for part in received.iter_attachments()}
    assert parts["invite.ics"].get_content_type() == "text/calendar"
    assert "See you there." in received.get_body(("plain",)).get_content()


def test_without_a_server_messages_are_kept_in_the_outbox(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    monkeypatch.setitem(app.config, "MAIL_OUTBOX_DIR", str(tmp_path / "outbox"))
    with app.app_context():
        mail.send(["a@example.org", "b@example.org"], "Reminder", "Due soon.")
    files = list((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 1
    saved = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert saved["To"] == "a@example.org, b@example.org"
    assert saved["Subject"] == "Reminder"


def test_refused_connection_is_a_readable_error(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", _free_port())
    with app.app_context(), pytest.raises(mail.MailError, match="could not be sent"):
        mail.send("x@example.org", "Hello", "Body")
