"""Django admin for visits: everything is read-only here and nothing is deleted.

Visits, schedules and unlicensed-outlet reports change only through their
services (start, finish, confirm and lock a visit; propose, edit and submit a
schedule; forward a report and record its outcome), which check the step and
write the trail; an admin form would set the status without either.
"""

from django.contrib import admin

from core.admin import KeepRecordsMixin, NoAddMixin, ReadOnlyInline, ReadOnlyMixin, stored_file
from visits.models import (
    PriceViolation,
    PriceViolationEvent,
    PromotionReceipt,
    Signature,
    UnlicensedReport,
    UnlicensedReportEvent,
    Visit,
    VisitEvent,
    WeeklySchedule,
    WorkLog,
)


class SignatureInline(ReadOnlyInline):
    model = Signature
    fields = ["role", "signer_name", "signed_at", "image_sha256", "content_hash", "captured_by"]


class VisitEventInline(ReadOnlyInline):
    model = VisitEvent
    fields = ["at", "action", "from_status", "to_status", "actor", "comment"]


class PriceViolationEventInline(ReadOnlyInline):
    model = PriceViolationEvent
    fields = ["at", "action", "from_status", "to_status", "actor", "comment"]


class UnlicensedReportEventInline(ReadOnlyInline):
    model = UnlicensedReportEvent
    fields = ["at", "action", "from_status", "to_status", "actor", "comment"]


@admin.register(Visit)
class VisitAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["customer", "manager", "kind", "status", "arrived_at"]
    list_filter = ["status", "kind"]
    list_select_related = ["customer", "manager"]
    search_fields = ["customer__code", "customer__name"]
    raw_id_fields = ["customer", "manager", "planned_visit", "revisited_by", "corrects"]
    readonly_fields = ["status", "created_at", "updated_at"]
    inlines = [SignatureInline, VisitEventInline]
    # Even a visit in progress is filled in through the visit services.
    date_hierarchy = "arrived_at"


@admin.register(WeeklySchedule)
class WeeklyScheduleAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["manager", "week_start", "status", "proposed_by_job", "submitted_at"]
    list_filter = ["status", "week_start"]
    list_select_related = ["manager"]
    readonly_fields = ["status", "submitted_at"]


@admin.register(PriceViolation)
class PriceViolationAdmin(NoAddMixin, admin.ModelAdmin):
    list_display = ["customer", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    list_select_related = ["customer", "decided_by"]
    readonly_fields = [f.name for f in PriceViolation._meta.fields]
    inlines = [PriceViolationEventInline]


@admin.register(PromotionReceipt)
class PromotionReceiptAdmin(NoAddMixin, admin.ModelAdmin):
    list_display = ["customer", "item", "quantity", "manager", "handed_at"]
    list_select_related = ["customer", "manager"]
    # The signature by its checked route (core.admin.stored_file), not as the field.
    exclude = ["signature"]
    readonly_fields = [
        "signature_file" if f.name == "signature" else f.name for f in PromotionReceipt._meta.fields
    ]
    signature_file = stored_file(PromotionReceipt, "signature", "visits:promotion_signature")


@admin.register(UnlicensedReport)
class UnlicensedReportAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["address", "region", "status", "created_at"]
    list_filter = ["status", "region"]
    list_select_related = ["region"]
    # The photo by its checked route (core.admin.stored_file), not as the field.
    exclude = ["photo"]
    readonly_fields = [
        "status",
        "forwarded_at",
        "forwarded_by",
        "outcome",
        "closed_at",
        "photo_file",
    ]
    photo_file = stored_file(UnlicensedReport, "photo", "visits:unlicensed_photo")
    inlines = [UnlicensedReportEventInline]


@admin.register(WorkLog)
class WorkLogAdmin(KeepRecordsMixin, admin.ModelAdmin):
    list_display = ["author", "kind", "day"]
    list_filter = ["kind"]
    list_select_related = ["author"]
