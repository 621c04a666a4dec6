"""'End visit' and 'sign' carry the record's unsaved content: applied in the same
transaction as the step, with the validation of a save; a bad value ends or
signs nothing (issue 14, "nothing typed is ever lost")."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.errors import ConflictError
from tests import factories
from tests.visits.conftest import data_url, make_visit
from visits.models import CHECKLIST, Signature, Visit, VisitEvent
from visits.services import visits as visit_services

pytestmark = pytest.mark.django_db

TICKED = {prefix: True for prefix, _label in CHECKLIST}


def _content(**fields):
    return {**TICKED, "findings": "陈列整齐，价签齐全", **fields}


class TestService:
    def test_end_applies_the_content_first(self, manager, customer):
        visit = make_visit(manager, customer, stage="in_progress", arrived="2026-11-30 10:00")
        ended = visit_services.visit_end(visit=visit, actor=manager, data=_content())
        ended.refresh_from_db()
        assert ended.status == Visit.Status.ENDED
        assert all(getattr(ended, prefix) for prefix in TICKED)
        assert ended.findings == "陈列整齐，价签齐全"
        actions = list(ended.events.order_by("pk").values_list("action", flat=True))
        assert actions[-2:] == ["update", "end"]

    def test_a_bad_value_ends_nothing(self, manager, customer):
        visit = make_visit(manager, customer, stage="in_progress", arrived="2026-11-30 10:00")
        events = VisitEvent.objects.filter(visit=visit).count()
        with pytest.raises(ValidationError) as error:
            visit_services.visit_end(
                visit=visit,
                actor=manager,
                # Before the visit: refused, as by a save.
                data=_content(revisit_on=datetime.date(2026, 11, 1)),
            )
        assert "revisit_on" in error.value.message_dict
        visit.refresh_from_db()
        assert visit.status == Visit.Status.IN_PROGRESS
        assert visit.departed_at is None
        assert visit.findings == "" and not visit.price_checked
        assert VisitEvent.objects.filter(visit=visit).count() == events

    def test_an_unknown_field_ends_nothing(self, manager, customer):
        visit = make_visit(manager, customer, stage="in_progress", arrived="2026-11-30 10:00")
        with pytest.raises(ValidationError) as error:
            visit_services.visit_end(visit=visit, actor=manager, data={"status": "locked"})
        assert "status" in error.value.message_dict
        visit.refresh_from_db()
        assert visit.status == Visit.Status.IN_PROGRESS

    def test_the_manager_signs_what_was_carried(self, manager, customer):
        visit = make_visit(manager, customer, stage="ended", arrived="2026-11-30 10:00")
        signed = visit_services.visit_sign(
            visit=visit, actor=manager, role="manager", image=data_url(), data=_content()
        )
        assert signed.status == Visit.Status.MANAGER_SIGNED
        assert signed.findings == "陈列整齐，价签齐全"
        ok, problems = visit_services.visit_verify(visit=signed)
        assert ok, problems

    def test_a_bad_value_signs_nothing(self, manager, customer):
        visit = make_visit(manager, customer, stage="ended", arrived="2026-11-30 10:00")
        with pytest.raises(ValidationError):
            visit_services.visit_sign(
                visit=visit,
                actor=manager,
                role="manager",
                image=data_url(),
                # f) not ticked: no violation can be reported.
                data={"price_violation": True},
            )
        visit.refresh_from_db()
        assert visit.status == Visit.Status.ENDED
        assert not Signature.objects.filter(visit=visit).exists()
        assert not visit.price_violation

    def test_the_customer_signs_no_change(self, manager, customer):
        visit = make_visit(
            manager, customer, stage="manager_signed", arrived="2026-11-30 10:00", findings="原样"
        )
        # Changed content is refused: the manager has signed the record.
        with pytest.raises(ConflictError):
            visit_services.visit_sign(
                visit=visit,
                actor=manager,
                role="customer",
                image=data_url(),
                signer_name="王店主",
                data={"findings": "改过"},
            )
        visit.refresh_from_db()
        assert visit.status == Visit.Status.MANAGER_SIGNED and visit.findings == "原样"
        # The same content: nothing changes, the customer signs.
        locked = visit_services.visit_sign(
            visit=visit,
            actor=manager,
            role="customer",
            image=data_url(),
            signer_name="王店主",
            data={"findings": "原样"},
        )
        assert locked.status == Visit.Status.LOCKED


def _post_fields(**fields):
    """The record form's fields as the page sends them (ticked switches only)."""
    body = {"content_carried": "1", "findings": "陈列整齐，价签齐全"}
    body.update(dict.fromkeys(TICKED, "on"))
    body.update(fields)
    return body


