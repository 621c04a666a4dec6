"""Writes to the customer archive. Browser views, the API, admin actions,
management commands and Celery tasks all call these functions."""

import datetime
from decimal import Decimal
from functools import partial
from itertools import islice

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, Sum
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from accounts.services import Reason as TokenRevocation
from accounts.services import tokens_revoke_all
from core import audit, months, official_calendar
from core.errors import ConflictError, DomainError
from core.models import CalendarDay
from core.transitions import claim, claimer, record
from crm import access, workflows
from crm.access import has_role, leads_region, sees_all
from crm.models import (
    Assignment,
    Contact,
    Customer,
    Grade,
    GradeChange,
    NetworkStatusChange,
    Region,
    RegradingProposal,
    RegradingRun,
    RegradingRunEvent,
    SalesImport,
    SalesRecord,
    User,
)

# Fields a customer's own manager may change. Assignment, region, grade and
# network status go through their own services, with history.
PROFILE_FIELDS = (
    "name",
    "licence_number",
    "customer_type",
    "key_account_class",
    "address",
    "economic_nature",
    "business_scale",
    "network_scope",
    "main_business_performance",
    "credit_standing",
    "operator_background",
    "operator_birthday",
    "company_anniversary",
)
CONTACT_FIELDS = ("name", "role", "phone", "notes")


def _set_contacts(customer, contacts):
    """Make the customer's contacts exactly ``contacts`` (dicts; an ``id`` keeps a row)."""
    existing = {contact.pk: contact for contact in customer.contacts.all()}
    keep = set()
    for item in contacts:
        contact_id = item.get("id")
        if contact_id:
            contact = existing.get(contact_id)
            if contact is None:
                raise ValidationError(
                    {"contacts": _("Unknown contact %(id)s.") % {"id": contact_id}}
                )
            keep.add(contact_id)
        else:
            contact = Contact(customer=customer)
        for field in CONTACT_FIELDS:
            setattr(contact, field, item.get(field) or "")
        contact.full_clean(exclude=["customer"])
        contact.save()
    stale = [pk for pk in existing if pk not in keep]
    if stale:
        # A contact taken off the customer is gone from the page, not from the trail.
        for pk in stale:
            audit.record_deletion(existing[pk])
        Contact.objects.filter(pk__in=stale).delete()


def customer_create(*, actor, data, contacts=()):
    """Create a customer; its first assignment and grade start the histories."""
    if not access.can_create_customer(actor):
        raise PermissionDenied
    fields = dict(data)
    if leads_region(actor):
        fields["region"] = actor.region
    customer = Customer(**fields)
    if customer.manager_id:
        customer.assigned_at = timezone.now()
    if not customer.joined_on:
        customer.joined_on = timezone.localdate()
    customer.full_clean()
    with transaction.atomic():
        customer.save()
        _set_contacts(customer, contacts)
        if customer.manager_id:
            Assignment.objects.create(
                customer=customer,
                from_manager=None,
                to_manager=customer.manager,
                reason=_("New customer"),
                changed_by=actor,
            )
        if customer.grade_id:
            GradeChange.objects.create(
                customer=customer,
                old_grade=None,
                new_grade=customer.grade,
                source=GradeChange.Source.INITIAL,
                reason=_("New customer"),
                changed_by=actor,
            )
        if customer.manager_id:
            _notify_assigned(customer)
    return customer


def customer_update(*, customer, actor, data, contacts=None):
    """Change a customer's identity and profile (and contacts, when given)."""
    if not access.can_edit_customer(actor, customer):
        raise PermissionDenied
    unknown = set(data) - set(PROFILE_FIELDS)
    if unknown:
        raise ValidationError(
            {field: _("This field cannot be changed here.") for field in sorted(unknown)}
        )
    for field, value in data.items():
        setattr(customer, field, value)
    customer.full_clean()
    with transaction.atomic():
        customer.save()
        if contacts is not None:
            _set_contacts(customer, contacts)
    return customer


# Sent inside ``customer_reassign``'s transaction once the customer has its new
# manager, so an app above crm closes in the same transaction what the previous
# manager held open (visits connects its handler in ``VisitsConfig.ready()``).
# Keyword arguments: customer, previous_manager, new_manager, actor, reason.
customer_reassigned = Signal()


