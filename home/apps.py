"""The home page, its work queue and the pages over the shared records."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = _("Home")

    def ready(self):
        import home.exports  # noqa: F401 - registers the audit trail's export
