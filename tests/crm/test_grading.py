import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import DomainError
from crm import services
from crm.models import Customer, Grade, GradeChange, RegradingRun
from tests import factories

pytestmark = pytest.mark.django_db


def buy(customer, total, months=12, last=datetime.date(2026, 10, 1)):
    """Spread ``total`` purchases over the ``months`` months up to ``last``."""
    month_index = last.year * 12 + last.month - 1
    for offset in range(months):
        index = month_index - offset
        factories.SalesRecordFactory(
            customer=customer,
            month=datetime.date(index // 12, index % 12 + 1, 1),
            amount=Decimal(total) / months,
        )


@pytest.mark.parametrize(
    "amount, expected",
    [
        ("600000", "A1"),
        ("500000", "A1"),
        ("499999", "A2"),
        ("120000", "B1"),
        ("25000", "B2"),
        ("15000", "C"),
        ("0", "D"),
    ],
)
def test_grade_for_amount_follows_the_scheme(amount, expected):
    grades = list(Grade.objects.order_by("rank"))
    assert services.grade_for_amount(grades, Decimal(amount)).code == expected


def test_a_gap_in_the_scheme_falls_to_the_best_grade_reached():
    Grade.objects.filter(code="B1").update(max_annual_amount=Decimal("100000"))
    grades = list(Grade.objects.order_by("rank"))
    assert services.grade_for_amount(grades, Decimal("150000")).code == "B1"


class TestRegrading:
    def test_proposes_only_changes_from_the_last_twelve_months(self, admin_user, manager):
        rising = factories.CustomerFactory(manager=manager, grade=factories.grade("B2"))
        steady = factories.CustomerFactory(manager=manager, grade=factories.grade("B2"))
        buy(rising, "240000")
        buy(steady, "30000")
        # A purchase older than the 12 months counts for nothing.
        factories.SalesRecordFactory(
            customer=steady, month=datetime.date(2025, 10, 1), amount=900000
        )
        run = services.regrading_propose(actor=admin_user, as_of=datetime.date(2026, 11, 22))
        assert (run.period_start, run.period_end) == (
            datetime.date(2025, 11, 1),
            datetime.date(2026, 10, 1),
        )
        proposals = list(run.proposals.all())
        assert [(p.customer, p.old_grade.code, p.new_grade.code) for p in proposals] == [
            (rising, "B2", "A2")
        ]
        assert proposals[0].annual_amount == Decimal("240000.00")

    def test_exited_customers_are_not_regraded(self, admin_user, manager):
        gone = factories.CustomerFactory(
            manager=manager,
            network_status=Customer.NetworkStatus.EXITED,
            exited_on=datetime.date(2026, 1, 1),
            exit_reason="停业",
        )
        run = services.regrading_propose(actor=admin_user, as_of=datetime.date(2026, 11, 22))
        assert not run.proposals.filter(customer=gone).exists()

    def test_apply_selected_records_history_once(self, admin_user, manager):
        first = factories.CustomerFactory(manager=manager)
        second = factories.CustomerFactory(manager=manager)
        buy(first, "600000")
        buy(second, "600000")
        run = services.regrading_propose(actor=admin_user, as_of=datetime.date(2026, 11, 22))
        chosen = run.proposals.get(customer=first)
        services.regrading_apply(run=run, actor=admin_user, proposal_ids=[chosen.pk])
        first.refresh_from_db()
        second.refresh_from_db()
        assert (first.grade.code, second.grade.code) == ("A1", "B2")
        change = GradeChange.objects.get()
        assert (change.customer, change.changed_by, change.source) == (
            first,
            admin_user,
            "regrading",
        )
        assert "2025-11" in change.reason and "600,000.00" in change.reason
        with pytest.raises(DomainError):
            services.regrading_apply(run=run, actor=admin_user)
        assert GradeChange.objects.count() == 1
        assert RegradingRun.objects.get().status == RegradingRun.Status.APPLIED

    @pytest.mark.parametrize("persona", ["manager", "regional_manager"])
    def test_only_admins_run_it(self, request, persona):
        with pytest.raises(PermissionDenied):
            services.regrading_propose(actor=request.getfixturevalue(persona))


class TestAssignment:
    def test_regional_manager_cannot_reassign_to_another_region(
        self, regional_manager, customer, outsider
    ):
        with pytest.raises(Exception) as excinfo:
            services.customer_reassign(
                customer=customer, actor=regional_manager, manager=outsider, reason="x"
            )
        assert "manager" in str(excinfo.value)
        customer.refresh_from_db()
        assert customer.manager.username == "manager"
        assert not customer.assignments.exists()

    def test_admin_moves_customer_to_another_region(
        self, admin_user, customer, outsider, other_region
    ):
        moved = services.customer_reassign(
            customer=customer,
            actor=admin_user,
            manager=outsider,
            region=other_region,
            reason="区域调整",
        )
        assert (moved.region, moved.manager) == (other_region, outsider)
        assert moved.assigned_at is not None
        assert customer.assignments.get().from_manager.username == "manager"

    def test_other_regional_manager_may_not_supervise(self, other_regional_manager, customer):
        with pytest.raises(PermissionDenied):
            services.customer_change_grade(
                customer=customer,
                actor=other_regional_manager,
                grade=factories.grade("D"),
                reason="x",
            )
