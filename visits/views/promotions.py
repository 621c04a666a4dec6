"""Pages of promotional-material receipts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.web import (
    apply,
    file_response,
    list_filter,
    login_or_token_required,
    paginate,
    pdf_response,
)
from crm.access import manager_required
from visits import access, forms, selectors
from visits.filters import PromotionFilter
from visits.models import (
    PromotionReceipt,
)
from visits.services import promotions
from visits.views.common import ROWS_PER_PAGE


@login_required
def promotion_list(request):
    rows = selectors.promotion_list(user=request.user)
    page = paginate(request, list_filter(request, PromotionFilter, rows).qs, ROWS_PER_PAGE)
    return render(request, "visits/promotion_list.html", {"page": page})


@manager_required
def promotion_create(request):
    initial = {}
    if request.GET.get("customer"):
        initial["customer"] = request.GET["customer"]
    form = forms.PromotionForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        receipt = apply(
            form,
            lambda: promotions.promotion_record(
                customer=form.cleaned_data["customer"],
                actor=request.user,
                item=form.cleaned_data["item"],
                quantity=form.cleaned_data["quantity"],
                signer_name=form.cleaned_data["signer_name"],
                signature=form.cleaned_data["signature"],
            ),
        )
        if receipt is not None:
            messages.success(
                request,
                _("Receipt recorded: %(item)s × %(quantity)s for %(customer)s.")
                % {
                    "item": receipt.item,
                    "quantity": receipt.quantity,
                    "customer": receipt.customer,
                },
            )
            return redirect("visits:promotion_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "visits/promotion_form.html", {"form": form}, status=status)


@login_or_token_required
def promotion_signature(request, pk):
    try:
        receipt = access.promotion_scope(request.user).get(pk=pk)
    except (PromotionReceipt.DoesNotExist, ValueError, TypeError):
        raise Http404("No such receipt") from None
    return file_response(receipt.signature)


@login_required
def promotion_pdf(request, pk):
    """The printable receipt (宣传促销品签收单) with the customer's signature."""
    from visits.pdf import promotion_document

    try:
        receipt = (
            access.promotion_scope(request.user).select_related("customer", "manager").get(pk=pk)
        )
    except (PromotionReceipt.DoesNotExist, ValueError, TypeError):
        raise Http404("No such receipt") from None
    return pdf_response(promotion_document(receipt=receipt))
