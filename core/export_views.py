"""The export pages: a list's file (the buttons of each list page), a big export's
progress page and its download, which only the requester reaches (404 for
anybody else, and once the file's days are over)."""

import datetime
import os

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core import export_jobs, exports
from core.models import ExportJob
from core.web import login_or_token_required


def _export_or_404(user, name, file_format):
    export = exports.get(name)
    if export is None or file_format not in exports.FORMATS or not export.may(user):
        raise Http404("No such export")
    return export


@login_required
def export_list(request, name, file_format):
    export = _export_or_404(request.user, name, file_format)
    try:
        result = export_jobs.answer(request, export, file_format, request.GET)
    except exports.FilterErrors:
        # Back to the list, whose page shows what is wrong with its filters.
        query = exports.filter_params(request.GET).urlencode()
        return redirect(reverse(export.page) + (f"?{query}" if query else ""))
    if isinstance(result, ExportJob):
        return redirect("export_job", pk=result.pk)
    return result


def _expired(job):
    keep = datetime.timedelta(days=settings.EXPORT_KEEP_DAYS)
    return job.created_at < timezone.now() - keep


@login_required
def export_job(request, pk):
    job = export_jobs.job_for_user(request.user, pk)
    if _expired(job):
        raise Http404("Expired")
    export = exports.get(job.name)
    return render(
        request,
        "core/export_job.html",
        {
            "job": job,
            "title": export.title if export else job.name,
            "keep_days": settings.EXPORT_KEEP_DAYS,
            "expires_at": job.created_at + datetime.timedelta(days=settings.EXPORT_KEEP_DAYS),
        },
    )


@login_or_token_required
def export_download(request, pk):
    job = export_jobs.job_for_user(request.user, pk)
    if job.status != ExportJob.Status.DONE or not job.file or _expired(job):
        raise Http404("No file")
    try:
        handle = job.file.open("rb")
    except (OSError, ValueError):
        raise Http404("No file") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=os.path.basename(job.file.name),
        content_type=exports.CONTENT_TYPES[job.file_format],
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
