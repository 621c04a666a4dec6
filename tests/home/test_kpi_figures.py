"""Each KPI's definition on hand-made data, with the date frozen."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from complaints.models import ComplaintEvent
from crm import kpis
from crm.models import Customer, NetworkStatusChange
from reports.models import MonthlyReport
from tests import factories
from tests.factories import grade
from tests.visits.conftest import at, make_visit
from visits import kpis as visit_kpis
from visits.models import PlannedVisit, Visit, WeeklySchedule
from visits.selectors import customers_with_last_visit, due_date

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 25)  # a Wednesday


def _customer(manager, code, **fields):
    fields.setdefault("grade", grade("B2"))  # monthly: a 30-day interval
    return factories.CustomerFactory(manager=manager, code=code, **fields)


def test_coverage_counts_customers_visited_within_their_grade_interval(manager, teammate):
    weekly = _customer(manager, "W1", grade=grade("A1"))  # 7 days
    late_weekly = _customer(manager, "W2", grade=grade("A1"))
    monthly = _customer(manager, "M1")  # B2
    late_monthly = _customer(manager, "M2")
    never_old = _customer(manager, "N1")  # assigned long ago, never visited
    never_new = _customer(manager, "N2")  # assigned 3 days ago: still within 7 days
    exited = _customer(manager, "X1")
    Customer.objects.filter(pk=never_old.pk).update(
        assigned_at=at("2026-09-01 09:00"), created_at=at("2026-09-01 09:00")
    )
    Customer.objects.filter(pk=never_new.pk).update(assigned_at=at("2026-11-22 09:00"))
    make_visit(manager, weekly, arrived="2026-11-18 10:00")  # 7 days before: still in time
    make_visit(manager, late_weekly, arrived="2026-11-17 10:00")  # 8 days: lapsed
    make_visit(manager, monthly, arrived="2026-10-27 10:00")  # 29 days
    make_visit(manager, late_monthly, arrived="2026-10-20 10:00")  # 36 days
    make_visit(manager, exited, arrived="2026-11-20 10:00")
    Customer.objects.filter(pk=exited.pk).update(network_status=Customer.NetworkStatus.EXITED)
    _customer(teammate, "T1")

    with time_machine.travel(at("2026-11-25 09:00"), tick=False):
        figures = visit_kpis.coverage("manager", [manager.pk, teammate.pk], TODAY)
        # The same rule as the schedule's due dates, customer by customer.
        in_time = [
            c.code
            for c in customers_with_last_visit(Customer.objects.filter(manager=manager))
            if due_date(c) >= TODAY
        ]

    assert figures[manager.pk] == kpis.Ratio(3, 6)
    assert sorted(in_time) == ["M1", "N2", "W1"]
    assert figures[teammate.pk].total == 1
    by_region = visit_kpis.coverage("region", [manager.region_id], TODAY)
    assert by_region[manager.region_id] == kpis.Ratio(3, 7)


def test_this_weeks_plan_against_visits_made(manager, teammate):
    monday = datetime.date(2026, 11, 23)
    schedule = WeeklySchedule.objects.create(manager=manager, week_start=monday)
    customers = [_customer(manager, f"P{n}") for n in range(4)]
    entries = [
        PlannedVisit.objects.create(schedule=schedule, customer=c, planned_date=monday)
        for c in customers
    ]
    done = make_visit(manager, customers[0], arrived="2026-11-23 10:00")
    running = make_visit(manager, customers[1], arrived="2026-11-23 11:00", stage="in_progress")
    Visit.objects.filter(pk=done.pk).update(planned_visit=entries[0])
    Visit.objects.filter(pk=running.pk).update(planned_visit=entries[1])
    # Last week's plan is not this week's.
    old = WeeklySchedule.objects.create(manager=manager, week_start=monday - datetime.timedelta(7))
    PlannedVisit.objects.create(schedule=old, customer=customers[2], planned_date=monday)

    assert visit_kpis.plan_done("manager", [manager.pk, teammate.pk], TODAY) == {
        manager.pk: kpis.Ratio(1, 4)
    }
    days = visit_kpis.plan_by_day(manager.pk, TODAY)
    assert days[0] == (monday, 4, 1)
    assert [day for day, _p, _d in days][-1] == datetime.date(2026, 11, 29)
    assert all(planned == 0 for _day, planned, _d in days[1:])


def test_complaint_steps_on_time(manager, regional_manager):
    customer = _customer(manager, "Q1")
    complaint = factories.ComplaintFactory(customer=customer, stage="open")
    ComplaintEvent.objects.filter(complaint=complaint).update(
        at=at("2026-11-02 09:00"), due_on=datetime.date(2026, 11, 4)
    )

    def step(action, when, due):
        ComplaintEvent.objects.create(
            complaint=complaint,
            action=action,
            to_status="inspected",
            actor=manager,
            at=at(when),
            due_on=due,
        )

    step("inspected", "2026-11-04 17:00", datetime.date(2026, 11, 6))  # on its deadline
    step("photo_added", "2026-11-05 09:00", datetime.date(2026, 11, 6))  # not a step
    step("submitted", "2026-11-09 09:00", datetime.date(2026, 11, 11))  # 3 days late
    complaint.refresh_from_db()
    type(complaint).objects.filter(pk=complaint.pk).update(
        status="submitted", due_on=datetime.date(2026, 11, 11)
    )

    figures = kpis_of("complaint_steps", manager, TODAY)
    # Two steps taken (one on time), and the decision waits past its deadline.
    assert figures == kpis.Ratio(1, 3)


def kpis_of(name, manager, today):
    [kpi] = [kpi for kpi in kpis.all_kpis() if kpi.name == name]
    return kpi.figures("manager", [manager.pk], today).get(manager.pk)


def test_reports_on_time(manager):
    on_time = factories.ReportFactory(
        manager=manager, month=datetime.date(2026, 9, 1), status="submitted"
    )
    late = factories.ReportFactory(
        manager=manager, month=datetime.date(2026, 8, 1), status="submitted"
    )
    overdue = factories.ReportFactory(manager=manager, month=datetime.date(2026, 10, 1))
    not_due = factories.ReportFactory(manager=manager, month=datetime.date(2026, 11, 1))
    MonthlyReport.objects.filter(pk=on_time.pk).update(
        due_date=datetime.date(2026, 10, 9), submitted_at=at("2026-10-08 10:00"), overdue_at=None
    )
    MonthlyReport.objects.filter(pk=late.pk).update(
        due_date=datetime.date(2026, 9, 7), submitted_at=at("2026-09-10 10:00"), overdue_at=None
    )
    MonthlyReport.objects.filter(pk=overdue.pk).update(due_date=datetime.date(2026, 11, 5))
    MonthlyReport.objects.filter(pk=not_due.pk).update(due_date=datetime.date(2026, 12, 7))

    assert kpis_of("reports_on_time", manager, TODAY) == kpis.Ratio(1, 3)


def test_network_exits_this_year(manager, admin_user):
    staying = [_customer(manager, f"S{n}") for n in range(8)]
    left = _customer(
        manager,
        "L1",
        network_status=Customer.NetworkStatus.EXITED,
        exited_on=datetime.date(2026, 3, 1),
    )
    left_last_year = _customer(
        manager,
        "L0",
        network_status=Customer.NetworkStatus.EXITED,
        exited_on=datetime.date(2025, 12, 1),
    )
    rejoined = staying[0]
    for customer, day in (
        (left, "2026-03-01"),
        (left_last_year, "2025-12-01"),
        (rejoined, "2026-02-01"),
    ):
        NetworkStatusChange.objects.create(
            customer=customer,
            action="exited",
            from_status="active",
            to_status="exited",
            date=day,
            actor=admin_user,
        )

    # In the network this year: 8 staying (one left and came back) and the one who left.
    assert kpis_of("network_exits", manager, TODAY) == kpis.Ratio(2, 9)


def test_exit_rate_by_grade_against_the_regulation_line(manager, admin_user):
    best = [_customer(manager, f"A{n}", grade=grade("A1")) for n in range(50)]
    rest = [_customer(manager, f"D{n}", grade=grade("D")) for n in range(20)]
    for customer in (best[0], rest[0]):
        Customer.objects.filter(pk=customer.pk).update(
            network_status="exited", exited_on=datetime.date(2026, 6, 1)
        )
        NetworkStatusChange.objects.create(
            customer=customer,
            action="exited",
            from_status="active",
            to_status="exited",
            date="2026-06-01",
            actor=admin_user,
        )

    rows = {row.code: row for row in kpis.exit_rates_by_grade(TODAY)}

    assert rows["A1"].ratio == kpis.Ratio(1, 50)  # 2.0%: not below the 2% line
    assert rows["A1"].limit == Decimal("0.02") and rows["A1"].over_limit
    assert rows["D"].ratio == kpis.Ratio(1, 20)
    assert rows["D"].limit == Decimal("0.035") and rows["D"].over_limit
    assert rows["B2"].ratio.share is None and not rows["B2"].over_limit
    assert rows[""].ratio == kpis.Ratio(2, 70)


def test_sales_trend_of_the_customers_served(manager, teammate):
    mine = _customer(manager, "S1")
    factories.SalesRecordFactory(customer=mine, month=datetime.date(2026, 9, 1), amount=100)
    factories.SalesRecordFactory(customer=mine, month=datetime.date(2026, 10, 1), amount=250)
    factories.SalesRecordFactory(
        customer=_customer(teammate, "S2"), month=datetime.date(2026, 10, 1), amount=999
    )
    months = [datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)]

    trend = kpis.sales_trend("manager", [manager.pk], months)

    assert trend == {manager.pk: {months[0]: Decimal(100), months[1]: Decimal(250)}}
    region = kpis.sales_trend("region", [manager.region_id], months)
    assert region[manager.region_id][months[1]] == Decimal(1249)


def test_suggestions_due_by_their_limit(manager):
    from visits.models import Suggestion

    customer = _customer(manager, "G1")
    visit = make_visit(manager, customer, arrived="2026-11-18 10:00")
    for due in ("2026-11-24", "2026-11-26", "2026-12-04"):
        Suggestion.objects.create(
            visit=visit,
            customer=customer,
            text="多进新品",
            due_on=due,
        )
    with time_machine.travel(at("2026-11-25 09:00"), tick=False):
        assert visit_kpis.suggestions_due([manager.pk], timezone.localdate()) == {
            "overdue": 1,
            "due_soon": 1,
            "later": 1,
        }
