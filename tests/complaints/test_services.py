import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints import services
from complaints.models import (
    Complaint,
    ComplaintEvent,
    ComplaintPhoto,
    ComplaintSettings,
    ComplaintSignature,
)
from core.errors import ConflictError
from tests import factories
from tests.complaints.conftest import (
    STEPS,
    complaint_fields,
    exchange_fields,
    inspection_fields,
    photo_upload,
    signature,
)

pytestmark = pytest.mark.django_db
S = Complaint.Status
D = datetime.date


def test_walk_from_report_to_closed(travel, manager, customer, regional_manager):
    travel("2026-11-02 09:00")
    complaint = services.complaint_open(
        actor=manager,
        customer=customer,
        product="中华(硬)",
        batch_number="B2026-10",
        quantity=Decimal("2"),
        unit="条",
        problem="烟支受潮发霉",
        reported_on=D(2026, 11, 2),
    )
    assert complaint.status == S.OPEN
    assert complaint.due_on == D(2026, 11, 3)
    services.complaint_add_photo(complaint=complaint, actor=manager, upload=photo_upload())
    complaint = services.complaint_inspect(
        complaint=complaint,
        actor=manager,
        cause="仓储受潮",
        signature=signature(),
        signer_name="王店主",
    )
    assert complaint.status == S.INSPECTED
    assert complaint.inspection_signature.signer_name == "王店主"
    complaint = services.complaint_submit(complaint=complaint, actor=manager)
    assert complaint.status == S.SUBMITTED
    travel("2026-11-03 10:00")
    complaint = services.complaint_approve(
        complaint=complaint, actor=regional_manager, comment="同意调换"
    )
    assert (complaint.status, complaint.decided_by, complaint.decision_comment) == (
        S.APPROVED,
        regional_manager,
        "同意调换",
    )
    travel("2026-11-04 15:00")
    complaint = services.complaint_record_exchange(
        complaint=complaint,
        actor=manager,
        exchange_product="中华(硬)",
        exchange_quantity=Decimal("2"),
        exchanged_on=D(2026, 11, 4),
        signature=signature(),
        signer_name="王店主",
    )
    assert complaint.status == S.EXCHANGED
    complaint = services.complaint_close(
        complaint=complaint, actor=manager, result="已调换，客户满意"
    )
    complaint.refresh_from_db()
    assert complaint.status == S.CLOSED
    assert complaint.due_on is None
    assert complaint.closed_at is not None
    events = list(
        complaint.events.values_list("action", "from_status", "to_status", "actor__username")
    )
    assert events == [
        ("opened", "", "open", "manager"),
        ("photo_added", "open", "open", "manager"),
        ("inspected", "open", "inspected", "manager"),
        ("submitted", "inspected", "submitted", "manager"),
        ("approved", "submitted", "approved", "regional"),
        ("exchanged", "approved", "exchanged", "manager"),
        ("closed", "exchanged", "closed", "manager"),
    ]
    roles = set(complaint.signatures.values_list("role", flat=True))
    assert roles == {"inspection", "receipt"}
    # The regional manager was told to decide, the manager of the approval.
    assert regional_manager.notifications.filter(title__contains=complaint.number).exists()
    assert manager.notifications.filter(title__contains="approved").exists()


class TestWhoMayAct:
    def test_only_the_customers_manager_opens(
        self, customer, teammate, regional_manager, admin_user
    ):
        for user in (teammate, regional_manager, admin_user):
            with pytest.raises(PermissionDenied):
                services.complaint_open(
                    actor=user, customer=customer, reported_on=D(2026, 1, 5), **complaint_fields()
                )
        assert not Complaint.objects.exists()

    @pytest.mark.parametrize("persona", ["teammate", "regional_manager", "admin_user", "outsider"])
    def test_manager_steps_belong_to_the_customers_manager(self, request, complaint_at, persona):
        user = request.getfixturevalue(persona)
        complaint = complaint_at("open")
        with pytest.raises(PermissionDenied):
            services.complaint_inspect(
                complaint=complaint, actor=user, cause="c", signature=signature(), signer_name="王"
            )
        with pytest.raises(PermissionDenied):
            services.complaint_add_photo(complaint=complaint, actor=user, upload=photo_upload())
        complaint = complaint_at("exchanged")
        with pytest.raises(PermissionDenied):
            services.complaint_close(complaint=complaint, actor=user, result="r")

    # An admin decides too: tests/complaints/test_admin_decides.py.
    @pytest.mark.parametrize("persona", ["manager", "teammate", "other_regional_manager"])
    def test_only_the_regions_manager_decides(self, request, complaint_at, persona):
        complaint = complaint_at("submitted")
        user = request.getfixturevalue(persona)
        with pytest.raises(PermissionDenied):
            services.complaint_approve(complaint=complaint, actor=user)
        with pytest.raises(PermissionDenied):
            services.complaint_reject(complaint=complaint, actor=user, reason="no")
        complaint.refresh_from_db()
        assert complaint.status == S.SUBMITTED
        assert complaint.events.count() == 3

    def test_a_reassigned_customer_moves_the_steps_to_the_new_manager(
        self, complaint_at, customer, manager, teammate
    ):
        complaint = complaint_at("open")
        customer.manager = teammate
        customer.save()
        with pytest.raises(PermissionDenied):
            services.complaint_submit(complaint=complaint, actor=manager)
        services.complaint_inspect(
            complaint=complaint, actor=teammate, cause="c", signature=signature(), signer_name="王"
        )


