"""Django admin: the deadline table is editable; forms and their trail are read-only here
(they change only through the services)."""

from django.contrib import admin

from complaints.models import (
    Complaint,
    ComplaintEvent,
    ComplaintPhoto,
    ComplaintSettings,
    ComplaintSignature,
)
from complaints.services import complaint_settings_update
from core.admin import KeepRecordsMixin, ReadOnlyInline, ReadOnlyMixin, stored_file


@admin.register(ComplaintSettings)
class ComplaintSettingsAdmin(KeepRecordsMixin, admin.ModelAdmin):
    list_display = ["__str__", "inspection_days", "decision_days", "exchange_days", "feedback_days"]
    readonly_fields = ["updated_at", "updated_by"]

    def has_add_permission(self, request):
        return not ComplaintSettings.objects.exists()

    def save_model(self, request, obj, form, change):
        # The settings page's service: it checks the actor, locks the row and
        # stamps who changed the deadlines.
        row = complaint_settings_update(
            actor=request.user,
            **{name: form.cleaned_data[name] for name in form.changed_data},
        )
        obj.pk = row.pk


class EventInline(ReadOnlyInline):
    model = ComplaintEvent
    fields = ["at", "action", "from_status", "to_status", "actor", "comment", "due_on"]


class PhotoInline(ReadOnlyInline):
    model = ComplaintPhoto
    fields = ["photo", "content_type", "size", "uploaded_by", "uploaded_at"]
    photo = stored_file(ComplaintPhoto, "image", "complaints:photo")


class SignatureInline(ReadOnlyInline):
    model = ComplaintSignature
    fields = ["role", "signer_name", "signed_at", "captured_by", "sha256", "signature"]
    signature = stored_file(ComplaintSignature, "image", "complaints:signature")


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["number", "customer", "product", "status", "reported_on", "due_on"]
    list_filter = ["status", "kind"]
    search_fields = ["customer__name", "customer__code", "product"]
    list_select_related = ["customer"]
    inlines = [SignatureInline, PhotoInline, EventInline]
