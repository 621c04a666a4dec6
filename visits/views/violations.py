"""Pages of price violations: list, detail, downgrade, dismiss."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.transitions import allowed
from core.web import apply, chosen, list_filter, paginate
from crm.models import GradeChange
from visits import access, forms, selectors
from visits.filters import ViolationFilter
from visits.models import (
    PriceViolation,
)
from visits.services import violations
from visits.transitions import VIOLATION_TRANSITIONS
from visits.views.common import ROWS_PER_PAGE


@login_required
def violation_list(request):
    user = request.user
    filterset = list_filter(request, ViolationFilter, selectors.violation_list(user=user))
    page = paginate(request, filterset.qs, ROWS_PER_PAGE)
    return render(
        request,
        "visits/violation_list.html",
        {
            "page": page,
            "status": chosen(filterset, "status"),
            "statuses": PriceViolation.Status.choices,
        },
    )


def _violation_for_user(user, pk):
    queryset = selectors.violation_list(user=user)
    try:
        return queryset.get(pk=pk)
    except (PriceViolation.DoesNotExist, ValueError, TypeError):
        raise Http404("No such violation") from None


@login_required
def violation_detail(request, pk, downgrade_form=None, dismiss_form=None):
    violation = _violation_for_user(request.user, pk)
    steps = allowed(VIOLATION_TRANSITIONS, request.user, violation)
    context = {
        "violation": violation,
        "steps": steps,
        "can_decide": bool(steps),
        "events": violation.events.select_related("actor"),
        # The evidence: what the visit recorded and who signed it.
        "signatures": violation.visit.signatures.order_by("signed_at"),
        "grade_changes": GradeChange.objects.filter(customer=violation.customer)
        .select_related("old_grade", "new_grade", "changed_by")
        .order_by("-changed_at", "-id")[:20],
    }
    if context["can_decide"]:
        context["downgrade_form"] = downgrade_form or forms.DowngradeForm(
            customer=violation.customer
        )
        context["dismiss_form"] = dismiss_form or forms.DismissForm()
    status = 400 if downgrade_form or dismiss_form else 200
    return render(request, "visits/violation_detail.html", context, status=status)


@require_POST
@login_required
def violation_downgrade(request, pk):
    violation = _violation_for_user(request.user, pk)
    if not access.can_decide_violation(request.user, violation):
        raise PermissionDenied
    form = forms.DowngradeForm(request.POST, customer=violation.customer)
    if form.is_valid():
        done = apply(
            form,
            lambda: violations.price_violation_downgrade(
                violation=violation,
                actor=request.user,
                grade=form.cleaned_data["grade"],
                note=form.cleaned_data["note"],
            ),
        )
        if done is not None:
            messages.success(
                request,
                _("%(customer)s downgraded to %(grade)s.")
                % {"customer": violation.customer, "grade": form.cleaned_data["grade"].code},
            )
            return redirect("visits:violation_detail", pk=violation.pk)
    return violation_detail(request, pk, downgrade_form=form)


@require_POST
@login_required
def violation_dismiss(request, pk):
    violation = _violation_for_user(request.user, pk)
    if not access.can_decide_violation(request.user, violation):
        raise PermissionDenied
    form = forms.DismissForm(request.POST)
    if form.is_valid():
        done = apply(
            form,
            lambda: violations.price_violation_dismiss(
                violation=violation, actor=request.user, note=form.cleaned_data["note"]
            ),
        )
        if done is not None:
            messages.success(request, _("Violation dismissed."))
            return redirect("visits:violation_detail", pk=violation.pk)
    return violation_detail(request, pk, dismiss_form=form)
