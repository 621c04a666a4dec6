"""Visit record pages: who sees them, the record's steps, locking, bad input."""

import pytest
from django.urls import reverse

from tests import factories
from tests.visits.conftest import data_url, make_violation, make_visit, png_bytes
from visits.models import CHECKLIST, Signature, Suggestion, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    """The pages in English, so the assertions read the msgids."""
    settings.LANGUAGE_CODE = "en"


CHECKLIST_ALL = dict.fromkeys([prefix for prefix, _label in CHECKLIST], "on")


def detail(visit):
    return reverse("visits:visit_detail", args=[visit.pk])


def _customer_signs(client, visit, signer_name, **kwargs):
    """The customer draws a signature on the visit's page and gives ``signer_name``."""
    return client.post(
        reverse("visits:visit_sign", args=[visit.pk, "customer"]),
        {"signature": data_url(), "signer_name": signer_name},
        **kwargs,
    )


class TestVisibility:
    def test_owner_and_supervisors_see_the_record(
        self, login, manager, regional_manager, admin_user, customer, travel
    ):
        travel("2026-10-09 11:00")
        visit = make_visit(manager, customer, stage="locked")
        for user in (manager, regional_manager, admin_user):
            response = login(user).get(detail(visit))
            assert response.status_code == 200
            assert "和平便利店" in response.text

    def test_teammate_outsider_and_other_region_get_404(
        self, login, client, manager, teammate, outsider, other_regional_manager, customer, travel
    ):
        travel("2026-10-09 11:00")
        visit = make_visit(manager, customer, stage="locked")
        for user in (teammate, outsider, other_regional_manager):
            login(user)
            for url in (
                detail(visit),
                reverse("visits:visit_pdf", args=[visit.pk]),
                reverse("visits:signature_image", args=[visit.pk, "manager"]),
            ):
                assert client.get(url).status_code == 404, (user, url)
            assert client.post(reverse("visits:visit_edit", args=[visit.pk])).status_code == 404

    def test_regional_manager_may_read_but_not_sign(
        self, login, manager, regional_manager, customer, travel
    ):
        travel("2026-10-09 11:00")
        visit = make_visit(manager, customer, stage="ended")
        client = login(regional_manager)
        response = client.post(
            reverse("visits:visit_sign", args=[visit.pk, "manager"]),
            {"signature": data_url(), "signer_name": "x"},
        )
        assert response.status_code == 403
        assert Visit.objects.get(pk=visit.pk).status == Visit.Status.ENDED

    def test_anonymous_goes_to_login(self, client, manager, customer, travel):
        travel("2026-10-09 11:00")
        visit = make_visit(manager, customer, stage="ended")
        for url in (detail(visit), reverse("visits:visit_list"), reverse("visits:schedule")):
            response = client.get(url)
            assert response.status_code == 302
            assert response.url.startswith(reverse("login"))


