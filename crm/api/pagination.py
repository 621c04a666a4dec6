from rest_framework import pagination

from crm.pagination import EstimatedCountPaginator, KeysFirstPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """Page numbers; the whole of a big table is not counted (see crm.pagination)."""

    django_paginator_class = EstimatedCountPaginator
    page_size_query_param = "page_size"
    max_page_size = 200


class KeysFirstPagination(PageNumberPagination):
    """For lists sorted after their joins: the page's keys first, then its rows."""

    django_paginator_class = KeysFirstPaginator
