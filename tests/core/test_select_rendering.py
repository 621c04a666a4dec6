"""Selects are drawn in Python by the project's form renderer: the same markup as
Django's templates draw, on every kind of select the forms use."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from core.forms import FormRenderer
from crm.models import Region


class TemplateDrawn(FormRenderer):
    """The project's renderer with Django's select templates, to compare against."""

    def render(self, template_name, context, request=None):
        return DjangoTemplates.render(self, template_name, context, request)


class OptionOfItsOwn(forms.Select):
    option_template_name = "django/forms/widgets/input.html"


class EveryKindOfSelect(forms.Form):
    plain = forms.ChoiceField(
        choices=[
            ("", "---"),
            (1, 'x<y & "z"'),
            ("Group <g>", [("1", "one"), ("2", "two")]),
            (3, 3.5),
        ]
    )
    many = forms.MultipleChoiceField(choices=[(1, "a"), (2, "b")], required=False)
    yes_no = forms.NullBooleanField()
    fixed = forms.ChoiceField(
        choices=[(1, "a")],
        disabled=True,
        widget=forms.Select(attrs={"data-x": '1"', "autofocus": True, "class": "form-select"}),
    )
    empty = forms.TypedChoiceField(choices=[], required=False)
    region = forms.ModelChoiceField(queryset=Region.objects.order_by("code"), required=False)
    own_option = forms.ChoiceField(choices=[(1, "a")], widget=OptionOfItsOwn, required=False)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [None, {"plain": "2", "many": ["1", "2"], "yes_no": "true"}, {"plain": "bad", "region": "x"}],
    ids=["unbound", "chosen", "in-error"],
)
def test_selects_read_as_django_draws_them(data):
    Region.objects.create(code="R<1>", name='East "Ost" & co')
    Region.objects.create(code="R2", name="West")
    fast = EveryKindOfSelect(data=data, renderer=FormRenderer())
    slow = EveryKindOfSelect(data=data, renderer=TemplateDrawn())
    for name in fast.fields:
        assert str(fast[name]) == str(slow[name]), name
    drawn = str(fast["plain"])
    assert '<optgroup label="Group &lt;g&gt;">' in drawn
    assert "x&lt;y &amp; &quot;z&quot;" in drawn
    assert "East &quot;Ost&quot; &amp; co" in str(fast["region"])


@pytest.mark.django_db
def test_a_list_filter_draws_its_managers_once_each(client):
    """The customers' filter of a regional manager: every manager of the region, once."""
    from tests.factories import ManagerFactory, RegionalManagerFactory

    boss = RegionalManagerFactory()
    names = [ManagerFactory(region=boss.region).username for _ in range(12)]
    client.force_login(boss)
    page = client.get("/customers/").content.decode()
    select = page.split('name="manager"', 1)[1].split("</select>", 1)[0]
    assert select.count("<option ") == len(names) + 1
