import pytest
from django.core.management import call_command
from django.db.models import Count, F

from complaints.models import Complaint
from crm.models import Assignment, Customer, Region, SalesRecord, User
from reports.models import MonthlyReport
from visits.models import Visit

pytestmark = pytest.mark.django_db


def activity():
    return {
        "visits": dict(
            Visit.objects.values_list("status").annotate(n=Count("id")).order_by("status")
        ),
        "complaints": dict(
            Complaint.objects.values_list("status").annotate(n=Count("id")).order_by("status")
        ),
        "reports": dict(
            MonthlyReport.objects.values_list("status").annotate(n=Count("id")).order_by("status")
        ),
    }


def snapshot():
    return (
        activity(),
        list(
            Customer.objects.order_by("code").values_list(
                "code", "name", "grade__code", "manager__username"
            )
        ),
        list(
            SalesRecord.objects.order_by("customer__code", "month").values_list("amount", flat=True)
        ),
    )


def test_seed_demo_is_complete_deterministic_and_safe_twice():
    call_command("seed_demo")
    first = snapshot()
    call_command("seed_demo")
    assert snapshot() == first
    assert Region.objects.count() == 2
    assert User.objects.filter(role=User.Role.ADMIN).count() == 1
    assert User.objects.filter(role=User.Role.REGIONAL_MANAGER).count() == 2
    assert User.objects.filter(role=User.Role.MANAGER).count() == 6
    assert Customer.objects.count() == 300
    assert set(Customer.objects.values_list("grade__code", flat=True)) == {
        "A1",
        "A2",
        "B1",
        "B2",
        "C",
        "D",
    }
    assert SalesRecord.objects.dates("month", "month").count() == 13
    assert Assignment.objects.count() == 300
    # Every manager's customers are in the manager's region.
    assert not Customer.objects.exclude(region=F("manager__region")).exists()
    # Activity to look at: signed (locked) and open visits, complaints at
    # several steps, last month's reports in several states.
    made = activity()
    assert made["visits"]["locked"] >= 50
    assert made["visits"].get("in_progress", 0) >= 1
    assert {"open", "submitted", "rejected", "closed"} <= set(made["complaints"])
    assert {"draft", "submitted", "approved"} <= set(made["reports"])
