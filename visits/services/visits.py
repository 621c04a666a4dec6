"""Writes of visit records: start, edit, end, sign, verify, correct, close on reassignment.

Each transition leaves a ``VisitEvent`` row.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ConflictError, check_length
from core.notifications import Message, notify
from core.transitions import record
from crm import locations
from crm.access import sees_all, works_customers
from crm.models import Customer
from visits import access, images
from visits.check_in import check_in
from visits.models import (
    CHECKLIST,
    CheckInSettings,
    PriceViolation,
    Signature,
    Visit,
    VisitEvent,
)
from visits.services.common import _require, _url
from visits.transitions import VISIT_TRANSITIONS, claim_visit, refusal

# A clock a few minutes fast on the phone is not a visit in the future.
CLOCK_SKEW = datetime.timedelta(minutes=10)

# Fields of a visit its manager fills in while it is open.
VISIT_CONTENT_FIELDS = (
    *[name for prefix, _label in CHECKLIST for name in (prefix, f"{prefix}_note")],
    "order_suggestion",
    "price_violation",
    "findings",
    "customer_opinions",
    "revisit_on",
    "special_reason",
    "latitude",
    "longitude",
)


def _event(visit, actor, action, from_status="", to_status="", comment=""):
    # core.transitions.record writes the event row and its audit entry.
    return record(
        VisitEvent,
        visit,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        # An event's comment is a summary the code writes (a reason, a signer's
        # name, the start of a suggestion); the full text is on its own row.
        comment=(comment or "")[:500],
    )


def _check_time(value, field):
    if value is not None and value > timezone.now() + CLOCK_SKEW:
        raise ValidationError({field: _("This time is in the future.")})


def visit_start(
    *,
    actor,
    planned_visit=None,
    customer=None,
    special_reason="",
    arrived_at=None,
    latitude=None,
    longitude=None,
):
    """Start a visit on arrival: a planned visit of the manager's schedule, or a
    special visit (特殊访问) to one of their customers with the circumstance.

    Open revisits of the customer are marked as made by this visit.
    """
    _require(works_customers(actor))
    if planned_visit is not None:
        if planned_visit.schedule.manager_id != actor.pk:
            raise PermissionDenied
        customer = planned_visit.customer
        kind = Visit.Kind.PLANNED
        if Visit.objects.filter(planned_visit=planned_visit).exists():
            raise ConflictError(_("This planned visit has already been started."))
    else:
        if customer is None:
            raise ValidationError({"customer": _("Choose the customer.")})
        kind = Visit.Kind.SPECIAL
        if not (special_reason or "").strip():
            raise ValidationError(
                {"special_reason": _("A special visit needs the special circumstance.")}
            )
    # Its manager as stored now, whatever the caller read.
    customer = Customer.objects.get(pk=customer.pk)
    if customer.manager_id != actor.pk:
        raise ValidationError({"customer": _("You can only visit your own customers.")})
    if customer.network_status != Customer.NetworkStatus.ACTIVE:
        raise ValidationError({"customer": _("This customer has exited the network.")})
    arrived_at = arrived_at or timezone.now()
    _check_time(arrived_at, "arrived_at")
    checked_in, distance = check_in(customer, latitude, longitude)
    visit = Visit(
        customer=customer,
        manager=actor,
        planned_visit=planned_visit,
        kind=kind,
        special_reason=(special_reason or "").strip(),
        arrived_at=arrived_at,
        latitude=latitude,
        longitude=longitude,
        check_in=checked_in,
        distance_m=distance,
    )
    visit.full_clean()
    try:
        with transaction.atomic():
            visit.save()
            _event(visit, actor, "start", to_status=visit.status)
            # Bookkeeping outside the signed content: which visit made the revisit.
            Visit.objects.filter(
                customer=customer, revisited_by__isnull=True, revisit_on__isnull=False
            ).exclude(pk=visit.pk).update(revisited_by=visit)
    except IntegrityError:
        raise ConflictError(_("This planned visit has already been started.")) from None
    return visit


def visit_locate_shop(*, visit, actor, latitude=None, longitude=None):
    """During a visit the manager records that the shop is here: the phone's
    position now, or else where the visit started. The customer's location
    history keeps the change; this visit's check-in stays as it was decided."""
    _require(visit.manager_id == actor.pk)
    if visit.status != Visit.Status.IN_PROGRESS:
        raise ConflictError(_("The shop's location is set while the visit is in progress."))
    if latitude is None or longitude is None:
        latitude, longitude = visit.latitude, visit.longitude
    if latitude is None or longitude is None:
        raise ValidationError(
            {"latitude": _("The phone gave no position: allow location access and try again.")}
        )
    return locations.customer_locate(
        customer=visit.customer,
        actor=actor,
        latitude=latitude,
        longitude=longitude,
        note=_("Visit %(number)s") % {"number": visit.pk},
    )


