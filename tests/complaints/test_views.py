import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from complaints.models import Complaint, ComplaintPhoto, ComplaintSettings
from complaints.selectors import complaints_for_customer
from tests import factories
from tests.complaints.conftest import complaints_of, make_complaint, signature

pytestmark = pytest.mark.django_db


def action_url(complaint, action):
    return reverse("complaints:action", args=[complaint.pk, action])


class TestList:
    def test_manager_sees_own_with_overdue_badge(self, login, travel, manager, teammate, customer):
        travel("2026-11-02 09:00")
        late = make_complaint(
            manager, customer, reported_on=__import__("datetime").date(2026, 10, 28)
        )
        make_complaint(teammate, factories.CustomerFactory(manager=teammate, name="别人的店"))
        page = login(manager).get(reverse("complaints:list")).content.decode()
        assert late.number in page
        assert "别人的店" not in page
        assert "data-overdue" in page

    def test_regional_manager_sees_overdue_first(
        self, login, travel, manager, customer, regional_manager
    ):
        import datetime

        travel("2026-11-02 09:00")
        fresh = make_complaint(manager, customer)
        late = make_complaint(manager, customer, reported_on=datetime.date(2026, 10, 28))
        response = login(regional_manager).get(reverse("complaints:list"))
        complaints = list(response.context["complaints"])
        assert [c.pk for c in complaints] == [late.pk, fresh.pk]
        overdue_only = login(regional_manager).get(reverse("complaints:list") + "?overdue=true")
        assert [c.pk for c in overdue_only.context["complaints"]] == [late.pk]

    def test_filters(self, login, complaint_at, manager, regional_manager):
        submitted = complaint_at("submitted")
        complaint_at("open")
        response = login(regional_manager).get(reverse("complaints:list") + "?to_decide=true")
        assert [c.pk for c in response.context["complaints"]] == [submitted.pk]
        response = login(manager).get(reverse("complaints:list") + "?status=open&product=中华")
        assert len(response.context["complaints"]) == 1

    @pytest.mark.parametrize("count", [2, 10])
    def test_query_budget(
        self, login, manager, regional_manager, count, django_assert_max_num_queries
    ):
        complaints_of(manager, count)
        client = login(regional_manager)
        # session, user, count, page of complaints with customers and managers;
        # the layout: unread notifications, the user's region; the idle-timeout
        # middleware saves the session (savepoint, update, release).
        with django_assert_max_num_queries(9):
            response = client.get(reverse("complaints:list"))
        assert response.status_code == 200


