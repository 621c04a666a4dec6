"""Writes of promotional-material receipts (宣传促销品签收单)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.errors import DomainError
from crm.models import Customer, Grade
from visits import access, images
from visits.models import (
    PromotionReceipt,
)
from visits.services.common import _require


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
