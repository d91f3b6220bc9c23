"""Pages under concurrent use: gunicorn with 4 workers, wrk with 10 clients for 10 s a page.

Measured on the large data set (5,000 tasks) on SQLite, again on 1,000 tasks (a page's cost
must not grow with tasks it does not show), and on PostgreSQL when
TASKBOARD_BENCH_DATABASE_URL is set. Every figure goes to bench/results.json.
"""
import json
import os
import shutil
import sys
import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dataset import TASKS, environment, large_dataset, main, postgresql_dataset, run_child
from load import Request, api_token, gunicorn, login_cookie, measure

SECONDS, CLIENTS = 10, 10
SMALL_TASKS = 1000
PASSWORD = "bench-password-1"
LEADER, REPORTER, REPORTER_UNIT = "bench_leader", "bench_reporter", "u001"
RANKED_MONTH = "2022-05"
# Targets on SQLite with 5,000 tasks: requests/s at least, p90 at most (ms).
TARGETS = {"dashboard": (150, 80), "task list": (300, 40), "task page": (300, 40),
           "workspace": (300, None)}
SIZE_TOLERANCE = 1.2  # p50 with 5,000 tasks ≤ 1.2 × p50 with 1,000
POSTGRESQL_TOLERANCE = 1.5  # p50 on PostgreSQL ≤ 1.5 × p50 on SQLite
# Every page's figures by run ("sqlite", "sqlite_small", "postgresql"); run.py saves them.
FIGURES: dict[str, dict[str, dict]] = {}


@dataclass
class Page:
    name: str
    kind: str  # what its targets are (a key of TARGETS), or "" for none
    path: str
    who: str  # "leader", "reporter", "api" (the leader's bearer token) or "" (no session)


def pages(ids: dict) -> list[Page]:
    return [
        Page("/healthz", "", "/healthz", ""),
        Page("dashboard", "dashboard", "/", "leader"),
        Page("dashboard, one unit", "dashboard", f"/?unit={ids['unit_id']}", "leader"),
        Page("task list, page 1", "task list", "/tasks/", "leader"),
        Page("task list, one unit", "task list", f"/tasks/?unit={ids['unit_id']}", "leader"),
        Page("task list, page 50", "task list", "/tasks/?page=50", "leader"),
        Page("task page", "task page", f"/tasks/{ids['task_id']}", "leader"),
        Page("unit workspace", "workspace", "/workspace", "reporter"),
        Page("ranking", "", f"/awards?month={RANKED_MONTH}", "leader"),
        Page("API task list, 50 a page", "", "/api/v1/tasks?per_page=50", "api"),
    ]


def accounts() -> dict:
    """Accounts for a run, a published ranking, and the ids the pages need (app context)."""
    from sqlalchemy import func, select

    from taskboard.auth.models import LEADER as LEADER_ROLE
    from taskboard.auth.models import REPORTER as REPORTER_ROLE
    from taskboard.auth.models import User
    from taskboard.auth.services import create_user, find_unit
    from taskboard.awards import services as awards
    from taskboard.clock import utcnow
    from taskboard.extensions import db
    from taskboard.tasks.models import Task

    unit = find_unit(REPORTER_UNIT)
    for username, role, member_of in ((LEADER, LEADER_ROLE, None),
                                      (REPORTER, REPORTER_ROLE, unit)):
        if db.session.scalar(select(User).where(User.username == username)) is None:
            create_user(username=username, role=role, password=PASSWORD, unit=member_of)
    award = awards.find(RANKED_MONTH)
    if award is None or not award.is_published:
        awards.publish(awards.compute(RANKED_MONTH), None, utcnow())
    task_id = db.session.scalar(select(func.min(Task.id)).where(
        Task.responsible_unit_id == unit.id))
    db.session.commit()
    return {"unit_id": unit.id, "task_id": task_id}


def _child() -> None:
    from taskboard import create_app

    with create_app().app_context():
        print(json.dumps(accounts()))


@dataclass
class _Site:
    """One served database and the headers of each viewer on it."""

    server: object
    ids: dict
    who: dict[str, dict[str, str]]


def _site(stack: ExitStack, database: Path | str) -> _Site:
    ids = run_child(__file__, database)
    server = stack.enter_context(gunicorn(environment(database)))
    base = server.base
    return _Site(server, ids, {
        "": {}, "leader": {"Cookie": login_cookie(base, LEADER, PASSWORD)},
        "reporter": {"Cookie": login_cookie(base, REPORTER, PASSWORD)},
        "api": {"Authorization": f"Bearer {api_token(base, LEADER, PASSWORD)}"}})


