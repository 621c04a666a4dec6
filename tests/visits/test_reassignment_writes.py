"""Writes follow the customer's current manager; reads of one's own history do not.

After a customer is reassigned (to a teammate, or to a manager of another
region) the previous manager still reads the visits they wrote, but every
change - edit, end, both signatures, a suggestion, its answer, a correction -
answers 403 in the browser and the API and writes nothing. The new manager
answers the customer's open suggestions and writes their own visits; the
previous manager's records stay theirs. A visit still open at the moment of
reassignment is closed by the reassignment, with an event row.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from crm import services as crm_services
from tests import factories
from tests.reassignment import hand_over
from tests.visits.conftest import data_url, make_violation, make_visit, promotion_fields
from visits.models import (
    PlannedVisit,
    PriceViolation,
    PromotionReceipt,
    Signature,
    Suggestion,
    Visit,
    VisitEvent,
    WeeklySchedule,
)
from visits.services import promotions, suggestions
from visits.services import visits as visit_services

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["teammate", "outsider"])
def new_manager(request):
    """The customer's next manager: in the same region, or in another one."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def records(manager, customer):
    """The previous manager's visits of the customer at every stage, and a suggestion."""
    visits = {
        "locked": make_visit(manager, customer, stage="locked", arrived="2026-10-07 10:00"),
        "signed": make_visit(manager, customer, stage="manager_signed", arrived="2026-10-08 10:00"),
        "ended": make_visit(manager, customer, stage="ended", arrived="2026-10-09 10:00"),
        "open": make_visit(manager, customer, stage="in_progress", arrived="2026-10-12 10:00"),
    }
    visits["suggestion"] = suggestions.suggestion_add(
        visit=visits["ended"], actor=manager, text="希望增加配送次数"
    )
    return visits


@pytest.fixture
def handed_over(records, customer, new_manager, admin_user):
    hand_over(customer, new_manager, admin_user)
    return records


def snapshot():
    """Everything a write of a visit could change."""
    return {
        "visits": list(
            Visit.objects.order_by("pk").values_list(
                "pk", "status", "findings", "departed_at", "updated_at"
            )
        ),
        "signatures": Signature.objects.count(),
        "events": list(VisitEvent.objects.order_by("pk").values_list("pk", flat=True)),
        "suggestions": list(
            Suggestion.objects.order_by("pk").values_list("pk", "answer", "answered_by_id")
        ),
    }


def api_writes(records):
    """(name, method, url, body) of every API write on the previous manager's records."""
    record = "/api/visits/records/{}/".format
    return [
        ("patch", "patch", record(records["ended"].pk), {"findings": "改写的发现"}),
        ("end", "post", record(records["open"].pk) + "end/", {}),
        (
            "sign_manager",
            "post",
            record(records["ended"].pk) + "sign/",
            {"role": "manager", "image": data_url()},
        ),
        (
            "sign_customer",
            "post",
            record(records["signed"].pk) + "sign/",
            {"role": "customer", "image": data_url(), "signer_name": "王店主"},
        ),
        ("suggestion", "post", record(records["ended"].pk) + "suggestions/", {"text": "再提一条"}),
        (
            "answer",
            "post",
            f"/api/visits/suggestions/{records['suggestion'].pk}/answer/",
            {"answer": "已安排"},
        ),
        (
            "correct",
            "post",
            record(records["locked"].pk) + "correct/",
            {"reason": "补记", "findings": "补记的发现"},
        ),
    ]


def browser_writes(records):
    """(name, url, form data) of every browser write on the previous manager's records."""
    ended, signed, locked = records["ended"].pk, records["signed"].pk, records["locked"].pk
    return [
        ("edit", reverse("visits:visit_edit", args=[ended]), {"findings": "改写的发现"}),
        ("end", reverse("visits:visit_end", args=[records["open"].pk]), {}),
        (
            "sign_manager",
            reverse("visits:visit_sign", args=[ended, "manager"]),
            {"signature": data_url(), "signer_name": "张经理"},
        ),
        (
            "sign_customer",
            reverse("visits:visit_sign", args=[signed, "customer"]),
            {"signature": data_url(), "signer_name": "王店主"},
        ),
        ("suggestion", reverse("visits:visit_suggestion_add", args=[ended]), {"text": "再提一条"}),
        (
            "answer",
            reverse("visits:suggestion_answer", args=[records["suggestion"].pk]),
            {"answer": "已安排"},
        ),
        (
            "correct",
            reverse("visits:visit_correct", args=[locked]),
            {"reason": "补记", "findings": "补记的发现"},
        ),
    ]


