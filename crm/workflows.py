"""The customer archive's workflows as tables: regrading runs and network status.

Each table names its steps (from which states, to which, who may) on the
mechanism of ``core.transitions``: the services claim a step through it, and
the pages, the API and the templates offer exactly ``allowed(table, user, obj)``.
"""

from django.utils.translation import gettext_lazy as _

from core.transitions import table
from crm import access
from crm.models import Customer, RegradingProposal, RegradingRun

Run = RegradingRun.Status
Proposal = RegradingProposal.State

# A run: an admin applies it (closing it) or discards it; a regional manager
# confirms the downgrades of their region while it stays open for the rest.
RUN_TRANSITIONS = table(
    access.may_close_regrading,
    {
        "apply": (Run.PROPOSED, Run.APPLIED, _("apply the run")),
        "apply_region": (
            Run.PROPOSED,
            None,
            _("apply the downgrades of your region"),
            access.may_confirm_region_downgrades,
        ),
        "discard": (Run.PROPOSED, Run.DISCARDED, _("discard the run")),
    },
)

# One proposal of an open run (``RegradingProposal.state``): an admin applies
# any, a regional manager the downgrades of their region's customers. The
# service selects the same proposals with ``crm.access.regrading_applicable``.
PROPOSAL_TRANSITIONS = table(
    access.may_apply_regrading,
    {"apply": (Proposal.PENDING, Proposal.APPLIED, _("apply the proposal"))},
)

Network = Customer.NetworkStatus

# 退网 / 入网, decided by an admin or the customer's regional manager; the
# state is the customer's ``network_status``.
NETWORK_FIELD = "network_status"
NETWORK_TRANSITIONS = table(
    access.can_supervise_customer,
    {
        "exit": (Network.ACTIVE, Network.EXITED, _("record the exit")),
        "rejoin": (Network.EXITED, Network.ACTIVE, _("record the rejoining")),
    },
)
