"""The audit trail in the browser, for admins."""

import django_filters
from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core import history
from core.business_dates import BusinessDateFilter
from core.models import AuditEvent
from core.web import paginate
from crm.access import admin_required
from crm.models import User


class AuditEventFilter(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(
        label=_("User"), queryset=User.objects.order_by("username")
    )
    action = django_filters.ChoiceFilter(label=_("Action"), choices=AuditEvent.Action.choices)
    since = BusinessDateFilter(
        label=_("From"),
        field_name="at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = BusinessDateFilter(
        label=_("To"),
        field_name="at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    object_type = django_filters.CharFilter(label=_("Object type"), lookup_expr="icontains")

    class Meta:
        model = AuditEvent
        fields = ["actor", "action", "since", "until", "object_type"]


@admin_required
def audit_list(request):
    filterset = AuditEventFilter(
        request.GET or None, queryset=AuditEvent.objects.select_related("actor")
    )
    page = paginate(request, filterset.qs, 50)
    # Each row in words: its object named, its summary a sentence (core.history).
    page.object_list = history.describe_audit(page.object_list)
    for field in filterset.form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", css)
    return render(request, "home/audit_list.html", {"filter": filterset, "page": page})
