"""The admins' pages for users and regions, inside the product.

Admins (``crm.access.admin_required``; every other role gets 403, the service
centre already at the route rule) list and search users, create them with a
typed or generated password, change their name, e-mail, phone, role and region,
deactivate and reactivate them (never delete), set a temporary password, lift a
login lockout and revoke their API tokens; they add and rename regions. Every
write is a ``crm.services`` call, which checks the actor again and writes the
audit row. The Django admin is for superusers only (``core.admin``).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.db.models import Count, Q
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import token_list
from core import lockout
from core.models import AuditEvent
from core.web import apply, flash, paginate
from crm import services
from crm.access import admin_required
from crm.models import Customer, Region, User
from crm.user_forms import (
    PasswordResetForm,
    RegionCreateForm,
    RegionEditForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)

USERS_PER_PAGE = 50
HISTORY_ROWS = 20
# The generated password waits in the session for the one page that shows it.
SHOWN_PASSWORD = "crm_generated_password"


def _may_manage(actor, user):
    """Whether the page offers changes: a superuser is changed by superusers only
    (the service refuses the others with 403)."""
    return actor.is_superuser or not user.is_superuser


def _show_password_once(request, user, password):
    request.session[SHOWN_PASSWORD] = {"user": user.pk, "password": password}


def _shown_password(request, user):
    shown = request.session.get(SHOWN_PASSWORD)
    if shown and shown.get("user") == user.pk:
        del request.session[SHOWN_PASSWORD]
        return shown["password"]
    return ""


# Users -------------------------------------------------------------------------------------


@admin_required
def user_list(request):
    form = UserFilterForm(request.GET or None)
    users = User.objects.select_related("region").annotate(
        full_name=Concat("last_name", "first_name"), reversed_name=Concat("first_name", "last_name")
    )
    filtered = False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            query = data["q"].strip()
            users = users.filter(
                Q(username__icontains=query)
                | Q(full_name__icontains=query)
                | Q(reversed_name__icontains=query)
                | Q(email__icontains=query)
            )
        if data["role"]:
            users = users.filter(role=data["role"])
        if data["region"]:
            users = users.filter(region=data["region"])
        status = data["status"]
        if status == "active":
            users = users.filter(is_active=True)
        elif status == "inactive":
            users = users.filter(is_active=False)
        elif status == "locked":
            users = users.filter(username__in=lockout.locked_usernames())
        filtered = any(data.values())
    elif form.is_bound:
        messages.error(request, _("A filter value was not understood and is ignored."))
    page = paginate(request, users.order_by("-is_active", "username"), USERS_PER_PAGE)
    rows = list(page.object_list)
    # The page's users only: two grouped queries, whatever the number of users.
    failures = lockout.failed_logins(user.username for user in rows)
    customers = dict(
        Customer.objects.filter(manager__in=rows)
        .values("manager")
        .annotate(count=Count("pk"))
        .values_list("manager", "count")
    )
    for user in rows:
        user.failed_logins = failures.get(user.username, 0)
        user.locked = lockout.is_locked(user.failed_logins)
        user.customer_count = customers.get(user.pk, 0)
    return render(
        request,
        "crm/users/user_list.html",
        {"form": form, "page": page, "rows": rows, "filtered": filtered},
    )


@admin_required
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password"] or services.password_generate()
        generated = not form.cleaned_data["password"]
        user = apply(
            form,
            lambda: services.user_create(
                actor=request.user, data=form.service_data(), password=password, request=request
            ),
        )
        if user is not None:
            messages.success(request, _("User %(user)s created.") % {"user": user.username})
            if generated:
                _show_password_once(request, user, password)
            return redirect("user_detail", pk=user.pk)
    return render(request, "crm/users/user_form.html", {"form": form, "target": None})


@admin_required
def user_detail(request, pk):
    target = get_object_or_404(User.objects.select_related("region"), pk=pk)
    failures = lockout.failed_logins([target.username]).get(target.username, 0)
    history = AuditEvent.objects.filter(object_type=User._meta.label, object_id=str(target.pk))[
        :HISTORY_ROWS
    ]
    return render(
        request,
        "crm/users/user_detail.html",
        {
            "target": target,
            "may_manage": _may_manage(request.user, target),
            "is_self": target.pk == request.user.pk,
            "failed_logins": failures,
            "locked": lockout.is_locked(failures),
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "customer_count": Customer.objects.filter(manager=target).count(),
            "token_count": token_list(user=target).count(),
            "history": history,
            "generated_password": _shown_password(request, target),
        },
    )


@admin_required
def user_edit(request, pk):
    target = get_object_or_404(User.objects.select_related("region"), pk=pk)
    # The form changes its instance while validating: the service compares with the stored row.
    form = UserEditForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        saved = apply(
            form,
            lambda: services.user_update(
                user=target, actor=request.user, data=form.service_data(), request=request
            ),
        )
        if saved is not None:
            messages.success(request, _("User %(user)s saved.") % {"user": saved.username})
            return redirect("user_detail", pk=saved.pk)
    return render(request, "crm/users/user_form.html", {"form": form, "target": target})


@admin_required
def user_password(request, pk):
    target = get_object_or_404(User, pk=pk)
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password"] or services.password_generate()
        generated = not form.cleaned_data["password"]
        saved = apply(
            form,
            lambda: services.user_password_reset(
                user=target, actor=request.user, password=password, request=request
            ),
        )
        if saved is not None:
            if saved.pk == request.user.pk:
                # An admin resetting their own password stays logged in here.
                update_session_auth_hash(request, saved)
            messages.success(
                request,
                _("The password of %(user)s was reset; their API tokens were revoked.")
                % {"user": saved.username},
            )
            if generated:
                _show_password_once(request, saved, password)
            return redirect("user_detail", pk=saved.pk)
    return render(request, "crm/users/user_password.html", {"form": form, "target": target})


@admin_required
@require_POST
def user_deactivate(request, pk):
    target = get_object_or_404(User, pk=pk)
    flash(
        request,
        lambda: services.user_deactivate(user=target, actor=request.user, request=request),
        _("%(user)s was deactivated: they can no longer log in, their API tokens were revoked.")
        % {"user": target.username},
    )
    return redirect("user_detail", pk=target.pk)


@admin_required
@require_POST
def user_reactivate(request, pk):
    target = get_object_or_404(User, pk=pk)
    flash(
        request,
        lambda: services.user_reactivate(user=target, actor=request.user, request=request),
        _("%(user)s was reactivated and can log in again.") % {"user": target.username},
    )
    return redirect("user_detail", pk=target.pk)


@admin_required
@require_POST
def user_unlock(request, pk):
    target = get_object_or_404(User, pk=pk)
    lifted = services.user_lockout_lift(user=target, actor=request.user, request=request)
    if lifted:
        messages.success(request, _("%(user)s may log in again now.") % {"user": target.username})
    else:
        messages.info(
            request, _("%(user)s had no failed logins to forget.") % {"user": target.username}
        )
    return redirect("user_detail", pk=target.pk)


# Regions -----------------------------------------------------------------------------------


@admin_required
def region_list(request):
    regions = Region.objects.annotate(
        user_count=Count("users", filter=Q(users__is_active=True), distinct=True),
        customer_count=Count("customers", distinct=True),
    ).order_by("code")
    leads = {}
    for lead in User.objects.filter(
        role=User.Role.REGIONAL_MANAGER, is_active=True, region__isnull=False
    ).order_by("username"):
        leads.setdefault(lead.region_id, []).append(lead)
    regions = list(regions)
    for region in regions:
        region.leads = leads.get(region.pk, [])
    return render(request, "crm/users/region_list.html", {"regions": regions})


@admin_required
def region_create(request):
    form = RegionCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        region = apply(
            form,
            lambda: services.region_create(
                actor=request.user, data=form.cleaned_data, request=request
            ),
        )
        if region is not None:
            messages.success(request, _("Region %(region)s created.") % {"region": region.name})
            return redirect("region_list")
    return render(request, "crm/users/region_form.html", {"form": form, "region": None})


@admin_required
def region_edit(request, pk):
    region = get_object_or_404(Region, pk=pk)
    form = RegionEditForm(request.POST or None, instance=region)
    if request.method == "POST" and form.is_valid():
        saved = apply(
            form,
            lambda: services.region_update(
                region=region, actor=request.user, data=form.cleaned_data, request=request
            ),
        )
        if saved is not None:
            messages.success(request, _("Region %(region)s saved.") % {"region": saved.name})
            return redirect("region_list")
    return render(request, "crm/users/region_form.html", {"form": form, "region": region})