class TestRecordSteps:
    def test_special_visit_fill_end_sign_twice_then_locked(self, login, manager, customer, travel):
        travel("2026-10-09 10:00")
        client = login(manager)
        response = client.post(
            reverse("visits:visit_special"),
            {"customer": customer.pk, "special_reason": "顾客投诉断货", "latitude": "31.2304"},
        )
        visit = Visit.objects.get()
        assert response.status_code == 302 and response.url == detail(visit)
        assert visit.kind == Visit.Kind.SPECIAL and visit.latitude is None  # both or neither

        response = client.post(
            reverse("visits:visit_edit", args=[visit.pk]),
            {**CHECKLIST_ALL, "stock_checked_note": "卷烟库存 3 条", "findings": "陈列整齐"},
        )
        assert response.status_code == 302
        visit.refresh_from_db()
        assert visit.stock_checked and visit.stock_checked_note == "卷烟库存 3 条"

        client.post(
            reverse("visits:visit_suggestion_add", args=[visit.pk]), {"text": "希望增加配送"}
        )
        assert Suggestion.objects.get().visit == visit

        travel("2026-10-09 10:30")
        client.post(
            reverse("visits:visit_end", args=[visit.pk]),
            {"latitude": "31.230416", "longitude": "121.473701"},
        )
        visit.refresh_from_db()
        assert visit.status == Visit.Status.ENDED
        assert str(visit.latitude) == "31.230416"

        page = client.get(detail(visit)).text
        assert "data-signature-field" in page and "sign-manager" in page

        client.post(
            reverse("visits:visit_sign", args=[visit.pk, "manager"]),
            {"signature": data_url(), "signer_name": "张经理"},
        )
        _customer_signs(client, visit, "王店主")
        visit.refresh_from_db()
        assert visit.status == Visit.Status.LOCKED
        page = client.get(detail(visit)).text
        assert 'data-testid="signature-manager"' in page
        assert 'data-testid="signature-customer"' in page
        assert "王店主" in page and "张经理" in page
        assert "Integrity check: intact" in page
        assert reverse("visits:visit_pdf", args=[visit.pk]) in page
        assert reverse("visits:visit_correct", args=[visit.pk]) in page
        assert 'id="record-form"' not in page

        image = client.get(reverse("visits:signature_image", args=[visit.pk, "customer"]))
        assert image.status_code == 200
        assert b"".join(image.streaming_content).startswith(b"\x89PNG")

    def test_tampered_record_shows_it(self, login, manager, customer, travel):
        travel("2026-10-09 11:00")
        visit = make_visit(manager, customer, stage="locked")
        # A change behind the services' back (raw UPDATE).
        Visit.objects.filter(pk=visit.pk).update(findings="改过了")
        page = login(manager).get(detail(visit)).text
        assert "Integrity check: tampered." in page

    def test_pdf_of_a_locked_record(self, login, manager, customer, travel):
        travel("2026-10-09 11:00")
        visit = make_visit(manager, customer, stage="locked")
        response = login(manager).get(reverse("visits:visit_pdf", args=[visit.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")

    def test_pdf_of_an_open_record_is_refused_with_a_message(
        self, login, manager, customer, travel
    ):
        travel("2026-10-09 11:00")
        visit = make_visit(manager, customer, stage="ended")
        response = login(manager).get(reverse("visits:visit_pdf", args=[visit.pk]), follow=True)
        assert "Only a record signed by the manager and the customer" in response.text

    def test_price_violation_reaches_the_regional_manager(
        self, login, manager, regional_manager, customer, travel
    ):
        travel("2026-10-09 11:00")
        violation = make_violation(manager, customer)
        page = login(regional_manager).get(reverse("visits:violation_list")).text
        assert reverse("visits:violation_detail", args=[violation.pk]) in page


class TestLocked:
    def test_edit_after_customer_signed_is_refused(self, login, manager, customer, travel):
        travel("2026-10-09 11:00")
        visit = make_visit(manager, customer, stage="locked", findings="原样")
        response = login(manager).post(
            reverse("visits:visit_edit", args=[visit.pk]),
            {**CHECKLIST_ALL, "findings": "改过了"},
            follow=True,
        )
        assert response.status_code == 200
        assert "locked" in response.text
        visit.refresh_from_db()
        assert visit.findings == "原样" and not visit.info_passed
        assert visit.status == Visit.Status.LOCKED

    def test_sign_again_after_lock_is_refused(self, login, manager, customer, travel):
        travel("2026-10-09 11:00")
        visit = make_visit(manager, customer, stage="locked")
        response = _customer_signs(login(manager), visit, "别人", follow=True)
        assert response.status_code == 200
        assert Signature.objects.filter(visit=visit).count() == 2
        assert "locked" in response.text

    def test_correction_is_a_new_linked_record(self, login, manager, customer, travel):
        travel("2026-10-09 11:00")
        visit = make_visit(manager, customer, stage="locked", findings="原样")
        client = login(manager)
        assert client.get(reverse("visits:visit_correct", args=[visit.pk])).status_code == 200
        response = client.post(
            reverse("visits:visit_correct", args=[visit.pk]),
            {"reason": "漏记了建议", "findings": "补充：门店扩建"},
        )
        correction = Visit.objects.get(corrects=visit)
        assert response.url == detail(correction)
        assert correction.findings == "补充：门店扩建"
        assert correction.status == Visit.Status.ENDED
        visit.refresh_from_db()
        assert visit.findings == "原样"
        page = client.get(detail(visit)).text
        assert f"#{correction.pk}" in page


class TestBadInput:
    def test_special_visit_without_reason(self, login, manager, customer, travel):
        travel("2026-10-09 10:00")
        response = login(manager).post(
            reverse("visits:visit_special"), {"customer": customer.pk, "special_reason": "  "}
        )
        assert response.status_code == 200
        assert response.context["form"].errors["special_reason"]
        assert not Visit.objects.exists()

    def test_special_visit_for_a_teammates_customer_is_not_offered(
        self, login, manager, teammate, travel
    ):
        travel("2026-10-09 10:00")
        other = factories.CustomerFactory(manager=teammate)
        response = login(manager).post(
            reverse("visits:visit_special"), {"customer": other.pk, "special_reason": "路过"}
        )
        assert response.context["form"].errors["customer"]
        assert not Visit.objects.exists()

    @pytest.mark.parametrize(
        "signature",
        [
            "",
            "data:image/jpeg;base64,AAAA",
            data_url(b"GIF89a not a png"),
            data_url(png_bytes(fmt="JPEG")),
            data_url(png_bytes(blank=True)),
        ],
        ids=["empty", "jpeg-prefix", "garbage", "jpeg-bytes", "blank"],
    )
    def test_signature_not_a_png(self, login, manager, customer, travel, signature):
        travel("2026-10-09 11:00")
        visit = make_visit(manager, customer, stage="ended")
        response = login(manager).post(
            reverse("visits:visit_sign", args=[visit.pk, "manager"]),
            {"signature": signature, "signer_name": "张经理"},
        )
        assert response.status_code == 400
        assert response.context["sign_form"].errors["signature"]
        visit.refresh_from_db()
        assert visit.status == Visit.Status.ENDED
        assert not Signature.objects.exists()

    def test_customer_signature_needs_a_name(self, login, manager, customer, travel):
        travel("2026-10-09 11:00")
        visit = make_visit(manager, customer, stage="manager_signed")
        response = _customer_signs(login(manager), visit, "")
        assert response.status_code == 400
        assert response.context["sign_form"].errors["signer_name"]
        assert Visit.objects.get(pk=visit.pk).status == Visit.Status.MANAGER_SIGNED

    def test_violation_without_price_check_is_a_form_error(self, login, manager, customer, travel):
        travel("2026-10-09 11:00")
        visit = make_visit(manager, customer, stage="in_progress")
        response = login(manager).post(
            reverse("visits:visit_edit", args=[visit.pk]),
            {"price_violation": "on", "findings": "不该保存"},
        )
        assert response.status_code == 400
        assert response.context["content_form"].errors["price_violation"]
        visit.refresh_from_db()
        assert visit.findings == "" and not visit.price_violation


class TestVisitList:
    def test_scoped_by_role(
        self, login, manager, teammate, regional_manager, other_regional_manager, travel
    ):
        travel("2026-10-09 11:00")
        mine = make_visit(manager, factories.CustomerFactory(manager=manager, name="甲店"))
        theirs = make_visit(teammate, factories.CustomerFactory(manager=teammate, name="乙店"))
        page = login(manager).get(reverse("visits:visit_list")).text
        assert detail(mine) in page and detail(theirs) not in page
        page = login(regional_manager).get(reverse("visits:visit_list")).text
        assert detail(mine) in page and detail(theirs) in page
        page = login(other_regional_manager).get(reverse("visits:visit_list")).text
        assert detail(mine) not in page and detail(theirs) not in page

    def test_filters(self, login, manager, travel):
        travel("2026-10-09 11:00")
        a = make_visit(manager, factories.CustomerFactory(manager=manager, name="甲店"))
        b = make_visit(
            manager,
            factories.CustomerFactory(manager=manager, name="乙店"),
            arrived="2026-10-08 09:00",
        )
        client = login(manager)
        page = client.get(reverse("visits:visit_list"), {"q": "甲"}).text
        assert detail(a) in page and detail(b) not in page
        page = client.get(
            reverse("visits:visit_list"), {"date_from": "2026-10-08", "date_to": "2026-10-08"}
        ).text
        assert detail(b) in page and detail(a) not in page
        page = client.get(reverse("visits:visit_list"), {"status": "locked"}).text
        assert "No visits." in page

    @pytest.mark.parametrize("rows", [3, 20])
    def test_query_budget(self, login, manager, travel, django_assert_max_num_queries, rows):
        travel("2026-10-09 11:00")
        for _ in range(rows):
            make_visit(manager, factories.CustomerFactory(manager=manager), stage="in_progress")
        client = login(manager)
        # session, user, the manager's customer ids, count of visits, page of
        # visits (customer, grade, manager joined); the layout's unread
        # notifications and the user's region; the session saved.
        with django_assert_max_num_queries(8 + 2):
            response = client.get(reverse("visits:visit_list"))
        assert len(response.context["page"].object_list) == rows
