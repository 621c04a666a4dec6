"""Django admin of the shared records: the audit trail, notifications and login logs.

All of them are kept: nothing here can be changed or deleted.

The Django admin is for superusers only: admins (the CRM role) manage users,
regions and the rest on the product's own pages; a staff user who is not a
superuser is refused here (Django's "not authorised" login page).
"""

import posixpath

import axes.admin as axes_admin  # imported first: it registers axes' own admin classes
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.models import AuditEvent, Notification


class KeepRecordsMixin:
    """No delete button, no "delete selected" action, and the delete page answers 403."""

    def has_delete_permission(self, request, obj=None):
        return False


class NoAddMixin(KeepRecordsMixin):
    """Kept, and not added here: the rows are started in the app, with their trail."""

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyMixin(NoAddMixin):
    """Shown only: a record, or a workflow that changes only through its services
    (which check the step and write the trail; an admin form would set the status
    without either)."""

    def has_change_permission(self, request, obj=None):
        return False


def stored_file(model, field, route):
    """A read-only admin column: the stored file ``field`` as a link to ``route``, the
    object's access-checked route (its pk the argument).

    In place of the field itself, which the admin shows as a link to the storage's
    own URL: with S3 a signed bucket address that skips the route's check, on the
    local disk a ``/media/`` link that nothing serves.
    """

    @admin.display(description=model._meta.get_field(field).verbose_name)
    def link(model_admin, obj):
        stored = getattr(obj, field)
        if not stored:
            return "-"
        url = reverse(route, args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, posixpath.basename(stored.name))

    return link


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    """A history or the parts of a record, shown under it: ``fields`` are all read-only."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["at", "username", "action", "object_type", "object_id", "summary", "ip_address"]
    list_filter = ["action"]
    search_fields = ["username", "summary", "object_id"]
    date_hierarchy = "at"
    show_full_result_count = False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read-only; filtered by e-mail status it lists the e-mails that never left."""

    list_display = ["created_at", "user", "title", "email_status", "email_attempts", "email_error"]
    list_filter = ["email_status"]
    list_select_related = ["user"]
    search_fields = ["user__username", "title"]
    date_hierarchy = "created_at"
    show_full_result_count = False


# The login logs of django-axes are records of who signed in from where: kept,
# like the audit trail. Lockout entries (AccessAttempt) stay deletable, since
# deleting one is how a locked-out user is let in again.


class KeptAccessLogAdmin(KeepRecordsMixin, axes_admin.AccessLogAdmin):
    pass


class KeptAccessFailureLogAdmin(KeepRecordsMixin, axes_admin.AccessFailureLogAdmin):
    pass


for _model, _admin_class in (
    (AccessLog, KeptAccessLogAdmin),
    (AccessFailureLog, KeptAccessFailureLogAdmin),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, _admin_class)


def _superusers_only(request):
    return request.user.is_active and request.user.is_superuser


admin.site.has_permission = _superusers_only
admin.site.site_header = _("CRM database administration")
admin.site.site_title = _("CRM database administration")
admin.site.index_title = _("Tables (superusers only)")
