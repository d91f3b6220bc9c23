"""Signed-in browsers as rows of LoginSession: ended on the server, checked on every request.

Flask-Login keeps the user id in the signed session cookie; on its own that cookie stays valid
after log-out for whoever copied it. So the cookie also carries a random key, and a request is
signed in only while a LoginSession row holds that key's hash. Log-out deletes the row; a
password change or reset deletes the user's other rows and revokes the API tokens.

"Remember me" is ours too (Flask-Login's cookie is the same value at every log-in and cannot be
revoked): a random token, stored hashed, replaced each time it restores a session, valid
REMEMBER_DAYS.
"""
import hashlib
import secrets
from datetime import UTC, timedelta

from flask import Flask, Request, Response, current_app, g, session
from flask_login import login_user, logout_user
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import joinedload

from taskboard.clock import utcnow
from taskboard.extensions import commit, db, login_manager

from .models import ApiToken, LoginSession, User

SESSION_KEY = "login_key"
REMEMBER_COOKIE = "taskboard_remember"


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _new_key(row: LoginSession) -> None:
    key = secrets.token_urlsafe(32)
    row.key_hash = _digest(key)
    session[SESSION_KEY] = key


def _remember(row: LoginSession) -> None:
    token = secrets.token_urlsafe(32)
    row.remember_hash = _digest(token)
    row.remember_until = utcnow() + timedelta(days=current_app.config["REMEMBER_DAYS"])
    g.remember_cookie = (token, row.remember_until)


def start(user: User, *, remember: bool = False) -> LoginSession:
    """Sign ``user`` in on this browser. The caller commits."""
    # Browsers closed without logging out leave rows behind: the user's stale ones go now.
    now, days = utcnow(), timedelta(days=current_app.config["REMEMBER_DAYS"])
    db.session.execute(delete(LoginSession).where(
        LoginSession.user_id == user.id,
        or_(LoginSession.remember_until < now,
            LoginSession.remember_until.is_(None) & (LoginSession.created_at < now - days))))
    row = LoginSession(user=user)
    _new_key(row)
    if remember:
        _remember(row)
    db.session.add(row)
    db.session.flush()
    login_user(user)  # never Flask-Login's own remember cookie
    g.login_session = row
    return row


def current() -> LoginSession | None:
    """This request's session row (after the user was loaded)."""
    return g.get("login_session")


def end() -> None:
    """Log-out: the row goes, so a copy of this browser's cookies opens nothing. Caller commits."""
    if row := current():
        db.session.delete(row)
    session.pop(SESSION_KEY, None)
    logout_user()
    g.forget_remember = True


def end_all(user: User, *, keep: LoginSession | None = None) -> None:
    """End every session of ``user`` but ``keep``, and revoke the user's API tokens."""
    query = delete(LoginSession).where(LoginSession.user_id == user.id)
    if keep is not None:
        query = query.where(LoginSession.id != keep.id)
    db.session.execute(query)
    db.session.execute(update(ApiToken).where(ApiToken.user_id == user.id,
                                              ApiToken.revoked_at.is_(None))
                       .values(revoked_at=utcnow()))


def _live(row: LoginSession | None) -> User | None:
    return row.user if row is not None and row.user.active else None


def load_user(user_id: str) -> User | None:
    """Flask-Login's user loader: the session cookie counts only while its row exists."""
    key = session.get(SESSION_KEY)
    if not key:
        return None
    row = db.session.scalar(select(LoginSession).options(joinedload(LoginSession.user))
                            .where(LoginSession.key_hash == _digest(key)))
    if row is None or str(row.user_id) != user_id:
        return None
    g.login_session = row
    return _live(row)


def load_remembered(request: Request) -> User | None:
    """Flask-Login's request loader: a live remember-me token opens a new session, rotated."""
    token = request.cookies.get(REMEMBER_COOKIE)
    if not token:
        return None
    row = db.session.scalar(select(LoginSession).options(joinedload(LoginSession.user))
                            .where(LoginSession.remember_hash == _digest(token)))
    if row is None:
        # Kept: when several tabs restore at once, the first rotates the token and this
        # request's answer must not delete the new cookie the first one set.
        return None
    user = _live(row)
    if user is None or row.remember_until <= utcnow():
        g.forget_remember = True
        return None
    # A new key and a new token: a copy of the old cookie is worth nothing from now on.
    _new_key(row)
    _remember(row)
    commit()
    login_user(user)
    g.login_session = row
    return user


def _set_cookie(response: Response) -> Response:
    if remembered := g.get("remember_cookie"):
        token, until = remembered  # stored naive, in UTC
        response.set_cookie(REMEMBER_COOKIE, token, expires=until.replace(tzinfo=UTC),
                            httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    elif g.get("forget_remember"):
        response.delete_cookie(REMEMBER_COOKIE, httponly=True, samesite="Lax",
                               secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def init_app(app: Flask) -> None:
    login_manager.user_loader(load_user)
    login_manager.request_loader(load_remembered)
    app.after_request(_set_cookie)
