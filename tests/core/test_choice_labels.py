"""Every choice field's ``get_FOO_display`` answers as Django's own, in either language."""

import pytest
from django.apps import apps
from django.db.models import Model
from django.utils import translation

from core import choice_labels

PRODUCT_APPS = {"crm", "core", "visits", "complaints", "reports", "satisfaction"}


def _choice_fields():
    for model in apps.get_models():
        if model._meta.app_label not in PRODUCT_APPS:
            continue
        for field in model._meta.fields:
            if field.choices is not None:
                yield model, field


def test_every_product_choice_field_keeps_its_labels():
    fields = list(_choice_fields())
    assert len(fields) > 20
    for model, field in fields:
        method = model.__dict__[f"get_{field.name}_display"]
        assert method.func is choice_labels._display, (model, field.name)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_labels_read_as_djangos_in_each_language(language):
    with translation.override(language):
        for model, field in _choice_fields():
            values = [value for value, _label in field.flatchoices] + ["no-such-value", None]
            for value in values:
                row = model(**{field.attname: value})
                ours = getattr(row, f"get_{field.name}_display")()
                djangos = Model._get_FIELD_display(row, field)
                assert ours == djangos, (model, field.name, value)
                assert type(ours) is type(djangos)
