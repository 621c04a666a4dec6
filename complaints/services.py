"""Writes of the complaints app: one service per step of the feedback form.

Browser views, the API, admin and Celery tasks all call these. Each transition

1. runs in one transaction and claims its step of ``complaints.transitions``
   (``core.transitions.claim``: the row locked, who acts checked on it - 403 -
   and the state it starts from - 409 naming the state now), so two clicks or
   two regional managers cannot both win,
2. validates its input, stamps who and when, sets the next step's
   working-day deadline, and writes a ``ComplaintEvent`` (``core.transitions.record``),
3. notifies whoever must act next (e-mail goes out after commit).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import access, images
from complaints.models import (
    Complaint,
    ComplaintEvent,
    ComplaintPhoto,
    ComplaintSettings,
    ComplaintSignature,
)
from complaints.transitions import TRANSITIONS
from core import workdays
from core.errors import check_length
from core.images import checked_signature
from core.notifications import Message, notify
from core.transitions import claimer, record
from crm.access import sees_all
from crm.models import Customer, User

S = Complaint.Status
A = ComplaintEvent.Action

MAX_PHOTOS = 12


# Helpers ------------------------------------------------------------------------------


def _conflict(complaint, step):
    """The 409 of a step the state no longer allows, naming who decided and when."""
    if complaint.status in (S.APPROVED, S.REJECTED) and complaint.decided_by_id:
        decider = User.objects.get(pk=complaint.decided_by_id)
        return _(
            "Cannot %(doing)s: this complaint was already %(status)s by %(name)s at %(time)s."
        ) % {
            "doing": step.label,
            "status": complaint.get_status_display().lower(),
            "name": decider,
            "time": date_format(timezone.localtime(complaint.decided_at), "Y-m-d H:i"),
        }
    return _("Cannot %(doing)s: the complaint is now “%(status)s”.") % {
        "doing": step.label,
        "status": complaint.get_status_display(),
    }


# The complaint locked, with its customer, once ``actor`` may take step ``name`` on it.
_claim = claimer(Complaint.objects.select_related("customer"), TRANSITIONS, conflict=_conflict)


def _require(condition):
    if not condition:
        raise PermissionDenied


def _deadline(start, attribute):
    days = getattr(ComplaintSettings.load(), attribute)
    return workdays.add_working_days(start, days)


def _event(complaint, *, action, from_status, actor, at, comment=""):
    return record(
        ComplaintEvent,
        complaint,
        actor=actor,
        action=action,
        from_status=from_status,
        comment=comment,
        at=at,
        due_on=complaint.due_on,
    )


def _signature(complaint, *, role, image, signer_name, actor, at):
    try:
        content, digest = checked_signature(image)
    except ValidationError as error:
        raise ValidationError({"signature": error.messages}) from None
    signer_name = (signer_name or "").strip()
    if not signer_name:
        raise ValidationError({"signer_name": _("Enter the name of the customer who signs.")})
    check_length(ComplaintSignature, "signer_name", signer_name)
    return ComplaintSignature.objects.create(
        complaint=complaint,
        role=role,
        image=content,
        sha256=digest,
        signer_name=signer_name,
        captured_by=actor,
        signed_at=at,
    )


def _required_text(value, field, message):
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _notify(users, complaint, event, title):
    url = reverse("complaints:detail", args=[complaint.pk])
    body = f"{complaint.number} · {complaint.customer.name} · {complaint.product}"
    for user in users:
        notify(
            user=user, key=f"complaint:{complaint.pk}:{event.pk}", title=title, body=body, url=url
        )


def _regional_managers(region_id):
    return list(
        User.objects.filter(
            role=User.Role.REGIONAL_MANAGER, region_id=region_id, is_active=True
        ).order_by("pk")
    )


# Transitions --------------------------------------------------------------------------


def complaint_open(
    *,
    actor,
    customer,
    problem,
    reported_on,
    kind=Complaint.Kind.GOODS,
    product="",
    batch_number="",
    quantity=None,
    unit="",
):
    """A manager opens the form for one of their customers; inspection is due next."""
    # The customer as stored now: one reassigned since the caller read it is
    # the new manager's to open a form for.
    customer = Customer.objects.get(pk=customer.pk)
    _require(access.can_open_for(actor, customer))
    now = timezone.now()
    if reported_on and reported_on > timezone.localdate():
        raise ValidationError({"reported_on": _("The report date cannot be in the future.")})
    complaint = Complaint(
        customer=customer,
        kind=kind,
        product=(product or "").strip(),
        batch_number=(batch_number or "").strip(),
        quantity=quantity,
        unit=(unit or "").strip(),
        problem=(problem or "").strip(),
        reported_on=reported_on,
        status=S.OPEN,
        created_by=actor,
        created_at=now,
    )
    if kind == Complaint.Kind.GOODS and not complaint.product:
        raise ValidationError({"product": _("Name the product the customer complains about.")})
    complaint.full_clean()
    with transaction.atomic():
        complaint.due_on = _deadline(reported_on, "inspection_days")
        complaint.save()
        _event(complaint, action=A.OPENED, from_status="", actor=actor, at=now)
    return complaint


def complaint_add_photo(*, complaint, actor, upload):
    """Attach a photo while the inspection is open; checked before anything is saved."""
    content, content_type = images.checked_photo(upload)
    with transaction.atomic():
        complaint = _claim(complaint, "photo", actor)
        if complaint.photos.count() >= MAX_PHOTOS:
            raise ValidationError(
                {"photo": _("A complaint holds at most %(count)d photos.") % {"count": MAX_PHOTOS}}
            )
        now = timezone.now()
        photo = ComplaintPhoto(
            complaint=complaint,
            content_type=content_type,
            size=content.size,
            uploaded_by=actor,
            uploaded_at=now,
        )
        photo.image.save(content.name, content, save=False)
        # If the transaction fails from here on, do not leave the file behind.
        try:
            photo.save()
            _event(
                complaint, action=A.PHOTO_ADDED, from_status=complaint.status, actor=actor, at=now
            )
        except Exception:
            photo.image.delete(save=False)
            raise
    return photo


def complaint_inspect(*, complaint, actor, cause, signature, signer_name):
    """The manager records the cause found on site; the customer signs the form."""
    cause = _required_text(cause, "cause", _("Describe the cause found on inspection."))
    with transaction.atomic():
        complaint = _claim(complaint, "inspect", actor)
        now = timezone.now()
        from_status = complaint.status
        complaint.inspection_signature = _signature(
            complaint,
            role=ComplaintSignature.Role.INSPECTION,
            image=signature,
            signer_name=signer_name,
            actor=actor,
            at=now,
        )
        complaint.cause = cause
        complaint.inspected_at = now
        complaint.status = S.INSPECTED
        complaint.save()
        _event(complaint, action=A.INSPECTED, from_status=from_status, actor=actor, at=now)
    return complaint


def complaint_submit(*, complaint, actor, comment=""):
    """The manager hands the signed form to the regional manager for a decision."""
    with transaction.atomic():
        complaint = _claim(complaint, "submit", actor)
        now = timezone.now()
        complaint.status = S.SUBMITTED
        complaint.submitted_at = now
        complaint.decided_by = None
        complaint.decided_at = None
        complaint.decision_comment = ""
        complaint.due_on = _deadline(timezone.localdate(now), "decision_days")
        complaint.save()
        event = _event(
            complaint,
            action=A.SUBMITTED,
            from_status=S.INSPECTED,
            actor=actor,
            at=now,
            comment=(comment or "").strip(),
        )
        _notify(
            _regional_managers(complaint.customer.region_id),
            complaint,
            event,
            Message(
                gettext_lazy("Quality complaint %(number)s awaits your decision"),
                number=complaint.number,
            ),
        )
    return complaint


def _decide(complaint, actor, *, approve, comment):
    with transaction.atomic():
        complaint = _claim(complaint, "approve" if approve else "reject", actor)
        now = timezone.now()
        complaint.status = S.APPROVED if approve else S.REJECTED
        complaint.decided_by = actor
        complaint.decided_at = now
        complaint.decision_comment = comment
        complaint.due_on = _deadline(
            timezone.localdate(now), "exchange_days" if approve else "inspection_days"
        )
        complaint.save()
        event = _event(
            complaint,
            action=A.APPROVED if approve else A.REJECTED,
            from_status=S.SUBMITTED,
            actor=actor,
            at=now,
            comment=comment,
        )
        if complaint.customer.manager_id:
            title = (
                gettext_lazy("Quality complaint %(number)s approved: exchange the goods")
                if approve
                else gettext_lazy("Quality complaint %(number)s rejected: correct and resubmit")
            )
            _notify(
                [complaint.customer.manager],
                complaint,
                event,
                Message(title, number=complaint.number),
            )
    return complaint


def complaint_approve(*, complaint, actor, comment=""):
    """The region's manager approves the handling; the exchange is due next."""
    return _decide(complaint, actor, approve=True, comment=(comment or "").strip())


