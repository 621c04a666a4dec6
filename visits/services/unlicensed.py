"""Writes of unlicensed-operation reports (无证经营): report, forward, outcome."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import check_length
from core.notifications import Message, notify
from crm.access import works_in_region
from visits import access, images
from visits.models import (
    UnlicensedReport,
    UnlicensedReportEvent,
)
from visits.services.common import _require, _url
from visits.transitions import UNLICENSED_TRANSITIONS, take


def unlicensed_report(*, actor, address, description, photo=None, latitude=None, longitude=None):
    """A manager reports unlicensed operation (无证经营), where they stand when the phone
    tells it (both coordinates or neither); the region's manager is told."""
    _require(works_in_region(actor))
    if (latitude is None) != (longitude is None):
        raise ValidationError({"latitude": _("Give both coordinates or neither.")})
    report = UnlicensedReport(
        region_id=actor.region_id,
        reporter=actor,
        address=(address or "").strip(),
        description=(description or "").strip(),
        latitude=None if latitude is None else round(latitude, 6),
        longitude=None if longitude is None else round(longitude, 6),
    )
    if photo is not None:
        content = images.photo(photo)
        report.photo.save(content.name, content, save=False)
    report.full_clean(exclude=["forwarded_by"])
    with transaction.atomic():
        report.save()
        for supervisor in access.regional_managers_of(actor.region_id):
            if supervisor.pk != actor.pk:
                notify(
                    user=supervisor,
                    key=f"unlicensed:{report.pk}",
                    title=Message(
                        gettext_lazy("Unlicensed operation reported at %(address)s"),
                        **{"address": report.address},
                    ),
                    body=report.description,
                    url=_url("visits:unlicensed_detail", report.pk),
                )
    return report


def _step(report, name, actor, comment, **changes):
    """Step ``name`` of the report: ``changes`` and the event row."""
    return take(
        UnlicensedReport,
        report.pk,
        UNLICENSED_TRANSITIONS,
        name,
        actor=actor,
        event=UnlicensedReportEvent,
        comment=comment,
        **changes,
    )


def unlicensed_forward(*, report, actor, note=""):
    """Forwarded to the monopoly department."""
    if not access.can_handle_unlicensed(actor, report):
        raise PermissionDenied
    note = (note or "").strip()
    check_length(UnlicensedReport, "forward_note", note, key="note")
    with transaction.atomic():
        _step(
            report,
            "forward",
            actor,
            note,
            forwarded_at=timezone.now(),
            forwarded_by=actor,
            forward_note=note,
        )
    report.refresh_from_db()
    return report


def unlicensed_record_outcome(*, report, actor, outcome, outcome_on=None):
    """The outcome and the day it came (today unless told): not before the report, not
    in the future."""
    if not access.can_handle_unlicensed(actor, report):
        raise PermissionDenied
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Write the outcome.")})
    check_length(UnlicensedReport, "outcome", outcome)
    today = timezone.localdate()
    outcome_on = outcome_on or today
    if outcome_on > today:
        raise ValidationError({"outcome_on": _("This day has not come yet.")})
    if outcome_on < timezone.localdate(report.created_at):
        raise ValidationError({"outcome_on": _("The outcome cannot be before the report.")})
    with transaction.atomic():
        # The event names the step; the outcome's whole text is on the report.
        _step(
            report,
            "outcome",
            actor,
            "",
            outcome=outcome,
            outcome_on=outcome_on,
            closed_at=timezone.now(),
        )
    report.refresh_from_db()
    return report
