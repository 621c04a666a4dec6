"""Suggestions, price violations, promotions, unlicensed reports, work logs, today."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from crm.models import GradeChange
from tests import factories
from tests.visits.conftest import data_url, make_violation, make_visit
from visits.models import PriceViolation, PromotionReceipt, Suggestion, UnlicensedReport, WorkLog
from visits.services import schedules, suggestions

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def violation(manager, customer, travel):
    travel("2026-10-09 11:00")
    return make_violation(manager, customer)


class TestViolations:
    def test_regional_manager_downgrades_and_history_names_the_visit(
        self, login, regional_manager, violation
    ):
        client = login(regional_manager)
        url = reverse("visits:violation_detail", args=[violation.pk])
        assert client.get(url).status_code == 200
        response = client.post(
            reverse("visits:violation_downgrade", args=[violation.pk]),
            {"grade": factories.grade("C").pk, "note": "第二次"},
        )
        assert response.status_code == 302
        violation.refresh_from_db()
        assert violation.status == PriceViolation.Status.DOWNGRADED
        change = GradeChange.objects.filter(source=GradeChange.Source.PRICE_VIOLATION).get()
        assert f"visit #{violation.visit_id}" in change.reason
        page = client.get(url).text
        assert f"visit #{violation.visit_id}" in page

    def test_dismiss_needs_a_note(self, login, regional_manager, violation):
        client = login(regional_manager)
        response = client.post(reverse("visits:violation_dismiss", args=[violation.pk]), {})
        assert response.status_code == 400
        assert PriceViolation.objects.get().status == PriceViolation.Status.OPEN
        client.post(reverse("visits:violation_dismiss", args=[violation.pk]), {"note": "误报"})
        assert PriceViolation.objects.get().status == PriceViolation.Status.DISMISSED

    def test_manager_403_other_region_404(
        self, client, login, manager, other_regional_manager, violation
    ):
        grade = factories.grade("C").pk
        login(manager)
        assert (
            client.get(reverse("visits:violation_detail", args=[violation.pk])).status_code == 200
        )
        for name in ("violation_downgrade", "violation_dismiss"):
            response = client.post(
                reverse(f"visits:{name}", args=[violation.pk]), {"grade": grade, "note": "x"}
            )
            assert response.status_code == 403
        login(other_regional_manager)
        assert (
            client.get(reverse("visits:violation_detail", args=[violation.pk])).status_code == 404
        )
        response = client.post(
            reverse("visits:violation_downgrade", args=[violation.pk]), {"grade": grade}
        )
        assert response.status_code == 404
        assert PriceViolation.objects.get().status == PriceViolation.Status.OPEN


class TestSuggestions:
    def test_due_dates_overdue_and_answer(self, login, manager, customer, travel):
        travel("2026-10-09 11:00")
        visit = make_visit(manager, customer, stage="in_progress")
        suggestions.suggestion_add(visit=visit, actor=manager, text="希望增加配送")
        suggestion = Suggestion.objects.get()
        travel("2026-10-20 09:00")  # past its 3-working-day limit
        client = login(manager)
        page = client.get(reverse("visits:suggestion_list")).text
        assert "希望增加配送" in page and "overdue" in page
        client.post(reverse("visits:suggestion_answer", args=[suggestion.pk]), {"answer": "已安排"})
        suggestion.refresh_from_db()
        assert suggestion.answer == "已安排"

    def test_teammate_cannot_answer(self, login, manager, teammate, customer, travel):
        travel("2026-10-09 11:00")
        visit = make_visit(manager, customer, stage="in_progress")
        suggestion = suggestions.suggestion_add(visit=visit, actor=manager, text="建议")
        response = login(teammate).post(
            reverse("visits:suggestion_answer", args=[suggestion.pk]), {"answer": "x"}
        )
        assert response.status_code == 404


class TestPromotions:
    def test_receipt_with_signature(self, login, manager, travel):
        travel("2026-10-09 11:00")
        good = factories.CustomerFactory(manager=manager, grade=factories.grade("B1"))
        client = login(manager)
        response = client.post(
            reverse("visits:promotion_create"),
            {
                "customer": good.pk,
                "item": "价签",
                "quantity": 20,
                "signer_name": "王店主",
                "signature": data_url(),
            },
        )
        assert response.status_code == 302
        receipt = PromotionReceipt.objects.get()
        page = client.get(reverse("visits:promotion_list")).text
        assert "价签" in page
        assert reverse("visits:promotion_signature", args=[receipt.pk]) in page

    def test_refused_for_a_grade_without_promotions(self, login, manager, customer, travel):
        travel("2026-10-09 11:00")  # ``customer`` is B2
        response = login(manager).post(
            reverse("visits:promotion_create"),
            {
                "customer": customer.pk,
                "item": "价签",
                "quantity": 1,
                "signer_name": "王店主",
                "signature": data_url(),
            },
        )
        assert response.status_code == 400
        # Refused on the customer field, naming the grades that may, before any signature
        # is read; the drawn signature comes back with the form.
        errors = response.context["form"].errors
        assert list(errors) == ["customer"]
        assert (
            "Promotional materials go only to your customers of grades A1, A2, B1"
            in (errors["customer"][0])
        )
        assert f'value="{data_url()}"' in response.text
        assert not PromotionReceipt.objects.exists()

    def test_only_customers_whose_grade_may_receive_promotions_are_offered(
        self, login, manager, customer
    ):
        good = factories.CustomerFactory(manager=manager, grade=factories.grade("A1"))
        page = login(manager).get(reverse("visits:promotion_create")).text
        assert f'value="{good.pk}"' in page
        assert f'value="{customer.pk}"' not in page  # B2

    def test_another_fields_error_keeps_the_signature(self, login, manager, travel):
        travel("2026-10-09 11:00")
        good = factories.CustomerFactory(manager=manager, grade=factories.grade("A1"))
        response = login(manager).post(
            reverse("visits:promotion_create"),
            {
                "customer": good.pk,
                "item": "价签",
                "quantity": 0,
                "signer_name": "",
                "signature": data_url(),
            },
        )
        assert response.status_code == 400
        assert set(response.context["form"].errors) == {"quantity", "signer_name"}
        assert f'name="signature" data-signature-input value="{data_url()}"' in response.text

    def test_signature_must_be_a_png(self, login, manager, travel):
        travel("2026-10-09 11:00")
        good = factories.CustomerFactory(manager=manager, grade=factories.grade("A1"))
        response = login(manager).post(
            reverse("visits:promotion_create"),
            {
                "customer": good.pk,
                "item": "价签",
                "quantity": 1,
                "signer_name": "王店主",
                "signature": "data:image/png;base64,bm90IGEgcG5n",
            },
        )
        assert response.context["form"].errors["signature"]
        assert not PromotionReceipt.objects.exists()


def _jpeg():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="JPEG")
    return SimpleUploadedFile("shop.jpg", out.getvalue(), content_type="image/jpeg")


class TestUnlicensed:
    def test_report_forward_outcome(
        self, client, login, manager, regional_manager, other_regional_manager, travel
    ):
        travel("2026-10-09 11:00")
        login(manager)
        response = client.post(
            reverse("visits:unlicensed_create"),
            {"address": "解放路 8 号", "description": "无证售烟", "photo": _jpeg()},
        )
        report = UnlicensedReport.objects.get()
        assert response.url == reverse("visits:unlicensed_detail", args=[report.pk])
        assert client.get(reverse("visits:unlicensed_photo", args=[report.pk])).status_code == 200
        forward = reverse("visits:unlicensed_forward", args=[report.pk])
        assert client.post(forward).status_code == 403
        login(other_regional_manager)
        assert client.get(reverse("visits:unlicensed_detail", args=[report.pk])).status_code == 404
        login(regional_manager)
        client.post(forward, {"note": "已转专卖"})
        client.post(reverse("visits:unlicensed_outcome", args=[report.pk]), {"outcome": "已查处"})
        report.refresh_from_db()
        assert report.status == UnlicensedReport.Status.CLOSED and report.outcome == "已查处"

    def test_a_photo_that_is_not_an_image(self, login, manager, travel):
        travel("2026-10-09 11:00")
        bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
        response = login(manager).post(
            reverse("visits:unlicensed_create"),
            {"address": "解放路 8 号", "description": "无证售烟", "photo": bad},
        )
        assert response.status_code == 400
        assert not UnlicensedReport.objects.exists()


class TestWorkLogs:
    def test_write_read_comment(self, client, login, manager, teammate, regional_manager, travel):
        travel("2026-10-09 18:00")
        login(manager)
        client.post(
            reverse("visits:work_log_write"),
            {"kind": "daily", "day": "2026-10-09", "content": "走访 6 户"},
        )
        log = WorkLog.objects.get()
        login(teammate)
        assert client.get(reverse("visits:work_log_detail", args=[log.pk])).status_code == 404
        login(regional_manager)
        client.post(reverse("visits:work_log_comment", args=[log.pk]), {"text": "辛苦了"})
        login(manager)
        page = client.get(reverse("visits:work_log_detail", args=[log.pk])).text
        assert "走访 6 户" in page and "辛苦了" in page
        response = client.post(reverse("visits:work_log_comment", args=[log.pk]), {"text": "x"})
        assert response.status_code == 403

    def test_future_day_is_a_form_error(self, login, manager, travel):
        travel("2026-10-09 18:00")
        response = login(manager).post(
            reverse("visits:work_log_write"),
            {"kind": "daily", "day": "2026-10-12", "content": "x"},
        )
        assert response.status_code == 400
        assert response.context["form"].errors["day"]


class TestToday:
    def test_partial_lists_the_plan_and_what_is_late(self, login, manager, customer, travel):
        travel("2026-10-02 16:00")
        schedules.schedule_propose(manager=manager, week_start=datetime.date(2026, 10, 5))
        travel("2026-10-08 08:00")
        page = login(manager).get(reverse("visits:today")).text
        assert 'data-testid="visits-today"' in page
        assert "和平便利店" in page
        assert 'data-testid="start-' in page

    def test_only_managers(self, login, regional_manager):
        assert login(regional_manager).get(reverse("visits:today")).status_code == 403
