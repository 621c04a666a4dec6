"""Admin pages of the reminders: care-moment and first-contact settings, group robots."""

import urllib.parse

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.web import apply, flash
from crm import services
from crm.access import admin_required
from crm.forms import StyledFormMixin
from crm.models import Region, RegionRobot, ReminderSettings, RobotMessage

# The latest failed robot messages shown on the robots page.
FAILURES_SHOWN = 20


class ReminderSettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = ["care_days_ahead", "contact_days"]


class RobotForm(StyledFormMixin, forms.ModelForm):
    """The secret is never shown again: left empty it stays as it is."""

    secret = forms.CharField(
        label=_("Signing secret"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("DingTalk 加签 only (SEC…). Leave empty to keep the one set."),
    )
    clear_secret = forms.BooleanField(label=_("Remove the signing secret"), required=False)
    field_order = ["kind", "webhook_url", "secret", "clear_secret", "active"]

    class Meta:
        model = RegionRobot
        fields = ["kind", "webhook_url", "secret", "active"]

    def service_data(self):
        data = {name: self.cleaned_data[name] for name in ("kind", "webhook_url", "active")}
        if self.cleaned_data["clear_secret"]:
            data["secret"] = ""
        elif self.cleaned_data["secret"]:
            data["secret"] = self.cleaned_data["secret"].strip()
        return data


def masked(url):
    """The webhook without its query (the access token): scheme, host and path."""
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + ("?…" if parts.query else "")


@admin_required
def reminder_settings(request):
    """Admins set how far ahead care moments show and the first-contact limit."""
    current = ReminderSettings.load()
    form = ReminderSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        saved = apply(
            form,
            lambda: services.reminder_settings_update(
                actor=request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields}
            ),
        )
        if saved is not None:
            messages.success(request, _("Reminder settings saved."))
            return redirect("reminder_settings")
    return render(request, "crm/reminder_settings.html", {"form": form, "current": current})


@admin_required
def robot_list(request):
    """Each region with its group robot, and the latest messages that never left."""
    robots = {robot.region_id: robot for robot in RegionRobot.objects.all()}
    regions = [
        {"region": region, "robot": robots.get(region.pk)}
        for region in Region.objects.order_by("code")
    ]
    for row in regions:
        if row["robot"]:
            row["address"] = masked(row["robot"].webhook_url)
    failures = RobotMessage.objects.filter(status=RobotMessage.Status.FAILED).select_related(
        "robot__region", "notification__user"
    )[:FAILURES_SHOWN]
    return render(request, "crm/robot_list.html", {"regions": regions, "failures": failures})


@admin_required
def robot_edit(request, pk):
    region = get_object_or_404(Region, pk=pk)
    robot = RegionRobot.objects.filter(region=region).first()
    form = RobotForm(request.POST or None, instance=robot or RegionRobot(region=region))
    if request.method == "POST" and form.is_valid():
        saved = apply(
            form,
            lambda: services.region_robot_set(
                region=region, actor=request.user, data=form.service_data()
            ),
        )
        if saved is not None:
            messages.success(request, _("Group robot saved."))
            return redirect("robot_list")
    return render(
        request,
        "crm/robot_form.html",
        {"form": form, "region": region, "robot": robot},
    )


@admin_required
@require_POST
def robot_delete(request, pk):
    region = get_object_or_404(Region, pk=pk)
    flash(
        request,
        lambda: services.region_robot_remove(region=region, actor=request.user),
        _("Group robot removed."),
    )
    return redirect("robot_list")


@admin_required
@require_POST
def robot_message_retry(request, pk):
    message = get_object_or_404(RobotMessage, pk=pk)
    flash(
        request,
        lambda: services.robot_message_retry(message=message, actor=request.user),
        _("The message is sent again."),
    )
    return redirect("robot_list")
