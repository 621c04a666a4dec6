"""Forms of the user and region pages (admins). They validate input; ``crm.services`` writes."""

from django import forms
from django.contrib.auth.forms import UsernameField
from django.utils.translation import gettext_lazy as _

from crm.forms import StyledFormMixin
from crm.models import Region, User

# The longest raw password taken (as the login and password-change forms).
PASSWORD_MAX_LENGTH = 4096


class TelInput(forms.TextInput):
    input_type = "tel"


class _PersonFields(StyledFormMixin, forms.ModelForm):
    """Name, e-mail, phone, role and region of a user, as the service takes them."""

    class Meta:
        model = User
        fields = ("last_name", "first_name", "email", "phone", "role", "region")
        labels = {"last_name": _("Family name"), "first_name": _("Given name")}
        widgets = {"phone": TelInput(attrs={"autocomplete": "off"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        region.queryset = Region.objects.order_by("code")
        region.empty_label = _("— no region —")
        region.help_text = _("Customer managers and regional managers work in one region.")
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def service_data(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class UserCreateForm(_PersonFields):
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Leave empty and a password is generated; it is shown once, after saving. "
            "Tell the user to change it on their account page."
        ),
    )

    class Meta(_PersonFields.Meta):
        fields = ("username", *_PersonFields.Meta.fields)
        field_classes = {"username": UsernameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update({"autocomplete": "off", "autofocus": True})


class UserEditForm(_PersonFields):
    pass


class PasswordResetForm(StyledFormMixin, forms.Form):
    password = forms.CharField(
        label=_("Temporary password"),
        required=False,
        strip=False,
        max_length=PASSWORD_MAX_LENGTH,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Leave empty and a password is generated; it is shown once. The user's API "
            "tokens are revoked and their browser sessions end."
        ),
    )


class UserFilterForm(forms.Form):
    """The user list's search and filters (a bad value filters nothing)."""

    STATUS_CHOICES = [
        ("", _("All")),
        ("active", _("Active")),
        ("inactive", _("Deactivated")),
        ("locked", _("Locked out")),
    ]

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("User name, name or e-mail"),
    )
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *User.Role.choices]
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("All regions"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-control" if name == "q" else "form-select form-select-sm"
            field.widget.attrs.setdefault("class", css)
            if name != "q":
                field.widget.attrs["data-autosubmit"] = ""


class RegionCreateForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Region
        fields = ("code", "name")
        help_texts = {"code": _("Short and fixed: programs using the API name the region by it.")}


class RegionEditForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Region
        fields = ("name",)
