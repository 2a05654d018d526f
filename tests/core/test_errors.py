"""Error pages in the service's style, with no traceback."""
from lnd import create_app
from lnd.core.auth import access


def test_unknown_page_is_a_styled_404(client, make_person, login):
    login(make_person())
    response = client.get("/no-such-page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "Page not found" in page
    assert "govuk-heading-l" in page and "Children&#39;s Care Learning and Development" in page


def test_od_page_is_a_styled_403_for_staff(client, make_person, login):
    login(make_person())
    response = client.get("/people")
    assert response.status_code == 403
    assert "You do not have permission to see this page" in response.get_data(as_text=True)


def test_unexpected_error_is_a_500_page_without_traceback(app, tmp_path):
    broken = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                         "INSTANCE_PATH": str(tmp_path), "SECRET_KEY": "x"})

    @broken.route("/explode")
    @access(anonymous=True)
    def explode():
        raise RuntimeError("secret internals")

    response = broken.test_client().get("/explode")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_flash_messages_show_as_text_in_a_banner(client, make_person, login):
    login(make_person())
    client.post("/logout")
    page = client.get("/login").get_data(as_text=True)
    assert '<p class="govuk-notification-banner__heading">You have signed out.</p>' in page
    assert "&lt;p" not in page
