"""``{% export_buttons "visits" %}``: a list page's "Export XLSX / CSV" buttons, keeping
the filters on screen (the query without the page number). Keyword arguments, when
given, are the filters instead (a page whose choice is not in its query)."""

from django import template
from django.http import QueryDict
from django.urls import reverse

from core import exports

register = template.Library()


@register.inclusion_tag("core/_export_buttons.html", takes_context=True)
def export_buttons(context, name, **filters):
    if filters:
        query = QueryDict(mutable=True)
        query.update({key: value for key, value in filters.items() if value})
    else:
        query = exports.filter_params(context["request"].GET)
    encoded = query.urlencode()
    suffix = f"?{encoded}" if encoded else ""
    return {
        "links": [
            (file_format.upper(), reverse("export_list", args=[name, file_format]) + suffix)
            for file_format in exports.FORMATS
        ],
    }
