"""The export pages (core.export_views)."""

from django.urls import path

from core import export_views

urlpatterns = [
    path("exports/jobs/<int:pk>/", export_views.export_job, name="export_job"),
    path("exports/jobs/<int:pk>/download/", export_views.export_download, name="export_download"),
    path("exports/<slug:name>/<str:file_format>/", export_views.export_list, name="export_list"),
]
