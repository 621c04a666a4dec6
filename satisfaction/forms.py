"""Forms of the satisfaction pages; the services check the rules again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.business_dates import BusinessMonthFormField
from crm.access import leads_region
from crm.models import Region, User
from satisfaction.models import Measure, Question, Questionnaire, Round

ALL_REGIONS = ""


class RoundLaunchForm(forms.Form):
    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire"), queryset=Questionnaire.objects.filter(is_active=True)
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    month = BusinessMonthFormField(label=_("Month surveyed"))
    sample = forms.ChoiceField(label=_("Sample"), choices=Round.Sample.choices)
    per_grade = forms.IntegerField(
        label=_("Customers per grade"),
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_("For a random sample: how many customers of each grade are drawn."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if leads_region(user):
            regions = Region.objects.filter(pk=user.region_id)
            self.fields["region"].choices = [(str(r.pk), r.name) for r in regions]
            self.fields["region"].required = True
        else:
            self.fields["region"].choices = [(ALL_REGIONS, _("All regions"))] + [
                (str(r.pk), r.name) for r in Region.objects.order_by("code")
            ]
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if hasattr(field.widget, "choices") else "form-control"
            )

    def clean_region(self):
        value = self.cleaned_data.get("region")
        return int(value) if value else None

    def clean(self):
        data = super().clean()
        if data.get("sample") == Round.Sample.BY_GRADE and not data.get("per_grade"):
            self.add_error("per_grade", _("Say how many customers of each grade to draw."))
        return data


def answer_form_class(questions):
    """A form with one field per question of the round's version, named ``q<id>``."""
    fields = {}
    for question in questions:
        name = f"q{question.pk}"
        label = question.text
        if question.kind == Question.Kind.SCORE:
            fields[name] = forms.TypedChoiceField(
                label=label,
                choices=[(str(n), str(n)) for n in range(1, 6)],
                coerce=int,
                required=question.required,
                widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            )
        elif question.kind == Question.Kind.CHOICE:
            fields[name] = forms.ChoiceField(
                label=label,
                choices=[(option, option) for option in question.option_list],
                required=question.required,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )
        else:
            fields[name] = forms.CharField(
                label=label,
                required=question.required,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            )
    fields["comment"] = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
    return type("AnswerForm", (forms.Form,), fields)


def answer_values(form, questions):
    """``{question_id: value}`` for the service, from a valid answer form."""
    return {
        question.pk: form.cleaned_data.get(f"q{question.pk}")
        for question in questions
        if form.cleaned_data.get(f"q{question.pk}") not in (None, "")
    }


class MeasureWriteForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["analysis", "measures"]
        widgets = {
            "analysis": forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
            "measures": forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].required = True


class MeasureCommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class QuestionnaireForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_active = forms.BooleanField(label=_("In use for new rounds"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "is_active":
                field.widget.attrs.setdefault("class", "form-control")
            else:
                field.widget.attrs.setdefault("class", "form-check-input")


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    text = forms.CharField(label=_("Question"), max_length=300, required=False)
    options = forms.CharField(
        label=_("Options (one per line)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    weight = forms.DecimalField(
        label=_("Weight"), min_value=0, max_value=100, decimal_places=2, initial=1
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = {"kind": "form-select form-select-sm", "required": "form-check-input"}
            field.widget.attrs.setdefault("class", css.get(name, "form-control form-control-sm"))


QuestionFormSet = forms.formset_factory(QuestionForm, extra=3, max_num=50, validate_max=True)


def questions_initial(version):
    return [
        {
            "kind": q.kind,
            "text": q.text,
            "options": q.options,
            "weight": q.weight,
            "required": q.required,
        }
        for q in version.questions.all()
    ]


def questions_from(formset):
    return [form.cleaned_data for form in formset.forms if form.cleaned_data.get("text")]


# Filters of the index page: the month, and a region or a manager the user may read.
class IndexFilterForm(forms.Form):
    month = BusinessMonthFormField(label=_("Month"), required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("code"), required=False
    )
    manager = forms.ModelChoiceField(
        label=_("Customer manager"),
        queryset=User.objects.filter(role=User.Role.MANAGER),
        required=False,
    )

    def __init__(self, *args, managers=None, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if managers is not None:
            self.fields["manager"].queryset = managers
        if regions is not None:
            self.fields["region"].queryset = regions
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if hasattr(field.widget, "choices")
                else "form-control form-control-sm",
            )
