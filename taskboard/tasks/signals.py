"""What the workflow announces. Other domains subscribe (followup writes the outbox);
tasks knows nobody who listens.

Each signal is sent inside the unit of work that made the change, after the flush, with the
changed object as sender: a receiver writes in the same transaction and never commits, so a
rollback takes the change and its news away together.
"""
from blinker import Namespace

_signals = Namespace()

# 交办: sender is the Task, just assigned to its responsible unit (new, or reassigned).
task_assigned = _signals.signal("task-assigned")
# 复核: sender is the ProgressReport, accepted or returned.
report_reviewed = _signals.signal("report-reviewed")
# sender is the TaskRequest (异议, 延期, 办结) the office has just decided.
request_decided = _signals.signal("request-decided")
# 批示: sender is the leader's Comment.
instruction_given = _signals.signal("instruction-given")
# The task page asks what the other domains have to show of the Task (the sender): each
# receiver returns one panel, already rendered (Markup), placed above 修改记录.
task_page = _signals.signal("task-page")
