"""What the satisfaction app adds to the registries of ``crm``: the bar's entries,
the customer page's panel and the monthly report's section c) note."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm import report_notes
from crm.navigation import ADMIN, MANAGER, MORE, REGIONAL_MANAGER, NavItem, register
from crm.panels import Panel
from crm.panels import register as register_panel

SERVICE_CENTRE = "service_centre"
EVERYONE = {MANAGER, REGIONAL_MANAGER, ADMIN, SERVICE_CENTRE}


def _customer_answers(user, customer):
    from satisfaction.selectors import answer_list

    # One customer's answers: joined, not the manager's customers read first.
    return list(answer_list(user=user, customer=customer)[:5])


def _report_note(month, manager_ids):
    """Section c): the manager's latest satisfaction index and their latest measures."""
    from satisfaction.selectors import for_report

    notes = {}
    for manager_id, row in for_report(month, manager_ids).items():
        lines = []
        index = row["index"]
        if index is not None:
            if index.shown:
                lines.append(
                    _("Satisfaction index %(month)s: %(value)s (%(answers)d answers)")
                    % {
                        "month": f"{row['month']:%Y-%m}",
                        "value": index.value,
                        "answers": index.answers,
                    }
                )
            else:
                lines.append(
                    _(
                        "Satisfaction %(month)s: %(answers)d answers, fewer than the %(minimum)d "
                        "an index is shown from"
                    )
                    % {
                        "month": f"{row['month']:%Y-%m}",
                        "answers": index.answers,
                        "minimum": index.minimum,
                    }
                )
        measure = row["measure"]
        if measure is not None:
            if measure.analysis:
                lines.append(_("Analysis: %(text)s") % {"text": measure.analysis})
            lines.append(_("Measures: %(text)s") % {"text": measure.measures})
        notes[manager_id] = {
            "kind": "satisfaction",
            "title": _("Customer satisfaction"),
            "lines": lines,
            "url": measure.get_absolute_url() if measure is not None else "",
        }
    return notes


def register_all():
    for item in (
        NavItem("home", gettext_lazy("Home"), "house", {SERVICE_CENTRE}, 0, match_prefix=False),
        NavItem("customer_list", gettext_lazy("Customers"), "people", {SERVICE_CENTRE}, 10),
        # The service centre's own pages; the others find them under "More".
        NavItem(
            "satisfaction:round_list",
            gettext_lazy("Satisfaction"),
            "emoji-smile",
            {SERVICE_CENTRE},
            45,
        ),
        NavItem(
            "satisfaction:round_list",
            gettext_lazy("Satisfaction"),
            "emoji-smile",
            EVERYONE - {SERVICE_CENTRE},
            64,
            group=MORE,
        ),
        NavItem(
            "satisfaction:questionnaire_list",
            gettext_lazy("Questionnaires"),
            "ui-checks",
            {ADMIN},
            87,
            group=gettext_lazy("Administration"),
        ),
    ):
        register(item)
    register_panel(
        Panel(
            "satisfaction",
            "satisfaction/_customer_answers.html",
            rows=_customer_answers,
            order=40,
        )
    )
    report_notes.register("satisfaction", _report_note)

    # The index on the home dashboards and /api/kpis/ (crm.kpis registry).
    from satisfaction import kpis

    kpis.register()
