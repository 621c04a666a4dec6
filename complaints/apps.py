from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _customer_complaints(user, customer):
    from complaints.selectors import complaints_for_customer

    return complaints_for_customer(user, customer, limit=5)


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "complaints"
    verbose_name = _("Quality complaints")

    def ready(self):
        import complaints.exports  # noqa: F401 - registers the list's export
        from complaints import kpis
        from complaints.selectors import month_opinions
        from crm import opinions
        from crm.panels import Panel
        from crm.panels import register as register_panel

        kpis.register()
        opinions.register("complaint", month_opinions)
        register_panel(
            Panel(
                "complaints",
                "complaints/_customer_complaints.html",
                rows=_customer_complaints,
                order=20,
            )
        )
        from crm.navigation import (
            ADMIN,
            ADMINISTRATION,
            MANAGER,
            REGIONAL_MANAGER,
            NavItem,
            register,
        )

        register(
            NavItem(
                "complaints:list",
                _("Complaints"),
                "clipboard2-pulse",
                {MANAGER, REGIONAL_MANAGER, ADMIN},
                30,
            )
        )
        register(
            NavItem(
                "complaints:settings",
                _("Complaint deadlines"),
                "hourglass-split",
                {ADMIN},
                86,
                group=ADMINISTRATION,
            )
        )
