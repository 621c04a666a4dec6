"""The audit trail as an export (core.exports), for admins: the page's
AuditEventFilter; registered in ``HomeConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from core.exports import DATETIME, Column, Export, register
from core.models import AuditEvent
from crm.access import sees_all


def _audit(user, params, request):
    from home.audit_views import AuditEventFilter

    return AuditEventFilter(params, queryset=AuditEvent.objects.select_related("actor"))


AUDIT = register(
    Export(
        name="audit",
        title=_("Audit trail"),
        page="audit_list",
        filtered=_audit,
        allowed=sees_all,
        columns=[
            Column(_("Time"), "at", DATETIME),
            Column(_("User"), "username"),
            Column(_("Action"), "action", choices=AuditEvent.Action.choices),
            Column(_("Object type"), "object_type"),
            Column(_("Object id"), "object_id"),
            Column(_("Summary"), "summary"),
            Column(_("IP address"), "ip_address"),
        ],
    )
)