def visit_update(*, visit, actor, data):
    """Fill in the checklist, stock and order suggestion, findings, opinions, revisit date.

    Only while the visit is open (before the manager signs).
    """
    _require(access.can_edit_visit(actor, visit))
    _check_content_fields(data)
    with transaction.atomic():
        current = claim_visit(visit, "edit", actor=actor)
        _apply_content(current, actor, data)
    return current


def _check_content_fields(data):
    unknown = set(data or {}) - set(VISIT_CONTENT_FIELDS)
    if unknown:
        raise ValidationError(
            {field: _("This field cannot be changed here.") for field in sorted(unknown)}
        )


def _apply_content(current, actor, data):
    """Set ``data`` on the claimed row, validate, save, and leave the "update" event.

    Inside the caller's transaction: a bad value raises and nothing is written."""
    for name, value in data.items():
        setattr(current, name, "" if value is None and name.endswith("_note") else value)
    _validate_content(current)
    current.save()
    _event(current, actor, "update", comment=", ".join(sorted(data)))
    if data.get("revisit_on"):
        # The revisit is a planned entry on its day, not a special visit typed again.
        from visits.services.schedules import schedule_plan_revisit

        schedule_plan_revisit(visit=current, actor=actor)


def _validate_content(visit):
    errors = {}
    if visit.price_violation and not visit.price_checked:
        errors["price_violation"] = _("Tick f) price compliance checked to report a violation.")
    if visit.revisit_on and visit.revisit_on < timezone.localdate(visit.arrived_at):
        errors["revisit_on"] = _("The revisit cannot be before the visit.")
    try:
        visit.full_clean()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, messages)
    if errors:
        raise ValidationError(errors)


def visit_end(*, visit, actor, departed_at=None, latitude=None, longitude=None, data=None):
    """Record the departure (and the location when the browser gives it).

    ``data``: the record's content not yet saved (what the page holds when the
    manager taps "end"), applied first with the validation of ``visit_update``,
    in the same transaction: a bad value ends nothing.
    """
    _require(access.can_edit_visit(actor, visit))
    _check_content_fields(data)
    departed_at = departed_at or timezone.now()
    _check_time(departed_at, "departed_at")
    with transaction.atomic():
        current = claim_visit(visit, "end", actor=actor)
        if data:
            _apply_content(current, actor, data)
        current.departed_at = departed_at
        if latitude is not None and longitude is not None:
            current.latitude, current.longitude = latitude, longitude
        current.status = Visit.Status.ENDED
        _validate_content(current)
        current.save()
        _event(
            current,
            actor,
            "end",
            from_status=Visit.Status.IN_PROGRESS,
            to_status=Visit.Status.ENDED,
        )
    return current


def _report_violation(visit, actor):
    """A violation found under f) goes to the region's manager for a decision."""
    violation, created = PriceViolation.objects.get_or_create(
        visit=visit,
        defaults={"customer": visit.customer, "note": visit.price_checked_note},
    )
    if created:
        for supervisor in access.regional_managers_of(visit.customer.region_id):
            notify(
                user=supervisor,
                key=f"price-violation:{violation.pk}",
                title=Message(
                    gettext_lazy("Price violation at %(customer)s"), **{"customer": visit.customer}
                ),
                body=Message(
                    gettext_lazy("Found by %(manager)s on the visit of %(date)s. %(note)s"),
                    **{
                        "manager": actor,
                        "date": f"{timezone.localtime(visit.arrived_at):%Y-%m-%d}",
                        "note": violation.note,
                    },
                ),
                url=_url("visits:violation_detail", violation.pk),
            )
    return violation


