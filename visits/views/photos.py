"""Photos of the display on a visit record: add, remove, show."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import file_response, flash, form_errors_to_messages, login_or_token_required
from visits import access, forms
from visits.models import VisitPhoto
from visits.services import photos


@require_POST
@login_required
def visit_photo_add(request, pk):
    visit = access.visit_for_user(request.user, pk, change=True)
    form = forms.DisplayPhotoForm(request.POST, request.FILES)
    if form.is_valid():
        flash(
            request,
            lambda: photos.visit_photo_add(
                visit=visit,
                actor=request.user,
                stage=form.cleaned_data["stage"],
                upload=form.cleaned_data["photo"],
            ),
            _("Photo added."),
        )
    else:
        form_errors_to_messages(request, form)
    return redirect(f"{visit.get_absolute_url()}#display-photos")


def _photo_for_user(user, pk, *, change=False):
    try:
        photo = VisitPhoto.objects.select_related("visit").get(pk=pk)
    except (VisitPhoto.DoesNotExist, ValueError, TypeError):
        raise Http404("No such photo") from None
    access.visit_for_user(user, photo.visit_id, change=change)
    return photo


@require_POST
@login_required
def visit_photo_remove(request, pk):
    photo = _photo_for_user(request.user, pk, change=True)
    flash(
        request,
        lambda: photos.visit_photo_remove(photo=photo, actor=request.user),
        _("Photo removed."),
    )
    return redirect(f"{photo.visit.get_absolute_url()}#display-photos")


@login_or_token_required
def visit_photo_file(request, pk):
    """A display photo, for those who may see the visit (media is not public)."""
    photo = _photo_for_user(request.user, pk)
    return file_response(photo.image, content_type=photo.content_type)
