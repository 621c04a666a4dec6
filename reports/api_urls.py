"""API routes of the reports app, mounted under /api/."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from reports import api

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("reports", api.ReportViewSet, basename="report")

urlpatterns = [path("", include(router.urls))]
