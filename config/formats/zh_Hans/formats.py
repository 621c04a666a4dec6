"""Django's zh-hans formats, with digits grouped by thousands as on the users'
paper forms (12,345.60): Django's own leaves THOUSAND_SEPARATOR empty and groups
by four, so ``floatformat:"2g"`` and ``intcomma`` printed 12345.60 in Chinese."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
