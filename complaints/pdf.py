"""The printable complaint form (商品及服务质量信息反馈单) with both customer signatures.

Rendered by ``core.pdf.render_pdf`` (it fetches only the product's own static
and media files); the page and the API answer it with ``core.web.pdf_response``.
"""

from django.utils import timezone

from core.pdf import Document, render_pdf


def complaint_document(complaint):
    """The complaint's form as a ``Document``: opened in the browser, named by its number."""
    content = render_pdf(
        "complaints/complaint_pdf.html",
        {"complaint": complaint, "events": complaint.events.all(), "printed_at": timezone.now()},
    )
    return Document(
        content=content,
        filename=f"{complaint.number}.pdf",
        obj=complaint,
        summary=complaint.number,
        inline=True,
    )
