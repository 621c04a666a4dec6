"""The home page (what waits for the user, by role) and the pages over the shared
records: notifications and the audit trail."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import notifications
from core.models import Notification
from core.web import paginate
from crm import access
from crm.access import leads_region, sees_all, works_customers
from crm.models import Customer, Grade, RegradingRun, SalesImport, User
from home import dashboard
from home import kpis as kpi_boards
from visits.selectors import manager_today

NOTIFICATIONS_PER_PAGE = 30


@login_required
def home(request):
    """A short summary for the user's role; each part is one aggregate query."""
    user = request.user
    scope = access.customer_scope(user)
    context = {"grade_counts": _grade_counts(scope)}
    context["customer_total"] = sum(row["count"] for row in context["grade_counts"])
    context["exited_total"] = scope.filter(network_status=Customer.NetworkStatus.EXITED).count()
    context["recent_notifications"] = list(
        Notification.objects.filter(user=user).order_by("-created_at", "-id")[:5]
    )
    context["work_queue"] = dashboard.work_queue(user)
    board = kpi_boards.dashboard(user)
    if board is not None:
        context["kpi_board"] = board
        context["kpi_chart_data"] = kpi_boards.chart_data(board)
    if works_customers(user):
        context["today"] = manager_today(user=user)
        context["current_report"] = dashboard.current_report(user)
    if leads_region(user):
        context["manager_counts"] = list(
            User.objects.filter(role=User.Role.MANAGER, region_id=user.region_id, is_active=True)
            .annotate(
                customer_count=Count("customers", filter=Q(customers__region_id=user.region_id))
            )
            .order_by("username")
        )
        context["unassigned_total"] = scope.filter(manager__isnull=True).count()
    if sees_all(user):
        active_users = User.objects.filter(is_active=True)
        context["user_counts"] = {
            row["role"]: row["count"]
            for row in active_users.values("role").annotate(count=Count("id"))
        }
        context["last_run"] = (
            RegradingRun.objects.select_related("created_by")
            .annotate(proposal_count=Count("proposals"))
            .order_by("-created_at", "-pk")
            .first()
        )
        # Imports that stored rows; queued and failed ones are on the import page.
        context["last_imports"] = list(
            SalesImport.objects.filter(status=SalesImport.Status.DONE).select_related(
                "imported_by"
            )[:5]
        )
    return render(request, "home.html", context)


def _grade_counts(scope):
    """Each grade of the scheme with the number of customers in ``scope`` (and ungraded)."""
    counts = {
        row["grade_id"]: row["count"]
        for row in scope.order_by().values("grade_id").annotate(count=Count("id"))
    }
    rows = [
        {"grade": grade, "count": counts.get(grade.pk, 0)}
        for grade in Grade.objects.order_by("rank")
    ]
    if counts.get(None):
        rows.append({"grade": None, "count": counts[None]})
    return rows


@login_required
def notification_list(request):
    items = Notification.objects.filter(user=request.user).order_by("-created_at", "-id")
    return render(
        request,
        "home/notification_list.html",
        {"page": paginate(request, items, NOTIFICATIONS_PER_PAGE)},
    )


@login_required
@require_POST
def notification_mark_read(request):
    ids = None
    if request.POST.get("notification"):
        ids = [int(value) for value in request.POST.getlist("notification") if value.isdigit()]
    count = notifications.mark_read(user=request.user, notification_ids=ids)
    if ids is None:
        messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("notification_list")
