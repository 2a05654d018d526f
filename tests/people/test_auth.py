from lnd.core.models import AuditEvent


def test_login_page_asks_for_email_and_password(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'name="email"' in page and 'name="password"' in page
    assert "Sign in" in page


def test_anonymous_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_sign_in_shows_home_with_name(client, make_person, login):
    person = make_person("Amira", "Khan")
    login(person)
    page = client.get("/").get_data(as_text=True)
    assert "Hello, Amira" in page


def test_wrong_password_is_refused_and_audited(client, db, make_person):
    person = make_person()
    response = client.post("/login", data={"email": person.email, "password": "nope"})
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.get_data(as_text=True)
    events = db.session.scalars(db.select(AuditEvent).filter_by(action="login_failed")).all()
    assert [e.entity_id for e in events] == [str(person.id)]


def test_unknown_email_is_refused_and_audited(client, db):
    response = client.post("/login", data={"email": "nobody@example.org", "password": "x"})
    assert "Enter a correct email address and password" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).filter_by(action="login_failed")) == 1


def test_old_session_cookie_is_refused_after_logout(app, client, make_person, login):
    person = make_person()
    login(person)
    cookie = client.get_cookie("session")
    assert client.get("/").status_code == 200
    client.post("/logout")
    assert client.get("/").status_code == 302
    # Replaying the cookie issued before logout does not sign anyone in.
    replay = app.test_client()
    replay.set_cookie("session", cookie.value)
    response = replay.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_next_followed_only_to_local_paths(client, make_person):
    person = make_person()
    ok = client.post("/login?next=/offer", data={"email": person.email, "password": "correct-horse-battery"})
    assert ok.headers["Location"] == "/offer"
    client.post("/logout")
    for bad in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(f"/login?next={bad}", data={"email": person.email, "password": "correct-horse-battery"})
        assert response.headers["Location"] == "/", bad
        client.post("/logout")


def test_fresh_session_at_login(client, make_person):
    person = make_person()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    client.post("/login", data={"email": person.email, "password": "correct-horse-battery"})
    with client.session_transaction() as session:
        assert "planted" not in session
