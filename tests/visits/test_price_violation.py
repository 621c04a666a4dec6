import pytest
from django.core import mail

from crm.models import GradeChange
from tests import factories
from tests.visits.conftest import make_violation, make_visit
from visits.models import PriceViolation

pytestmark = pytest.mark.django_db


@pytest.fixture
def violation(manager, customer, regional_manager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_violation(manager, customer)


def test_reported_to_the_regional_manager(violation, customer, regional_manager):
    assert violation.customer == customer
    assert violation.status == PriceViolation.Status.OPEN
    assert violation.note == "低于指导价 5 元销售"
    assert [m.to for m in mail.outbox] == [[regional_manager.email]]
    assert customer.name in mail.outbox[0].subject


def test_no_report_without_a_violation(manager, customer):
    make_visit(manager, customer, stage="locked", price_checked=True)
    assert not PriceViolation.objects.exists()


def test_regional_manager_downgrades_and_history_shows_the_visit(
    api_login, violation, customer, regional_manager
):
    client = api_login(regional_manager)
    assert [v["id"] for v in client.get("/api/visits/price-violations/").json()["results"]] == [
        violation.pk
    ]
    response = client.post(
        f"/api/visits/price-violations/{violation.pk}/downgrade/",
        {"note": "屡次违规"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "downgraded"
    customer.refresh_from_db()
    assert customer.grade.code == "C"  # one grade below B2
    change = GradeChange.objects.filter(customer=customer).latest("id")
    assert change.source == GradeChange.Source.PRICE_VIOLATION
    assert change.old_grade.code == "B2" and change.new_grade.code == "C"
    assert change.changed_by == regional_manager
    assert f"visit #{violation.visit_id}" in change.reason
    assert "2026-10-09" in change.reason
    # Deciding twice is refused.
    again = client.post(f"/api/visits/price-violations/{violation.pk}/downgrade/", {})
    assert again.status_code == 409


def test_downgrade_to_a_chosen_grade(api_login, violation, customer, regional_manager):
    response = api_login(regional_manager).post(
        f"/api/visits/price-violations/{violation.pk}/downgrade/", {"grade": "D"}, format="json"
    )
    assert response.status_code == 200
    customer.refresh_from_db()
    assert customer.grade.code == "D"


def test_an_upgrade_is_not_a_downgrade(api_login, violation, regional_manager):
    response = api_login(regional_manager).post(
        f"/api/visits/price-violations/{violation.pk}/downgrade/", {"grade": "A1"}, format="json"
    )
    assert response.status_code == 400
    assert "grade" in response.json()


def test_dismiss_needs_a_note(api_login, violation, regional_manager):
    client = api_login(regional_manager)
    url = f"/api/visits/price-violations/{violation.pk}/dismiss/"
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"note": "误报"}).json()["status"] == "dismissed"


def test_manager_cannot_downgrade(api_login, violation, manager, customer):
    client = api_login(manager)
    assert client.get(f"/api/visits/price-violations/{violation.pk}/").status_code == 200
    response = client.post(f"/api/visits/price-violations/{violation.pk}/downgrade/", {})
    assert response.status_code == 403
    customer.refresh_from_db()
    assert customer.grade.code == "B2"


@pytest.mark.parametrize("persona", ["other_regional_manager", "teammate", "outsider"])
def test_others_get_404(request, api_login, violation, customer, persona):
    client = api_login(request.getfixturevalue(persona))
    assert client.get(f"/api/visits/price-violations/{violation.pk}/").status_code == 404
    response = client.post(f"/api/visits/price-violations/{violation.pk}/downgrade/", {})
    assert response.status_code == 404
    customer.refresh_from_db()
    assert customer.grade.code == "B2"
    assert PriceViolation.objects.get(pk=violation.pk).status == "open"


def test_service_refuses_another_regions_manager(violation, other_regional_manager):
    from django.core.exceptions import PermissionDenied

    from visits.services import violations

    with pytest.raises(PermissionDenied):
        violations.price_violation_downgrade(violation=violation, actor=other_regional_manager)


def test_admin_may_downgrade(api_login, violation, admin_user, customer):
    response = api_login(admin_user).post(
        f"/api/visits/price-violations/{violation.pk}/downgrade/", {}
    )
    assert response.status_code == 200


def test_list_scoped(api_login, violation, regional_manager, other_regional_manager, outsider):
    other_customer = factories.CustomerFactory(manager=outsider)
    make_visit(
        outsider,
        other_customer,
        stage="manager_signed",
        price_checked=True,
        price_violation=True,
    )
    mine = api_login(regional_manager).get("/api/visits/price-violations/").json()
    assert [row["id"] for row in mine["results"]] == [violation.pk]
