"""Browser pages of the complaints app, mounted at /complaints/."""

from django.urls import path

from complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("new/", views.complaint_create, name="create"),
    path("settings/", views.complaint_settings, name="settings"),
    path("<int:pk>/", views.complaint_detail, name="detail"),
    path("<int:pk>/pdf/", views.complaint_pdf, name="pdf"),
    path("<int:pk>/<slug:action>/", views.complaint_action, name="action"),
    path("photos/<int:pk>/", views.photo_file, name="photo"),
    path("signatures/<int:pk>/", views.signature_file, name="signature"),
]
