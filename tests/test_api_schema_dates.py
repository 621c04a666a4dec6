"""The schema says which dates the API takes: those of the business range.

Before, a date was ``format: date`` with no bound, and the API refused
0001-01-01 and 9999-12-31 with a field message: a client (and schemathesis)
had no way to know. Now every date the user gives carries a pattern that
matches exactly the dates from ``BUSINESS_DATE_MIN`` to ``BUSINESS_DATE_MAX``.
"""

import datetime
import re

import pytest

from core.api.schema import BUSINESS_DATE_PATTERN, BUSINESS_MONTH
from core.business_dates import BUSINESS_DATE_MAX, BUSINESS_DATE_MIN

pytestmark = pytest.mark.django_db


def test_pattern_matches_exactly_the_business_dates():
    pattern = re.compile(BUSINESS_DATE_PATTERN)
    day = BUSINESS_DATE_MIN - datetime.timedelta(days=400)
    wrong = []
    while day <= BUSINESS_DATE_MAX + datetime.timedelta(days=400):
        if bool(pattern.match(day.isoformat())) != (BUSINESS_DATE_MIN <= day <= BUSINESS_DATE_MAX):
            wrong.append(day)
        day += datetime.timedelta(days=1)

    assert wrong == []
    for impossible in ["2026-02-29", "2100-02-29", "2026-04-31", "2026-13-01", "2026-00-10"]:
        assert not pattern.match(impossible), impossible


def test_month_pattern_matches_the_business_months():
    pattern = re.compile(BUSINESS_MONTH["pattern"])

    assert pattern.match(f"{BUSINESS_DATE_MIN:%Y-%m}")
    assert pattern.match(f"{BUSINESS_DATE_MAX:%Y-%m}")
    assert not pattern.match("1999-12")
    assert not pattern.match("2026-13")
    assert not pattern.match("9999-12")


def test_schema_gives_the_range_of_dates_users_give(api_login, manager):
    schema = api_login(manager).get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    region_week = schema["paths"]["/api/visits/schedules/region/"]["get"]["parameters"]

    assert components["ExitRequest"]["properties"]["exited_on"]["pattern"] == BUSINESS_DATE_PATTERN
    assert [p["schema"].get("pattern") for p in region_week if p["name"] == "week_start"] == [
        BUSINESS_DATE_PATTERN
    ]
    # Dates the API answers with are any stored date: no pattern there.
    assert "pattern" not in components["Customer"]["properties"]["joined_on"]
