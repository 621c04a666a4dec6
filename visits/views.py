"""Browser pages of the visits app.

Views stay thin: a form validates the input, a selector reads, a service
writes. Visibility comes from ``visits.access`` (foreign records are 404,
seeing without the right to change is 403). Domain errors and validation
errors of the services come back as form errors or messages, never a 500.
"""

import contextlib
import datetime
import functools
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from crm import audit, business_dates, workdays
from crm.access import (
    by_role,
    is_supervisor,
    sees_all,
    works_customers,
    works_in_region,
)
from crm.errors import DomainError
from crm.models import CalendarDay, GradeChange, Region
from crm.pagination import EstimatedCountPaginator, KeysFirstPaginator
from crm.web import login_or_token_required, safe_next
from visits import access, forms, selectors, services
from visits.models import (
    PlannedVisit,
    PriceViolation,
    PromotionReceipt,
    ScheduleComment,
    Signature,
    Suggestion,
    UnlicensedReport,
    Visit,
    WorkLog,
)

VISITS_PER_PAGE = 30
ROWS_PER_PAGE = 30


# Helpers ------------------------------------------------------------------------------


def _page(request, queryset, per_page=ROWS_PER_PAGE, paginator=EstimatedCountPaginator):
    page = paginator(queryset, per_page).get_page(request.GET.get("page"))
    page.elided_page_range = list(
        page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    return page


def _apply(form, action):
    """Run ``action()``; the service's errors become errors of ``form``. Returns the result,
    or None when it failed."""
    try:
        return action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
    except DomainError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
    return None


def _flash(request, action, success=None):
    """Run ``action()`` for a button without a form; errors become messages."""
    try:
        result = action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    if success:
        messages.success(request, success)
    return result if result is not None else True


def _form_errors_to_messages(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def manager_required(view):
    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not works_customers(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def supervisor_required(view):
    """Regional managers and admins."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_supervisor(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _week_param(request):
    """The Monday of ``?week=YYYY-MM-DD`` (any day of that week), else of this week.

    A week that is not a date, or outside the business range (9999-12-31 would
    overflow the week's end), falls back to this week with a message.
    """
    raw = request.GET.get("week") or request.POST.get("week") or ""
    try:
        day = business_dates.parse_date(raw)
    except ValidationError as exc:
        messages.warning(request, _("%(error)s This week is shown.") % {"error": exc.messages[0]})
        day = None
    return selectors.monday_of(day or timezone.localdate())


def _week_days(week_start):
    """The seven days of the week: each with whether it is worked and the calendar's name.

    Weekends show only when they are make-up working days (调休). One query.
    """
    start, end = selectors.week_bounds(week_start)
    exceptions = {
        row.date: row for row in CalendarDay.objects.filter(date__gte=start, date__lte=end)
    }
    days = []
    for offset in range(7):
        day = start + datetime.timedelta(days=offset)
        special = exceptions.get(day)
        if special is not None:
            working = special.kind == CalendarDay.Kind.WORKDAY
        else:
            working = day.weekday() < 5
        days.append(
            {
                "date": day,
                "working": working,
                "holiday": special is not None and not working,
                "makeup": special is not None and working,
                "name": special.name if special else "",
                "weekend": day.weekday() >= 5,
                "entries": [],
            }
        )
    return days


# Weekly schedules ---------------------------------------------------------------------


@login_required
def my_week(request):
    """A manager's plan for a week (客户访问日程表); others go to the region's page."""
    user = request.user
    week_start = _week_param(request)
    if not works_customers(user):
        url = reverse("visits:region_schedules")
        return redirect(f"{url}?week={week_start:%Y-%m-%d}")
    schedule = (
        selectors.schedule_detail_queryset().filter(manager=user, week_start=week_start).first()
    )
    return _render_schedule(request, schedule, week_start, owner=user)


@login_required
def schedule_detail(request, pk):
    schedule = selectors.schedule_detail(user=request.user, pk=pk)
    return _render_schedule(request, schedule, schedule.week_start, owner=schedule.manager)


def _render_schedule(request, schedule, week_start, *, owner, add_form=None):
    user = request.user
    days = _week_days(week_start)
    working = [d["date"] for d in days if d["working"]]
    today = timezone.localdate()
    can_edit = schedule is not None and access.can_edit_schedule(user, schedule)
    if schedule is not None:
        by_day = {d["date"]: d for d in days}
        for entry in schedule.entries.all():
            by_day[entry.planned_date]["entries"].append(entry)
    shown = [d for d in days if not d["weekend"] or d["working"] or d["entries"]]
    context = {
        "schedule": schedule,
        "owner": owner,
        "week_start": week_start,
        "week_end": week_start + datetime.timedelta(days=6),
        "previous_week": week_start - datetime.timedelta(days=7),
        "next_week": week_start + datetime.timedelta(days=7),
        "days": shown,
        "today": today,
        "can_edit": can_edit,
        "can_propose": works_customers(user) and owner.pk == user.pk and schedule is None,
        "is_own": owner.pk == user.pk,
        "can_comment": schedule is not None and access.can_comment_schedule(user, schedule),
        "comment_form": forms.CommentForm(),
        "move_form": forms.ScheduleMoveForm(days=working),
        "working_days": working,
    }
    if can_edit:
        context["add_form"] = add_form or forms.ScheduleAddForm(user=user, days=working)
    return render(request, "visits/schedule.html", context)


@require_POST
@manager_required
def schedule_propose(request):
    week_start = _week_param(request)
    result = _flash(
        request,
        lambda: services.schedule_propose(manager=request.user, week_start=week_start),
    )
    if result:
        schedule, created = result
        if created:
            messages.success(
                request,
                _("%(count)s visits proposed from your customers' grade intervals.")
                % {"count": schedule.entries.count()},
            )
    return redirect(f"{reverse('visits:schedule')}?week={week_start:%Y-%m-%d}")


def _schedule_url(schedule):
    return f"{reverse('visits:schedule')}?week={schedule.week_start:%Y-%m-%d}"


@require_POST
@login_required
def schedule_add(request, pk):
    schedule = access.schedule_for_user(request.user, pk, change=True)
    days = workdays.working_days_between(*selectors.week_bounds(schedule.week_start))
    form = forms.ScheduleAddForm(request.POST, user=request.user, days=days)
    if form.is_valid():
        entry = _apply(
            form,
            lambda: services.schedule_add_visit(
                schedule=schedule,
                actor=request.user,
                customer=form.cleaned_data["customer"],
                planned_date=form.cleaned_data["planned_date"],
            ),
        )
        if entry is not None:
            messages.success(
                request,
                _("%(customer)s added on %(date)s.")
                % {"customer": entry.customer, "date": f"{entry.planned_date:%m-%d}"},
            )
            return redirect(_schedule_url(schedule))
    _form_errors_to_messages(request, form)
    return redirect(_schedule_url(schedule))


def _entry_for_change(user, pk):
    try:
        entry = PlannedVisit.objects.select_related("schedule", "customer").get(
            pk=pk, schedule__in=access.schedule_scope(user)
        )
    except (PlannedVisit.DoesNotExist, ValueError, TypeError):
        raise Http404("No such planned visit") from None
    if not access.can_edit_schedule(user, entry.schedule):
        raise PermissionDenied
    return entry


@require_POST
@login_required
def schedule_move(request, pk):
    entry = _entry_for_change(request.user, pk)
    days = workdays.working_days_between(*selectors.week_bounds(entry.schedule.week_start))
    form = forms.ScheduleMoveForm(request.POST, days=days)
    if form.is_valid():
        new_date = form.cleaned_data["planned_date"]
        _flash(
            request,
            lambda: services.schedule_move_visit(
                entry=entry, actor=request.user, planned_date=new_date
            ),
            _("%(customer)s moved to %(date)s.")
            % {"customer": entry.customer, "date": f"{new_date:%m-%d}"},
        )
    else:
        _form_errors_to_messages(request, form)
    return redirect(_schedule_url(entry.schedule))


@require_POST
@login_required
def schedule_remove(request, pk):
    entry = _entry_for_change(request.user, pk)
    schedule = entry.schedule
    _flash(
        request,
        lambda: services.schedule_remove_visit(entry=entry, actor=request.user),
        _("%(customer)s removed from the week.") % {"customer": entry.customer},
    )
    return redirect(_schedule_url(schedule))


@require_POST
@login_required
def schedule_submit(request, pk):
    schedule = access.schedule_for_user(request.user, pk, change=True)
    _flash(
        request,
        lambda: services.schedule_submit(schedule=schedule, actor=request.user),
        _("Schedule submitted to the regional manager."),
    )
    return redirect(_schedule_url(schedule))


@require_POST
@login_required
def schedule_comment(request, pk):
    schedule = access.schedule_for_user(request.user, pk, comment=True)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        _flash(
            request,
            lambda: services.schedule_comment(
                schedule=schedule, actor=request.user, text=form.cleaned_data["text"]
            ),
            _("Comment sent."),
        )
    else:
        _form_errors_to_messages(request, form)
    back = request.POST.get("next")
    if back == "region":
        url = reverse("visits:region_schedules")
        return redirect(f"{url}?week={schedule.week_start:%Y-%m-%d}")
    return redirect(schedule)


@supervisor_required
def region_schedules(request):
    """Every manager's schedule of the region for a week, with coverage by grade."""
    user = request.user
    week_start = _week_param(request)
    region = None
    regions = []
    if sees_all(user):
        regions = list(Region.objects.order_by("code"))
        region_id = request.GET.get("region")
        region = next((r for r in regions if str(r.pk) == region_id), None)
        if region is None and regions:
            region = regions[0]
    rows = selectors.region_schedules(user=user, week_start=week_start, region=region)
    schedule_ids = [row.schedule.pk for row in rows if row.schedule]
    comments = {}
    if schedule_ids:
        for comment in (
            ScheduleComment.objects.filter(schedule_id__in=schedule_ids)
            .select_related("author")
            .order_by("created_at", "id")
        ):
            comments.setdefault(comment.schedule_id, []).append(comment)
    for row in rows:
        row.comments = comments.get(row.schedule.pk, []) if row.schedule else []
        row.total_due = sum(c.due for c in row.coverage)
        row.total_planned_due = sum(c.planned_due for c in row.coverage)
    return render(
        request,
        "visits/region_schedules.html",
        {
            "rows": rows,
            "week_start": week_start,
            "week_end": week_start + datetime.timedelta(days=6),
            "previous_week": week_start - datetime.timedelta(days=7),
            "next_week": week_start + datetime.timedelta(days=7),
            "regions": regions,
            "region": region,
            "comment_form": forms.CommentForm(),
        },
    )


# Visits -------------------------------------------------------------------------------


@require_POST
@login_required
def visit_start(request, pk):
    """Start a planned visit of the manager's own schedule (arrival time: now)."""
    try:
        planned = PlannedVisit.objects.select_related("schedule", "customer").get(
            pk=pk, schedule__in=access.schedule_scope(request.user)
        )
    except (PlannedVisit.DoesNotExist, ValueError, TypeError):
        raise Http404("No such planned visit") from None
    if planned.schedule.manager_id != request.user.pk:
        raise PermissionDenied
    existing = Visit.objects.filter(planned_visit=planned).first()
    if existing is not None:
        return redirect(existing)
    form = forms.StartForm(request.POST)
    latitude, longitude = form.location() if form.is_valid() else (None, None)
    visit = _flash(
        request,
        lambda: services.visit_start(
            actor=request.user, planned_visit=planned, latitude=latitude, longitude=longitude
        ),
    )
    if isinstance(visit, Visit):
        return redirect(visit)
    return redirect(safe_next(request, _schedule_url(planned.schedule)))


@manager_required
def visit_special(request):
    """Start a special visit (特殊访问): a customer and the circumstance that caused it."""
    initial = {}
    if request.GET.get("customer"):
        initial["customer"] = request.GET["customer"]
    form = forms.SpecialVisitForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        latitude, longitude = form.location()
        visit = _apply(
            form,
            lambda: services.visit_start(
                actor=request.user,
                customer=form.cleaned_data["customer"],
                special_reason=form.cleaned_data["special_reason"],
                latitude=latitude,
                longitude=longitude,
            ),
        )
        if visit is not None:
            messages.success(request, _("Special visit started."))
            return redirect(visit)
    return render(request, "visits/visit_special.html", {"form": form})


def _visit_context(request, visit, **forms_given):
    user = request.user
    can_edit = access.can_edit_visit(user, visit)
    editable = can_edit and visit.status in services.EDITABLE_STATUSES
    signatures = {s.role: s for s in visit.signatures.all()}
    context = {
        "visit": visit,
        "can_edit": can_edit,
        "editable": editable,
        "can_answer": access.is_current_manager(user, visit.customer),
        # Its author reads the record as history once the customer has gone.
        "customer_gone": visit.manager_id == user.pk and not can_edit,
        "checklist": visit.checklist(),
        "suggestions": list(visit.suggestions.all()),
        "events": list(visit.events.all()),
        "corrections": list(visit.corrections.all()),
        "manager_signature": signatures.get(Signature.Role.MANAGER),
        "customer_signature": signatures.get(Signature.Role.CUSTOMER),
        "today": timezone.localdate(),
    }
    if editable:
        context["content_form"] = forms_given.get("content_form") or forms.VisitContentForm(
            initial=forms.VisitContentForm.initial_from(visit)
        )
        context["suggestion_form"] = forms_given.get("suggestion_form") or forms.SuggestionForm()
    if can_edit and visit.status == Visit.Status.IN_PROGRESS:
        context["end_form"] = forms.EndForm()
    if can_edit and visit.status == Visit.Status.ENDED:
        context["sign_form"] = forms_given.get("sign_form") or forms.SignatureForm(
            role="manager", initial={"signer_name": str(user)}
        )
        context["sign_role"] = "manager"
    if can_edit and visit.status == Visit.Status.MANAGER_SIGNED:
        context["sign_form"] = forms_given.get("sign_form") or forms.SignatureForm(role="customer")
        context["sign_role"] = "customer"
    if visit.status in (Visit.Status.MANAGER_SIGNED, Visit.Status.LOCKED):
        context["intact"], context["problems"] = services.visit_verify(visit=visit, reload=False)
    return context


@login_required
def visit_detail(request, pk):
    visit = selectors.visit_detail(user=request.user, pk=pk)
    return render(request, "visits/visit_detail.html", _visit_context(request, visit))


def _visit_for_change(request, pk):
    return access.visit_for_user(
        request.user, pk, queryset=selectors.visit_detail_queryset(), change=True
    )


@require_POST
@login_required
def visit_edit(request, pk):
    """Save the record's content; refused once the manager has signed."""
    visit = _visit_for_change(request, pk)
    if visit.status not in services.EDITABLE_STATUSES:
        messages.error(request, services._locked_error(visit).message)
        return redirect(visit)
    form = forms.VisitContentForm(request.POST)
    if form.is_valid():
        saved = _apply(
            form,
            lambda: services.visit_update(visit=visit, actor=request.user, data=form.content()),
        )
        if saved is not None:
            messages.success(request, _("Visit record saved."))
            return redirect(visit)
    context = _visit_context(request, visit, content_form=form)
    return render(request, "visits/visit_detail.html", context, status=400)


@require_POST
@login_required
def visit_end(request, pk):
    visit = _visit_for_change(request, pk)
    form = forms.EndForm(request.POST)
    latitude, longitude = form.location() if form.is_valid() else (None, None)
    _flash(
        request,
        lambda: services.visit_end(
            visit=visit, actor=request.user, latitude=latitude, longitude=longitude
        ),
        _("Visit ended. Sign the record, then hand the phone to the customer."),
    )
    return redirect(visit)


@require_POST
@login_required
def visit_sign(request, pk, role):
    if role not in Signature.Role.values:
        raise Http404("No such signer")
    visit = _visit_for_change(request, pk)
    form = forms.SignatureForm(request.POST, role=role)
    if form.is_valid():
        signed = _apply(
            form,
            lambda: services.visit_sign(
                visit=visit,
                actor=request.user,
                role=role,
                image=form.cleaned_data["signature"],
                signer_name=form.cleaned_data["signer_name"],
            ),
        )
        if signed is not None:
            if role == Signature.Role.MANAGER:
                messages.success(request, _("Signed. Now the customer confirms with a signature."))
            else:
                messages.success(request, _("Confirmed by the customer. The record is locked."))
            return redirect(visit)
    visit = selectors.visit_detail(user=request.user, pk=pk)
    context = _visit_context(request, visit, sign_form=form)
    if context.get("sign_role") != role:
        # The state moved on meanwhile: show the page as it is now, with the message.
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect(visit)
    return render(request, "visits/visit_detail.html", context, status=400)


@require_POST
@login_required
def visit_suggestion_add(request, pk):
    visit = _visit_for_change(request, pk)
    form = forms.SuggestionForm(request.POST)
    if form.is_valid():
        suggestion = _apply(
            form,
            lambda: services.suggestion_add(
                visit=visit, actor=request.user, text=form.cleaned_data["text"]
            ),
        )
        if suggestion is not None:
            messages.success(
                request,
                _("Suggestion recorded; answer it by %(date)s.")
                % {"date": f"{suggestion.due_on:%Y-%m-%d}"},
            )
            return redirect(f"{visit.get_absolute_url()}#suggestions")
    _form_errors_to_messages(request, form)
    return redirect(f"{visit.get_absolute_url()}#suggestions")


@login_required
def visit_correct(request, pk):
    """A locked record is corrected by a new record linked to it."""
    visit = _visit_for_change(request, pk)
    if visit.status != Visit.Status.LOCKED:
        messages.error(request, _("Only a locked record is corrected; edit this one directly."))
        return redirect(visit)
    form = forms.CorrectionForm(
        request.POST or None, initial=forms.CorrectionForm.initial_from(visit)
    )
    if request.method == "POST" and form.is_valid():
        correction = _apply(
            form,
            lambda: services.visit_correct(
                visit=visit,
                actor=request.user,
                data=form.content(),
                reason=form.cleaned_data["reason"],
            ),
        )
        if correction is not None:
            messages.success(
                request, _("Correction created. Sign it, then let the customer confirm.")
            )
            return redirect(correction)
    return render(request, "visits/visit_correct.html", {"visit": visit, "form": form})


@login_required
def visit_pdf(request, pk):
    from visits.pdf import visit_pdf as render_pdf

    visit = selectors.visit_detail(user=request.user, pk=pk)
    try:
        data = render_pdf(visit=visit)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(visit)
    audit.record("pdf", obj=visit, summary=str(visit))
    response = HttpResponse(data, content_type="application/pdf")
    filename = f"visit-{visit.pk}-{timezone.localtime(visit.arrived_at):%Y%m%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _image_response(field_file):
    try:
        handle = field_file.open("rb")
    except (OSError, ValueError):
        raise Http404("No image") from None
    # An attachment, never a page: <img> still shows it, a link downloads it.
    response = FileResponse(handle, as_attachment=True, filename=os.path.basename(field_file.name))
    # Not kept by the browser: what it kept was shown without the access check
    # (after a logout, or after the customer changed hands).
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_or_token_required
def signature_image(request, pk, role):
    """A visit's signature image, for those who may see the visit (media is not public)."""
    visit = access.visit_for_user(request.user, pk)
    signature = Signature.objects.filter(visit=visit, role=role).first()
    if signature is None:
        raise Http404("No such signature")
    return _image_response(signature.image)


@login_required
def visit_list(request):
    user = request.user
    form = forms.VisitFilterForm(request.GET or None, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = selectors.visit_list(user=user, filters=filters)
    q = (filters.get("q") or "").strip()
    if q:
        queryset = queryset.filter(Q(customer__code__iexact=q) | Q(customer__name__icontains=q))
    customer_id = request.GET.get("customer", "")
    if customer_id:
        queryset = (
            queryset.filter(customer_id=customer_id) if customer_id.isdigit() else queryset.none()
        )
    page = _page(request, queryset, VISITS_PER_PAGE, KeysFirstPaginator)
    heading = by_role(
        user,
        admin=_("All visits"),
        regional_manager=_("Region's visits"),
        manager=_("My visits"),
        other=_("My visits"),
    )
    return render(
        request,
        "visits/visit_list.html",
        {"form": form, "page": page, "heading": heading, "filtered": bool(filters)},
    )


# Suggestions and revisits ------------------------------------------------------------


@login_required
def suggestion_list(request):
    user = request.user
    show = request.GET.get("show", "open")
    page = _page(request, selectors.suggestion_list(user=user, open_only=show != "all"))
    today = timezone.localdate()
    revisits = []
    if works_customers(user):
        revisits = list(selectors.open_revisits(until=today, manager_ids=[user.pk])[:50])
    return render(
        request,
        "visits/suggestion_list.html",
        {
            "page": page,
            "show": show,
            "today": today,
            "near": selectors.suggestion_near_limit(today),
            "revisits": revisits,
            "answer_form": forms.SuggestionAnswerForm(),
        },
    )


@require_POST
@login_required
def suggestion_answer(request, pk):
    try:
        suggestion = (
            access.suggestion_scope(request.user).select_related("visit", "customer").get(pk=pk)
        )
    except (Suggestion.DoesNotExist, ValueError, TypeError):
        raise Http404("No such suggestion") from None
    if not access.can_answer_suggestion(request.user, suggestion):
        raise PermissionDenied
    form = forms.SuggestionAnswerForm(request.POST)
    if form.is_valid():
        _flash(
            request,
            lambda: services.suggestion_answer(
                suggestion=suggestion, actor=request.user, answer=form.cleaned_data["answer"]
            ),
            _("Answer recorded."),
        )
    else:
        _form_errors_to_messages(request, form)
    return redirect(safe_next(request, reverse("visits:suggestion_list")))


# Price violations --------------------------------------------------------------------


@login_required
def violation_list(request):
    user = request.user
    status = request.GET.get("status", "")
    if status not in PriceViolation.Status.values:
        status = ""
    page = _page(request, selectors.violation_list(user=user, status=status or None))
    return render(
        request,
        "visits/violation_list.html",
        {"page": page, "status": status, "statuses": PriceViolation.Status.choices},
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
    can_decide = access.can_decide_violation(request.user, violation)
    context = {
        "violation": violation,
        "can_decide": can_decide and violation.status == PriceViolation.Status.OPEN,
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
        done = _apply(
            form,
            lambda: services.price_violation_downgrade(
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
        done = _apply(
            form,
            lambda: services.price_violation_dismiss(
                violation=violation, actor=request.user, note=form.cleaned_data["note"]
            ),
        )
        if done is not None:
            messages.success(request, _("Violation dismissed."))
            return redirect("visits:violation_detail", pk=violation.pk)
    return violation_detail(request, pk, dismiss_form=form)


# Promotional materials ----------------------------------------------------------------


@login_required
def promotion_list(request):
    customer = request.GET.get("customer")
    customer = customer if customer and customer.isdigit() else None
    page = _page(request, selectors.promotion_list(user=request.user, customer=customer))
    return render(request, "visits/promotion_list.html", {"page": page})


@manager_required
def promotion_create(request):
    initial = {}
    if request.GET.get("customer"):
        initial["customer"] = request.GET["customer"]
    form = forms.PromotionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        receipt = _apply(
            form,
            lambda: services.promotion_record(
                customer=form.cleaned_data["customer"],
                actor=request.user,
                item=form.cleaned_data["item"],
                quantity=form.cleaned_data["quantity"],
                signer_name=form.cleaned_data["signer_name"],
                signature=form.cleaned_data["signature"],
            ),
        )
        if receipt is not None:
            messages.success(
                request,
                _("Receipt recorded: %(item)s × %(quantity)s for %(customer)s.")
                % {
                    "item": receipt.item,
                    "quantity": receipt.quantity,
                    "customer": receipt.customer,
                },
            )
            return redirect("visits:promotion_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "visits/promotion_form.html", {"form": form}, status=status)


@login_or_token_required
def promotion_signature(request, pk):
    try:
        receipt = access.promotion_scope(request.user).get(pk=pk)
    except (PromotionReceipt.DoesNotExist, ValueError, TypeError):
        raise Http404("No such receipt") from None
    return _image_response(receipt.signature)


# Unlicensed operation ----------------------------------------------------------------


@login_required
def unlicensed_list(request):
    status = request.GET.get("status", "")
    if status not in UnlicensedReport.Status.values:
        status = ""
    page = _page(request, selectors.unlicensed_list(user=request.user, status=status or None))
    return render(
        request,
        "visits/unlicensed_list.html",
        {"page": page, "status": status, "statuses": UnlicensedReport.Status.choices},
    )


@login_required
def unlicensed_create(request):
    user = request.user
    if not works_in_region(user):
        raise PermissionDenied
    form = forms.UnlicensedForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        report = _apply(
            form,
            lambda: services.unlicensed_report(
                actor=user,
                address=form.cleaned_data["address"],
                description=form.cleaned_data["description"],
                photo=form.cleaned_data.get("photo"),
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
    can_handle = access.can_handle_unlicensed(request.user, report)
    return render(
        request,
        "visits/unlicensed_detail.html",
        {
            "report": report,
            "can_forward": can_handle and report.status == UnlicensedReport.Status.REPORTED,
            "can_close": can_handle and report.status == UnlicensedReport.Status.FORWARDED,
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
        _flash(
            request,
            lambda: services.unlicensed_forward(
                report=report, actor=request.user, note=form.cleaned_data["note"]
            ),
            _("Recorded as forwarded to the monopoly department."),
        )
    else:
        _form_errors_to_messages(request, form)
    return redirect("visits:unlicensed_detail", pk=report.pk)


@require_POST
@login_required
def unlicensed_outcome(request, pk):
    report = _unlicensed_for_user(request.user, pk)
    if not access.can_handle_unlicensed(request.user, report):
        raise PermissionDenied
    form = forms.OutcomeForm(request.POST)
    if form.is_valid():
        _flash(
            request,
            lambda: services.unlicensed_record_outcome(
                report=report, actor=request.user, outcome=form.cleaned_data["outcome"]
            ),
            _("Outcome recorded."),
        )
    else:
        _form_errors_to_messages(request, form)
    return redirect("visits:unlicensed_detail", pk=report.pk)


@login_or_token_required
def unlicensed_photo(request, pk):
    report = _unlicensed_for_user(request.user, pk)
    if not report.photo:
        raise Http404("No photo")
    return _image_response(report.photo)


# Work logs ---------------------------------------------------------------------------


@login_required
def work_log_list(request):
    user = request.user
    kind = request.GET.get("kind", "")
    if kind not in WorkLog.Kind.values:
        kind = ""
    page = _page(request, selectors.work_log_list(user=user, kind=kind or None))
    return render(
        request,
        "visits/work_log_list.html",
        {"page": page, "kind": kind, "kinds": WorkLog.Kind.choices},
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
        log = _apply(
            form,
            lambda: services.work_log_write(
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
        _flash(
            request,
            lambda: services.work_log_comment(
                log=log, actor=request.user, text=form.cleaned_data["text"]
            ),
            _("Comment sent."),
        )
    else:
        _form_errors_to_messages(request, form)
    return redirect("visits:work_log_detail", pk=log.pk)


# Today --------------------------------------------------------------------------------


@manager_required
def today(request):
    """The manager's day on its own page (the home page includes the same partial)."""
    return render(
        request, "visits/today.html", {"today": selectors.manager_today(user=request.user)}
    )
