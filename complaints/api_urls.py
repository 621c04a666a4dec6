"""API routes of the complaints app, mounted under /api/."""

urlpatterns = []
