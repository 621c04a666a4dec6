"""Pages of customers' suggestions and their answers."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import flash, form_errors_to_messages, paginate, safe_next
from crm.access import (
    works_customers,
)
from visits import access, forms, selectors
from visits.filters import SuggestionFilter
from visits.models import (
    Suggestion,
)
from visits.services import suggestions
from visits.views.common import ROWS_PER_PAGE


@login_required
def suggestion_list(request):
    user = request.user
    show = request.GET.get("show", "open")
    # The API's SuggestionFilter; the page's tabs ("To answer", "All") set ``open``.
    query = request.GET.copy()
    query.setdefault("open", "false" if show == "all" else "true")
    filterset = SuggestionFilter(query, queryset=selectors.suggestion_list(user=user))
    if not filterset.is_valid():
        form_errors_to_messages(request, filterset.form)
    page = paginate(request, filterset.qs, ROWS_PER_PAGE)
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
        flash(
            request,
            lambda: suggestions.suggestion_answer(
                suggestion=suggestion, actor=request.user, answer=form.cleaned_data["answer"]
            ),
            _("Answer recorded."),
        )
    else:
        form_errors_to_messages(request, form)
    return redirect(safe_next(request, reverse("visits:suggestion_list")))
