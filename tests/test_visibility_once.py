"""Visibility written once: each kind of row answers as its declaration says.

``crm.access`` holds the rule (``scope`` and ``supervises``); each kind of row
is an ``Access`` declaration built on it. The table below says, for the
manager's rows of the shared world (tests/world.py), who lists them, who opens
them (everyone else: exactly 404), who changes them and who decides on them.
The last tests grep the source: a role switch outside the access module fails.
"""

import re
from pathlib import Path

import pytest
from django.http import Http404

from complaints import access as complaints_access
from complaints.access import COMPLAINTS
from crm import access as crm_access
from crm.access import CUSTOMERS, IMPORTS, SALES, USERS, Access
from reports import access as reports_access
from reports.access import REPORTS
from tests.world import module_world
from visits import access as visits_access
from visits.access import (
    PROMOTIONS,
    SCHEDULES,
    SUGGESTIONS,
    UNLICENSED,
    VIOLATIONS,
    VISITS,
    WORK_LOGS,
)

pytestmark = pytest.mark.django_db
# Read-only checks: the world is built once for the module (tests/world.py).
world = module_world

PERSONAS = [
    "manager",
    "teammate",
    "outsider",
    "regional_manager",
    "other_regional_manager",
    "admin_user",
]
# The manager's rows are seen by them, their regional manager and admins.
SEEN = {"manager", "regional_manager", "admin_user"}
OWNER = {"manager"}
SUPERVISORS = {"regional_manager", "admin_user"}
NOBODY = set()

# world key: (declaration, who lists and opens, who changes, who decides)
TABLE = {
    "customer": (CUSTOMERS, SEEN, OWNER | SUPERVISORS, SUPERVISORS),
    "visit": (VISITS, SEEN, OWNER, NOBODY),
    "suggestion": (SUGGESTIONS, SEEN, OWNER, NOBODY),
    "violation": (VIOLATIONS, SEEN, OWNER, SUPERVISORS),
    "promotion": (PROMOTIONS, SEEN, OWNER, NOBODY),
    "schedule": (SCHEDULES, SEEN, OWNER, SUPERVISORS),
    "unlicensed": (UNLICENSED, SEEN, OWNER, SUPERVISORS),
    "work_log": (WORK_LOGS, SEEN, OWNER, SUPERVISORS),
    "complaint": (COMPLAINTS, SEEN, OWNER, SUPERVISORS),
    "report": (REPORTS, SEEN, OWNER, SUPERVISORS),
    "sales_record": (SALES, SEEN, OWNER, NOBODY),
    "sales_import": (IMPORTS, SEEN, NOBODY, NOBODY),
    "user": (USERS, SEEN, NOBODY, SUPERVISORS),
}


@pytest.mark.parametrize("key", TABLE)
def test_each_kind_of_row_answers_as_declared(request, world, key):
    declaration, seen, changes, decides = TABLE[key]
    obj = world[key]
    failures = []
    for persona in PERSONAS:
        user = request.getfixturevalue(persona)
        listed = declaration.scope(user).filter(pk=obj.pk).exists()
        try:
            declaration.get(user, obj.pk)
            opened = True
        except Http404:
            opened = False
        answer = {
            "lists": listed,
            "opens": opened,
            # Changing is only asked of rows one may open.
            "changes": opened and declaration.may_change(user, obj),
            "decides": opened and declaration.may_decide(user, obj),
        }
        wanted = {
            "lists": persona in seen,
            "opens": persona in seen,
            "changes": persona in changes,
            "decides": persona in decides,
        }
        if answer != wanted:
            failures.append(f"{persona}: {answer} (declared {wanted})")
    assert not failures, f"{key}:\n" + "\n".join(failures)


def test_the_list_trick_and_a_single_read_agree(request, world):
    """A manager's listing spells their customer ids out; reading one row joins
    the customer. Both must give the same answer."""
    for persona in ("manager", "teammate"):
        user = request.getfixturevalue(persona)
        listed = set(VISITS.scope(user, listing=True).values_list("pk", flat=True))
        joined = set(VISITS.scope(user, listing=False).values_list("pk", flat=True))
        assert listed == joined


def _declarations_with_authors():
    from satisfaction import access as satisfaction_access

    found = []
    for module in (visits_access, complaints_access, reports_access, satisfaction_access):
        for name, value in vars(module).items():
            if isinstance(value, Access) and value.customer and value.author:
                found.append(pytest.param(value, id=f"{module.__name__}.{name}"))
    return found


@pytest.mark.parametrize("declaration", _declarations_with_authors())
@pytest.mark.parametrize("persona", ["manager", "regional_manager"])
def test_a_list_of_customers_rows_or_rows_written_puts_no_or_across_the_join(
    request, world, declaration, persona
):
    """ "Their customers' rows or rows they wrote": joined to the customers, the
    "or" makes the database read the whole table for every count (a second at a
    million visits). A listing never puts an "or" across the join, and gives
    what reading rows one by one gives."""
    user = request.getfixturevalue(persona)
    listing = declaration.scope(user, listing=True)
    _assert_no_or_across_the_join(listing)
    joined = declaration.scope(user, listing=False)
    assert set(listing.values_list("pk", flat=True)) == set(joined.values_list("pk", flat=True))


