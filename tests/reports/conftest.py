import datetime
from decimal import Decimal

import pytest

from crm.models import SalesRecord
from reports import services
from tests import factories

SEPTEMBER = datetime.date(2026, 9, 1)


@pytest.fixture(autouse=True)
def _english(english):
    """These tests read the English messages, in services and on pages."""


def sale(customer, month, amount, quantity=None):
    return SalesRecord.objects.create(
        customer=customer,
        month=month,
        amount=Decimal(amount),
        quantity=Decimal(quantity if quantity is not None else Decimal(amount) / 10),
    )


@pytest.fixture
def report(manager, customer):
    """The manager's draft on September 2026, prepared by the job."""
    sale(customer, SEPTEMBER, "1000")
    services.prepare_month(month=SEPTEMBER)
    return manager.monthly_reports.get(month=SEPTEMBER)


@pytest.fixture
def submitted(report, manager):
    services.report_update_sections(
        report=report, actor=manager, data={"problems": "库存偏高，已调整订货。"}
    )
    return services.report_submit(report=report, actor=manager)


@pytest.fixture
def approved(submitted, regional_manager):
    return services.report_approve(report=submitted, actor=regional_manager)


@pytest.fixture
def grade():
    return factories.grade
