"""flask commands: users, demo, backup. Bad input exits 1 with a message in Chinese on stderr."""
import json
import os
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from taskboard.auth import services as auth_services
from taskboard.auth.models import User
from taskboard.clock import FIRST_YEAR, LAST_YEAR, today, utcnow, year_error
from taskboard.errors import Conflict, ValidationError
from taskboard.extensions import commit, db


def fail(message: str) -> NoReturn:
    db.session.rollback()
    click.echo(message, err=True)
    sys.exit(1)


def fail_validation(error: ValidationError) -> NoReturn:
    fail("\n".join(f"{field}：{message}" for field, message in error.errors.items()))


class Command(click.Command):
    """Click's own usage errors exit 2 in English; ours exit 1 with a Chinese lead-in."""

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as error:
            click.echo(f"参数有误：{error.format_message()}（用 --help 查看用法）", err=True)
            sys.exit(1)


users_cli = AppGroup("users", help="账号管理 / Manage accounts.")


@users_cli.command("create", cls=Command)
@click.argument("username")
@click.option("--role", default="", help="admin / office / leader / unit_head / reporter")
@click.option("--unit", "unit_code", default=None, help="单位代码 (unit code)")
@click.option("--email", default=None)
@click.option("--display-name", default="")
@click.option("--password", default="")
def create_user(username: str, role: str, unit_code: str | None, email: str | None,
                display_name: str, password: str) -> None:
    """Create an account."""
    try:
        unit = auth_services.find_unit(unit_code) if unit_code else None
        user = auth_services.create_user(username=username, role=role, password=password,
                                         unit=unit, email=email, display_name=display_name)
    except ValidationError as error:
        fail_validation(error)
    commit()
    click.echo(_("已创建账号 %(name)s（%(role)s）。", name=user.username, role=user.role))


@users_cli.command("list", cls=Command)
@click.option("--json", "as_json", is_flag=True, help="print a JSON array")
def list_users(as_json: bool) -> None:
    """List accounts."""
    users = db.session.scalars(
        select(User).options(joinedload(User.unit)).order_by(User.id)
    ).all()
    rows = [{"username": u.username, "display_name": u.display_name, "role": u.role,
             "unit": u.unit.name if u.unit else None, "email": u.email} for u in users]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['username']:<24} {row['role']:<10} {row['display_name']} "
                   f"{row['unit'] or ''} {row['email'] or ''}")


@click.command("demo", cls=Command)
@with_appcontext
@click.option("--year", type=int, default=None, help="演示数据所在年份，默认今年")
@click.option("--units", "unit_count", type=int, default=None, help="合成数据：单位数")
@click.option("--tasks", "task_count", type=int, default=None, help="合成数据：事项数")
@click.option("--if-empty", is_flag=True, help="只在数据库没有任何账号时加载")
def demo_command(year: int | None, unit_count: int | None, task_count: int | None,
                 if_empty: bool) -> None:
    """Load demo data (the 2022 务虚会 speech, moved into YEAR) or a large synthetic set."""
    from taskboard.demo import loader

    year = year or today().year
    if message := year_error(year):
        fail(message)
    if (unit_count is None) != (task_count is None):
        fail(_("--units 和 --tasks 要一起给出。"))
    if if_empty and db.session.scalar(select(User.id).limit(1)) is not None:
        click.echo(_("数据库已有数据，跳过演示数据。"))
        return
    password = current_app.config["DEMO_PASSWORD"]
    if unit_count is not None:
        if unit_count < 1 or task_count < 1:
            fail(_("--units 和 --tasks 必须是正整数。"))
        summary: dict[str, Any] = loader.load_synthetic(
            year=year, unit_count=unit_count, task_count=task_count, password=password,
            today=today(),
        )
        click.echo(json.dumps(summary, ensure_ascii=False))
        return
    accounts = loader.load_demo(year=year, password=password, today=today())
    click.echo(_("演示数据已加载（%(year)d 年）。账号（密码：%(pw)s）：", year=year, pw=password))
    for username, role, unit in accounts:
        click.echo(f"  {username:<24} {role:<10} {unit or ''}")
    # The first look is alive: the bell, the cards and the 红牌 panel show before any 08:00.
    from taskboard.followup.services import run_sweep

    result = run_sweep(today())
    click.echo(_("首次督办（%(today)s）：提醒 %(reminders)d 条，督办 %(escalations)d 条。",
                 **result))


minutes_cli = AppGroup("minutes", help="讲话/纪要解析 / Parse speeches and minutes.")


