"""The complaint workflow as one table: which step, from which states, to which, by whom.

The services claim each step through ``core.transitions.claim``; the detail
page and the API offer exactly ``allowed(TRANSITIONS, user, complaint)``.
"""

from django.utils.translation import gettext_lazy as _

from complaints import access
from complaints.models import Complaint
from core.transitions import table

S = Complaint.Status

# States in which the manager may still work on the inspection (and add photos).
INSPECTION_STATES = (S.OPEN, S.INSPECTED, S.REJECTED)

TRANSITIONS = table(
    access.is_responsible_manager,
    {
        "photo": (INSPECTION_STATES, None, _("add a photo")),
        "inspect": (INSPECTION_STATES, S.INSPECTED, _("record the inspection")),
        "submit": (S.INSPECTED, S.SUBMITTED, _("submit")),
        "approve": (S.SUBMITTED, S.APPROVED, _("approve"), access.is_deciding_manager),
        "reject": (S.SUBMITTED, S.REJECTED, _("reject"), access.is_deciding_manager),
        # What the rejection asks for (the product, its batch, the quantity) is
        # corrected before the manager inspects and submits again.
        "correct": (S.REJECTED, None, _("correct the report")),
        "exchange": (S.APPROVED, S.EXCHANGED, _("record the exchange")),
        "close": (S.EXCHANGED, S.CLOSED, _("close")),
    },
)
