"""The home page and the pages over the shared records."""

from django.urls import path

from home import audit_views, search, views

urlpatterns = [
    path("", views.home, name="home"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_mark_read, name="notification_mark_read"),
    path("audit/", audit_views.audit_list, name="audit_list"),
    path("search/", search.search, name="search"),
]
