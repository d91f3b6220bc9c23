"""make loadtest: 30 people at once for 60 s against gunicorn (4 workers), with the
benchmark's load generator (bench/load.py, wrk), on SQLite and — when
TASKBOARD_BENCH_DATABASE_URL is set — on PostgreSQL.

12 reporters submit monthly reports through the API, 6 of the office review reports waiting
for them, 12 leaders read the dashboard, the task list, a task and the ranking. It passes when
no answer is a server error, the server never logged "database is locked", every report
answered 201 is in the database, and every review answered 200 is stored.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dataset import environment, large_dataset, postgresql_dataset
from load import Request, api_token, gunicorn, login_cookie, machine, wrk

SECONDS = 60
REPORTERS, OFFICE, LEADERS = 12, 6, 12
THINK_MS = {"reporters": 1000, "office": 1000, "leaders": 500}
SEEDED_REPORTS = 400  # waiting for the office when the test starts
PASSWORD = "loadtest-password-1"
RANKED_MONTH = "2022-05"
MARK = "压力测试报告"


def _setup() -> dict:
    """Accounts, reports waiting for review, and the months each reporter still owes."""
    from sqlalchemy import func, select

    from taskboard import create_app
    from taskboard.auth.models import LEADER, OFFICE, REPORTER, User
    from taskboard.auth.services import create_user, find_unit
    from taskboard.awards import services as awards
    from taskboard.calendar.workdays import WorkCalendar
    from taskboard.clock import today, utcnow
    from taskboard.extensions import db
    from taskboard.tasks import workflow
    from taskboard.tasks.models import Milestone, Task, TaskStatus

    app = create_app()
    with app.app_context():
        day, calendar = today(), WorkCalendar.load()

        def account(username: str, role: str, unit=None) -> User:
            user = db.session.scalar(select(User).where(User.username == username))
            return user or create_user(username=username, role=role, password=PASSWORD,
                                       unit=unit)

        def owed(unit_id: int, limit: int) -> list[Milestone]:
            return db.session.scalars(
                select(Milestone).join(Task).where(
                    Task.responsible_unit_id == unit_id, Task.deleted_at.is_(None),
                    Task.status.in_(TaskStatus.LIVE), Milestone.reported.is_(False),
                    Milestone.due_date <= day.replace(day=28))
                .order_by(Milestone.due_date, Milestone.id).limit(limit)).all()

        account("lt_office", OFFICE)
        leaders = [account(f"lt_leader{n:02d}", LEADER).username for n in range(1, LEADERS + 1)]
        reporters = {}
        for n in range(1, REPORTERS + 1):
            unit = find_unit(f"u{n:03d}")
            user = account(f"lt_reporter{n:02d}", REPORTER, unit)
            # Each month with its targets, all ticked 暂无数据 (no figures this month).
            reporters[user.username] = [[m.id, [t.id for t in m.task.targets]]
                                        for m in owed(unit.id, 200)]
        seeded = []
        for n in range(51, 101):
            unit = find_unit(f"u{n:03d}")
            author = db.session.scalar(select(User).where(User.unit_id == unit.id,
                                                          User.role == REPORTER))
            for milestone in owed(unit.id, SEEDED_REPORTS // 50):
                seeded.append(workflow.submit_report(
                    milestone, author, text=f"{MARK}（待审）", values={}, files=[], today=day,
                    calendar=calendar, no_data=[t.id for t in milestone.task.targets]))
        award = awards.find(RANKED_MONTH)
        if award is None or not award.is_published:
            awards.publish(awards.compute(RANKED_MONTH), None, utcnow())
        db.session.commit()
        return {"leaders": leaders, "reporters": reporters,
                "pending": [report.id for report in seeded],
                "task_id": db.session.scalar(select(func.min(Task.id)))}


def _verify(created: list[int], seeded: list[int]) -> dict:
    """Which reports answered 201 the database lacks; how many seeded reports were decided."""
    from sqlalchemy import func, select

    from taskboard import create_app
    from taskboard.extensions import db
    from taskboard.tasks.models import ProgressReport

    app = create_app()
    with app.app_context():
        stored = set(db.session.scalars(select(ProgressReport.id).where(
            ProgressReport.id.in_(created), ProgressReport.text.startswith(MARK))))
        decided = db.session.scalar(select(func.count()).where(
            ProgressReport.id.in_(seeded), ProgressReport.review_status != "pending"))
        return {"reports_missing": sorted(set(created) - stored), "decided": decided}


def _child(name: str, database: str, payload: dict | None = None) -> dict:
    out = subprocess.run([sys.executable, __file__, name, json.dumps(payload or {})],
                         env=environment(database), check=True, capture_output=True,
                         text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _workload(base: str, plan: dict) -> dict[str, list[Request]]:
    json_headers = {"Content-Type": "application/json"}
    submits = []
    for username, milestones in plan["reporters"].items():
        bearer = {"Authorization": f"Bearer {api_token(base, username, PASSWORD)}",
                  **json_headers}
        submits += [Request("POST", f"/api/v1/milestones/{m}/reports", bearer, json.dumps(
            {"text": f"{MARK}：{username} 第 {m} 号节点", "values": {}, "no_data": targets},
            ensure_ascii=False)) for m, targets in milestones]
    office = {"Authorization": f"Bearer {api_token(base, 'lt_office', PASSWORD)}",
              **json_headers}
    reviews = [Request("POST", f"/api/v1/reports/{r}/review", office,
                       json.dumps({"decision": "accept" if r % 5 else "return",
                                   "comment": "请补充佐证材料" if r % 5 == 0 else ""},
                                  ensure_ascii=False)) for r in plan["pending"]]
    pages = ["/", "/tasks/", f"/tasks/{plan['task_id']}", f"/awards?month={RANKED_MONTH}",
             "/tasks/?page=3"]
    reads = [Request("GET", page, {"Cookie": login_cookie(base, leader, PASSWORD)})
             for leader in plan["leaders"] for page in pages]
    # Interleave the reporters' months so that every reporter is busy from the start.
    submits.sort(key=lambda r: int(r.path.split("/")[4]) % 97)
    return {"reporters": submits, "office": reviews, "leaders": reads}


def run_on(label: str, database: str) -> dict:
    plan = _child("setup", database)
    env = environment(database)
    with gunicorn(env) as server:
        work = _workload(server.base, plan)
        people = {"reporters": REPORTERS, "office": OFFICE, "leaders": LEADERS}
        with ExitStack() as stack:
            runs = {role: stack.enter_context(wrk(
                server.base, work[role], seconds=SECONDS, connections=people[role],
                threads=2, once=role != "leaders", think_ms=THINK_MS[role]))
                for role in people}
    results = {role: run.result for role, run in runs.items()}
    created = results["reporters"].created
    reviewed = results["office"].statuses.get("200", 0)
    held = _child("verify", database, {"created": created, "seeded": plan["pending"]})
    figures = {
        "database": label,
        "roles": {role: {"people": people[role], "requests": r.requests,
                         "requests_per_s": r.rate, "p50_ms": r.p50_ms, "p90_ms": r.p90_ms,
                         "p99_ms": r.p99_ms, "statuses": r.statuses,
                         "server_errors": r.server_errors} for role, r in results.items()},
        "reports_submitted": results["reporters"].statuses.get("201", 0),
        "reports_ids_seen": len(created),
        "reports_missing": held["reports_missing"],
        "reviews_answered_200": reviewed,
        # Only the office decides the seeded reports: each 200 is one decided report, and a
        # review still in flight when wrk stops (one per person at most) may be stored too.
        "reviews_stored": held["decided"],
        "database_locked": server.log.count("database is locked"),
        "tracebacks": server.log.count("Traceback"),
    }
    figures["ok"] = (all(r.server_errors == 0 for r in results.values())
                     and figures["database_locked"] == 0 and figures["tracebacks"] == 0
                     and not figures["reports_missing"]
                     and figures["reports_submitted"] == len(created)
                     and reviewed <= figures["reviews_stored"] <= reviewed + OFFICE)
    return figures


def _report(figures: dict) -> None:
    print(f"\n{figures['database']}: {SECONDS} s, gunicorn 4 workers — "
          f"{'PASS' if figures['ok'] else 'FAIL'}")
    for role, f in figures["roles"].items():
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(f["statuses"].items()))
        print(f"  {role:<9} {f['people']:>2} people  {f['requests']:>6} requests "
              f"({f['requests_per_s']:.1f}/s)  p50 {f['p50_ms']:.0f} ms  p90 {f['p90_ms']:.0f} ms"
              f"  p99 {f['p99_ms']:.0f} ms  server errors {f['server_errors']}  [{statuses}]")
    print(f"  reports answered 201: {figures['reports_submitted']}, missing afterwards: "
          f"{len(figures['reports_missing'])}; reviews answered 200: "
          f"{figures['reviews_answered_200']}, stored: {figures['reviews_stored']}; "
          f"\"database is locked\" in the log: {figures['database_locked']}; "
          f"tracebacks: {figures['tracebacks']}")


def main() -> int:
    print(f"Machine: {machine()}")
    results = []
    with tempfile.TemporaryDirectory() as scratch:
        database = Path(scratch) / "loadtest.db"
        shutil.copyfile(large_dataset(), database)
        results.append(run_on("SQLite", f"sqlite:///{database}"))
        _report(results[-1])
    if url := os.environ.get("TASKBOARD_BENCH_DATABASE_URL"):
        results.append(run_on("PostgreSQL", postgresql_dataset(url)))
        _report(results[-1])
    (Path(__file__).resolve().parent / "loadtest.json").write_text(
        json.dumps({"machine": machine(), "runs": results}, ensure_ascii=False, indent=1) + "\n")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["setup"]:
        print(json.dumps(_setup()))
    elif sys.argv[1:2] == ["verify"]:
        print(json.dumps(_verify(**json.loads(sys.argv[2]))))
    else:
        sys.exit(main())
