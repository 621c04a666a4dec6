"""The entries of the navigation bar, by role.

Apps add their pages from ``AppConfig.ready()``::

    from crm.navigation import NavItem, register

    register(NavItem("visit_list", _("Visits"), icon="calendar-check", roles={"manager"}, order=30))

Entries are kept in ``order``; the bar shows those whose ``roles`` hold the
user's role (``"admin"`` covers superusers too).
"""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The roles are crm.access's: the bar shows an entry to whoever ``role_of`` names.
from crm.access import ADMIN, MANAGER, REGIONAL_MANAGER, role_of


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    icon: str = "circle"
    roles: frozenset = field(default_factory=frozenset)
    order: int = 100
    # The page is active for every path under its URL (not for the home page).
    match_prefix: bool = True
    # Entries with the same group label show together in one drop-down menu.
    group: str = ""
    # A further condition on the user (None: the role is enough).
    when: object = None

    def __post_init__(self):
        object.__setattr__(self, "roles", frozenset(self.roles))


_items = []


def register(item):
    """Add an entry; registering the same URL name for the same roles twice adds it once."""
    if any(entry.url_name == item.url_name and entry.roles == item.roles for entry in _items):
        return
    _items.append(item)
    _items.sort(key=lambda entry: entry.order)


def items_for(user, path):
    """The entries ``user`` sees, each as a dict with its URL and whether it is active.

    Grouped entries come as one dict with ``children`` (a drop-down menu),
    placed where the group's first entry is.
    """
    role = role_of(user)
    entries = []
    groups = {}
    for item in _items:
        if role not in item.roles or (item.when is not None and not item.when(user)):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = path == url or (item.match_prefix and url != "/" and path.startswith(url))
        entry = {"url": url, "label": item.label, "icon": item.icon, "active": active}
        if not item.group:
            entries.append(entry)
            continue
        key = str(item.group)
        if key not in groups:
            groups[key] = {
                "label": item.group,
                "icon": "three-dots",
                "children": [],
                "active": False,
            }
            entries.append(groups[key])
        groups[key]["children"].append(entry)
        groups[key]["active"] = groups[key]["active"] or active
    return entries


# Group labels: drop-down menus of the bar.
MORE = _("More")
ADMINISTRATION = _("Administration")

for _item in (
    NavItem("home", _("Home"), "house", {MANAGER, REGIONAL_MANAGER}, 0, match_prefix=False),
    NavItem("customer_list", _("My customers"), "people", {MANAGER}, 10),
    NavItem("customer_list", _("Region's customers"), "people", {REGIONAL_MANAGER}, 10),
    NavItem("customer_list", _("Customer archive"), "people", {ADMIN}, 10),
    NavItem("sales_import", _("Sales import"), "upload", {MANAGER}, 65, group=MORE),
    NavItem("sales_list", _("Sales records"), "table", {MANAGER, REGIONAL_MANAGER}, 66, group=MORE),
    # The regional manager confirms the downgrades of their region.
    NavItem("regrading_list", _("Regrading"), "arrow-repeat", {REGIONAL_MANAGER}, 67, group=MORE),
    NavItem(
        "grade_list", _("Grading scheme"), "bar-chart-steps", {ADMIN}, 81, group=ADMINISTRATION
    ),
    NavItem("regrading_list", _("Regrading"), "arrow-repeat", {ADMIN}, 82, group=ADMINISTRATION),
    NavItem("sales_import", _("Sales import"), "upload", {ADMIN}, 83, group=ADMINISTRATION),
    NavItem("sales_list", _("Sales records"), "table", {ADMIN}, 84, group=ADMINISTRATION),
    NavItem("calendar", _("Working calendar"), "calendar3", {ADMIN}, 85, group=ADMINISTRATION),
    NavItem("reminder_settings", _("Reminder settings"), "bell", {ADMIN}, 87, group=ADMINISTRATION),
    NavItem("robot_list", _("Group robots"), "robot", {ADMIN}, 88, group=ADMINISTRATION),
    NavItem("user_list", _("Users"), "person-gear", {ADMIN}, 89, group=ADMINISTRATION),
    NavItem("region_list", _("Regions"), "geo-alt", {ADMIN}, 90, group=ADMINISTRATION),
    NavItem("audit_list", _("Audit trail"), "journal-text", {ADMIN}, 91, group=ADMINISTRATION),
    # The Django admin is for superusers only (core.admin); admins have the pages above.
    NavItem(
        "admin:index",
        _("Django admin"),
        "gear",
        {ADMIN},
        99,
        group=ADMINISTRATION,
        when=lambda user: user.is_superuser,
    ),
):
    register(_item)
