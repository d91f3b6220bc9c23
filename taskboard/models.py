"""Every table, imported in one place so that Alembic and create_app see the whole schema."""
from taskboard.account.models import NotificationPreference
from taskboard.auth.models import ApiToken, User
from taskboard.awards.models import AwardMonth, AwardScore
from taskboard.calendar.models import CalendarDay
from taskboard.documents.models import Bulletin, BulletinNumber
from taskboard.followup.models import Notification
from taskboard.meetings.models import Meeting, Proposal
from taskboard.settings_store import Setting
from taskboard.tasks.models import (
    Attachment,
    AuditLog,
    Comment,
    Milestone,
    PlannedValue,
    ProgressReport,
    ReportValue,
    Target,
    Task,
    TaskRequest,
    TaskUnit,
)
from taskboard.units.models import Unit

__all__ = [
    "ApiToken",
    "Attachment",
    "AuditLog",
    "AwardMonth",
    "AwardScore",
    "Bulletin",
    "BulletinNumber",
    "CalendarDay",
    "Comment",
    "Meeting",
    "Milestone",
    "Notification",
    "NotificationPreference",
    "PlannedValue",
    "ProgressReport",
    "Proposal",
    "ReportValue",
    "Setting",
    "Target",
    "Task",
    "TaskRequest",
    "TaskUnit",
    "Unit",
    "User",
]
