"""Pages of visit records: start, detail, edit, end, sign, correct, PDF, list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.pagination import KeysFirstPaginator
from core.transitions import allowed
from core.web import (
    add_errors,
    apply,
    file_response,
    flash,
    form_errors_to_messages,
    login_or_token_required,
    paginate,
    pdf_response,
    safe_next,
)
from crm.access import (
    by_role,
    manager_required,
)
from visits import access, forms, selectors
from visits.models import (
    PlannedVisit,
    Signature,
    Visit,
)
from visits.services import suggestions
from visits.services import visits as visit_services
from visits.transitions import VISIT_TRANSITIONS, refusal
from visits.views.schedules import _schedule_url

VISITS_PER_PAGE = 30


@require_POST
@login_required
def visit_start(request, pk):
    """Start a planned visit of the manager's own schedule (arrival time: now)."""
    try:
        planned = PlannedVisit.objects.select_related("schedule", "customer").get(
            pk=pk, schedule__in=access.schedule_scope(request.user)
        )
    except (PlannedVisit.DoesNotExist, ValueError, TypeError):
        raise Http404("No such planned visit") from None
    if planned.schedule.manager_id != request.user.pk:
        raise PermissionDenied
    existing = Visit.objects.filter(planned_visit=planned).first()
    if existing is not None:
        return redirect(existing)
    form = forms.StartForm(request.POST)
    latitude, longitude = form.location() if form.is_valid() else (None, None)
    visit = flash(
        request,
        lambda: visit_services.visit_start(
            actor=request.user, planned_visit=planned, latitude=latitude, longitude=longitude
        ),
    )
    if isinstance(visit, Visit):
        return redirect(visit)
    return redirect(safe_next(request, _schedule_url(planned.schedule)))


@manager_required
def visit_special(request):
    """Start a special visit (特殊访问): a customer and the circumstance that caused it."""
    initial = {}
    if request.GET.get("customer"):
        initial["customer"] = request.GET["customer"]
    form = forms.SpecialVisitForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        latitude, longitude = form.location()
        visit = apply(
            form,
            lambda: visit_services.visit_start(
                actor=request.user,
                customer=form.cleaned_data["customer"],
                special_reason=form.cleaned_data["special_reason"],
                latitude=latitude,
                longitude=longitude,
            ),
        )
        if visit is not None:
            messages.success(request, _("Special visit started."))
            return redirect(visit)
    return render(request, "visits/visit_special.html", {"form": form})


def _visit_context(request, visit, **forms_given):
    user = request.user
    can_edit = access.can_edit_visit(user, visit)
    # What the user may do next is the table's answer, here as in the API.
    steps = allowed(VISIT_TRANSITIONS, user, visit)
    editable = "edit" in steps
    signatures = {s.role: s for s in visit.signatures.all()}
    context = {
        "visit": visit,
        "can_edit": can_edit,
        "editable": editable,
        "steps": steps,
        "can_answer": access.is_current_manager(user, visit.customer),
        # Its author reads the record as history once the customer has gone.
        "customer_gone": visit.manager_id == user.pk and not can_edit,
        "checklist": visit.checklist(),
        "suggestions": list(visit.suggestions.all()),
        "events": list(visit.events.all()),
        "corrections": list(visit.corrections.all()),
        "photo_stages": visit.photo_stages(),
        "manager_signature": signatures.get(Signature.Role.MANAGER),
        "customer_signature": signatures.get(Signature.Role.CUSTOMER),
        "today": timezone.localdate(),
    }
    if editable:
        context["photo_form"] = True
        context["content_form"] = forms_given.get("content_form") or forms.VisitContentForm(
            initial=forms.VisitContentForm.initial_from(visit)
        )
        context["suggestion_form"] = forms_given.get("suggestion_form") or forms.SuggestionForm()
    if visit.status == Visit.Status.IN_PROGRESS and access.is_current_manager(user, visit.customer):
        context["locate_form"] = forms.LocateShopForm()
    if "end" in steps:
        context["end_form"] = forms.EndForm()
    if "sign_manager" in steps:
        context["sign_form"] = forms_given.get("sign_form") or forms.SignatureForm(
            role="manager", initial={"signer_name": str(user)}
        )
        context["sign_role"] = "manager"
    if "sign_customer" in steps:
        context["sign_form"] = forms_given.get("sign_form") or forms.SignatureForm(role="customer")
        context["sign_role"] = "customer"
    if visit.status in (Visit.Status.MANAGER_SIGNED, Visit.Status.LOCKED):
        context["intact"], context["problems"] = visit_services.visit_verify(
            visit=visit, reload=False
        )
    return context


