"""Images users send: signatures drawn on screen and photos of goods.

One set of checks for every app. An image is judged by its content (Pillow),
never by its name or the type the browser claims, and its size is limited
before it is decoded. Errors are ``ValidationError`` with a code:
``required``, ``invalid``, ``too_large`` or ``blank``.
"""

import base64
import binascii
import hashlib
import io

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

DATA_URL_PREFIX = "data:image/png;base64,"
SIGNATURE_MAX_BYTES = 512 * 1024
SIGNATURE_MAX_SIDE = 4096
PHOTO_MAX_PIXELS = 40_000_000
PHOTO_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
_PILLOW_ERRORS = (
    UnidentifiedImageError,
    OSError,
    SyntaxError,
    ValueError,
    Image.DecompressionBombError,
)


def _read(value, *, max_bytes, required, invalid, too_large):
    """The bytes of a PNG data URL or an uploaded file, at most ``max_bytes``."""
    if isinstance(value, str) and value:
        if not value.startswith(DATA_URL_PREFIX):
            raise invalid
        encoded = value[len(DATA_URL_PREFIX) :]
        # base64 grows data by a third: refuse before decoding what is too big anyway.
        if len(encoded) > max_bytes * 4 // 3 + 4:
            raise too_large
        try:
            data = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise invalid from None
    elif value is not None and hasattr(value, "read"):
        if getattr(value, "size", None) is not None and value.size > max_bytes:
            raise too_large
        value.seek(0)
        data = value.read(max_bytes + 1)
    else:
        raise required
    if len(data) > max_bytes:
        raise too_large
    if not data:
        raise invalid
    return data


def checked_signature(value, *, max_bytes=SIGNATURE_MAX_BYTES):
    """A drawn signature (PNG data URL or upload): returns (ContentFile, sha256 hex).

    It must really be a PNG of sane dimensions, intact, within ``max_bytes``,
    and not blank: a canvas nobody drew on is not a signature.
    """
    invalid = ValidationError(_("The signature must be a PNG image."), code="invalid")
    data = _read(
        value,
        max_bytes=max_bytes,
        required=ValidationError(_("A signature is required."), code="required"),
        invalid=invalid,
        too_large=ValidationError(
            _("The signature image is too large: the limit is %(limit)s.")
            % {"limit": filesizeformat(max_bytes)},
            code="too_large",
        ),
    )
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise invalid
            width, height = image.size
            if not (1 <= width <= SIGNATURE_MAX_SIDE and 1 <= height <= SIGNATURE_MAX_SIDE):
                raise invalid
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            extrema = image.convert("RGBA").getextrema()
    except ValidationError:
        raise
    except _PILLOW_ERRORS:
        raise invalid from None
    if all(low == high for low, high in extrema):
        raise ValidationError(_("The signature is empty: please sign in the box."), code="blank")
    return ContentFile(data, name="signature.png"), hashlib.sha256(data).hexdigest()


def checked_photo(upload, *, max_bytes, max_pixels=PHOTO_MAX_PIXELS):
    """A photo (JPEG, PNG or WebP upload): returns (ContentFile, content type)."""
    invalid = ValidationError(
        _("This file is not a photo: upload a JPEG, PNG or WebP image."), code="invalid"
    )
    too_large = ValidationError(
        _("The photo is too large: the limit is %(limit)s.") % {"limit": filesizeformat(max_bytes)},
        code="too_large",
    )
    if isinstance(upload, str):
        raise invalid
    data = _read(
        upload,
        max_bytes=max_bytes,
        required=ValidationError(_("Choose a photo to upload."), code="required"),
        invalid=invalid,
        too_large=too_large,
    )
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            width, height = image.size
            if width * height > max_pixels:
                raise too_large
            image.verify()
    except ValidationError:
        raise
    except _PILLOW_ERRORS:
        raise invalid from None
    if kind not in PHOTO_FORMATS:
        raise invalid
    extension, content_type = PHOTO_FORMATS[kind]
    return ContentFile(data, name=f"photo.{extension}"), content_type
