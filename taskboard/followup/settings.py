"""Follow-up settings: thresholds in working days, who hears at which level, the repeat."""
from dataclasses import dataclass

from flask_babel import gettext as _

from taskboard import settings_store
from taskboard.errors import ValidationError

KEY = "followup"


@dataclass
class FollowupSettings:
    due_soon_workdays: int = 3          # 临期提醒: due within this many working days
    level1_workdays: int = 1            # 逾期 by this many working days → level 1, blue card
    level2_workdays: int = 5            # → level 2: the lead leader too; yellow card
    level3_workdays: int = 15           # → level 3: the office too; red card
    level3_overdue_milestones: int = 3  # …or this many overdue milestones in one task
    unsigned_workdays: int = 2          # 未签收 this many working days after 交办
    weekly_repeat: bool = True          # 每周催办: repeat the current level once per ISO week
    lead_from_level: int = 2
    office_from_level: int = 3
    email: bool = True
    webhook: bool = True

    def validate(self) -> None:
        errors = {}
        for name in ("due_soon_workdays", "level1_workdays", "level2_workdays",
                     "level3_workdays", "level3_overdue_milestones", "unsigned_workdays"):
            value = getattr(self, name)
            if not isinstance(value, int) or not 1 <= value <= 250:
                errors[name] = _("请填写 1 到 250 之间的整数。")
        if not errors and not (self.level1_workdays < self.level2_workdays
                               < self.level3_workdays):
            errors["level2_workdays"] = _("三级督办的天数必须逐级增加。")
        for name in ("lead_from_level", "office_from_level"):
            if getattr(self, name) not in (1, 2, 3):
                errors[name] = _("级别只能是 1、2 或 3。")
        if errors:
            raise ValidationError(errors)


def load() -> FollowupSettings:
    return settings_store.load(KEY, FollowupSettings)


def save(settings: FollowupSettings) -> None:
    settings_store.save(KEY, settings)
