"""Browser pages of the monthly reports.

Views stay thin: a form validates, a selector reads, a service writes.
Visibility comes from ``reports.access``: a report the user may not see is a
404; seeing without the right to act is a 403.
"""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import months
from core.errors import DomainError
from core.transitions import allowed
from core.web import flash, form_errors_to_messages, paginate, pdf_response
from crm import report_notes
from crm.access import admin_required, by_role, leads_region, sees_all
from crm.models import Region
from reports import access, charts, figures, forms, pdf, selectors, services
from reports.filters import STATUS_CHOICES
from reports.models import MonthlyReport, ReportComment
from reports.transitions import TRANSITIONS

REPORTS_PER_PAGE = 30


def _month_or_404(value):
    try:
        return figures.parse_month(value)
    except (ValueError, AttributeError):
        raise Http404("Bad month") from None


@login_required
def report_list(request):
    """The reports the user may see: a manager's own, a region's, or all."""
    filterset = selectors.report_list(user=request.user, filters=request.GET or None)
    # The template's own inputs: a bad value is shown as the field's message.
    form_errors_to_messages(request, filterset.form)
    chosen = filterset.form.cleaned_data if filterset.is_bound else {}
    context = {
        "page": paginate(request, filterset.qs, REPORTS_PER_PAGE),
        "filter_form": filterset.form,
        "month": chosen.get("month"),
        "status": chosen.get("status") or None,
        "statuses": STATUS_CHOICES,
        "last_month": months.month_key(services.last_month()),
    }
    return render(request, "reports/report_list.html", context)


def _detail_context(request, report, **forms_given):
    user = request.user
    # What the page offers is the table's answer (``reports.transitions``).
    steps = allowed(TRANSITIONS, user, report)
    can_write = "edit" in steps
    context = {
        "report": report,
        "figures": report.figures,
        "forecast": report.forecast,
        "chart_data": charts.report_chart_data(report.figures),
        "steps": steps,
        "can_pdf": report.status in ("submitted", "approved"),
        "comments": selectors.report_comments(report),
        "sections": ReportComment.Section,
        "events": report.events.select_related("actor"),
        # Section c)'s notes of other apps (the satisfaction index and measures), read now.
        "notes": report_notes.for_report(report),
        "sections_form": forms_given.get("sections_form")
        or (forms.SectionsForm(instance=report) if can_write else None),
        "approve_form": forms_given.get("approve_form") or forms.ApproveForm(),
        "return_form": forms_given.get("return_form") or forms.ReturnForm(),
    }
    if access.can_review(user, report):
        context["previous_id"], context["next_id"] = selectors.review_queue(report)
    return context


@login_required
def report_detail(request, pk):
    report = selectors.report_detail(user=request.user, pk=pk)
    return render(request, "reports/report_detail.html", _detail_context(request, report))


def _acting(view):
    """POST only; the report the user may see (else 404); domain errors become messages."""

    @login_required
    @require_POST
    @functools.wraps(view)
    def wrapper(request, pk):
        report = selectors.report_detail(user=request.user, pk=pk)
        try:
            return view(request, report)
        except DomainError as error:
            messages.error(request, error.message)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect(report)

    return wrapper


@_acting
def report_sections(request, report):
    # Who may edit before the form is read; the state is the service's to refuse.
    if not TRANSITIONS["edit"].who(request.user, report):
        raise PermissionDenied
    form = forms.SectionsForm(request.POST, instance=MonthlyReport.objects.get(pk=report.pk))
    if not form.is_valid():
        context = _detail_context(request, report, sections_form=form)
        return render(request, "reports/report_detail.html", context, status=400)
    services.report_update_sections(
        report=report,
        actor=request.user,
        data={name: form.cleaned_data[name] for name in form.Meta.fields},
    )
    if "submit" in request.POST:
        services.report_submit(report=report, actor=request.user)
        messages.success(request, _("The report was submitted for review."))
    else:
        messages.success(request, _("The report was saved."))
    return redirect(report)


@_acting
def report_submit(request, report):
    services.report_submit(report=report, actor=request.user)
    messages.success(request, _("The report was submitted for review."))
    return redirect(report)