ACTIONS = {
    "inspect": lambda c, m, r: services.complaint_inspect(
        complaint=c, actor=m, cause="c", signature=signature(), signer_name="王"
    ),
    "submit": lambda c, m, r: services.complaint_submit(complaint=c, actor=m),
    "approve": lambda c, m, r: services.complaint_approve(complaint=c, actor=r),
    "reject": lambda c, m, r: services.complaint_reject(complaint=c, actor=r, reason="no"),
    "exchange": lambda c, m, r: services.complaint_record_exchange(
        complaint=c, actor=m, **exchange_fields()
    ),
    "close": lambda c, m, r: services.complaint_close(complaint=c, actor=m, result="r"),
    "photo": lambda c, m, r: services.complaint_add_photo(
        complaint=c, actor=m, upload=photo_upload()
    ),
}
ALLOWED_FROM = {
    "inspect": {"open", "inspected", "rejected"},
    "photo": {"open", "inspected", "rejected"},
    "submit": {"inspected"},
    "approve": {"submitted"},
    "reject": {"submitted"},
    "exchange": {"approved"},
    "close": {"exchanged"},
}
ILLEGAL = [
    (action, stage) for action in ACTIONS for stage in STEPS if stage not in ALLOWED_FROM[action]
]


@pytest.mark.parametrize(("action", "stage"), ILLEGAL)
def test_illegal_transition_is_a_conflict(complaint_at, manager, regional_manager, action, stage):
    complaint = complaint_at(stage)
    events = complaint.events.count()
    with pytest.raises(ConflictError) as error:
        ACTIONS[action](complaint, manager, regional_manager)
    assert "Cannot" in error.value.message
    complaint.refresh_from_db()
    assert complaint.status == stage
    assert complaint.events.count() == events


def test_a_closed_form_is_read_only(complaint_at, manager, regional_manager):
    complaint = complaint_at("closed")
    for action in ACTIONS.values():
        with pytest.raises(ConflictError):
            action(complaint, manager, regional_manager)


def test_second_approval_names_who_decided_first(complaint_at, regional_manager, region):
    second = factories.RegionalManagerFactory(username="deputy", region=region)
    complaint = complaint_at("submitted")
    services.complaint_approve(complaint=complaint, actor=regional_manager)
    with pytest.raises(ConflictError) as error:
        services.complaint_approve(complaint=complaint, actor=second)
    assert "already approved" in error.value.message
    assert str(regional_manager) in error.value.message
    assert complaint.events.filter(action="approved").count() == 1


class TestRejection:
    def test_reject_needs_a_reason(self, complaint_at, regional_manager):
        complaint = complaint_at("submitted")
        with pytest.raises(ValidationError) as error:
            services.complaint_reject(complaint=complaint, actor=regional_manager, reason="  ")
        assert "reason" in error.value.message_dict
        complaint.refresh_from_db()
        assert complaint.status == S.SUBMITTED

    def test_rejected_form_is_corrected_signed_again_and_resubmitted(
        self, complaint_at, manager, regional_manager
    ):
        complaint = complaint_at("submitted")
        complaint = services.complaint_reject(
            complaint=complaint, actor=regional_manager, reason="原因不清"
        )
        assert complaint.status == S.REJECTED
        assert complaint.decision_comment == "原因不清"
        assert manager.notifications.filter(title__contains="rejected").exists()
        first_signature = complaint.inspection_signature_id
        complaint = services.complaint_inspect(
            complaint=complaint, actor=manager, **inspection_fields(cause="批次包装破损")
        )
        complaint = services.complaint_submit(complaint=complaint, actor=manager)
        assert complaint.status == S.SUBMITTED
        assert complaint.decided_by is None
        # The first signature is kept; the form points at the new one.
        assert complaint.inspection_signature_id != first_signature
        assert ComplaintSignature.objects.filter(pk=first_signature).exists()
        services.complaint_approve(complaint=complaint, actor=regional_manager)


