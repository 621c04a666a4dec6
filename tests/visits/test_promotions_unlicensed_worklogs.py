import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import factories
from tests.visits.conftest import data_url, png_bytes, promotion_fields
from visits.models import PromotionReceipt, UnlicensedReport, WorkLog

pytestmark = pytest.mark.django_db


class TestPromotions:
    def test_refused_for_a_grade_not_allowed(self, api_login, manager, customer):
        # The customer fixture is B2: promotions go to B1 or better.
        response = api_login(manager).post(
            "/api/visits/promotions/",
            {"customer": customer.pk, **promotion_fields()},
            format="json",
        )
        assert response.status_code == 400
        message = response.json()["customer"][0]
        assert "A1, A2, B1" in message and "B2" in message
        assert not PromotionReceipt.objects.exists()

    def test_recorded_with_the_customers_signature(self, api_login, manager):
        customer = factories.CustomerFactory(manager=manager, grade=factories.grade("B1"))
        client = api_login(manager)
        response = client.post(
            "/api/visits/promotions/",
            {"customer": customer.pk, **promotion_fields(item="价签套装", quantity=10)},
            format="json",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["quantity"] == 10 and body["signer_name"] == "王店主"
        assert len(body["signature_sha256"]) == 64
        assert client.get("/api/visits/promotions/").json()["count"] == 1

    def test_signature_required_and_checked(self, api_login, manager):
        customer = factories.CustomerFactory(manager=manager, grade=factories.grade("A1"))
        response = api_login(manager).post(
            "/api/visits/promotions/",
            {
                "customer": customer.pk,
                **promotion_fields(signature=data_url(png_bytes(blank=True))),
            },
            format="json",
        )
        assert response.status_code == 400
        assert "signature" in response.json()

    def test_zero_quantity_refused(self, api_login, manager):
        customer = factories.CustomerFactory(manager=manager, grade=factories.grade("A1"))
        response = api_login(manager).post(
            "/api/visits/promotions/",
            {"customer": customer.pk, **promotion_fields(quantity=0)},
            format="json",
        )
        assert response.status_code == 400
        assert "quantity" in response.json()

    def test_regional_manager_does_not_hand_out(self, api_login, regional_manager, customer):
        response = api_login(regional_manager).post(
            "/api/visits/promotions/", {"customer": customer.pk}, format="json"
        )
        assert response.status_code == 403


class TestUnlicensed:
    def test_report_forward_and_close(
        self, api_login, manager, regional_manager, django_capture_on_commit_callbacks
    ):
        photo = SimpleUploadedFile("p.jpg", png_bytes(fmt="JPEG"), content_type="image/jpeg")
        with django_capture_on_commit_callbacks(execute=True):
            response = api_login(manager).post(
                "/api/visits/unlicensed/",
                {"address": "解放路 12 号", "description": "无证销售卷烟", "photo": photo},
                format="multipart",
            )
        assert response.status_code == 201, response.json()
        report_id = response.json()["id"]
        # The photo's access-checked route (media is not served in production).
        assert response.json()["photo"].endswith(f"/visits/unlicensed/{report_id}/photo/")
        assert mail.outbox[0].to == [regional_manager.email]
        client = api_login(regional_manager)
        # The outcome comes after forwarding.
        early = client.post(f"/api/visits/unlicensed/{report_id}/outcome/", {"outcome": "x"})
        assert early.status_code == 409
        forwarded = client.post(
            f"/api/visits/unlicensed/{report_id}/forward/", {"note": "已移交专卖局"}
        )
        assert forwarded.json()["status"] == "forwarded"
        closed = client.post(
            f"/api/visits/unlicensed/{report_id}/outcome/", {"outcome": "已查处，没收货物"}
        )
        assert closed.json()["status"] == "closed"
        assert UnlicensedReport.objects.get().outcome == "已查处，没收货物"

    def test_a_photo_must_be_an_image(self, api_login, manager):
        fake = SimpleUploadedFile("p.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
        response = api_login(manager).post(
            "/api/visits/unlicensed/",
            {"address": "a", "description": "b", "photo": fake},
            format="multipart",
        )
        assert response.status_code == 400
        assert "photo" in response.json()

    def test_others_do_not_see_or_handle(
        self, api_login, manager, teammate, other_regional_manager
    ):
        report_id = (
            api_login(manager)
            .post("/api/visits/unlicensed/", {"address": "a", "description": "b"})
            .json()["id"]
        )
        assert api_login(teammate).get(f"/api/visits/unlicensed/{report_id}/").status_code == 404
        client = api_login(other_regional_manager)
        assert client.post(f"/api/visits/unlicensed/{report_id}/forward/").status_code == 404
        # The reporter reads but does not forward.
        response = api_login(manager).post(f"/api/visits/unlicensed/{report_id}/forward/")
        assert response.status_code == 403


class TestWorkLogs:
    def test_write_rewrite_and_comment(
        self, api_login, manager, regional_manager, travel, django_capture_on_commit_callbacks
    ):
        travel("2026-10-09 18:00")
        client = api_login(manager)
        first = client.post(
            "/api/visits/work-logs/",
            {"kind": "daily", "day": "2026-10-09", "content": "走访 5 户"},
        )
        assert first.status_code == 201
        again = client.post(
            "/api/visits/work-logs/",
            {"kind": "daily", "day": "2026-10-09", "content": "走访 6 户"},
        )
        assert again.json()["id"] == first.json()["id"]
        assert WorkLog.objects.get().content == "走访 6 户"
        with django_capture_on_commit_callbacks(execute=True):
            response = api_login(regional_manager).post(
                f"/api/visits/work-logs/{first.json()['id']}/comment/", {"text": "继续保持"}
            )
        assert response.status_code == 201
        assert response.json()["comments"][0]["text"] == "继续保持"
        assert mail.outbox[-1].to == [manager.email]

    def test_weekly_summary_is_dated_on_monday(self, api_login, manager, travel):
        travel("2026-10-09 18:00")
        response = api_login(manager).post(
            "/api/visits/work-logs/",
            {"kind": "weekly", "day": "2026-10-07", "content": "本周小结"},
        )
        assert response.status_code == 400
        assert "day" in response.json()

    def test_navigation_through_the_regions_logs(
        self, api_login, manager, teammate, outsider, regional_manager
    ):
        day = datetime.date(2026, 10, 8)
        a = WorkLog.objects.create(author=manager, kind="daily", day=day, content="a")
        b = WorkLog.objects.create(author=teammate, kind="daily", day=day, content="b")
        WorkLog.objects.create(author=outsider, kind="daily", day=day, content="c")
        c = WorkLog.objects.create(
            author=manager, kind="daily", day=day + datetime.timedelta(days=1), content="d"
        )
        client = api_login(regional_manager)
        body = client.get(f"/api/visits/work-logs/{b.pk}/").json()
        assert (body["previous"], body["next"]) == (a.pk, c.pk)
        assert client.get("/api/visits/work-logs/").json()["count"] == 3

    def test_teammate_neither_reads_nor_comments(self, api_login, manager, teammate):
        log = WorkLog.objects.create(
            author=manager, kind="daily", day=datetime.date(2026, 10, 8), content="a"
        )
        client = api_login(teammate)
        assert client.get(f"/api/visits/work-logs/{log.pk}/").status_code == 404
        response = client.post(f"/api/visits/work-logs/{log.pk}/comment/", {"text": "x"})
        assert response.status_code == 404
        own = api_login(manager).post(f"/api/visits/work-logs/{log.pk}/comment/", {"text": "x"})
        assert own.status_code == 403
