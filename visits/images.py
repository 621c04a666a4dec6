"""The visits app's image limits over ``core.images``; errors name the field.

Settings ``VISITS_SIGNATURE_MAX_BYTES`` and ``VISITS_PHOTO_MAX_BYTES``
override the limits (read at call time).
"""

from django.conf import settings
from django.core.exceptions import ValidationError

from core import images

SIGNATURE_MAX_BYTES = images.SIGNATURE_MAX_BYTES
PHOTO_MAX_BYTES = 8 * 1024 * 1024


def _on_field(field, check, *args, **kwargs):
    try:
        return check(*args, **kwargs)
    except ValidationError as error:
        raise ValidationError({field: error.error_list}) from None


def signature_png(value, *, field="image"):
    """A drawn signature; returns (ContentFile, sha256 hex)."""
    limit = getattr(settings, "VISITS_SIGNATURE_MAX_BYTES", SIGNATURE_MAX_BYTES)
    return _on_field(field, images.checked_signature, value, max_bytes=limit)


def photo_typed(value, *, field="photo"):
    """A photo (JPEG, PNG or WebP); returns (ContentFile named by its format, content type)."""
    limit = getattr(settings, "VISITS_PHOTO_MAX_BYTES", PHOTO_MAX_BYTES)
    return _on_field(field, images.checked_photo, value, max_bytes=limit)


def photo(value, *, field="photo"):
    """A photo (JPEG, PNG or WebP); returns a ContentFile named by its format."""
    return photo_typed(value, field=field)[0]
