"""Browser pages of the complaints app.

Views stay thin: a form validates, a selector reads, a service writes.
Visibility comes from ``complaints.access`` (foreign complaints are 404; a
step the user may not take is 403; a step the state no longer allows is shown
as a message).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from complaints import access, forms, selectors, services
from complaints.models import ComplaintPhoto, ComplaintSettings, ComplaintSignature
from complaints.pdf import complaint_document
from complaints.transitions import TRANSITIONS
from core.errors import ConflictError, DomainError
from core.transitions import allowed
from core.web import (
    add_errors,
    apply,
    file_response,
    login_or_token_required,
    paginate,
    pdf_response,
)
from crm.access import admin_required, by_role, is_supervisor, manager_required, works_customers

PER_PAGE = 30


@login_required
def complaint_list(request):
    user = request.user
    filterset = selectors.complaint_list(user=user, filters=request.GET)
    for field in filterset.form.fields.values():
        css = (
            "form-select form-select-sm"
            if hasattr(field.widget, "choices")
            else "form-control form-control-sm"
        )
        field.widget.attrs.setdefault("class", css)
    page = paginate(request, filterset.qs, PER_PAGE)
    title = by_role(
        user,
        admin=_("All complaints"),
        regional_manager=_("Complaints of my region"),
        manager=_("My complaints"),
        other=_("All complaints"),
    )
    return render(
        request,
        "complaints/complaint_list.html",
        {
            "title": title,
            "filter_form": filterset.form,
            "page": page,
            "complaints": page.object_list,
            "can_open": works_customers(user),
            # Admins decide too: the "To decide" list is theirs as well.
            "may_decide": is_supervisor(user),
        },
    )


@manager_required
def complaint_create(request):
    user = request.user
    initial = {"reported_on": timezone.localdate()}
    if request.GET.get("customer"):
        initial["customer"] = request.GET["customer"]
    form = forms.ComplaintOpenForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        complaint = apply(form, lambda: services.complaint_open(actor=user, **form.cleaned_data))
        if complaint is not None:
            messages.success(
                request, _("Complaint %(number)s opened.") % {"number": complaint.number}
            )
            return redirect(complaint)
    return render(request, "complaints/complaint_form.html", {"form": form})


# The form of each step, filled from the complaint; which steps are offered is
# the table's answer (``complaints.transitions``), never decided here.
STEP_FORMS = {
    "photo": lambda complaint: forms.PhotoForm(),
    "inspect": lambda complaint: forms.InspectForm(initial={"cause": complaint.cause}),
    "correct": lambda complaint: forms.CorrectForm(
        initial={
            "product": complaint.product,
            "batch_number": complaint.batch_number,
            "quantity": complaint.quantity,
        }
    ),
    "submit": lambda complaint: forms.SubmitForm(),
    "approve": lambda complaint: forms.ApproveForm(),
    "reject": lambda complaint: forms.RejectForm(),
    "exchange": lambda complaint: forms.ExchangeForm(
        initial={
            "exchange_product": complaint.product,
            "exchange_quantity": complaint.quantity,
            "exchanged_on": timezone.localdate(),
        }
    ),
    "close": lambda complaint: forms.CloseForm(),
}


def _action_forms(user, complaint):
    """The forms of the steps ``user`` may take now, keyed by action name."""
    return {name: STEP_FORMS[name](complaint) for name in allowed(TRANSITIONS, user, complaint)}


def _render_detail(request, pk, *, bound=None, status=200):
    complaint = selectors.complaint_detail(user=request.user, pk=pk)
    action_forms = _action_forms(request.user, complaint)
    if bound:
        action_forms.update(bound)
    needs_signature = "inspect" in action_forms or "exchange" in action_forms
    return render(
        request,
        "complaints/complaint_detail.html",
        {
            "complaint": complaint,
            "events": complaint.events.all(),
            "photos": complaint.photos.all(),
            "forms": action_forms,
            "needs_signature": needs_signature,
        },
        status=status,
    )


@login_required
def complaint_detail(request, pk):
    return _render_detail(request, pk)


def _run(action, complaint, user, data, files):
    if action == "photo":
        return services.complaint_add_photo(complaint=complaint, actor=user, upload=data["photo"])
    if action == "inspect":
        return services.complaint_inspect(complaint=complaint, actor=user, **data)
    if action == "correct":
        return services.complaint_correct(complaint=complaint, actor=user, **data)
    if action == "submit":
        return services.complaint_submit(complaint=complaint, actor=user, **data)
    if action == "approve":
        return services.complaint_approve(complaint=complaint, actor=user, **data)
    if action == "reject":
        return services.complaint_reject(complaint=complaint, actor=user, **data)
    if action == "exchange":
        return services.complaint_record_exchange(complaint=complaint, actor=user, **data)
    if action == "close":
        return services.complaint_close(complaint=complaint, actor=user, **data)
    raise Http404


ACTION_FORMS = {
    "photo": forms.PhotoForm,
    "inspect": forms.InspectForm,
    "correct": forms.CorrectForm,
    "submit": forms.SubmitForm,
    "approve": forms.ApproveForm,
    "reject": forms.RejectForm,
    "exchange": forms.ExchangeForm,
    "close": forms.CloseForm,
}
DONE_MESSAGES = {
    "photo": _("Photo added."),
    "inspect": _("Inspection recorded and signed by the customer."),
    "correct": _("Correction recorded: inspect and submit again."),
    "submit": _("Submitted to the regional manager."),
    "approve": _("Approved."),
    "reject": _("Rejected and returned to the manager."),
    "exchange": _("Exchange recorded with the customer's confirmation."),
    "close": _("Result recorded; the complaint is closed."),
}


@login_required
@require_POST
def complaint_action(request, pk, action):
    """One step of the form. Errors re-show the page with the step's form and its messages."""
    if action not in ACTION_FORMS:
        raise Http404
    complaint = access.complaint_for_user(request.user, pk)
    form = ACTION_FORMS[action](request.POST, request.FILES)
    if form.is_valid():
        try:
            _run(action, complaint, request.user, form.cleaned_data, request.FILES)
        except ConflictError as error:
            messages.error(request, error.message)
            return redirect(complaint)
        except (DomainError, ValidationError) as error:
            add_errors(form, error)
        else:
            messages.success(request, str(DONE_MESSAGES[action]))
            return redirect(complaint)
    return _render_detail(request, pk, bound={action: form}, status=400)


@login_or_token_required
def photo_file(request, pk):
    photo = get_object_or_404(ComplaintPhoto, pk=pk)
    access.complaint_for_user(request.user, photo.complaint_id)
    return file_response(photo.image, content_type=photo.content_type)


@login_or_token_required
def signature_file(request, pk):
    signature = get_object_or_404(ComplaintSignature, pk=pk)
    access.complaint_for_user(request.user, signature.complaint_id)
    return file_response(signature.image, content_type="image/png")


@login_required
def complaint_pdf(request, pk):
    """The printable form (商品及服务质量信息反馈单) with both customer signatures."""
    complaint = selectors.complaint_detail(user=request.user, pk=pk)
    return pdf_response(complaint_document(complaint))


@admin_required
def complaint_settings(request):
    """Admins edit the working-day deadline of each step."""
    current = ComplaintSettings.load()
    form = forms.SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        saved = apply(
            form,
            lambda: services.complaint_settings_update(
                actor=request.user,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            ),
        )
        if saved is not None:
            messages.success(request, _("Deadlines saved. They apply to the next steps taken."))
            return redirect("complaints:settings")
    return render(request, "complaints/settings.html", {"form": form, "current": current})