def customer_reassign(*, customer, actor, manager, reason, region=None):
    """Hand the customer to another manager (and region); the history keeps the change.

    From then on only the new manager writes about the customer; what the
    previous manager left open is closed by the receivers of ``customer_reassigned``.
    """
    if not access.can_supervise_customer(actor, customer):
        raise PermissionDenied
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Give a reason for the reassignment.")})
    if region is not None and region != customer.region and not sees_all(actor):
        raise PermissionDenied
    if manager is not None and not (sees_all(actor) or manager.region_id == actor.region_id):
        raise ValidationError({"manager": _("Choose a manager of your region.")})
    with transaction.atomic():
        locked = Customer.objects.select_for_update().get(pk=customer.pk)
        previous = locked.manager
        if region is not None:
            locked.region = region
        if previous == manager and region is None:
            raise DomainError(_("The customer is already assigned to this manager."))
        locked.manager = manager
        locked.assigned_at = timezone.now() if manager else None
        locked.full_clean()
        locked.save(update_fields=["manager", "region", "assigned_at", "updated_at"])
        Assignment.objects.create(
            customer=locked,
            from_manager=previous,
            to_manager=manager,
            reason=reason.strip(),
            changed_by=actor,
        )
        if previous is not None and previous != manager:
            customer_reassigned.send(
                sender=Customer,
                customer=locked,
                previous_manager=previous,
                new_manager=manager,
                actor=actor,
                reason=reason.strip(),
            )
        if manager is not None and manager != previous:
            _notify_assigned(locked)
    return locked


def customer_change_grade(*, customer, actor, grade, reason, source=GradeChange.Source.MANUAL):
    """Give the customer another grade; the grade history records who and why."""
    if not access.can_supervise_customer(actor, customer):
        raise PermissionDenied
    if not reason or not reason.strip():
        raise ValidationError({"reason": _("Give a reason for the grade change.")})
    with transaction.atomic():
        locked = Customer.objects.select_for_update().get(pk=customer.pk)
        if locked.grade_id == (grade.pk if grade else None):
            raise DomainError(_("The customer already has this grade."))
        old_grade = locked.grade
        locked.grade = grade
        locked.save(update_fields=["grade", "updated_at"])
        GradeChange.objects.create(
            customer=locked,
            old_grade=old_grade,
            new_grade=grade,
            source=source,
            reason=reason.strip(),
            changed_by=actor,
        )
    return locked


def _network_conflict(customer, step):
    if customer.network_status == Customer.NetworkStatus.EXITED:
        return _("The customer has already exited the network.")
    return _("The customer is already in the network.")


_network_claim = claimer(
    Customer,
    workflows.NETWORK_TRANSITIONS,
    field=workflows.NETWORK_FIELD,
    conflict=_network_conflict,
)


def customer_exit_network(*, customer, actor, exited_on, reason):
    """Record that the customer left the network (退网). The customer is kept.

    The step is claimed on the locked row, not the caller's copy: of two exits
    sent at once, the second waits, finds the customer already exited and is
    told so (409). The exit is a ``NetworkStatusChange`` row of the history.
    """
    with transaction.atomic():
        locked = _network_claim(customer, "exit", actor)
        old = locked.network_status
        locked.network_status = Customer.NetworkStatus.EXITED
        locked.exited_on = exited_on
        locked.exit_reason = (reason or "").strip()
        locked.full_clean()
        locked.save(update_fields=["network_status", "exited_on", "exit_reason", "updated_at"])
        record(
            NetworkStatusChange,
            locked,
            actor=actor,
            action=NetworkStatusChange.Action.EXITED,
            from_status=old,
            field=workflows.NETWORK_FIELD,
            date=exited_on,
            reason=locked.exit_reason,
        )
    return locked


def customer_rejoin_network(*, customer, actor, joined_on):
    """Bring an exited customer back into the network (入网).

    The customer's current-exit fields are cleared; the exit stays in its
    network history, followed by this rejoining.
    """
    with transaction.atomic():
        locked = _network_claim(customer, "rejoin", actor)
        if locked.exited_on and joined_on < locked.exited_on:
            raise ValidationError(
                {"joined_on": _("The rejoining date cannot be before the exit date.")}
            )
        old = locked.network_status
        locked.network_status = Customer.NetworkStatus.ACTIVE
        locked.joined_on = joined_on
        locked.exited_on = None
        locked.exit_reason = ""
        locked.full_clean()
        locked.save(
            update_fields=["network_status", "joined_on", "exited_on", "exit_reason", "updated_at"]
        )
        record(
            NetworkStatusChange,
            locked,
            actor=actor,
            action=NetworkStatusChange.Action.REJOINED,
            from_status=old,
            field=workflows.NETWORK_FIELD,
            date=joined_on,
        )
    return locked


# Grading ---------------------------------------------------------------------


def grade_for_amount(grades, amount):
    """The grade a yearly purchase amount earns under ``grades`` (ordered best first).

    The best grade whose range holds the amount; where the scheme leaves a gap
    between ranges, the best grade whose minimum the amount reaches.
    """
    for grade in grades:
        if amount >= grade.min_annual_amount and (
            grade.max_annual_amount is None or amount < grade.max_annual_amount
        ):
            return grade
    reached = [grade for grade in grades if amount >= grade.min_annual_amount]
    if reached:
        return reached[0]
    return grades[-1] if grades else None


