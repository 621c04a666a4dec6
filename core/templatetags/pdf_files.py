"""``{{ signature.image|pdf_src }}``: where a PDF's ``<img>`` reads a stored file.

Not the storage's own URL (a signed bucket address with S3): the PDF fetcher
(``core.pdf.url_fetcher``) opens the file through the file storage, so a
document shows its signatures and photos whether they are on the local disk
or in the bucket.
"""

from django import template

from core.pdf import media_path

register = template.Library()


@register.filter
def pdf_src(field_file):
    return media_path(field_file.name) if field_file else ""