def _assert_no_or_across_the_join(queryset):
    sql = str(queryset.order_by().values("pk").query)
    where = sql.split(" WHERE ", 1)[1] if " WHERE " in sql else ""
    joined = set(re.findall(r'"(\w+)"\."', where)) - {queryset.model._meta.db_table}
    assert not (joined and " OR " in where), where


def _declarations_with_regions_through_relations():
    from satisfaction import access as satisfaction_access

    found = []
    for module in (crm_access, visits_access, reports_access, satisfaction_access):
        for name, value in vars(module).items():
            if isinstance(value, Access) and any("__" in path for path in value.region):
                found.append(pytest.param(value, id=f"{module.__name__}.{name}"))
    return found


@pytest.mark.parametrize("declaration", _declarations_with_regions_through_relations())
def test_a_regional_managers_list_by_a_related_region_puts_no_or_across_the_join(
    world, regional_manager, declaration
):
    listing = declaration.scope(regional_manager, listing=True)
    _assert_no_or_across_the_join(listing)
    joined = declaration.scope(regional_manager, listing=False)
    assert set(listing.values_list("pk", flat=True)) == set(joined.values_list("pk", flat=True))


def test_a_regional_managers_own_row_about_another_region_stays_listed(
    regional_manager, other_region
):
    from tests import factories
    from visits.models import Visit

    elsewhere = factories.CustomerFactory(region=other_region)
    # Written by them when the customer was theirs (the services refuse it now).
    own = Visit.objects.create(
        customer=elsewhere,
        manager=regional_manager,
        kind="special",
        special_reason="x",
        arrived_at="2026-10-08T10:00:00+08:00",
    )
    listing = VISITS.scope(regional_manager, listing=True)
    _assert_no_or_across_the_join(listing)
    assert own.pk in set(listing.values_list("pk", flat=True))
    assert set(listing.values_list("pk", flat=True)) == set(
        VISITS.scope(regional_manager, listing=False).values_list("pk", flat=True)
    )


# Role switches ---------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent
APPS = ["accounts", "complaints", "crm", "reports", "visits"]
USER_ROLE = re.compile(
    r"\.(is_crm_admin|is_regional_manager|is_manager)\b|\buser\.role\s*(==|!=|in\b)"
)
# The named exceptions, each with its reason.
PYTHON_EXCEPTIONS = {
    "crm/access.py": "the access module: the one place that asks a user's role",
    "crm/models.py": "defines the role properties and checks a customer's manager is one",
    "demo/activity.py": "demo data picks its personas by role",
    "demo/management/commands/seed_demo.py": "demo data picks its personas by role",
}
# Templates still choose headings and columns by role (presentation, not who
# may see or change: that comes from the views, which ask crm.access).
TEMPLATE_EXCEPTIONS = {
    "complaints/complaint_list.html": "heading buttons and the manager column",
    "crm/customer_list.html": "heading and the region filter",
    "crm/sales_import.html": "a hint for non-admins",
    "home.html": "the sections of each role's home",
    "reports/region_month.html": "the admin's link to all regions",
    "reports/report_detail.html": "the breadcrumb of supervisors",
    "reports/report_list.html": "the manager and region columns",
    "visits/promotion_list.html": "the managers' hand-out button",
    "visits/schedule.html": "the managers' own week",
    "visits/unlicensed_list.html": "the reporters' button",
    "visits/visit_list.html": "the managers' special-visit button and the manager column",
    "visits/work_log_list.html": "the managers' write button and the author column",
}


def _hits(paths, pattern, root):
    found = {}
    for path in paths:
        text = path.read_text(encoding="utf-8")
        if pattern.search(text):
            found[str(path.relative_to(root))] = len(pattern.findall(text))
    return found


def test_no_role_switch_outside_the_access_module():
    paths = [
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    ]
    found = _hits(paths, USER_ROLE, ROOT)
    unexpected = sorted(set(found) - set(PYTHON_EXCEPTIONS))
    assert not unexpected, (
        "Ask crm.access (sees_all, leads_region, works_customers, is_supervisor, "
        f"supervises, by_role …) instead of the user's role in: {unexpected}"
    )


def test_templates_ask_no_role_for_permissions():
    template_root = ROOT / "templates"
    found = _hits(
        template_root.rglob("*.html"),
        re.compile(r"user\.(is_crm_admin|is_regional_manager|is_manager)\b"),
        template_root,
    )
    unexpected = sorted(set(found) - set(TEMPLATE_EXCEPTIONS))
    assert not unexpected, f"Pass what the user may do from the view instead: {unexpected}"
    assert all(TEMPLATE_EXCEPTIONS.values())