def regrading_propose(*, actor, as_of=None):
    """Compute each active customer's grade from the 12 full months before ``as_of``.

    1. Sum each customer's purchase amount over the period in one query.
    2. Find the grade the amount earns under the current scheme.
    3. Keep a proposal for every customer whose grade would change.
    """
    if not access.may_start_regrading(actor):
        raise PermissionDenied
    grades = list(Grade.objects.order_by("rank"))
    if not grades:
        raise DomainError(_("Define the grading scheme first."))
    as_of = as_of or timezone.localdate()
    period_end = months.month_shift(months.month_start(as_of), -1)
    period_start = months.month_shift(period_end, -11)
    totals = dict(
        SalesRecord.objects.filter(month__gte=period_start, month__lte=period_end)
        .values("customer_id")
        .annotate(total=Sum("amount"))
        .values_list("customer_id", "total")
    )
    customers = Customer.objects.filter(network_status=Customer.NetworkStatus.ACTIVE).values_list(
        "pk", "grade_id"
    )
    grades_by_id = {grade.pk: grade for grade in grades}
    with transaction.atomic():
        run = RegradingRun.objects.create(
            period_start=period_start, period_end=period_end, created_by=actor
        )
        proposals = []
        for customer_id, grade_id in customers.iterator(chunk_size=5000):
            amount = totals.get(customer_id) or Decimal("0")
            new_grade = grade_for_amount(grades, amount)
            if new_grade.pk != grade_id:
                proposals.append(
                    RegradingProposal(
                        run=run,
                        customer_id=customer_id,
                        old_grade=grades_by_id.get(grade_id),
                        new_grade=new_grade,
                        annual_amount=amount,
                    )
                )
        RegradingProposal.objects.bulk_create(proposals, batch_size=2000)
        _run_event(run, actor, RegradingRunEvent.Action.STARTED, "", len(proposals))
    return run


def _run_event(run, actor, action, from_status, count):
    """The run's event row; its note counts what the step proposed or applied."""
    if count is None:
        note = ""
    elif action == RegradingRunEvent.Action.STARTED:
        note = ngettext(
            "%(count)s proposed grade change", "%(count)s proposed grade changes", count
        ) % {"count": count}
    else:
        note = ngettext("%(count)s grade applied", "%(count)s grades applied", count) % {
            "count": count
        }
    return record(
        RegradingRunEvent, run, actor=actor, action=action, from_status=from_status, note=note
    )


def regrading_apply(*, run, actor, proposal_ids=None):
    """Apply the chosen proposals of a run (all ``actor`` may apply when ``proposal_ids`` is None).

    1. Claim the run's step (``crm.workflows.RUN_TRANSITIONS``) on the locked
       row: an admin's "apply" closes the run, so a second click or a discard
       meanwhile finds it applied (409); a regional manager's "apply_region"
       leaves it open for the other regions and for an admin, who waits for it.
    2. Select the proposals the actor may apply (``crm.access.regrading_applicable``:
       an admin any, a regional manager the downgrades of their region's
       customers; SPEC: "an admin (or the regional manager for downgrades)
       confirms"); asking for another is refused (403).
    3. Each applied change lands in the grade history with the actor and the
       period as the reason; the run gets its event row.
    """
    if not access.may_see_regrading(actor):
        raise PermissionDenied
    name = "apply" if access.may_close_regrading(actor, run) else "apply_region"
    step = workflows.RUN_TRANSITIONS[name]
    with transaction.atomic():
        locked = claim(RegradingRun, run.pk, step, actor=actor)
        allowed = access.regrading_applicable(actor, locked.proposals.all())
        if proposal_ids is not None:
            wanted = set(proposal_ids)
            found = set(allowed.filter(pk__in=wanted).values_list("pk", flat=True))
            if wanted - found:
                # Another region's proposal or an upgrade: not the actor's to confirm.
                raise PermissionDenied
            allowed = allowed.filter(pk__in=wanted)
        proposals = list(allowed.filter(applied=False).select_related("customer"))
        reason = _("Regrading on purchases %(start)s – %(end)s: %(amount)s")
        changes = []
        customers = []
        for proposal in proposals:
            proposal.customer.grade_id = proposal.new_grade_id
            customers.append(proposal.customer)
            changes.append(
                GradeChange(
                    customer=proposal.customer,
                    old_grade_id=proposal.old_grade_id,
                    new_grade_id=proposal.new_grade_id,
                    source=GradeChange.Source.REGRADING,
                    reason=reason
                    % {
                        "start": f"{locked.period_start:%Y-%m}",
                        "end": f"{locked.period_end:%Y-%m}",
                        "amount": f"{proposal.annual_amount:,.2f}",
                    },
                    changed_by=actor,
                )
            )
            proposal.applied = True
        Customer.objects.bulk_update(customers, ["grade"], batch_size=2000)
        GradeChange.objects.bulk_create(changes, batch_size=2000)
        RegradingProposal.objects.bulk_update(proposals, ["applied"], batch_size=2000)
        old = locked.status
        if step.target is not None:
            locked.status = step.target
            locked.applied_at = timezone.now()
            locked.save(update_fields=["status", "applied_at"])
        action = (
            RegradingRunEvent.Action.APPLIED
            if step.target is not None
            else RegradingRunEvent.Action.REGION_APPLIED
        )
        _run_event(locked, actor, action, old, len(proposals))
    run.refresh_from_db()
    return run


