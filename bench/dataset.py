"""The large synthetic data set the benchmarks share, built once and cached (git-ignored)."""
import json
import os
import subprocess
import sys
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
YEAR, UNITS, TASKS = 2022, 100, 5000
AS_OF = "2022-06-15"
FLASK = [sys.executable, "-m", "flask", "--app", "taskboard"]


def environment(database: Path | str) -> dict[str, str]:
    """The app's environment for a SQLite file or a database URL."""
    url = database if isinstance(database, str) else f"sqlite:///{database}"
    # The load generator is one address standing for many people logging in at once.
    return {**os.environ, "TASKBOARD_SQLALCHEMY_DATABASE_URI": url,
            "TASKBOARD_SECRET_KEY": '"bench"', "TASKBOARD_TODAY": AS_OF,
            "TASKBOARD_INSTANCE_PATH": str(CACHE), "TASKBOARD_LOGIN_ADDRESS_LIMIT": "100000"}


def _load(env: dict[str, str], tasks: int) -> None:
    subprocess.run([*FLASK, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([*FLASK, "demo", "--year", str(YEAR), "--units", str(UNITS),
                    "--tasks", str(tasks)], env=env, check=True, capture_output=True)


def large_dataset(tasks: int = TASKS) -> Path:
    """demo --year 2022 --units 100 --tasks 5000 (about 60,000 milestones), as of 2022-06-15."""
    database = CACHE / f"large-{YEAR}-{UNITS}-{tasks}.db"
    if database.exists():  # a cache from before a migration is brought up to date
        subprocess.run([*FLASK, "db", "upgrade"], env=environment(database), check=True,
                       capture_output=True)
        return database
    CACHE.mkdir(exist_ok=True)
    partial = database.with_suffix(".partial")
    for leftover in CACHE.glob(partial.name + "*"):
        leftover.unlink()
    _load(environment(partial), tasks)
    partial.rename(database)
    return database


def postgresql_dataset(url: str, tasks: int = TASKS) -> str:
    """The same data set in the PostgreSQL database ``url``, loaded unless already there.

    The public schema is dropped and rebuilt when it holds anything else.
    """
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        loaded = conn.scalar(text(
            "SELECT to_regclass('public.tasks') IS NOT NULL AND "
            "(SELECT count(*) FROM information_schema.tables WHERE table_name = 'tasks') > 0"))
        if loaded:
            loaded = conn.scalar(text(
                "SELECT count(*) FROM tasks WHERE title LIKE '合成事项%'")) == tasks
        if not loaded:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    if loaded:
        subprocess.run([*FLASK, "db", "upgrade"], env=environment(url), check=True,
                       capture_output=True)
    else:
        _load(environment(url), tasks)
    return url


def run_child(script: str, database: Path | str) -> dict:
    """Run ``script child`` against ``database`` in a fresh process; its last line is JSON.

    A fresh process per measurement, so that memory and warm caches are its own.
    """
    out = subprocess.run([sys.executable, script, "child"], env=environment(database),
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(run, child=None) -> None:
    """A benchmark module run as a script: ``child`` in the measured process, else its rows."""
    if child is not None and sys.argv[1:] == ["child"]:
        child()
        return
    for row in run():
        print(row)