@_acting
def report_refresh(request, report):
    services.report_refresh_figures(report=report, actor=request.user)
    messages.success(request, _("The figures were recomputed from the current sales."))
    return redirect(report)


def _next_in_queue(report):
    _previous, following = selectors.review_queue(report)
    if following:
        return redirect("reports:report_detail", following)
    return redirect("reports:region_month", months.month_key(report.month))


@_acting
def report_approve(request, report):
    if not TRANSITIONS["approve"].who(request.user, report):
        raise PermissionDenied
    form = forms.ApproveForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, report, approve_form=form)
        return render(request, "reports/report_detail.html", context, status=400)
    services.report_approve(report=report, actor=request.user, comment=form.cleaned_data["comment"])
    messages.success(
        request, _("The report of %(manager)s was approved.") % {"manager": report.manager}
    )
    return _next_in_queue(report)


@_acting
def report_return(request, report):
    if not TRANSITIONS["return"].who(request.user, report):
        raise PermissionDenied
    form = forms.ReturnForm(request.POST)
    if not form.is_valid():
        context = _detail_context(request, report, return_form=form)
        return render(request, "reports/report_detail.html", context, status=400)
    comments = form.comments()
    general = comments.pop("general")
    services.report_return(report=report, actor=request.user, comments=comments, comment=general)
    messages.success(
        request, _("The report of %(manager)s was returned.") % {"manager": report.manager}
    )
    return _next_in_queue(report)


@login_required
def report_pdf(request, pk):
    report = selectors.report_detail(user=request.user, pk=pk)
    document = flash(request, lambda: pdf.report_document(report))
    return pdf_response(document) if document else redirect(report)


def _region_for(request):
    """The regional manager's own region, or the one an admin picked (``?region=``)."""
    user = request.user
    if leads_region(user):
        return user.region
    if sees_all(user):
        region_id = request.GET.get("region")
        if not region_id:
            return None
        try:
            return get_object_or_404(Region, pk=int(region_id))
        except ValueError:
            raise Http404("Bad region") from None
    raise PermissionDenied


@login_required
def month_redirect(request):
    month = months.month_key(services.last_month())
    page = by_role(
        request.user,
        admin="reports:admin_month",
        regional_manager="reports:region_month",
        manager=None,
    )
    return redirect(page, month) if page else redirect("reports:report_list")


def _status_counts(counts):
    labels = [
        *MonthlyReport.Status.choices,
        ("overdue", _("Overdue")),
        ("missing", _("Not prepared")),
    ]
    return [(key, label, counts.get(key, 0)) for key, label in labels]


@login_required
def region_month(request, month):
    month = _month_or_404(month)
    region = _region_for(request)
    if region is None:
        return redirect("reports:admin_month", months.month_key(month))
    data = selectors.region_month(region=region, month=month)
    context = {
        "region": region,
        "month": month,
        "month_key": months.month_key(month),
        "previous_month": months.month_key(months.month_shift(month, -1)),
        "next_month": months.month_key(months.month_shift(month, 1)),
        "due_date": services.due_date_for(month),
        "today": timezone.localdate(),
        "chart_data": charts.managers_chart_data(data["rows"]),
        "region_query": f"?region={region.pk}" if sees_all(request.user) else "",
        "status_counts": _status_counts(data["counts"]),
        **data,
    }
    return render(request, "reports/region_month.html", context)


@login_required
def region_month_pdf(request, month):
    month = _month_or_404(month)
    region = _region_for(request)
    if region is None:
        raise Http404("No region")
    data = selectors.region_month(region=region, month=month)
    return pdf_response(pdf.region_document(region=region, month=month, data=data))


@admin_required
def admin_month(request, month):
    month = _month_or_404(month)
    context = {
        "month": month,
        "month_key": months.month_key(month),
        "previous_month": months.month_key(months.month_shift(month, -1)),
        "next_month": months.month_key(months.month_shift(month, 1)),
        "due_date": services.due_date_for(month),
        "region_url": reverse("reports:region_month", args=[months.month_key(month)]),
        **selectors.regions_month(month=month),
    }
    for row in context["regions"]:
        row["status_counts"] = _status_counts(row["counts"])[:5]
    return render(request, "reports/admin_month.html", context)
