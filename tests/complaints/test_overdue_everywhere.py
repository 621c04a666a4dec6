"""One meaning of "overdue complaint" and "awaiting decision", the same everywhere.

A complaint is overdue when it is not closed and its current step's deadline
has passed (``Complaint.objects.overdue``); it awaits a decision when it is
submitted (``Complaint.objects.awaiting_decision``). The badge, the lists'
filters (page and API), the home page's counts and the reminder job must name
the same forms.
"""

import datetime
import re

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import Complaint
from core.models import Notification
from tests import factories
from tests.complaints.conftest import make_complaint

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 10, 9)


@pytest.fixture
def complaints(travel, manager, customer, regional_manager, outsider, other_regional_manager):
    """Reported on 28 September: one still open, one waiting for the regional
    decision, one closed; one of another region open; one reported today."""
    travel("2026-09-28 10:00")
    world = {
        "open": make_complaint(manager, customer, stage="open"),
        "submitted": make_complaint(manager, customer, regional_manager, stage="submitted"),
        "closed": make_complaint(manager, customer, regional_manager, stage="closed"),
        "elsewhere": make_complaint(
            outsider, factories.CustomerFactory(manager=outsider, name="城西店"), stage="open"
        ),
    }
    travel("2026-10-09 10:00")
    world["fresh"] = make_complaint(manager, customer, stage="open")
    return world


def _numbers(page):
    return set(re.findall(r"QF\d{6}", page))


def _numbered(*complaints):
    return {complaint.number for complaint in complaints}


def test_the_rule(complaints):
    overdue = set(Complaint.objects.overdue(TODAY))
    assert overdue == {complaints["open"], complaints["submitted"], complaints["elsewhere"]}
    assert all(complaint.is_overdue(TODAY) for complaint in overdue)
    assert not complaints["closed"].is_overdue(TODAY)
    assert not complaints["fresh"].is_overdue(TODAY)
    assert set(Complaint.objects.awaiting_decision()) == {complaints["submitted"]}


def test_the_page_filter_and_badges_list_the_overdue(
    login, manager, regional_manager, admin_user, complaints
):
    url = reverse("complaints:list") + "?overdue=true"
    mine = login(manager).get(url).content.decode()
    region = login(regional_manager).get(url).content.decode()
    everyone = login(admin_user).get(url).content.decode()
    expected = _numbered(complaints["open"], complaints["submitted"])
    assert _numbers(mine) == expected
    assert mine.count("data-overdue") == 2
    assert _numbers(region) == expected
    assert _numbers(everyone) == expected | _numbered(complaints["elsewhere"])
    detail = login(manager).get(complaints["open"].get_absolute_url()).content.decode()
    assert "data-overdue" in detail
    fresh = login(manager).get(complaints["fresh"].get_absolute_url()).content.decode()
    assert "data-overdue" not in fresh


def test_the_api_filter_lists_the_overdue(api_login, regional_manager, admin_user, complaints):
    region = api_login(regional_manager).get("/api/complaints/?overdue=true").json()
    everyone = api_login(admin_user).get("/api/complaints/?overdue=true").json()
    assert {(row["id"], row["overdue"]) for row in region["results"]} == {
        (complaints["open"].pk, True),
        (complaints["submitted"].pk, True),
    }
    assert {row["id"] for row in everyone["results"]} == {
        complaints[key].pk for key in ("open", "submitted", "elsewhere")
    }


def test_the_home_page_counts_the_rows_its_links_list(
    login, manager, regional_manager, admin_user, complaints
):
    for user, overdue in ((manager, 2), (regional_manager, 2), (admin_user, 3)):
        client = login(user)
        items = {i["key"]: i for i in client.get(reverse("home")).context["work_queue"]}
        assert items["complaints_overdue"]["count"] == overdue, user.username
        listed = _numbers(client.get(items["complaints_overdue"]["url"]).content.decode())
        assert len(listed) == overdue
    client = login(regional_manager)
    items = {i["key"]: i for i in client.get(reverse("home")).context["work_queue"]}
    to_decide = items["complaints_to_decide"]
    assert to_decide["count"] == 1
    assert _numbers(client.get(to_decide["url"]).content.decode()) == _numbered(
        complaints["submitted"]
    )


def test_the_reminder_job_reminds_about_the_same_forms(
    manager, regional_manager, outsider, other_regional_manager, complaints
):
    assert services.complaints_send_overdue_reminders(day=TODAY) == 3
    reminded = {
        (n.user, int(n.key.split(":")[1]))
        for n in Notification.objects.filter(key__startswith="complaint-overdue:")
    }
    assert reminded == {
        (manager, complaints["open"].pk),
        (regional_manager, complaints["submitted"].pk),
        (outsider, complaints["elsewhere"].pk),
    }
    assert {pk for _user, pk in reminded} == set(
        Complaint.objects.overdue(TODAY).values_list("pk", flat=True)
    )
