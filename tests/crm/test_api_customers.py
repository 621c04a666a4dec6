import pytest

from accounts.models import ApiToken
from accounts.services import token_create
from crm.models import Assignment, Customer, GradeChange
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_token_for_username_and_password_then_me(api_client, manager):
    response = api_client.post("/api/auth/token/", {"username": "manager", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/me/").json()
    assert me["username"] == "manager"
    assert me["role"] == "manager"
    assert me["region"]["code"] == "EAST"


def test_wrong_password_gets_no_token(api_client, manager):
    response = api_client.post("/api/auth/token/", {"username": "manager", "password": "nope"})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_anonymous_is_refused(api_client, customer):
    assert api_client.get("/api/customers/").status_code == 401
    assert api_client.get(f"/api/customers/{customer.pk}/").status_code == 401


class TestVisibility:
    def test_manager_lists_only_own_customers(self, api_login, manager, teammate, outsider):
        own = factories.CustomerFactory(manager=manager)
        factories.CustomerFactory(manager=teammate)
        factories.CustomerFactory(manager=outsider)
        codes = [row["code"] for row in api_login(manager).get("/api/customers/").json()["results"]]
        assert codes == [own.code]

    def test_regional_manager_lists_the_region(
        self, api_login, regional_manager, manager, teammate, outsider
    ):
        mine = {
            factories.CustomerFactory(manager=manager).code,
            factories.CustomerFactory(manager=teammate).code,
        }
        factories.CustomerFactory(manager=outsider)
        response = api_login(regional_manager).get("/api/customers/")
        assert {row["code"] for row in response.json()["results"]} == mine

    def test_admin_lists_all(self, api_login, admin_user, manager, outsider):
        factories.CustomerFactory(manager=manager)
        factories.CustomerFactory(manager=outsider)
        assert api_login(admin_user).get("/api/customers/").json()["count"] == 2

    @pytest.mark.parametrize("persona", ["teammate", "outsider", "other_regional_manager"])
    def test_someone_elses_customer_is_404(self, request, api_login, customer, persona):
        client = api_login(request.getfixturevalue(persona))
        assert client.get(f"/api/customers/{customer.pk}/").status_code == 404
        assert (
            client.patch(f"/api/customers/{customer.pk}/", {"name": "x"}, format="json").status_code
            == 404
        )
        assert (
            client.post(
                f"/api/customers/{customer.pk}/grade/", {"grade": "A1", "reason": "x"}
            ).status_code
            == 404
        )

    def test_unknown_customer_is_404(self, api_login, admin_user):
        assert api_login(admin_user).get("/api/customers/999999/").status_code == 404

    def test_there_is_no_delete(self, api_login, admin_user, customer):
        assert api_login(admin_user).delete(f"/api/customers/{customer.pk}/").status_code == 405
        assert Customer.objects.filter(pk=customer.pk).exists()


class TestFilters:
    def test_filter_by_grade_search_and_status(self, api_login, regional_manager, manager):
        factories.CustomerFactory(manager=manager, name="幸福超市", grade=factories.grade("A1"))
        factories.CustomerFactory(manager=manager, name="光明商行", grade=factories.grade("D"))
        client = api_login(regional_manager)
        by_grade = client.get("/api/customers/", {"grade": "A1"}).json()
        assert [row["name"] for row in by_grade["results"]] == ["幸福超市"]
        by_text = client.get("/api/customers/", {"q": "光明"}).json()
        assert [row["name"] for row in by_text["results"]] == ["光明商行"]
        assert client.get("/api/customers/", {"network_status": "exited"}).json()["count"] == 0

    def test_search_finds_licence_number(self, api_login, manager):
        factories.CustomerFactory(manager=manager, licence_number="330100123456")
        response = api_login(manager).get("/api/customers/", {"q": "0100123"})
        assert response.json()["count"] == 1

    def test_bad_filter_value_is_400(self, api_login, manager):
        response = api_login(manager).get("/api/customers/", {"network_status": "nonsense"})
        assert response.status_code == 400
        assert "network_status" in response.json()


class TestWrites:
    def test_manager_edits_profile_and_contacts(self, api_login, manager, customer):
        contact = factories.ContactFactory(customer=customer, name="老板")
        response = api_login(manager).patch(
            f"/api/customers/{customer.pk}/",
            {
                "credit_standing": "优",
                "contacts": [
                    {"id": contact.pk, "name": "老板", "phone": "13800000001"},
                    {"name": "店员"},
                ],
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["credit_standing"] == "优"
        assert [c["name"] for c in body["contacts"]] == ["老板", "店员"]
        assert body["contacts"][0]["phone"] == "13800000001"

    def test_manager_cannot_set_manager_region_grade_or_status(
        self, api_login, manager, teammate, customer, other_region
    ):
        response = api_login(manager).patch(
            f"/api/customers/{customer.pk}/",
            {
                "manager": teammate.pk,
                "region": other_region.code,
                "grade": "A1",
                "network_status": "exited",
                "name": "新名字",
            },
            format="json",
        )
        assert response.status_code == 200
        customer.refresh_from_db()
        assert customer.name == "新名字"
        assert customer.manager == manager
        assert customer.region.code == "EAST"
        assert customer.grade.code == "B2"
        assert customer.network_status == "active"

    def test_manager_cannot_reassign_or_regrade(self, api_login, manager, teammate, customer):
        client = api_login(manager)
        reassign = client.post(
            f"/api/customers/{customer.pk}/reassign/", {"manager": teammate.pk, "reason": "x"}
        )
        grade = client.post(f"/api/customers/{customer.pk}/grade/", {"grade": "A1", "reason": "x"})
        assert (reassign.status_code, grade.status_code) == (403, 403)
        customer.refresh_from_db()
        assert (customer.manager, customer.grade.code) == (manager, "B2")

    def test_manager_cannot_create(self, api_login, manager):
        response = api_login(manager).post(
            "/api/customers/", {"code": "N1", "name": "x", "licence_number": "L1"}
        )
        assert response.status_code == 403
        assert not Customer.objects.filter(code="N1").exists()

    @pytest.mark.parametrize(
        ("fields", "refused"),
        [
            ({"code": "bad code!", "name": ""}, {"name"}),
            # Past the serializer, the model's rules: a licence taken, a key account's class.
            ({"code": "N-2", "name": "新店"}, {"licence_number", "key_account_class"}),
        ],
    )
    def test_validation_errors_are_400_with_field_messages(
        self, api_login, regional_manager, customer, fields, refused
    ):
        body = {**fields, "licence_number": customer.licence_number, "customer_type": "key_account"}
        response = api_login(regional_manager).post("/api/customers/", body, format="json")
        assert response.status_code == 400
        assert refused <= set(response.json())
        assert not Customer.objects.filter(code=fields["code"]).exists()

    def test_regional_manager_creates_in_own_region(
        self, api_login, regional_manager, manager, other_region
    ):
        response = api_login(regional_manager).post(
            "/api/customers/",
            {
                "code": "N-3",
                "name": "新开超市",
                "licence_number": "LN-3",
                "region": other_region.code,
                "manager": manager.pk,
                "grade": "C",
                "contacts": [{"name": "店主", "phone": "13900000009"}],
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        created = Customer.objects.get(code="N-3")
        assert created.region.code == "EAST"
        assert created.assignments.get().to_manager == manager
        assert created.grade_changes.get().new_grade.code == "C"

    def test_regional_manager_cannot_assign_a_manager_of_another_region(
        self, api_login, regional_manager, outsider
    ):
        response = api_login(regional_manager).post(
            "/api/customers/",
            {"code": "N-4", "name": "x", "licence_number": "LN-4", "manager": outsider.pk},
            format="json",
        )
        assert response.status_code == 400
        assert "manager" in response.json()

    def test_reassign_and_regrade_keep_history(
        self, api_login, regional_manager, manager, teammate, customer
    ):
        client = api_login(regional_manager)
        response = client.post(
            f"/api/customers/{customer.pk}/reassign/",
            {"manager": teammate.pk, "reason": "片区调整"},
        )
        assert response.status_code == 200, response.json()
        assert response.json()["manager"]["username"] == "teammate"
        assignment = Assignment.objects.get(customer=customer)
        assert (assignment.from_manager, assignment.to_manager, assignment.changed_by) == (
            manager,
            teammate,
            regional_manager,
        )
        response = client.post(
            f"/api/customers/{customer.pk}/grade/", {"grade": "D", "reason": "违反价格规定降级"}
        )
        assert response.status_code == 200
        change = GradeChange.objects.get(customer=customer)
        assert (change.old_grade.code, change.new_grade.code, change.reason) == (
            "B2",
            "D",
            "违反价格规定降级",
        )

    def test_same_grade_twice_is_a_clear_400(self, api_login, regional_manager, customer):
        response = api_login(regional_manager).post(
            f"/api/customers/{customer.pk}/grade/", {"grade": "B2", "reason": "x"}
        )
        assert response.status_code == 400
        assert "already" in response.json()["detail"]

    def test_exit_and_rejoin_keep_the_customer(self, api_login, regional_manager, customer):
        client = api_login(regional_manager)
        response = client.post(
            f"/api/customers/{customer.pk}/exit/", {"exited_on": "2026-11-01", "reason": "停业"}
        )
        assert response.status_code == 200
        assert response.json()["network_status"] == "exited"
        again = client.post(
            f"/api/customers/{customer.pk}/exit/", {"exited_on": "2026-11-01", "reason": "停业"}
        )
        # The state it is already in: a conflict, as for every transition.
        assert again.status_code == 409
        missing = client.post(f"/api/customers/{customer.pk}/rejoin/", {})
        assert missing.status_code == 400 and "joined_on" in missing.json()
        assert (
            client.post(
                f"/api/customers/{customer.pk}/rejoin/", {"joined_on": "2026-11-20"}
            ).status_code
            == 200
        )

    def test_deactivating_a_user_removes_their_token(self, api_login, admin_user, manager):
        token_create(user=manager)
        response = api_login(admin_user).patch(
            f"/api/users/{manager.pk}/", {"is_active": False}, format="json"
        )
        assert response.status_code == 200
        assert not ApiToken.objects.filter(user=manager).exists()


class TestQueryBudget:
    # 1 count, 1 page of customers with region, manager and grade joined,
    # 1 prefetch of contacts; plus 1 for the session user on session auth.
    @pytest.mark.parametrize("size", [1, 30])
    def test_customer_list_costs_the_same_at_any_size(
        self, api_login, regional_manager, manager, size, django_assert_max_num_queries
    ):
        for customer in factories.CustomerFactory.create_batch(size, manager=manager):
            factories.ContactFactory(customer=customer)
        client = api_login(regional_manager)
        with django_assert_max_num_queries(3):
            response = client.get("/api/customers/", {"page_size": 50})
        assert response.json()["count"] == size
