"""The API's one router: every app's endpoints under /api/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from accounts.api import TokenLoginView, TokenLogoutAllView, TokenLogoutView
from complaints.api import ComplaintViewSet
from core.api.exports import ExportJobView
from crm.api import views as crm_api
from home import api as kpi_api
from reports.api import ReportViewSet
from satisfaction import api as satisfaction_api
from visits.api import promotions, schedules, suggestions, unlicensed, violations, work_logs
from visits.api import visits as visit_api
from visits.api.field import FieldBundleView
from visits.api.today import TodayView

# One address per object: no ".json" twins of every route.
router = DefaultRouter()
router.include_format_suffixes = False
router.register("customers", crm_api.CustomerViewSet, basename="customer")
router.register("grades", crm_api.GradeViewSet, basename="grade")
router.register("regions", crm_api.RegionViewSet, basename="region")
router.register("users", crm_api.UserViewSet, basename="user")
router.register("sales", crm_api.SalesViewSet, basename="sales")
router.register("calendar", crm_api.CalendarViewSet, basename="calendar")
router.register("visits/schedules", schedules.ScheduleViewSet, basename="visits-schedule")
router.register("visits/records", visit_api.VisitViewSet, basename="visits-record")
router.register("visits/suggestions", suggestions.SuggestionViewSet, basename="visits-suggestion")
router.register(
    "visits/price-violations", violations.PriceViolationViewSet, basename="visits-violation"
)
router.register("visits/promotions", promotions.PromotionViewSet, basename="visits-promotion")
router.register("visits/unlicensed", unlicensed.UnlicensedViewSet, basename="visits-unlicensed")
router.register("visits/work-logs", work_logs.WorkLogViewSet, basename="visits-worklog")
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("reports", ReportViewSet, basename="report")
router.register(
    "satisfaction/questionnaires",
    satisfaction_api.QuestionnaireViewSet,
    basename="satisfaction-questionnaire",
)
router.register("satisfaction/rounds", satisfaction_api.RoundViewSet, basename="satisfaction-round")
router.register(
    "satisfaction/answers", satisfaction_api.AnswerViewSet, basename="satisfaction-answer"
)
router.register(
    "satisfaction/measures", satisfaction_api.MeasureViewSet, basename="satisfaction-measure"
)

urlpatterns = [
    path("auth/token/", TokenLoginView.as_view(), name="api_token"),
    path("auth/logout/", TokenLogoutView.as_view(), name="api_logout"),
    path("auth/logoutall/", TokenLogoutAllView.as_view(), name="api_logoutall"),
    path("me/", crm_api.MeView.as_view(), name="api_me"),
    path("visits/today/", TodayView.as_view(), name="api_visits_today"),
    path("visits/field/", FieldBundleView.as_view(), name="api_visits_field"),
    path(
        "satisfaction/index/",
        satisfaction_api.IndexView.as_view(),
        name="api_satisfaction_index",
    ),
    path("kpis/", kpi_api.KpiBoardView.as_view(), name="api_kpis"),
    path("kpis/managers/<int:pk>/", kpi_api.KpiManagerView.as_view(), name="api_kpis_manager"),
    path("kpis/exit-rates/", kpi_api.KpiExitRatesView.as_view(), name="api_kpis_exit_rates"),
    path("exports/<int:pk>/", ExportJobView.as_view(), name="api_export_job"),
    path(
        "sales/imports/<int:pk>/", crm_api.SalesImportStatusView.as_view(), name="api_sales_import"
    ),
    *router.urls,
]