def _run(site: _Site, page: Page, *, warm: bool) -> tuple:
    """One measured run of ``page``: its wrk result and the workers' CPU seconds."""
    server = site.server
    request = [Request("GET", page.path, site.who[page.who])]
    if warm:
        measure(server.base, request, seconds=2, connections=CLIENTS)  # every worker warm
    server.settle()
    cpu = server.workers_cpu()
    result = measure(server.base, request, seconds=SECONDS // 2, connections=CLIENTS)
    return result, server.workers_cpu() - cpu


def _figures(page: Page, runs: list[tuple]) -> dict:
    """Two runs as one: rates and CPU over both, latencies the worse of the two."""
    requests = sum(result.requests for result, _cpu in runs)
    worst = {name: max(getattr(result, name) for result, _cpu in runs)
             for name in ("p50_ms", "p90_ms", "p99_ms")}
    return {"kind": page.kind, "path": page.path, "requests": requests,
            "requests_per_s": sum(result.rate for result, _cpu in runs) / len(runs),
            "cpu_ms_per_request": sum(cpu for _result, cpu in runs) * 1000 / max(requests, 1),
            "errors": sum(result.errors for result, _cpu in runs), **worst}


def _measure_all(databases: dict[str, Path | str]) -> dict[str, dict[str, dict]]:
    """Every page on every database. The databases are served side by side and each page is
    measured on them in turns, A B B A, half the time each run: a page's cost on 5,000 and
    on 1,000 tasks is compared under the same conditions of the machine, neither always
    first."""
    figures: dict[str, dict[str, dict]] = {label: {} for label in databases}
    with ExitStack() as stack:
        sites = {label: _site(stack, database) for label, database in databases.items()}
        labels = list(sites)
        for number, page in enumerate(pages(sites[labels[0]].ids)):
            runs: dict[str, list[tuple]] = {label: [] for label in labels}
            for turn, label in enumerate([*labels, *reversed(labels)]):
                own = pages(sites[label].ids)[number]  # the same page, this database's ids
                runs[label].append(_run(sites[label], own, warm=turn < len(labels)))
            for label in labels:
                figures[label][page.name] = _figures(page, runs[label])
    for pages_of in figures.values():
        floor = pages_of["/healthz"]["p50_ms"]
        for page in pages_of.values():
            page["p50_vs_healthz"] = page["p50_ms"] / floor
    return figures


def _print_table(title: str, figures: dict[str, dict]) -> None:
    print(f"\n{title}: {CLIENTS} clients × {SECONDS} s a page, gunicorn 4 workers")
    print(f"  {'page':<28} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} "
          f"{'errors':>6} {'p50/healthz':>11} {'CPU ms/req':>10}")
    for name, f in figures.items():
        print(f"  {name:<28} {f['requests_per_s']:>8.0f} {f['p50_ms']:>8.1f} "
              f"{f['p90_ms']:>8.1f} {f['p99_ms']:>8.1f} {f['errors']:>6} "
              f"{f['p50_vs_healthz']:>11.1f} {f['cpu_ms_per_request']:>10.2f}")


def _rows(runs: dict[str, dict[str, dict]]) -> list[dict]:
    large, small = runs["sqlite"], runs["sqlite_small"]
    rows = []
    for name, f in large.items():
        rate_target, p90_target = TARGETS.get(f["kind"], (None, None))
        if rate_target:
            rows.append({"name": f"{name}: requests/s (SQLite)", "value": f["requests_per_s"],
                         "unit": "/s", "target": rate_target, "higher": True,
                         "ok": f["requests_per_s"] >= rate_target})
        if p90_target:
            rows.append({"name": f"{name}: p90 (SQLite)", "value": f["p90_ms"], "unit": "ms",
                         "target": p90_target, "ok": f["p90_ms"] <= p90_target})
        # Cost is CPU time per request (the app and SQLite run in the worker): unlike
        # wall-clock time it does not rise when other processes take the cores.
        growth = f["cpu_ms_per_request"] / small[name]["cpu_ms_per_request"]
        rows.append({"name": f"{name}: CPU per request, {TASKS:,} tasks ÷ {SMALL_TASKS:,}",
                     "value": growth, "unit": "×", "target": SIZE_TOLERANCE,
                     "ok": growth <= SIZE_TOLERANCE})
    for label, figures in runs.items():
        errors = sum(f["errors"] for f in figures.values())
        rows.append({"name": f"errors, all pages ({label})", "value": errors, "unit": "",
                     "target": 0, "ok": errors == 0})
    if "postgresql" in runs:
        # PostgreSQL's own work runs in its server processes, shared with whoever else uses
        # it: compare each run's p50 as a multiple of its own /healthz p50.
        for name, f in runs["postgresql"].items():
            if name == "/healthz":
                continue
            ratio = f["p50_vs_healthz"] / large[name]["p50_vs_healthz"]
            rows.append({"name": f"{name}: p50/healthz, PostgreSQL ÷ SQLite", "value": ratio,
                         "unit": "×", "target": POSTGRESQL_TOLERANCE,
                         "ok": ratio <= POSTGRESQL_TOLERANCE})
    return rows


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as scratch:
        databases = {}
        for label, tasks in (("sqlite", TASKS), ("sqlite_small", SMALL_TASKS)):
            databases[label] = Path(scratch) / f"{label}.db"
            shutil.copyfile(large_dataset(tasks), databases[label])
        runs = _measure_all(databases)
    _print_table(f"SQLite, {TASKS:,} tasks", runs["sqlite"])
    _print_table(f"SQLite, {SMALL_TASKS:,} tasks", runs["sqlite_small"])
    if url := os.environ.get("TASKBOARD_BENCH_DATABASE_URL"):
        runs |= _measure_all({"postgresql": postgresql_dataset(url)})
        _print_table(f"PostgreSQL, {TASKS:,} tasks", runs["postgresql"])
    FIGURES.update(runs)
    return _rows(runs)


if __name__ == "__main__":
    main(run, _child)
