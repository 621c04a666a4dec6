"""API of the manager's day, under /api/visits/today/."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from visits import selectors
from visits import serializers as s


class TodayView(APIView):
    """The manager's day: today's plan, who is due, what is late."""

    @extend_schema(responses=s.TodaySerializer)
    def get(self, request):
        today = selectors.manager_today(user=request.user)
        return Response(
            s.TodaySerializer(
                {
                    "day": today.day,
                    "plan": today.plan,
                    "due_today": s.customer_due_rows(today.due_today),
                    "overdue": s.customer_due_rows(today.overdue),
                    "revisits_due": today.revisits_due,
                    "revisits_overdue": today.revisits_overdue,
                    "suggestions": today.suggestions,
                    "in_progress": today.in_progress,
                }
            ).data
        )
