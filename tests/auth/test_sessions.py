"""Sessions end on the server: log-out, password change and reset; remember-me tokens."""
from datetime import timedelta

from conftest import CSRF_RE, PASSWORD, make_user
from sqlalchemy import func, select

from taskboard.auth.models import ApiToken, LoginSession
from taskboard.auth.sessions import REMEMBER_COOKIE
from taskboard.clock import utcnow
from taskboard.extensions import db

NEW_PASSWORD = "a-new-secret-42"


def _copy_of(client, app):
    """A second browser holding a copy of ``client``'s cookies (as a thief would)."""
    thief = app.test_client()
    for name in ("session", REMEMBER_COOKIE):
        if cookie := client.get_cookie(name):
            thief.set_cookie(name, cookie.value, domain="localhost")
    return thief


def _signed_in(client) -> bool:
    return client.get("/tasks/").status_code == 200


def test_a_copied_session_cookie_dies_with_log_out(client, app):
    make_user("office", "office")
    client.login("office")
    thief = _copy_of(client, app)
    assert _signed_in(thief)
    client.post_form("/logout")
    assert not _signed_in(thief) and not _signed_in(client)
    assert db.session.scalar(select(func.count(LoginSession.id))) == 0


def _api_token(client, password=PASSWORD) -> str:
    return client.post("/api/v1/token", json={"username": "office",
                                              "password": password}).json["token"]


def test_a_password_change_ends_other_sessions_and_api_tokens(client, app):
    make_user("office", "office")
    other_browser = app.test_client()
    other_browser.login("office")
    token = _api_token(client)
    client.login("office")
    response = client.post_form("/account/password", {
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert _signed_in(client)  # the browser that changed it stays in
    assert not _signed_in(other_browser)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 401
    assert db.session.scalar(select(ApiToken.revoked_at)) is not None


def test_an_admin_reset_ends_every_session_of_the_account(client, app):
    user = make_user("office", "office")
    make_user("admin", "admin")
    victim = app.test_client()
    victim.login("office", )
    token = _api_token(victim)
    client.login("admin")
    response = client.post_form(f"/admin/users/{user.id}/password",
                                {"reset-new_password": NEW_PASSWORD})
    assert response.status_code == 302
    assert not _signed_in(victim)
    assert victim.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code \
        == 401
    assert _signed_in(client)  # the admin's own session is another account's


def _remember_cookie(response) -> str:
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{REMEMBER_COOKIE}="):
            return header
    raise AssertionError("no remember-me cookie")


def test_remember_me_is_random_hashed_rotated_and_lasts_30_days(client, app):
    make_user("office", "office")
    first = client.post_form("/login", {"username": "office", "password": PASSWORD,
                                        "remember": "y"})
    header = _remember_cookie(first)
    assert "HttpOnly" in header and "SameSite=Lax" in header
    value = client.get_cookie(REMEMBER_COOKIE).value
    stored = db.session.scalar(select(LoginSession))
    assert value not in (stored.remember_hash, stored.key_hash)
    assert abs(stored.remember_until - (utcnow() + timedelta(days=30))) < timedelta(minutes=1)

    second_browser = app.test_client()
    second_browser.post_form("/login", {"username": "office", "password": PASSWORD,
                                        "remember": "y"})
    assert second_browser.get_cookie(REMEMBER_COOKIE).value != value

    # A browser restarted (no session cookie) comes back in, and gets a new token.
    restarted = app.test_client()
    restarted.set_cookie(REMEMBER_COOKIE, value, domain="localhost")
    assert _signed_in(restarted)
    rotated = restarted.get_cookie(REMEMBER_COOKIE).value
    assert rotated != value
    stale = app.test_client()  # the old token is worth nothing now
    stale.set_cookie(REMEMBER_COOKIE, value, domain="localhost")
    assert not _signed_in(stale)

    page = restarted.get("/tasks/").get_data(as_text=True)
    restarted.csrf_token = CSRF_RE.search(page).group(1)
    restarted.post_form("/logout")  # log-out ends the remembered log-in too
    again = app.test_client()
    again.set_cookie(REMEMBER_COOKIE, rotated, domain="localhost")
    assert not _signed_in(again)


def test_an_expired_remember_me_token_opens_nothing(client, app):
    make_user("office", "office")
    client.post_form("/login", {"username": "office", "password": PASSWORD, "remember": "y"})
    value = client.get_cookie(REMEMBER_COOKIE).value
    row = db.session.scalar(select(LoginSession))
    row.remember_until = utcnow() - timedelta(seconds=1)
    db.session.commit()
    restarted = app.test_client()
    restarted.set_cookie(REMEMBER_COOKIE, value, domain="localhost")
    assert not _signed_in(restarted)


def test_stale_sessions_are_cleared_at_the_next_log_in(client, app):
    user = make_user("office", "office")
    old = utcnow() - timedelta(days=31)
    db.session.add_all([
        LoginSession(user=user, key_hash="a" * 64, created_at=old),
        LoginSession(user=user, key_hash="b" * 64, remember_hash="c" * 64,
                     remember_until=utcnow() - timedelta(minutes=1)),
        LoginSession(user=user, key_hash="d" * 64, remember_hash="e" * 64, created_at=old,
                     remember_until=utcnow() + timedelta(days=1)),
    ])
    db.session.commit()
    client.login("office")
    kept = set(db.session.scalars(select(LoginSession.key_hash)))
    assert "d" * 64 in kept and not kept & {"a" * 64, "b" * 64} and len(kept) == 2
