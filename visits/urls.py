"""Browser pages of the visits app."""

from django.urls import path

from visits import views

app_name = "visits"

urlpatterns = [
    path("today/", views.today, name="today"),
    # Weekly schedules
    path("schedule/", views.my_week, name="schedule"),
    path("schedule/propose/", views.schedule_propose, name="schedule_propose"),
    path("schedule/<int:pk>/", views.schedule_detail, name="schedule_detail"),
    path("schedule/<int:pk>/add/", views.schedule_add, name="schedule_add"),
    path("schedule/<int:pk>/submit/", views.schedule_submit, name="schedule_submit"),
    path("schedule/<int:pk>/comment/", views.schedule_comment, name="schedule_comment"),
    path("schedule/entry/<int:pk>/move/", views.schedule_move, name="schedule_move"),
    path("schedule/entry/<int:pk>/remove/", views.schedule_remove, name="schedule_remove"),
    path("schedule/entry/<int:pk>/start/", views.visit_start, name="visit_start"),
    path("region/", views.region_schedules, name="region_schedules"),
    # Visit records
    path("list/", views.visit_list, name="visit_list"),
    path("special/", views.visit_special, name="visit_special"),
    path("<int:pk>/", views.visit_detail, name="visit_detail"),
    path("<int:pk>/edit/", views.visit_edit, name="visit_edit"),
    path("<int:pk>/end/", views.visit_end, name="visit_end"),
    path("<int:pk>/sign/<str:role>/", views.visit_sign, name="visit_sign"),
    path("<int:pk>/suggestions/", views.visit_suggestion_add, name="visit_suggestion_add"),
    path("<int:pk>/correct/", views.visit_correct, name="visit_correct"),
    path("<int:pk>/pdf/", views.visit_pdf, name="visit_pdf"),
    path("<int:pk>/signature/<str:role>.png", views.signature_image, name="signature_image"),
    # Suggestions and revisits
    path("suggestions/", views.suggestion_list, name="suggestion_list"),
    path("suggestions/<int:pk>/answer/", views.suggestion_answer, name="suggestion_answer"),
    # Price violations
    path("violations/", views.violation_list, name="violation_list"),
    path("violations/<int:pk>/", views.violation_detail, name="violation_detail"),
    path("violations/<int:pk>/downgrade/", views.violation_downgrade, name="violation_downgrade"),
    path("violations/<int:pk>/dismiss/", views.violation_dismiss, name="violation_dismiss"),
    # Promotional materials
    path("promotions/", views.promotion_list, name="promotion_list"),
    path("promotions/new/", views.promotion_create, name="promotion_create"),
    path(
        "promotions/<int:pk>/signature.png",
        views.promotion_signature,
        name="promotion_signature",
    ),
    # Unlicensed operation
    path("unlicensed/", views.unlicensed_list, name="unlicensed_list"),
    path("unlicensed/new/", views.unlicensed_create, name="unlicensed_create"),
    path("unlicensed/<int:pk>/", views.unlicensed_detail, name="unlicensed_detail"),
    path("unlicensed/<int:pk>/forward/", views.unlicensed_forward, name="unlicensed_forward"),
    path("unlicensed/<int:pk>/outcome/", views.unlicensed_outcome, name="unlicensed_outcome"),
    path("unlicensed/<int:pk>/photo/", views.unlicensed_photo, name="unlicensed_photo"),
    # Work logs
    path("logs/", views.work_log_list, name="work_log_list"),
    path("logs/write/", views.work_log_write, name="work_log_write"),
    path("logs/<int:pk>/", views.work_log_detail, name="work_log_detail"),
    path("logs/<int:pk>/comment/", views.work_log_comment, name="work_log_comment"),
]