class TestValidation:
    def test_inspection_needs_cause_signature_and_name(self, complaint_at, manager):
        complaint = complaint_at("open")
        with pytest.raises(ValidationError) as error:
            services.complaint_inspect(
                complaint=complaint, actor=manager, **inspection_fields(cause="")
            )
        assert "cause" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            services.complaint_inspect(
                complaint=complaint, actor=manager, cause="c", signature="", signer_name="王"
            )
        assert "signature" in error.value.message_dict
        with pytest.raises(ValidationError) as error:
            services.complaint_inspect(
                complaint=complaint, actor=manager, cause="c", signature=signature(), signer_name=""
            )
        assert "signer_name" in error.value.message_dict
        assert not ComplaintSignature.objects.exists()
        complaint.refresh_from_db()
        assert complaint.status == S.OPEN

    def test_report_date_not_in_future(self, travel, manager, customer):
        travel("2026-11-02 09:00")
        with pytest.raises(ValidationError):
            services.complaint_open(
                actor=manager, customer=customer, reported_on=D(2026, 11, 3), **complaint_fields()
            )

    def test_goods_exchange_needs_goods_and_quantity(self, complaint_at, manager):
        complaint = complaint_at("approved")
        with pytest.raises(ValidationError) as error:
            services.complaint_record_exchange(
                complaint=complaint,
                actor=manager,
                **exchange_fields(exchange_product="", exchange_quantity=None),
            )
        assert set(error.value.message_dict) == {"exchange_product", "exchange_quantity"}


class TestPhotos:
    def test_photo_stored_under_a_generated_name(self, complaint_at, manager):
        complaint = complaint_at("open")
        photo = services.complaint_add_photo(
            complaint=complaint, actor=manager, upload=photo_upload(name="../../evil name.php")
        )
        assert photo.image.name.startswith("complaints/photos/")
        assert photo.image.name.endswith(".jpg")
        assert "evil" not in photo.image.name
        assert photo.content_type == "image/jpeg"

    def test_non_image_is_refused_and_nothing_saved(self, complaint_at, manager, settings):
        complaint = complaint_at("open")
        fake = SimpleUploadedFile("photo.jpg", b"%PDF-1.4 not an image", content_type="image/jpeg")
        with pytest.raises(ValidationError) as error:
            services.complaint_add_photo(complaint=complaint, actor=manager, upload=fake)
        assert "not a photo" in error.value.messages[0]
        assert not ComplaintPhoto.objects.exists()
        assert complaint.events.count() == 1
        assert not (settings.MEDIA_ROOT / "complaints" / "photos").exists()

    def test_too_large_is_refused(self, complaint_at, manager, settings):
        settings.COMPLAINTS_PHOTO_MAX_BYTES = 1000
        complaint = complaint_at("open")
        with pytest.raises(ValidationError) as error:
            services.complaint_add_photo(
                complaint=complaint, actor=manager, upload=photo_upload(fmt="PNG", size=(400, 400))
            )
        assert "too large" in error.value.messages[0]
        assert not ComplaintPhoto.objects.exists()


