"""The shared infrastructure: errors, audit trail, notifications, working days and
business dates, transitions, pagination, uploads, images, PDF and web helpers.

It imports no app of the product; every app may import it.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"
    verbose_name = _("Audit trail and notifications")

    def ready(self):
        from core import audit, business_dates, choice_labels, db_routing, forms, sessions

        audit.connect()
        sessions.connect()
        db_routing.connect()
        business_dates.limit_model_serializer_dates()
        forms.use_plain_unique_messages()
        choice_labels.connect()
