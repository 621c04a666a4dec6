"""Satisfaction answers as an export (core.exports): the API's AnswerFilter over the
user's answer scope (the service centre, managers, regional managers and admins
each see what ``satisfaction.access`` gives them); registered in
``SatisfactionConfig.ready``."""

from django.utils.translation import gettext_lazy as _

from core.exports import DATE, DATETIME, DECIMAL, INT, Column, Export, register
from satisfaction import selectors
from satisfaction.filters import AnswerFilter
from satisfaction.models import Answer


def _answers(user, params, request):
    return AnswerFilter(params, queryset=selectors.answer_list(user=user), request=request)


ANSWERS = register(
    Export(
        name="satisfaction-answers",
        title=_("Satisfaction answers"),
        page="satisfaction:round_list",
        filtered=_answers,
        columns=[
            Column(_("Number"), "pk", INT),
            Column(_("Round id"), "round_id", INT),
            Column(_("Month"), "month", DATE),
            Column(_("Customer code"), "customer.code"),
            Column(_("Customer"), "customer.name"),
            Column(_("Customer manager"), "manager"),
            Column(_("Recorded"), "channel", choices=Answer.Channel.choices),
            Column(_("Recorded by"), "recorded_by"),
            Column(_("Recorded at"), "recorded_at", DATETIME),
            Column(_("Index"), "index", DECIMAL),
            Column(_("Comment"), "comment"),
        ],
    )
)
