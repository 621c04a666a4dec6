"""How every form field of the product is drawn and how its errors read.

One place for the Bootstrap look of a field: ``FormRenderer`` (settings
``FORM_RENDERER``) hands every form ``BootstrapBoundField``, which gives a widget
its Bootstrap class when it has none and *adds* ``is-invalid`` to that class when
the field has an error (it used to replace it in some forms, leaving a bare
native input). A date field in error keeps its date widget and its value.

``plain_unique_error_message`` is the wording of "this value is taken" for every
unique field and unique constraint (forms, the admin, model validation): it
names the field and the value ("Customer code C00009 already exists") instead of
Django's "Customer with this Customer code already exists." (and DRF's
UniqueValidator the same words in the API).
"""

from django import forms
from django.forms import BoundField
from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

CHECK_WIDGETS = (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)


def bootstrap_class(widget):
    """The Bootstrap class a widget of this kind takes."""
    if isinstance(widget, CHECK_WIDGETS):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select"
    return "form-control"


def style_widget(widget):
    """Give ``widget`` its Bootstrap class unless it has one of its own."""
    if isinstance(widget, forms.HiddenInput | forms.MultipleHiddenInput):
        return
    widget.attrs.setdefault("class", bootstrap_class(widget))
    if isinstance(widget, forms.Textarea) and widget.attrs.get("rows") == "10":
        # Django's default of 10 rows is too tall for these short texts.
        widget.attrs["rows"] = 3


class BootstrapBoundField(BoundField):
    """A field drawn the Bootstrap way; in error its class gains ``is-invalid``."""

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if isinstance(widget, forms.HiddenInput | forms.MultipleHiddenInput):
            return attrs
        # attrs given here replace the widget's own class when rendered: start
        # from the widget's class (or its kind's) and add to it.
        css = attrs.get("class") or widget.attrs.get("class") or bootstrap_class(widget)
        if self.errors and "is-invalid" not in css.split():
            css = f"{css} is-invalid"
        attrs["class"] = css
        return attrs


SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attrs_html(attrs):
    # Django's widgets/attrs.html: True as a bare name, False left out.
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget):
    """A ``<select>``, character for character as Django's select.html draws it.

    The template includes one template per option (and one for its attributes):
    a 100-option select took 10 ms that way, 1 ms this way, on every list
    page with a filter of managers or regions. ``None`` when an option asks
    for a template of its own.
    """
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                f"{_attrs_html(option['attrs'])}>{conditional_escape(localize(option['label']))}"
                "</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))


class FormRenderer(DjangoTemplates):
    """The project's form renderer: Django's templates, our bound field, and
    selects drawn in Python (``render_select``), the same markup faster."""

    bound_field_class = BootstrapBoundField

    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE:
            html = render_select(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request)


class StyledFormMixin:
    """Bootstrap classes set on the widgets themselves (for templates that read
    ``widget.attrs``); the bound field adds them in any case."""

    bound_field_class = BootstrapBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            style_widget(field.widget)


class TelInput(forms.TextInput):
    """A phone number: the phone's numeric keypad."""

    input_type = "tel"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "tel", "inputmode": "tel", **(attrs or {})})


def plain_unique_error_message(self, model_class, unique_check):
    """``Model.unique_error_message`` in plain words naming the value taken.

    One field: "Customer code C00009 already exists". Several (unique together
    or a unique constraint): "Grade with code A and rank 2 already exists".
    """
    opts = model_class._meta
    fields = [opts.get_field(name) for name in unique_check]
    if any(field.primary_key for field in fields) and len(fields) == 1:
        return Model_unique_error_message(self, model_class, unique_check)
    parts = []
    for field in fields:
        value = getattr(self, field.attname)
        if field.is_relation:
            value = getattr(self, field.name, value)
        elif field.choices:
            value = getattr(self, f"get_{field.name}_display")()
        parts.append((capfirst(field.verbose_name), value))
    if len(parts) == 1:
        label, value = parts[0]
        message = _("%(field)s %(value)s already exists.") % {"field": label, "value": value}
    else:
        pairs = _(", ").join(
            _("%(field)s %(value)s") % {"field": label, "value": value} for label, value in parts
        )
        message = _("%(model)s with %(pairs)s already exists.") % {
            "model": capfirst(opts.verbose_name),
            "pairs": pairs,
        }
    return forms.ValidationError(
        message,
        code="unique" if len(parts) == 1 else "unique_together",
        params={
            "model": self,
            "model_class": model_class,
            "model_name": capfirst(opts.verbose_name),
            "unique_check": unique_check,
        },
    )


def _plain_api_unique_check(self, value, serializer_field):
    """DRF's ``UniqueValidator`` with the same words as the forms: the API's
    serializers of unique model fields say "Grade code A2 already exists"."""
    from rest_framework.exceptions import ValidationError as ApiValidationError

    try:
        return API_unique_check(self, value, serializer_field)
    except ApiValidationError:
        model = self.queryset.model
        name = serializer_field.source_attrs[-1]
        try:
            label = capfirst(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - a source that is no model field
            label = serializer_field.label or name
        raise ApiValidationError(
            _("%(field)s %(value)s already exists.") % {"field": label, "value": value},
            code="unique",
        ) from None


Model_unique_error_message = None
API_unique_check = None


def use_plain_unique_messages():
    """Make the plain wording every model's and every API serializer's
    (``CoreConfig.ready``)."""
    global Model_unique_error_message, API_unique_check
    from django.db.models import Model
    from rest_framework.validators import UniqueValidator

    if Model_unique_error_message is None:
        Model_unique_error_message = Model.unique_error_message
        Model.unique_error_message = plain_unique_error_message
    if API_unique_check is None:
        API_unique_check = UniqueValidator.__call__
        UniqueValidator.__call__ = _plain_api_unique_check
