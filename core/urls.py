"""The export pages (core.export_views) and the installable app (core.offline)."""

from django.urls import path

from core import export_views, offline

urlpatterns = [
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("offline/", offline.offline, name="offline"),
    path("exports/jobs/<int:pk>/", export_views.export_job, name="export_job"),
    path("exports/jobs/<int:pk>/download/", export_views.export_download, name="export_download"),
    path("exports/<slug:name>/<str:file_format>/", export_views.export_list, name="export_list"),
]
