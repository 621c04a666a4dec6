"""Photos of the display (checklist item d): before and after, while the record is open."""

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.transitions import record
from visits import access, images
from visits.models import VisitEvent, VisitPhoto
from visits.services.common import _require
from visits.transitions import claim_visit

# Photos of each stage (before, after) one record holds.
MAX_PER_STAGE = 4


def visit_photo_add(*, visit, actor, stage, upload):
    """Attach a photo of the display; checked by its content before anything is saved.
    Refused once the manager has signed: the photos are part of what is signed."""
    _require(access.can_edit_visit(actor, visit))
    if stage not in VisitPhoto.Stage.values:
        raise ValidationError({"stage": _("Choose before or after.")})
    content, content_type = images.photo_typed(upload)
    data = content.read()
    content.seek(0)
    with transaction.atomic():
        current = claim_visit(visit, "edit", actor=actor)
        if current.photos.filter(stage=stage).count() >= MAX_PER_STAGE:
            raise ValidationError(
                {
                    "photo": _("A record holds at most %(count)d photos of each stage.")
                    % {"count": MAX_PER_STAGE}
                }
            )
        photo = VisitPhoto(
            visit=current,
            stage=stage,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        photo.image.save(content.name, content, save=False)
        # If the transaction fails from here on, do not leave the file behind.
        try:
            photo.save()
            record(
                VisitEvent,
                current,
                actor=actor,
                action="photo",
                comment=VisitPhoto.Stage(stage).label,
            )
        except Exception:
            photo.image.delete(save=False)
            raise
    return photo


def visit_photo_remove(*, photo, actor):
    """Take a photo off the record while it is still open (a wrong shot)."""
    _require(access.can_edit_visit(actor, photo.visit))
    with transaction.atomic():
        current = claim_visit(photo.visit, "edit", actor=actor)
        photo = VisitPhoto.objects.select_for_update().get(pk=photo.pk, visit=current)
        name = photo.image.name
        photo.delete()
        record(VisitEvent, current, actor=actor, action="photo_removed", comment=photo.stage)
        transaction.on_commit(lambda: photo.image.storage.delete(name))
    return current