def complaint_reject(*, complaint, actor, reason):
    """The region's manager returns the form with a reason; the manager corrects it."""
    reason = _required_text(reason, "reason", _("Give the reason for the rejection."))
    return _decide(complaint, actor, approve=False, comment=reason)


# What a correction may change, with its label in the timeline.
CORRECTABLE = {
    "product": gettext_lazy("Product"),
    "batch_number": gettext_lazy("Batch number"),
    "quantity": gettext_lazy("Quantity"),
}


def complaint_correct(*, complaint, actor, product, batch_number, quantity):
    """After a rejection the manager corrects the product, its batch and the quantity;
    the timeline says what changed, from what to what. The complaint stays rejected
    until it is inspected and submitted again."""
    new = {
        "product": (product or "").strip(),
        "batch_number": (batch_number or "").strip(),
        "quantity": quantity,
    }
    if new["quantity"] is not None and new["quantity"] <= 0:
        raise ValidationError({"quantity": _("Enter a quantity above zero, or leave it empty.")})
    with transaction.atomic():
        complaint = _claim(complaint, "correct", actor)
        for name in ("product", "batch_number"):
            check_length(Complaint, name, new[name])
        changes = []
        for name, label in CORRECTABLE.items():
            old = getattr(complaint, name)
            if old != new[name]:
                changes.append(
                    _("%(field)s: %(old)s → %(new)s")
                    % {
                        "field": label,
                        "old": "—" if old in (None, "") else old,
                        "new": "—" if new[name] in (None, "") else new[name],
                    }
                )
                setattr(complaint, name, new[name])
        if not changes:
            raise ValidationError(_("Nothing was changed: correct the product, batch or quantity."))
        now = timezone.now()
        complaint.save(update_fields=[*CORRECTABLE, "updated_at"])
        _event(
            complaint,
            action=A.CORRECTED,
            from_status=complaint.status,
            actor=actor,
            at=now,
            comment="; ".join(changes),
        )
    return complaint


