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
