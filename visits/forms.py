"""Forms of the visits pages. They only validate input; the services write."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.business_dates import BusinessDateFormField
from crm.access import customer_scope
from crm.locations import Datum
from crm.models import Customer, Grade
from visits import images
from visits.models import CHECKLIST, CheckInSettings, VisitPhoto, WorkLog

DATE_INPUT = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


def _text(max_length, *, label, required=False, rows=None, help_text=""):
    widget = forms.Textarea(attrs={**TEXT, "rows": rows}) if rows else forms.TextInput(attrs=TEXT)
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=widget,
        help_text=help_text,
    )


class LocationMixin(forms.Form):
    """Hidden latitude/longitude, filled by static/js/visits.js when the user allows it."""

    latitude = forms.DecimalField(
        min_value=-90,
        max_value=90,
        required=False,
        widget=forms.HiddenInput(attrs={"data-latitude": ""}),
    )
    longitude = forms.DecimalField(
        min_value=-180,
        max_value=180,
        required=False,
        widget=forms.HiddenInput(attrs={"data-longitude": ""}),
    )

    def location(self):
        """(latitude, longitude) with the service's rounding; both or neither."""
        lat, lng = self.cleaned_data.get("latitude"), self.cleaned_data.get("longitude")
        if lat is None or lng is None:
            return None, None
        return round(lat, 6), round(lng, 6)


def active_customers_of(user):
    return (
        customer_scope(user)
        .filter(manager=user, network_status=Customer.NetworkStatus.ACTIVE)
        .select_related("grade")
        .order_by("code")
    )


class CustomerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        grade = obj.grade.code if obj.grade_id else "-"
        return f"{obj.code} · {obj.name} ({grade})"


# Schedules ---------------------------------------------------------------------------


