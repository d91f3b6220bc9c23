"""The scheduler process: `flask --app taskboard scheduler`.

One dedicated process, never inside web workers (a job store cannot be shared between
processes). When several are started, one leader is elected — a PostgreSQL session advisory
lock, or a file lock beside the SQLite database — and the others wait as standbys. The jobs do
not trust the schedule for correctness: each sweep asks what is owed as of today.
"""
import fcntl
import logging
import time
from datetime import timedelta
from pathlib import Path
from typing import IO

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy import text

from taskboard.calendar.workdays import WorkCalendar
from taskboard.clock import SHANGHAI, today, utcnow
from taskboard.extensions import commit, db

log = logging.getLogger("taskboard.scheduler")
ADVISORY_KEY = 0x7A5B0A2D  # "taskboard scheduler", any constant shared by all instances
STANDBY_SECONDS = 30
_app: Flask | None = None


# ---- jobs: module-level functions, each inside the app context ---------------------------

def sweep_job() -> None:
    """08:00 every day; on working days, sweep and deliver."""
    from taskboard.followup.services import run_sweep

    with _app.app_context():
        day = today()
        if WorkCalendar.load().is_workday(day):
            log.info("sweep %s", run_sweep(day))


def send_job() -> None:
    from taskboard.followup.senders import deliver

    with _app.app_context():
        result = deliver(utcnow())
        if result.sent or result.failed:
            log.info("sent %d, failed %d", result.sent, result.failed)


def awards_job() -> None:
    """Daily; computes last month once (normally on the month's first working day)."""
    from taskboard.awards.services import compute_previous_month

    with _app.app_context():
        if WorkCalendar.load().is_workday(today()) and compute_previous_month(today()):
            commit()


def digest_job() -> None:
    """Daily at 08:30; the outbox makes this week's digests once, so Monday's are sent on
    Monday and a missed Monday is made up when the scheduler is back."""
    from taskboard.digest.services import enqueue_week

    with _app.app_context():
        day = today()
        enqueue_week(day - timedelta(days=day.weekday()))
        commit()


def build(app: Flask) -> BlockingScheduler:
    global _app
    _app = app
    scheduler = BlockingScheduler(timezone=SHANGHAI, job_defaults={
        "coalesce": True,            # after downtime, one run instead of a burst
        "max_instances": 1,
        "misfire_grace_time": 6 * 3600,
    })
    scheduler.add_job(sweep_job, CronTrigger(hour=8, minute=0, timezone=SHANGHAI),
                      id="sweep", replace_existing=True)
    scheduler.add_job(send_job, IntervalTrigger(minutes=1, timezone=SHANGHAI),
                      id="send", replace_existing=True)
    scheduler.add_job(awards_job, CronTrigger(hour=8, minute=10, timezone=SHANGHAI),
                      id="awards", replace_existing=True)
    scheduler.add_job(digest_job, CronTrigger(hour=8, minute=30, timezone=SHANGHAI),
                      id="digest", replace_existing=True)
    return scheduler


# ---- leader election ----------------------------------------------------------------------

class LeaderLock:
    """Held for the life of the process by the one scheduler that runs the jobs."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.connection = None
        self.file: IO | None = None

    def acquire(self) -> bool:
        with self.app.app_context():
            if db.engine.dialect.name == "postgresql":
                self.connection = db.engine.connect()
                got = self.connection.execute(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}).scalar()
                self.connection.commit()
                if not got:
                    self.connection.close()
                    self.connection = None
                return bool(got)
        path = Path(self.app.instance_path) / "scheduler.lock"
        self.file = path.open("a")
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.file.close()
            self.file = None
            return False
        return True

    def release(self) -> None:
        if self.connection is not None:
            self.connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                    {"key": ADVISORY_KEY})
            self.connection.close()
            self.connection = None
        if self.file is not None:
            fcntl.flock(self.file, fcntl.LOCK_UN)
            self.file.close()
            self.file = None


def run(app: Flask) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    lock = LeaderLock(app)
    while not lock.acquire():
        log.info("another scheduler is the leader; standing by")
        time.sleep(STANDBY_SECONDS)
    log.info("leader: scheduling the daily sweep at 08:00 and delivery every minute")
    try:
        build(app).start()
    finally:
        lock.release()