def regrading_discard(*, run, actor):
    """Discard an open run: no grade changes (the admin's, like starting one)."""
    with transaction.atomic():
        locked = claim(RegradingRun, run.pk, workflows.RUN_TRANSITIONS["discard"], actor=actor)
        old = locked.status
        locked.status = RegradingRun.Status.DISCARDED
        locked.save(update_fields=["status"])
        _run_event(locked, actor, RegradingRunEvent.Action.DISCARDED, old, None)
    run.refresh_from_db()
    return run


# Sales -------------------------------------------------------------------------


def sales_import(*, actor, file_name, rows):
    """Store validated sales rows, replacing each (customer, month) already there.

    ``rows`` come from ``crm.sales_import.validate_rows``: every row is good or
    none was passed here. Managers may only import their own customers' rows
    (the validation already refused the others).
    """
    if not has_role(actor):
        raise PermissionDenied
    with transaction.atomic():
        batch = SalesImport.objects.create(
            file_name=file_name[:255],  # the browser's name of the file, not typed: cut to fit
            row_count=len(rows),
            rows_total=len(rows),
            rows_checked=len(rows),
            months=_months_label({row["month"] for row in rows}),
            imported_by=actor,
            status=SalesImport.Status.DONE,
            finished_at=timezone.now(),
        )
        _sales_records_store(batch=batch, rows=rows)
    return batch


def _months_label(months):
    # A summary for the list of imports; the rows themselves have every month.
    return ", ".join(f"{month:%Y-%m}" for month in sorted(months))[:200]


def _sales_records_store(*, batch, rows, batch_size=2000):
    """Write checked rows (an iterable of dicts) a batch at a time, replacing
    each (customer, month) already there."""
    rows = iter(rows)
    while chunk := list(islice(rows, batch_size)):
        SalesRecord.objects.bulk_create(
            [
                SalesRecord(
                    customer_id=row["customer_id"],
                    month=row["month"],
                    quantity=row["quantity"],
                    amount=row["amount"],
                    sales_quantity=row.get("sales_quantity"),
                    sales_amount=row.get("sales_amount"),
                    batch=batch,
                )
                for row in chunk
            ],
            update_conflicts=True,
            unique_fields=["customer", "month"],
            update_fields=[
                "quantity",
                "amount",
                "sales_quantity",
                "sales_amount",
                "batch",
                "updated_at",
            ],
        )


# Calendar ------------------------------------------------------------------------


def calendar_import_year(*, year):
    """Load one year's holidays and make-up working days from ``chinesecalendar``.

    Days an admin already entered are left as they are; running it twice adds
    nothing twice. Returns the number of days added.
    """
    days = [
        CalendarDay(date=day, kind=kind, name=name)
        for day, kind, name in official_calendar.exceptions_for_year(year)
    ]
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    before = CalendarDay.objects.filter(date__gte=start, date__lte=end).count()
    CalendarDay.objects.bulk_create(days, ignore_conflicts=True)
    return CalendarDay.objects.filter(date__gte=start, date__lte=end).count() - before


# Users -----------------------------------------------------------------------------------
#
# Admins manage users on the user pages (crm/user_views.py), through the API and,
# superusers only, in the Django admin; all of them call these. Users are
# deactivated, never deleted. Every change writes one audit row naming the admin.

# What the user pages and the API may change on a user (besides the password and
# is_active, which have their own steps on the pages).
USER_FIELDS = ("username", "first_name", "last_name", "email", "phone", "role", "region")
# A generated password: long enough for Django's validators, without look-alikes.
PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
PASSWORD_LENGTH = 14


def password_generate():
    """A random password for a new user or a reset, shown once to the admin."""
    import secrets

    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


def _may_manage_user(actor, user):
    """Admins manage users; only a superuser changes a superuser (whose password opens
    the Django admin)."""
    if not sees_all(actor):
        raise PermissionDenied
    if user.pk and user.is_superuser and not actor.is_superuser:
        raise PermissionDenied


