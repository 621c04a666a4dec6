"""Template context every page needs: the navigation, the unread notifications and
the pages a customer manager's phone keeps for use without signal."""

from django.urls import reverse

from core.models import Notification
from crm import navigation
from crm.access import works_customers


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_items": navigation.items_for(user, request.path),
        "offline_pages": offline_pages(user),
        "unread_notifications": Notification.objects.filter(
            user=user, read_at__isnull=True
        ).count(),
    }


# The pages a customer manager's phone keeps for use without signal (static/js/offline.js).
OFFLINE_PAGES = ("visits:today", "visits:schedule", "visits:customer_cards", "visits:field")


def offline_pages(user):
    if not works_customers(user):
        return ""
    return " ".join(reverse(name) for name in OFFLINE_PAGES)
