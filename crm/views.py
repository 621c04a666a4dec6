"""Browser pages of the customer archive.

Views stay thin: a form validates the input, a selector reads, a service
writes. Visibility comes from ``crm.access`` (foreign customers are 404).
"""

import csv
import datetime

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.models import CalendarDay
from core.transitions import allowed
from core.web import apply, flash, paginate
from crm import access, forms, panels, selectors, services, workflows
from crm.access import admin_required, leads_region, sees_all, supervisor_required
from crm.filters import SalesFilter
from crm.models import Customer, Grade, RegradingProposal, RegradingRun, SalesImport
from crm.sales_import import (
    LISTED_ERRORS,
    SalesImportError,
    sales_import_for_user,
    sales_import_scope,
)

CUSTOMERS_PER_PAGE = 50
SALES_PER_PAGE = 50
PROPOSALS_PER_PAGE = 100


# Customers ---------------------------------------------------------------------------

SORTABLE_COLUMNS = [
    # (ordering key of CustomerFilter, column heading): lazy, read in the user's language.
    ("code", gettext_lazy("Code")),
    ("name", gettext_lazy("Name")),
    ("grade", gettext_lazy("Grade")),
    ("region", gettext_lazy("Region")),
    ("manager", gettext_lazy("Manager")),
]


@login_required
def customer_list(request):
    filterset = selectors.customer_list(user=request.user, filters=request.GET, request=request)
    _prepare_filter_form(filterset.form, request.user)
    page = paginate(request, filterset.qs, CUSTOMERS_PER_PAGE)
    current = request.GET.get("ordering", "")
    columns = []
    for key, label in SORTABLE_COLUMNS:
        direction = "asc" if current == key else "desc" if current == f"-{key}" else ""
        columns.append(
            {
                "label": label,
                "direction": direction,
                "next": f"-{key}" if direction == "asc" else key,
            }
        )
    filtered = any(
        request.GET.get(name) for name in filterset.form.fields if name != "ordering"
    ) or bool(request.GET.getlist("grade"))
    return render(
        request,
        "crm/customer_list.html",
        {
            "filter": filterset,
            "page": page,
            "columns": columns,
            "filtered": filtered,
            "can_create": access.can_create_customer(request.user),
        },
    )


def _prepare_filter_form(form, user):
    """Bootstrap classes, "All" for an empty choice, grades as toggle buttons; an
    admin's manager choice follows the region chosen."""
    forms.style_form(form)
    for name in ("region", "manager"):
        form.fields[name].empty_label = _("All")
    if sees_all(user):
        forms.follow_region(form)
    grades = form.fields["grade"]
    grades.widget = django_forms.CheckboxSelectMultiple(choices=grades.choices)


@login_required
def customer_detail(request, pk):
    customer = selectors.customer_detail(user=request.user, pk=pk)
    # The service centre reads names and contacts, never sales figures.
    sales = selectors.customer_sales(customer=customer) if access.sees_sales(request.user) else []
    return render(
        request,
        "crm/customer_detail.html",
        {
            "customer": customer,
            "sales": sales,
            "sales_total": sum(row.amount for row in sales),
            "sees_sales": access.sees_sales(request.user),
            "can_edit": access.can_edit_customer(request.user, customer),
            "can_supervise": access.can_supervise_customer(request.user, customer),
            "network_steps": allowed(
                workflows.NETWORK_TRANSITIONS,
                request.user,
                customer,
                field=workflows.NETWORK_FIELD,
            ),
            "panels": panels.for_customer(request.user, customer),
        },
    )


@login_required
def customer_create(request):
    user = request.user
    if not access.can_create_customer(user):
        raise PermissionDenied
    customer = Customer(region=user.region if leads_region(user) else None)
    form = forms.CustomerForm(request.POST or None, instance=customer, user=user)
    formset = forms.ContactFormSet(request.POST or None, instance=customer, prefix="contacts")
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        customer = apply(
            form,
            lambda: services.customer_create(
                actor=user,
                data=form.service_data(),
                contacts=forms.contacts_from_formset(formset),
            ),
        )
        if customer is not None:
            messages.success(request, _("Customer %(customer)s created.") % {"customer": customer})
            return redirect(customer)
    return render(
        request,
        "crm/customer_form.html",
        {"form": form, "formset": formset, "customer": None},
    )


