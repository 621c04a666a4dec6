"""The search box of the navigation: customers (name, code, licence), their visits,
and complaints (number, customer), each within what the user may see.

Every list is read through its app's scope (``crm.access.customer_scope``,
``visits.access.visit_scope``, ``complaints.access.complaint_scope``) before the
words are looked for, so a row the user may not see is never found: "not yours"
looks like "no such thing". A fixed number of queries whatever the archive's size.
"""

import re

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render

from complaints.access import complaint_scope
from crm.access import customer_scope
from visits.access import visit_scope

MAX_QUERY = 100
# Rows shown per kind; one more is read to say there are more.
SHOWN = {"customers": 20, "visits": 10, "complaints": 10}
# A complaint's number as printed (QF000031), or its digits (31, 000031).
COMPLAINT_NUMBER = re.compile(r"^(?:QF)?0*(\d{1,9})$", re.IGNORECASE)


def search_results(*, user, query):
    """{kind: (rows, more)} for the words of ``query`` in what ``user`` may see."""
    words = query.strip()[:MAX_QUERY]
    if not words:
        return {}
    customer_match = (
        Q(name__icontains=words) | Q(code__icontains=words) | Q(licence_number__icontains=words)
    )
    customers = (
        customer_scope(user)
        .filter(customer_match)
        .select_related("grade", "manager")
        .order_by("code")
    )
    on_customer = (
        Q(customer__name__icontains=words)
        | Q(customer__code__icontains=words)
        | Q(customer__licence_number__icontains=words)
    )
    visits = (
        visit_scope(user)
        .filter(on_customer)
        .select_related("customer", "manager")
        .order_by("-arrived_at", "-pk")
    )
    complaint_match = on_customer | Q(product__icontains=words)
    number = COMPLAINT_NUMBER.match(words.replace(" ", ""))
    if number:
        complaint_match |= Q(pk=int(number.group(1)))
    complaints = (
        complaint_scope(user)
        .filter(complaint_match)
        .select_related("customer")
        .order_by("-reported_on", "-pk")
    )
    results = {}
    for kind, rows in (("customers", customers), ("visits", visits), ("complaints", complaints)):
        limit = SHOWN[kind]
        found = list(rows[: limit + 1])
        results[kind] = (found[:limit], len(found) > limit)
    return results


@login_required
def search(request):
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY]
    results = search_results(user=request.user, query=query)
    return render(
        request,
        "home/search.html",
        {
            "query": query,
            "results": results,
            "found": any(rows for rows, _more in results.values()),
        },
    )
