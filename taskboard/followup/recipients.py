"""Who hears about a task: its units' people, its lead leader, the office — as SQL selects."""
from sqlalchemy import Select, and_, select, union_all

from taskboard.account.models import mail_address, preference_join
from taskboard.auth.models import OFFICE, REPORTER, UNIT_HEAD, User
from taskboard.tasks.models import CO_RESPONSIBLE, Task, TaskUnit
from taskboard.units.models import Unit

UNIT_PEOPLE = (REPORTER, UNIT_HEAD)


def accountable_units():
    """(task_id, unit_id) for each task's responsible and co-responsible units."""
    return union_all(
        select(Task.id.label("task_id"), Task.responsible_unit_id.label("unit_id")),
        select(TaskUnit.task_id.label("task_id"), TaskUnit.unit_id.label("unit_id"))
        .where(TaskUnit.role == CO_RESPONSIBLE),
    ).subquery("accountable")


def _people(owed) -> Select:
    """(owed.*, user id, address); the address is null for who chose in-app messages only."""
    return select(owed, User.id.label("user_id"), mail_address().label("email"))


def unit_people(owed, roles=UNIT_PEOPLE) -> Select:
    """(owed.*, user) for the people of the units accountable for each owed row's task."""
    units = accountable_units()
    return (_people(owed)
            .join(units, units.c.task_id == owed.c.task_id)
            .join(User, and_(User.unit_id == units.c.unit_id, User.role.in_(roles),
                             User.active.is_(True)))
            .outerjoin(*preference_join()))


def lead_leader(owed) -> Select:
    return (_people(owed)
            .join(Task, Task.id == owed.c.task_id)
            .join(User, and_(User.id == Task.lead_leader_id, User.active.is_(True)))
            .outerjoin(*preference_join()))


def office(owed) -> Select:
    return (_people(owed)
            .join(User, and_(User.role == OFFICE, User.active.is_(True)))
            .outerjoin(*preference_join()))


def unit_robots(owed) -> Select:
    """(owed.*, unit) for the accountable units that have a group-robot webhook."""
    units = accountable_units()
    return (select(owed, Unit.id.label("unit_id"))
            .join(units, units.c.task_id == owed.c.task_id)
            .join(Unit, and_(Unit.id == units.c.unit_id, Unit.active.is_(True),
                             Unit.webhook_url.is_not(None), Unit.webhook_url != "")))
