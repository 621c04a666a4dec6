"""Quality complaints as an export (core.exports): the page's ComplaintFilter over the
user's scope; registered in ``ComplaintsConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from complaints import selectors
from complaints.models import Complaint
from core.exports import BOOL, DATE, DATETIME, DECIMAL, INT, Column, Export, register


def _complaints(user, params, request):
    return selectors.complaint_list(user=user, filters=params)


COMPLAINTS = register(
    Export(
        name="complaints",
        title=_("Quality complaints"),
        page="complaints:list",
        filtered=_complaints,
        columns=[
            Column(_("Number"), "pk", INT),
            Column(_("Reported on"), "reported_on", DATE),
            Column(_("Customer code"), "customer.code"),
            Column(_("Customer"), "customer.name"),
            Column(_("Region"), "customer.region.name"),
            Column(_("Customer manager"), "customer.manager"),
            Column(_("Kind"), "kind", choices=Complaint.Kind.choices),
            Column(_("Product"), "product"),
            Column(_("Batch number"), "batch_number"),
            Column(_("Quantity"), "quantity", DECIMAL),
            Column(_("Unit"), "unit"),
            Column(_("Problem"), "problem"),
            Column(_("Status"), "status", choices=Complaint.Status.choices),
            Column(_("Due on"), "due_on", DATE),
            Column(_("Overdue"), "overdue", BOOL),
            Column(_("Decided at"), "decided_at", DATETIME),
            Column(_("Closed at"), "closed_at", DATETIME),
        ],
    )
)