def visit_sign(*, visit, actor, role, image, signer_name="", data=None, signed_at=None):
    """Sign a visit record: the manager first, then the customer, on the manager's screen.

    ``data``: the record's content not yet saved, applied before the manager's
    signature (with the validation of ``visit_update``, in the same transaction:
    a bad value signs nothing), so that what is signed is what the page showed.
    The customer signs a record the manager can no longer change: content that
    differs from it is refused.

    1. The image must be a real, non-blank PNG within the size limit.
    2. The manager signs an ended visit; the customer signs after the manager.
    3. Each signature keeps the image's SHA-256 and the hash of the record's
       content at signing (the customer's also covers the manager's signature).
    4. The customer's signature locks the record.

    ``signed_at``: the phone's time of a signature drawn offline (default: now);
    the server's time of receipt is kept beside it.
    """
    _require(access.can_edit_visit(actor, visit))
    if role not in Signature.Role.values:
        raise ValidationError({"role": _("Choose who signs: the manager or the customer.")})
    if role == Signature.Role.MANAGER:
        # No name typed: the manager's own, cut to the column (it is not typed here).
        signer_name = (signer_name or "").strip() or str(actor)[:100]
        from_status, to_status = Visit.Status.ENDED, Visit.Status.MANAGER_SIGNED
    else:
        signer_name = (signer_name or "").strip()
        if not signer_name:
            raise ValidationError({"signer_name": _("Write the name of the customer who signs.")})
        from_status, to_status = Visit.Status.MANAGER_SIGNED, Visit.Status.LOCKED
    check_length(Signature, "signer_name", signer_name)
    _check_content_fields(data)
    signed_at = signed_at or timezone.now()
    _check_time(signed_at, "signed_at")
    if signed_at < visit.arrived_at:
        raise ValidationError({"signed_at": _("A record is signed after the arrival.")})
    content, digest = images.signature_png(image)
    with transaction.atomic():
        current = claim_visit(visit, f"sign_{role}", actor=actor)
        if data and role == Signature.Role.MANAGER:
            _apply_content(current, actor, data)
        elif data and any(getattr(current, name) != value for name, value in data.items()):
            raise refusal(current, "edit")
        manager_digest = ""
        if role == Signature.Role.CUSTOMER:
            manager_digest = current.signatures.get(role=Signature.Role.MANAGER).image_sha256
        claimed = Visit.objects.filter(pk=current.pk, status=from_status).update(
            status=to_status, updated_at=timezone.now()
        )
        if claimed != 1:
            raise ConflictError(_("Someone else signed this record meanwhile."))
        signature = Signature(
            visit=current,
            role=role,
            signer_name=signer_name,
            image_sha256=digest,
            content_hash=current.content_hash(manager_signature_digest=manager_digest),
            captured_by=actor,
            signed_at=signed_at,
        )
        signature.image.save("signature.png", content, save=False)
        signature.save()
        _event(
            current,
            actor,
            f"sign_{role}",
            from_status=from_status,
            to_status=to_status,
            comment=signer_name,
        )
        if role == Signature.Role.MANAGER and current.price_violation:
            _report_violation(current, actor)
    current.refresh_from_db()
    return current


def visit_verify(*, visit, reload=True):
    """Check a signed record against its signatures: (ok, problems).

    The content hash is recomputed from the stored record, and each image from
    its stored file; any change made behind the services shows as a mismatch.
    ``reload=False`` when ``visit`` was just read, with its signatures, in this
    request (the detail page): it is the stored record.
    """
    if reload:
        current = Visit.objects.get(pk=visit.pk)
        signatures = {s.role: s for s in Signature.objects.filter(visit=current)}
    else:
        current = visit
        signatures = {s.role: s for s in visit.signatures.all()}
    problems = []
    manager = signatures.get(Signature.Role.MANAGER)
    customer = signatures.get(Signature.Role.CUSTOMER)
    if current.status in (Visit.Status.MANAGER_SIGNED, Visit.Status.LOCKED) and not manager:
        problems.append(_("The manager's signature is missing."))
    if current.status == Visit.Status.LOCKED and not customer:
        problems.append(_("The customer's signature is missing."))
    if manager is not None and manager.content_hash != current.content_hash():
        problems.append(_("The record changed after the manager signed it."))
    if customer is not None:
        expected = current.content_hash(
            manager_signature_digest=manager.image_sha256 if manager else ""
        )
        if customer.content_hash != expected:
            problems.append(_("The record changed after the customer signed it."))
    for signature in signatures.values():
        if _file_sha256(signature.image) != signature.image_sha256:
            problems.append(
                _("The %(role)s signature image was replaced.")
                % {"role": signature.get_role_display()}
            )
    return not problems, problems


