"""Browser pages of the visits app."""

from django.urls import path

from visits.views import (
    field,
    first_contact,
    locations,
    photos,
    promotions,
    schedules,
    suggestions,
    today,
    unlicensed,
    violations,
    work_logs,
)
from visits.views import visits as visit_views

app_name = "visits"

urlpatterns = [
    path("today/", today.today, name="today"),
    path("not-contacted/", first_contact.not_contacted, name="not_contacted"),
    path("cards/", field.customer_cards, name="customer_cards"),
    path("field/", field.field, name="field"),
    # Weekly schedules
    path("schedule/", schedules.my_week, name="schedule"),
    path("schedule/propose/", schedules.schedule_propose, name="schedule_propose"),
    path("schedule/<int:pk>/", schedules.schedule_detail, name="schedule_detail"),
    path("schedule/<int:pk>/add/", schedules.schedule_add, name="schedule_add"),
    path("schedule/<int:pk>/submit/", schedules.schedule_submit, name="schedule_submit"),
    path("schedule/<int:pk>/comment/", schedules.schedule_comment, name="schedule_comment"),
    path("schedule/entry/<int:pk>/move/", schedules.schedule_move, name="schedule_move"),
    path("schedule/entry/<int:pk>/remove/", schedules.schedule_remove, name="schedule_remove"),
    path("schedule/entry/<int:pk>/start/", visit_views.visit_start, name="visit_start"),
    path("region/", schedules.region_schedules, name="region_schedules"),
    # Visit records
    path("list/", visit_views.visit_list, name="visit_list"),
    path("special/", visit_views.visit_special, name="visit_special"),
    path("<int:pk>/", visit_views.visit_detail, name="visit_detail"),
    path("<int:pk>/edit/", visit_views.visit_edit, name="visit_edit"),
    path("<int:pk>/end/", visit_views.visit_end, name="visit_end"),
    path("<int:pk>/locate/", visit_views.visit_locate, name="visit_locate"),
    path("<int:pk>/photos/", photos.visit_photo_add, name="visit_photo_add"),
    path("photos/<int:pk>/", photos.visit_photo_file, name="visit_photo"),
    path("photos/<int:pk>/remove/", photos.visit_photo_remove, name="visit_photo_remove"),
    path("locations/", locations.locations, name="locations"),
    path("<int:pk>/sign/<str:role>/", visit_views.visit_sign, name="visit_sign"),
    path("<int:pk>/suggestions/", visit_views.visit_suggestion_add, name="visit_suggestion_add"),
    path("<int:pk>/correct/", visit_views.visit_correct, name="visit_correct"),
    path("<int:pk>/pdf/", visit_views.visit_pdf, name="visit_pdf"),
    path("<int:pk>/signature/<str:role>.png", visit_views.signature_image, name="signature_image"),
    # Suggestions and revisits
    path("suggestions/", suggestions.suggestion_list, name="suggestion_list"),
    path("suggestions/<int:pk>/answer/", suggestions.suggestion_answer, name="suggestion_answer"),
    # Price violations
    path("violations/", violations.violation_list, name="violation_list"),
    path("violations/<int:pk>/", violations.violation_detail, name="violation_detail"),
    path(
        "violations/<int:pk>/downgrade/", violations.violation_downgrade, name="violation_downgrade"
    ),
    path("violations/<int:pk>/dismiss/", violations.violation_dismiss, name="violation_dismiss"),
    # Promotional materials
    path("promotions/", promotions.promotion_list, name="promotion_list"),
    path("promotions/new/", promotions.promotion_create, name="promotion_create"),
    path("promotions/<int:pk>/pdf/", promotions.promotion_pdf, name="promotion_pdf"),
    path(
        "promotions/<int:pk>/signature.png",
        promotions.promotion_signature,
        name="promotion_signature",
    ),
    # Unlicensed operation
    path("unlicensed/", unlicensed.unlicensed_list, name="unlicensed_list"),
    path("unlicensed/new/", unlicensed.unlicensed_create, name="unlicensed_create"),
    path("unlicensed/<int:pk>/", unlicensed.unlicensed_detail, name="unlicensed_detail"),
    path("unlicensed/<int:pk>/forward/", unlicensed.unlicensed_forward, name="unlicensed_forward"),
    path("unlicensed/<int:pk>/outcome/", unlicensed.unlicensed_outcome, name="unlicensed_outcome"),
    path("unlicensed/<int:pk>/photo/", unlicensed.unlicensed_photo, name="unlicensed_photo"),
    path("unlicensed/<int:pk>/pdf/", unlicensed.unlicensed_pdf, name="unlicensed_pdf"),
    # Work logs
    path("logs/", work_logs.work_log_list, name="work_log_list"),
    path("logs/write/", work_logs.work_log_write, name="work_log_write"),
    path("logs/<int:pk>/", work_logs.work_log_detail, name="work_log_detail"),
    path("logs/<int:pk>/comment/", work_logs.work_log_comment, name="work_log_comment"),
]
