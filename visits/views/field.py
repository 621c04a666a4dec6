"""The manager's customer cards: every own customer on one page (name, address,
contacts, grade, last visit, open suggestions), kept on the phone by the service
worker so they can be read in a shop without signal."""

from django.db.models import Prefetch
from django.shortcuts import render

from crm.access import manager_required
from crm.models import Contact
from visits.models import Suggestion
from visits.selectors import customers_with_last_visit


@manager_required
def customer_cards(request):
    customers = (
        customers_with_last_visit(request.user.customers.all())
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
    return render(request, "visits/customer_cards.html", {"customers": customers})
