"""Section c) material: the month's complaints and the suggestions recorded on visits."""

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.selectors import quality_opinions
from core import months
from visits.models import Suggestion, Visit


def opinion_sources(month, managers):
    """``{manager_id: [item, ...]}``: one query for suggestions, one for visit opinions,
    and the complaints selector per manager."""
    start, end = months.month_bounds(month)
    manager_ids = [manager.pk for manager in managers]
    items = defaultdict(list)
    suggestions = (
        Suggestion.objects.filter(
            visit__manager_id__in=manager_ids,
            visit__arrived_at__gte=start,
            visit__arrived_at__lt=end,
        )
        .order_by("visit__arrived_at", "id")
        .values_list("visit__manager_id", "visit__arrived_at", "customer__name", "text", "answer")
    )
    for manager_id, at, customer_name, text, answer in suggestions:
        items[manager_id].append(
            {
                "kind": "suggestion",
                "date": f"{timezone.localtime(at):%Y-%m-%d}",
                "customer": customer_name,
                "text": text,
                "result": answer,
            }
        )
    opinions = (
        Visit.objects.filter(
            manager_id__in=manager_ids,
            arrived_at__gte=start,
            arrived_at__lt=end,
            corrects__isnull=True,
        )
        .exclude(customer_opinions="")
        .order_by("arrived_at", "id")
        .values_list("manager_id", "arrived_at", "customer__name", "customer_opinions")
    )
    for manager_id, at, customer_name, text in opinions:
        items[manager_id].append(
            {
                "kind": "visit",
                "date": f"{timezone.localtime(at):%Y-%m-%d}",
                "customer": customer_name,
                "text": text,
                "result": "",
            }
        )
    for manager in managers:
        for row in quality_opinions(manager, month):
            items[manager.pk].append(
                {
                    "kind": "complaint",
                    "date": str(row["date"]),
                    "customer": row["customer"],
                    "text": " · ".join(part for part in (row["product"], row["problem"]) if part),
                    "result": row["result"],
                }
            )
    for rows in items.values():
        rows.sort(key=lambda row: (row["date"], row["kind"]))
    return items


def opinions_text(sources):
    """The prefilled text of section c), one line per item."""
    if not sources:
        return _("No complaints or suggestions were recorded this month.")
    labels = {
        "complaint": _("Complaint"),
        "suggestion": _("Suggestion"),
        "visit": _("Visit"),
    }
    lines = []
    for row in sources:
        line = f"{row['date']} {row['customer']} [{labels.get(row['kind'], '')}] {row['text']}"
        if row["result"]:
            line += " — " + _("Result: %(result)s") % {"result": row["result"]}
        lines.append(line)
    return "\n".join(lines)
