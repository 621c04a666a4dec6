"""Answering an export: at once when small, as a Celery job when big; audited.

``answer()`` is what the list pages' buttons and the API's ``export`` actions
call: it reads the list's filters with the list's FilterSet over the user's
scope (``core.exports.rows``), counts no further than
``settings.EXPORT_SYNC_ROWS`` and either streams the file (CSV line by line,
XLSX from a temporary file) or stores an ``ExportJob`` for the worker
(``core.tasks.run_export``), whose page shows the progress and whose file
only the requester downloads. Every export writes one audit row (action
``export``): at once for a direct answer, when the file is written for a job.
"""

import datetime
import logging
import types

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import FileResponse, QueryDict, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, db_routing, exports
from core.models import ExportJob
from core.notifications import Message, notify
from core.pagination import count_up_to

logger = logging.getLogger(__name__)


def _in_language(chunks, language):
    """The chunks written in ``language`` (a streamed answer is written after the view)."""
    with translation.override(language):
        yield from chunks


def _params_dict(params):
    return {name: params.getlist(name) for name in params}


def _query(params_dict):
    query = QueryDict(mutable=True)
    for name, values in params_dict.items():
        query.setlist(name, values)
    return query


def _audit(export, *, file_format, rows, params, actor=None, request=None):
    audit.record(
        "export",
        actor=actor,
        request=request,
        summary=f"{export.name}.{file_format}: {rows}",
        list=export.name,
        format=file_format,
        rows=rows,
        filters=params,
    )


def file_answer(export, queryset, file_format):
    """The file as an attachment: CSV streamed line by line, XLSX from a temporary file."""
    filename = export.filename(file_format)
    if file_format == "csv":
        response = StreamingHttpResponse(
            _in_language(exports.csv_chunks(export, queryset), translation.get_language()),
            content_type=exports.CONTENT_TYPES["csv"],
        )
        response["Content-Disposition"] = content_disposition_header(True, filename)
    else:
        response = FileResponse(
            exports.xlsx_file(export, queryset),
            as_attachment=True,
            filename=filename,
            content_type=exports.CONTENT_TYPES["xlsx"],
        )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def answer(request, export, file_format, query):
    """The export for ``request.user``: an HTTP answer with the file, or a new ExportJob.

    Raises ``exports.FilterErrors`` for bad filters (nothing is written then).
    """
    user = request.user
    params = exports.filter_params(query)
    queryset = exports.rows(export, user=user, params=params, request=request)
    # Read where the request may read (the replica, for a GET that may): the
    # audit row written below does not send the rows to the primary.
    queryset = queryset.using(queryset.db)
    count = count_up_to(queryset, settings.EXPORT_SYNC_ROWS)
    if count <= settings.EXPORT_SYNC_ROWS:
        _audit(
            export,
            file_format=file_format,
            rows=count,
            params=_params_dict(params),
            request=request,
        )
        return file_answer(export, queryset, file_format)
    return start_job(user=user, export=export, file_format=file_format, params=params)


def start_job(*, user, export, file_format, params):
    """Store the job and queue it after commit."""
    from core.tasks import run_export

    job = ExportJob.objects.create(
        user=user,
        name=export.name,
        file_format=file_format,
        params=_params_dict(params),
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    transaction.on_commit(lambda: run_export.delay(job.pk))
    return job


def job_url(job):
    return reverse("export_job", args=[job.pk])


def download_url(job):
    return reverse("export_download", args=[job.pk])


def run_job(job_id):
    """Write the job's file (the worker's part); the requester is notified with the link."""
    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status == ExportJob.Status.DONE:
        return None
    export = exports.get(job.name)
    user = job.user
    with translation.override(job.language or settings.LANGUAGE_CODE):
        if export is None or not export.may(user) or not user.is_active:
            return _fail(job, _("This list can no longer be exported."))
        params = _query(job.params)
        request = types.SimpleNamespace(user=user, GET=params, query_params=params)
        try:
            queryset = exports.rows(export, user=user, params=params, request=request)
        except exports.FilterErrors:
            return _fail(job, _("The filters are no longer valid."))
        # A list a moment old will do: its rows come from the read replica when
        # there is one (the job's own row stays on the primary).
        queryset = queryset.using(db_routing.replica())
        job.status = ExportJob.Status.RUNNING
        job.rows_total = queryset.order_by().count()
        job.rows_done = 0
        job.save(update_fields=["status", "rows_total", "rows_done"])

        def progress(done):
            ExportJob.objects.filter(pk=job.pk).update(rows_done=done)

        import tempfile

        with tempfile.TemporaryFile() as handle:
            exports.write_file(export, queryset, job.file_format, handle, progress=progress)
            handle.seek(0)
            job.file.save(export.filename(job.file_format), File(handle), save=False)
        job.refresh_from_db(fields=["rows_done"])
        job.status = ExportJob.Status.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["file", "status", "finished_at"])
        _audit(
            export,
            file_format=job.file_format,
            rows=job.rows_done,
            params=job.params,
            actor=user,
        )
        notify(
            user=user,
            key=f"export:{job.pk}",
            title=Message(
                gettext_lazy("Your export of %(list)s is ready"), **{"list": export.title}
            ),
            body=Message(
                gettext_lazy("%(rows)s rows. The file is kept %(days)s days."),
                **{"rows": job.rows_done, "days": settings.EXPORT_KEEP_DAYS},
            ),
            url=download_url(job),
        )
    return job


def _fail(job, message):
    job.status = ExportJob.Status.FAILED
    job.error = str(message)[:300]
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])
    return job


def fail_job(job_id, message):
    """The worker gave up on the job (an error it did not expect)."""
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is not None and job.running:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            _fail(job, message or _("The export failed."))


def delete_expired(now=None):
    """Delete the jobs (and their files) older than ``settings.EXPORT_KEEP_DAYS``."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS)
    deleted = 0
    for job in ExportJob.objects.filter(created_at__lt=limit).iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        deleted += 1
    return deleted


def job_for_user(user, pk):
    """The requester's job, or 404 for anybody else."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(ExportJob, pk=pk, user_id=user.pk)
