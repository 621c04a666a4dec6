"""Photos of defective goods: judged by their content (Pillow), size-limited.

The browser's file name and claimed type are ignored; the stored name is
generated (``crm.uploads.GeneratedName``) from the format Pillow recognised.
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000
FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}


def max_photo_bytes():
    return getattr(settings, "COMPLAINTS_PHOTO_MAX_BYTES", PHOTO_MAX_BYTES)


def checked_photo(upload):
    """Return (ContentFile, content type) for an uploaded photo, or raise ValidationError."""
    limit = max_photo_bytes()
    too_large = ValidationError(
        _("The photo is too large: the limit is %(limit)s.") % {"limit": filesizeformat(limit)},
        code="too_large",
    )
    not_image = ValidationError(
        _("This file is not a photo: upload a JPEG, PNG or WebP image."), code="invalid"
    )
    if upload is None or not hasattr(upload, "read"):
        raise ValidationError(_("Choose a photo to upload."), code="required")
    if getattr(upload, "size", None) is not None and upload.size > limit:
        raise too_large
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if not data:
        raise not_image
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            width, height = image.size
            if width * height > PHOTO_MAX_PIXELS:
                raise not_image
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_image from None
    if kind not in FORMATS:
        raise not_image
    extension, content_type = FORMATS[kind]
    return ContentFile(data, name=f"photo.{extension}"), content_type
