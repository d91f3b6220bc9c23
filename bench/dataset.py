"""The large synthetic data set the benchmarks share, built once and cached (git-ignored)."""
import json
import os
import subprocess
import sys
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"
YEAR, UNITS, TASKS = 2022, 100, 5000
AS_OF = "2022-06-15"


def environment(database: Path) -> dict[str, str]:
    return {**os.environ, "TASKBOARD_SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "TASKBOARD_SECRET_KEY": '"bench"', "TASKBOARD_TODAY": AS_OF,
            "TASKBOARD_INSTANCE_PATH": str(CACHE)}


def large_dataset() -> Path:
    """demo --year 2022 --units 100 --tasks 5000 (about 60,000 milestones), as of 2022-06-15."""
    database = CACHE / f"large-{YEAR}-{UNITS}-{TASKS}.db"
    flask = [sys.executable, "-m", "flask", "--app", "taskboard"]
    if database.exists():  # a cache from before a migration is brought up to date
        subprocess.run([*flask, "db", "upgrade"], env=environment(database), check=True,
                       capture_output=True)
        return database
    CACHE.mkdir(exist_ok=True)
    partial = database.with_suffix(".partial")
    for leftover in CACHE.glob(partial.name + "*"):
        leftover.unlink()
    env = environment(partial)
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([*flask, "demo", "--year", str(YEAR), "--units", str(UNITS),
                    "--tasks", str(TASKS)], env=env, check=True, capture_output=True)
    partial.rename(database)
    return database


def run_child(script: str, database: Path) -> dict:
    """Run ``script child`` against ``database`` in a fresh process; its last line is JSON.

    A fresh process per measurement, so that memory and warm caches are its own.
    """
    out = subprocess.run([sys.executable, script, "child"], env=environment(database),
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])
