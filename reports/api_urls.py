"""API routes of the reports app, mounted under /api/."""

urlpatterns = []