def complaint_record_exchange(
    *,
    complaint,
    actor,
    exchanged_on,
    signature,
    signer_name,
    exchange_product="",
    exchange_quantity=None,
):
    """The manager exchanges the goods; the customer signs “客户确认” on receipt."""
    with transaction.atomic():
        complaint = _claim(complaint, "exchange", actor)
        now = timezone.now()
        exchange_product = (exchange_product or "").strip()
        errors = {}
        if complaint.kind == Complaint.Kind.GOODS:
            if not exchange_product:
                errors["exchange_product"] = _("Name the goods handed over.")
            if exchange_quantity is None or exchange_quantity <= 0:
                errors["exchange_quantity"] = _("Enter the quantity handed over.")
        if exchanged_on is None:
            errors["exchanged_on"] = _("Enter the date of the exchange.")
        elif exchanged_on > timezone.localdate(now):
            errors["exchanged_on"] = _("The exchange date cannot be in the future.")
        elif complaint.decided_at and exchanged_on < timezone.localdate(complaint.decided_at):
            errors["exchanged_on"] = _("The exchange cannot be before the approval.")
        if errors:
            raise ValidationError(errors)
        complaint.receipt_signature = _signature(
            complaint,
            role=ComplaintSignature.Role.RECEIPT,
            image=signature,
            signer_name=signer_name,
            actor=actor,
            at=now,
        )
        complaint.exchange_product = exchange_product
        complaint.exchange_quantity = exchange_quantity
        complaint.exchanged_on = exchanged_on
        complaint.status = S.EXCHANGED
        complaint.due_on = _deadline(exchanged_on, "feedback_days")
        complaint.save()
        _event(complaint, action=A.EXCHANGED, from_status=S.APPROVED, actor=actor, at=now)
    return complaint


def complaint_close(*, complaint, actor, result):
    """The manager records the result fed back to the customer; the form is read-only after."""
    result = _required_text(result, "result", _("Describe the result fed back to the customer."))
    with transaction.atomic():
        complaint = _claim(complaint, "close", actor)
        now = timezone.now()
        complaint.result = result
        complaint.status = S.CLOSED
        complaint.closed_at = now
        complaint.due_on = None
        complaint.save()
        _event(complaint, action=A.CLOSED, from_status=S.EXCHANGED, actor=actor, at=now)
    return complaint


# Settings and reminders ---------------------------------------------------------------


def complaint_settings_update(*, actor, **values):
    """Admins change the working-day deadlines; open forms keep the deadline they have."""
    _require(sees_all(actor))
    return ComplaintSettings.change(actor=actor, **values)


def complaints_send_overdue_reminders(*, day=None):
    """Tell whoever must act on each overdue form, once per form and day.

    The customer's manager for the manager's steps, the region's regional
    managers for a decision. Days off send nothing. Returns the number of
    notifications created (a second run the same day creates none).
    """
    day = day or timezone.localdate()
    if not workdays.is_working_day(day):
        return 0
    overdue = Complaint.objects.overdue(day).select_related("customer__manager").order_by("pk")
    deciders = {}
    created = 0
    for complaint in overdue.iterator(chunk_size=500):
        if complaint.status == S.SUBMITTED:
            region_id = complaint.customer.region_id
            if region_id not in deciders:
                deciders[region_id] = _regional_managers(region_id)
            recipients = deciders[region_id]
        else:
            manager = complaint.customer.manager
            recipients = [manager] if manager and manager.is_active else []
        title = Message(
            gettext_lazy("Overdue quality complaint %(number)s (%(status)s, due %(due)s)"),
            **{
                "number": complaint.number,
                "status": S(complaint.status).label,
                "due": complaint.due_on.isoformat(),
            },
        )
        # A reminder quotes the start of the problem; the complaint has it whole.
        body = f"{complaint.customer.name} · {complaint.product} · {complaint.problem[:200]}"
        url = reverse("complaints:detail", args=[complaint.pk])
        for user in recipients:
            if notify(
                user=user,
                key=f"complaint-overdue:{complaint.pk}:{day.isoformat()}",
                title=title,
                body=body,
                url=url,
            ):
                created += 1
    return created
