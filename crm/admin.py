"""Django admin for admins. Histories are read-only here: they are written by services.

Nothing the users' records consist of is deleted here (``KeepRecordsMixin``):
customers, sales rows and imports, users (they are deactivated), audit rows,
notifications. Configuration - regions, grades, calendar days - can be
deleted, and each deletion leaves an audit row with what was deleted
(``AuditedDeleteMixin``).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from crm import audit
from crm.models import (
    Assignment,
    AuditEvent,
    CalendarDay,
    Contact,
    Customer,
    Grade,
    GradeChange,
    Notification,
    Region,
    SalesImport,
    SalesRecord,
    User,
)


class KeepRecordsMixin:
    """No delete button, no "delete selected" action, and the delete page answers 403."""

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedDeleteMixin:
    """Deletes write an audit row with the deleted fields, in the same transaction."""

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit.record_deletion(obj, actor=request.user)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit.record_deletion(obj, actor=request.user)
            super().delete_queryset(request, queryset)


@admin.register(Region)
class RegionAdmin(AuditedDeleteMixin, admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(User)
class UserAdmin(KeepRecordsMixin, BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "region", "is_active"]
    list_filter = ["role", "region", "is_active"]
    list_select_related = ["region"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Customer-manager team"), {"fields": ["role", "region", "phone"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Customer-manager team"), {"fields": ["role", "region"]}),
    ]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    can_delete = False


class GradeChangeInline(ReadOnlyInline):
    model = GradeChange
    fields = ["changed_at", "old_grade", "new_grade", "source", "reason", "changed_by"]
    readonly_fields = fields


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ["changed_at", "from_manager", "to_manager", "reason", "changed_by"]
    readonly_fields = fields


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "customer_type", "region", "manager", "grade", "network_status"]
    list_filter = ["network_status", "customer_type", "grade", "region"]
    list_select_related = ["region", "manager", "grade"]
    search_fields = ["code", "name", "licence_number"]
    # Assignment and grade change only through the browser pages and the API,
    # which keep the history.
    readonly_fields = ["manager", "region", "grade", "assigned_at", "created_at", "updated_at"]
    inlines = [ContactInline, GradeChangeInline, AssignmentInline]

    def has_add_permission(self, request):
        # New customers come through the customer pages or the API, which
        # start the assignment and grade histories.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Grade)
class GradeAdmin(AuditedDeleteMixin, admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "rank",
        "min_annual_amount",
        "max_annual_amount",
        "visit_interval_days",
        "promotion_allowed",
    ]


@admin.register(SalesRecord)
class SalesRecordAdmin(KeepRecordsMixin, admin.ModelAdmin):
    list_display = ["customer", "month", "quantity", "amount", "sales_quantity", "sales_amount"]
    list_select_related = ["customer"]
    search_fields = ["customer__code", "customer__name"]
    date_hierarchy = "month"
    raw_id_fields = ["customer", "batch"]
    show_full_result_count = False


@admin.register(SalesImport)
class SalesImportAdmin(KeepRecordsMixin, admin.ModelAdmin):
    list_display = ["imported_at", "file_name", "row_count", "months", "imported_by"]
    list_select_related = ["imported_by"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedDeleteMixin, admin.ModelAdmin):
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "action", "object_type", "object_id", "summary", "ip_address"]
    list_filter = ["action"]
    search_fields = ["username", "summary", "object_id"]
    date_hierarchy = "at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(KeepRecordsMixin, admin.ModelAdmin):
    """Read-only; filtered by e-mail status it lists the e-mails that never left."""

    list_display = ["created_at", "user", "title", "email_status", "email_attempts", "email_error"]
    list_filter = ["email_status"]
    list_select_related = ["user"]
    search_fields = ["user__username", "title"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
