"""Browser forms of the customer archive. They validate input; the services write."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.business_dates import BusinessDateFormField, PastDateFormField
from core.forms import StyledFormMixin, TelInput, style_widget
from core.models import CalendarDay
from crm import access, services
from crm.access import sees_all
from crm.models import Contact, Customer, Grade, Region, User

# Customer fields offered when creating a customer, besides the profile.
# Region only for admins: a regional manager's customers are in their region.
CREATE_FIELDS = ("code", "region", "manager", "grade", "joined_on")


def style_form(form):
    """Give every widget of ``form`` its Bootstrap class."""
    for field in form.fields.values():
        style_widget(field.widget)
    return form


def follow_region(form):
    """An admin's list filter: choosing a region reloads the list with that
    region's managers to pick from (see ``access.manager_filter_choices``)."""
    form.fields["region"].widget.attrs["data-autosubmit"] = ""
    manager = form.fields["manager"]
    if not form.data.get("region") and not form.data.get("manager"):
        manager.empty_label = _("Choose a region first")
        manager.widget.attrs["disabled"] = True


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


# Customers ---------------------------------------------------------------------


class CustomerForm(StyledFormMixin, forms.ModelForm):
    """A customer's identity and profile; on creation also code, region, manager, grade.

    The fields depend on who fills it in, so nobody can post a field they may
    not set: on edit only the profile (``services.PROFILE_FIELDS``); manager,
    region and grade then change through reassignment and grade changes,
    which keep their history.
    """

    class Meta:
        model = Customer
        fields = (*CREATE_FIELDS, *services.PROFILE_FIELDS)
        field_classes = {
            "joined_on": BusinessDateFormField,
            "operator_birthday": PastDateFormField,
            "company_anniversary": PastDateFormField,
        }
        widgets = {
            "joined_on": DateInput(),
            "operator_birthday": DateInput(),
            "company_anniversary": DateInput(),
            "main_business_performance": forms.Textarea(),
            "operator_background": forms.Textarea(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        creating = self.instance.pk is None
        allowed = set(services.PROFILE_FIELDS)
        if creating:
            allowed |= {"code", "manager", "grade", "joined_on"}
            if sees_all(user):
                allowed.add("region")
        for name in list(self.fields):
            if name not in allowed:
                del self.fields[name]
        if "manager" in self.fields:
            self.fields["manager"].queryset = (
                access.user_scope(user)
                .filter(role=User.Role.MANAGER, is_active=True)
                .select_related("region")
                .order_by("region__code", "username")
            )
            self.fields["manager"].label_from_instance = _manager_label
        if "grade" in self.fields:
            self.fields["grade"].queryset = Grade.objects.order_by("rank")

    def service_data(self):
        """The cleaned values to hand to ``customer_create`` / ``customer_update``."""
        return {name: self.cleaned_data[name] for name in self.fields}


def _manager_label(user):
    region = user.region.name if user.region_id else ""
    return f"{user} ({user.username}) · {region}" if region else f"{user} ({user.username})"


class ContactForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ("name", "role", "phone", "notes")
        labels = {"name": pgettext_lazy("a person's", "Name")}
        widgets = {"phone": TelInput()}


ContactFormSet = forms.inlineformset_factory(
    Customer, Contact, form=ContactForm, extra=1, can_delete=True, max_num=50, validate_max=True
)


def contacts_from_formset(formset):
    """The contacts to keep, as ``_set_contacts`` expects them (an ``id`` keeps a row)."""
    contacts = []
    for form in formset.forms:
        if formset.can_delete and formset._should_delete_form(form):
            continue
        if form.instance.pk is None and not form.has_changed():
            continue
        item = {name: form.cleaned_data.get(name, "") for name in services.CONTACT_FIELDS}
        item["id"] = form.instance.pk
        contacts.append(item)
    return contacts


class ReasonField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Reason"))
        kwargs.setdefault("max_length", 300)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(**kwargs)


class ReassignForm(StyledFormMixin, forms.Form):
    manager = forms.ModelChoiceField(
        label=_("New customer manager"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— nobody (unassigned) —"),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("code"),
        required=False,
        help_text=_("Leave empty to keep the customer's region."),
    )
    reason = ReasonField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["manager"].queryset = (
            access.user_scope(user)
            .filter(role=User.Role.MANAGER, is_active=True)
            .select_related("region")
            .order_by("region__code", "username")
        )
        self.fields["manager"].label_from_instance = _manager_label
        if not sees_all(user):
            # Only admins move a customer to another region.
            del self.fields["region"]


class GradeChangeForm(StyledFormMixin, forms.Form):
    grade = forms.ModelChoiceField(label=_("New grade"), queryset=Grade.objects.order_by("rank"))
    reason = ReasonField()


class ExitNetworkForm(StyledFormMixin, forms.Form):
    exited_on = BusinessDateFormField(label=_("Exit date"), widget=DateInput())
    reason = ReasonField(label=_("Exit reason"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"exited_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class RejoinNetworkForm(StyledFormMixin, forms.Form):
    joined_on = BusinessDateFormField(label=_("Join date"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"joined_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


# Grading, sales, calendar --------------------------------------------------------


class GradeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Grade
        fields = services.GRADE_FIELDS


class SalesImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Sales file"),
        help_text=_("CSV (UTF-8 or GBK) or Excel .xlsx; the first row holds the column names."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


class CalendarDayForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ("date", "kind", "name")
        field_classes = {"date": BusinessDateFormField}
        widgets = {"date": DateInput()}


class CalendarImportForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2004, max_value=2100)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
