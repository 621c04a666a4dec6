from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _close_open_visits(sender, *, customer, previous_manager, new_manager, actor, reason, **kw):
    from visits.services import visits as visit_services

    visit_services.visits_close_on_reassignment(
        customer=customer,
        previous_manager=previous_manager,
        new_manager=new_manager,
        actor=actor,
        reason=reason,
    )


def _latest_visits(user, customer):
    from visits.access import customer_visit_scope
    from visits.selectors import with_correction_marks

    visits = customer_visit_scope(user, customer).select_related("manager")
    return list(with_correction_marks(visits).order_by("-arrived_at")[:5])


class VisitsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "visits"
    verbose_name = _("Visits")

    def ready(self):
        import visits.exports  # noqa: F401 - registers the lists' exports
        from crm import opinions
        from crm.navigation import (
            ADMIN,
            ADMINISTRATION,
            MANAGER,
            MORE,
            REGIONAL_MANAGER,
            NavItem,
            register,
        )
        from crm.panels import Panel
        from crm.panels import register as register_panel
        from crm.services import customer_reassigned
        from visits import kpis
        from visits.selectors import month_suggestions, month_visit_opinions

        kpis.register()
        opinions.register("suggestion", month_suggestions)
        opinions.register("visit", month_visit_opinions)
        register_panel(
            Panel("visits", "visits/_customer_visits.html", rows=_latest_visits, order=10)
        )
        customer_reassigned.connect(_close_open_visits, dispatch_uid="visits-close-on-reassign")

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
            NavItem("visits:field", _("In the field"), "phone", {MANAGER}, 59, group=MORE),
            NavItem(
                "visits:customer_cards",
                _("Customer cards"),
                "person-vcard",
                {MANAGER},
                60,
                group=MORE,
            ),
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
            NavItem(
                "visits:locations",
                _("Shop locations"),
                "pin-map",
                {ADMIN},
                88,
                group=ADMINISTRATION,
            ),
        ):
            register(item)
