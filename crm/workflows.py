"""The customer archive's workflows as tables: regrading runs and network status.

Each table names its steps (from which states, to which, who may) on the
mechanism of ``core.transitions``: the services claim a step through it, and
the pages, the API and the templates offer exactly ``allowed(table, user, obj)``.
"""

from django.utils.translation import gettext_lazy as _

from core.transitions import Step
from crm import access
from crm.models import Customer, RegradingProposal, RegradingRun

Run = RegradingRun.Status

# A run: an admin applies it (closing it) or discards it; a regional manager
# confirms the downgrades of their region while it stays open for the rest.
RUN_TRANSITIONS = {
    "apply": Step(
        source={Run.PROPOSED},
        target=Run.APPLIED,
        who=access.may_close_regrading,
        label=_("apply the run"),
    ),
    "apply_region": Step(
        source={Run.PROPOSED},
        target=None,
        who=access.may_confirm_region_downgrades,
        label=_("apply the downgrades of your region"),
    ),
    "discard": Step(
        source={Run.PROPOSED},
        target=Run.DISCARDED,
        who=access.may_close_regrading,
        label=_("discard the run"),
    ),
}

# One proposal of an open run (``RegradingProposal.state``): an admin applies
# any, a regional manager the downgrades of their region's customers. The
# service selects the same proposals with ``crm.access.regrading_applicable``.
PROPOSAL_TRANSITIONS = {
    "apply": Step(
        source={RegradingProposal.State.PENDING},
        target=RegradingProposal.State.APPLIED,
        who=access.may_apply_regrading,
        label=_("apply the proposal"),
    ),
}

Network = Customer.NetworkStatus

# 退网 / 入网, decided by an admin or the customer's regional manager; the
# state is the customer's ``network_status``.
NETWORK_FIELD = "network_status"
NETWORK_TRANSITIONS = {
    "exit": Step(
        source={Network.ACTIVE},
        target=Network.EXITED,
        who=access.can_supervise_customer,
        label=_("record the exit"),
    ),
    "rejoin": Step(
        source={Network.EXITED},
        target=Network.ACTIVE,
        who=access.can_supervise_customer,
        label=_("record the rejoining"),
    ),
}
