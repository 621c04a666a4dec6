"""Browser pages of the customer archive."""

from django.urls import path

from crm import reminder_views, user_views, views

urlpatterns = [
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/new/", views.customer_create, name="customer_create"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/edit/", views.customer_edit, name="customer_edit"),
    path("customers/<int:pk>/reassign/", views.customer_reassign, name="customer_reassign"),
    path("customers/<int:pk>/grade/", views.customer_change_grade, name="customer_change_grade"),
    path("customers/<int:pk>/exit/", views.customer_exit_network, name="customer_exit_network"),
    path(
        "customers/<int:pk>/rejoin/", views.customer_rejoin_network, name="customer_rejoin_network"
    ),
    path("grades/", views.grade_list, name="grade_list"),
    path("grades/new/", views.grade_create, name="grade_create"),
    path("grades/<int:pk>/edit/", views.grade_edit, name="grade_edit"),
    path("regrading/", views.regrading_list, name="regrading_list"),
    path("regrading/<int:pk>/", views.regrading_detail, name="regrading_detail"),
    path("sales/", views.sales_list, name="sales_list"),
    path("sales/import/", views.sales_import, name="sales_import"),
    path("sales/import/template.csv", views.sales_import_template, name="sales_import_template"),
    path("sales/imports/<int:pk>/", views.sales_import_detail, name="sales_import_detail"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/import/", views.calendar_import, name="calendar_import"),
    path("calendar/<int:pk>/edit/", views.calendar_day_edit, name="calendar_day_edit"),
    path("calendar/<int:pk>/delete/", views.calendar_day_delete, name="calendar_day_delete"),
    path("users/", user_views.user_list, name="user_list"),
    path("users/new/", user_views.user_create, name="user_create"),
    path("users/<int:pk>/", user_views.user_detail, name="user_detail"),
    path("users/<int:pk>/edit/", user_views.user_edit, name="user_edit"),
    path("users/<int:pk>/password/", user_views.user_password, name="user_password"),
    path("users/<int:pk>/deactivate/", user_views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", user_views.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/unlock/", user_views.user_unlock, name="user_unlock"),
    path("regions/", user_views.region_list, name="region_list"),
    path("regions/new/", user_views.region_create, name="region_create"),
    path("regions/<int:pk>/edit/", user_views.region_edit, name="region_edit"),
    path("reminders/settings/", reminder_views.reminder_settings, name="reminder_settings"),
    path("reminders/robots/", reminder_views.robot_list, name="robot_list"),
    path("reminders/robots/<int:pk>/", reminder_views.robot_edit, name="robot_edit"),
    path(
        "reminders/robots/<int:pk>/remove/",
        reminder_views.robot_delete,
        name="robot_delete",
    ),
    path(
        "reminders/robot-messages/<int:pk>/retry/",
        reminder_views.robot_message_retry,
        name="robot_message_retry",
    ),
]