class TestPreviousManagerMayNotWrite:
    def test_every_api_write_answers_403_and_writes_nothing(self, api_login, manager, handed_over):
        client = api_login(manager)
        before = snapshot()
        for name, method, url, body in api_writes(handed_over):
            response = getattr(client, method)(url, body, format="json")
            assert response.status_code == 403, (name, response.status_code, response.content)
        assert snapshot() == before

    def test_every_browser_write_answers_403_and_writes_nothing(self, login, manager, handed_over):
        client = login(manager)
        before = snapshot()
        for name, url, data in browser_writes(handed_over):
            assert client.post(url, data).status_code == 403, name
        assert (
            client.get(reverse("visits:visit_correct", args=[handed_over["locked"].pk])).status_code
            == 403
        )
        assert snapshot() == before

    def test_the_services_refuse_a_copy_read_before_the_reassignment(
        self, manager, customer, teammate, admin_user
    ):
        # What a page or a task read before the click: the customer still theirs.
        ended = make_visit(manager, customer, stage="ended")
        suggestion = suggestions.suggestion_add(visit=ended, actor=manager, text="希望增加配送次数")
        assert ended.customer.manager == suggestion.customer.manager == manager
        hand_over(customer, teammate, admin_user)
        before = snapshot()
        with pytest.raises(PermissionDenied):
            visit_services.visit_update(visit=ended, actor=manager, data={"findings": "改写"})
        with pytest.raises(PermissionDenied):
            visit_services.visit_sign(visit=ended, actor=manager, role="manager", image=data_url())
        with pytest.raises(PermissionDenied):
            suggestions.suggestion_add(visit=ended, actor=manager, text="再提一条")
        with pytest.raises(PermissionDenied):
            suggestions.suggestion_answer(suggestion=suggestion, actor=manager, answer="已安排")
        assert snapshot() == before


class TestPreviousManagerStillReads:
    def test_reads_the_records_through_the_api(self, api_login, manager, handed_over):
        client = api_login(manager)
        for key in ("locked", "signed", "ended", "open"):
            response = client.get(f"/api/visits/records/{handed_over[key].pk}/")
            assert response.status_code == 200, key
        pdf = client.get(f"/api/visits/records/{handed_over['locked'].pk}/pdf/")
        assert pdf.status_code == 200

    def test_the_page_says_so_and_offers_no_button(self, login, manager, handed_over):
        client = login(manager)
        locked = client.get(handed_over["locked"].get_absolute_url())
        assert locked.status_code == 200
        page = locked.content.decode()
        assert 'data-testid="customer-gone"' in page
        assert reverse("visits:visit_correct", args=[handed_over["locked"].pk]) not in page
        for key in ("ended", "signed", "open"):
            page = client.get(handed_over[key].get_absolute_url()).content.decode()
            assert 'data-testid="customer-gone"' in page
            for name in ("visits:visit_edit", "visits:visit_end", "visits:visit_suggestion_add"):
                assert reverse(name, args=[handed_over[key].pk]) not in page, (key, name)
            assert 'id="sign-form"' not in page, key

    def test_the_suggestion_list_offers_no_answer(self, login, manager, handed_over):
        page = login(manager).get(reverse("visits:suggestion_list")).content.decode()
        assert "希望增加配送次数" in page
        answer = reverse("visits:suggestion_answer", args=[handed_over["suggestion"].pk])
        assert answer not in page


