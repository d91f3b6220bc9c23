"""Forms of the follow-through: reports, reviews, requests and decisions."""
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    RadioField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from taskboard.errors import ValidationError
from taskboard.forms import OptionalIntSelectField, PlainDecimalField, apply_errors, to_choices
from taskboard.uploads import WithinLimit

from .schemas import TEXT_MAX
from .workflow import plan_cell


class ValueForm(FlaskForm):
    class Meta:
        csrf = False

    target_id = HiddenField()
    value = PlainDecimalField(_l("实际值"), validators=[Optional()])


class ReportValueForm(ValueForm):
    class Meta:
        csrf = False

    # A unit without the month's statistics says so instead of typing 0.
    no_data = BooleanField(_l("暂无数据"))


class ReportForm(FlaskForm):
    text = TextAreaField(_l("本月完成情况"), validators=[
        DataRequired(_l("请填写本月完成情况。")), Length(max=TEXT_MAX)])
    values = FieldList(FormField(ReportValueForm))
    files = MultipleFileField(_l("佐证材料"), validators=[WithinLimit()],
                              description=_l("PDF、图片或 Office 文件，每个不超过 10 MB"))

    def fill(self, targets) -> None:
        self.targets = list(targets)
        if not self.is_submitted():
            for target in targets:
                self.values.append_entry({"target_id": target.id})
        for entry, target in zip(self.values, targets, strict=False):
            entry.form.value.label.text = f"{target.metric}（{target.measure_unit}）"
            entry.form.target = target

    def validate(self, extra_validators=None) -> bool:
        """The fields, and that the figures sent are the task's targets in order: a page
        opened before the office changed the targets (or an edited hidden id) is refused."""
        valid = super().validate(extra_validators)
        if [entry.form.target_id.data for entry in self.values] != \
                [str(target.id) for target in self.targets]:
            self.form_errors.append(_("该事项的指标已调整，请刷新页面后重新填报。"))
            return False
        return valid

    def figures(self) -> tuple[dict[int, Decimal], set[int]]:
        """(target id → value typed, targets ticked 暂无数据)."""
        values, no_data = {}, set()
        for entry in self.values:
            target_id = int(entry.form.target_id.data)
            if entry.form.no_data.data:
                no_data.add(target_id)
            elif entry.form.value.data is not None:
                values[target_id] = entry.form.value.data
        return values, no_data

    def show_errors(self, error: ValidationError) -> None:
        """Each figure's message beside its field, the others at the top."""
        apply_errors(self, error, beside={f"value-{entry.form.target_id.data}": entry.form.value
                                          for entry in self.values})


class ReviewForm(FlaskForm):
    # No default: a report is never accepted by a click that did not read it.
    decision = RadioField(_l("审核结果"), choices=to_choices(
        [("accept", _l("通过")), ("return", _l("退回"))]),
        validators=[InputRequired(_l("请选择通过或退回。"))])
    comment = TextAreaField(_l("审核意见"), validators=[Length(max=TEXT_MAX)])


class RequestForm(FlaskForm):
    reason = TextAreaField(_l("理由"), validators=[DataRequired(_l("请填写理由。")),
                                                 Length(max=TEXT_MAX)])
    due_date = DateField(_l("申请延至"), validators=[Optional()])


class DecisionForm(FlaskForm):
    decision = RadioField(_l("处理"), choices=to_choices(
        [("approve", _l("同意")), ("reject", _l("驳回"))]), default="approve")
    comment = TextAreaField(_l("意见"), validators=[Length(max=TEXT_MAX)])
    unit_id = OptionalIntSelectField(_l("改由以下单位负责"), choices=[])


class PlanRowForm(FlaskForm):
    class Meta:
        csrf = False

    milestone_id = HiddenField()
    planned_work = TextAreaField(_l("计划工作"), validators=[Length(max=2000)])
    values = FieldList(FormField(ValueForm))


class PlanForm(FlaskForm):
    rows = FieldList(FormField(PlanRowForm))

    def matches(self, task) -> bool:
        """The rows sent are the task's months, each with the task's targets, in order."""
        targets = [str(target.id) for target in task.targets]
        return [row.form.milestone_id.data for row in self.rows] == \
            [str(milestone.id) for milestone in task.milestones] and \
            all([value.form.target_id.data for value in row.form.values] == targets
                for row in self.rows)

    def fill(self, task) -> None:
        if self.is_submitted():
            return
        for milestone in task.milestones:
            self.rows.append_entry({
                "milestone_id": milestone.id, "planned_work": milestone.planned_work,
                "values": [{"target_id": t.id, "value": milestone.planned_value_for(t.id)}
                           for t in task.targets],
            })

    def show_errors(self, error: ValidationError) -> None:
        """A planned figure's message beside its cell, the others at the top."""
        apply_errors(self, error, beside={
            plan_cell(row.form.milestone_id.data, value.form.target_id.data): value.form.value
            for row in self.rows for value in row.form.values})
