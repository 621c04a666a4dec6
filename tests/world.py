"""Objects of ``manager`` and their region at every step worth a page, for walks over routes.

Tests get them as the ``world`` fixture (tests/conftest.py), built for each
test. A module whose every test reads the world and none needs the tables
without it builds it once instead::

    from tests.world import module_world

    world = module_world

The objects are then built once per module (``world_rows``, inside a
transaction rolled back when the module ends) and each test reads them afresh
from the database, inside its own transaction: what one test changes is
rolled back before the next, and no test sees another's in-memory objects.
"""

import datetime
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from PIL import Image

from accounts.services import token_create
from complaints import services as complaint_services
from complaints.models import ComplaintSignature
from config.celery import app as celery_app
from core.models import CalendarDay, ExportJob, Notification
from crm.models import Region, SalesImport, SalesRecord
from crm.services import regrading_propose
from reports import services as report_services
from satisfaction import services as satisfaction_services
from satisfaction.models import Measure
from tests import factories
from tests.complaints.conftest import make_complaint
from tests.visits.conftest import at, make_violation, make_visit, promotion_fields
from visits.models import WorkLog
from visits.services import photos as photo_services
from visits.services import promotions, schedules, suggestions, work_logs
from visits.services import unlicensed as unlicensed_services

FOREIGN_NAME = "和平便利店"
# Neither may be a part of what factories write (codes T00001…, licences
# LIC00001000… contain "C00001"), or a list showing the user's own rows would
# look like a leak.
FOREIGN_CODE = "HP7301"
SEPTEMBER = datetime.date(2026, 9, 1)


def _image(fmt="JPEG"):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def build_world(*, manager, teammate, outsider, regional_manager):
    """Objects of ``manager`` (and their region) at every step worth a page.

    Set ``MEDIA_ROOT`` to a temporary directory first: photos and signatures are saved.
    """
    customer = factories.CustomerFactory(
        manager=manager,
        name=FOREIGN_NAME,
        code=FOREIGN_CODE,
        licence_number="HPLIC-7301",
        grade=factories.grade("A1"),
    )
    SalesRecord.objects.create(customer=customer, month=SEPTEMBER, quantity=10, amount=1000)
    # Teammates and the other region have customers of their own, so their lists are not empty.
    factories.CustomerFactory(manager=teammate, name="邻居超市")
    factories.CustomerFactory(manager=outsider, name="城西烟酒")

    violation = make_violation(manager, customer, stage="locked", note="低于指导价")
    open_visit = make_visit(manager, customer, stage="ended", arrived="2026-10-08 10:00")
    with time_machine.travel(at("2026-10-09 12:00"), tick=False):
        suggestion = suggestions.suggestion_add(visit=open_visit, actor=manager, text="希望多送货")
        schedule, _ = schedules.schedule_propose(
            manager=manager, week_start=datetime.date(2026, 10, 12)
        )
        # The proposal plans the customer (an A1 is due weekly).
        planned = schedule.entries.get(customer=customer)
        promotion = promotions.promotion_record(
            customer=customer, actor=manager, **promotion_fields()
        )
        unlicensed = unlicensed_services.unlicensed_report(
            actor=manager,
            address="人民路 9 号",
            description="无证售烟",
            photo=SimpleUploadedFile("x.jpg", _image(), content_type="image/jpeg"),
        )
        work_log = work_logs.work_log_write(
            actor=manager, kind=WorkLog.Kind.DAILY, day=datetime.date(2026, 10, 9), content="走访"
        )
        visit_photo = photo_services.visit_photo_add(
            visit=open_visit,
            actor=manager,
            stage="before",
            upload=SimpleUploadedFile("shelf.jpg", _image(), content_type="image/jpeg"),
        )
    complaint = make_complaint(manager, customer, regional_manager, stage="open")
    photo = complaint_services.complaint_add_photo(
        complaint=complaint,
        actor=manager,
        upload=SimpleUploadedFile("defect.jpg", _image(), content_type="image/jpeg"),
    )
    complaint = make_complaint(manager, customer, regional_manager, stage="approved")
    report_services.prepare_month(month=SEPTEMBER)
    admin = factories.AdminFactory(username="walkadmin")
    calendar_day = CalendarDay.objects.order_by("date").first()
    satisfaction = _satisfaction(manager=manager, regional_manager=regional_manager, admin=admin)
    return {
        "customer": customer,
        "grade": customer.grade,
        "region": Region.objects.get(pk=manager.region_id),
        "user": manager,
        "sales_record": SalesRecord.objects.get(customer=customer),
        "sales_import": SalesImport.objects.create(
            file_name="september.csv", imported_by=manager, row_count=1, months="2026-09"
        ),
        "calendar_day": calendar_day,
        "regrading_run": regrading_propose(actor=admin),
        "visit": violation.visit,
        "suggestion": suggestion,
        "violation": violation,
        "schedule": schedule,
        "planned_visit": planned,
        "promotion": promotion,
        "unlicensed": unlicensed,
        "work_log": work_log,
        "visit_photo": visit_photo,
        "complaint": complaint,
        "complaint_photo": photo,
        "complaint_signature": ComplaintSignature.objects.filter(complaint=complaint).first(),
        "report": manager.monthly_reports.get(month=SEPTEMBER),
        "notification": Notification.objects.filter(user=manager).first(),
        "robot_message": _robot_message(manager),
        "api_token": token_create(user=manager, device="walk")[0],
        "export_job": _export_job(manager),
        **satisfaction,
    }


