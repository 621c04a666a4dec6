"""Reads of the reports app, scoped by ``reports.access``."""

from collections import Counter

from django.db.models import Count, Q

from crm.models import Region, User
from reports import access, figures
from reports.filters import ReportFilter
from reports.models import MonthlyReport, ReportComment

LIST_FIELDS_DEFERRED = ("figures", "forecast", "opinion_sources", "problems", "opinions")


def report_list(*, user, filters=None, request=None):
    """The ``ReportFilter`` over the reports the user may see, newest month first (``.qs``
    holds the rows); the big JSON fields deferred."""
    queryset = (
        MonthlyReport.objects.select_related("manager", "region", "approved_by")
        .defer(*LIST_FIELDS_DEFERRED)
        .order_by("-month", "region__code", "manager__username")
    )
    queryset = access.report_scope(user, queryset)
    return ReportFilter(filters, queryset=queryset, request=request)


def report_detail(*, user, pk):
    queryset = MonthlyReport.objects.select_related("manager", "region", "approved_by")
    return access.report_for_user(user, pk, queryset=queryset)


def report_comments(report):
    """The comments of the latest return, by section: shown beside the sections."""
    latest = (
        ReportComment.objects.filter(report=report)
        .order_by("-created_at", "-id")
        .values_list("event_id", flat=True)
        .first()
    )
    grouped = {}
    if latest is None:
        return grouped
    comments = ReportComment.objects.filter(report=report, event_id=latest).select_related("author")
    for comment in comments:
        grouped.setdefault(comment.section, []).append(comment)
    return grouped


def review_queue(report):
    """(previous, next) submitted report of the same region and month."""
    queue = list(
        MonthlyReport.objects.awaiting_review()
        .filter(region_id=report.region_id, month=report.month)
        .order_by("manager__username", "pk")
        .values_list("pk", flat=True)
    )
    if report.pk not in queue:
        return (None, queue[0] if queue else None)
    index = queue.index(report.pk)
    previous = queue[index - 1] if index > 0 else None
    following = queue[index + 1] if index + 1 < len(queue) else None
    return (previous, following)


def region_month(*, region, month):
    """Every active manager of the region with their report on the month (or None),
    the region's summary from the managers' figures, and the counts per status."""
    managers = list(
        User.objects.filter(region=region, role=User.Role.MANAGER, is_active=True).order_by(
            "username"
        )
    )
    reports = {
        report.manager_id: report
        for report in MonthlyReport.objects.filter(region=region, month=month).select_related(
            "manager", "approved_by"
        )
    }
    # A manager who left the region still shows with the report they wrote here.
    extra = [report.manager for pk, report in reports.items() if pk not in {m.pk for m in managers}]
    rows = [{"manager": m, "report": reports.get(m.pk)} for m in [*managers, *extra]]
    counts = Counter(row["report"].display_status if row["report"] else "missing" for row in rows)
    summary = figures.summarize(report.figures for report in reports.values())
    queue = [
        row["report"]
        for row in rows
        if row["report"] and row["report"].status == MonthlyReport.Status.SUBMITTED
    ]
    return {"rows": rows, "counts": counts, "summary": summary, "queue": queue}


def regions_month(*, month):
    """The admin's view: each region's counts and totals for the month.

    Two queries: the regions with their report counts, and the figures of the
    month's reports (only the JSON needed for the totals).
    """
    regions = list(
        Region.objects.annotate(
            managers=Count(
                "users",
                filter=Q(users__role=User.Role.MANAGER, users__is_active=True),
                distinct=True,
            ),
        ).order_by("code")
    )
    per_region = {}
    month_reports = MonthlyReport.objects.filter(month=month)
    overdue_ids = set(month_reports.overdue().values_list("pk", flat=True))
    rows = month_reports.values_list("pk", "region_id", "status", "figures")
    for pk, region_id, report_status, report_figures in rows:
        cell = per_region.setdefault(region_id, {"figures": [], "counts": Counter()})
        cell["figures"].append(report_figures)
        cell["counts"][report_status] += 1
        if pk in overdue_ids:
            cell["counts"]["overdue"] += 1
    result = []
    for region in regions:
        cell = per_region.get(region.pk, {"figures": [], "counts": Counter()})
        result.append(
            {
                "region": region,
                "managers": region.managers,
                "counts": cell["counts"],
                "reports": sum(
                    cell["counts"][key] for key in ("draft", "submitted", "returned", "approved")
                ),
                "summary": figures.summarize(cell["figures"]),
            }
        )
    total = figures.summarize(f for cell in per_region.values() for f in cell["figures"])
    return {"regions": result, "total": total}
