from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "visits"
    verbose_name = _("Visits")

    def ready(self):
        from crm.navigation import ADMIN, MANAGER, MORE, REGIONAL_MANAGER, NavItem, register

        everyone = {MANAGER, REGIONAL_MANAGER, ADMIN}
        supervisors = {REGIONAL_MANAGER, ADMIN}
        for item in (
            NavItem("visits:schedule", _("My week"), "calendar-week", {MANAGER}, 20),
            NavItem(
                "visits:region_schedules",
                _("Region's schedules"),
                "calendar-week",
                {REGIONAL_MANAGER},
                20,
            ),
            NavItem("visits:visit_list", _("Visits"), "geo-alt", everyone, 22),
            NavItem(
                "visits:region_schedules", _("Schedules"), "calendar-week", {ADMIN}, 60, group=MORE
            ),
            NavItem(
                "visits:suggestion_list",
                _("Suggestions"),
                "chat-left-text",
                {MANAGER},
                61,
                group=MORE,
            ),
            NavItem(
                "visits:violation_list",
                _("Price violations"),
                "exclamation-triangle",
                supervisors,
                62,
                group=MORE,
            ),
            NavItem(
                "visits:promotion_list",
                _("Promotional materials"),
                "gift",
                {MANAGER, REGIONAL_MANAGER},
                63,
                group=MORE,
            ),
            NavItem(
                "visits:unlicensed_list",
                _("Unlicensed operation"),
                "shop",
                everyone,
                64,
                group=MORE,
            ),
            NavItem("visits:work_log_list", _("Work logs"), "journal", everyone, 64, group=MORE),
        ):
            register(item)
