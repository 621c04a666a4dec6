"""The monthly report workflow as one table: which step, from which states, to which, by whom.

The services claim each step through ``core.transitions.claim``; the detail
page and the API offer exactly ``allowed(TRANSITIONS, user, report)``.
"""

from django.utils.translation import gettext_lazy as _

from core.transitions import table
from reports import access
from reports.models import OPEN_STATUSES, MonthlyReport

S = MonthlyReport.Status

TRANSITIONS = table(
    access.can_write,
    {
        # The manager's text of b), c) and d), and the recomputed a): the state stays.
        "edit": (OPEN_STATUSES, None, _("edit")),
        "refresh": (OPEN_STATUSES, None, _("refresh the figures")),
        "submit": (OPEN_STATUSES, S.SUBMITTED, _("submit")),
        "approve": (S.SUBMITTED, S.APPROVED, _("approve"), access.can_review),
        "return": (S.SUBMITTED, S.RETURNED, _("return"), access.can_review),
    },
)
