from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SatisfactionConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "satisfaction"
    verbose_name = _("Customer satisfaction")

    def ready(self):
        import satisfaction.exports  # noqa: F401 - registers the answers' export
        from satisfaction import registrations

        registrations.register_all()
