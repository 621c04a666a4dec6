from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "crm"
    verbose_name = _("Customer archive")

    def ready(self):
        import crm.exports  # noqa: F401 - registers the lists' exports

        from crm import kpis

        kpis.register_own()