class TestPages:
    def test_end_with_the_record_form_fields(self, client, manager, customer):
        visit = make_visit(manager, customer, stage="in_progress", arrived="2026-11-30 10:00")
        client.force_login(manager)
        response = client.post(f"/visits/{visit.pk}/end/", _post_fields())
        assert response.status_code == 302
        visit.refresh_from_db()
        assert visit.status == Visit.Status.ENDED
        assert all(getattr(visit, prefix) for prefix in TICKED)
        assert visit.findings == "陈列整齐，价签齐全"

    def test_end_without_carried_content_keeps_the_record(self, client, manager, customer):
        # A page without the script sends no content: what was saved stays.
        visit = make_visit(
            manager,
            customer,
            stage="in_progress",
            arrived="2026-11-30 10:00",
            findings="已保存",
            info_passed=True,
        )
        client.force_login(manager)
        assert client.post(f"/visits/{visit.pk}/end/", {}).status_code == 302
        visit.refresh_from_db()
        assert visit.status == Visit.Status.ENDED
        assert visit.findings == "已保存" and visit.info_passed

    def test_a_bad_carried_value_is_shown_and_nothing_ends(self, client, manager, customer):
        visit = make_visit(manager, customer, stage="in_progress", arrived="2026-11-30 10:00")
        client.force_login(manager)
        response = client.post(
            f"/visits/{visit.pk}/end/",
            _post_fields(revisit_on="2026-11-01"),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 400
        page = response.content.decode()
        assert "The revisit cannot be before the visit." in page
        # What was typed is on the page again.
        assert "陈列整齐，价签齐全" in page
        visit.refresh_from_db()
        assert visit.status == Visit.Status.IN_PROGRESS and visit.findings == ""

    def test_sign_with_the_record_form_fields(self, client, manager, customer):
        visit = make_visit(manager, customer, stage="ended", arrived="2026-11-30 10:00")
        client.force_login(manager)
        response = client.post(
            f"/visits/{visit.pk}/sign/manager/",
            _post_fields(signature=data_url(), signer_name=str(manager)),
        )
        assert response.status_code == 302
        visit.refresh_from_db()
        assert visit.status == Visit.Status.MANAGER_SIGNED
        assert visit.findings == "陈列整齐，价签齐全"

    def test_a_bad_carried_value_signs_nothing(self, client, manager, customer):
        visit = make_visit(manager, customer, stage="ended", arrived="2026-11-30 10:00")
        client.force_login(manager)
        response = client.post(
            f"/visits/{visit.pk}/sign/manager/",
            _post_fields(signature=data_url(), revisit_on="2026-11-01"),
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code == 400
        assert "The revisit cannot be before the visit." in response.content.decode()
        visit.refresh_from_db()
        assert visit.status == Visit.Status.ENDED
        assert not Signature.objects.filter(visit=visit).exists()

    def test_not_yours_is_404(self, client, manager, customer, region):
        visit = make_visit(manager, customer, stage="in_progress", arrived="2026-11-30 10:00")
        other = factories.ManagerFactory(username="other", region=region)
        client.force_login(other)
        response = client.post(f"/visits/{visit.pk}/end/", _post_fields())
        assert response.status_code == 404
        visit.refresh_from_db()
        assert visit.status == Visit.Status.IN_PROGRESS and visit.findings == ""


class TestApi:
    def test_end_with_content(self, api_login, manager, customer):
        visit = make_visit(manager, customer, stage="in_progress", arrived="2026-11-30 10:00")
        client = api_login(manager)
        response = client.post(
            f"/api/visits/records/{visit.pk}/end/",
            {"latitude": "31.230416", "longitude": "121.473701", **_content()},
            format="json",
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["status"] == "ended" and body["findings"] == "陈列整齐，价签齐全"
        assert body["price_checked"] is True

    def test_end_with_a_bad_value_is_a_400_and_ends_nothing(self, api_login, manager, customer):
        visit = make_visit(manager, customer, stage="in_progress", arrived="2026-11-30 10:00")
        client = api_login(manager)
        response = client.post(
            f"/api/visits/records/{visit.pk}/end/",
            _content(revisit_on="2026-11-01"),
            format="json",
        )
        assert response.status_code == 400
        assert "revisit_on" in response.json()
        visit.refresh_from_db()
        assert visit.status == Visit.Status.IN_PROGRESS and visit.findings == ""

    def test_sign_with_content(self, api_login, manager, customer):
        visit = make_visit(manager, customer, stage="ended", arrived="2026-11-30 10:00")
        client = api_login(manager)
        response = client.post(
            f"/api/visits/records/{visit.pk}/sign/",
            {"role": "manager", "image": data_url(), "findings": "签名时补充"},
            format="json",
        )
        assert response.status_code == 200, response.json()
        visit.refresh_from_db()
        assert visit.status == Visit.Status.MANAGER_SIGNED and visit.findings == "签名时补充"
        assert client.get(f"/api/visits/records/{visit.pk}/verify/").json()["ok"] is True
