"""What a manager's phone keeps for a day without signal (GET /api/visits/field/):
this week's plan (today's visits to start), their customers' cards and the record's
checklist. The visit page for the field (/visits/field/) stores it on the phone and
queues what is done offline as API actions sent with an Idempotency-Key."""

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.access import works_customers
from crm.models import Contact
from visits.models import CHECKLIST, PlannedVisit, Suggestion, Visit
from visits.selectors import customers_with_last_visit, monday_of


def _position(value):
    return str(value) if value is not None else None


class FieldBundleView(APIView):
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        """The manager's week plan, customers and checklist, for the phone to keep."""
        user = request.user
        if not works_customers(user):
            raise PermissionDenied
        today = timezone.localdate()
        plan = (
            PlannedVisit.objects.filter(
                schedule__manager=user, schedule__week_start=monday_of(today)
            )
            .select_related("visit")
            .order_by("planned_date", "pk")
        )
        customers = (
            customers_with_last_visit(user.customers.all())
            .prefetch_related(
                Prefetch("contacts", queryset=Contact.objects.order_by("pk")),
                Prefetch(
                    "suggestions",
                    queryset=Suggestion.objects.open().order_by("due_on"),
                    to_attr="open_suggestions",
                ),
            )
            .order_by("name", "code")
        )
        return Response(
            {
                "generated_at": timezone.now(),
                "today": today,
                "manager": {"id": user.pk, "name": str(user)},
                "checklist": [
                    {"field": prefix, "label": str(label)} for prefix, label in CHECKLIST
                ],
                "plan": [
                    {
                        "id": entry.pk,
                        "customer": entry.customer_id,
                        "date": entry.planned_date,
                        "visit": getattr(getattr(entry, "visit", None), "pk", None),
                        "visit_status": getattr(getattr(entry, "visit", None), "status", None),
                    }
                    for entry in plan
                ],
                "customers": [
                    {
                        "id": customer.pk,
                        "code": customer.code,
                        "name": customer.name,
                        "address": customer.address,
                        "grade": customer.grade.code if customer.grade else None,
                        "promotion_allowed": bool(
                            customer.grade and customer.grade.promotion_allowed
                        ),
                        "latitude": _position(customer.latitude),
                        "longitude": _position(customer.longitude),
                        "last_visit_at": customer.last_visit_at,
                        "contacts": [
                            {"name": c.name, "role": c.role, "phone": c.phone}
                            for c in customer.contacts.all()
                        ],
                        "open_suggestions": [
                            {"text": s.text, "due_on": s.due_on} for s in customer.open_suggestions
                        ],
                    }
                    for customer in customers
                ],
                "visit_statuses": dict(Visit.Status.choices),
            }
        )
