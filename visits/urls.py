"""Browser pages of the visits app."""

app_name = "visits"

urlpatterns = []
