"""What many people see alike, computed once per version of the data.

A counter in the database (``data_version``) goes up in the same transaction as every write,
so every gunicorn worker and the scheduler agree on it and a committed change is never shown
stale: a cached page is keyed on the counter, the as-of day and its "due soon" horizon (lights
change at midnight with no write), what the viewer may see, the language and the request's
own arguments — never on time alone. Settings and the holiday calendar are rows in the same
database, so changing them moves the counter too.

A second counter moves only with the rows that change seldom (``REFERENCE_TABLES``: units,
holidays, settings, rankings). What is computed from those alone — the
calendar, the follow-up settings, unit names, the latest ranking — is keyed on it
(``cached_reference``), so saving a report or a task does not make every page read them again.

The cache itself lives in each process (a small LRU): a worker computes a page once per
version, then answers from memory.
"""
import secrets
from collections import OrderedDict
from collections.abc import Callable, Hashable
from itertools import chain
from threading import Lock
from typing import Any, TypeVar

from flask import current_app, render_template
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2 import Template
from markupsafe import Markup
from sqlalchemy import BigInteger, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from taskboard import permissions
from taskboard.extensions import db

T = TypeVar("T")
MAX_ENTRIES = 256
# Rows no cached page shows: writing them must not throw every cache away.
UNSHOWN_TABLES = frozenset({"data_version", "api_tokens"})
# Rows that change seldom, with a counter of their own (see the module's docstring).
REFERENCE_TABLES = frozenset({"units", "calendar_days", "settings", "award_months",
                              "award_scores"})
ALL_DATA, REFERENCE = 1, 2  # the two rows of data_version


class DataVersion(db.Model):
    """One row: how many committed transactions have written anything a page may show."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


def _note(session: Session, table_names) -> None:
    """Remember which counters the transaction must move; None is a table not known."""
    shown = {name for name in table_names if name not in UNSHOWN_TABLES}
    if shown:
        session.info["data_changed"] = True
    if None in shown or shown & REFERENCE_TABLES:
        session.info["reference_changed"] = True


def _note_flush(session: Session, _context) -> None:
    changed = chain(session.new, session.dirty, session.deleted)
    _note(session, {obj.__table__.name for obj in changed if hasattr(obj, "__table__")})


def _note_statement(state) -> None:
    # Set-based writes (bulk inserts, UPDATE … WHERE) bypass the flush.
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        _note(state.session, {table.name if table is not None else None})


def _bump(session: Session) -> None:
    """Move the counter in the committing transaction, so it is seen with the change itself.

    The update comes last, which keeps the row lock (PostgreSQL) as short as the commit.
    """
    session.flush()  # commit flushes after this event; what it would write must count too
    if session.info.pop("data_changed", False):
        counters = [ALL_DATA]
        if session.info.pop("reference_changed", False):
            counters.append(REFERENCE)
        bumped = session.execute(update(DataVersion).where(DataVersion.id.in_(counters))
                                 .values(value=DataVersion.value + 1))
        if bumped.rowcount < len(counters):  # the migrations make the rows; an emptied table
            present = set(session.scalars(select(DataVersion.id)))  # lacks them
            session.add_all(DataVersion(id=counter, value=1) for counter in counters
                            if counter not in present)


_VERSIONS = select(DataVersion.id, DataVersion.value).where(
    DataVersion.id.in_((ALL_DATA, REFERENCE)))


def _versions() -> dict[int, int]:
    """Both counters as this transaction sees them, read once per transaction."""
    info = db.session.info
    if "data_version" not in info:
        info["data_version"] = dict(db.session.execute(_VERSIONS).all())
    return info["data_version"]


def data_version() -> int:
    """The counter every write moves."""
    return _versions().get(ALL_DATA, 0)


def _forget(session: Session, transaction) -> None:
    # After a commit or rollback the next read may see a newer counter, and what a rolled
    # back transaction wrote is gone (a savepoint's end keeps the flag: it may be counted).
    session.info.pop("data_version", None)
    if transaction.parent is None:
        session.info.pop("data_changed", None)
        session.info.pop("reference_changed", None)


def register() -> None:
    """Hook every session so that each write moves the counters (called from create_app);
    a second call adds nothing."""
    for name, hook in (("after_flush", _note_flush), ("do_orm_execute", _note_statement),
                       ("before_commit", _bump), ("after_transaction_end", _forget)):
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)


class _Memory:
    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[Hashable, object] = OrderedDict()
        self.lock = Lock()  # gunicorn's threaded workers would share it

    def get(self, key: Hashable) -> object | None:
        with self.lock:
            if key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]
        return None

    def put(self, key: Hashable, value: object) -> None:
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


_memory = _Memory(MAX_ENTRIES)


def cached(key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``'s value for ``key`` at the current data version.

    ``key`` must name everything the value depends on besides the data: the page, the as-of
    day and horizon, what the viewer may see, the language, the arguments.
    """
    return _remembered((data_version(), *key), compute)