def _read_minutes(path: str) -> str:
    from taskboard.meetings.extract import text_from_upload

    try:
        data = Path(path).read_bytes()
    except OSError as error:
        fail(_("无法读取文件 %(path)s：%(error)s", path=path, error=error.strerror))
    try:
        return text_from_upload(path, data)
    except ValidationError as error:
        fail_validation(error)


@minutes_cli.command("parse", cls=Command)
@click.argument("path", metavar="FILE")
@click.option("--year", type=click.IntRange(FIRST_YEAR, LAST_YEAR), default=None, help="任务年度")
@click.option("--all", "include_all", is_flag=True, help="也列出可信度低于 0.5 的建议")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
def parse_minutes_command(path: str, year: int | None, include_all: bool, as_json: bool) -> None:
    """Print the tasks proposed from FILE (.txt, .docx, .xlsx or PDF)."""
    from taskboard.meetings.parser import parse_minutes

    result = parse_minutes(_read_minutes(path), year=year, today=today(),
                           include_low_confidence=include_all)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    for number, proposal in enumerate(result.proposals, 1):
        click.echo(f"{number}. [{proposal.category}] {proposal.title}  "
                   f"({proposal.confidence:.2f})")
        details = [f"牵头：{proposal.lead}" if proposal.lead else "",
                   f"负责：{'、'.join(proposal.units)}" if proposal.units else "",
                   f"配合：{'、'.join(proposal.cooperating)}" if proposal.cooperating else "",
                   f"时限：{proposal.deadline.isoformat()}" if proposal.deadline else ""]
        targets = [f"{t.metric}{t.comparator}{'**' if t.value is None else t.value}{t.unit}"
                   for t in proposal.targets]
        line = "；".join(d for d in [*details, *targets] if d)
        if line:
            click.echo(f"   {line}")


@minutes_cli.command("import", cls=Command)
@click.argument("path", metavar="FILE")
@click.option("--title", default="", help="会议名称")
@click.option("--date", "meeting_date", default="", help="会议日期 YYYY-MM-DD")
@click.option("--kind", default="speech", help="speech / minutes / document / instruction")
@click.option("--year", type=click.IntRange(FIRST_YEAR, LAST_YEAR), default=None, help="任务年度")
@click.option("--allow-same-text", is_flag=True, help="文字与已登记的会议相同时仍然导入")
def import_minutes_command(path: str, title: str, meeting_date: str, kind: str,
                           year: int | None, allow_same_text: bool) -> None:
    """Store a meeting and its proposed tasks for review on the web page."""
    from taskboard.meetings.services import create_meeting

    try:
        day = date.fromisoformat(meeting_date)
    except ValueError:
        fail(_("--date 必须是 YYYY-MM-DD 格式的日期。"))
    text = _read_minutes(path)
    try:
        meeting = create_meeting(title=title, meeting_date=day, kind=kind, full_text=text,
                                 created_by=None, year=year, allow_same_text=allow_same_text)
    except ValidationError as error:
        fail_validation(error)
    commit()
    proposed = sum(p.selected for p in meeting.proposals)
    click.echo(_("已导入“%(title)s”（编号 %(id)d）：%(n)d 条建议事项待核对，"
                 "见 /meetings/%(id)d/review", title=meeting.title, id=meeting.id, n=proposed))


followup_cli = AppGroup("followup", help="催办 / Reminders, escalation and delivery.")


@followup_cli.command("sweep", cls=Command)
@click.option("--today", "day", default=None, help="按哪一天督办 YYYY-MM-DD（默认今天）")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
def sweep_command(day: str | None, as_json: bool) -> None:
    """Create what is owed as of a day, then deliver it."""
    from taskboard.followup.services import run_sweep

    try:
        as_of = date.fromisoformat(day) if day else today()
    except ValueError:
        fail(_("--today 必须是 YYYY-MM-DD 格式的日期。"))
    result = run_sweep(as_of)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
    else:
        click.echo(_("%(today)s：提醒 %(reminders)d 条，督办 %(escalations)d 条，"
                     "已送达 %(sent)d 条，失败 %(failed)d 条。", **result))


@followup_cli.command("send", cls=Command)
@click.option("--json", "as_json", is_flag=True, help="print JSON")
def send_command(as_json: bool) -> None:
    """Deliver what is pending in the outbox."""
    from dataclasses import asdict

    from taskboard.followup.senders import deliver

    result = asdict(deliver(utcnow()))
    click.echo(json.dumps(result) if as_json else
               _("已送达 %(sent)d 条，失败 %(failed)d 条。", **result))


