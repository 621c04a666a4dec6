"""The user's own account page: API tokens, "log out everywhere", password change.

Admins revoke another user's tokens from the user's page (``crm.user_views``,
``user_tokens_revoke``).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import selectors, services
from accounts.forms import LanguageForm, PasswordChangeForm
from accounts.models import ApiToken
from core.web import role_required, safe_next
from crm.access import sees_all


@login_required
def account(request):
    tokens = selectors.token_list(user=request.user)
    return render(
        request,
        "accounts/account.html",
        {
            "tokens": tokens,
            "api_token_ttl_hours": settings.API_TOKEN_TTL_HOURS,
            "language_form": LanguageForm(initial={"language": request.user.language}),
        },
    )


@login_required
@require_POST
def account_language(request):
    """The user's language: what the product writes to them (notifications,
    e-mails) and, from now on, the pages (the language cookie)."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the languages offered."))
        return redirect("account")
    language = form.cleaned_data["language"]
    services.user_set_language(user=request.user, language=language)
    translation.activate(language)
    messages.success(request, _("Language saved: notifications will be written in it."))
    response = redirect("account")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


@login_required
@require_POST
def token_revoke(request, uid):
    # Someone else's token, or one already revoked: 404 alike.
    token = get_object_or_404(ApiToken.objects.select_related("user"), uid=uid, user=request.user)
    services.token_revoke(token=token, actor=request.user, request=request)
    messages.success(
        request,
        _("The token of %(device)s was revoked.") % {"device": token.device or _("unnamed device")},
    )
    return redirect("account")


@login_required
@require_POST
def log_out_everywhere(request):
    tokens, sessions = services.user_log_out_everywhere(user=request.user, request=request)
    messages.success(
        request,
        ngettext(
            "%(tokens)d API token revoked",
            "%(tokens)d API tokens revoked",
            tokens,
        )
        % {"tokens": tokens}
        + _(", ")
        + ngettext(
            "%(sessions)d other browser session ended.",
            "%(sessions)d other browser sessions ended.",
            sessions,
        )
        % {"sessions": sessions},
    )
    return redirect("account")


@login_required
@require_POST
@role_required(sees_all, refused=Http404)
def user_tokens_revoke(request, pk):
    """An admin revokes all API tokens of a user (button on the user's page).

    Nobody else may know whose tokens exist: 404 for them.
    """
    user = get_object_or_404(get_user_model(), pk=pk)
    count = services.tokens_revoke_all(
        user=user, actor=request.user, reason=services.Reason.ADMIN, request=request
    )
    messages.success(
        request,
        ngettext(
            "%(count)d API token of %(user)s revoked.",
            "%(count)d API tokens of %(user)s revoked.",
            count,
        )
        % {"count": count, "user": user.get_username()},
    )
    # Back to the page the button was on: the user's page, or the Django admin's.
    return redirect(safe_next(request, reverse("user_detail", args=[user.pk])))


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change: this session stays, the others and all API tokens end."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _(
                "Your password was changed. Your API tokens were revoked "
                "and your other sessions ended."
            ),
        )
        return response