@login_required
def visit_detail(request, pk):
    visit = selectors.visit_detail(user=request.user, pk=pk)
    return render(request, "visits/visit_detail.html", _visit_context(request, visit))


def _visit_for_change(request, pk):
    return access.visit_for_user(
        request.user, pk, queryset=selectors.visit_detail_queryset(), change=True
    )


@require_POST
@login_required
def visit_edit(request, pk):
    """Save the record's content; refused once the manager has signed."""
    visit = _visit_for_change(request, pk)
    if "edit" not in allowed(VISIT_TRANSITIONS, request.user, visit):
        messages.error(request, refusal(visit, "edit").message)
        return redirect(visit)
    form = forms.VisitContentForm(request.POST)
    if form.is_valid():
        saved = apply(
            form,
            lambda: visit_services.visit_update(
                visit=visit, actor=request.user, data=form.content()
            ),
        )
        if saved is not None:
            messages.success(request, _("Visit record saved."))
            return redirect(visit)
    context = _visit_context(request, visit, content_form=form)
    return render(request, "visits/visit_detail.html", context, status=400)


@require_POST
@login_required
def visit_locate(request, pk):
    """ "This shop is here": the customer's location from the manager's position."""
    visit = _visit_for_change(request, pk)
    form = forms.LocateShopForm(request.POST)
    latitude, longitude = form.location() if form.is_valid() else (None, None)
    flash(
        request,
        lambda: visit_services.visit_locate_shop(
            visit=visit, actor=request.user, latitude=latitude, longitude=longitude
        ),
        _("The shop's location was recorded; later visits check in against it."),
    )
    return redirect(visit)


# Set by static/js/autosave.js on the end and sign forms, which then carry the
# record form's fields: what the page shows is saved with the step.
CONTENT_CARRIED = "content_carried"


def _carried_content(request):
    """The record's content sent along with "end" or "sign", as a bound form; else None."""
    if request.POST.get(CONTENT_CARRIED) != "1":
        return None
    return forms.VisitContentForm(request.POST)


def _run(action, form, content_form):
    """Run a service call; its errors go on the record form when they name its
    fields (the carried content), else on ``form``. None when refused."""
    try:
        return action()
    except (ValidationError, DomainError) as error:
        names = set(getattr(error, "error_dict", None) or ())
        if content_form is not None and names & set(content_form.fields):
            add_errors(content_form, error)
        elif form is not None:
            add_errors(form, error)
        else:
            raise
    return None


@require_POST
@login_required
def visit_end(request, pk):
    visit = _visit_for_change(request, pk)
    form = forms.EndForm(request.POST)
    latitude, longitude = form.location() if form.is_valid() else (None, None)
    content_form = _carried_content(request)
    ended = _("Visit ended. Sign the record, then hand the phone to the customer.")
    if content_form is None:
        flash(
            request,
            lambda: visit_services.visit_end(
                visit=visit, actor=request.user, latitude=latitude, longitude=longitude
            ),
            ended,
        )
        return redirect(visit)
    if content_form.is_valid():
        done = _run(
            lambda: visit_services.visit_end(
                visit=visit,
                actor=request.user,
                latitude=latitude,
                longitude=longitude,
                data=content_form.content(),
            ),
            content_form,
            content_form,
        )
        if done is not None:
            messages.success(request, ended)
            return redirect(visit)
    # Nothing was ended: the page again, with what was typed and what is wrong with it.
    messages.error(request, _("The visit was not ended: correct the record, then end it."))
    visit = selectors.visit_detail(user=request.user, pk=pk)
    context = _visit_context(request, visit, content_form=content_form)
    return render(request, "visits/visit_detail.html", context, status=400)


