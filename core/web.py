"""Glue for the browser views of every app (and the PDF answer the API shares).

One place for: the role decorators (built on the named questions of
``crm.access``), the page of a list, running a service with its errors shown
on the form or as messages, and the answers that carry a file or a PDF.
"""

import functools
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme

from core import audit
from core.errors import DomainError
from core.pagination import EstimatedCountPaginator


def safe_next(request, default):
    """Where to go back to: the posted (or queried) ``next`` when it stays on this site.

    A ``next`` pointing elsewhere (``https://evil.example/``, ``//evil.example``,
    ``/\\evil.example``, ``javascript:…``) would turn a link of ours into a
    redirect to someone else's page, so it falls back to ``default``.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def login_or_token_required(view):
    """``login_required`` that also takes the API's token (``Authorization: Token …``).

    The API links signatures and photos to the access-checked routes the pages
    use (media files are not served): a program holding only a token must be
    able to fetch them, with the same access check as the page. A bad token
    answers 401, not a redirect to the login page.
    """

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated and request.META.get("HTTP_AUTHORIZATION"):
            from rest_framework.authentication import SessionAuthentication
            from rest_framework.exceptions import AuthenticationFailed
            from rest_framework.settings import api_settings

            # The API's token scheme, as the settings name it (the session is the page's).
            authentication = next(
                auth_class()
                for auth_class in api_settings.DEFAULT_AUTHENTICATION_CLASSES
                if not issubclass(auth_class, SessionAuthentication)
            )
            try:
                found = authentication.authenticate(request)
            except AuthenticationFailed:
                found = None
            if found is None:
                response = HttpResponse(status=401)
                response["WWW-Authenticate"] = authentication.authenticate_header(request)
                return response
            request.user = found[0]
        return login_required(view)(request, *args, **kwargs)

    return wrapped


# Roles -------------------------------------------------------------------------------


def role_required(predicate, *, refused=PermissionDenied):
    """A view for the users ``predicate`` (a named question of ``crm.access``) accepts.

    Logged in first (else the login page); anybody else gets ``refused``: 403,
    or 404 where not even the page's existence is theirs to know.
    """

    def decorator(view):
        @login_required
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not predicate(request.user):
                raise refused
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# Lists ---------------------------------------------------------------------------------


def paginate(request, queryset, per_page, *, paginator=EstimatedCountPaginator):
    """One page of ``queryset`` (``?page=``); ``page.elided_page_range`` feeds the page links.

    The paginator does not count a big unfiltered table (``core.pagination``);
    ``KeysFirstPaginator`` for lists sorted after their joins.
    """
    page = paginator(queryset, per_page).get_page(request.GET.get("page"))
    page.elided_page_range = list(
        page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    )
    return page


# Running a service ------------------------------------------------------------------------


def add_errors(form, error):
    """Show a service's ``ValidationError`` or ``DomainError`` on ``form``: on the field
    it names when the form has that field, else on the form."""
    if isinstance(error, DomainError):
        form.add_error(error.field if error.field in form.fields else None, error.message)
    elif hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def apply(form, action):
    """Run ``action()`` (one service call); its errors become errors of ``form``.

    Returns the service's result, or None when it refused (the form then has
    the reasons, and nothing was saved: the service runs in one transaction).
    """
    try:
        return action()
    except (ValidationError, DomainError) as error:
        add_errors(form, error)
    return None


def flash(request, action, success=None):
    """Run ``action()`` for a button without a form; its errors become messages.

    Returns the result (True when it returns nothing), or False when it refused.
    """
    try:
        result = action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    except DomainError as error:
        messages.error(request, error.message)
        return False
    if success:
        messages.success(request, success)
    return result if result is not None else True


def list_filter(request, filterset_class, queryset):
    """The list page's FilterSet (the one its API declares) over ``queryset``, bound to
    the query; a bad value is shown as a message and filters nothing."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    if filterset.is_bound and not filterset.is_valid():
        form_errors_to_messages(request, filterset.form)
    return filterset


def chosen(filterset, name):
    """The valid value of filter ``name`` (``""`` when none was given or it was bad)."""
    if not filterset.is_bound:
        return ""
    return filterset.form.cleaned_data.get(name) or ""


def form_errors_to_messages(request, form):
    """A form posted from a page that does not show it: its errors as messages."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


# Files -----------------------------------------------------------------------------------


def file_response(field_file, *, content_type=None):
    """A stored file (signature, photo) behind the caller's access check.

    An attachment, never a page: ``<img>`` still shows it, a link downloads
    it. Not kept by the browser: what it kept was shown without the access
    check (after a logout, or after the customer changed hands).
    """
    try:
        handle = field_file.open("rb")
    except (OSError, ValueError):
        raise Http404("No file") from None
    response = FileResponse(handle, as_attachment=True, filename=os.path.basename(field_file.name))
    if content_type:
        response["Content-Type"] = content_type
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def pdf_response(document):
    """The answer for a ``core.pdf.Document``, the same from a page and from the API.

    The document names its file and says whether it opens in the browser; the
    download is written to the audit trail here, once.
    """
    audit.record("pdf", obj=document.obj, summary=document.summary)
    response = HttpResponse(document.content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        not document.inline, document.filename
    )
    return response
