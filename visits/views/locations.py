"""The admin's page of shop locations: the on-site radius of check-ins, and the
import of shops' coordinates from a file."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.web import apply
from crm.access import admin_required
from crm.locations import locations_import
from crm.models import Customer
from crm.sales_import import SalesImportError
from visits import forms
from visits.models import CheckInSettings
from visits.services import visits as visit_services


@admin_required
def locations(request):
    current = CheckInSettings.load()
    settings_form = forms.CheckInSettingsForm(instance=current)
    import_form = forms.LocationImportForm()
    import_errors = None
    if request.method == "POST" and "radius_m" in request.POST:
        settings_form = forms.CheckInSettingsForm(request.POST, instance=current)
        if settings_form.is_valid():
            saved = apply(
                settings_form,
                lambda: visit_services.check_in_settings_update(
                    actor=request.user, radius_m=settings_form.cleaned_data["radius_m"]
                ),
            )
            if saved is not None:
                messages.success(
                    request, _("Radius saved. It applies to visits started from now on.")
                )
                return redirect("visits:locations")
    elif request.method == "POST":
        import_form = forms.LocationImportForm(request.POST, request.FILES)
        if import_form.is_valid():
            try:
                count = locations_import(
                    actor=request.user,
                    upload=import_form.cleaned_data["file"],
                    datum=import_form.cleaned_data["datum"],
                )
            except SalesImportError as error:
                import_errors = error
            else:
                messages.success(
                    request,
                    ngettext(
                        "The location of %(count)s customer was imported.",
                        "The locations of %(count)s customers were imported.",
                        count,
                    )
                    % {"count": f"{count:,}"},
                )
                return redirect("visits:locations")
    located = Customer.objects.aggregate(
        total=Count("pk"), located=Count("pk", filter=Q(latitude__isnull=False))
    )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "visits/locations.html",
        {
            "current": current,
            "settings_form": settings_form,
            "import_form": import_form,
            "import_errors": import_errors,
            "located": located,
        },
        status=status,
    )
