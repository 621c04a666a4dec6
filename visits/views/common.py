"""Helpers shared by the pages of every visits aggregate."""

import datetime
import functools
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from crm import business_dates
from crm.access import (
    is_supervisor,
    works_customers,
)
from crm.errors import DomainError
from crm.models import CalendarDay
from crm.pagination import EstimatedCountPaginator
from visits import selectors

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
