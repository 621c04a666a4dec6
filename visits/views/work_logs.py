"""Pages of work logs and their comments."""

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import business_dates
from core.web import apply, chosen, flash, form_errors_to_messages, list_filter, paginate
from crm.access import manager_required
from visits import access, forms, selectors
from visits.filters import WorkLogFilter
from visits.models import (
    WorkLog,
)
from visits.services import work_logs
from visits.views.common import ROWS_PER_PAGE


@login_required
def work_log_list(request):
    user = request.user
    filterset = list_filter(request, WorkLogFilter, selectors.work_log_list(user=user))
    page = paginate(request, filterset.qs, ROWS_PER_PAGE)
    return render(
        request,
        "visits/work_log_list.html",
        {"page": page, "kind": chosen(filterset, "kind"), "kinds": WorkLog.Kind.choices},
    )


@manager_required
def work_log_write(request):
    """Write (or rewrite) the daily log or weekly summary of a day."""
    user = request.user
    initial = {"kind": WorkLog.Kind.DAILY, "day": timezone.localdate()}
    kind = request.GET.get("kind")
    if kind in WorkLog.Kind.values:
        initial["kind"] = kind
        if kind == WorkLog.Kind.WEEKLY:
            initial["day"] = selectors.monday_of(timezone.localdate())
    with contextlib.suppress(ValidationError):
        initial["day"] = business_dates.parse_date(request.GET.get("day")) or initial["day"]
    existing = WorkLog.objects.filter(author=user, kind=initial["kind"], day=initial["day"]).first()
    if existing is not None:
        initial["content"] = existing.content
    form = forms.WorkLogForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        log = apply(
            form,
            lambda: work_logs.work_log_write(
                actor=user,
                kind=form.cleaned_data["kind"],
                day=form.cleaned_data["day"],
                content=form.cleaned_data["content"],
            ),
        )
        if log is not None:
            messages.success(request, _("Work log saved."))
            return redirect("visits:work_log_detail", pk=log.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "visits/work_log_form.html", {"form": form, "existing": existing}, status=status
    )


@login_required
def work_log_detail(request, pk):
    log = selectors.work_log_detail(user=request.user, pk=pk)
    previous, following = selectors.work_log_neighbours(user=request.user, log=log)
    return render(
        request,
        "visits/work_log_detail.html",
        {
            "log": log,
            "previous": previous,
            "following": following,
            "can_comment": access.can_comment_work_log(request.user, log),
            "can_edit": log.author_id == request.user.pk,
            "comment_form": forms.CommentForm(),
        },
    )


@require_POST
@login_required
def work_log_comment(request, pk):
    log = selectors.work_log_detail(user=request.user, pk=pk)
    if not access.can_comment_work_log(request.user, log):
        raise PermissionDenied
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        flash(
            request,
            lambda: work_logs.work_log_comment(
                log=log, actor=request.user, text=form.cleaned_data["text"]
            ),
            _("Comment sent."),
        )
    else:
        form_errors_to_messages(request, form)
    return redirect("visits:work_log_detail", pk=log.pk)