@login_required
def customer_edit(request, pk):
    customer = access.customer_for_user(request.user, pk, change=True)
    form = forms.CustomerForm(request.POST or None, instance=customer, user=request.user)
    formset = forms.ContactFormSet(request.POST or None, instance=customer, prefix="contacts")
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):
        saved = apply(
            form,
            lambda: services.customer_update(
                customer=customer,
                actor=request.user,
                data=form.service_data(),
                contacts=forms.contacts_from_formset(formset),
            ),
        )
        if saved is not None:
            messages.success(request, _("Customer %(customer)s saved.") % {"customer": customer})
            return redirect(customer)
    return render(
        request,
        "crm/customer_form.html",
        {"form": form, "formset": formset, "customer": customer},
    )


def _customer_action(service, form_class, *, title, submit, done, form_takes_user=False):
    """A supervisor's action on one customer: a small form whose fields are the
    arguments of ``crm.services.<service>`` (looked up when called), one call, a message."""

    @login_required
    def view(request, pk):
        customer = access.customer_for_user(
            request.user,
            pk,
            queryset=Customer.objects.select_related("region", "manager", "grade"),
            supervise=True,
        )
        form_kwargs = {"user": request.user} if form_takes_user else {}
        form = form_class(request.POST or None, **form_kwargs)

        def perform():
            return getattr(services, service)(
                customer=customer, actor=request.user, **form.cleaned_data
            )

        if request.method == "POST" and form.is_valid() and apply(form, perform) is not None:
            messages.success(request, done % {"customer": customer})
            return redirect(customer)
        return render(
            request,
            "crm/customer_action.html",
            {"customer": customer, "form": form, "title": title, "submit": submit},
        )

    view.__name__ = view.__qualname__ = service
    return view


customer_reassign = _customer_action(
    "customer_reassign",
    forms.ReassignForm,
    form_takes_user=True,
    title=gettext_lazy("Reassign customer"),
    submit=gettext_lazy("Reassign"),
    done=gettext_lazy("Customer %(customer)s reassigned."),
)
customer_change_grade = _customer_action(
    "customer_change_grade",
    forms.GradeChangeForm,
    title=gettext_lazy("Change grade"),
    submit=gettext_lazy("Change grade"),
    done=gettext_lazy("The grade of %(customer)s was changed."),
)
customer_exit_network = _customer_action(
    "customer_exit_network",
    forms.ExitNetworkForm,
    title=gettext_lazy("Exit the network"),
    submit=gettext_lazy("Record exit"),
    done=gettext_lazy("%(customer)s has exited the network."),
)
customer_rejoin_network = _customer_action(
    "customer_rejoin_network",
    forms.RejoinNetworkForm,
    title=gettext_lazy("Rejoin the network"),
    submit=gettext_lazy("Record rejoining"),
    done=gettext_lazy("%(customer)s is back in the network."),
)


# Grading scheme ------------------------------------------------------------------------


@admin_required
def grade_list(request):
    grades = Grade.objects.annotate(customer_count=Count("customers")).order_by("rank")
    return render(request, "crm/grade_list.html", {"grades": grades})


@admin_required
def grade_create(request):
    return _grade_form(request, None)


@admin_required
def grade_edit(request, pk):
    return _grade_form(request, get_object_or_404(Grade, pk=pk))


def _grade_form(request, grade):
    form = forms.GradeForm(request.POST or None, instance=grade)
    if request.method == "POST" and form.is_valid():
        if grade is None:
            saved = apply(
                form, lambda: services.grade_create(actor=request.user, data=form.cleaned_data)
            )
        else:
            saved = apply(
                form,
                lambda: services.grade_update(
                    grade=grade, actor=request.user, data=form.cleaned_data
                ),
            )
        if saved is not None:
            messages.success(request, _("Grade %(grade)s saved.") % {"grade": saved})
            return redirect("grade_list")
    return render(request, "crm/grade_form.html", {"form": form, "grade": grade})


# Regrading -------------------------------------------------------------------------------


def _regrading_counts(user, runs):
    """{run id: {total, applied, applicable}} over the proposals ``user`` sees."""
    rows = (
        access.regrading_scope(user, RegradingProposal.objects.filter(run__in=runs))
        .values("run_id")
        .annotate(
            total=Count("id"),
            applied=Count("id", filter=Q(applied=True)),
            amount=Sum("annual_amount"),
        )
    )
    counts = {row["run_id"]: row for row in rows}
    open_ids = [run.pk for run in runs if run.status == RegradingRun.Status.PROPOSED]
    applicable = (
        access.regrading_applicable(
            user, RegradingProposal.objects.filter(run__in=open_ids, applied=False)
        )
        .values("run_id")
        .annotate(count=Count("id"))
    )
    for row in applicable:
        counts[row["run_id"]]["applicable"] = row["count"]
    return counts


