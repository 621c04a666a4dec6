"""The browser views' glue (core.web): role decorators, service errors on forms."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.errors import DomainError
from core.web import apply

pytestmark = pytest.mark.django_db


class _Form(forms.Form):
    name = forms.CharField()


def _bound():
    form = _Form({"name": "x"})
    assert form.is_valid()
    return form


@pytest.mark.parametrize(
    ("error", "field"),
    [
        (ValidationError({"name": "Taken."}), "name"),
        (ValidationError({"elsewhere": "Taken."}), "__all__"),
        (ValidationError("Taken."), "__all__"),
        (DomainError("Taken.", field="name"), "name"),
        (DomainError("Taken."), "__all__"),
    ],
)
def test_a_refused_service_leaves_its_message_on_the_form(error, field):
    def service():
        raise error

    form = _bound()
    assert apply(form, service) is None
    assert form.errors[field] == ["Taken."]


def test_a_service_that_succeeds_gives_its_result():
    assert apply(_bound(), lambda: 42) == 42


def test_revoking_someone_elses_tokens_is_404_for_a_non_admin(login, manager, teammate):
    url = reverse("user_tokens_revoke", args=[teammate.pk])
    assert login(manager).post(url).status_code == 404


def test_role_pages_send_a_visitor_to_the_login_and_refuse_other_roles(client, login, manager):
    url = reverse("grade_list")
    assert client.get(url).status_code == 302
    assert login(manager).get(url).status_code == 403