class TestDetailAndActions:
    @pytest.mark.parametrize("persona", ["teammate", "outsider", "other_regional_manager"])
    def test_foreign_is_404(self, request, login, complaint_at, persona):
        complaint = complaint_at("submitted")
        client = login(request.getfixturevalue(persona))
        assert client.get(complaint.get_absolute_url()).status_code == 404
        assert client.get(reverse("complaints:pdf", args=[complaint.pk])).status_code == 404
        assert client.post(action_url(complaint, "approve")).status_code == 404
        signature_pk = complaint.inspection_signature_id
        assert client.get(reverse("complaints:signature", args=[signature_pk])).status_code == 404

    def test_detail_shows_forms_for_role_and_state(
        self, login, complaint_at, manager, regional_manager
    ):
        complaint = complaint_at("submitted")
        page = login(regional_manager).get(complaint.get_absolute_url()).content.decode()
        assert 'data-action="approve"' in page and 'data-action="reject"' in page
        assert 'data-signature-image="inspection"' in page
        page = login(manager).get(complaint.get_absolute_url()).content.decode()
        assert 'data-action="approve"' not in page
        assert login(manager).post(action_url(complaint, "approve")).status_code == 403

    def test_reject_without_reason_shows_error(self, login, complaint_at, regional_manager):
        complaint = complaint_at("submitted")
        response = login(regional_manager).post(action_url(complaint, "reject"), {"reason": ""})
        assert response.status_code == 400
        assert (
            "This field is required" in response.content.decode()
            or response.context["forms"]["reject"].errors
        )

    def test_second_decision_shows_a_message(self, login, complaint_at, regional_manager, region):
        complaint = complaint_at("submitted")
        deputy = factories.RegionalManagerFactory(username="deputy", region=region)
        login(regional_manager).post(action_url(complaint, "approve"))
        response = login(deputy).post(action_url(complaint, "reject"), {"reason": "x"}, follow=True)
        assert "already approved" in response.content.decode()
        complaint.refresh_from_db()
        assert complaint.status == Complaint.Status.APPROVED

    def test_photo_upload_errors_are_shown(self, login, complaint_at, manager, settings):
        complaint = complaint_at("open")
        fake = SimpleUploadedFile("x.png", b"<svg></svg>", content_type="image/png")
        response = login(manager).post(action_url(complaint, "photo"), {"photo": fake})
        assert response.status_code == 400
        assert "This file is not a photo" in response.content.decode()
        settings.COMPLAINTS_PHOTO_MAX_BYTES = 100
        from tests.complaints.conftest import photo_upload

        response = login(manager).post(
            action_url(complaint, "photo"), {"photo": photo_upload(size=(300, 300))}
        )
        assert "The photo is too large" in response.content.decode()
        assert not ComplaintPhoto.objects.exists()

    def test_inspection_needs_a_drawn_signature(self, login, complaint_at, manager):
        complaint = complaint_at("open")
        response = login(manager).post(
            action_url(complaint, "inspect"), {"cause": "c", "signer_name": "王", "signature": ""}
        )
        assert response.status_code == 400
        assert "The customer must sign in the box." in response.content.decode()
        response = login(manager).post(
            action_url(complaint, "inspect"),
            {"cause": "c", "signer_name": "王", "signature": signature()},
        )
        assert response.status_code == 302

    def test_open_form_offers_only_own_customers(self, login, manager, customer, teammate):
        other = factories.CustomerFactory(manager=teammate)
        client = login(manager)
        page = client.get(reverse("complaints:create")).content.decode()
        assert customer.name in page and other.name not in page
        response = client.post(
            reverse("complaints:create"),
            {
                "customer": other.pk,
                "kind": "goods",
                "product": "x",
                "problem": "y",
                "reported_on": "2026-01-05",
            },
        )
        assert response.status_code == 200
        assert not Complaint.objects.exists()
        response = client.post(
            reverse("complaints:create"),
            {
                "customer": customer.pk,
                "kind": "goods",
                "product": "x",
                "problem": "y",
                "reported_on": "2026-01-05",
            },
        )
        assert response.status_code == 302

    def test_regional_manager_cannot_open(self, login, regional_manager):
        assert login(regional_manager).get(reverse("complaints:create")).status_code == 403


def test_pdf_of_a_closed_form_has_both_signatures(login, complaint_at, manager, tmp_path):
    complaint = complaint_at("closed")
    response = login(manager).get(reverse("complaints:pdf", args=[complaint.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    path = tmp_path / "form.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "商品及服务质量信息反馈单" in text
    assert complaint.inspection_signature.sha256 in text.replace("\n", "")
    assert complaint.receipt_signature.sha256 in text.replace("\n", "")
    images = subprocess.run(
        ["pdfimages", "-list", str(path)], capture_output=True, text=True
    ).stdout
    assert len(images.strip().splitlines()) - 2 >= 2


def test_settings_page_for_admins_only(login, admin_user, regional_manager):
    url = reverse("complaints:settings")
    assert login(regional_manager).get(url).status_code == 403
    client = login(admin_user)
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"inspection_days": 2, "decision_days": 2, "exchange_days": 3, "feedback_days": 1}
    )
    assert response.status_code == 302
    assert ComplaintSettings.load().inspection_days == 2
    response = client.post(
        url, {"inspection_days": 0, "decision_days": 2, "exchange_days": 3, "feedback_days": 1}
    )
    assert response.status_code == 200
    assert ComplaintSettings.load().inspection_days == 2


def test_customer_snippet(rf, complaint_at, manager, customer, teammate):
    complaint = complaint_at("open")
    assert complaints_for_customer(teammate, customer) == []
    rows = complaints_for_customer(manager, customer)
    html = render_to_string(
        "complaints/_customer_complaints.html",
        {"rows": rows, "customer": customer, "user": manager},
    )
    assert complaint.number in html
