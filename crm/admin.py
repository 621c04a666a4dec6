"""Django admin for admins. Histories are read-only here: they are written by services.

Nothing the users' records consist of is deleted here (``KeepRecordsMixin``):
customers, sales rows and imports, users (they are deactivated), audit rows,
notifications. Configuration - regions, grades, calendar days - can be
deleted, and each deletion leaves an audit row with what was deleted.

Every save and delete here calls the service the pages and the API call
(``ServiceAdminMixin``), so the admin cannot skip a check or a history row the
service keeps; what only a service-owned step may change is read-only.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.admin import KeepRecordsMixin, NoAddMixin, ReadOnlyInline, ReadOnlyMixin
from core.models import CalendarDay
from crm import services
from crm.models import (
    Assignment,
    Contact,
    Customer,
    Grade,
    GradeChange,
    NetworkStatusChange,
    Region,
    RegionRobot,
    RobotMessage,
    SalesImport,
    SalesRecord,
    User,
)


class ServiceAdminMixin:
    """Saves and deletes go through the model's services.

    ``create_service``, ``update_service`` and ``delete_service`` name the
    functions of ``crm.services`` (looked up when called); the last two take
    the object as ``instance_name``. The services check the actor, validate
    the whole object, and the delete writes its audit row in the deleting
    transaction.
    """

    create_service = update_service = delete_service = None
    instance_name = ""

    def save_model(self, request, obj, form, change):
        # The form has put its values on ``obj`` already; the service is handed
        # the same values, so it validates and saves exactly what was typed.
        data = {name: getattr(obj, name) for name in form.cleaned_data if name in self._fields()}
        if change:
            self._service(self.update_service)(
                **{self.instance_name: obj}, actor=request.user, data=data
            )
        else:
            obj.pk = self._service(self.create_service)(actor=request.user, data=data).pk

    def delete_model(self, request, obj):
        self._service(self.delete_service)(**{self.instance_name: obj}, actor=request.user)

    def delete_queryset(self, request, queryset):
        # All or nothing, like the admin's own bulk delete.
        with transaction.atomic():
            for obj in queryset:
                self._service(self.delete_service)(**{self.instance_name: obj}, actor=request.user)

    def _service(self, name):
        return getattr(services, name)

    def _fields(self):
        return {field.name for field in self.model._meta.concrete_fields}


@admin.register(Region)
class RegionAdmin(ServiceAdminMixin, admin.ModelAdmin):
    create_service = "region_create"
    update_service = "region_update"
    delete_service = "region_delete"
    instance_name = "region"
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


# What user_update may be handed from an admin form: the user's own columns;
# the password goes in hashed by the form, groups and permissions are saved
# after the user by the admin.
_USER_FIELDS = {field.name for field in User._meta.concrete_fields} - {"id", "password"}


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

    def save_model(self, request, obj, form, change):
        # Through the services the user pages and the API use: they check the
        # actor and validate the whole user.
        data = {name: getattr(obj, name) for name in form.changed_data if name in _USER_FIELDS}
        password = form.cleaned_data.get("password1")
        if not change and password:
            obj.pk = services.user_create(actor=request.user, data=data, password=password).pk
        else:
            # A change (its password is set on the password page), or a new
            # user without a usable password, which the form has set already.
            services.user_update(user=obj, actor=request.user, data=data)


class ContactInline(ReadOnlyInline):
    # The address book is edited on the customer page, through customer_update.
    model = Contact
    fields = ["name", "role", "phone", "notes"]


class GradeChangeInline(ReadOnlyInline):
    model = GradeChange
    fields = ["changed_at", "old_grade", "new_grade", "source", "reason", "changed_by"]


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ["changed_at", "from_manager", "to_manager", "reason", "changed_by"]


class NetworkStatusChangeInline(ReadOnlyInline):
    model = NetworkStatusChange
    fields = ["date", "action", "from_status", "to_status", "reason", "actor", "at"]


@admin.register(Customer)
class CustomerAdmin(NoAddMixin, admin.ModelAdmin):
    # New customers come through the customer pages or the API, which start the
    # assignment and grade histories.
    list_display = ["code", "name", "customer_type", "region", "manager", "grade", "network_status"]
    list_filter = ["network_status", "customer_type", "grade", "region"]
    list_select_related = ["region", "manager", "grade"]
    search_fields = ["code", "name", "licence_number"]
    # Only the profile is edited here, through customer_update. Assignment,
    # grade and network status change through their own services on the
    # customer pages and the API, which keep the histories.
    readonly_fields = [
        field.name
        for field in Customer._meta.concrete_fields
        if field.name not in services.PROFILE_FIELDS
    ]
    inlines = [ContactInline, GradeChangeInline, AssignmentInline, NetworkStatusChangeInline]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in form.changed_data}
        services.customer_update(customer=obj, actor=request.user, data=data)


@admin.register(Grade)
class GradeAdmin(ServiceAdminMixin, admin.ModelAdmin):
    create_service = "grade_create"
    update_service = "grade_update"
    delete_service = "grade_delete"
    instance_name = "grade"
    list_display = [name for name in services.GRADE_FIELDS if name != "description"]


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
    # The upload waiting for the worker: no page serves it, nor does the admin.
    exclude = ["file"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(ServiceAdminMixin, admin.ModelAdmin):
    create_service = "calendar_day_create"
    update_service = "calendar_day_update"
    delete_service = "calendar_day_delete"
    instance_name = "day"
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    date_hierarchy = "date"


@admin.register(RegionRobot)
class RegionRobotAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Saved through ``region_robot_set`` (the same checks as the group robots page)."""

    list_display = ["region", "kind", "active", "updated_at"]
    list_select_related = ["region"]
    exclude = ["updated_by"]

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in services.ROBOT_FIELDS}
        obj.pk = services.region_robot_set(region=obj.region, actor=request.user, data=data).pk

    def delete_model(self, request, obj):
        services.region_robot_remove(region=obj.region, actor=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                services.region_robot_remove(region=obj.region, actor=request.user)


@admin.register(RobotMessage)
class RobotMessageAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read-only; filtered by status it lists the group robot messages that never left."""

    list_display = ["created_at", "robot", "notification", "status", "attempts", "error"]
    list_filter = ["status"]
    list_select_related = ["robot__region", "notification"]
    date_hierarchy = "created_at"
    show_full_result_count = False
