"""What the pages say reads plainly (issue 16, "what the pages show"): dates carry
their year unless it is this year's, the overdue customers come most late first,
grouped and capped, numbers are grouped by thousands in both languages and carry
their unit, "this value is taken" names the value, contact phones open the keypad."""

import datetime
import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from tests import factories

pytestmark = pytest.mark.django_db

D = datetime.date


def _render(text, **context):
    return Template("{% load crm_format humanize %}" + text).render(Context(context))


def test_a_short_date_names_its_year_unless_it_is_this_years(travel):
    travel("2026-12-01 10:00")
    assert _render("{{ d|short_date }}", d=D(2026, 12, 8)) == "12-08"
    assert _render("{{ d|short_date }}", d=D(2024, 12, 8)) == "2024-12-08"
    assert _render("{{ d|short_date }}", d=D(2027, 1, 4)) == "2027-01-04"
    moment = datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC)  # 2026-01-01 in Shanghai
    assert _render("{{ d|short_date:True }}", d=moment) == "01-01 07:30"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_thousands_are_grouped_in_both_languages(language):
    with translation.override(language):
        assert _render('{{ n|floatformat:"2g" }}', n=Decimal("1234567.5")) == "1,234,567.50"
        assert _render("{{ n|intcomma }}", n=1234567) == "1,234,567"


def test_amounts_and_quantities_carry_their_unit(english):
    assert _render("{{ n|amount }}", n=Decimal("12345.6")) == "12,345.60 yuan"
    assert _render("{{ n|amount:0 }}", n=Decimal("12345.6")) == "12,346 yuan"
    assert _render("{{ n|quantity }}", n=Decimal("1200.00")) == "1,200 cartons"
    assert _render("{{ n|quantity }}", n=Decimal("2.5")) == "2.50 cartons"
    assert _render("{{ n|amount }}|{{ n|quantity }}", n=None) == "|"


def test_the_customer_page_shows_sales_with_units(login, english, manager, customer):
    factories.SalesRecordFactory(
        customer=customer, quantity=Decimal("1200"), amount=Decimal("234567.8")
    )
    page = login(manager).get(reverse("customer_detail", args=[customer.pk])).content.decode()
    assert "234,567.80 yuan" in page
    assert "1,200 cartons" in page


def test_overdue_customers_most_late_first_grouped_and_capped(login, english, manager, travel):
    travel("2026-12-01 10:00")
    today = D(2026, 12, 1)
    lateness = [3, 400, 45, 12, 120, 5, 700, 20, 60, 8, 1, 200]
    for late in lateness:
        # Never visited: due a week after joining (visits.selectors.NEW_CUSTOMER_DAYS).
        factories.CustomerFactory(
            manager=manager,
            code=f"L{late:04d}",
            name=f"Late{late}",
            joined_on=today - datetime.timedelta(days=late + 7),
        )
    client = login(manager)

    page = client.get(reverse("home")).content.decode()
    shown = re.findall(r">Late(\d+)</a>", page)
    assert [int(n) for n in shown] == sorted(lateness, reverse=True)[:10]
    groups = re.findall(r'data-testid="overdue-group">([^<]+)<', page)
    assert groups == [
        "More than a year late",
        "More than 90 days late",
        "31 to 90 days late",
        "8 to 30 days late",
        "Up to a week late",
    ]
    assert "due 2024-12-31, 700 days late" in page  # last year's date with its year
    assert "due 11-26, 5 days late" in page
    assert "Show all 12 overdue customers" in page

    everything = client.get(reverse("visits:today"), {"overdue": "all"}).content.decode()
    assert len(re.findall(r">Late(\d+)</a>", everything)) == 12
    assert "Show all" not in everything


def test_a_taken_value_is_named(login, english, admin_user, manager):
    taken = factories.CustomerFactory(manager=manager, code="C00009", licence_number="LIC-9")
    response = login(admin_user).post(
        reverse("customer_create"),
        {
            "code": "C00009",
            "licence_number": "LIC-9",
            "name": "新店",
            "customer_type": "retailer",
            "region": taken.region_id,
            "contacts-TOTAL_FORMS": "0",
            "contacts-INITIAL_FORMS": "0",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Customer code C00009 already exists" in page
    assert "Licence number LIC-9 already exists" in page
    assert "with this" not in page


def test_a_grade_code_taken_is_named(login, english, admin_user):
    from crm.models import Grade

    grade = Grade.objects.get(code="B1")
    data = {
        "code": "A2",
        "name": grade.name,
        "rank": grade.rank,
        "min_annual_amount": grade.min_annual_amount,
        "visit_interval_days": grade.visit_interval_days,
    }
    page = login(admin_user).post(reverse("grade_edit", args=[grade.pk]), data).content.decode()
    assert "Grade code A2 already exists" in page


def test_contact_phones_open_the_numeric_keypad(login, english, manager, customer):
    factories.ContactFactory(customer=customer)
    page = login(manager).get(reverse("customer_edit", args=[customer.pk])).content.decode()
    phones = re.findall(r"<input[^>]*name=\"contacts-\d+-phone\"[^>]*>", page)
    assert phones and all('type="tel"' in tag for tag in phones)


def test_the_api_names_a_taken_value_too(api_login, admin_user):
    response = api_login(admin_user).post(
        "/api/grades/",
        {"code": "A2", "name": "x", "rank": 99, "min_annual_amount": "1", "visit_interval_days": 3},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == ["Grade code A2 already exists."]


def test_the_audit_trail_names_objects_at_a_cost_independent_of_its_size(
    login, english, admin_user, manager
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import audit
    from crm import services as crm_services

    client = login(admin_user)

    def grade_changes(count):
        for _ in range(count):
            customer = factories.CustomerFactory(manager=manager)
            crm_services.customer_change_grade(
                customer=customer, actor=admin_user, grade=factories.grade("A2"), reason="r"
            )
            audit.record("settings", actor=admin_user, obj=customer.region, summary="renamed")

    def queries():
        with CaptureQueriesContext(connection) as context:
            page = client.get(reverse("audit_list")).content.decode()
        return len(context.captured_queries), page

    grade_changes(2)
    few, _page = queries()
    grade_changes(10)
    many, page = queries()
    assert many == few
    assert "Grade B2 → A2: r" in page
    assert "crm.Customer" not in page


def test_a_complaints_quantity_is_grouped_with_its_unit(
    login, english, manager, settings, tmp_path
):
    from complaints import services as complaint_services

    settings.MEDIA_ROOT = tmp_path / "media"
    customer = factories.CustomerFactory(manager=manager)
    complaint = complaint_services.complaint_open(
        actor=manager,
        customer=customer,
        reported_on=datetime.date.today(),
        product="Zhonghua",
        quantity=Decimal("1234"),
        unit="条",
        problem="damp",
    )
    page = login(manager).get(reverse("complaints:detail", args=[complaint.pk])).content.decode()
    assert "1,234 条" in page
