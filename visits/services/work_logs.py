"""Writes of work logs (daily logs, weekly summaries) and their comments."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ConflictError
from core.notifications import Message
from crm.access import works_customers
from visits import access
from visits.models import (
    WorkLog,
    WorkLogComment,
)
from visits.services.common import _require, _url, comment_save


def work_log_write(*, actor, kind, day, content):
    """A manager writes (or rewrites) their daily log or weekly summary."""
    _require(works_customers(actor))
    if kind == WorkLog.Kind.WEEKLY and day.weekday() != 0:
        raise ValidationError({"day": _("A weekly summary is dated on the Monday of its week.")})
    if day > timezone.localdate():
        raise ValidationError({"day": _("This day has not come yet.")})
    content = (content or "").strip()
    log = WorkLog.objects.filter(author=actor, kind=kind, day=day).first()
    if log is None:
        log = WorkLog(author=actor, kind=kind, day=day)
    log.content = content
    log.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            log.save()
    except IntegrityError:
        raise ConflictError(_("This log was written meanwhile; reload it.")) from None
    return log


def work_log_comment(*, log, actor, text):
    if not access.can_comment_work_log(actor, log):
        raise PermissionDenied
    return comment_save(
        WorkLogComment(log=log, author=actor, text=text),
        tell=log.author,
        key="worklog-comment",
        title=Message(
            gettext_lazy("%(author)s commented on your work log of %(day)s"),
            author=str(actor),
            day=f"{log.day:%Y-%m-%d}",
        ),
        url=_url("visits:work_log_detail", log.pk),
    )
