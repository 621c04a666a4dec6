"""The complaint workflow as one table: which step, from which states, to which, by whom.

The services claim each step through ``core.transitions.claim``; the detail
page and the API offer exactly ``allowed(TRANSITIONS, user, complaint)``.
"""

from django.utils.translation import gettext_lazy as _

from complaints import access
from complaints.models import Complaint
from core.transitions import Step

S = Complaint.Status

# States in which the manager may still work on the inspection (and add photos).
INSPECTION_STATES = (S.OPEN, S.INSPECTED, S.REJECTED)

TRANSITIONS = {
    "photo": Step(
        source=INSPECTION_STATES,
        target=None,
        who=access.is_responsible_manager,
        label=_("add a photo"),
    ),
    "inspect": Step(
        source=INSPECTION_STATES,
        target=S.INSPECTED,
        who=access.is_responsible_manager,
        label=_("record the inspection"),
    ),
    "submit": Step(
        source={S.INSPECTED},
        target=S.SUBMITTED,
        who=access.is_responsible_manager,
        label=_("submit"),
    ),
    "approve": Step(
        source={S.SUBMITTED},
        target=S.APPROVED,
        who=access.is_deciding_manager,
        label=_("approve"),
    ),
    "reject": Step(
        source={S.SUBMITTED},
        target=S.REJECTED,
        who=access.is_deciding_manager,
        label=_("reject"),
    ),
    "exchange": Step(
        source={S.APPROVED},
        target=S.EXCHANGED,
        who=access.is_responsible_manager,
        label=_("record the exchange"),
    ),
    "close": Step(
        source={S.EXCHANGED},
        target=S.CLOSED,
        who=access.is_responsible_manager,
        label=_("close"),
    ),
}
