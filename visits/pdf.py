"""A signed visit record as a PDF, with both signatures.

Rendered by the shared ``core.pdf.render_pdf``: its URL fetcher serves only the
product's own static and media files (the signature images are media), and
refuses ``file://``, network URLs and paths outside those folders.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.pdf import Document, render_pdf
from visits.models import Signature, Visit


def visit_document(*, visit):
    """The PDF of a locked visit as a ``core.pdf.Document``, named by its id and its day."""
    return Document(
        content=visit_pdf(visit=visit),
        filename=f"visit-{visit.pk}-{timezone.localtime(visit.arrived_at):%Y%m%d}.pdf",
        obj=visit,
        summary=str(visit),
    )


def visit_pdf(*, visit):
    """The PDF of a locked (fully signed) visit record, as bytes."""
    if visit.status != Visit.Status.LOCKED:
        raise DomainError(_("Only a record signed by the manager and the customer is printed."))
    signatures = {s.role: s for s in visit.signatures.all()}
    photo_stages = visit.photo_stages()
    return render_pdf(
        "visits/visit_pdf.html",
        {
            "visit": visit,
            "checklist": visit.checklist(),
            "manager_signature": signatures.get(Signature.Role.MANAGER),
            "customer_signature": signatures.get(Signature.Role.CUSTOMER),
            "suggestions": list(visit.suggestions.all()),
            "photo_stages": photo_stages if any(p for _s, _l, p in photo_stages) else [],
            "printed_at": timezone.localtime(),
        },
    )


def promotion_document(*, receipt):
    """A promotional-material receipt (宣传促销品签收单) with the customer's signature."""
    return Document(
        content=render_pdf(
            "visits/promotion_pdf.html",
            {"receipt": receipt, "printed_at": timezone.localtime()},
        ),
        filename=f"promotion-{receipt.pk}-{timezone.localtime(receipt.handed_at):%Y%m%d}.pdf",
        obj=receipt,
        summary=f"{receipt.customer} · {receipt.item} × {receipt.quantity}",
    )


def unlicensed_document(*, report):
    """An unlicensed-operation report (无证经营情况报告) with its photo and its course."""
    return Document(
        content=render_pdf(
            "visits/unlicensed_pdf.html",
            {
                "report": report,
                "events": list(report.events.select_related("actor")),
                "printed_at": timezone.localtime(),
            },
        ),
        filename=f"unlicensed-{report.pk}-{timezone.localtime(report.created_at):%Y%m%d}.pdf",
        obj=report,
        summary=str(report),
    )
