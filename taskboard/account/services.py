from taskboard.auth.models import User
from taskboard.extensions import db
from taskboard.permissions import receives_digest

from .models import NotificationPreference


def save_preferences(user: User, *, email: bool, digest: bool) -> None:
    """E-mail on or off for anyone; the digest only for those who get one. Caller commits."""
    preference = db.session.get(NotificationPreference, user.id)
    if preference is None:
        preference = NotificationPreference(user_id=user.id)
        db.session.add(preference)
    preference.email = email
    if receives_digest(user):
        user.digest_opt_out = not digest