def _user_values(user):
    return {
        "username": user.username,
        "name": user.get_full_name(),
        "email": user.email,
        "phone": user.phone,
        "role": user.role,
        "region": user.region.code if user.region_id else "",
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    }


def user_create(*, actor, data, password, request=None):
    """Admins create users; the password goes through Django's validators."""
    _may_manage_user(actor, User())
    user = User(**data)
    _set_password(user, password)
    user.full_clean()
    with transaction.atomic():
        user.save()
        audit.record(
            "user_created",
            actor=actor,
            obj=user,
            request=request,
            summary=_("%(user)s created (%(role)s)")
            % {"user": _user_label(user), "role": user.get_role_display()},
            **_user_values(user),
        )
    return user


def _user_label(user):
    name = user.get_full_name()
    return f"{name} ({user.username})" if name else user.username


def _refuse_role_change_with_customers(user, before):
    """A manager who still has customers keeps the role until they are reassigned:
    their customers would be left with someone who no longer works them."""
    if before.role == user.role:
        return
    count = Customer.objects.filter(manager_id=user.pk).count()
    if count:
        raise ValidationError(
            {
                "role": ngettext(
                    "%(user)s still has %(count)d customer: reassign it to another "
                    "manager before changing the role.",
                    "%(user)s still has %(count)d customers: reassign them to another "
                    "manager before changing the role.",
                    count,
                )
                % {"user": _user_label(before), "count": count}
            }
        )


def user_update(*, user, actor, data, password=None, request=None):
    """Admins change a user.

    Deactivating or a new password revokes the user's API tokens, and
    deactivating ends their sessions: ``accounts.signals`` and ``core.sessions``
    do it on save, whichever page or command saved the user. A manager with
    customers keeps the role until the customers are reassigned; an admin does
    not take away their own admin role or deactivate themselves.
    """
    _may_manage_user(actor, user)
    before = User.objects.select_related("region").get(pk=user.pk)
    for field, value in data.items():
        setattr(user, field, value)
    if user.pk == actor.pk and (not user.is_active or not sees_all(user)):
        raise ValidationError(_("You cannot deactivate yourself or take away your own admin role."))
    _refuse_role_change_with_customers(user, before)
    if password:
        _set_password(user, password)
    user.full_clean()
    old, new = _user_values(before), _user_values(user)
    changed = {name: [old[name], new[name]] for name in old if old[name] != new[name]}
    with transaction.atomic():
        if before.is_active and not user.is_active:
            # Revoked here so that the audit row names the admin (the signal finds none left).
            tokens_revoke_all(
                user=user, actor=actor, reason=TokenRevocation.DEACTIVATED, request=request
            )
        user.save()
        action = "user_changed"
        if "is_active" in changed:
            action = "user_reactivated" if user.is_active else "user_deactivated"
        if changed:
            audit.record(
                action,
                actor=actor,
                obj=user,
                request=request,
                summary=_user_change_summary(user, action, changed),
                changed=changed,
            )
        if password:
            audit.record(
                "password_reset",
                actor=actor,
                obj=user,
                request=request,
                summary=_("Password of %(user)s set") % {"user": _user_label(user)},
            )
    return user


def _user_change_summary(user, action, changed):
    label = _user_label(user)
    if action == "user_deactivated":
        return _("%(user)s deactivated") % {"user": label}
    if action == "user_reactivated":
        return _("%(user)s reactivated") % {"user": label}
    names = {field.name: str(field.verbose_name) for field in User._meta.fields}
    names["name"] = str(_("name"))
    fields = ", ".join(names.get(name, name) for name in changed)
    return _("%(user)s changed: %(fields)s") % {"user": label, "fields": fields}


def user_deactivate(*, user, actor, request=None):
    """Deactivate (never delete) a user: no more logins, API tokens revoked, sessions ended."""
    return user_update(user=user, actor=actor, data={"is_active": False}, request=request)


def user_reactivate(*, user, actor, request=None):
    return user_update(user=user, actor=actor, data={"is_active": True}, request=request)


def user_password_reset(*, user, actor, password, request=None):
    """An admin sets a temporary password (typed or ``password_generate()``d).

    The user's API tokens are revoked and their browser sessions end (Django's
    session check fails after a password change).
    """
    if not password:
        raise ValidationError({"password": _("Type a password or let one be generated.")})
    return user_update(user=user, actor=actor, data={}, password=password, request=request)


def user_lockout_lift(*, user, actor, request=None):
    """Let a user locked out by failed logins (django-axes) try again now.

    Returns how many failed logins were forgotten (0: nothing to lift).
    """
    from core import lockout

    _may_manage_user(actor, user)
    failures = lockout.failed_logins([user.username]).get(user.username, 0)
    with transaction.atomic():
        lockout.lift(user.username)
        if failures:
            audit.record(
                "lockout_lifted",
                actor=actor,
                obj=user,
                request=request,
                summary=_("Login lockout of %(user)s lifted (%(count)d failed logins)")
                % {"user": _user_label(user), "count": failures},
                failures=failures,
            )
    return failures


