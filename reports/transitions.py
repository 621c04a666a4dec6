"""The monthly report workflow as one table: which step, from which states, to which, by whom.

The services claim each step through ``core.transitions.claim``; the detail
page and the API offer exactly ``allowed(TRANSITIONS, user, report)``.
"""

from django.utils.translation import gettext_lazy as _

from core.transitions import Step
from reports import access
from reports.models import OPEN_STATUSES, MonthlyReport

S = MonthlyReport.Status

TRANSITIONS = {
    # The manager's text of b), c) and d), and the recomputed a): the state stays.
    "edit": Step(source=OPEN_STATUSES, target=None, who=access.can_write, label=_("edit")),
    "refresh": Step(
        source=OPEN_STATUSES, target=None, who=access.can_write, label=_("refresh the figures")
    ),
    "submit": Step(
        source=OPEN_STATUSES, target=S.SUBMITTED, who=access.can_write, label=_("submit")
    ),
    "approve": Step(
        source={S.SUBMITTED}, target=S.APPROVED, who=access.can_review, label=_("approve")
    ),
    "return": Step(
        source={S.SUBMITTED}, target=S.RETURNED, who=access.can_review, label=_("return")
    ),
}
