from django.urls import include, path
from rest_framework.routers import DefaultRouter

from accounts.api import TokenLoginView, TokenLogoutAllView, TokenLogoutView
from crm.api import views
from visits import api as visits_api

router = DefaultRouter()
router.register("customers", views.CustomerViewSet, basename="customer")
router.register("grades", views.GradeViewSet, basename="grade")
router.register("regions", views.RegionViewSet, basename="region")
router.register("users", views.UserViewSet, basename="user")
router.register("sales", views.SalesViewSet, basename="sales")
router.register("calendar", views.CalendarViewSet, basename="calendar")

urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="api_token"),
    path("auth/logout/", TokenLogoutView.as_view(), name="api_logout"),
    path("auth/logoutall/", TokenLogoutAllView.as_view(), name="api_logoutall"),
    path("me/", views.MeView.as_view(), name="api_me"),
    path("visits/today/", visits_api.TodayView.as_view(), name="api_visits_today"),
    path("visits/", include(visits_api.router.urls)),
    path("sales/imports/<int:pk>/", views.SalesImportStatusView.as_view(), name="api_sales_import"),
    path("", include(router.urls)),
]
