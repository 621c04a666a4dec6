"""Signatures drawn on screen arrive as PNG data URLs; check them by content."""

import base64
import binascii
import hashlib
import io
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

MAX_SIGNATURE_BYTES = 512 * 1024
_PREFIX = "data:image/png;base64,"


def decode_signature(value, *, max_bytes=MAX_SIGNATURE_BYTES):
    """Return (ContentFile, sha256 hex) for a PNG data URL, or raise ValidationError.

    The image must really be a PNG (checked with Pillow, not by the prefix),
    not larger than ``max_bytes``, and not blank.
    """
    if not value or not isinstance(value, str):
        raise ValidationError(_("A signature is required."), code="required")
    if not value.startswith(_PREFIX):
        raise ValidationError(_("The signature must be a PNG image."), code="invalid")
    encoded = value[len(_PREFIX) :]
    if len(encoded) > max_bytes * 4 // 3 + 4:
        raise ValidationError(_("The signature image is too large."), code="too_large")
    try:
        raw = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(_("The signature must be a PNG image."), code="invalid") from None
    if len(raw) > max_bytes:
        raise ValidationError(_("The signature image is too large."), code="too_large")
    try:
        with Image.open(io.BytesIO(raw)) as image:
            if image.format != "PNG":
                raise ValidationError(_("The signature must be a PNG image."), code="invalid")
            image.load()
            blank = image.convert("L").getextrema()[0] == image.convert("L").getextrema()[1]
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("The signature must be a PNG image."), code="invalid") from None
    if blank:
        raise ValidationError(_("The signature is empty: please sign in the box."), code="blank")
    digest = hashlib.sha256(raw).hexdigest()
    return ContentFile(raw, name=f"{uuid.uuid4().hex}.png"), digest