def _set_password(user, password):
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)


def sales_import_file(*, actor, upload):
    """Import a CSV/XLSX sales file: all rows or none.

    A small file (at most ``SALES_IMPORT_SYNC_ROWS`` rows) is checked and stored
    at once; the import comes back done. A larger one is stored and queued for
    the worker, and comes back queued: the request reads only the header and at
    most that many rows, so it stays short whatever the file holds.

    Raises ``SalesImportError`` listing every bad row (or what is wrong with the
    file); nothing is stored then.
    """
    from crm.sales_import import SalesFile, SalesImportError, validate_rows

    if not has_role(actor):
        raise PermissionDenied
    sync_rows = settings.SALES_IMPORT_SYNC_ROWS
    file_name = upload.name or "upload"
    with SalesFile(upload) as sales_file:
        # About 1 KB of sheet XML or CSV per row is far more than a real row
        # takes; past that the file is not read here at all.
        if sales_file.data_bytes <= sync_rows * 1024:
            rows = list(islice(sales_file.rows(), sync_rows + 1))
            if not rows:
                raise SalesImportError([(0, _("The file has no data rows."))])
            if len(rows) <= sync_rows:
                rows = validate_rows(actor=actor, rows=rows)
                return sales_import(actor=actor, file_name=file_name, rows=rows)
    return _sales_import_queue(actor=actor, upload=upload, file_name=file_name)


def _sales_import_queue(*, actor, upload, file_name):
    from crm import tasks

    upload.seek(0)
    with transaction.atomic():
        batch = SalesImport(
            file_name=file_name[:255],  # the browser's name of the file, not typed: cut to fit
            imported_by=actor,
            status=SalesImport.Status.QUEUED,
            heartbeat_at=timezone.now(),
        )
        batch.file.save(file_name, upload, save=False)
        batch.save()
        transaction.on_commit(partial(tasks.sales_import_run.delay, batch.pk))
    return batch


def sales_import_run(*, sales_import_id):
    """The worker's part of a queued import; returns the import, or None if it
    was not queued (already run, or running: a redelivered task does nothing).

    1. Claim the import: queued -> running, or stop.
    2. Count the rows (cheaply) for the progress shown, refusing too many.
    3. Check every row, saving the progress after each batch; keep the clean
       rows compactly and the first bad ones.
    4. One bad row and nothing is stored: the import fails with the rows listed.
       Otherwise every row is written in one transaction with the import
       marked done. Either way the importer is notified and the file deleted.
    """
    from crm.sales_import import (
        BATCH_ROWS,
        LISTED_ERRORS,
        CleanRows,
        RowChecker,
        SalesFile,
        SalesImportError,
        too_many_rows_error,
    )

    claimed = SalesImport.objects.filter(
        pk=sales_import_id, status=SalesImport.Status.QUEUED
    ).update(status=SalesImport.Status.RUNNING, heartbeat_at=timezone.now())
    if claimed != 1:
        return None
    batch = SalesImport.objects.select_related("imported_by").get(pk=sales_import_id)
    progress = SalesImport.objects.filter(pk=batch.pk)
    try:
        batch.file.open("rb")
        with batch.file, SalesFile(batch.file) as sales_file:
            total = sales_file.count()
            progress.update(rows_total=total)
            if total > settings.SALES_IMPORT_MAX_ROWS:
                raise too_many_rows_error()
            checker = RowChecker(actor=batch.imported_by, listed=LISTED_ERRORS)
            clean = CleanRows()
            checked = 0
            rows = sales_file.rows()
            while chunk := list(islice(rows, BATCH_ROWS)):
                for row in checker.check(chunk):
                    clean.add(row)
                checked += len(chunk)
                progress.update(
                    rows_checked=checked,
                    rows_total=max(total, checked),
                    heartbeat_at=timezone.now(),
                )
            if not checked:
                raise SalesImportError([(0, _("The file has no data rows."))])
            checker.raise_if_any()
        with transaction.atomic():
            _sales_records_store(batch=batch, rows=clean)
            progress.update(
                status=SalesImport.Status.DONE,
                row_count=len(clean),
                rows_total=checked,
                rows_checked=checked,
                months=_months_label(clean.month_set),
                finished_at=timezone.now(),
            )
            batch.refresh_from_db()
            _sales_import_notify(batch=batch)
    except SalesImportError as exc:
        _sales_import_fail(batch=batch, errors=exc.errors[:LISTED_ERRORS], count=exc.count)
    except Exception:
        # Whatever broke (the database, a time limit), the import must not
        # stay "running" for ever; the error is still logged by the worker.
        message = _("The import stopped unexpectedly; nothing was imported. Try again.")
        _sales_import_fail(batch=batch, errors=[(0, message)], count=1)
        raise
    finally:
        batch.file.delete(save=False)
        progress.update(file="")
    return batch


