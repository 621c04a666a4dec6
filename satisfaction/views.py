"""Pages of the satisfaction app, mounted at /satisfaction/.

Views stay thin: a form validates, a selector reads, a service writes; who may
see comes from ``satisfaction.access`` (someone else's answer, sampled customer
or measures is 404; a step they may not take is 403).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core import months
from core.transitions import allowed
from core.web import apply, flash, paginate, role_required
from crm.access import admin_required, user_scope
from crm.models import Region, User
from satisfaction import access, forms, selectors, services
from satisfaction.models import Question, Questionnaire, Round
from satisfaction.transitions import MEASURE_TRANSITIONS, ROUND_TRANSITIONS

PER_PAGE = 30

reads_index = role_required(lambda user: access.index_subjects(user) is not None)
takes_part = role_required(lambda user: access.index_subjects(user) is not None)


# Rounds ---------------------------------------------------------------------------------


@takes_part
def round_list(request):
    page = paginate(request, selectors.round_list(user=request.user), PER_PAGE)
    return render(
        request,
        "satisfaction/round_list.html",
        {"page": page, "rounds": page.object_list, "may_launch": access.may_launch(request.user)},
    )


@role_required(access.may_launch)
def round_launch(request):
    user = request.user
    initial = {"month": months.month_start(timezone.localdate()), "sample": Round.Sample.ALL}
    form = forms.RoundLaunchForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        round = apply(
            form,
            lambda: services.round_launch(
                actor=user,
                month=data["month"],
                questionnaire=data["questionnaire"],
                region=data["region"],
                sample=data["sample"],
                per_grade=data.get("per_grade"),
            ),
        )
        if round is not None:
            messages.success(
                request,
                _("Round launched: %(count)d customers to survey.")
                % {"count": round.sample_rows.count()},
            )
            return redirect(round)
    return render(request, "satisfaction/round_form.html", {"form": form})


@login_required
@require_safe
def round_detail(request, pk):
    user = request.user
    round = selectors.round_detail(user=user, pk=pk)
    rows = paginate(request, selectors.round_sample_rows(user=user, round=round), PER_PAGE)
    selectors.attach_answers(round, rows.object_list)
    steps = allowed(ROUND_TRANSITIONS, user, round)
    return render(
        request,
        "satisfaction/round_detail.html",
        {
            "round": round,
            "page": rows,
            "rows": rows.object_list,
            "may_close": "close" in steps,
            "may_answer": "answer" in steps,
            "counts": selectors.round_counts(round),
            "events": round.events.select_related("actor"),
            "serves_customers": access.serves_customers(user),
        },
    )


@require_POST
@login_required
def round_close(request, pk):
    round = selectors.round_detail(user=request.user, pk=pk)
    # 403 for who may not close it, a message for a round closed meanwhile.
    flash(
        request,
        lambda: services.round_close(round=round, actor=request.user),
        _("Round closed; each manager has been asked for their analysis and measures."),
    )
    return redirect(round)


# Answers --------------------------------------------------------------------------------


@login_required
def answer_create(request, pk):
    """The answer form of one sampled customer (phone friendly)."""
    user = request.user
    sampled = get_object_or_404(access.sample_scope(user).select_related("customer"), pk=pk)
    round = Round.objects.select_related("version__questionnaire", "region").get(
        pk=sampled.round_id
    )
    existing = round.answers.filter(customer_id=sampled.customer_id).first()
    if existing is not None and access.answer_scope(user).filter(pk=existing.pk).exists():
        messages.info(request, services.already_answered_message())
        return redirect(existing)
    steps = allowed(ROUND_TRANSITIONS, user, round)
    if "answer" not in steps or not access.may_answer_for(user, sampled.customer):
        if round.status != Round.Status.OPEN:
            messages.error(request, _("This round is closed: no more answers."))
            return redirect(round)
        raise PermissionDenied
    questions = list(round.version.questions.all())
    form = forms.answer_form_class(questions)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answer = apply(
            form,
            lambda: services.answer_record(
                round=round,
                customer=sampled.customer,
                actor=user,
                values=forms.answer_values(form, questions),
                comment=form.cleaned_data.get("comment", ""),
            ),
        )
        if answer is not None:
            messages.success(
                request, _("Answer of %(name)s recorded.") % {"name": sampled.customer}
            )
            return redirect(round)
    fields = [(question, form[f"q{question.pk}"]) for question in questions]
    return render(
        request,
        "satisfaction/answer_form.html",
        {
            "round": round,
            "sampled": sampled,
            "form": form,
            "fields": fields,
            "score_kind": Question.Kind.SCORE,
            "choice_kind": Question.Kind.CHOICE,
            "via_manager": not access.serves_customers(user),
        },
    )


@login_required
def answer_detail(request, pk):
    answer = selectors.answer_detail(user=request.user, pk=pk)
    return render(request, "satisfaction/answer_detail.html", {"answer": answer})


# The index ------------------------------------------------------------------------------


def _index_choices(user):
    """The regions and managers ``user`` may pick on the index page."""
    subjects = access.index_subjects(user)
    managers = User.objects.filter(role=User.Role.MANAGER).order_by("username")
    if subjects["every_region"]:
        return Region.objects.order_by("code"), managers
    if subjects["manager_id"] is not None:
        return Region.objects.none(), managers.filter(pk=user.pk)
    return Region.objects.filter(pk=user.region_id), user_scope(user, managers)


@reads_index
def index_page(request):
    user = request.user
    subjects = access.index_subjects(user)
    regions, managers = _index_choices(user)
    form = forms.IndexFilterForm(request.GET or None, regions=regions, managers=managers)
    # Only the choices the user has: a regional manager's region is implied, a
    # manager reads their own index.
    if not subjects["every_region"]:
        del form.fields["region"]
    if subjects["manager_id"] is not None:
        del form.fields["manager"]
    data = form.cleaned_data if form.is_valid() else {}
    if form.is_bound and form.errors:
        for error in form.errors.values():
            messages.error(request, error[0])
    manager = data.get("manager")
    region = data.get("region")
    if subjects["manager_id"] is not None:
        manager = user
    elif not subjects["every_region"]:
        region = region or Region.objects.get(pk=user.region_id)
    if manager is not None:
        region = None
    scope = {
        "manager_id": manager.pk if manager else None,
        "region_id": region.pk if region else None,
    }
    month = (
        data.get("month")
        or selectors.latest_month(**scope)
        or months.month_start(timezone.localdate())
    )
    form.initial["month"] = month
    trend = selectors.index_trend(month=month, **scope)
    breakdown = []
    if manager is None:
        if region is None:
            by = selectors.index_by(month=month, by="region")
            names = {r.pk: r for r in Region.objects.filter(pk__in=by)}
            breakdown = [(names[key], value) for key, value in by.items()]
        else:
            by = selectors.index_by(month=month, by="manager", region_id=region.pk)
            names = {m.pk: m for m in User.objects.filter(pk__in=by)}
            breakdown = [(names[key], value) for key, value in by.items()]
        breakdown.sort(key=lambda row: str(row[0]))
    return render(
        request,
        "satisfaction/index.html",
        {
            "form": form,
            "month": month,
            "subject": manager or region,
            "index": trend[-1][1],
            "trend": trend,
            "chart": {
                "labels": [f"{point:%Y-%m}" for point, _value in trend],
                "values": [float(value.value) if value.shown else None for _p, value in trend],
                "answers": [value.answers for _p, value in trend],
            },
            "lowest": selectors.lowest_questions(month=month, **scope),
            "breakdown": breakdown,
            "breakdown_by_region": manager is None and region is None,
            "minimum": selectors.minimum_answers(),
        },
    )


# Measures -------------------------------------------------------------------------------


@takes_part
def measure_list(request):
    page = paginate(request, selectors.measure_list(user=request.user), PER_PAGE)
    return render(
        request, "satisfaction/measure_list.html", {"page": page, "measures": page.object_list}
    )


def _measure_page(request, measure, *, write_form=None, comment_form=None, status=200):
    user = request.user
    steps = allowed(MEASURE_TRANSITIONS, user, measure)
    if "write" in steps and write_form is None:
        write_form = forms.MeasureWriteForm(instance=measure)
    if "comment" in steps and comment_form is None:
        comment_form = forms.MeasureCommentForm(initial={"comment": measure.comment})
    index = selectors.index(month=measure.round.month, manager_id=measure.manager_id)
    return render(
        request,
        "satisfaction/measure_detail.html",
        {
            "measure": measure,
            "index": index,
            "lowest": selectors.lowest_questions(
                month=measure.round.month, manager_id=measure.manager_id
            ),
            "write_form": write_form if "write" in steps else None,
            "comment_form": comment_form if "comment" in steps else None,
            "events": measure.events.select_related("actor"),
        },
        status=status,
    )


@login_required
def measure_detail(request, pk):
    measure = selectors.measure_detail(user=request.user, pk=pk)
    return _measure_page(request, measure)


@require_POST
@login_required
def measure_write(request, pk):
    measure = selectors.measure_detail(user=request.user, pk=pk)
    if not access.may_write_measure(request.user, measure):
        raise PermissionDenied
    form = forms.MeasureWriteForm(request.POST, instance=measure)
    if form.is_valid():
        written = apply(
            form,
            lambda: services.measure_write(
                measure=measure,
                actor=request.user,
                analysis=form.cleaned_data["analysis"],
                measures=form.cleaned_data["measures"],
            ),
        )
        if written is not None:
            messages.success(request, _("Analysis and measures saved."))
            return redirect(written)
    measure.refresh_from_db()
    return _measure_page(request, measure, write_form=form, status=400)


@require_POST
@login_required
def measure_comment(request, pk):
    measure = selectors.measure_detail(user=request.user, pk=pk)
    if not access.may_comment_measure(request.user, measure):
        raise PermissionDenied
    form = forms.MeasureCommentForm(request.POST)
    if form.is_valid():
        done = apply(
            form,
            lambda: services.measure_comment(
                measure=measure, actor=request.user, comment=form.cleaned_data["comment"]
            ),
        )
        if done is not None:
            messages.success(request, _("Comment saved."))
            return redirect(done)
    return _measure_page(request, measure, comment_form=form, status=400)


# Questionnaires (the admin's) ------------------------------------------------------------


@admin_required
def questionnaire_list(request):
    questionnaires = Questionnaire.objects.prefetch_related("versions").order_by("name")
    return render(
        request, "satisfaction/questionnaire_list.html", {"questionnaires": questionnaires}
    )


def _questionnaire_form(request, questionnaire=None):
    user = request.user
    if questionnaire is None:
        initial, questions = (
            {"is_active": True},
            [{"kind": Question.Kind.SCORE, "weight": 1, "required": True}],
        )
    else:
        initial = {
            "name": questionnaire.name,
            "description": questionnaire.description,
            "is_active": questionnaire.is_active,
        }
        questions = forms.questions_initial(questionnaire.current_version())
    form = forms.QuestionnaireForm(request.POST or None, initial=initial)
    formset = forms.QuestionFormSet(request.POST or None, initial=questions, prefix="questions")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data

        def save():
            if questionnaire is None:
                return services.questionnaire_create(
                    actor=user,
                    name=data["name"],
                    description=data["description"],
                    questions=forms.questions_from(formset),
                )
            return services.questionnaire_edit(
                questionnaire=questionnaire,
                actor=user,
                name=data["name"],
                description=data["description"],
                is_active=data["is_active"],
                questions=forms.questions_from(formset),
            )

        saved = apply(form, save)
        if saved is not None:
            messages.success(request, _("Questionnaire saved."))
            return redirect("satisfaction:questionnaire_list")
    return render(
        request,
        "satisfaction/questionnaire_form.html",
        {
            "form": form,
            "formset": formset,
            "questionnaire": questionnaire,
            "in_use": questionnaire is not None and questionnaire.current_version().in_use(),
        },
    )


@admin_required
def questionnaire_create(request):
    return _questionnaire_form(request)


@admin_required
def questionnaire_edit(request, pk):
    return _questionnaire_form(request, get_object_or_404(Questionnaire, pk=pk))
