from django.utils.translation import gettext_lazy as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from core.pagination import EstimatedCountPaginator, KeysFirstPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request):
        # DRF quietly used 50 for "page_size=abc" or "-1" and 200 for "100000":
        # the client got another page than it asked for and was not told.
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return int(value)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            elif parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


class BigTablePagination(PageNumberPagination):
    """For the big tables (customers, sales, visits): the whole table is not
    counted, and deep pages read their keys first (see core.pagination)."""

    django_paginator_class = EstimatedCountPaginator


class KeysFirstPagination(PageNumberPagination):
    """For lists sorted after their joins: the page's keys first, then its rows."""

    django_paginator_class = KeysFirstPaginator