def sales_imports_requeue_stale(*, now=None):
    """Queue again the imports a lost worker left behind; returns their ids.

    A worker killed in the middle of a job (out of memory, a lost machine)
    leaves its import "running" with a heartbeat that stopped; a broker that
    lost the message leaves it "queued". Nothing of it was stored (the rows are
    written in one transaction at the end) and its file is still there, so it
    is put back in the queue and runs from the start. Each import is claimed
    by a conditional update, so a sweep running twice queues it once, and the
    job's own claim keeps a task delivered twice from running it twice.
    """
    from crm import tasks

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.SALES_IMPORT_STALE_MINUTES)
    stale = SalesImport.objects.filter(
        status__in=[SalesImport.Status.QUEUED, SalesImport.Status.RUNNING],
        heartbeat_at__lt=cutoff,
    )
    requeued = []
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            claimed = stale.filter(pk=pk).update(status=SalesImport.Status.QUEUED, heartbeat_at=now)
            if claimed == 1:
                requeued.append(pk)
                transaction.on_commit(partial(tasks.sales_import_run.delay, pk))
    return requeued


def _sales_import_fail(*, batch, errors, count):
    with transaction.atomic():
        SalesImport.objects.filter(pk=batch.pk).update(
            status=SalesImport.Status.FAILED,
            errors=[[row, str(message)] for row, message in errors],
            error_count=count,
            row_count=0,
            finished_at=timezone.now(),
        )
        batch.refresh_from_db()
        _sales_import_notify(batch=batch)


def _sales_import_notify(*, batch):
    from core import notifications

    if batch.status == SalesImport.Status.DONE:
        title = notifications.Message(
            gettext_lazy("Sales import done: %(rows)s rows of %(file)s"),
            rows=batch.row_count,
            file=batch.file_name,
        )
        body = notifications.Message(gettext_lazy("Months: %(months)s."), months=batch.months)
    else:
        title = notifications.Message(
            gettext_lazy("Sales import failed: nothing of %(file)s was imported"),
            file=batch.file_name,
        )
        body = notifications.Message(
            ngettext_lazy("%(count)s row has errors.", "%(count)s rows have errors.", "count"),
            count=batch.error_count,
        )
    notifications.notify(
        user=batch.imported_by,
        key=f"sales-import-{batch.pk}",
        title=title,
        body=body,
        url=reverse("sales_import_detail", args=[batch.pk]),
    )


# Grading scheme and calendar, maintained by admins -------------------------------

GRADE_FIELDS = (
    "code",
    "name",
    "rank",
    "min_annual_amount",
    "max_annual_amount",
    "visit_interval_days",
    "promotion_allowed",
    "description",
)
CALENDAR_DAY_FIELDS = ("date", "kind", "name")


def _save_fields(*, instance, data, fields):
    unknown = set(data) - set(fields)
    if unknown:
        raise ValidationError(
            {field: _("This field cannot be changed here.") for field in sorted(unknown)}
        )
    for field, value in data.items():
        setattr(instance, field, value)
    instance.full_clean()
    with transaction.atomic():
        instance.save()
    return instance


def _delete_audited(*, instance, actor, protected_message):
    """Delete ``instance`` with its audit row in one transaction; still in use is a 409."""
    try:
        with transaction.atomic():
            audit.record_deletion(instance, actor=actor)
            instance.delete()
    except ProtectedError:
        raise ConflictError(protected_message) from None


def grade_create(*, actor, data):
    """Add a grade to the grading scheme."""
    if not sees_all(actor):
        raise PermissionDenied
    return _save_fields(instance=Grade(), data=data, fields=GRADE_FIELDS)


def grade_update(*, grade, actor, data):
    """Change a grade of the scheme; customers keep their grade, the next regrading uses it."""
    if not sees_all(actor):
        raise PermissionDenied
    return _save_fields(instance=grade, data=data, fields=GRADE_FIELDS)


def grade_delete(*, grade, actor):
    """Remove a grade nobody has; a grade still given to customers stays (409)."""
    if not sees_all(actor):
        raise PermissionDenied
    _delete_audited(
        instance=grade,
        actor=actor,
        protected_message=_("Customers still have this grade; regrade them first."),
    )


REGION_FIELDS = ("code", "name")


def region_create(*, actor, data, request=None):
    """Add a sales region."""
    if not sees_all(actor):
        raise PermissionDenied
    with transaction.atomic():
        region = _save_fields(instance=Region(), data=data, fields=REGION_FIELDS)
        audit.record(
            "region_created",
            actor=actor,
            obj=region,
            request=request,
            summary=_("Region %(name)s (%(code)s) created")
            % {"name": region.name, "code": region.code},
            code=region.code,
            name=region.name,
        )
    return region


