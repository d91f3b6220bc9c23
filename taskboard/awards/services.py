"""Computing, overriding and publishing a month's 红旗 and 蜗牛奖. The caller commits."""
from dataclasses import asdict
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from taskboard.auth.models import LEADER, OFFICE, UNIT_HEAD, User
from taskboard.calendar.workdays import WorkCalendar
from taskboard.clock import utcnow
from taskboard.errors import Conflict, ValidationError
from taskboard.extensions import db
from taskboard.units.models import Unit

from . import signals
from .models import AwardMonth, AwardScore
from .scoring import AwardSettings, UnitMonth, load_settings, rank, requested_month, score_month


def previous_month(today: date) -> str:
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def find(month: str) -> AwardMonth | None:
    return db.session.scalar(select(AwardMonth).where(AwardMonth.month == month))


def compute(month: str, calendar: WorkCalendar | None = None) -> AwardMonth:
    """Score the month into a draft (replacing an earlier draft). A published month is frozen."""
    requested_month(month)
    award = find(month)
    if award is not None and award.is_published:
        raise Conflict(_("%(month)s 的排名已发布，不能重新计算。", month=month))
    settings = load_settings()
    tallies = score_month(month, settings, calendar or WorkCalendar.load())
    if award is None:
        award = AwardMonth(month=month)
        db.session.add(award)
    award.formula, award.override_reason = asdict(settings), ""
    award.computed_at = utcnow()
    award.scores.clear()
    db.session.flush()  # the old rows go before the new ones (one row per unit and month)
    award.scores = [AwardScore(
        unit_id=t.unit_id, position=position, due=t.due, on_time=t.on_time, late=t.late,
        overdue=t.overdue, delay_days=t.delay_days, avg_delay_days=t.avg_delay_days,
        on_time_rate=t.on_time_rate, score=t.score, rank=t.rank, is_snail=t.is_snail,
        is_red_flag=t.is_red_flag,
    ) for position, t in enumerate(tallies)]
    db.session.flush()
    return award


def override(award: AwardMonth, *, snail_unit_ids: set[int], red_flag_unit_ids: set[int],
             reason: str) -> AwardMonth:
    """The office names the snail(s) and red flag(s) itself, saying why."""
    if award.is_published:
        raise Conflict(_("已发布的排名不能修改。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("调整评定结果时请写明理由。")})
    known = {score.unit_id for score in award.scores}
    if (snail_unit_ids | red_flag_unit_ids) - known:
        raise ValidationError({"units": _("只能在本月参与统计的单位中评定。")})
    if snail_unit_ids & red_flag_unit_ids:
        raise ValidationError({"units": _("同一单位不能既获红旗又获蜗牛奖。")})
    for score in award.scores:
        score.is_snail = score.unit_id in snail_unit_ids
        score.is_red_flag = score.unit_id in red_flag_unit_ids
    award.override_reason = reason
    db.session.flush()
    return award


def publish(award: AwardMonth, user: User | None, now: datetime) -> AwardMonth:
    """Freeze the month and tell the units and the leaders through the outbox."""
    if award.is_published:
        raise Conflict(_("%(month)s 的排名已经发布。", month=award.month))
    award.status, award.published_at, award.published_by = "published", now, user
    db.session.flush()
    unit_ids = [score.unit_id for score in award.scores]
    audience = db.session.scalars(select(User).where(
        User.active.is_(True),
        (User.role == LEADER) | ((User.role == UNIT_HEAD) & User.unit_id.in_(unit_ids))))
    signals.awards_published.send(award, audience=list(audience))
    return award


def compute_previous_month(today: date) -> AwardMonth | None:
    """The scheduler's monthly job: last month, once, then the office is told to review it."""
    month = previous_month(today)
    if find(month) is not None:
        return None
    award = compute(month)
    signals.awards_computed.send(award, audience=list(db.session.scalars(
        select(User).where(User.role == OFFICE, User.active.is_(True)))))
    return award


def tallies_of(month: str) -> list[UnitMonth]:
    """A month's figures: as stored when computed (frozen once published), else live."""
    award = find(month)
    if award is None:
        return score_month(month, load_settings(), WorkCalendar.load())
    names = dict(db.session.execute(select(Unit.id, Unit.name).join(
        AwardScore, AwardScore.unit_id == Unit.id).where(AwardScore.award_month_id == award.id))
        .all())
    return [UnitMonth(s.unit_id, due=s.due, on_time=s.on_time, late=s.late, overdue=s.overdue,
                      delay_days=s.delay_days, rank=s.rank,
                      score=s.score, is_snail=s.is_snail, is_red_flag=s.is_red_flag,
                      unit_name=names[s.unit_id]) for s in award.scores]


def period_ranking(months: list[str], settings: AwardSettings | None = None, *,
                   published_only: bool = False) -> list[UnitMonth]:
    """Quarterly and yearly views: the months' figures added up, then ranked again.

    ``published_only`` leaves out the months not yet published (drafts and months never
    computed): only the office may see those figures before publication.
    """
    if published_only:
        published = set(db.session.scalars(select(AwardMonth.month).where(
            AwardMonth.month.in_(months), AwardMonth.status == "published")))
        months = [month for month in months if month in published]
    totals: dict[int, UnitMonth] = {}
    for month in months:
        for tally in tallies_of(month):
            total = totals.setdefault(tally.unit_id, UnitMonth(tally.unit_id,
                                                               unit_name=tally.unit_name))
            total.add(tally)
            total.months.append(month)
    return rank(list(totals.values()), settings or load_settings())


def unit_history(unit_id: int) -> list[AwardScore]:
    return list(db.session.scalars(
        select(AwardScore).join(AwardMonth).where(AwardScore.unit_id == unit_id)
        .order_by(AwardMonth.month)))