@require_POST
@login_required
def visit_sign(request, pk, role):
    if role not in Signature.Role.values:
        raise Http404("No such signer")
    visit = _visit_for_change(request, pk)
    form = forms.SignatureForm(request.POST, role=role)
    content_form = _carried_content(request)
    content_valid = content_form is None or content_form.is_valid()
    if form.is_valid() and content_valid:
        signed = _run(
            lambda: visit_services.visit_sign(
                visit=visit,
                actor=request.user,
                role=role,
                image=form.cleaned_data["signature"],
                signer_name=form.cleaned_data["signer_name"],
                data=content_form.content() if content_form is not None else None,
            ),
            form,
            content_form,
        )
        if signed is not None:
            if role == Signature.Role.MANAGER:
                messages.success(request, _("Signed. Now the customer confirms with a signature."))
            else:
                messages.success(request, _("Confirmed by the customer. The record is locked."))
            return redirect(visit)
    visit = selectors.visit_detail(user=request.user, pk=pk)
    context = _visit_context(request, visit, sign_form=form, content_form=content_form)
    if context.get("sign_role") != role:
        # The state moved on meanwhile: show the page as it is now, with the message.
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect(visit)
    return render(request, "visits/visit_detail.html", context, status=400)


@require_POST
@login_required
def visit_suggestion_add(request, pk):
    visit = _visit_for_change(request, pk)
    form = forms.SuggestionForm(request.POST)
    if form.is_valid():
        suggestion = apply(
            form,
            lambda: suggestions.suggestion_add(
                visit=visit, actor=request.user, text=form.cleaned_data["text"]
            ),
        )
        if suggestion is not None:
            messages.success(
                request,
                _("Suggestion recorded; answer it by %(date)s.")
                % {"date": f"{suggestion.due_on:%Y-%m-%d}"},
            )
            return redirect(f"{visit.get_absolute_url()}#suggestions")
    form_errors_to_messages(request, form)
    return redirect(f"{visit.get_absolute_url()}#suggestions")


@login_required
def visit_correct(request, pk):
    """A locked record is corrected by a new record linked to it."""
    visit = _visit_for_change(request, pk)
    if "correct" not in allowed(VISIT_TRANSITIONS, request.user, visit):
        messages.error(request, refusal(visit, "correct").message)
        return redirect(visit)
    form = forms.CorrectionForm(
        request.POST or None, initial=forms.CorrectionForm.initial_from(visit)
    )
    if request.method == "POST" and form.is_valid():
        correction = apply(
            form,
            lambda: visit_services.visit_correct(
                visit=visit,
                actor=request.user,
                data=form.content(),
                reason=form.cleaned_data["reason"],
            ),
        )
        if correction is not None:
            messages.success(
                request, _("Correction created. Sign it, then let the customer confirm.")
            )
            return redirect(correction)
    return render(request, "visits/visit_correct.html", {"visit": visit, "form": form})


@login_required
def visit_pdf(request, pk):
    from visits.pdf import visit_document

    visit = selectors.visit_detail(user=request.user, pk=pk)
    document = flash(request, lambda: visit_document(visit=visit))
    return pdf_response(document) if document else redirect(visit)


@login_or_token_required
def signature_image(request, pk, role):
    """A visit's signature image, for those who may see the visit (media is not public)."""
    visit = access.visit_for_user(request.user, pk)
    signature = Signature.objects.filter(visit=visit, role=role).first()
    if signature is None:
        raise Http404("No such signature")
    return file_response(signature.image)


@login_required
def visit_list(request):
    user = request.user
    # A bad value is an error on the filter form; the others still filter.
    filterset = selectors.visit_list(user=user, filters=request.GET or None, request=request)
    page = paginate(request, filterset.qs, VISITS_PER_PAGE, paginator=KeysFirstPaginator)
    heading = by_role(
        user,
        admin=_("All visits"),
        regional_manager=_("Region's visits"),
        manager=_("My visits"),
        other=_("My visits"),
    )
    return render(
        request,
        "visits/visit_list.html",
        {
            "form": filterset.form,
            "page": page,
            "heading": heading,
            "filtered": any(filterset.data.get(name) for name in filterset.filters),
        },
    )
