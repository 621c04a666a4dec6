import io
import threading

import pytest
from django.db import connection, connections
from django.utils import translation
from PIL import Image

from complaints.models import Complaint, ComplaintPhoto
from tests import factories
from tests.complaints.conftest import complaints_of, make_complaint, photo_upload, signature

pytestmark = pytest.mark.django_db
URL = "/api/complaints/"


def post(client, complaint, action, data=None, **kwargs):
    return client.post(f"{URL}{complaint.pk}/{action}/", data or {}, format="json", **kwargs)


def open_for(client, customer):
    """``client`` opens a complaint for ``customer``: the answer."""
    body = {"customer": customer.pk, "product": "x", "problem": "y", "reported_on": "2026-01-05"}
    return client.post(URL, body, format="json")


def test_walk_through_the_api(api_login, manager, customer, regional_manager):
    client = api_login(manager)
    response = client.post(
        URL,
        {
            "customer": customer.pk,
            "product": "中华(硬)",
            "quantity": "2",
            "unit": "条",
            "problem": "受潮",
            "reported_on": "2026-01-05",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    complaint = Complaint.objects.get(pk=response.json()["id"])
    upload = client.post(
        f"{URL}{complaint.pk}/photos/", {"photo": photo_upload()}, format="multipart"
    )
    assert upload.status_code == 201, upload.json()
    body = post(
        client, complaint, "inspect", {"cause": "c", "signature": signature(), "signer_name": "王"}
    ).json()
    assert body["status"] == "inspected"
    assert body["inspection_signature"]["signer_name"] == "王"
    assert post(client, complaint, "submit").json()["status"] == "submitted"
    rm = api_login(regional_manager)
    assert post(rm, complaint, "approve", {"comment": "ok"}).json()["status"] == "approved"
    client = api_login(manager)
    today = __import__("django.utils.timezone", fromlist=["x"]).localdate().isoformat()
    response = post(
        client,
        complaint,
        "exchange",
        {
            "exchange_product": "中华(硬)",
            "exchange_quantity": "2",
            "exchanged_on": today,
            "signature": signature(),
            "signer_name": "王",
        },
    )
    assert response.json()["status"] == "exchanged", response.json()
    body = post(client, complaint, "close", {"result": "已调换"}).json()
    assert body["status"] == "closed"
    assert [event["action"] for event in body["events"]] == [
        "opened",
        "photo_added",
        "inspected",
        "submitted",
        "approved",
        "exchanged",
        "closed",
    ]
    pdf = client.get(f"{URL}{complaint.pk}/pdf/")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


class TestVisibility:
    def test_lists_by_persona(
        self,
        api_login,
        manager,
        teammate,
        outsider,
        regional_manager,
        other_regional_manager,
        admin_user,
        customer,
    ):
        mine = make_complaint(manager, customer)
        theirs = make_complaint(teammate, factories.CustomerFactory(manager=teammate))
        far = make_complaint(outsider, factories.CustomerFactory(manager=outsider))

        def ids(user):
            return {row["id"] for row in api_login(user).get(URL).json()["results"]}

        assert ids(manager) == {mine.pk}
        assert ids(regional_manager) == {mine.pk, theirs.pk}
        assert ids(other_regional_manager) == {far.pk}
        assert ids(admin_user) == {mine.pk, theirs.pk, far.pk}

    @pytest.mark.parametrize("persona", ["teammate", "outsider", "other_regional_manager"])
    def test_foreign_complaint_is_404_everywhere(self, request, api_login, complaint_at, persona):
        complaint = complaint_at("submitted")
        client = api_login(request.getfixturevalue(persona))
        assert client.get(f"{URL}{complaint.pk}/").status_code == 404
        assert client.get(f"{URL}{complaint.pk}/pdf/").status_code == 404
        for action in ("inspect", "submit", "approve", "reject", "exchange", "close", "photos"):
            assert post(client, complaint, action, {"reason": "x"}).status_code == 404

    def test_cannot_open_for_someone_elses_customer(self, api_login, teammate, customer):
        response = open_for(api_login(teammate), customer)
        assert response.status_code == 400
        assert "customer" in response.json()

    def test_anonymous_refused(self, api_client):
        assert api_client.get(URL).status_code == 401


class TestWrongRoleAndState:
    def test_regional_manager_cannot_open(self, api_login, regional_manager, customer):
        response = open_for(api_login(regional_manager), customer)
        assert response.status_code == 403

    def test_manager_cannot_approve_and_regional_manager_cannot_inspect(
        self, api_login, complaint_at, manager, regional_manager
    ):
        complaint = complaint_at("submitted")
        assert post(api_login(manager), complaint, "approve").status_code == 403
        open_one = complaint_at("open")
        response = post(
            api_login(regional_manager),
            open_one,
            "inspect",
            {"cause": "c", "signature": signature(), "signer_name": "王"},
        )
        assert response.status_code == 403

    def test_admin_sees_and_may_decide(self, api_login, complaint_at, admin_user):
        """An admin stands in for the regional manager (tests/complaints/test_admin_decides.py)."""
        complaint = complaint_at("submitted")
        client = api_login(admin_user)
        assert client.get(f"{URL}{complaint.pk}/").status_code == 200
        assert post(client, complaint, "approve").status_code == 200

    def test_wrong_state_is_409_with_message(
        self, api_login, complaint_at, manager, regional_manager
    ):
        complaint = complaint_at("closed")
        response = post(api_login(manager), complaint, "close", {"result": "again"})
        assert response.status_code == 409
        assert "Cannot" in response.json()["detail"]
        submitted = complaint_at("submitted")
        assert post(api_login(regional_manager), submitted, "approve").status_code == 200
        again = post(api_login(regional_manager), submitted, "reject", {"reason": "x"})
        assert again.status_code == 409
        assert "already approved" in again.json()["detail"]

    def test_missing_fields_are_400(self, api_login, complaint_at, manager, regional_manager):
        complaint = complaint_at("open")
        response = post(
            api_login(manager),
            complaint,
            "inspect",
            {"cause": "c", "signer_name": "王", "signature": "data:image/png;base64,AAAA"},
        )
        assert response.status_code == 400
        assert "signature" in response.json()
        submitted = complaint_at("submitted")
        response = post(api_login(regional_manager), submitted, "reject", {})
        assert response.status_code == 400
        assert "reason" in response.json()


def _photo_refused(client, complaint, upload, message):
    """The API refuses ``upload`` as a photo of ``complaint`` with ``message``; none is kept."""
    response = client.post(f"{URL}{complaint.pk}/photos/", {"photo": upload}, format="multipart")
    assert response.status_code == 400
    assert message in str(response.json())
    assert not ComplaintPhoto.objects.exists()


class TestPhotos:
    def test_non_image_refused(self, api_login, complaint_at, manager):
        complaint = complaint_at("open")
        fake = io.BytesIO(b"MZ\x90\x00 this is an exe")
        fake.name = "photo.jpg"
        _photo_refused(api_login(manager), complaint, fake, "not a photo")

    def test_too_large_refused(self, api_login, complaint_at, manager):
        complaint = complaint_at("open")
        big = io.BytesIO()
        # Random noise does not compress: well over 5 MiB as PNG.
        Image.frombytes("RGB", (1500, 1500), __import__("os").urandom(1500 * 1500 * 3)).save(
            big, format="PNG"
        )
        assert big.tell() > 5 * 1024 * 1024
        big.seek(0)
        big.name = "big.png"
        _photo_refused(api_login(manager), complaint, big, "too large")


@pytest.mark.parametrize("count", [3, 12])
def test_list_query_budget(
    api_login, regional_manager, manager, customer, count, django_assert_max_num_queries
):
    complaints_of(manager, count)
    client = api_login(regional_manager)
    # session/auth (force-authenticated: none), count, page of complaints with customers.
    with django_assert_max_num_queries(3):
        response = client.get(URL)
    assert response.json()["count"] == count


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_regional_managers_approve_at_once_one_wins(
    manager, customer, regional_manager, region
):
    from complaints import services
    from core.errors import ConflictError

    deputy = factories.RegionalManagerFactory(username="deputy", region=region)
    complaint = make_complaint(manager, customer, regional_manager, stage="submitted")
    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        try:
            barrier.wait(timeout=10)
            # A new thread starts in the default language (Chinese).
            with translation.override("en"):
                services.complaint_approve(complaint=complaint, actor=user, comment=user.username)
            outcomes.append(("won", user.username))
        except ConflictError as error:
            outcomes.append(("lost", error.message))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=(user,)) for user in (regional_manager, deputy)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(kind for kind, _ in outcomes) == ["lost", "won"]
    lost = next(message for kind, message in outcomes if kind == "lost")
    assert "already approved" in lost
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.APPROVED
    assert complaint.events.filter(action="approved").count() == 1
