"""A row's page by its id, as ``reverse(name, args=[pk])`` gives it, without
resolving the URL pattern again for every row.

A list page links each of its 50 rows once or twice; ``reverse`` costs about
40 µs a call (it rebuilds and checks the candidate against the pattern), a
tenth of a row's rendering. ``row_url`` reverses the pattern once with a
marker id, keeps what comes before and after it, and puts each row's id
between. Kept per script prefix (``FORCE_SCRIPT_NAME`` or a proxy's
``SCRIPT_NAME`` changes every link), and only for patterns whose one argument
is an ``<int:pk>``: anything else goes through ``reverse``.
"""

from functools import lru_cache

from django.urls import NoReverseMatch, get_script_prefix, reverse

# Digits no real id reaches (ids start at 1 and count up): it shows where the id goes.
_MARKER = 987654321098765432


@lru_cache(maxsize=256)
def _around(name, script_prefix):
    try:
        url = reverse(name, args=[_MARKER])
    except NoReverseMatch:  # a pattern the marker does not fit (a bounded number)
        return None
    before, marker, after = url.partition(str(_MARKER))
    if not marker or str(_MARKER) in after:
        return None
    return before, after


def row_url(name, pk):
    """``reverse(name, args=[pk])`` for an integer ``pk``."""
    if not isinstance(pk, int) or isinstance(pk, bool) or pk < 0:
        return reverse(name, args=[pk])
    around = _around(name, get_script_prefix())
    if around is None:
        return reverse(name, args=[pk])
    return f"{around[0]}{pk}{around[1]}"