def region_update(*, region, actor, data, request=None):
    """Rename a region (or change its code); its users and customers stay in it."""
    if not sees_all(actor):
        raise PermissionDenied
    before = Region.objects.get(pk=region.pk)
    with transaction.atomic():
        region = _save_fields(instance=region, data=data, fields=REGION_FIELDS)
        changed = {
            name: [getattr(before, name), getattr(region, name)]
            for name in REGION_FIELDS
            if getattr(before, name) != getattr(region, name)
        }
        if changed:
            audit.record(
                "region_changed",
                actor=actor,
                obj=region,
                request=request,
                summary=_("Region %(old)s renamed %(new)s")
                % {
                    "old": f"{before.name} ({before.code})",
                    "new": f"{region.name} ({region.code})",
                },
                changed=changed,
            )
    return region


def region_delete(*, region, actor):
    """Remove a region nobody belongs to; one with users or customers stays (409)."""
    if not sees_all(actor):
        raise PermissionDenied
    _delete_audited(
        instance=region,
        actor=actor,
        protected_message=_("Users or customers still belong to this region."),
    )


def calendar_day_create(*, actor, data):
    """Enter a holiday or make-up working day by hand."""
    if not sees_all(actor):
        raise PermissionDenied
    return _save_fields(instance=CalendarDay(), data=data, fields=CALENDAR_DAY_FIELDS)


def calendar_day_update(*, day, actor, data):
    if not sees_all(actor):
        raise PermissionDenied
    return _save_fields(instance=day, data=data, fields=CALENDAR_DAY_FIELDS)


def calendar_day_delete(*, day, actor):
    """Remove an exception: the date follows the Monday–Friday week again."""
    if not sees_all(actor):
        raise PermissionDenied
    with transaction.atomic():
        audit.record_deletion(day, actor=actor)
        day.delete()


# Reminders: settings, the new customer's manager, group robots --------------------------


def reminder_settings_update(*, actor, **values):
    """Admins change how far ahead care moments show and the first-contact limit."""
    from crm.models import ReminderSettings

    if not sees_all(actor):
        raise PermissionDenied
    return ReminderSettings.change(actor=actor, **values)


def _notify_assigned(customer):
    """Tell the customer's new manager, once per assignment, after the commit."""
    from core import notifications
    from crm.models import ReminderSettings

    manager = customer.manager
    if manager is None or not manager.is_active:
        return
    days = ReminderSettings.load().contact_days
    contact_by = timezone.localdate(customer.assigned_at) + datetime.timedelta(days=days)
    notifications.notify(
        user=manager,
        key=f"assigned:{customer.pk}:{customer.assigned_at:%Y%m%d%H%M%S%f}",
        title=notifications.Message(
            gettext_lazy("New customer for you: %(customer)s"), customer=str(customer)
        ),
        body=notifications.Message(
            gettext_lazy(
                "Visit the customer by %(date)s, or the regional manager may reassign it."
            ),
            date=f"{contact_by:%Y-%m-%d}",
        ),
        url=customer.get_absolute_url(),
    )


ROBOT_FIELDS = ("kind", "webhook_url", "secret", "active")


def region_robot_set(*, region, actor, data):
    """Admins set (or change) a region's group robot (like the region itself)."""
    from crm.models import RegionRobot

    if not sees_all(actor):
        raise PermissionDenied
    unknown = set(data) - set(ROBOT_FIELDS)
    if unknown:
        raise ValidationError(
            {field: _("This field cannot be changed here.") for field in sorted(unknown)}
        )
    with transaction.atomic():
        robot = RegionRobot.objects.select_for_update().filter(region=region).first()
        robot = robot or RegionRobot(region=region)
        for field, value in data.items():
            setattr(robot, field, value)
        robot.updated_by = actor
        robot.full_clean()
        robot.save()
    return robot


def region_robot_remove(*, region, actor):
    """Admins take a region's group robot away; its messages go with it."""
    from crm.models import RegionRobot

    if not sees_all(actor):
        raise PermissionDenied
    robot = RegionRobot.objects.filter(region=region).first()
    if robot is not None:
        _delete_audited(
            instance=robot, actor=actor, protected_message=_("The group robot is in use.")
        )


def robot_message_retry(*, message, actor):
    """An admin sends a failed group robot message again."""
    from crm.models import RobotMessage
    from crm.tasks import send_robot_message

    if not sees_all(actor):
        raise PermissionDenied
    if message.status != RobotMessage.Status.FAILED:
        raise DomainError(_("Only a failed message can be sent again."))
    transaction.on_commit(lambda: send_robot_message.delay(message.pk))
    return message
