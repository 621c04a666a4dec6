"""Forms of the report pages: the manager's sections and the reviewer's decision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from crm.forms import StyledFormMixin
from reports.models import MonthlyReport


class SectionsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = MonthlyReport
        fields = ["problems", "opinions", "forecast_amount", "forecast_text"]
        widgets = {
            "problems": forms.Textarea(attrs={"rows": 6}),
            "opinions": forms.Textarea(attrs={"rows": 6}),
            "forecast_text": forms.Textarea(attrs={"rows": 4}),
        }


class ApproveForm(StyledFormMixin, forms.Form):
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReturnForm(StyledFormMixin, forms.Form):
    general = forms.CharField(
        label=_("General comment"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    a = forms.CharField(label=_("On a) overall sales"), required=False, max_length=4000)
    b = forms.CharField(
        label=_("On b) problems and countermeasures"), required=False, max_length=4000
    )
    c = forms.CharField(label=_("On c) customers' opinions"), required=False, max_length=4000)
    d = forms.CharField(label=_("On d) forecast"), required=False, max_length=4000)

    def clean(self):
        data = super().clean()
        if not any((data.get(key) or "").strip() for key in ("general", "a", "b", "c", "d")):
            raise forms.ValidationError(_("Say what should change: write at least one comment."))
        return data

    def comments(self):
        return {key: self.cleaned_data.get(key, "") for key in ("general", "a", "b", "c", "d")}