awards_cli = AppGroup("awards", help="红旗和蜗牛奖 / Monthly unit ranking.")


@awards_cli.command("compute", cls=Command)
@click.option("--month", required=True, help="YYYY-MM")
@click.option("--publish", is_flag=True, help="计算后发布（发布后冻结）")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
def awards_compute(month: str, publish: bool, as_json: bool) -> None:
    """Rank the units for a month (and publish it)."""
    from taskboard.awards import services as awards

    try:
        award = awards.find(month)
        if award is None or not award.is_published:  # a published month is shown as frozen
            award = awards.compute(month)
            if publish:
                awards.publish(award, None, utcnow())
    except ValidationError as error:
        fail_validation(error)
    commit()
    result = {
        "month": award.month,
        "ranking": [{"unit": s.unit.name, "rank": s.rank, "score": float(s.score),
                     "due": s.due, "on_time": s.on_time, "late": s.late, "overdue": s.overdue,
                     "avg_delay_days": float(s.avg_delay_days),
                     "on_time_rate": float(s.on_time_rate)} for s in award.scores],
        "snail": [s.unit.name for s in award.snails],
        "red_flag": [s.unit.name for s in award.red_flags],
    }
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    for row in result["ranking"]:
        click.echo(f"{row['rank'] or '-':>3} {row['unit']:<20} {row['score']:>7.2f} "
                   f"{row['on_time']}/{row['due']}")
    click.echo(_("红旗：%(red)s；蜗牛奖：%(snail)s", red="、".join(result["red_flag"]) or "—",
                 snail="、".join(result["snail"]) or "—"))


digest_cli = AppGroup("digest", help="领导周报 / Weekly digests.")


@digest_cli.command("send", cls=Command)
@click.option("--week", default=None, help="YYYY-Www（默认本周）")
@click.option("--dry-run", is_flag=True, help="只列出，不发送")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
def digest_send(week: str | None, dry_run: bool, as_json: bool) -> None:
    """Send this week's digest to every leader (and the office) with something to report."""
    from taskboard.digest.services import enqueue_week, parse_week, week_of
    from taskboard.followup.models import Notification
    from taskboard.followup.senders import deliver

    try:
        monday = parse_week(week or week_of(today()))
    except ValidationError as error:
        fail_validation(error)
    outcomes = enqueue_week(monday, dry_run=dry_run)
    commit()
    if not dry_run:
        deliver(utcnow())
    sent = {n.id for n in db.session.scalars(select(Notification).where(
        Notification.id.in_([o.notification_id for o in outcomes if o.notification_id]),
        Notification.status == "sent"))}
    result = {"week": week_of(monday), "digests": [
        {"recipient": o.digest.user.username, "email": o.digest.user.email,
         "tasks": o.digest.task_count, "overdue": o.digest.overdue_total,
         "sent": o.notification_id in sent} for o in outcomes]}
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    for row in result["digests"]:
        state = _("已发送") if row["sent"] else _("未发送")
        click.echo(f"{row['recipient']:<20} {row['email']:<30} {row['tasks']:>4} "
                   f"{row['overdue']:>4} {state}")


ledger_cli = AppGroup("ledger", help="督办台账 / The Excel ledger.")


@ledger_cli.command("export", cls=Command)
@click.argument("path", metavar="FILE.xlsx")
@click.option("--year", type=click.IntRange(FIRST_YEAR, LAST_YEAR), default=None, help="台账年度")
def ledger_export(path: str, year: int | None) -> None:
    """Write the ledger of every task."""
    from taskboard.dashboard.ledger import export_workbook, ledger_tasks
    from taskboard.tasks.models import Task
    from taskboard.tasks.queries import as_of

    day = today()
    tasks = ledger_tasks(select(Task).where(Task.deleted_at.is_(None)), milestones=False)
    try:
        Path(path).write_bytes(export_workbook(tasks, year or day.year, as_of(day)))
    except OSError as error:
        fail(_("无法写入 %(path)s：%(error)s", path=path, error=error.strerror))
    click.echo(_("已导出 %(n)d 项到 %(path)s。", n=len(tasks), path=path))


