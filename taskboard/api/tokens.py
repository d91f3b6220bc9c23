"""Bearer tokens: random, stored as SHA-256, expiring, revocable."""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from taskboard.auth.models import ApiToken, User
from taskboard.clock import utcnow
from taskboard.extensions import db


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(user: User, ttl_seconds: int) -> tuple[str, ApiToken]:
    token = secrets.token_urlsafe(32)
    record = ApiToken(user=user, token_hash=_digest(token),
                      expires_at=utcnow() + timedelta(seconds=ttl_seconds))
    db.session.add(record)
    db.session.flush()
    return token, record


def find(token: str) -> ApiToken | None:
    """The live token record for ``token``: not expired, not revoked, its user active."""
    record = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if record is None or record.revoked_at is not None or record.expires_at <= utcnow():
        return None
    return record if record.user.active else None


def revoke(record: ApiToken) -> None:
    record.revoked_at = utcnow()
    db.session.flush()