class TestNewManager:
    def test_answers_the_customers_open_suggestion(
        self, api_login, login, new_manager, handed_over
    ):
        suggestion = handed_over["suggestion"]
        answer = reverse("visits:suggestion_answer", args=[suggestion.pk])
        assert answer in login(new_manager).get(reverse("visits:suggestion_list")).content.decode()
        response = api_login(new_manager).post(
            f"/api/visits/suggestions/{suggestion.pk}/answer/", {"answer": "已安排加配"}
        )
        assert response.status_code == 200, response.content
        suggestion.refresh_from_db()
        assert (suggestion.answer, suggestion.answered_by) == ("已安排加配", new_manager)

    def test_does_not_sign_the_previous_managers_record(self, api_login, new_manager, handed_over):
        # The visit is the previous manager's account of their visit: it stays theirs.
        client = api_login(new_manager)
        ended = handed_over["ended"]
        assert client.get(f"/api/visits/records/{ended.pk}/").status_code == 200
        response = client.post(
            f"/api/visits/records/{ended.pk}/sign/", {"role": "manager", "image": data_url()}
        )
        assert response.status_code == 403
        assert Visit.objects.get(pk=ended.pk).status == Visit.Status.ENDED

    def test_writes_their_own_visit_from_start_to_correction(
        self, api_login, new_manager, customer, handed_over
    ):
        client = api_login(new_manager)
        started = client.post(
            "/api/visits/records/", {"customer": customer.pk, "special_reason": "交接拜访"}
        )
        assert started.status_code == 201, started.content
        url = f"/api/visits/records/{started.json()['id']}/"
        steps = [
            ("patch", {"findings": "交接后首访"}),
            ("post", "end/", {}),
            ("post", "sign/", {"role": "manager", "image": data_url()}),
            ("post", "sign/", {"role": "customer", "image": data_url(), "signer_name": "王店主"}),
        ]
        assert client.patch(url, steps[0][1], format="json").status_code == 200
        for _method, path, body in steps[1:]:
            response = client.post(url + path, body, format="json")
            assert response.status_code == 200, (path, response.content)
        correction = client.post(url + "correct/", {"reason": "补记", "findings": "更正"})
        assert correction.status_code == 201, correction.content
        visit = Visit.objects.get(pk=correction.json()["id"])
        assert (visit.manager, visit.customer, visit.findings) == (new_manager, customer, "更正")


class TestOpenVisitsAtReassignment:
    def test_the_visit_in_progress_is_ended_with_an_event_row(
        self, manager, customer, teammate, admin_user, records
    ):
        hand_over(customer, teammate, admin_user)
        visit = Visit.objects.get(pk=records["open"].pk)
        assert visit.status == Visit.Status.ENDED
        assert visit.manager == manager
        assert visit.departed_at is None  # nobody saw the departure
        event = visit.events.get(action="reassigned")
        assert (event.actor, event.from_status, event.to_status) == (
            admin_user,
            Visit.Status.IN_PROGRESS,
            Visit.Status.ENDED,
        )
        assert str(teammate) in event.comment and "调岗交接" in event.comment

    def test_unsigned_records_keep_their_status_and_say_why_they_stop(
        self, customer, teammate, admin_user, records
    ):
        hand_over(customer, teammate, admin_user)
        for key, status in (("ended", "ended"), ("signed", "manager_signed")):
            visit = Visit.objects.get(pk=records[key].pk)
            assert visit.status == status
            event = visit.events.get(action="reassigned")
            assert (event.from_status, event.to_status) == (status, "")
        locked = Visit.objects.get(pk=records["locked"].pk)
        assert not locked.events.filter(action="reassigned").exists()

    def test_the_previous_manager_is_told_about_each_closed_record(
        self, manager, customer, teammate, admin_user, records
    ):
        hand_over(customer, teammate, admin_user)
        told = set(
            Notification.objects.filter(
                user=manager, key__startswith="visit-reassigned:"
            ).values_list("url", flat=True)
        )
        assert told == {records[key].get_absolute_url() for key in ("open", "ended", "signed")}

    def test_other_customers_visits_stay_open(self, manager, customer, teammate, admin_user):
        other = factories.CustomerFactory(manager=manager)
        kept = make_visit(manager, other, stage="in_progress")
        make_visit(manager, customer, stage="in_progress", arrived="2026-10-12 10:00")
        hand_over(customer, teammate, admin_user)
        kept.refresh_from_db()
        assert kept.status == Visit.Status.IN_PROGRESS
        assert not kept.events.filter(action="reassigned").exists()
        visit_services.visit_end(visit=kept, actor=manager)

    def test_the_reassign_page_closes_it_too(
        self, login, manager, customer, teammate, regional_manager, records
    ):
        response = login(regional_manager).post(
            reverse("customer_reassign", args=[customer.pk]),
            {"manager": teammate.pk, "reason": "调岗交接"},
        )
        assert response.status_code == 302
        customer.refresh_from_db()
        assert customer.manager == teammate
        visit = Visit.objects.get(pk=records["open"].pk)
        assert visit.status == Visit.Status.ENDED
        assert visit.events.get(action="reassigned").actor == regional_manager

    def test_a_failed_reassignment_closes_nothing(
        self, manager, customer, regional_manager, records
    ):
        with pytest.raises(ValidationError):  # the reason is missing
            crm_services.customer_reassign(
                customer=customer, actor=regional_manager, manager=None, reason=""
            )
        assert Visit.objects.get(pk=records["open"].pk).status == Visit.Status.IN_PROGRESS
        assert not VisitEvent.objects.filter(action="reassigned").exists()


