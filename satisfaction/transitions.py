"""The satisfaction workflows as tables: a round (open → closed, answers while open)
and a manager's measures (to write → written → commented, written again after a
comment). Services claim each step through ``core.transitions.claim``; pages and
the API offer ``allowed(...)`` of these tables."""

from django.utils.translation import gettext_lazy as _

from core.transitions import Step
from satisfaction import access
from satisfaction.models import Measure, Round

R = Round.Status
M = Measure.Status

ROUND_TRANSITIONS = {
    "answer": Step(
        source={R.OPEN}, target=None, who=access.may_answer_in, label=_("record an answer")
    ),
    "close": Step(source={R.OPEN}, target=R.CLOSED, who=access.may_run, label=_("close")),
}

MEASURE_TRANSITIONS = {
    "write": Step(
        source={M.PENDING, M.WRITTEN, M.COMMENTED},
        target=M.WRITTEN,
        who=access.may_write_measure,
        label=_("write the analysis and measures"),
    ),
    "comment": Step(
        source={M.WRITTEN, M.COMMENTED},
        target=M.COMMENTED,
        who=access.may_comment_measure,
        label=_("comment"),
    ),
}
