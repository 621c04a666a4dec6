"""Browser pages of the reports app."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("<int:pk>/", views.report_detail, name="report_detail"),
    path("<int:pk>/sections/", views.report_sections, name="report_sections"),
    path("<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("<int:pk>/refresh/", views.report_refresh, name="report_refresh"),
    path("<int:pk>/approve/", views.report_approve, name="report_approve"),
    path("<int:pk>/return/", views.report_return, name="report_return"),
    path("<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
    path("month/", views.month_redirect, name="month"),
    path("month/<str:month>/", views.region_month, name="region_month"),
    path("month/<str:month>/pdf/", views.region_month_pdf, name="region_month_pdf"),
    path("overview/<str:month>/", views.admin_month, name="admin_month"),
]
