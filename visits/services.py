"""Writes of the visits app. Browser views, the API, admin actions, management
commands and Celery tasks all call these functions.

Each one checks who acts and the state it starts from, runs in one
transaction, claims its transition with a conditional UPDATE where two clicks
could race, and leaves a trail: ``VisitEvent`` rows for visits,
``ScheduleChange`` rows for submitted schedules.
"""

import datetime
import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crm import services as crm_services
from crm import workdays
from crm.access import works_customers, works_in_region
from crm.errors import ConflictError, DomainError, check_length
from crm.models import Customer, Grade, GradeChange, User
from crm.notifications import notify, notify_many
from visits import access, images, selectors
from visits.models import (
    CHECKLIST,
    PlannedVisit,
    PriceViolation,
    PromotionReceipt,
    ScheduleChange,
    ScheduleComment,
    Signature,
    Suggestion,
    UnlicensedReport,
    Visit,
    VisitEvent,
    VisitLocked,
    WeeklySchedule,
    WorkLog,
    WorkLogComment,
)

SUGGESTION_ANSWER_WORKING_DAYS = 3
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
EDITABLE_STATUSES = (Visit.Status.IN_PROGRESS, Visit.Status.ENDED)


def _url(name, *args):
    """A link for a notification; empty until the page exists."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _require(condition):
    if not condition:
        raise PermissionDenied


def _lock_for_writing(visit, actor):
    """The visit re-read under a row lock with its customer as stored now; 403 unless
    ``actor`` may still write it.

    Checked on the fresh row, not the caller's copy: a customer reassigned
    between the page load and the click is no longer the actor's to write.
    """
    current = (
        Visit.objects.select_for_update(of=("self",)).select_related("customer").get(pk=visit.pk)
    )
    _require(access.can_edit_visit(actor, current))
    return current


# Weekly schedules ---------------------------------------------------------------------


def _check_monday(week_start):
    if week_start.weekday() != 0:
        raise ValidationError({"week_start": _("A schedule week starts on a Monday.")})


def _spread(due_rows, days):
    """Assign each (customer, due) to a working day: overdue first, never before it is due
    when the week allows, and no day fuller than the even share."""
    if not days:
        return []
    capacity = math.ceil(len(due_rows) / len(days)) if due_rows else 0
    load = dict.fromkeys(days, 0)
    plan = []
    for customer, due in due_rows:
        candidates = [day for day in days if day >= due] or [days[-1]]
        open_days = [day for day in candidates if load[day] < capacity]
        if open_days:
            day = open_days[0]
        else:
            # The days after the due date are full: take the least loaded of the week,
            # latest first so the early days stay for the overdue.
            day = min(reversed(days), key=lambda d: load[d])
        load[day] += 1
        plan.append((customer, due, day))
    return plan


def schedule_propose(*, manager, week_start, by_job=False):
    """The manager's schedule for the week, proposed from the grade intervals.

    1. If the week already has a schedule, return it as it is (and False).
    2. Find the manager's customers due by the end of the week: last completed
       visit + grade interval, or never visited.
    3. Spread them over the week's working days (the calendar's, so make-up
       days count and holidays don't), most overdue first.

    Returns (schedule, created).
    """
    _require(works_customers(manager) and manager.is_active)
    _check_monday(week_start)
    existing = WeeklySchedule.objects.filter(manager=manager, week_start=week_start).first()
    if existing is not None:
        return existing, False
    _, week_end = selectors.week_bounds(week_start)
    days = workdays.working_days_between(week_start, week_end)
    due_rows = selectors.customers_due(manager_ids=[manager.pk], until=week_end)
    try:
        with transaction.atomic():
            schedule = WeeklySchedule.objects.create(
                manager=manager, week_start=week_start, proposed_by_job=by_job
            )
            PlannedVisit.objects.bulk_create(
                PlannedVisit(schedule=schedule, customer=customer, planned_date=day, due_date=due)
                for customer, due, day in _spread(due_rows, days)
            )
    except IntegrityError:
        # Another request or the Friday job made it meanwhile.
        return WeeklySchedule.objects.get(manager=manager, week_start=week_start), False
    return schedule, True


def _record_change(schedule, actor, action, customer=None, old_date=None, new_date=None):
    """After submission every change is kept; drafts change freely."""
    if schedule.status == WeeklySchedule.Status.SUBMITTED:
        ScheduleChange.objects.create(
            schedule=schedule,
            action=action,
            customer=customer,
            old_date=old_date,
            new_date=new_date,
            actor=actor,
        )


def _check_planned_date(schedule, planned_date):
    start, end = selectors.week_bounds(schedule.week_start)
    if not start <= planned_date <= end:
        raise ValidationError({"planned_date": _("Choose a day of the schedule's week.")})
    if not workdays.is_working_day(planned_date):
        raise ValidationError({"planned_date": _("This day is not a working day.")})


def schedule_add_visit(*, schedule, actor, customer, planned_date, note=""):
    _require(access.can_edit_schedule(actor, schedule))
    if customer.manager_id != schedule.manager_id:
        raise ValidationError({"customer": _("Plan visits to your own customers only.")})
    if customer.network_status != Customer.NetworkStatus.ACTIVE:
        raise ValidationError({"customer": _("This customer has exited the network.")})
    _check_planned_date(schedule, planned_date)
    due = None
    if customer.grade_id:
        rows = selectors.customers_with_last_visit(Customer.objects.filter(pk=customer.pk))
        due = next((selectors.due_date(row) for row in rows), None)
    note = (note or "").strip()
    check_length(PlannedVisit, "note", note)
    try:
        with transaction.atomic():
            entry = PlannedVisit.objects.create(
                schedule=schedule,
                customer=customer,
                planned_date=planned_date,
                due_date=due,
                note=note,
            )
            _record_change(
                schedule, actor, ScheduleChange.Action.ADD, customer, new_date=planned_date
            )
    except IntegrityError:
        raise ValidationError(
            {"customer": _("This customer is already in the week's schedule.")}
        ) from None
    return entry


def schedule_move_visit(*, entry, actor, planned_date):
    schedule = entry.schedule
    _require(access.can_edit_schedule(actor, schedule))
    # Only a visit the manager may still make is rescheduled: after a
    # reassignment the entry can only be removed (read as stored now).
    _require(access.is_current_manager(actor, Customer.objects.get(pk=entry.customer_id)))
    _check_planned_date(schedule, planned_date)
    if hasattr(entry, "visit") and entry.visit is not None:
        raise DomainError(_("This visit has already been made; it cannot be moved."))
    old_date = entry.planned_date
    if old_date == planned_date:
        return entry
    with transaction.atomic():
        entry.planned_date = planned_date
        entry.save(update_fields=["planned_date"])
        _record_change(
            schedule,
            actor,
            ScheduleChange.Action.MOVE,
            entry.customer,
            old_date=old_date,
            new_date=planned_date,
        )
    return entry


def schedule_remove_visit(*, entry, actor):
    schedule = entry.schedule
    _require(access.can_edit_schedule(actor, schedule))
    if Visit.objects.filter(planned_visit=entry).exists():
        raise DomainError(_("This visit has already been made; it cannot be removed."))
    with transaction.atomic():
        _record_change(
            schedule,
            actor,
            ScheduleChange.Action.REMOVE,
            entry.customer,
            old_date=entry.planned_date,
        )
        entry.delete()


def schedule_submit(*, schedule, actor):
    """Draft → submitted, once; the region's manager is told."""
    _require(access.can_edit_schedule(actor, schedule))
    with transaction.atomic():
        claimed = WeeklySchedule.objects.filter(
            pk=schedule.pk, status=WeeklySchedule.Status.DRAFT
        ).update(status=WeeklySchedule.Status.SUBMITTED, submitted_at=timezone.now())
        if claimed != 1:
            raise ConflictError(_("This schedule has already been submitted."))
        schedule.refresh_from_db()
        _record_change(schedule, actor, ScheduleChange.Action.SUBMIT)
        for supervisor in access.regional_managers_of(actor.region_id):
            notify(
                user=supervisor,
                key=f"schedule-submitted:{schedule.pk}",
                title=_("%(manager)s submitted the schedule of the week of %(week)s")
                % {"manager": actor, "week": f"{schedule.week_start:%Y-%m-%d}"},
                url=_url("visits:schedule_detail", schedule.pk),
            )
    return schedule