def _file_sha256(field_file):
    import hashlib

    try:
        with field_file.open("rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except (OSError, ValueError):
        return ""


def visit_correct(*, visit, actor, data, reason):
    """A locked record is never edited: a correction is a new record linked to it.

    The new record starts as a copy of the original with ``data`` applied, ended
    and awaiting both signatures again.
    """
    _require(access.can_edit_visit(actor, visit))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say what the correction is for.")})
    unknown = set(data) - set(VISIT_CONTENT_FIELDS)
    if unknown:
        raise ValidationError(
            {field: _("This field cannot be changed here.") for field in sorted(unknown)}
        )
    original = Visit.objects.select_related("customer").get(pk=visit.pk)
    step = VISIT_TRANSITIONS["correct"]
    _require(step.who(actor, original))
    if not step.starts_from(original):
        raise refusal(original, "correct")
    copied = {
        name: getattr(original, name)
        for name in (
            "customer_id",
            "manager_id",
            "kind",
            "special_reason",
            "arrived_at",
            "departed_at",
            *VISIT_CONTENT_FIELDS,
        )
    }
    correction = Visit(**copied, corrects=original, status=Visit.Status.ENDED)
    for name, value in data.items():
        setattr(correction, name, value)
    _validate_content(correction)
    with transaction.atomic():
        correction.save()
        _event(correction, actor, "correction", to_status=correction.status, comment=reason)
        _event(original, actor, "corrected", comment=reason)
    return correction


OPEN_STATUSES = (Visit.Status.IN_PROGRESS, Visit.Status.ENDED, Visit.Status.MANAGER_SIGNED)


def visits_close_on_reassignment(*, customer, previous_manager, new_manager, actor, reason=""):
    """The customer went to another manager: close what the previous one left open.

    A visit is the account of what its manager did in the shop, so it stays
    theirs - the new manager was not there and does not sign it - and it is
    read-only from now on, since its author no longer manages the customer.
    So that no record is left looking as if it were still being written:

    1. a visit in progress is ended now (its departure is left unrecorded:
       nobody saw it);
    2. every visit of the previous manager not yet locked by the customer's
       signature gets a "reassigned" event row naming the new manager and the
       reason: the record of why it will never be signed further;
    3. the previous manager is told, one notification per record.

    Called inside the reassignment's transaction (``crm.services.customer_reassign``
    sends ``customer_reassigned``). Returns the visits closed.
    """
    if previous_manager is None:
        return []
    closed = list(
        Visit.objects.select_for_update(of=("self",))
        .filter(customer=customer, manager=previous_manager, status__in=OPEN_STATUSES)
        .order_by("pk")
    )
    comment = _("Closed: the customer was reassigned to %(manager)s. %(reason)s") % {
        "manager": new_manager or _("nobody"),
        "reason": reason,
    }
    for visit in closed:
        from_status = visit.status
        if from_status == Visit.Status.IN_PROGRESS:
            # A conditional UPDATE, like every transition of a visit.
            Visit.objects.filter(pk=visit.pk, status=from_status).update(
                status=Visit.Status.ENDED, updated_at=timezone.now()
            )
            visit.status = Visit.Status.ENDED
        _event(
            visit,
            actor,
            "reassigned",
            from_status=from_status,
            to_status=visit.status if visit.status != from_status else "",
            comment=comment,
        )
        if previous_manager.is_active:
            notify(
                user=previous_manager,
                key=f"visit-reassigned:{visit.pk}",
                title=Message(
                    gettext_lazy(
                        "Your visit record of %(customer)s of %(date)s was closed: "
                        "the customer now has another manager"
                    ),
                    customer=str(customer),
                    date=f"{timezone.localtime(visit.arrived_at):%Y-%m-%d}",
                ),
                url=_url("visits:visit_detail", visit.pk),
            )
    return closed


def check_in_settings_update(*, actor, **values):
    """Admins set how far from the shop a check-in still counts as on site."""
    _require(sees_all(actor))
    return CheckInSettings.change(actor=actor, **values)