class ScheduleAddForm(forms.Form):
    customer = CustomerChoiceField(
        label=_("Customer"), queryset=Customer.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    planned_date = forms.TypedChoiceField(
        label=_("Day"), coerce=forms.DateField().clean, widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args, user, days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = active_customers_of(user)
        self.fields["planned_date"].choices = day_choices(days)


class ScheduleMoveForm(forms.Form):
    planned_date = forms.TypedChoiceField(
        label=_("Move to"), coerce=forms.DateField().clean, widget=forms.Select(attrs=SELECT)
    )

    def __init__(self, *args, days, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["planned_date"].choices = day_choices(days)


def day_choices(days):
    from django.utils.formats import date_format

    return [(f"{day:%Y-%m-%d}", date_format(day, "D m-d")) for day in days]


class CommentForm(forms.Form):
    text = _text(2000, label=_("Comment"), required=True, rows=3)


# Visits ------------------------------------------------------------------------------


class SpecialVisitForm(LocationMixin):
    customer = CustomerChoiceField(
        label=_("Customer"), queryset=Customer.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    special_reason = _text(
        300,
        label=_("Special circumstance"),
        required=True,
        rows=2,
        help_text=_("What made this visit necessary (特殊访问)."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = active_customers_of(user)


class StartForm(LocationMixin):
    pass


class EndForm(LocationMixin):
    pass


class LocateShopForm(LocationMixin):
    """ "This shop is here": the phone's position now (else the visit's arrival position)."""


class DisplayPhotoForm(forms.Form):
    """A photo of the display (checklist d), scaled down on the phone before upload."""

    stage = forms.ChoiceField(choices=VisitPhoto.Stage.choices, widget=forms.HiddenInput)
    photo = forms.FileField(
        label=_("Photo"),
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": "image/jpeg,image/png,image/webp",
                "capture": "environment",
                "data-downscale": "1600",
            }
        ),
    )


class CheckInSettingsForm(forms.ModelForm):
    class Meta:
        model = CheckInSettings
        fields = ["radius_m"]
        widgets = {"radius_m": forms.NumberInput(attrs={"class": "form-control", "step": 10})}


class LocationImportForm(forms.Form):
    file = forms.FileField(
        label=_("File (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".csv,.xlsx"}),
    )
    datum = forms.ChoiceField(
        label=_("Coordinate system of the file"),
        choices=Datum.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text=_(
            "Coordinates picked on Amap (高德) or Tencent (腾讯) maps are GCJ-02 and are "
            "converted to WGS-84, the system of phones, before they are stored. Baidu "
            "coordinates (BD-09) are not accepted: convert them to GCJ-02 first."
        ),
    )


def _checklist_fields():
    fields = {}
    for prefix, label in CHECKLIST:
        fields[prefix] = forms.BooleanField(
            label=label,
            required=False,
            widget=forms.CheckboxInput(attrs={"class": "form-check-input", "role": "switch"}),
        )
        fields[f"{prefix}_note"] = _text(500, label=_("Note"))
    return fields


class VisitContentForm(forms.Form):
    """The record a manager fills in during the visit: checklist a)–f) and the rest."""

    order_suggestion = _text(500, label=_("Stock checked: order suggestion"))
    price_violation = forms.BooleanField(
        label=_("Price violation found (sold below the minimum retail guide price)"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input", "role": "switch"}),
        help_text=_("Reported to the regional manager when you sign."),
    )
    findings = _text(4000, label=_("Findings"), rows=3)
    customer_opinions = _text(4000, label=_("Customer opinions"), rows=3)
    revisit_on = BusinessDateFormField(label=_("Revisit on"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The checklist goes first, in the order of the paper form.
        fields = _checklist_fields()
        fields.update(self.fields)
        self.fields = fields

    @classmethod
    def initial_from(cls, visit):
        names = [*_checklist_fields(), *VisitContentForm.base_fields]
        return {name: getattr(visit, name) for name in names}

    def checklist_rows(self):
        """[(done field, note field)] in a)–f) order, for the template."""
        return [(self[prefix], self[f"{prefix}_note"]) for prefix, _label in CHECKLIST]

    def content(self):
        return dict(self.cleaned_data)


class CorrectionForm(VisitContentForm):
    reason = _text(
        500,
        label=_("What does the correction fix?"),
        required=True,
        rows=2,
    )

    def content(self):
        data = dict(self.cleaned_data)
        data.pop("reason", None)
        return data


class SignatureForm(forms.Form):
    signer_name = _text(100, label=_("Signer name"))
    signature = forms.CharField(label=_("Signature"), widget=forms.HiddenInput, required=False)

    def __init__(self, *args, role, **kwargs):
        super().__init__(*args, **kwargs)
        self.role = role
        if role == "customer":
            self.fields["signer_name"].required = True
            self.fields["signer_name"].label = _("Name of the customer who signs")

    def clean_signature(self):
        value = self.cleaned_data.get("signature") or ""
        if not value:
            raise ValidationError(_("Please sign in the box."))
        try:
            images.signature_png(value, field="signature")
        except ValidationError as exc:
            raise ValidationError(exc.message_dict.get("signature", exc.messages)) from None
        return value


class SuggestionForm(forms.Form):
    text = _text(2000, label=_("Customer's suggestion"), required=True, rows=2)


class SuggestionAnswerForm(forms.Form):
    answer = _text(2000, label=_("Answer given to the customer"), required=True, rows=2)


# Price violations --------------------------------------------------------------------


class DowngradeForm(forms.Form):
    grade = forms.ModelChoiceField(
        label=_("New grade"), queryset=Grade.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    note = _text(500, label=_("Note"), rows=2)

    def __init__(self, *args, customer, **kwargs):
        super().__init__(*args, **kwargs)
        grades = Grade.objects.order_by("rank")
        if customer.grade_id:
            grades = grades.filter(rank__gt=customer.grade.rank)
        self.fields["grade"].queryset = grades
        first = grades.first()
        if first is not None:
            self.fields["grade"].initial = first.pk


class DismissForm(forms.Form):
    note = _text(500, label=_("Why is it dismissed?"), required=True, rows=2)


# Promotions, unlicensed operation, work logs ----------------------------------------


class PromotionForm(forms.Form):
    customer = CustomerChoiceField(
        label=_("Customer"), queryset=Customer.objects.none(), widget=forms.Select(attrs=SELECT)
    )
    item = _text(200, label=_("Item or material"), required=True)
    quantity = forms.IntegerField(
        label=_("Quantity"),
        min_value=1,
        max_value=100000,
        widget=forms.NumberInput(attrs={**TEXT, "inputmode": "numeric"}),
    )
    signer_name = _text(100, label=_("Name of the customer who signs"), required=True)
    signature = forms.CharField(label=_("Signature"), widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the customers whose grade may receive promotions are offered: the
        # grade is settled before the customer signs. Another one (a stale page,
        # a crafted post) is refused on this field, saying which grades may.
        field = self.fields["customer"]
        field.queryset = active_customers_of(user).filter(grade__promotion_allowed=True)
        allowed = ", ".join(
            Grade.objects.filter(promotion_allowed=True)
            .order_by("rank")
            .values_list("code", flat=True)
        )
        field.error_messages["invalid_choice"] = _(
            "Promotional materials go only to your customers of grades %(allowed)s: "
            "choose one of them."
        ) % {"allowed": allowed or "-"}
        field.empty_label = _("Choose a customer")

    clean_signature = SignatureForm.clean_signature


class UnlicensedForm(LocationMixin, forms.Form):
    address = _text(300, label=_("Address"), required=True)
    description = _text(4000, label=_("What was seen"), required=True, rows=4)
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": "image/jpeg,image/png,image/webp"}
        ),
    )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            try:
                images.photo(photo, field="photo")
            except ValidationError as exc:
                raise ValidationError(exc.message_dict.get("photo", exc.messages)) from None
        return photo


class ForwardForm(forms.Form):
    note = _text(500, label=_("Forwarding note"), rows=2)


class OutcomeForm(forms.Form):
    outcome = _text(4000, label=_("Outcome"), required=True, rows=3)
    outcome_on = BusinessDateFormField(
        label=_("Outcome date"),
        widget=DATE_INPUT,
        required=False,
        help_text=_("The day of the outcome; today if left empty."),
    )


def monday_of(day):
    return day - datetime.timedelta(days=day.weekday())


class WorkLogForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=WorkLog.Kind.choices, widget=forms.Select(attrs=SELECT)
    )
    day = BusinessDateFormField(label=_("Date"), widget=DATE_INPUT, required=False)
    # A weekly summary is of a week, picked from this one and the weeks before it;
    # it is dated on its Monday (nobody types a Monday).
    week = forms.TypedChoiceField(
        label=_("Week"),
        coerce=datetime.date.fromisoformat,
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    content = _text(10000, label=_("Content"), required=True, rows=10)

    WEEKS_OFFERED = 12

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_monday = monday_of(timezone.localdate())
        mondays = [
            this_monday - datetime.timedelta(weeks=back) for back in range(self.WEEKS_OFFERED)
        ]
        initial_day = self.initial.get("day")
        if isinstance(initial_day, datetime.date):
            self.initial.setdefault("week", monday_of(initial_day).isoformat())
            if monday_of(initial_day) not in mondays:
                mondays.append(monday_of(initial_day))
        self.fields["week"].choices = [
            (
                monday.isoformat(),
                f"{monday:%Y-%m-%d} – {monday + datetime.timedelta(days=6):%m-%d}"
                + (f" · {_('This week')}" if monday == this_monday else ""),
            )
            for monday in sorted(mondays, reverse=True)
        ]

    def clean(self):
        data = super().clean()
        if data.get("kind") == WorkLog.Kind.WEEKLY:
            if not data.get("week"):
                self.add_error("week", _("Choose the week of the summary."))
            else:
                data["day"] = data["week"]
        elif not data.get("day") and "day" not in self.errors:
            self.add_error("day", _("Choose the day of the log."))
        return data
