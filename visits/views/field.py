"""The manager's customer cards: every own customer on one page (name, address,
contacts, grade, last visit, open suggestions), kept on the phone by the service
worker so they can be read in a shop without signal."""

from django.db.models import Prefetch
from django.shortcuts import render

from crm.access import manager_required
from crm.models import Contact
from visits.models import CHECKLIST, Suggestion, VisitPhoto
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


@manager_required
def field(request):
    """The visit page for the field: works without signal (static/js/field.js)."""
    return render(
        request,
        "visits/field.html",
        {"checklist": CHECKLIST, "photo_stages": VisitPhoto.Stage.choices},
    )
