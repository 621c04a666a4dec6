import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.pdf import RefusedURL, url_fetcher
from tests import factories
from tests.visits.conftest import data_url, make_visit, png_bytes
from visits.models import Signature, Visit, VisitEvent, VisitLocked
from visits.services import schedules, suggestions
from visits.services import visits as visit_services

pytestmark = pytest.mark.django_db

D = datetime.date


def _url(visit, action=""):
    return f"/api/visits/records/{visit.pk}/" + (f"{action}/" if action else "")


class TestLogging:
    def test_planned_visit_from_the_schedule(self, api_login, manager, customer, travel):
        travel("2026-10-08 08:00")
        schedule, _ = schedules.schedule_propose(manager=manager, week_start=D(2026, 10, 5))
        entry = schedule.entries.get()
        travel("2026-10-08 10:00")
        client = api_login(manager)
        response = client.post(
            "/api/visits/records/",
            {"planned_visit": entry.pk, "latitude": 31.2304161234, "longitude": "121.473701"},
            format="json",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["kind"] == "planned" and body["status"] == "in_progress"
        assert body["customer"] == customer.pk
        assert (body["latitude"], body["longitude"]) == ("31.230416", "121.473701")
        assert body["arrived_at"].startswith("2026-10-08T10:00")
        # The same planned visit cannot be started twice.
        again = client.post("/api/visits/records/", {"planned_visit": entry.pk}, format="json")
        assert again.status_code == 409
        plan = client.get(f"/api/visits/schedules/{schedule.pk}/").json()
        assert plan["entries"][0]["visit"] == {"id": body["id"], "status": "in_progress"}

    def test_special_visit_needs_its_reason(self, api_login, manager, customer):
        client = api_login(manager)
        response = client.post("/api/visits/records/", {"customer": customer.pk}, format="json")
        assert response.status_code == 400
        assert "special_reason" in response.json()
        response = client.post(
            "/api/visits/records/",
            {"customer": customer.pk, "special_reason": "客户来电反映断货"},
            format="json",
        )
        assert response.status_code == 201
        assert response.json()["kind"] == "special"

    def test_fill_in_end_and_sign_through_the_api(self, api_login, manager, customer):
        client = api_login(manager)
        visit_id = client.post(
            "/api/visits/records/",
            {"customer": customer.pk, "special_reason": "新品到货"},
            format="json",
        ).json()["id"]
        url = f"/api/visits/records/{visit_id}/"
        response = client.patch(
            url,
            {
                "info_passed": True,
                "info_passed_note": "传达国庆配送安排",
                "stock_checked": True,
                "order_suggestion": "建议订购 5 条",
                "price_checked": True,
                "findings": "陈列整齐",
                "customer_opinions": "希望增加品种",
                # A week after the visit (today, by the clock: the test's own day).
                "revisit_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
            },
            format="json",
        )
        assert response.status_code == 200, response.json()
        assert response.json()["order_suggestion"] == "建议订购 5 条"
        assert client.post(url + "end/", {}, format="json").json()["status"] == "ended"
        # The customer cannot sign before the manager.
        early = client.post(
            url + "sign/",
            {"role": "customer", "image": data_url(), "signer_name": "王店主"},
            format="json",
        )
        assert early.status_code == 409
        signed = client.post(url + "sign/", {"role": "manager", "image": data_url()}, format="json")
        assert signed.json()["status"] == "manager_signed"
        locked = client.post(
            url + "sign/",
            {"role": "customer", "image": data_url(), "signer_name": "王店主"},
            format="json",
        )
        assert locked.status_code == 200
        body = locked.json()
        assert body["status"] == "locked" and body["is_locked"]
        assert [s["role"] for s in body["signatures"]] == ["manager", "customer"]
        assert body["signatures"][1]["signer_name"] == "王店主"
        assert [e["action"] for e in body["events"]] == [
            "start",
            "update",
            "end",
            "sign_manager",
            "sign_customer",
        ]
        assert client.get(url + "verify/").json() == {"ok": True, "problems": []}

    def test_signature_upload_as_a_file(self, api_login, manager, customer):
        visit = make_visit(manager, customer, stage="ended")
        upload = SimpleUploadedFile("sig.png", png_bytes(), content_type="image/png")
        response = api_login(manager).post(
            _url(visit, "sign"), {"role": "manager", "image": upload}, format="multipart"
        )
        assert response.status_code == 200
        assert response.json()["status"] == "manager_signed"

    def test_departure_before_arrival_is_refused(self, api_login, manager, customer, travel):
        travel("2026-10-09 10:00")
        visit = make_visit(manager, customer, stage="in_progress")
        response = api_login(manager).post(
            _url(visit, "end"), {"departed_at": "2026-10-09T09:00:00+08:00"}, format="json"
        )
        assert response.status_code == 400
        assert "departed_at" in response.json()

    def test_location_out_of_range_is_a_field_error(self, api_login, manager, customer):
        visit = make_visit(manager, customer, stage="in_progress")
        client = api_login(manager)
        response = client.post(_url(visit, "end"), {"latitude": "31", "longitude": "abc"})
        assert response.status_code == 400
        assert set(response.json()) == {"longitude"}
        response = client.post(_url(visit, "end"), {"latitude": "200", "longitude": "121"})
        assert response.status_code == 400
        assert set(response.json()) == {"latitude"}
        assert Visit.objects.get(pk=visit.pk).status == Visit.Status.IN_PROGRESS

    def test_price_violation_needs_f_checked(self, api_login, manager, customer):
        visit = make_visit(manager, customer, stage="in_progress")
        response = api_login(manager).patch(_url(visit), {"price_violation": True}, format="json")
        assert response.status_code == 400
        assert "price_violation" in response.json()

    def test_revisit_date_and_the_visit_that_makes_it(self, manager, customer):
        first = make_visit(
            manager,
            customer,
            stage="locked",
            arrived="2026-10-09 10:00",
            revisit_on=D(2026, 10, 15),
        )
        second = make_visit(manager, customer, stage="in_progress", arrived="2026-10-15 09:00")
        assert Visit.objects.get(pk=first.pk).revisited_by_id == second.pk


class TestSignatureImages:
    @pytest.fixture
    def visit(self, manager, customer):
        return make_visit(manager, customer, stage="ended")

    @pytest.mark.parametrize(
        "image",
        [
            pytest.param(data_url(png_bytes(fmt="JPEG")), id="jpeg-labelled-png"),
            pytest.param(data_url(b"GIF89a" + b"\0" * 100), id="gif"),
            pytest.param(data_url(png_bytes(blank=True)), id="blank"),
            pytest.param("data:image/png;base64,not base64!!", id="bad-base64"),
            pytest.param("data:image/svg+xml;base64,PHN2Zz4=", id="svg"),
            pytest.param(data_url(png_bytes()[:60]), id="truncated"),
        ],
    )
    def test_refused(self, api_login, manager, visit, image):
        response = api_login(manager).post(
            _url(visit, "sign"), {"role": "manager", "image": image}, format="json"
        )
        assert response.status_code == 400
        assert "image" in response.json()
        assert Visit.objects.get(pk=visit.pk).status == Visit.Status.ENDED
        assert not Signature.objects.exists()

    def test_oversized_refused(self, api_login, manager, visit, settings):
        settings.VISITS_SIGNATURE_MAX_BYTES = 1000
        response = api_login(manager).post(
            _url(visit, "sign"),
            {"role": "manager", "image": data_url(png_bytes(size=(800, 400)))},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 400
        assert response.json()["image"] == [
            "The signature image is too large: the limit is 1000\xa0bytes."
        ]

    def test_oversized_upload_refused(self, api_login, manager, visit, settings):
        settings.VISITS_SIGNATURE_MAX_BYTES = 1000
        upload = SimpleUploadedFile("s.png", png_bytes(size=(800, 400)), "image/png")
        response = api_login(manager).post(
            _url(visit, "sign"), {"role": "manager", "image": upload}, format="multipart"
        )
        assert response.status_code == 400


class TestLocked:
    @pytest.fixture
    def locked(self, manager, customer):
        return make_visit(manager, customer, stage="locked", findings="货架整洁")

    def test_service_refuses(self, manager, locked):
        with pytest.raises(VisitLocked):
            visit_services.visit_update(visit=locked, actor=manager, data={"findings": "改"})
        with pytest.raises(VisitLocked):
            visit_services.visit_sign(
                visit=locked, actor=manager, role="customer", image=data_url(), signer_name="x"
            )

    def test_api_refuses_with_a_clear_409(self, api_login, manager, locked):
        client = api_login(manager)
        response = client.patch(
            _url(locked), {"findings": "改"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 409
        assert "locked" in response.json()["detail"]
        assert "correction" in response.json()["detail"]
        assert client.put(_url(locked), {"findings": "改"}, format="json").status_code == 409
        assert client.post(_url(locked, "end"), {}, format="json").status_code == 409
        assert client.delete(_url(locked)).status_code == 405
        assert Visit.objects.get(pk=locked.pk).findings == "货架整洁"

    def test_model_save_refuses(self, locked):
        locked.findings = "改"
        with pytest.raises(VisitLocked):
            locked.save()
        with pytest.raises(VisitLocked):
            locked.delete()
        assert Visit.objects.get(pk=locked.pk).findings == "货架整洁"

    def test_admin_cannot_change(self, client, admin_user, locked):
        client.force_login(admin_user)
        url = f"/admin/visits/visit/{locked.pk}/change/"
        assert client.get(url).status_code == 200  # read-only view
        response = client.post(url, {"findings": "改"})
        assert response.status_code == 403
        assert Visit.objects.get(pk=locked.pk).findings == "货架整洁"

    def test_tampering_is_detected(self, api_login, manager, locked):
        assert visit_services.visit_verify(visit=locked) == (True, [])
        Visit.objects.filter(pk=locked.pk).update(findings="私下改过")
        ok, problems = visit_services.visit_verify(visit=locked)
        assert not ok and len(problems) == 2  # both signatures' hashes no longer match
        body = api_login(manager).get(_url(locked, "verify")).json()
        assert body["ok"] is False

    def test_replaced_signature_image_is_detected(self, locked):
        signature = locked.signatures.get(role="customer")
        with open(signature.image.path, "wb") as handle:
            handle.write(png_bytes(size=(301, 120)))
        ok, problems = visit_services.visit_verify(visit=locked)
        assert not ok and len(problems) == 1

    def test_correction_is_a_new_linked_record(self, api_login, manager, locked):
        client = api_login(manager)
        response = client.post(
            _url(locked, "correct"),
            {"reason": "发现记录写错", "findings": "货架整洁，缺两个价签"},
            format="json",
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["corrects"] == locked.pk and body["id"] != locked.pk
        assert body["status"] == "ended"
        assert body["findings"] == "货架整洁，缺两个价签"
        assert body["arrived_at"] == client.get(_url(locked)).json()["arrived_at"]
        original = client.get(_url(locked)).json()
        assert original["findings"] == "货架整洁" and original["corrections"] == [body["id"]]
        assert VisitEvent.objects.filter(visit=locked, action="corrected").exists()
        assert visit_services.visit_verify(visit=locked)[0]  # the original is untouched

    def test_only_a_locked_record_is_corrected(self, api_login, manager, customer):
        visit = make_visit(manager, customer, stage="ended")
        response = api_login(manager).post(
            _url(visit, "correct"), {"reason": "x", "findings": "y"}, format="json"
        )
        assert response.status_code == 400

    def test_pdf_with_both_signatures(self, api_login, manager, locked):
        response = api_login(manager).get(_url(locked, "pdf"))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert response.content.count(b"/Subtype /Image") >= 2

    def test_no_pdf_before_the_customer_signs(self, api_login, manager, customer):
        visit = make_visit(manager, customer, stage="manager_signed")
        assert api_login(manager).get(_url(visit, "pdf")).status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/media/x.png",
        "https://crm.invalid/media/../../../etc/passwd",
        "https://crm.invalid/etc/passwd",
    ],
)
def test_pdf_fetcher_refuses_foreign_urls(url):
    with pytest.raises(RefusedURL):
        url_fetcher(url)


class TestSuggestions:
    def test_due_in_three_working_days_over_the_holiday(self, api_login, manager, customer):
        # Wednesday 2026-09-30, then National Day: 10-01..07 off; 10-08, 10-09, 10-10 work.
        visit = make_visit(manager, customer, stage="in_progress", arrived="2026-09-30 15:00")
        response = api_login(manager).post(
            _url(visit, "suggestions"), {"text": "希望节后尽快补货"}, format="json"
        )
        assert response.status_code == 201
        assert response.json()["due_on"] == "2026-10-10"

    def test_answer_once(self, api_login, manager, customer):
        visit = make_visit(manager, customer, stage="in_progress")
        suggestion = suggestions.suggestion_add(visit=visit, actor=manager, text="加开早班配送")
        client = api_login(manager)
        url = f"/api/visits/suggestions/{suggestion.pk}/answer/"
        response = client.post(url, {"answer": "已反馈物流部门"}, format="json")
        assert response.status_code == 200
        assert response.json()["answer"] == "已反馈物流部门"
        assert response.json()["answered_at"]
        assert client.post(url, {"answer": "again"}, format="json").status_code == 409

    @pytest.mark.parametrize("persona", ["teammate", "outsider", "other_regional_manager"])
    def test_others_cannot_see_or_answer(self, request, api_login, manager, customer, persona):
        visit = make_visit(manager, customer, stage="in_progress")
        suggestion = suggestions.suggestion_add(visit=visit, actor=manager, text="x")
        client = api_login(request.getfixturevalue(persona))
        assert client.get(f"/api/visits/suggestions/{suggestion.pk}/").status_code == 404
        answer = client.post(f"/api/visits/suggestions/{suggestion.pk}/answer/", {"answer": "y"})
        assert answer.status_code == 404


def test_a_visit_to_someone_elses_customer_is_refused(api_login, manager, teammate):
    foreign = factories.CustomerFactory(manager=teammate)
    response = api_login(manager).post(
        "/api/visits/records/", {"customer": foreign.pk, "special_reason": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "customer" in response.json()
