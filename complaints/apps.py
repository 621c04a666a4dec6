from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "complaints"
    verbose_name = _("Quality complaints")

    def ready(self):
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
