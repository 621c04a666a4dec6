"""Browser forms of the complaints app. They validate input; the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints import images
from complaints.models import Complaint, ComplaintSettings
from core.business_dates import BusinessDateFormField
from core.forms import StyledFormMixin
from crm.models import Customer


class StyledForm(StyledFormMixin, forms.Form):
    """Bootstrap classes on every widget; fields with errors marked ``is-invalid``."""


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def _text(label, rows=3, required=True):
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class ComplaintOpenForm(StyledForm):
    customer = forms.ModelChoiceField(label=_("Customer"), queryset=Customer.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Complaint.Kind.choices)
    product = forms.CharField(label=_("Product"), max_length=200, required=False)
    batch_number = forms.CharField(label=_("Batch number"), max_length=100, required=False)
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=10, decimal_places=2, min_value=0, required=False
    )
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    problem = _text(_("What is wrong"), rows=4)
    reported_on = BusinessDateFormField(label=_("Reported by the customer on"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(manager=user).order_by("code")


class PhotoForm(StyledForm):
    photo = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = _("JPEG, PNG or WebP, up to %(size)d MiB.") % {
            "size": images.max_photo_bytes() // (1024 * 1024)
        }

    def clean_photo(self):
        # Checked by content here so the form shows the message; the service checks again.
        upload = self.cleaned_data["photo"]
        images.checked_photo(upload)
        return upload


class _SignedForm(StyledForm):
    signer_name = forms.CharField(label=_("Customer's name"), max_length=100)
    signature = forms.CharField(
        label=_("Signature"),
        widget=forms.HiddenInput,
        error_messages={"required": _("The customer must sign in the box.")},
    )


class InspectForm(_SignedForm):
    cause = _text(_("Cause found on inspection"), rows=4)
    field_order = ["cause", "signer_name", "signature"]


class CorrectForm(StyledForm):
    """What a rejection asks to correct: the product, its batch, the quantity."""

    product = forms.CharField(label=_("Product"), max_length=200, required=False)
    batch_number = forms.CharField(label=_("Batch number"), max_length=100, required=False)
    quantity = forms.DecimalField(
        label=_("Quantity"), max_digits=10, decimal_places=2, min_value=0, required=False
    )


class SubmitForm(StyledForm):
    comment = _text(_("Note for the regional manager"), rows=2, required=False)


class ApproveForm(StyledForm):
    comment = _text(_("Comment"), rows=2, required=False)


class RejectForm(StyledForm):
    reason = _text(_("Reason for the rejection"), rows=2)


class ExchangeForm(_SignedForm):
    exchange_product = forms.CharField(label=_("Goods handed over"), max_length=200, required=False)
    exchange_quantity = forms.DecimalField(
        label=_("Quantity handed over"),
        max_digits=10,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    exchanged_on = BusinessDateFormField(label=_("Exchanged on"), widget=DateInput())
    field_order = ["exchange_product", "exchange_quantity", "exchanged_on", "signer_name"]


class CloseForm(StyledForm):
    result = _text(_("Result fed back to the customer"), rows=3)


class SettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ComplaintSettings
        fields = ["inspection_days", "decision_days", "exchange_days", "feedback_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")
            field.widget.attrs.setdefault("min", "1")
