"""Meetings: recording the source of tasks. The caller commits."""
from datetime import date

from taskboard.auth.models import User
from taskboard.extensions import db

from .models import Meeting


def create_meeting(
    *, title: str, meeting_date: date, kind: str, full_text: str, created_by: User | None
) -> Meeting:
    meeting = Meeting(title=title.strip(), meeting_date=meeting_date, kind=kind,
                      full_text=full_text, created_by_id=created_by.id if created_by else None)
    db.session.add(meeting)
    db.session.flush()
    return meeting
