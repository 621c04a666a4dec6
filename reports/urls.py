"""Browser pages of the reports app."""

app_name = "reports"

urlpatterns = []