@supervisor_required
def regrading_list(request):
    """Every run; an admin starts them, a regional manager sees their region's part."""
    if request.method == "POST":
        run = flash(request, lambda: services.regrading_propose(actor=request.user))
        if not run:
            return redirect("regrading_list")
        messages.success(
            request,
            _("Regrading run started: %(count)s customers would change grade.")
            % {"count": run.proposals.count()},
        )
        return redirect(run)
    page = paginate(
        request,
        RegradingRun.objects.select_related("created_by").order_by("-created_at", "-pk"),
        20,
    )
    counts = _regrading_counts(request.user, list(page.object_list))
    for run in page.object_list:
        row = counts.get(run.pk, {})
        run.proposal_count = row.get("total", 0)
        run.applied_count = row.get("applied", 0)
    return render(
        request,
        "crm/regrading_list.html",
        {"page": page, "may_start": access.may_start_regrading(request.user)},
    )


@supervisor_required
def regrading_detail(request, pk):
    run = get_object_or_404(RegradingRun.objects.select_related("created_by"), pk=pk)
    if request.method == "POST":
        return _regrading_decide(request, run)
    user = request.user
    proposals = access.regrading_scope(
        user, RegradingProposal.objects.filter(run=run)
    ).select_related("customer__region", "customer__manager", "old_grade", "new_grade")
    row = _regrading_counts(user, [run]).get(run.pk, {})
    counts = {
        "total": row.get("total", 0),
        "applied": row.get("applied", 0),
        "amount": row.get("amount"),
        "applicable": row.get("applicable", 0),
    }
    page = paginate(request, proposals, PROPOSALS_PER_PAGE)
    # The buttons and checkboxes are the steps the tables allow (crm.workflows).
    steps = allowed(workflows.RUN_TRANSITIONS, user, run)
    for proposal in page.object_list:
        proposal.may_apply = bool(steps) and "apply" in allowed(
            workflows.PROPOSAL_TRANSITIONS, user, proposal, field="state"
        )
    return render(
        request,
        "crm/regrading_detail.html",
        {
            "run": run,
            "page": page,
            "counts": counts,
            "steps": steps,
            "events": run.events.select_related("actor"),
        },
    )


