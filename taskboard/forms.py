"""Pieces every domain's forms share."""
from collections.abc import Callable
from decimal import Decimal

from flask import flash
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DecimalField, SelectField, SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from taskboard.auth.models import LEADER, User
from taskboard.clock import year_error
from taskboard.errors import Conflict, ValidationError
from taskboard.extensions import commit, db
from taskboard.units.models import Unit


class WithinYears:
    """A date field's validator: the date falls in the years Taskboard keeps (clock.py)."""

    def __call__(self, form: FlaskForm, field) -> None:
        if field.data is not None and (message := year_error(field.data.year)):
            raise StopValidation(message)


def apply_errors(form: FlaskForm, error: ValidationError, beside: dict | None = None) -> None:
    """Show a service's errors beside the form's fields (or at the top when no field matches);
    ``beside`` names the fields of rows the service calls otherwise ("value-<target id>")."""
    for name, message in error.errors.items():
        field = (beside or {}).get(name, getattr(form, name, None))
        if field is not None and hasattr(field, "errors"):
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def saved(form: FlaskForm, action: Callable[[], object]) -> bool:
    """Run the service call behind a submitted form as one transaction.

    True once committed; False, with the changes rolled back and the service's messages
    beside the form's fields, when it refused the input.
    """
    try:
        action()
    except ValidationError as error:
        db.session.rollback()
        apply_errors(form, error)
        return False
    commit()
    return True


def error_messages(errors) -> list[str]:
    """A form's errors, nested field lists included, as one flat list of messages."""
    if isinstance(errors, dict):
        errors = list(errors.values())
    if not isinstance(errors, list | tuple):
        return [str(errors)]  # one message, a lazy string included
    return [message for value in errors for message in error_messages(value)]


def refusal_messages(error: ValidationError | Conflict) -> list[str]:
    return [error.message] if isinstance(error, Conflict) else list(error.errors.values())


def committed(action: Callable[[], object], success: str) -> bool:
    """Run the service call behind a button (no form to show errors on) as one transaction:
    commit and flash ``success``, or roll back and flash why it was refused."""
    try:
        action()
    except (Conflict, ValidationError) as error:
        db.session.rollback()
        for message in refusal_messages(error):
            flash(message, "danger")
        return False
    commit()
    flash(success, "success")
    return True


def to_choices(pairs, blank: str | None = None) -> list[SelectChoice]:
    """(value, label) pairs as select options, with an optional blank first option."""
    options = [SelectChoice(value=value, label=str(label)) for value, label in pairs]
    return [SelectChoice(value="", label=blank), *options] if blank is not None else options


def leader_choices() -> list[tuple[int, str]]:
    query = (select(User.id, User.display_name)
             .where(User.role == LEADER, User.active.is_(True)).order_by(User.display_name))
    return [(user_id, name) for user_id, name in db.session.execute(query)]


def unit_choices(active_only: bool = True) -> list[tuple[int, str]]:
    query = select(Unit.id, Unit.name).order_by(Unit.name)
    if active_only:
        query = query.where(Unit.active.is_(True))
    return [(unit_id, name) for unit_id, name in db.session.execute(query)]


def optional_int(value) -> int | None:
    return None if value in ("", None, "None") else int(value)


class OptionalIntSelectField(SelectField):
    """A select of ids whose blank option means None."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", optional_int)
        super().__init__(*args, **kwargs)


def plain(value) -> str:
    """60, 1.5 and 0.42 — never 60.0000 (a Numeric column) or 6E+1 (Decimal.normalize)."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return "" if value is None else str(value)


class PlainDecimalField(DecimalField):
    """Shows 60 and 1.5, not 60.0000 (how Numeric columns come back) or 6E+1."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("places", None)
        super().__init__(*args, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return plain(self.data)


class IntMultipleField(SelectMultipleField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("coerce", int)
        super().__init__(*args, **kwargs)
