"""The REST API of the visits app, under /api/visits/, one module per aggregate.

Reads go through the selectors and ``visits.access``; writes call the
services. Someone else's record answers 404, a record one may see but not
change 403, a transition from the wrong state (a locked record, signing out of
order) 409 with the reason, invalid input 400 with field messages.
"""

from rest_framework.routers import SimpleRouter

from visits.api import promotions, schedules, suggestions, unlicensed, violations, work_logs
from visits.api import visits as visit_api
from visits.api.today import TodayView

__all__ = ["TodayView", "router"]

router = SimpleRouter()
router.register("schedules", schedules.ScheduleViewSet, basename="visits-schedule")
router.register("records", visit_api.VisitViewSet, basename="visits-record")
router.register("suggestions", suggestions.SuggestionViewSet, basename="visits-suggestion")
router.register("price-violations", violations.PriceViolationViewSet, basename="visits-violation")
router.register("promotions", promotions.PromotionViewSet, basename="visits-promotion")
router.register("unlicensed", unlicensed.UnlicensedViewSet, basename="visits-unlicensed")
router.register("work-logs", work_logs.WorkLogViewSet, basename="visits-worklog")
