"""The province-scale generator at a small size: counts, distributions, idempotency."""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Sum
from django.utils import timezone

from complaints.models import Complaint
from crm.models import Customer, Region, SalesRecord, User
from demo import scale_data
from reports.models import MonthlyReport
from visits.models import Visit

TODAY = datetime.date(2026, 10, 14)
SIZE = {
    "customers": 400,
    "managers": 10,
    "regions": 2,
    "months": 13,
    "visits": 2000,
    "complaints": 40,
    "reports": 20,
    "seed": 7,
    "today": TODAY,
}


def _generate(**extra):
    scale_data.generate(**SIZE, **extra, progress=lambda message: None)


@pytest.fixture
def generated(db):
    _generate()


def test_counts(generated):
    customers = Customer.objects.filter(scale_data.GENERATED_CUSTOMERS)
    assert customers.count() == 400
    assert Region.objects.filter(code__startswith="SR").count() == 2
    assert User.objects.filter(role=User.Role.MANAGER, username__startswith="s_mgr_").count() == 10
    assert User.objects.filter(role=User.Role.REGIONAL_MANAGER).count() == 2
    assert Visit.objects.count() == 2000
    assert Complaint.objects.count() == 40
    assert MonthlyReport.objects.count() == 20
    # 13 months per customer, less some months of customers that left the network.
    assert 400 * 12 <= SalesRecord.objects.count() <= 400 * 13
    months = SalesRecord.objects.values_list("month", flat=True).distinct()
    assert max(months) == datetime.date(2026, 9, 1)
    assert min(months) == datetime.date(2025, 9, 1)
    # Reports leave last month to the preparation job.
    assert not MonthlyReport.objects.filter(month=datetime.date(2026, 9, 1)).exists()


def test_known_password(generated):
    user = User.objects.get(username="s_mgr_0001")
    assert user.check_password(scale_data.PASSWORD)


def test_grade_shares_near_the_spec(generated):
    counts = Counter(
        Customer.objects.filter(scale_data.GENERATED_CUSTOMERS).values_list(
            "grade__code", flat=True
        )
    )
    for code, share in scale_data.GRADE_SHARES.items():
        assert abs(counts[code] / 400 * 100 - share) < 5, (code, counts)
    assert counts["A1"] < counts["B2"]


def test_customers_are_in_their_managers_region(generated):
    mismatched = Customer.objects.filter(scale_data.GENERATED_CUSTOMERS).exclude(
        region_id=F("manager__region_id")
    )
    assert not mismatched.exists()
    per_manager = Counter(
        Customer.objects.filter(scale_data.GENERATED_CUSTOMERS).values_list("manager_id", flat=True)
    )
    assert set(per_manager.values()) == {40}
    # Visits are made by the customer's manager.
    assert not Visit.objects.exclude(manager_id=F("customer__manager_id")).exists()


def test_visits_rise_with_grade_frequency(generated):
    visits = defaultdict(list)
    rows = Customer.objects.filter(scale_data.GENERATED_CUSTOMERS).annotate(n=Count("visits"))
    for code, count in rows.values_list("grade__code", "n"):
        visits[code].append(count)
    mean = {code: sum(values) / len(values) for code, values in visits.items()}
    assert mean["A1"] > mean["B1"] > mean["B2"] > mean["D"]
    assert mean["A1"] > 3 * mean["D"]
    # All within the last year, on working days.
    days = Visit.objects.values_list("arrived_at", flat=True)
    assert all(d.date() >= TODAY - datetime.timedelta(days=366) for d in days)
    assert all(timezone.localtime(d).weekday() < 5 for d in days)


def test_sales_are_seasonal_and_follow_grades(generated):
    by_month = dict(
        SalesRecord.objects.values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
    )
    # January (Spring Festival) above March.
    january, march = by_month[datetime.date(2026, 1, 1)], by_month[datetime.date(2026, 3, 1)]
    assert january > march * Decimal("1.2")
    annual = dict(
        Customer.objects.filter(scale_data.GENERATED_CUSTOMERS, grade__code__in=["A1", "D"])
        .values("grade__code")
        .annotate(total=Sum("sales__amount"))
        .values_list("grade__code", "total")
    )
    assert annual["A1"] > annual["D"]


def test_deterministic_for_a_seed(db):
    _generate()
    first = list(Customer.objects.order_by("code").values_list("code", "name", "grade_id")[:50])
    visits = Visit.objects.count()
    _generate(reset=True)
    assert (
        list(Customer.objects.order_by("code").values_list("code", "name", "grade_id")[:50])
        == first
    )
    assert Visit.objects.count() == visits


def test_refuses_to_run_twice_without_reset(generated):
    with pytest.raises(CommandError, match="--reset"):
        call_command("generate_scale_data", "--customers", "10", "--managers", "2")


def test_reset_leaves_other_data_alone(generated, manager):
    from tests import factories

    mine = factories.CustomerFactory(manager=manager, region=manager.region)
    _generate(reset=True)
    assert Customer.objects.filter(pk=mine.pk).exists()
    assert User.objects.filter(pk=manager.pk).exists()
    assert Customer.objects.filter(scale_data.GENERATED_CUSTOMERS).count() == 400


def test_exited_customers_have_their_exit_in_the_network_history(generated):
    from crm.models import NetworkStatusChange

    exited = Customer.objects.filter(
        scale_data.GENERATED_CUSTOMERS, network_status=Customer.NetworkStatus.EXITED
    )
    assert exited.exists()
    rows = NetworkStatusChange.objects.filter(customer__in=exited)
    assert sorted(rows.values_list("customer_id", "date", "reason")) == sorted(
        exited.values_list("pk", "exited_on", "exit_reason")
    )
    # A reset deletes the history with the customers (it protects them otherwise).
    _generate(reset=True)
    assert not NetworkStatusChange.objects.exclude(
        customer__in=Customer.objects.filter(scale_data.GENERATED_CUSTOMERS)
    ).exists()
