"""The complaints app's photo limit over ``core.images``.

The browser's file name and claimed type are ignored; the stored name is
generated (``core.uploads.GeneratedName``) from the format Pillow recognised.
``COMPLAINTS_PHOTO_MAX_BYTES`` overrides the limit (read at call time).
"""

from django.conf import settings

from core import images

PHOTO_MAX_BYTES = 5 * 1024 * 1024


def max_photo_bytes():
    return getattr(settings, "COMPLAINTS_PHOTO_MAX_BYTES", PHOTO_MAX_BYTES)


def checked_photo(upload):
    """Return (ContentFile, content type) for an uploaded photo, or raise ValidationError."""
    return images.checked_photo(upload, max_bytes=max_photo_bytes())
