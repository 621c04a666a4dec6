from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "crm"
    verbose_name = _("Customer archive")

    def ready(self):
        from crm import audit, business_dates, sessions

        audit.connect()
        sessions.connect()
        business_dates.limit_model_serializer_dates()