class TestCreatingForAReassignedCustomer:
    @pytest.fixture
    def schedule(self, manager, customer):
        """This week's schedule of the previous manager: the customer and one that stays."""
        today = timezone.localdate()
        monday = today - datetime.timedelta(days=today.weekday())
        schedule = WeeklySchedule.objects.create(manager=manager, week_start=monday)
        kept = factories.CustomerFactory(manager=manager, name="留下的店")
        entries = {
            name: PlannedVisit.objects.create(schedule=schedule, customer=c, planned_date=monday)
            for name, c in (("gone", customer), ("kept", kept))
        }
        return schedule, entries

    def test_start_from_the_schedule_is_refused_and_not_offered(
        self, login, api_login, manager, customer, new_manager, admin_user, schedule
    ):
        schedule, entries = schedule
        hand_over(customer, new_manager, admin_user)
        client = login(manager)
        # The week shows one day at a time: both entries' days.
        url = reverse("visits:schedule_detail", args=[schedule.pk])
        page = "".join(
            client.get(url, {"day": f"{entry.planned_date:%Y-%m-%d}"}).content.decode()
            for entry in entries.values()
        )
        assert customer.name in page
        assert reverse("visits:visit_start", args=[entries["kept"].pk]) in page
        assert reverse("visits:visit_start", args=[entries["gone"].pk]) not in page
        response = client.post(reverse("visits:visit_start", args=[entries["gone"].pk]))
        assert response.status_code == 302
        api = api_login(manager).post("/api/visits/records/", {"planned_visit": entries["gone"].pk})
        assert api.status_code == 400
        assert "customer" in api.json()
        assert not Visit.objects.filter(customer=customer).exists()

    def test_special_visit_and_promotion_are_refused(
        self, api_login, manager, customer, new_manager, admin_user
    ):
        hand_over(customer, new_manager, admin_user)
        client = api_login(manager)
        visit = client.post(
            "/api/visits/records/", {"customer": customer.pk, "special_reason": "路过"}
        )
        assert visit.status_code == 400 and "customer" in visit.json()
        receipt = client.post(
            "/api/visits/promotions/",
            {"customer": customer.pk, **promotion_fields()},
        )
        assert receipt.status_code == 400 and "customer" in receipt.json()
        with pytest.raises(PermissionDenied):
            promotions.promotion_record(customer=customer, actor=manager, **promotion_fields())
        assert not Visit.objects.filter(customer=customer).exists()
        assert not PromotionReceipt.objects.exists()


class TestPriceViolationDecision:
    @pytest.fixture
    def violation(self, manager, customer):
        return make_violation(manager, customer)

    def test_old_regional_manager_no_longer_decides_a_customer_moved_away(
        self, login, api_login, violation, customer, outsider, admin_user, regional_manager
    ):
        hand_over(customer, outsider, admin_user)
        api = api_login(regional_manager).post(
            f"/api/visits/price-violations/{violation.pk}/dismiss/", {"note": "误报"}
        )
        assert api.status_code == 404
        page = login(regional_manager).post(
            reverse("visits:violation_dismiss", args=[violation.pk]), {"note": "误报"}
        )
        assert page.status_code == 404
        assert PriceViolation.objects.get(pk=violation.pk).status == PriceViolation.Status.OPEN

    def test_the_previous_manager_reads_but_never_decides(
        self, api_login, violation, customer, manager, outsider, admin_user
    ):
        hand_over(customer, outsider, admin_user)
        client = api_login(manager)
        assert client.get(f"/api/visits/price-violations/{violation.pk}/").status_code == 200
        response = client.post(
            f"/api/visits/price-violations/{violation.pk}/dismiss/", {"note": "误报"}
        )
        assert response.status_code == 403
        assert PriceViolation.objects.get(pk=violation.pk).status == PriceViolation.Status.OPEN

    def test_the_new_regional_manager_decides(
        self, api_login, violation, customer, outsider, admin_user, other_regional_manager
    ):
        hand_over(customer, outsider, admin_user)
        response = api_login(other_regional_manager).post(
            f"/api/visits/price-violations/{violation.pk}/dismiss/", {"note": "误报"}
        )
        assert response.status_code == 200, response.content
        violation.refresh_from_db()
        assert (violation.status, violation.decided_by) == ("dismissed", other_regional_manager)