def schedule_comment(*, schedule, actor, text):
    _require(access.can_comment_schedule(actor, schedule))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a comment.")})
    with transaction.atomic():
        comment = ScheduleComment(schedule=schedule, author=actor, text=text)
        comment.full_clean()
        comment.save()
        notify(
            user=schedule.manager,
            key=f"schedule-comment:{comment.pk}",
            title=_("%(author)s commented on your schedule of the week of %(week)s")
            % {"author": actor, "week": f"{schedule.week_start:%Y-%m-%d}"},
            body=text,
            url=_url("visits:schedule_detail", schedule.pk),
        )
    return comment


# Visits -------------------------------------------------------------------------------


def _event(visit, actor, action, from_status="", to_status="", comment=""):
    return VisitEvent.objects.create(
        visit=visit,
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
    visit = Visit(
        customer=customer,
        manager=actor,
        planned_visit=planned_visit,
        kind=kind,
        special_reason=(special_reason or "").strip(),
        arrived_at=arrived_at,
        latitude=latitude,
        longitude=longitude,
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


def _locked_error(visit):
    if visit.status == Visit.Status.LOCKED:
        return VisitLocked(
            _("This visit record is locked by the customer's signature; record a correction.")
        )
    return ConflictError(_("The manager has signed this visit record; it can no longer change."))


def visit_update(*, visit, actor, data):
    """Fill in the checklist, stock and order suggestion, findings, opinions, revisit date.

    Only while the visit is open (before the manager signs).
    """
    _require(access.can_edit_visit(actor, visit))
    unknown = set(data) - set(VISIT_CONTENT_FIELDS)
    if unknown:
        raise ValidationError(
            {field: _("This field cannot be changed here.") for field in sorted(unknown)}
        )
    with transaction.atomic():
        current = _lock_for_writing(visit, actor)
        if current.status not in EDITABLE_STATUSES:
            raise _locked_error(current)
        for name, value in data.items():
            setattr(current, name, "" if value is None and name.endswith("_note") else value)
        _validate_content(current)
        current.save()
        _event(current, actor, "update", comment=", ".join(sorted(data)))
    return current


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


def visit_end(*, visit, actor, departed_at=None, latitude=None, longitude=None):
    """Record the departure (and the location when the browser gives it)."""
    _require(access.can_edit_visit(actor, visit))
    departed_at = departed_at or timezone.now()
    _check_time(departed_at, "departed_at")
    with transaction.atomic():
        current = _lock_for_writing(visit, actor)
        if current.status != Visit.Status.IN_PROGRESS:
            if current.status == Visit.Status.LOCKED:
                raise _locked_error(current)
            raise ConflictError(_("This visit has already ended."))
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
                title=_("Price violation at %(customer)s") % {"customer": visit.customer},
                body=_("Found by %(manager)s on the visit of %(date)s. %(note)s")
                % {
                    "manager": actor,
                    "date": f"{timezone.localtime(visit.arrived_at):%Y-%m-%d}",
                    "note": violation.note,
                },
                url=_url("visits:violation_detail", violation.pk),
            )
    return violation


def visit_sign(*, visit, actor, role, image, signer_name=""):
    """Sign a visit record: the manager first, then the customer, on the manager's screen.

    1. The image must be a real, non-blank PNG within the size limit.
    2. The manager signs an ended visit; the customer signs after the manager.
    3. Each signature keeps the image's SHA-256 and the hash of the record's
       content at signing (the customer's also covers the manager's signature).
    4. The customer's signature locks the record.
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
    content, digest = images.signature_png(image)
    with transaction.atomic():
        current = _lock_for_writing(visit, actor)
        if current.status != from_status:
            raise _sign_order_error(current, role)
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


def _sign_order_error(visit, role):
    if visit.status == Visit.Status.LOCKED:
        return VisitLocked(_("This visit record is already signed by the customer and locked."))
    if role == Signature.Role.CUSTOMER:
        if visit.status == Visit.Status.MANAGER_SIGNED:
            return ConflictError(_("The customer has already signed."))
        return ConflictError(_("The manager signs first; then the customer confirms."))
    if visit.status == Visit.Status.IN_PROGRESS:
        return ConflictError(_("End the visit before signing it."))
    return ConflictError(_("The manager has already signed this record."))


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
    _require(access.can_edit_visit(actor, original))
    if original.status != Visit.Status.LOCKED:
        raise DomainError(_("Only a locked record is corrected; edit this one directly."))
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
                title=_(
                    "Your visit record of %(customer)s of %(date)s was closed: "
                    "the customer now has another manager"
                )
                % {
                    "customer": customer,
                    "date": f"{timezone.localtime(visit.arrived_at):%Y-%m-%d}",
                },
                url=_url("visits:visit_detail", visit.pk),
            )
    return closed


# Suggestions and revisits ----------------------------------------------------------


def suggestion_add(*, visit, actor, text):
    """A customer's suggestion, to be answered within 3 working days of the visit."""
    _require(access.can_edit_visit(actor, visit))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the customer's suggestion.")})
    visit = Visit.objects.select_related("customer").get(pk=visit.pk)
    _require(access.can_edit_visit(actor, visit))
    if visit.status not in EDITABLE_STATUSES:
        raise _locked_error(visit)
    day = timezone.localdate(visit.arrived_at)
    suggestion = Suggestion(
        visit=visit,
        customer=visit.customer,
        text=text,
        due_on=workdays.add_working_days(day, SUGGESTION_ANSWER_WORKING_DAYS),
    )
    suggestion.full_clean(exclude=["answered_by", "answered_at"])
    with transaction.atomic():
        suggestion.save()
        # The event names the suggestion; its whole text is on the suggestion.
        _event(visit, actor, "suggestion", comment=text[:200])
    return suggestion


def suggestion_answer(*, suggestion, actor, answer):
    if not access.can_answer_suggestion(actor, suggestion):
        raise PermissionDenied
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer given to the customer.")})
    # The customer as stored now: reassigned since the page was read, it is not
    # the actor's to answer any more.
    _require(access.is_current_manager(actor, Customer.objects.get(pk=suggestion.customer_id)))
    check_length(Suggestion, "answer", answer)
    claimed = Suggestion.objects.filter(pk=suggestion.pk, answered_at__isnull=True).update(
        answer=answer, answered_at=timezone.now(), answered_by=actor
    )
    if claimed != 1:
        raise ConflictError(_("This suggestion has already been answered."))
    suggestion.refresh_from_db()
    return suggestion


# Price violations -------------------------------------------------------------------


def _next_worse_grade(grade):
    if grade is None:
        return None
    return Grade.objects.filter(rank__gt=grade.rank).order_by("rank").first()


def price_violation_downgrade(*, violation, actor, grade=None, note=""):
    """The regional manager downgrades the customer for the violation found on a visit.

    The grade history records the change as a price violation, naming the visit.
    Without ``grade`` the customer goes one grade down.
    """
    if not access.can_decide_violation(actor, violation):
        raise PermissionDenied
    customer = Customer.objects.select_related("grade").get(pk=violation.customer_id)
    grade = grade or _next_worse_grade(customer.grade)
    if grade is None:
        raise ValidationError({"grade": _("The customer has no lower grade to go to.")})
    if customer.grade is not None and grade.rank <= customer.grade.rank:
        raise ValidationError({"grade": _("Choose a grade below the customer's current grade.")})
    visit = violation.visit
    reason = _("Price violation found on the visit of %(date)s by %(manager)s (visit #%(visit)s)")
    reason %= {
        "date": f"{timezone.localtime(visit.arrived_at):%Y-%m-%d}",
        "manager": visit.manager,
        "visit": visit.pk,
    }
    note = (note or "").strip()
    check_length(PriceViolation, "decision_note", note, key="note")
    if note:
        reason = f"{reason}: {note}"
    with transaction.atomic():
        claimed = PriceViolation.objects.filter(
            pk=violation.pk, status=PriceViolation.Status.OPEN
        ).update(
            status=PriceViolation.Status.DOWNGRADED,
            decided_by=actor,
            decided_at=timezone.now(),
            decision_note=note,
        )
        if claimed != 1:
            raise ConflictError(_("This violation has already been decided."))
        crm_services.customer_change_grade(
            customer=customer,
            actor=actor,
            grade=grade,
            # The grade history's reason is written here from the visit and
            # the note (kept whole on the violation): cut to its column.
            reason=reason[:300],
            source=GradeChange.Source.PRICE_VIOLATION,
        )
    violation.refresh_from_db()
    return violation


def price_violation_dismiss(*, violation, actor, note=""):
    if not access.can_decide_violation(actor, violation):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say why the violation is dismissed.")})
    check_length(PriceViolation, "decision_note", note, key="note")
    claimed = PriceViolation.objects.filter(
        pk=violation.pk, status=PriceViolation.Status.OPEN
    ).update(
        status=PriceViolation.Status.DISMISSED,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_note=note,
    )
    if claimed != 1:
        raise ConflictError(_("This violation has already been decided."))
    violation.refresh_from_db()
    return violation


# Promotional materials, unlicensed operation, work logs ------------------------------


def promotion_record(*, customer, actor, item, quantity, signer_name, signature):
    """Promotional items handed to a customer, signed by the customer (宣传促销品签收单).

    Only customers whose grade allows promotions may receive them.
    """
    # The customer as stored now: one reassigned since the caller read it is
    # no longer the actor's to hand anything to.
    customer = Customer.objects.select_related("grade").get(pk=customer.pk)
    _require(access.is_current_manager(actor, customer))
    grade = customer.grade
    if grade is None or not grade.promotion_allowed:
        allowed = ", ".join(
            Grade.objects.filter(promotion_allowed=True)
            .order_by("rank")
            .values_list("code", flat=True)
        )
        raise DomainError(
            _(
                "Promotional materials may only go to customers of grades %(allowed)s; "
                "this customer's grade is %(grade)s."
            )
            % {"allowed": allowed or "-", "grade": grade.code if grade else _("none")},
            field="customer",
        )
    if customer.network_status != Customer.NetworkStatus.ACTIVE:
        raise ValidationError({"customer": _("This customer has exited the network.")})
    signer_name = (signer_name or "").strip()
    if not signer_name:
        raise ValidationError({"signer_name": _("Write the name of the customer who signs.")})
    content, digest = images.signature_png(signature, field="signature")
    receipt = PromotionReceipt(
        customer=customer,
        manager=actor,
        item=(item or "").strip(),
        quantity=quantity,
        signer_name=signer_name,
        signature_sha256=digest,
    )
    receipt.signature.save("signature.png", content, save=False)
    receipt.full_clean()
    if not receipt.quantity:
        raise ValidationError({"quantity": _("Hand out at least one.")})
    receipt.save()
    return receipt


def unlicensed_report(*, actor, address, description, photo=None):
    """A manager reports unlicensed operation (无证经营); the region's manager is told."""
    _require(works_in_region(actor))
    report = UnlicensedReport(
        region_id=actor.region_id,
        reporter=actor,
        address=(address or "").strip(),
        description=(description or "").strip(),
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
                    title=_("Unlicensed operation reported at %(address)s")
                    % {"address": report.address},
                    body=report.description,
                    url=_url("visits:unlicensed_detail", report.pk),
                )
    return report


def unlicensed_forward(*, report, actor, note=""):
    """Forwarded to the monopoly department."""
    if not access.can_handle_unlicensed(actor, report):
        raise PermissionDenied
    note = (note or "").strip()
    check_length(UnlicensedReport, "forward_note", note, key="note")
    claimed = UnlicensedReport.objects.filter(
        pk=report.pk, status=UnlicensedReport.Status.REPORTED
    ).update(
        status=UnlicensedReport.Status.FORWARDED,
        forwarded_at=timezone.now(),
        forwarded_by=actor,
        forward_note=note,
    )
    if claimed != 1:
        raise ConflictError(_("This report has already been forwarded."))
    report.refresh_from_db()
    return report


def unlicensed_record_outcome(*, report, actor, outcome):
    if not access.can_handle_unlicensed(actor, report):
        raise PermissionDenied
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Write the outcome.")})
    check_length(UnlicensedReport, "outcome", outcome)
    claimed = UnlicensedReport.objects.filter(
        pk=report.pk, status=UnlicensedReport.Status.FORWARDED
    ).update(status=UnlicensedReport.Status.CLOSED, outcome=outcome, closed_at=timezone.now())
    if claimed != 1:
        if report.status == UnlicensedReport.Status.REPORTED:
            raise ConflictError(_("Forward the report to the monopoly department first."))
        raise ConflictError(_("The outcome has already been recorded."))
    report.refresh_from_db()
    return report


def work_log_write(*, actor, kind, day, content):
    """A manager writes (or rewrites) their daily log or weekly summary."""
    _require(works_customers(actor))
    if kind == WorkLog.Kind.WEEKLY and day.weekday() != 0:
        raise ValidationError({"day": _("A weekly summary is dated on the Monday of its week.")})
    if day > timezone.localdate():
        raise ValidationError({"day": _("This day has not come yet.")})
    content = (content or "").strip()
    log = WorkLog.objects.filter(author=actor, kind=kind, day=day).first()
    if log is None:
        log = WorkLog(author=actor, kind=kind, day=day)
    log.content = content
    log.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            log.save()
    except IntegrityError:
        raise ConflictError(_("This log was written meanwhile; reload it.")) from None
    return log


def work_log_comment(*, log, actor, text):
    if not access.can_comment_work_log(actor, log):
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write a comment.")})
    with transaction.atomic():
        comment = WorkLogComment(log=log, author=actor, text=text)
        comment.full_clean()
        comment.save()
        notify(
            user=log.author,
            key=f"worklog-comment:{comment.pk}",
            title=_("%(author)s commented on your work log of %(day)s")
            % {"author": actor, "day": f"{log.day:%Y-%m-%d}"},
            body=text,
            url=_url("visits:work_log_detail", log.pk),
        )
    return comment


# Periodic jobs ----------------------------------------------------------------------


def reminders_send(*, day=None):
    """The 07:30 reminders of one day, for every manager.

    1. Load everything due in a handful of queries: open revisits up to today,
       suggestions whose answer limit is near or past, customers whose grade
       interval lapsed, and the reminders already sent today.
    2. Notify each manager once per item and day (the key holds both), so a
       second run, or a run after a crash half-way, sends only what is missing.
    Customers whose interval lapsed come as one list per manager and day: a
    manager with many lapsed customers gets one message, not dozens.
    Nothing is sent on a day off; what fell due shows as overdue the next
    working day. Returns the number of notifications sent.
    """
    from crm.models import Notification

    day = day or timezone.localdate()
    if not workdays.is_working_day(day):
        return 0
    stamp = f"{day:%Y-%m-%d}"
    managers = {
        user.pk: user for user in User.objects.filter(role=User.Role.MANAGER, is_active=True)
    }
    already = set(
        Notification.objects.filter(
            user_id__in=list(managers), key__endswith=f":{stamp}"
        ).values_list("user_id", "key")
    )
    items = []  # (manager_id, key, title, body, url)
    for visit in selectors.open_revisits(until=day, manager_ids=list(managers)):
        manager_id = visit.customer.manager_id
        if not visit.is_revisit_overdue_on(day):
            key, title = (
                f"revisit-due:{visit.pk}:{stamp}",
                _("Revisit %(customer)s today") % {"customer": visit.customer},
            )
        else:
            key, title = (
                f"revisit-overdue:{visit.pk}:{stamp}",
                _("Revisit of %(customer)s overdue since %(date)s")
                % {"customer": visit.customer, "date": f"{visit.revisit_on:%Y-%m-%d}"},
            )
        items.append((manager_id, key, title, "", _url("visits:visit_detail", visit.pk)))
    for suggestion in selectors.open_suggestions(day=day, manager_ids=list(managers)):
        if suggestion.is_overdue_on(day):
            title = _("Answer overdue: suggestion of %(customer)s (due %(date)s)")
        else:
            title = _("Answer by %(date)s: suggestion of %(customer)s")
        items.append(
            (
                suggestion.customer.manager_id,
                f"suggestion:{suggestion.pk}:{stamp}",
                title % {"customer": suggestion.customer, "date": f"{suggestion.due_on:%Y-%m-%d}"},
                suggestion.text,
                _url("visits:visit_detail", suggestion.visit_id),
            )
        )
    lapsed = {}
    yesterday = day - datetime.timedelta(days=1)
    for customer, due in selectors.customers_due(manager_ids=list(managers), until=yesterday):
        lapsed.setdefault(customer.manager_id, []).append((customer, due))
    for manager_id, rows in lapsed.items():
        lines = [
            _("%(customer)s (grade %(grade)s), due %(date)s")
            % {"customer": c, "grade": c.grade.code, "date": f"{due:%Y-%m-%d}"}
            for c, due in rows
        ]
        items.append(
            (
                manager_id,
                f"lapsed:{manager_id}:{stamp}",
                _("%(count)s customers are past their visit interval") % {"count": len(rows)},
                "\n".join(lines),
                _url("home"),
            )
        )
    return notify_many(
        (managers[manager_id], key, str(title), body, url)
        for manager_id, key, title, body, url in items
        if (manager_id, key) not in already and manager_id in managers
    )


def schedules_propose_next_week(*, today=None):
    """Friday afternoon: propose next week's schedule for every active manager without one.

    The unique (manager, week) constraint and the notification key make a second
    run create and send nothing. Returns the number of schedules created.
    """
    today = today or timezone.localdate()
    week_start = selectors.monday_of(today) + datetime.timedelta(days=7)
    have = WeeklySchedule.objects.filter(week_start=week_start).values("manager_id")
    managers = User.objects.filter(role=User.Role.MANAGER, is_active=True).exclude(pk__in=have)
    created = 0
    for manager in managers.order_by("pk"):
        schedule, new = schedule_propose(manager=manager, week_start=week_start, by_job=True)
        if not new:
            continue
        created += 1
        notify(
            user=manager,
            key=f"schedule-proposed:{week_start:%Y-%m-%d}",
            title=_("Your schedule for the week of %(week)s is ready to review")
            % {"week": f"{week_start:%Y-%m-%d}"},
            body=_("%(count)s visits proposed from your customers' grade intervals.")
            % {"count": schedule.entries.count()},
            url=_url("visits:schedule_detail", schedule.pk),
        )
    return created
