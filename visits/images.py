"""Checking images that users send: signatures drawn on screen and photos.

An image is judged by its content (Pillow), never by its name or the type the
browser claims, and its size is limited before it is decoded.
"""

import base64
import binascii
import hashlib
import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

DATA_URL_PREFIX = "data:image/png;base64,"

# Defaults; settings of the same name override them (read at call time).
SIGNATURE_MAX_BYTES = 512 * 1024
SIGNATURE_MAX_SIDE = 4096
PHOTO_MAX_BYTES = 8 * 1024 * 1024
PHOTO_MAX_PIXELS = 40_000_000


def _setting(name, default):
    return getattr(settings, f"VISITS_{name}", default)


def _read(value, *, field, max_bytes):
    """The bytes of a data URL (signatures only) or an uploaded file, size-limited."""
    if isinstance(value, str):
        if not value.startswith(DATA_URL_PREFIX):
            raise ValidationError({field: _("Send the signature as a PNG data URL.")})
        encoded = value[len(DATA_URL_PREFIX) :]
        # base64 grows data by a third: refuse before decoding what is too big anyway.
        if len(encoded) > max_bytes * 4 // 3 + 4:
            raise ValidationError({field: _("The image is too large.")})
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError({field: _("The image data is not valid base64.")}) from None
    elif value is not None and hasattr(value, "read"):
        if getattr(value, "size", None) is not None and value.size > max_bytes:
            raise ValidationError({field: _("The image is too large.")})
        value.seek(0)
        data = value.read(max_bytes + 1)
    else:
        raise ValidationError({field: _("This field is required.")})
    if len(data) > max_bytes:
        raise ValidationError({field: _("The image is too large.")})
    if not data:
        raise ValidationError({field: _("The image is empty.")})
    return data


def signature_png(value, *, field="image"):
    """Validate a drawn signature; returns (ContentFile, sha256 hex).

    1. Read at most the size limit (data URL or upload).
    2. Pillow must recognise a PNG of sane dimensions, and it must be intact.
    3. It must not be blank: a canvas nobody drew on is not a signature.
    """
    data = _read(value, field=field, max_bytes=_setting("SIGNATURE_MAX_BYTES", SIGNATURE_MAX_BYTES))
    try:
        image = Image.open(io.BytesIO(data))
        if image.format != "PNG":
            raise ValidationError({field: _("The signature must be a PNG image.")})
        max_side = _setting("SIGNATURE_MAX_SIDE", SIGNATURE_MAX_SIDE)
        width, height = image.size
        if not (1 <= width <= max_side and 1 <= height <= max_side):
            raise ValidationError({field: _("The signature image has unusable dimensions.")})
        image.verify()
        image = Image.open(io.BytesIO(data))
        extrema = image.convert("RGBA").getextrema()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({field: _("The signature must be a PNG image.")}) from None
    if all(low == high for low, high in extrema):
        raise ValidationError({field: _("The signature is blank: please sign.")})
    return ContentFile(data, name="signature.png"), hashlib.sha256(data).hexdigest()


def photo(value, *, field="photo"):
    """Validate a photo (JPEG, PNG or WebP); returns a ContentFile named by its format."""
    data = _read(value, field=field, max_bytes=_setting("PHOTO_MAX_BYTES", PHOTO_MAX_BYTES))
    try:
        image = Image.open(io.BytesIO(data))
        kind = image.format
        width, height = image.size
        if width * height > _setting("PHOTO_MAX_PIXELS", PHOTO_MAX_PIXELS):
            raise ValidationError({field: _("The photo has too many pixels.")})
        image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError({field: _("Upload a JPEG, PNG or WebP photo.")}) from None
    extensions = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
    if kind not in extensions:
        raise ValidationError({field: _("Upload a JPEG, PNG or WebP photo.")})
    return ContentFile(data, name=f"photo.{extensions[kind]}")