def _export_job(manager):
    """A big export of the manager's, written: only they may see and download it."""
    from django.core.files.base import ContentFile

    job = ExportJob.objects.create(
        user=manager, name="customers", file_format="csv", status=ExportJob.Status.DONE
    )
    job.file.save("customers.csv", ContentFile("\ufeffcode\n".encode()))
    return job


def _robot_message(manager):
    """A failed group robot message of the manager's region; the robot is paused, so
    nothing the tests notify is posted anywhere."""
    from core import notifications
    from crm.models import RegionRobot, RobotMessage

    robot = RegionRobot.objects.create(
        region_id=manager.region_id,
        kind=RegionRobot.Kind.WECOM,
        webhook_url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=walk",
        active=False,
    )
    notification = notifications.notify(user=manager, key="walk:robot", title="walk")
    return RobotMessage.objects.create(
        notification=notification, robot=robot, status=RobotMessage.Status.FAILED
    )


def _satisfaction(*, manager, regional_manager, admin):
    """A questionnaire; an open round of every region (everyone taking part sees it: its
    sample shows each their own customers) with the customer's answer; a closed round of
    the region with the manager's measures."""
    service_desk = factories.UserFactory(
        username="walk_service_desk", role="service_centre", region=None
    )
    questionnaire = satisfaction_services.questionnaire_create(
        actor=admin, name="满意度调查", questions=[{"kind": "score", "text": "服务态度"}]
    )
    open_round = satisfaction_services.round_launch(
        actor=service_desk, month=SEPTEMBER, questionnaire=questionnaire
    )
    customer = manager.customers.get(code=FOREIGN_CODE)
    sampled = open_round.sample_rows.get(customer=customer)
    question = open_round.version.questions.get()
    answer = satisfaction_services.answer_record(
        round=open_round, customer=customer, actor=manager, values={question.pk: 4}
    )
    closed_round = satisfaction_services.round_launch(
        actor=regional_manager,
        month=SEPTEMBER,
        questionnaire=questionnaire,
        region=manager.region,
    )
    satisfaction_services.round_close(round=closed_round, actor=regional_manager)
    return {
        "satisfaction_questionnaire": questionnaire,
        "satisfaction_round": open_round,
        "satisfaction_sample": sampled,
        "satisfaction_answer": answer,
        "satisfaction_measure": Measure.objects.get(round=closed_round, manager=manager),
    }


# The personas of tests/conftest.py: their factories get or create by username
# and region code, so a test's ``manager`` fixture is the world's manager.
def _personas():
    region = factories.RegionFactory(code="EAST", name="城东区域")
    other_region = factories.RegionFactory(code="WEST", name="城西区域")
    return {
        "manager": factories.ManagerFactory(username="manager", region=region),
        "teammate": factories.ManagerFactory(username="teammate", region=region),
        "outsider": factories.ManagerFactory(username="outsider", region=other_region),
        "regional_manager": factories.RegionalManagerFactory(username="regional", region=region),
    }


@pytest.fixture(scope="module")
def world_rows(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world's rows, built once for the module: (objects by key, media folder)."""
    media = tmp_path_factory.mktemp("world") / "media"
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    eager = celery_app.conf.CELERY_TASK_ALWAYS_EAGER
    # Tests' own fixtures (eager Celery, fast hashes, MEDIA_ROOT) are not set
    # up yet at module scope: the build sets them itself.
    celery_app.conf.update(CELERY_TASK_ALWAYS_EAGER=True)
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            objects = build_world(**_personas())
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
        finally:
            celery_app.conf.update(CELERY_TASK_ALWAYS_EAGER=eager)
        try:
            yield objects, media
        finally:
            # Every test ran in a savepoint inside this transaction; the
            # world goes with it, so the next module starts from empty tables.
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def world(settings, tmp_path, manager, teammate, outsider, regional_manager):
    """The world, built for this test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return build_world(
        manager=manager, teammate=teammate, outsider=outsider, regional_manager=regional_manager
    )


@pytest.fixture
def module_world(world_rows, db, settings):
    """The module's world, read afresh for this test (see the module docstring)."""
    objects, media = world_rows
    settings.MEDIA_ROOT = media
    return {
        key: obj if obj is None else type(obj)._default_manager.get(pk=obj.pk)
        for key, obj in objects.items()
    }
