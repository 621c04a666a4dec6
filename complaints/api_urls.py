"""API routes of the complaints app, mounted under /api/."""

from django.urls import include, path

from complaints.api import router

urlpatterns = [path("", include(router.urls))]
