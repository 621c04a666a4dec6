"""Pages of unlicensed-operation reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.transitions import allowed
from core.web import (
    apply,
    chosen,
    file_response,
    flash,
    form_errors_to_messages,
    list_filter,
    login_or_token_required,
    paginate,
    pdf_response,
)
from crm.access import (
    works_in_region,
)
from visits import access, forms, selectors
from visits.filters import UnlicensedFilter
from visits.models import (
    UnlicensedReport,
)
from visits.services import unlicensed
from visits.transitions import UNLICENSED_TRANSITIONS
from visits.views.common import ROWS_PER_PAGE


@login_required
def unlicensed_list(request):
    rows = selectors.unlicensed_list(user=request.user)
    filterset = list_filter(request, UnlicensedFilter, rows)
    page = paginate(request, filterset.qs, ROWS_PER_PAGE)
    return render(
        request,
        "visits/unlicensed_list.html",
        {
            "page": page,
            "status": chosen(filterset, "status"),
            "statuses": UnlicensedReport.Status.choices,
        },
    )


@login_required
def unlicensed_create(request):
    user = request.user
    if not works_in_region(user):
        raise PermissionDenied
    form = forms.UnlicensedForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        latitude, longitude = form.location()
        report = apply(
            form,
            lambda: unlicensed.unlicensed_report(
                actor=user,
                address=form.cleaned_data["address"],
                description=form.cleaned_data["description"],
                photo=form.cleaned_data.get("photo"),
                latitude=latitude,
                longitude=longitude,
            ),
        )
        if report is not None:
            messages.success(request, _("Report sent to the regional manager."))
            return redirect("visits:unlicensed_detail", pk=report.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "visits/unlicensed_form.html", {"form": form}, status=status)


def _unlicensed_for_user(user, pk):
    try:
        return selectors.unlicensed_list(user=user).get(pk=pk)
    except (UnlicensedReport.DoesNotExist, ValueError, TypeError):
        raise Http404("No such report") from None


@login_required
def unlicensed_detail(request, pk):
    report = _unlicensed_for_user(request.user, pk)
    steps = allowed(UNLICENSED_TRANSITIONS, request.user, report)
    return render(
        request,
        "visits/unlicensed_detail.html",
        {
            "report": report,
            "steps": steps,
            "can_forward": "forward" in steps,
            "can_close": "outcome" in steps,
            "events": report.events.select_related("actor"),
            "forward_form": forms.ForwardForm(),
            "outcome_form": forms.OutcomeForm(),
        },
    )


@require_POST
@login_required
def unlicensed_forward(request, pk):
    report = _unlicensed_for_user(request.user, pk)
    if not access.can_handle_unlicensed(request.user, report):
        raise PermissionDenied
    form = forms.ForwardForm(request.POST)
    if form.is_valid():
        flash(
            request,
            lambda: unlicensed.unlicensed_forward(
                report=report, actor=request.user, note=form.cleaned_data["note"]
            ),
            _("Recorded as forwarded to the monopoly department."),
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("visits:unlicensed_detail", pk=report.pk)


@require_POST
@login_required
def unlicensed_outcome(request, pk):
    report = _unlicensed_for_user(request.user, pk)
    if not access.can_handle_unlicensed(request.user, report):
        raise PermissionDenied
    form = forms.OutcomeForm(request.POST)
    if form.is_valid():
        flash(
            request,
            lambda: unlicensed.unlicensed_record_outcome(
                report=report,
                actor=request.user,
                outcome=form.cleaned_data["outcome"],
                outcome_on=form.cleaned_data.get("outcome_on"),
            ),
            _("Outcome recorded."),
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("visits:unlicensed_detail", pk=report.pk)


@login_or_token_required
def unlicensed_photo(request, pk):
    report = _unlicensed_for_user(request.user, pk)
    if not report.photo:
        raise Http404("No photo")
    return file_response(report.photo)


@login_required
def unlicensed_pdf(request, pk):
    """The printable report with its photo, forwarding and outcome."""
    from visits.pdf import unlicensed_document

    return pdf_response(unlicensed_document(report=_unlicensed_for_user(request.user, pk)))