@ledger_cli.command("import", cls=Command)
@click.argument("path", metavar="FILE.xlsx")
@click.option("--year", type=click.IntRange(FIRST_YEAR, LAST_YEAR), default=None, help="台账年度")
@click.option("--dry-run", is_flag=True, help="只检查，不导入")
def ledger_import(path: str, year: int | None, dry_run: bool) -> None:
    """Import a ledger: every row is checked first; any error imports nothing.

    --dry-run prints what would change (per task, old → new) and changes nothing.
    """
    from taskboard.dashboard.ledger import import_ledger, plan_lines

    try:
        data = Path(path).read_bytes()
    except OSError as error:
        fail(_("无法读取文件 %(path)s：%(error)s", path=path, error=error.strerror))
    try:
        result = import_ledger(data, year=year or today().year, today=today(), dry_run=dry_run)
    except ValidationError as error:
        fail_validation(error)
    if result.errors:
        fail("\n".join([_("没有导入任何内容。请修改以下单元格后重新导入："),
                         *map(str, result.errors)]))
    if dry_run:
        db.session.rollback()
        click.echo("\n".join([_("检查通过，尚未导入。"), *plan_lines(result.plan)]))
        return
    commit()
    click.echo(_("已导入：新建 %(created)d 项，更新 %(updated)d 项，%(unchanged)d 项不变。",
                 created=result.created, updated=result.updated, unchanged=result.unchanged))


@click.command("bulletin", cls=Command)
@with_appcontext
@click.option("--month", required=True, help="YYYY-MM")
@click.option("--out", "out", default=None, metavar="FILE.docx", help="写出 Word 文件")
@click.option("--issue", "do_issue", is_flag=True, help="印发：取本年度下一期期号并存档")
@click.option("--date", "issued_on", default=None, help="印发日期 YYYY-MM-DD（默认今天）")
def bulletin_command(month: str, out: str | None, do_issue: bool, issued_on: str | None) -> None:
    """督办情况通报: draft a month's bulletin (no number taken), or issue it."""
    from taskboard.documents import services as documents
    from taskboard.documents.docx import bulletin_docx

    try:
        day = date.fromisoformat(issued_on) if issued_on else today()
    except ValueError:
        fail(_("印发日期必须是 YYYY-MM-DD 格式。"))
    try:
        issued = documents.find_issued(month)
        if issued is not None and not do_issue:
            draft, data = documents.BulletinDraft.from_content(issued.content), issued.docx
        else:
            draft = documents.draft_bulletin(month, day)
            if do_issue:
                issued = documents.issue(draft, None, bulletin_docx)
                commit()
            data = issued.docx if do_issue else bulletin_docx(draft)
    except ValidationError as error:
        fail_validation(error)
    except Conflict as error:
        fail(error.message)
    if out:
        try:
            Path(out).write_bytes(data)
        except OSError as error:
            fail(_("无法写入 %(path)s：%(error)s", path=out, error=error.strerror))
    click.echo(f"{draft.number_label}　{draft.title}")
    for heading, name in documents.SECTIONS:
        click.echo(heading)
        for line in draft.paragraphs(name):
            click.echo(f"  {line}")
    if do_issue:
        click.echo(_("已印发并存档：%(label)s。", label=issued.label))
    if out:
        click.echo(_("已写出 %(path)s。", path=out))


@click.command("scheduler", cls=Command)
@with_appcontext
def scheduler_command() -> None:
    """Run the follow-up scheduler (one process; a second one waits as a standby)."""
    from taskboard.scheduler import run

    run(current_app._get_current_object())


@click.command("backup", cls=Command)
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(target: Path) -> None:
    """SQLite: copy the database to TARGET while the app runs (PostgreSQL: use pg_dump)."""
    if db.engine.dialect.name != "sqlite":
        fail(_("PostgreSQL 数据库请用 pg_dump 备份，例如 pg_dump --format=custom -f 备份文件 "
               "数据库名；恢复用 pg_restore（见 README 的 Backups 一节）。"))
    if target.exists():
        fail(_("“%(path)s”已存在，不会覆盖。", path=target))
    if not target.parent.is_dir():
        fail(_("目录“%(path)s”不存在。", path=target.parent))
    # The online backup API copies a consistent snapshot while the app and the scheduler write;
    # copying the file would miss what is still in the WAL. The copy holds every account's
    # data, so only its owner may read it.
    os.close(os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600))
    destination = sqlite3.connect(target)
    try:
        with db.engine.connect() as connection:
            connection.connection.driver_connection.backup(destination)
    finally:
        destination.close()
    click.echo(_("已备份到 %(path)s。", path=target))


def register_commands(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_command)
    app.cli.add_command(minutes_cli)
    app.cli.add_command(followup_cli)
    app.cli.add_command(awards_cli)
    app.cli.add_command(ledger_cli)
    app.cli.add_command(digest_cli)
    app.cli.add_command(bulletin_command)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(backup_command)

