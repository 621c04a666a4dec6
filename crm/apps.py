from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "crm"
    verbose_name = _("Customer archive")

    def ready(self):
        import crm.exports  # noqa: F401 - registers the lists' exports
        from core.notifications import add_channel
        from crm import robots

        add_channel(robots.deliver)

        from crm import kpis

        kpis.register_own()

        from crm.locations import latest_changes
        from crm.panels import Panel, register

        register(Panel("location", "crm/_customer_location.html", rows=latest_changes, order=50))
