from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from taskboard import labels
from taskboard.clock import FIRST_YEAR, LAST_YEAR
from taskboard.forms import OptionalIntSelectField, to_choices
from taskboard.tasks.forms import TaskFields
from taskboard.uploads import WithinLimit

from .services import ProposalEdit


class MeetingForm(FlaskForm):
    title = StringField(_l("会议/文件名称"), validators=[DataRequired(_l("请填写名称。")),
                                                    Length(max=200)])
    meeting_date = DateField(_l("日期"), validators=[InputRequired(_l("请填写日期。"))])
    kind = SelectField(_l("类型"), choices=[])
    year = IntegerField(_l("任务年度"), validators=[Optional(), NumberRange(FIRST_YEAR, LAST_YEAR)],
                        description=_l("“6月底前”指哪一年；不填则按会议日期的年份"))
    upload = FileField(_l("上传文件"), validators=[WithinLimit()],
                       description=_l(".txt、.docx、.xlsx（分解表）或有文字的 PDF，不超过 2 MB"))
    full_text = TextAreaField(_l("全文"))
    same_text_confirmed = BooleanField(_l("我已核对，仍要再登记一次"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = to_choices(labels.MEETING_KINDS.items())


class ProposalForm(TaskFields):
    """One proposal on the review page; the surrounding ReviewForm carries the CSRF token."""

    class Meta:
        csrf = False

    proposal_id = HiddenField()
    selected = BooleanField(_l("交办"))
    # Both may stay empty while the review is saved; confirming asks for them.
    responsible_unit_id = OptionalIntSelectField(_l("责任单位"), choices=[])
    due_date = DateField(_l("完成时限"), validators=[Optional()])

    def to_edit(self) -> ProposalEdit:
        return ProposalEdit(
            proposal_id=int(self.proposal_id.data),
            selected=self.selected.data,
            title=(self.title.data or "").strip(),
            category=(self.category.data or "").strip(),
            lead_leader_id=self.lead_leader_id.data,
            lead_leader_name="" if self.lead_leader_id.data else
            (self.lead_leader_name.data or "").strip(),
            responsible_unit_id=self.responsible_unit_id.data,
            co_responsible_unit_ids=self.co_responsible_unit_ids.data or [],
            cooperating_unit_ids=self.cooperating_unit_ids.data or [],
            other_departments_participate=self.other_departments_participate.data,
            due_date=self.due_date.data,
            level=self.level.data,
            targets=[
                {"metric": (row.metric.data or "").strip(), "comparator": row.comparator.data,
                 "value": None if row.value.data is None else str(row.value.data),
                 "unit": (row.measure_unit.data or "").strip(),
                 "cumulative": row.cumulative.data}
                for row in self.target_rows()
            ],
        )


class ReviewForm(FlaskForm):
    proposals = FieldList(FormField(ProposalForm))
    start_date = DateField(_l("交办日（开始日期）"), validators=[Optional()],
                           description=_l("所勾选事项从这一天开始，月度节点从这个月开始"))

    def __init__(self, *args, unit_options=(), leader_options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.options = (unit_options, leader_options)
        for entry in self.proposals:
            entry.form.set_options(unit_options, leader_options)

    def add(self, proposal) -> None:
        """Show a stored proposal (on GET, or to resume a half-reviewed meeting)."""
        self.proposals.append_entry({
            "proposal_id": proposal.id, "selected": proposal.selected, "title": proposal.title,
            "category": proposal.category, "lead_leader_id": proposal.lead_leader_id,
            "lead_leader_name": proposal.lead_leader_name,
            "responsible_unit_id": proposal.responsible_unit_id,
            "co_responsible_unit_ids": proposal.co_responsible_unit_ids,
            "cooperating_unit_ids": proposal.cooperating_unit_ids,
            "other_departments_participate": proposal.other_departments_participate,
            "due_date": proposal.due_date, "level": proposal.level,
        })
        entry = self.proposals[-1].form
        entry.set_options(*self.options)
        entry.fill_targets([
            {"metric": t["metric"], "comparator": t["comparator"],
             "value": None if t["value"] is None else Decimal(t["value"]),
             "measure_unit": t["unit"], "cumulative": t["cumulative"]}
            for t in proposal.targets
        ])


class NewUnitForm(FlaskForm):
    name = StringField(_l("单位名称"), validators=[DataRequired(), Length(max=100)])
