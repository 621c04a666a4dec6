from rest_framework import pagination

from crm.pagination import EstimatedCountPaginator, KeysFirstPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class BigTablePagination(PageNumberPagination):
    """For the big tables (customers, sales, visits): the whole table is not
    counted, and deep pages read their keys first (see crm.pagination)."""

    django_paginator_class = EstimatedCountPaginator


class KeysFirstPagination(PageNumberPagination):
    """For lists sorted after their joins: the page's keys first, then its rows."""

    django_paginator_class = KeysFirstPaginator