def cached_reference(key: tuple, compute: Callable[[], T]) -> T:
    """``compute()``'s value for ``key``, computed from ``REFERENCE_TABLES`` alone: kept until
    one of those changes. What it returns is shared: plain values, never ORM objects."""
    return _remembered(("reference", _versions().get(REFERENCE, 0), *key), compute)


def _remembered(full_key: tuple, compute: Callable[[], T]) -> T:
    value = _memory.get(full_key)
    if value is None:
        value = compute()
        _memory.put(full_key, value)
    return value


def cached_for_viewer(name: str, as_of: Hashable, args: tuple, compute: Callable[[], T],
                      user=None) -> T:
    """``compute()`` once per data version for everyone who sees what ``user`` (by default
    the current one) sees, in the same language, as of the same day, with the same ``args``."""
    viewer = permissions.visibility_key(user or current_user)
    return cached((name, as_of, viewer, str(get_locale()), args), compute)


def cached_page(template_name: str, as_of: Hashable, args: tuple,
                context: Callable[[], dict[str, Any]]) -> str:
    """``template_name`` rendered for the current viewer, its blocks cached per data version.

    ``context()`` gives the template's variables on a miss. What the blocks show may depend
    only on the data, ``as_of``, ``args``, the language and what
    :func:`permissions.visibility_key` says about the viewer; the session's CSRF token is cut
    out before caching and put back on every answer, and base.html (the user's name, the
    bell, flashed messages) is rendered for each request around the cached blocks.
    """
    blocks = cached_for_viewer(template_name, as_of, args,
                               lambda: _render_blocks(template_name, context()))
    token = generate_csrf()
    filled = {name: Markup(html.replace(_CSRF_HOLE, token)) for name, html in blocks.items()}
    return render_template(_frame(tuple(filled)), blocks=filled)


# Stands for the CSRF token in cached blocks; random, so no page text can contain it.
_CSRF_HOLE = f"csrf-{secrets.token_hex(16)}"


def _render_blocks(template_name: str, context: dict[str, Any]) -> dict[str, str]:
    app = current_app._get_current_object()
    template = app.jinja_env.get_template(template_name)
    app.update_template_context(context)
    env = template.new_context(context)
    # Run the template's top-level statements (its macro imports) but not base.html.
    root = template.root_render_func(env)
    next(root, None)
    root.close()
    token = generate_csrf()
    return {name: app.jinja_env.concat(render(env)).replace(token, _CSRF_HOLE)
            for name, render in template.blocks.items()}


def _frame(names: tuple[str, ...]) -> Template:
    """base.html with the given blocks filled from the ``blocks`` variable."""
    frames = current_app.extensions.setdefault("taskboard_page_frames", {})
    if names not in frames:
        frames[names] = current_app.jinja_env.from_string(
            "{% extends 'base.html' %}" + "".join(
                f"{{% block {name} %}}{{{{ blocks.{name} }}}}{{% endblock %}}"
                for name in names))
    return frames[names]


def clear() -> None:
    """Forget everything (tests that swap databases under one process)."""
    _memory.clear()
