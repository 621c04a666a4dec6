from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Monthly reports")

    def ready(self):
        import reports.exports  # noqa: F401 - registers the list's export
        from reports import kpis

        kpis.register()
        from crm.navigation import ADMIN, MANAGER, MORE, REGIONAL_MANAGER, NavItem, register

        register(
            NavItem(
                "reports:report_list", _("Monthly reports"), "file-earmark-bar-graph", {MANAGER}, 40
            )
        )
        register(
            NavItem(
                "reports:month",
                _("Month overview"),
                "file-earmark-bar-graph",
                {REGIONAL_MANAGER, ADMIN},
                40,
            )
        )
        register(
            NavItem(
                "reports:report_list",
                _("Report list"),
                "list-ul",
                {REGIONAL_MANAGER, ADMIN},
                67,
                group=MORE,
            )
        )