def _regrading_decide(request, run):
    user = request.user
    if not any(step.who(user, run) for step in workflows.RUN_TRANSITIONS.values()):
        # A regional manager whose region has no downgrade in the run: nothing to confirm.
        raise PermissionDenied
    action = request.POST.get("action")
    try:
        if action == "discard":
            services.regrading_discard(run=run, actor=request.user)
            messages.success(request, _("The regrading run was discarded."))
        elif action == "apply_all":
            services.regrading_apply(run=run, actor=request.user)
            if access.may_start_regrading(request.user):
                messages.success(request, _("All proposed grades were applied."))
            else:
                messages.success(request, _("The downgrades of your region were applied."))
        elif action == "apply_selected":
            ids = [int(value) for value in request.POST.getlist("proposal") if value.isdigit()]
            if not ids:
                messages.error(request, _("Select at least one proposal to apply."))
                return redirect(run)
            services.regrading_apply(run=run, actor=request.user, proposal_ids=ids)
            applied = run.proposals.filter(pk__in=ids, applied=True).count()
            messages.success(
                request, _("%(count)s proposed grades were applied.") % {"count": applied}
            )
        else:
            messages.error(request, _("Unknown action."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(run)


# Sales -----------------------------------------------------------------------------------

TEMPLATE_HEADERS = ["客户编码", "月份", "购进数量", "购进金额", "销售数量", "销售金额"]


@login_required
def sales_import(request):
    form = forms.SalesImportForm(request.POST or None, request.FILES or None)
    errors = None
    error_count = 0
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.sales_import_file(actor=request.user, upload=form.cleaned_data["file"])
        except SalesImportError as exc:
            errors, error_count = exc.errors[:LISTED_ERRORS], exc.count
        else:
            if batch.status == SalesImport.Status.QUEUED:
                messages.info(
                    request,
                    _("%(file)s is large: it is being imported in the background.")
                    % {"file": batch.file_name},
                )
                return redirect("sales_import_detail", pk=batch.pk)
            messages.success(
                request,
                _("Imported %(rows)s rows of %(file)s (months: %(months)s).")
                % {"rows": batch.row_count, "file": batch.file_name, "months": batch.months},
            )
            return redirect("sales_import")
    return render(
        request,
        "crm/sales_import.html",
        {
            "form": form,
            "errors": errors,
            "error_count": error_count,
            "errors_more": error_count - len(errors or ()),
            "imports": sales_import_scope(request.user)[:10],
        },
    )


@login_required
def sales_import_detail(request, pk):
    """One import: its progress while the worker runs it (the page reloads
    itself), then what was imported or which rows were wrong."""
    batch = sales_import_for_user(request.user, pk)
    return render(
        request,
        "crm/sales_import_detail.html",
        {
            "batch": batch,
            "running": batch.status in (SalesImport.Status.QUEUED, SalesImport.Status.RUNNING),
            "percent": (100 * batch.rows_checked // batch.rows_total) if batch.rows_total else 0,
            "errors_more": batch.error_count - len(batch.errors),
        },
    )


@login_required
def sales_import_template(request):
    """A CSV with the column names the importer reads, and one example row."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sales-template.csv"'
    # A BOM so that Excel opens the Chinese headings as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(TEMPLATE_HEADERS)
    example = access.customer_scope(request.user).order_by("code").values_list("code", flat=True)
    code = example.first()
    if code:
        last_month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(
            day=1
        )
        writer.writerow([code, f"{last_month:%Y-%m}", "100", "20000.00", "", ""])
    return response


@login_required
def sales_list(request):
    records = selectors.sales_list(user=request.user).select_related(
        "customer__grade", "customer__manager"
    )
    # The API's SalesFilter: a bad value is an error under its field.
    filterset = SalesFilter(request.GET or None, queryset=records, request=request)
    forms.style_form(filterset.form)
    return render(
        request,
        "crm/sales_list.html",
        {"form": filterset.form, "page": paginate(request, filterset.qs, SALES_PER_PAGE)},
    )


# Working-day calendar -----------------------------------------------------------------------


def _year(request):
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


@admin_required
def calendar(request):
    year = _year(request)
    form = forms.CalendarDayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        day = apply(
            form, lambda: services.calendar_day_create(actor=request.user, data=form.cleaned_data)
        )
        if day is not None:
            messages.success(request, _("%(day)s added.") % {"day": day})
            return redirect(f"{request.path}?year={day.date.year}")
    days = CalendarDay.objects.filter(date__year=year).order_by("date")
    months = {}
    for day in days:
        months.setdefault(day.date.month, []).append(day)
    return render(
        request,
        "crm/calendar.html",
        {
            "year": year,
            "months": sorted(months.items()),
            "holiday_count": sum(day.kind == CalendarDay.Kind.HOLIDAY for day in days),
            "workday_count": sum(day.kind == CalendarDay.Kind.WORKDAY for day in days),
            "form": form,
            "import_form": forms.CalendarImportForm(initial={"year": year}),
        },
    )


@admin_required
def calendar_day_edit(request, pk):
    day = get_object_or_404(CalendarDay, pk=pk)
    form = forms.CalendarDayForm(request.POST or None, instance=day)
    if request.method == "POST" and form.is_valid():
        saved = apply(
            form,
            lambda: services.calendar_day_update(
                day=day, actor=request.user, data=form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("%(day)s saved.") % {"day": day})
            return redirect(f"{_calendar_url()}?year={day.date.year}")
    return render(request, "crm/calendar_day_form.html", {"form": form, "day": day})


@admin_required
@require_POST
def calendar_day_delete(request, pk):
    day = get_object_or_404(CalendarDay, pk=pk)
    year = day.date.year
    services.calendar_day_delete(day=day, actor=request.user)
    messages.success(request, _("%(day)s removed.") % {"day": day})
    return redirect(f"{_calendar_url()}?year={year}")


@admin_required
@require_POST
def calendar_import(request):
    form = forms.CalendarImportForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("year", []):
            messages.error(request, error)
        return redirect("calendar")
    year = form.cleaned_data["year"]
    added = services.calendar_import_year(year=year)
    if added:
        messages.success(
            request,
            _("%(count)s days of %(year)s added from the official calendar.")
            % {"count": added, "year": year},
        )
    else:
        messages.info(
            request,
            _(
                "Nothing to add for %(year)s: its days are already here, "
                "or the official calendar has not been published yet."
            )
            % {"year": year},
        )
    return redirect(f"{_calendar_url()}?year={year}")


def _calendar_url():
    return reverse("calendar")