class TestDeadlines:
    """National Day 2026 (seeded calendar): holidays 1–7 October, make-up days 20 Sep and 10 Oct."""

    def test_across_national_day(self, travel, manager, customer, regional_manager):
        travel("2026-09-30 16:00")
        complaint = services.complaint_open(
            actor=manager, customer=customer, product="x", problem="y", reported_on=D(2026, 9, 30)
        )
        assert complaint.due_on == D(2026, 10, 8)
        complaint = services.complaint_inspect(
            complaint=complaint, actor=manager, cause="c", signature=signature(), signer_name="王"
        )
        travel("2026-10-08 09:00")
        complaint = services.complaint_submit(complaint=complaint, actor=manager)
        # Two working days after Thursday 8 Oct: Friday 9, make-up Saturday 10.
        assert complaint.due_on == D(2026, 10, 10)
        travel("2026-10-09 09:00")
        complaint = services.complaint_approve(complaint=complaint, actor=regional_manager)
        # Three working days after Friday 9 Oct: Sat 10, Mon 12, Tue 13.
        assert complaint.due_on == D(2026, 10, 13)
        travel("2026-10-10 11:00")
        complaint = services.complaint_record_exchange(
            complaint=complaint, actor=manager, **exchange_fields(exchanged_on=D(2026, 10, 10))
        )
        assert complaint.due_on == D(2026, 10, 12)

    def test_report_in_the_holiday(self, travel, manager, customer):
        travel("2026-10-03 10:00")
        complaint = services.complaint_open(
            actor=manager, customer=customer, product="x", problem="y", reported_on=D(2026, 10, 2)
        )
        assert complaint.due_on == D(2026, 10, 8)

    def test_admin_changes_the_deadlines(self, travel, admin_user, manager, customer):
        travel("2026-09-30 16:00")
        services.complaint_settings_update(actor=admin_user, inspection_days=3)
        assert ComplaintSettings.load().updated_by == admin_user
        complaint = services.complaint_open(
            actor=manager, customer=customer, product="x", problem="y", reported_on=D(2026, 9, 30)
        )
        assert complaint.due_on == D(2026, 10, 10)

    def test_only_admins_change_deadlines(self, regional_manager):
        with pytest.raises(PermissionDenied):
            services.complaint_settings_update(actor=regional_manager, inspection_days=3)

    def test_zero_days_refused(self, admin_user):
        with pytest.raises(ValidationError):
            services.complaint_settings_update(actor=admin_user, decision_days=0)


class TestReminders:
    def test_overdue_forms_remind_the_responsible_person_once_a_day(
        self, travel, complaint_at, manager, regional_manager
    ):
        travel("2026-11-02 09:00")
        late_inspection = complaint_at("open", reported_on=D(2026, 10, 29))
        late_decision = complaint_at("submitted")  # decision due 4 November
        travel("2026-11-05 07:40")
        complaint_at("open")  # due tomorrow: not overdue
        assert services.complaints_send_overdue_reminders() == 2
        assert services.complaints_send_overdue_reminders() == 0
        keys = set(manager.notifications.values_list("key", flat=True))
        assert f"complaint-overdue:{late_inspection.pk}:2026-11-05" in keys
        assert f"complaint-overdue:{late_decision.pk}:2026-11-05" not in keys
        assert regional_manager.notifications.filter(
            key=f"complaint-overdue:{late_decision.pk}:2026-11-05"
        ).exists()
        travel("2026-11-06 07:40")
        assert services.complaints_send_overdue_reminders() == 2

    def test_no_reminders_on_days_off_nor_for_closed_forms(self, travel, complaint_at):
        travel("2026-09-28 09:00")
        complaint_at("open")
        complaint_at("closed")
        assert services.complaints_send_overdue_reminders(day=D(2026, 10, 3)) == 0
        assert services.complaints_send_overdue_reminders(day=D(2026, 10, 8)) == 1

    def test_the_celery_task_runs_the_service(self, travel, complaint_at):
        from complaints.tasks import send_overdue_reminders

        travel("2026-11-02 09:00")
        complaint_at("open", reported_on=D(2026, 10, 29))
        assert send_overdue_reminders.delay("2026-11-05").get() == 1


def test_quality_opinions_for_the_monthly_report(travel, complaint_at, manager, teammate):
    from complaints.selectors import month_opinions

    travel("2026-10-20 09:00")
    complaint_at("closed", reported_on=D(2026, 10, 9))
    complaint_at("open", reported_on=D(2026, 10, 20))
    complaint_at("open", reported_on=D(2026, 9, 30))
    other = factories.CustomerFactory(manager=teammate)
    services.complaint_open(
        actor=teammate, customer=other, product="x", problem="y", reported_on=D(2026, 10, 10)
    )
    rows = list(month_opinions(D(2026, 10, 1), [manager.pk]))
    assert [(manager_id, row["date"]) for manager_id, row in rows] == [
        (manager.pk, "2026-10-09"),
        (manager.pk, "2026-10-20"),
    ]
    first = rows[0][1]
    assert first["customer"] == "和平便利店"
    assert first["text"] == "中华(硬) · 烟支受潮发霉"
    assert first["result"] == "已调换合格卷烟，客户满意"
    assert rows[1][1]["result"] == str(Complaint.Status.OPEN.label)
    assert ComplaintEvent.objects.exists()
