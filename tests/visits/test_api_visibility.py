import pytest

from tests import factories
from tests.visits.conftest import data_url, make_visit
from visits.models import PromotionReceipt, UnlicensedReport, Visit, WorkLog
from visits.services import schedules, suggestions

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(manager, customer):
    return make_visit(manager, customer, stage="ended")


@pytest.mark.parametrize("persona", ["teammate", "outsider", "other_regional_manager"])
def test_someone_elses_visit_is_404_everywhere(request, api_login, visit, persona):
    client = api_login(request.getfixturevalue(persona))
    url = f"/api/visits/records/{visit.pk}/"
    assert client.get(url).status_code == 404
    assert client.patch(url, {"findings": "x"}, format="json").status_code == 404
    assert client.post(url + "end/").status_code == 404
    response = client.post(url + "sign/", {"role": "manager", "image": data_url()}, format="json")
    assert response.status_code == 404
    assert client.post(url + "correct/", {"reason": "x"}, format="json").status_code == 404
    assert client.get(url + "pdf/").status_code == 404
    assert client.get(url + "verify/").status_code == 404
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.ENDED


def test_regional_manager_reads_but_does_not_sign_or_edit(api_login, visit, regional_manager):
    client = api_login(regional_manager)
    url = f"/api/visits/records/{visit.pk}/"
    assert client.get(url).status_code == 200
    response = client.post(url + "sign/", {"role": "manager", "image": data_url()}, format="json")
    assert response.status_code == 403
    assert client.patch(url, {"findings": "x"}, format="json").status_code == 403
    assert Visit.objects.get(pk=visit.pk).status == Visit.Status.ENDED


def test_regional_manager_cannot_start_visits(api_login, regional_manager, customer):
    response = api_login(regional_manager).post(
        "/api/visits/records/", {"customer": customer.pk, "special_reason": "x"}, format="json"
    )
    assert response.status_code == 403


def test_lists_are_scoped(
    api_login, manager, teammate, outsider, regional_manager, admin_user, customer
):
    mine = make_visit(manager, customer)
    theirs = make_visit(teammate, factories.CustomerFactory(manager=teammate))
    far = make_visit(outsider, factories.CustomerFactory(manager=outsider))

    def ids(user):
        return {r["id"] for r in api_login(user).get("/api/visits/records/").json()["results"]}

    assert ids(manager) == {mine.pk}
    assert ids(regional_manager) == {mine.pk, theirs.pk}
    assert ids(admin_user) == {mine.pk, theirs.pk, far.pk}


def test_reassigned_customer_history_goes_with_it(api_login, manager, teammate, customer):
    old = make_visit(manager, customer)
    customer.manager = teammate
    customer.save()
    ids = [r["id"] for r in api_login(teammate).get("/api/visits/records/").json()["results"]]
    assert ids == [old.pk]


def test_list_filters(api_login, manager, customer):
    make_visit(manager, customer, arrived="2026-10-08 10:00")
    make_visit(manager, customer, stage="in_progress", arrived="2026-10-09 10:00")
    client = api_login(manager)
    rows = client.get("/api/visits/records/", {"status": "in_progress"}).json()["results"]
    assert [r["status"] for r in rows] == ["in_progress"]
    rows = client.get("/api/visits/records/", {"date_to": "2026-10-08"}).json()["results"]
    assert len(rows) == 1


def test_today(api_login, manager, customer, travel):
    travel("2026-10-08 08:00")
    schedules.schedule_propose(manager=manager, week_start=__import__("datetime").date(2026, 10, 5))
    body = api_login(manager).get("/api/visits/today/").json()
    assert body["day"] == "2026-10-08"
    assert [e["customer_code"] for e in body["plan"]] == [customer.code]
    assert body["overdue"] == []  # planned today, so not listed again


# Query budgets: each list costs the same at 2 and at 12 rows.


@pytest.mark.parametrize("size", [2, 12])
def test_visit_list_budget(
    api_login, regional_manager, manager, size, django_assert_max_num_queries
):
    for customer in factories.CustomerFactory.create_batch(size, manager=manager):
        Visit.objects.create(
            customer=customer,
            manager=manager,
            kind="special",
            special_reason="x",
            arrived_at="2026-10-08T10:00:00+08:00",
        )
    client = api_login(regional_manager)
    # Whether they wrote visits outside their region (crm.access.scope), 1 count, the page's keys,
    # the page's visits joined with customer, grade, manager and planned visit.
    with django_assert_max_num_queries(4):
        assert client.get("/api/visits/records/").json()["count"] == size


@pytest.mark.parametrize("size", [2, 12])
def test_detail_lists_budget(api_login, manager, customer, size, django_assert_max_num_queries):
    visit = make_visit(manager, customer, stage="in_progress")
    for n in range(size):
        suggestions.suggestion_add(visit=visit, actor=manager, text=f"建议 {n}")
        UnlicensedReport.objects.create(
            region=manager.region, reporter=manager, address=f"a{n}", description="d"
        )
        PromotionReceipt.objects.create(
            customer=customer,
            manager=manager,
            item="i",
            quantity=1,
            signer_name="s",
            signature="promotions/x.png",
            signature_sha256="0" * 64,
        )
        WorkLog.objects.create(
            author=manager, kind="daily", day=f"2026-09-{n + 1:02d}", content="c"
        )
    client = api_login(manager)
    # Each: 1 count + 1 page with its joins (and the comment count for logs);
    # suggestions, promotions and price violations first read the manager's
    # customer ids, and suggestions and price violations (written through the
    # visit) whether the manager wrote any about customers no longer theirs.
    for url, budget in (
        ("/api/visits/suggestions/", 4),
        ("/api/visits/unlicensed/", 2),
        ("/api/visits/promotions/", 3),
        ("/api/visits/work-logs/", 2),
        ("/api/visits/price-violations/", 4),
    ):
        with django_assert_max_num_queries(budget):
            client.get(url)
    # The visit with its signatures, events, suggestions, corrections and display
    # photos: the manager's customer ids, visit, signatures, events, suggestions,
    # corrections, photos.
    with django_assert_max_num_queries(7):
        assert len(client.get(f"/api/visits/records/{visit.pk}/").json()["suggestions"]) == size


@pytest.mark.parametrize("size", [1, 8])
def test_today_budget(api_login, manager, size, travel, django_assert_max_num_queries):
    import datetime

    travel("2026-10-08 08:00")
    factories.CustomerFactory.create_batch(size, manager=manager)
    schedules.schedule_propose(manager=manager, week_start=datetime.date(2026, 10, 5))
    client = api_login(manager)
    # plan, the grades' intervals, due customers, revisits, calendar (2), suggestions,
    # in-progress visits; the reminder settings, the calendar of the days ahead (3) and
    # the customers with a care moment; the new customers to visit first = 14.
    with django_assert_max_num_queries(14):
        client.get("/api/visits/today/")
