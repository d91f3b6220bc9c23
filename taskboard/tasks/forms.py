from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from taskboard import labels
from taskboard.forms import IntMultipleField, OptionalIntSelectField, PlainDecimalField, to_choices

from .models import COMPARATORS
from .schemas import CATEGORY_MAX, MEASURE_UNIT_MAX, METRIC_MAX, NAME_MAX, TEXT_MAX, TITLE_MAX
from .services import TargetData, TaskData

EXTRA_TARGET_ROWS = 2


class TargetForm(FlaskForm):
    class Meta:
        csrf = False  # a row inside TaskForm, which carries the token (and translations)

    metric = StringField(_l("指标"), validators=[Length(max=METRIC_MAX)])
    comparator = SelectField(_l("比较"), default=">=", choices=to_choices(
        (c, labels.COMPARATORS[c]) for c in COMPARATORS))
    value = PlainDecimalField(_l("目标值"), validators=[Optional()],
                         description=_l("讲话中打码的数值留空"))
    measure_unit = StringField(_l("单位"), validators=[Length(max=MEASURE_UNIT_MAX)])
    cumulative = BooleanField(_l("逐月累计"), default=True)

    def is_blank(self) -> bool:
        return not (self.metric.data or "").strip() and self.value.data is None


class TaskFields(FlaskForm):
    """The fields a task shares with a proposal on the speech review page."""

    title = StringField(_l("督办事项"), validators=[
        DataRequired(_l("请填写督办事项名称。")),
        Length(max=TITLE_MAX, message=_l("名称不能超过 %(max)d 个字。", max=TITLE_MAX)),
    ])
    category = StringField(_l("类别"), validators=[Length(max=CATEGORY_MAX)])
    lead_leader_id = OptionalIntSelectField(_l("牵头领导（账号）"), choices=[])
    lead_leader_name = StringField(_l("牵头领导（无账号时填姓名）"),
                                   validators=[Length(max=NAME_MAX)])
    responsible_unit_id = OptionalIntSelectField(
        _l("责任单位"), choices=[], validators=[DataRequired(_l("请选择责任单位。"))]
    )
    co_responsible_unit_ids = IntMultipleField(_l("共同责任单位"), choices=[])
    cooperating_unit_ids = IntMultipleField(_l("配合单位"), choices=[])
    other_departments_participate = BooleanField(_l("其他相关部门参与"))
    due_date = DateField(_l("完成时限"), validators=[InputRequired(_l("请填写完成时限。"))])
    level = SelectField(_l("督办级别"), choices=[])
    targets = FieldList(FormField(TargetForm), min_entries=1)

    def set_options(self, unit_options=(), leader_options=()) -> None:
        self.responsible_unit_id.choices = to_choices(unit_options, blank="—")
        self.co_responsible_unit_ids.choices = to_choices(unit_options)
        self.cooperating_unit_ids.choices = to_choices(unit_options)
        self.lead_leader_id.choices = to_choices(leader_options, blank="—")
        self.level.choices = to_choices(labels.LEVELS.items())

    def target_rows(self) -> list[TargetForm]:
        return [entry.form for entry in self.targets if not entry.form.is_blank()]

    def fill_targets(self, rows: list[dict]) -> None:
        """Show ``rows`` (metric, comparator, value, measure_unit, cumulative) and blank rows."""
        while len(self.targets):
            self.targets.pop_entry()
        for row in rows:
            self.targets.append_entry(row)
        for _ in range(EXTRA_TARGET_ROWS):
            self.targets.append_entry()


class TaskForm(TaskFields):
    description = TextAreaField(_l("具体要求"))
    meeting_id = OptionalIntSelectField(_l("来源会议"), choices=[])
    source_excerpt = TextAreaField(_l("原文摘录"))
    responsible_person = StringField(_l("责任人"), validators=[Length(max=NAME_MAX)])
    start_date = DateField(_l("开始日期"), validators=[InputRequired(_l("请填写开始日期。"))])

    def __init__(self, *args, unit_options=(), leader_options=(), meeting_options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.set_options(unit_options, leader_options)
        self.meeting_id.choices = to_choices(meeting_options, blank="—")
        for _ in range(EXTRA_TARGET_ROWS):
            self.targets.append_entry()

    def to_data(self) -> TaskData:
        return TaskData(
            title=self.title.data or "",
            description=self.description.data or "",
            category=self.category.data or "",
            meeting_id=self.meeting_id.data,
            source_excerpt=self.source_excerpt.data or "",
            lead_leader_id=self.lead_leader_id.data,
            lead_leader_name=self.lead_leader_name.data or "",
            responsible_unit_id=self.responsible_unit_id.data,
            co_responsible_unit_ids=self.co_responsible_unit_ids.data or [],
            cooperating_unit_ids=self.cooperating_unit_ids.data or [],
            other_departments_participate=self.other_departments_participate.data,
            responsible_person=self.responsible_person.data or "",
            start_date=self.start_date.data,
            due_date=self.due_date.data,
            level=self.level.data,
            targets=[
                TargetData(
                    metric=row.metric.data or "", comparator=row.comparator.data,
                    value=row.value.data, measure_unit=row.measure_unit.data or "",
                    cumulative=row.cumulative.data,
                )
                for row in self.target_rows()
            ],
        )

    @classmethod
    def for_task(cls, task, **options) -> "TaskForm":
        """A form filled from ``task``, its shared units and its targets."""
        form = cls(obj=task, **options)
        if not form.is_submitted():
            form.co_responsible_unit_ids.data = [u.id for u in task.co_responsible_units]
            form.cooperating_unit_ids.data = [u.id for u in task.cooperating_units]
            form.fill_targets([
                {"metric": t.metric, "comparator": t.comparator, "value": t.target_value,
                 "measure_unit": t.measure_unit, "cumulative": t.cumulative}
                for t in task.targets
            ])
        return form


class CommentForm(FlaskForm):
    text = TextAreaField(_l("意见"), validators=[DataRequired(_l("请填写意见内容。")),
                                               Length(max=TEXT_MAX)])
