"""Section c) material: what customers said in the month, as ``crm.opinions`` collects it."""

from django.utils.translation import gettext as _

from crm import opinions


def opinion_sources(month, managers):
    """``{manager_id: [item, ...]}``: what the apps registered in ``crm.opinions`` contribute
    (complaints, suggestions and visit opinions), one query per source."""
    return opinions.of_month(month, [manager.pk for manager in managers])


def opinions_text(sources):
    """The prefilled text of section c), one line per item."""
    if not sources:
        return _("No complaints or suggestions were recorded this month.")
    labels = {
        "complaint": _("Complaint"),
        "suggestion": _("Suggestion"),
        "visit": _("Visit"),
    }
    lines = []
    for row in sources:
        line = f"{row['date']} {row['customer']} [{labels.get(row['kind'], '')}] {row['text']}"
        if row["result"]:
            line += " — " + _("Result: %(result)s") % {"result": row["result"]}
        lines.append(line)
    return "\n".join(lines)
